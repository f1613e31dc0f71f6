// The supervisor's live view: sign in like the advisor desk, then read GET /api/live every two
// seconds and show each language's queue, each advisor's load, grouped by point, and each open
// conversation's metadata. Metadata only: the server never sends content here. Strings come from the advisor catalogues.

import { AnswerEditor } from './answer-editor.js';
import { fetchJson, submitSignIn } from './api.js';
import { Connection } from './connection.js';
import { endSession, sessionAccount } from './session.js';
import {
  advisorCatalogueTags, directionOf, loadCatalogue, rememberUiLanguage, rememberedUiLanguage,
  setDocumentLanguage,
} from './i18n.js';
import { formatClock } from './format.js';
import { formatTime } from './chat-log.js';

const CATALOGUE_DIRECTORY = 'i18n/advisor';
const UI_LANGUAGE_STORAGE_KEY = 'neuvo.advisor.uiLanguage'; // shared with the advisor desk
const POLL_INTERVAL_MS = 2000;

const statusKeys = {
  available: 'presence.available',
  away: 'presence.away',
};

const byId = (id) => document.getElementById(id);
const elements = {
  error: byId('error'),
  screens: {
    loading: byId('loading-screen'),
    signIn: byId('sign-in-screen'),
    forbidden: byId('forbidden-screen'),
    live: byId('live-screen'),
  },
  signedInAs: byId('signed-in-as'),
  uiLanguageSelect: byId('ui-language-select'),
  signOutButton: byId('sign-out-button'),
  signInForm: byId('sign-in-form'),
  loginInput: byId('login-input'),
  passwordInput: byId('password-input'),
  signInButton: byId('sign-in-button'),
  updated: byId('live-updated'),
  languagesBody: byId('languages-body'),
  noLanguages: byId('no-languages'),
  advisorsTable: document.querySelector('[data-testid="advisors-table"]'),
  noAdvisors: byId('no-advisors'),
  conversationsBody: byId('conversations-body'),
  noConversations: byId('no-conversations'),
};

const channelKeys = {
  chat: 'live.channel_chat',
  'language-support': 'live.channel_language_support',
};

const answerEditor = new AnswerEditor(byId('answers-editor'), () => state.catalogue);

const state = {
  catalogue: null,
  account: null, // the signed-in account from sign-in or /api/session
  live: null, // the last answer of /api/live
  updatedAt: null,
  updateFailed: false,
  pollTimer: null,
  polling: false,
  error: null, // { key } of the alert on screen
  languages: new Map(), // tag -> { tag, autonym, dir } as the service configures them
  municipalities: new Map(), // code -> name, from the same `welcome`
};

// ---- Screens, alerts, language ----

function showScreen(name) {
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
  const signedIn = name === 'live' || name === 'forbidden';
  elements.signOutButton.hidden = !signedIn;
  elements.signedInAs.hidden = !signedIn || !state.account;
}

function showError(key, params) {
  state.error = { key, params };
  elements.error.textContent = state.catalogue.t(key, params);
}

function clearError() {
  state.error = null;
  elements.error.textContent = '';
}

async function useUiLanguage(tag) {
  state.catalogue = await loadCatalogue(CATALOGUE_DIRECTORY, tag, advisorCatalogueTags);
  setDocumentLanguage(state.catalogue.tag, directionOf(state.catalogue.tag));
  elements.uiLanguageSelect.value = state.catalogue.tag;
  state.catalogue.apply(document);
  if (state.error) showError(state.error.key);
  renderSignedInAs();
  render();
  answerEditor.translate();
}

function renderSignedInAs() {
  if (!state.account) return;
  state.catalogue.fill(elements.signedInAs, 'desk.signed_in_as', {
    name: state.account.name ?? '',
    point: state.account.point_name ?? state.account.point ?? '',
  });
}

// ---- Signing in and out ----

async function checkSession() {
  const account = await sessionAccount();
  if (account) {
    state.account = account;
    startPolling();
  } else {
    showSignIn();
  }
}

