// The wrap-up form (PROTOCOL.md, `wrapup_due`, `wrapup`, `wrapup_done`): when a conversation the
// advisor led ends, its panel gets a short form of coded answers for the anonymous visit
// register. Every field starts at "unknown", so saving at once is always possible; the
// conversation stays in the list, marked, until the server says the row is on disk.

import { fetchJson } from './api.js';
import { loadCatalogue, registerCatalogueTags } from './i18n.js';

const REGISTER_DIRECTORY = 'i18n/register';

let desk = null;
let fields = null; // [{ name, multiple, codes }] from /api/register/fields, in form order
let fieldsRequest = null;
let labels = null; // the register catalogue in the desk's interface language
const forms = new Map(); // conversation id -> { conversation, section, pendingId }
let formCounter = 0;

export function setupWrapups(theDesk) {
  desk = theDesk;
  desk.connection
    .on('wrapup_due', (message) => {
      onWrapupDue(message).catch(() => desk.showError('wrapup.unavailable'));
    })
    .on('wrapup_done', onWrapupDone)
    .on('error', onError);
}

// True for the refusal of a wrap-up this module sent: the desk leaves it to the form.
export function isWrapupRef(ref) {
  if (!ref) return false;
  for (const form of forms.values()) {
    if (form.pendingId === ref) return true;
  }
  return false;
}

// The advisor chose another interface language: the labels follow.
export async function renderWrapupTexts() {
  if (forms.size === 0) {
    labels = null;
    return;
  }
  await loadLabels();
  for (const form of forms.values()) labelForm(form.section);
}

// Signing out or a replaced session: the forms go with the conversations.
export function forgetWrapups() {
  forms.clear();
}

async function loadFields() {
  if (fields) return fields;
  fieldsRequest ??= fetchJson('/api/register/fields').then(({ status, body }) => {
    fieldsRequest = null;
    if (status !== 200 || !Array.isArray(body?.fields)) throw new Error('no register fields');
    fields = body.fields;
    return fields;
  });
  return fieldsRequest;
}

async function loadLabels() {
  const tag = desk.catalogue().tag;
  if (labels?.tag !== tag) {
    labels = await loadCatalogue(REGISTER_DIRECTORY, tag, registerCatalogueTags);
  }
  return labels;
}

function codeLabel(field, code) {
  if (field === 'country' && code !== 'unknown') {
    try {
      const names = new Intl.DisplayNames([desk.catalogue().tag], { type: 'region' });
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  }
  return labels.t(`${field}.${code}`);
}

async function onWrapupDue(message) {
  const conversation = desk.conversation(message.conversation) ??
    desk.addEndedConversation(message);
  const known = forms.get(message.conversation);
  if (known) {
    // Told again after a reconnection: whatever was on its way was not saved.
    known.pendingId = null;
    setBusy(known, false);
    return;
  }
  const form = { conversation, section: null, pendingId: null };
  forms.set(message.conversation, form);
  markDue(conversation, true);
  await Promise.all([loadFields(), loadLabels()]);
  if (forms.get(message.conversation) !== form) return; // done or forgotten meanwhile
  form.section = buildForm(form);
  const { panel } = conversation;
  const removeButton = panel.querySelector('[data-testid="remove-button"]');
  const hadFocus = document.activeElement === removeButton;
  removeButton.hidden = true;
  panel.querySelector('.conversation-actions').before(form.section);
  if (hadFocus) form.section.querySelector('select')?.focus();
  if (desk.selectedId() !== conversation.id) {
    desk.announce(desk.catalogue().t('wrapup.announce_due'));
  }
}

function buildForm(form) {
  formCounter += 1;
  const prefix = `wrapup-${formCounter}`;
  const section = document.createElement('section');
  section.className = 'wrapup';
  section.dataset.testid = 'wrapup-form';
  section.setAttribute('aria-labelledby', `${prefix}-title`);
  const heading = document.createElement('h3');
  heading.id = `${prefix}-title`;
  heading.dataset.i18n = 'wrapup.title';
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.dataset.i18n = 'wrapup.hint';
  const element = document.createElement('form');
  element.noValidate = true;
  const grid = document.createElement('div');
  grid.className = 'wrapup-grid';
  const groups = document.createElement('div');
  groups.className = 'wrapup-groups';
  for (const field of fields) {
    if (field.multiple) {
      const group = document.createElement('fieldset');
      group.className = 'wrapup-choices';
      group.dataset.field = field.name;
      const legend = document.createElement('legend');
      legend.dataset.registerKey = `field.${field.name}`;
      group.append(legend);
      for (const code of field.codes) {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.value = code;
        box.dataset.testid = `wrapup-${field.name}-${code}`;
        const text = document.createElement('span');
        text.dataset.registerCode = `${field.name}.${code}`;
        label.append(box, text);
        group.append(label);
      }
      groups.append(group);
    } else {
      const wrapper = document.createElement('div');
      wrapper.className = 'wrapup-field';
      const label = document.createElement('label');
      label.htmlFor = `${prefix}-${field.name}`;
      label.dataset.registerKey = `field.${field.name}`;
      const select = document.createElement('select');
      select.id = `${prefix}-${field.name}`;
      select.dataset.field = field.name;
      select.dataset.testid = `wrapup-${field.name}`;
      for (const code of field.codes) {
        const option = document.createElement('option');
        option.value = code;
        option.dataset.registerCode = `${field.name}.${code}`;
        select.append(option);
      }
      select.value = 'unknown';
      wrapper.append(label, select);
      grid.append(wrapper);
    }
  }
  const status = document.createElement('p');
  status.className = 'wrapup-status';
  status.dataset.testid = 'wrapup-status';
  status.setAttribute('role', 'status');
  const save = document.createElement('button');
  save.type = 'submit';
  save.className = 'button button-primary';
  save.dataset.testid = 'wrapup-save';
  save.dataset.i18n = 'wrapup.save';
  element.append(grid, groups, status, save);
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    send(form);
  });
  // "none" means no referral at all: it and the others exclude each other.
  element.addEventListener('change', (event) => {
    const box = event.target;
    if (box.type !== 'checkbox' || !box.checked) return;
    const group = box.closest('fieldset');
    if (group?.dataset.field !== 'referrals') return;
    for (const other of group.querySelectorAll('input')) {
      if (other !== box && (box.value === 'none' || other.value === 'none')) other.checked = false;
    }
  });
  section.append(heading, hint, element);
  labelForm(section);
  return section;
}

