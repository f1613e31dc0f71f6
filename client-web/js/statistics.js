// The statistics page: sign in like the supervisor page, then read the register's suppressed
// statistics (PROTOCOL.md, "Statistics") for a period and a point, and show them as bar charts,
// each with its data table, and as tables. Counts only: the server never sends a row, and a
// small number arrives as "<5" or not at all ("hidden"). Strings and the labels of the register's
// codes come from i18n/register/; country and language names from the browser (Intl).

import { fetchJson, submitSignIn } from './api.js';
import { endSession, sessionAccount } from './session.js';
import {
  directionOf, loadCatalogue, pickCatalogueTag, registerCatalogueTags, rememberUiLanguage,
  rememberedUiLanguage, setDocumentLanguage,
} from './i18n.js';

const CATALOGUE_DIRECTORY = 'i18n/register';
const UI_LANGUAGE_STORAGE_KEY = 'neuvo.advisor.uiLanguage'; // shared with the other staff pages
const ALLOWED_ROLES = new Set(['statistician', 'supervisor', 'admin']);
const SVG = 'http://www.w3.org/2000/svg';

// Charts like the ALPO report's figures: one dimension each.
const charts = [
  { id: 'residence', title: 'stats.chart_residence', by: 'residence' },
  { id: 'age', title: 'stats.chart_age', by: 'age_group' },
  { id: 'reason', title: 'stats.chart_reason', by: 'immigration_reason' },
  { id: 'topics', title: 'stats.chart_topics', by: 'topic' },
  { id: 'referrals', title: 'stats.chart_referrals', by: 'referral' },
  { id: 'country', title: 'stats.chart_country', by: 'country', largest: 12 },
];
const tables = [
  { id: 'language', title: 'stats.table_language', statistic: 'counts', by: 'language' },
  { id: 'point', title: 'stats.table_point', statistic: 'counts', by: 'point' },
  { id: 'unmet', title: 'stats.table_unmet', statistic: 'unmet', totalKey: 'stats.col_requests' },
  {
    id: 'reciprocity', title: 'stats.table_reciprocity', statistic: 'reciprocity',
    hint: 'stats.reciprocity_hint',
  },
];
const times = { id: 'times', title: 'stats.table_times', statistic: 'times', by: 'language' };

const byId = (id) => document.getElementById(id);
const elements = {
  error: byId('error'),
  screens: {
    loading: byId('loading-screen'),
    signIn: byId('sign-in-screen'),
    forbidden: byId('forbidden-screen'),
    statistics: byId('statistics-screen'),
  },
  signedInAs: byId('signed-in-as'),
  uiLanguageSelect: byId('ui-language-select'),
  signOutButton: byId('sign-out-button'),
  signInForm: byId('sign-in-form'),
  loginInput: byId('login-input'),
  passwordInput: byId('password-input'),
  signInButton: byId('sign-in-button'),
  liveLink: byId('live-link'),
  filterForm: byId('filter-form'),
  fromMonth: byId('from-month'),
  toMonth: byId('to-month'),
  pointSelect: byId('point-select'),
  summary: byId('summary'),
  sections: byId('statistics-sections'),
};

const state = {
  catalogue: null,
  account: null,
  error: null, // { key, params } of the alert on screen
  results: null, // id -> answer body, of the last filter applied
  points: new Map(), // point id -> name, as the statistics name them
};

// ---- Screens, alerts, language ----

function showScreen(name) {
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
  const signedIn = name === 'statistics' || name === 'forbidden';
  elements.signOutButton.hidden = !signedIn;
  elements.signedInAs.hidden = !signedIn || !state.account;
}

function showError(key, params = {}) {
  state.error = { key, params };
  elements.error.textContent = state.catalogue.t(key, params);
}

function clearError() {
  state.error = null;
  elements.error.textContent = '';
}

async function useUiLanguage(tag) {
  state.catalogue = await loadCatalogue(CATALOGUE_DIRECTORY, tag, registerCatalogueTags);
  setDocumentLanguage(state.catalogue.tag, directionOf(state.catalogue.tag));
  elements.uiLanguageSelect.value = state.catalogue.tag;
  state.catalogue.apply(document);
  if (state.error) showError(state.error.key, state.error.params);
  renderSignedInAs();
  renderPoints();
  render();
}