function showSignIn() {
  stopPolling();
  state.account = null;
  state.live = null;
  answerEditor.forget();
  showScreen('signIn');
  elements.loginInput.focus();
}

async function signIn(event) {
  event.preventDefault();
  const account = await submitSignIn(elements, { showError, clearError });
  if (account) {
    state.account = account;
    startPolling();
  }
}

async function signOut() {
  stopPolling();
  await endSession();
  clearError();
  showSignIn();
}

// ---- Polling /api/live ----

function startPolling() {
  stopPolling();
  if (state.languages.size === 0) loadLanguageNames();
  renderSignedInAs();
  showScreen('loading');
  state.polling = true;
  poll();
}

function stopPolling() {
  state.polling = false;
  clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

// One request at a time; the next one is planned when the answer is in, so a slow server is
// never asked twice at once.
async function poll() {
  if (!state.polling) return;
  let answer = null;
  try {
    answer = await fetchJson('/api/live');
  } catch {
    answer = null;
  }
  if (!state.polling) return;
  if (answer?.status === 401) {
    showSignIn();
    showError('sign_in.expired');
    return;
  }
  if (answer?.status === 403) {
    // Signed in, but an advisor, not a supervisor: nothing to poll.
    stopPolling();
    showScreen('forbidden');
    return;
  }
  if (answer?.status === 200 && answer.body) {
    state.live = answer.body;
    state.updatedAt = new Date();
    state.updateFailed = false;
    render();
    if (elements.screens.live.hidden) showScreen('live');
    answerEditor.start();
  } else {
    // Keep what is on screen and say it is not current; try again.
    state.updateFailed = true;
    renderUpdated();
    if (!state.live) showScreen('live');
  }
  state.pollTimer = setTimeout(poll, POLL_INTERVAL_MS);
}

// ---- Rendering ----

// /api/live names languages by tag only. The service's own autonyms (and directions) are in
// the `welcome` that every WebSocket connection starts with, so read it once from the anonymous
// client endpoint and close at once: no request is made, nothing is queued or recorded.
function loadLanguageNames() {
  const connection = new Connection('/ws/client');
  connection.on('welcome', (message) => {
    for (const language of message.languages ?? []) state.languages.set(language.tag, language);
    for (const municipality of message.municipalities ?? []) {
      state.municipalities.set(municipality.code, municipality.name);
    }
    connection.close();
    answerEditor.setLanguages(state.languages);
    render();
  });
  connection.connect();
}

// The language's own name: from the service's configuration, else from the browser's locale
// data (an `autonym` field in /api/live wins if the server ever sends one).
function autonymOf(tag, fromServer) {
  if (typeof fromServer === 'string' && fromServer !== '') return fromServer;
  const configured = state.languages.get(tag)?.autonym;
  if (configured) return configured;
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
    if (name && name.toLowerCase() !== tag.toLowerCase()) {
      return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
    }
  } catch {
    // unknown tag: the tag itself
  }
  return tag;
}

function directionFor(tag) {
  return state.languages.get(tag)?.dir ?? directionOf(tag);
}

function languageCell(tag, autonym) {
  const cell = document.createElement('th');
  cell.scope = 'row';
  const name = document.createElement('bdi');
  name.lang = tag;
  name.dir = directionFor(tag);
  name.textContent = autonymOf(tag, autonym);
  cell.append(name, ` (${tag})`);
  return cell;
}

function cell(text, className) {
  const element = document.createElement('td');
  if (className) element.className = className;
  element.textContent = String(text);
  return element;
}

function render() {
  if (!state.live || !state.catalogue) return;
  renderLanguages(Array.isArray(state.live.languages) ? state.live.languages : []);
  renderAdvisors(Array.isArray(state.live.advisors) ? state.live.advisors : []);
  renderConversations(Array.isArray(state.live.conversations) ? state.live.conversations : []);
  renderUpdated();
}