function labelForm(section) {
  desk.catalogue().apply(section);
  for (const element of section.querySelectorAll('[data-register-key]')) {
    element.textContent = labels.t(element.dataset.registerKey);
  }
  for (const element of section.querySelectorAll('[data-register-code]')) {
    const [field, code] = element.dataset.registerCode.split(/\.(.*)/s);
    element.textContent = codeLabel(field, code);
  }
  // Countries by their names in the interface language; "unknown" stays first.
  const country = section.querySelector('select[data-field="country"]');
  if (country) {
    const chosen = country.value;
    const options = [...country.options];
    const collator = new Intl.Collator(desk.catalogue().tag);
    options.sort((a, b) => {
      if (a.value === 'unknown') return -1;
      if (b.value === 'unknown') return 1;
      return collator.compare(a.textContent, b.textContent);
    });
    country.replaceChildren(...options);
    country.value = chosen;
  }
}

function collect(section) {
  const values = {};
  for (const select of section.querySelectorAll('select[data-field]')) {
    if (select.value !== 'unknown') values[select.dataset.field] = select.value;
  }
  for (const group of section.querySelectorAll('fieldset[data-field]')) {
    const codes = [...group.querySelectorAll('input:checked')].map((box) => box.value);
    if (codes.length > 0) values[group.dataset.field] = codes;
  }
  return values;
}

function setBusy(form, busy) {
  if (!form.section) return;
  form.section.querySelector('[data-testid="wrapup-save"]').disabled = busy;
  setStatus(form, busy ? 'wrapup.saving' : null);
}

function setStatus(form, key, params) {
  const status = form.section.querySelector('[data-testid="wrapup-status"]');
  status.textContent = key ? desk.catalogue().t(key, params) : '';
}

function send(form) {
  if (form.pendingId) return;
  const id = desk.connection.nextId('w');
  const sent = desk.connection.send({
    type: 'wrapup', id, conversation: form.conversation.id, fields: collect(form.section),
  });
  if (!sent) {
    setStatus(form, 'wrapup.not_saved');
    return;
  }
  form.pendingId = id;
  setBusy(form, true);
}

function onWrapupDone(message) {
  const form = forms.get(message.conversation);
  if (!form) return;
  forms.delete(message.conversation);
  const { conversation } = form;
  markDue(conversation, false);
  const key = message.status === 'saved' ? 'wrapup.saved' : 'wrapup.expired';
  const note = document.createElement('p');
  note.className = 'wrapup-done';
  note.dataset.testid = 'wrapup-done';
  note.dataset.status = message.status;
  note.setAttribute('role', 'status');
  note.dataset.i18n = key;
  note.textContent = desk.catalogue().t(key);
  const hadFocus = form.section?.contains(document.activeElement);
  if (form.section) form.section.replaceWith(note);
  else conversation.panel.querySelector('.conversation-actions').before(note);
  const removeButton = conversation.panel.querySelector('[data-testid="remove-button"]');
  removeButton.hidden = false;
  if (hadFocus) removeButton.focus();
}

function onError(message) {
  for (const form of forms.values()) {
    if (!message.ref || form.pendingId !== message.ref) continue;
    form.pendingId = null;
    setBusy(form, false);
    if (message.code === 'invalid_field') {
      setStatus(form, 'wrapup.invalid', { reason: message.reason ?? '' });
    } else if (message.code === 'not_in_conversation') {
      // Recorded already (time ran out, say): nothing left to save here.
      onWrapupDone({ conversation: form.conversation.id, status: 'expired' });
    } else {
      setStatus(form, 'wrapup.not_saved');
    }
    return;
  }
}

function markDue(conversation, due) {
  const button = conversation.listItem.querySelector('button');
  let badge = button.querySelector('.badge-wrapup');
  if (!due) {
    badge?.remove();
    return;
  }
  if (!badge) {
    badge = document.createElement('span');
    badge.className = 'badge badge-wrapup';
    badge.dataset.testid = 'wrapup-badge';
    badge.dataset.i18n = 'wrapup.due_badge';
    button.append(badge);
  }
  badge.textContent = desk.catalogue().t('wrapup.due_badge');
}