function renderSignedInAs() {
  if (!state.account) return;
  state.catalogue.fill(elements.signedInAs, 'stats.signed_in_as', {
    name: state.account.name ?? '',
    point: state.account.point_name ?? state.account.point ?? '',
  });
}

const t = (key, params) => state.catalogue.t(key, params);
const has = (key) => key in state.catalogue.strings || key in state.catalogue.fallbackStrings;

// ---- Labels of codes ----

function displayName(type, code) {
  try {
    const name = new Intl.DisplayNames([state.catalogue.tag], { type, fallback: 'none' }).of(code);
    return name && name !== code ? name : null;
  } catch {
    return null;
  }
}

// The wrap-up field behind a statistics dimension.
const fieldOf = (dimension) =>
  ({ topic: 'topics', referral: 'referrals' }[dimension] ?? dimension);

function codeLabel(dimension, heading) {
  const { code } = heading;
  let label = null;
  if (dimension === 'country') {
    label = code === 'unknown' ? null : displayName('region', code);
  } else if (dimension === 'language') {
    label = displayName('language', code) ?? heading.name ?? null;
  } else if (dimension === 'point' || dimension === 'home') {
    label = heading.name ?? (has(`home.${code}`) ? t(`home.${code}`) : null);
  } else if (has(`${fieldOf(dimension)}.${code}`)) {
    label = t(`${fieldOf(dimension)}.${code}`);
  }
  if (label === null && has(`value.${code}`)) label = t(`value.${code}`);
  return label ?? code;
}

function dimensionLabel(dimension) {
  if (has(`dimension.${dimension}`)) return t(`dimension.${dimension}`);
  if (has(`field.${fieldOf(dimension)}`)) return t(`field.${fieldOf(dimension)}`);
  return dimension;
}

// ---- Numbers as published ----

function formatNumber(value) {
  return new Intl.NumberFormat(state.catalogue.tag).format(value);
}

// A cell's content: the number, "<5" for a small count, "·" for one withheld; the marks carry
// their meaning in words for screen readers.
function cellContent(cell) {
  const content = document.createElement('span');
  content.dataset.state = cell.state;
  if (cell.state === 'shown') {
    content.textContent = formatNumber(cell.value);
    return content;
  }
  const mark = document.createElement('span');
  mark.setAttribute('aria-hidden', 'true');
  mark.textContent = cell.state === 'small' ? '<5' : '·';
  const words = document.createElement('span');
  words.className = 'visually-hidden';
  words.textContent = t(cell.state === 'small' ? 'stats.small_cell' : 'stats.hidden_cell');
  content.className = cell.state === 'small' ? 'cell-small' : 'cell-hidden';
  content.title = words.textContent;
  content.append(mark, words);
  return content;
}

function cellText(cell) {
  if (cell.state === 'shown') return formatNumber(cell.value);
  return cell.state === 'small' ? '<5' : '·';
}

// ---- Requests ----

function filterParameters() {
  const parameters = new URLSearchParams();
  if (elements.fromMonth.value) parameters.set('from', elements.fromMonth.value);
  if (elements.toMonth.value) parameters.set('to', elements.toMonth.value);
  if (elements.pointSelect.value) parameters.set('point', elements.pointSelect.value);
  return parameters;
}

function statisticUrl(item, extra = {}) {
  const parameters = filterParameters();
  if (item.by) parameters.set('by', item.by);
  for (const [name, value] of Object.entries(extra)) parameters.set(name, value);
  return `/api/statistics/${item.statistic ?? 'counts'}?${parameters}`;
}