function renderUpdated() {
  if (!state.updatedAt) {
    elements.updated.textContent = state.updateFailed ? state.catalogue.t('live.update_failed') : '';
    return;
  }
  const time = formatTime(state.updatedAt, state.catalogue.tag);
  let text = state.catalogue.t('live.updated', { time });
  if (state.updateFailed) text = `${text} ${state.catalogue.t('live.update_failed')}`;
  elements.updated.textContent = text;
  elements.updated.dataset.stale = String(state.updateFailed);
}

// Longest queues first, then by tag, so the row that needs attention is on top.
function renderLanguages(languages) {
  const sorted = [...languages].sort((a, b) =>
    (b.waiting ?? 0) - (a.waiting ?? 0) || String(a.language).localeCompare(String(b.language)));
  const rows = sorted.map((language) => {
    const row = document.createElement('tr');
    row.dataset.testid = 'language-row';
    row.dataset.language = language.language;
    row.classList.toggle('row-attention',
      (language.waiting ?? 0) > 0 && (language.advisors_available ?? 0) === 0);
    const wait = cell(formatClock(language.longest_wait_seconds ?? 0), 'number');
    wait.dataset.testid = 'longest-wait';
    wait.dataset.seconds = String(language.longest_wait_seconds ?? 0);
    const waiting = cell(language.waiting ?? 0, 'number');
    waiting.dataset.testid = 'waiting';
    const signedIn = cell(language.advisors_signed_in ?? 0, 'number');
    signedIn.dataset.testid = 'advisors-signed-in';
    const available = cell(language.advisors_available ?? 0, 'number');
    available.dataset.testid = 'advisors-available';
    const unmet = cell(language.unmet_requests ?? 0, 'number');
    unmet.dataset.testid = 'unmet-requests';
    row.append(languageCell(language.language, language.autonym), waiting, wait, signedIn,
      available, unmet);
    return row;
  });
  elements.languagesBody.replaceChildren(...rows);
  elements.noLanguages.hidden = rows.length > 0;
}

// One <tbody> per point, in the server's order (by point, then name).
function renderAdvisors(advisors) {
  const { catalogue } = state;
  const points = new Map();
  for (const advisor of advisors) {
    const key = advisor.point ?? '';
    if (!points.has(key)) points.set(key, { name: advisor.point_name ?? advisor.point ?? '', advisors: [] });
    points.get(key).advisors.push(advisor);
  }
  const bodies = [...points.entries()].map(([pointId, point]) => {
    const body = document.createElement('tbody');
    body.dataset.testid = 'point-group';
    body.dataset.point = pointId;
    const headingRow = document.createElement('tr');
    headingRow.className = 'point-heading';
    const heading = document.createElement('th');
    heading.scope = 'rowgroup';
    heading.colSpan = 5;
    heading.textContent = point.name;
    headingRow.append(heading);
    body.append(headingRow);
    for (const advisor of point.advisors) {
      const row = document.createElement('tr');
      row.dataset.testid = 'advisor-row';
      row.dataset.status = advisor.status ?? '';
      row.dataset.connected = String(advisor.connected !== false);
      const name = document.createElement('th');
      name.scope = 'row';
      const nameText = document.createElement('bdi');
      nameText.textContent = advisor.name ?? '';
      name.append(nameText);
      const languages = document.createElement('td');
      const tags = Array.isArray(advisor.languages) ? advisor.languages : [];
      tags.forEach((tag, index) => {
        if (index > 0) languages.append(', ');
        const language = document.createElement('bdi');
        language.lang = tag;
        language.dir = directionFor(tag);
        language.title = tag;
        language.textContent = autonymOf(tag);
        languages.append(language);
      });
      const status = cell(statusKeys[advisor.status] ? catalogue.t(statusKeys[advisor.status])
        : advisor.status ?? '');
      status.dataset.testid = 'advisor-status';
      const load = cell(catalogue.t('live.load', {
        active: advisor.active ?? 0,
        capacity: advisor.capacity ?? 0,
      }), 'number');
      load.dataset.testid = 'advisor-load';
      load.dataset.active = String(advisor.active ?? 0);
      load.dataset.capacity = String(advisor.capacity ?? 0);
      const connection = cell(catalogue.t(advisor.connected === false
        ? 'live.reconnecting' : 'live.connected'));
      connection.dataset.testid = 'advisor-connection';
      if (advisor.connected === false) connection.className = 'connection-lost';
      row.append(name, languages, status, load, connection);
      body.append(row);
    }
    return body;
  });
  for (const old of elements.advisorsTable.querySelectorAll('tbody')) old.remove();
  elements.advisorsTable.append(...bodies);
  elements.noAdvisors.hidden = bodies.length > 0;
}