async function loadStatistics() {
  clearError();
  const items = [...charts, ...tables, times];
  let answers;
  try {
    answers = await Promise.all(items.map((item) => fetchJson(statisticUrl(item))));
  } catch {
    showError('stats.failed');
    return;
  }
  if (answers.some((answer) => answer.status === 401)) {
    showSignIn();
    return;
  }
  if (answers.some((answer) => answer.status === 403)) {
    showScreen('forbidden');
    return;
  }
  const refused = answers.find((answer) => answer.status === 400);
  if (refused) {
    showError('stats.bad_filter', { reason: refused.body?.reason ?? '' });
    return;
  }
  if (answers.some((answer) => answer.status !== 200 || !answer.body)) {
    showError('stats.failed');
    return;
  }
  state.results = Object.fromEntries(items.map((item, i) => [item.id, answers[i].body]));
  for (const row of state.results.point.rows) {
    if (row.code !== 'none') state.points.set(row.code, row.name ?? row.code);
  }
  renderPoints();
  render();
  showScreen('statistics');
}

// ---- Rendering ----

function renderPoints() {
  if (!state.catalogue) return;
  const select = elements.pointSelect;
  const chosen = select.value;
  const all = document.createElement('option');
  all.value = '';
  all.textContent = t('stats.all_points');
  const options = [...state.points].sort((a, b) => a[1].localeCompare(b[1]))
    .map(([id, name]) => {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = name;
      return option;
    });
  select.replaceChildren(all, ...options);
  select.value = chosen;
}

function section(item) {
  const element = document.createElement('section');
  element.className = 'statistics-section';
  element.dataset.testid = `section-${item.id}`;
  const heading = document.createElement('h2');
  heading.id = `${item.id}-title`;
  heading.textContent = t(item.title);
  element.setAttribute('aria-labelledby', heading.id);
  element.append(heading);
  if (item.hint) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.textContent = t(item.hint);
    element.append(hint);
  }
  return element;
}

function downloadLinks(item) {
  const links = document.createElement('p');
  links.className = 'statistics-downloads';
  const lang = state.catalogue.tag;
  for (const [key, extra, testid] of [
    ['stats.download_csv', { format: 'csv', lang }, 'csv'],
    ['stats.download_csv_semicolon', { format: 'csv', lang, separator: 'semicolon' }, 'csv-semicolon'],
  ]) {
    const link = document.createElement('a');
    link.href = statisticUrl(item, extra);
    link.setAttribute('download', '');
    link.dataset.testid = `${item.id}-${testid}`;
    link.textContent = t(key);
    links.append(link, ' ');
  }
  return links;
}

function headerCell(text, scope, className = '') {
  const cell = document.createElement('th');
  cell.scope = scope;
  if (className) cell.className = className;
  cell.textContent = text;
  return cell;
}

function dataCell(cell) {
  const element = document.createElement('td');
  element.className = 'number';
  element.append(cellContent(cell));
  return element;
}

// Rows of codes without a form order (languages, municipalities, points, countries) go by their
// label, in the page's language; the register's coded fields keep the form's order.
const labelOrdered = new Set(['language', 'home', 'point', 'country']);

function rowOrder(dimension, rows) {
  const order = rows.map((_, i) => i);
  if (!labelOrdered.has(dimension)) return order;
  const collator = new Intl.Collator(state.catalogue.tag);
  const labels = rows.map((row) => codeLabel(dimension, row));
  return order.sort((a, b) => collator.compare(labels[a], labels[b]));
}

// A published table as an HTML table: rows, the columns of a second dimension, totals.
function tableElement(item, table, captionText) {
  const [rowDimension, columnDimension] = table.by;
  const element = document.createElement('table');
  element.className = 'live-table statistics-table';
  element.dataset.testid = `${item.id}-table`;
  const caption = document.createElement('caption');
  caption.textContent = captionText;
  element.append(caption);
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  headRow.append(headerCell(dimensionLabel(rowDimension), 'col'));
  if (columnDimension) {
    for (const column of table.columns) {
      headRow.append(headerCell(codeLabel(columnDimension, column), 'col', 'number'));
    }
    headRow.append(headerCell(t(item.totalKey ?? 'stats.col_total'), 'col', 'number'));
  } else {
    headRow.append(headerCell(t('stats.col_count'), 'col', 'number'));
  }
  head.append(headRow);
  const body = document.createElement('tbody');
  rowOrder(rowDimension, table.rows).forEach((r) => {
    const row = table.rows[r];
    const line = document.createElement('tr');
    line.append(headerCell(codeLabel(rowDimension, row), 'row'));
    for (const cell of table.cells[r]) line.append(dataCell(cell));
    if (columnDimension) line.append(dataCell(table.row_totals[r]));
    body.append(line);
  });
  const totals = document.createElement('tr');
  totals.className = 'total-row';
  totals.append(headerCell(t('value.total'), 'row'));
  if (columnDimension) {
    for (const cell of table.column_totals) totals.append(dataCell(cell));
  }
  totals.append(dataCell(table.total));
  body.append(totals);
  element.append(head, body);
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  // A named group: screen readers ignore a name on a bare <div>.
  scroll.setAttribute('role', 'group');
  scroll.setAttribute('aria-label', captionText);
  scroll.append(element);
  return scroll;
}

// A horizontal bar chart in inline SVG: a bar per code, its label and its published number.
// Small and withheld numbers get no bar, only their mark.
function barChart(item, table, rows) {
  const labelWidth = 250;
  const barSpace = 330;
  const rowHeight = 28;
  const width = labelWidth + barSpace + 70;
  const height = rows.length * rowHeight + 8;
  const largest = Math.max(1, ...rows.map(({ cell }) => (cell.state === 'shown' ? cell.value : 0)));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'bar-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${item.id}-title`);
  svg.dataset.testid = `${item.id}-chart`;
  rows.forEach(({ heading, cell }, i) => {
    const y = 4 + i * rowHeight;
    const group = document.createElementNS(SVG, 'g');
    group.setAttribute('class', `bar bar-${cell.state}`);
    const title = document.createElementNS(SVG, 'title');
    const label = codeLabel(table.by[0], heading);
    title.textContent = `${label}: ${cellText(cell)}`;
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', String(labelWidth - 8));
    text.setAttribute('y', String(y + rowHeight / 2 + 5));
    text.setAttribute('text-anchor', 'end');
    text.setAttribute('class', 'bar-label');
    text.textContent = label.length > 32 ? `${label.slice(0, 31)}…` : label;
    const barLength = cell.state === 'shown' ? (cell.value / largest) * barSpace : 0;
    const bar = document.createElementNS(SVG, 'rect');
    bar.setAttribute('x', String(labelWidth));
    bar.setAttribute('y', String(y + 4));
    bar.setAttribute('width', String(Math.max(barLength, cell.state === 'shown' && cell.value > 0 ? 2 : 0)));
    bar.setAttribute('height', String(rowHeight - 8));
    bar.setAttribute('class', 'bar-rect');
    const value = document.createElementNS(SVG, 'text');
    value.setAttribute('x', String(labelWidth + barLength + 6));
    value.setAttribute('y', String(y + rowHeight / 2 + 5));
    value.setAttribute('class', 'bar-value');
    value.textContent = cellText(cell);
    group.append(title, text, bar, value);
    svg.append(group);
  });
  return svg;
}

function renderChart(item, table) {
  const element = section(item);
  let rows = table.rows.map((heading, i) => ({ heading, cell: table.cells[i][0] }));
  if (item.largest) {
    // The largest countries; the rest are in the CSV file.
    const size = ({ cell }) => (cell.state === 'shown' ? cell.value : cell.state === 'small' ? 1 : 0);
    rows = rows.filter((row) => row.cell.state !== 'shown' || row.cell.value > 0)
      .sort((a, b) => size(b) - size(a)).slice(0, item.largest);
  }
  const figure = document.createElement('figure');
  figure.className = 'statistics-chart';
  figure.append(barChart(item, table, rows));
  const details = document.createElement('details');
  details.className = 'chart-data';
  const summary = document.createElement('summary');
  summary.textContent = t('stats.chart_data');
  details.append(summary, tableElement(item, table, t(item.title)));
  element.append(figure, details, downloadLinks(item));
  return element;
}

function renderTable(item, table) {
  const element = section(item);
  element.append(tableElement(item, table, t(item.title)), downloadLinks(item));
  return element;
}

function minutes(seconds) {
  if (seconds === null || seconds === undefined) return null;
  const value = new Intl.NumberFormat(state.catalogue.tag, { maximumFractionDigits: 1 })
    .format(seconds / 60);
  return t('stats.minutes', { minutes: value });
}