function homeLabel(code) {
  if (!code || code === 'unknown') return state.catalogue.t('home.unknown');
  if (code === 'other') return state.catalogue.t('home.other');
  if (code === 'abroad') return state.catalogue.t('home.abroad');
  return state.municipalities.get(code) ?? code;
}

// Each open conversation's metadata (PROTOCOL.md, `/api/live`): never a word of its content.
// Those waiting for an advisor first, then the longest.
function renderConversations(conversations) {
  const { catalogue } = state;
  const sorted = [...conversations].sort((a, b) =>
    Number(Boolean(b.waiting_for_advisor)) - Number(Boolean(a.waiting_for_advisor)) ||
    (b.duration_seconds ?? 0) - (a.duration_seconds ?? 0));
  const rows = sorted.map((conversation) => {
    const row = document.createElement('tr');
    row.dataset.testid = 'conversation-row';
    row.dataset.conversation = conversation.conversation ?? '';
    row.dataset.channel = conversation.channel ?? '';
    row.dataset.point = conversation.point ?? '';
    row.classList.toggle('row-attention', conversation.waiting_for_advisor === true);
    const language = languageCell(conversation.language, conversation.autonym);
    language.dataset.testid = 'conversation-language';
    const home = cell(homeLabel(conversation.home));
    home.dataset.testid = 'conversation-home';
    const channel = cell(channelKeys[conversation.channel]
      ? catalogue.t(channelKeys[conversation.channel]) : conversation.channel ?? '');
    channel.dataset.testid = 'conversation-channel';
    const point = cell(conversation.point_name ?? conversation.point ?? '');
    point.dataset.testid = 'conversation-point';
    const advisors = document.createElement('td');
    advisors.dataset.testid = 'conversation-advisors';
    (Array.isArray(conversation.advisors) ? conversation.advisors : []).forEach((name, index) => {
      if (index > 0) advisors.append(', ');
      const element = document.createElement('bdi');
      element.textContent = String(name);
      advisors.append(element);
    });
    const duration = cell(formatClock(conversation.duration_seconds ?? 0), 'number');
    duration.dataset.testid = 'conversation-duration';
    duration.dataset.seconds = String(conversation.duration_seconds ?? 0);
    const waiting = cell(catalogue.t(conversation.waiting_for_advisor
      ? 'live.waiting_yes' : 'live.waiting_no'));
    waiting.dataset.testid = 'conversation-waiting';
    waiting.dataset.waiting = String(conversation.waiting_for_advisor === true);
    row.append(language, home, channel, point, advisors, duration, waiting);
    return row;
  });
  elements.conversationsBody.replaceChildren(...rows);
  elements.noConversations.hidden = rows.length > 0;
}

// ---- Start ----

function bindEvents() {
  elements.signInForm.addEventListener('submit', signIn);
  elements.signOutButton.addEventListener('click', signOut);
  elements.uiLanguageSelect.addEventListener('change', async () => {
    const tag = elements.uiLanguageSelect.value;
    rememberUiLanguage(UI_LANGUAGE_STORAGE_KEY, tag);
    await useUiLanguage(tag);
  });
}

async function start() {
  bindEvents();
  await useUiLanguage(rememberedUiLanguage(UI_LANGUAGE_STORAGE_KEY) ?? 'en');
  await checkSession();
}

start();