function renderTimes(item, answer) {
  const element = section(item);
  const table = document.createElement('table');
  table.className = 'live-table statistics-table';
  table.dataset.testid = `${item.id}-table`;
  const caption = document.createElement('caption');
  caption.textContent = t(item.title);
  const head = document.createElement('thead');
  const headRow = document.createElement('tr');
  headRow.append(headerCell(dimensionLabel(item.by), 'col'));
  for (const key of ['stats.col_mean_wait', 'stats.col_median_wait', 'stats.col_mean_duration',
    'stats.col_median_duration']) {
    headRow.append(headerCell(t(key), 'col', 'number'));
  }
  head.append(headRow);
  const body = document.createElement('tbody');
  for (const index of rowOrder(item.by, answer.groups)) {
    const group = answer.groups[index];
    const line = document.createElement('tr');
    line.append(headerCell(codeLabel(item.by, group), 'row'));
    for (const value of [group.wait.mean_seconds, group.wait.median_seconds,
      group.duration.mean_seconds, group.duration.median_seconds]) {
      const cell = document.createElement('td');
      cell.className = 'number';
      const text = minutes(value);
      if (text === null) {
        const mark = document.createElement('span');
        mark.className = 'cell-hidden';
        mark.dataset.state = 'hidden';
        mark.textContent = t('stats.times_withheld');
        cell.append(mark);
      } else {
        cell.textContent = text;
      }
      line.append(cell);
    }
    body.append(line);
  }
  table.append(caption, head, body);
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.setAttribute('role', 'group');
  scroll.setAttribute('aria-label', t(item.title));
  scroll.append(table);
  element.append(scroll, downloadLinks(item));
  return element;
}

function render() {
  if (!state.catalogue || !state.results) return;
  const total = state.results.residence.total;
  if (total.state === 'shown' && total.value === 0) {
    elements.summary.textContent = t('stats.no_data');
  } else {
    elements.summary.textContent = t('stats.summary', { count: cellText(total) });
  }
  const sections = [
    ...charts.map((item) => renderChart(item, state.results[item.id])),
    ...tables.map((item) => renderTable(item, state.results[item.id])),
    renderTimes(times, state.results[times.id]),
  ];
  elements.sections.replaceChildren(...sections);
}

// ---- Signing in and out ----

function monthText(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

function setDefaultPeriod() {
  const now = new Date();
  elements.toMonth.value = monthText(now);
  elements.fromMonth.value = monthText(new Date(now.getFullYear(), now.getMonth() - 11, 1));
}

async function enter(account) {
  state.account = account;
  renderSignedInAs();
  if (!ALLOWED_ROLES.has(account.role)) {
    showScreen('forbidden');
    return;
  }
  elements.liveLink.hidden = account.role === 'statistician';
  showScreen('loading');
  await loadStatistics();
}

function showSignIn() {
  state.account = null;
  state.results = null;
  elements.sections.replaceChildren();
  showScreen('signIn');
  elements.loginInput.focus();
}

async function signIn(event) {
  event.preventDefault();
  const account = await submitSignIn(elements, { showError, clearError });
  if (account) await enter(account);
}

async function signOut() {
  await endSession();
  clearError();
  showSignIn();
}

async function start() {
  const preferred = rememberedUiLanguage(UI_LANGUAGE_STORAGE_KEY) ??
    pickCatalogueTag(navigator.languages ?? [], registerCatalogueTags);
  await useUiLanguage(preferred);
  setDefaultPeriod();
  elements.uiLanguageSelect.addEventListener('change', async () => {
    rememberUiLanguage(UI_LANGUAGE_STORAGE_KEY, elements.uiLanguageSelect.value);
    await useUiLanguage(elements.uiLanguageSelect.value);
  });
  elements.signInForm.addEventListener('submit', signIn);
  elements.signOutButton.addEventListener('click', signOut);
  elements.filterForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    await loadStatistics();
  });
  const account = await sessionAccount();
  if (account) await enter(account);
  else showSignIn();
}

start();
