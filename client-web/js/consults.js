// Consult threads on the advisor desk: a private thread with one colleague, optionally about a
// client conversation ("ask a colleague about this case"). The client never sees these and the
// server records nothing of them. Each thread is a tab of its own with its log, composer and
// a Close button; messages show their delivery state from `accepted`.

import {
  appendToLog, createMessageItem, createSystemNote, setDeliveryState, utf8Length,
} from './chat-log.js';

const closedKeys = {
  closed: 'consults.closed',
  colleague_left: 'consults.colleague_left',
  signed_out: 'consults.closed',
};

const byId = (id) => document.getElementById(id);

let desk = null;
const elements = {};
const consults = new Map(); // consult id -> { id, with, about, closed, tab, pane, unread, ownIds }
const pending = new Map(); // consult_message id -> { consult, item, text }, until `accepted`
const opening = new Set(); // consult_open ids sent by this page
let selectedId = null;
let counter = 0;

// `desk`: { connection, catalogue(), languageNode(tag), homeLabel(code), announce(text),
// showError(key, params), clearError(), maxTextBytes() }
export function setupConsults(deskContext) {
  desk = deskContext;
  Object.assign(elements, {
    panel: byId('consults-panel'),
    none: byId('no-consults'),
    tabs: byId('consult-tabs'),
    panes: byId('consult-panes'),
    template: byId('consult-template'),
  });
  elements.tabs.addEventListener('keydown', onTabKey);
  desk.connection
    .on('consult_opened', onConsultOpened)
    .on('consult_message', onConsultMessage)
    .on('consult_closed', onConsultClosed)
    .on('accepted', onAccepted)
    .on('error', onError)
    .onClose(({ onPurpose }) => {
      for (const [id, { item }] of pending) {
        setDeliveryState(item, 'not_sent', desk.catalogue());
        pending.delete(id);
      }
      // Signing out ends every thread: nothing of them stays on the page.
      if (onPurpose) forgetConsults();
    });
}

const t = (key, params) => desk.catalogue().t(key, params);
const fill = (element, key, params) => desk.catalogue().fill(element, key, params);

export function openConsult(colleague, about) {
  desk.clearError();
  const message = { type: 'consult_open', id: desk.connection.nextId('q'), colleague: colleague.id };
  if (about) message.about = about;
  if (!desk.connection.send(message)) {
    desk.showError('connection.lost');
    return;
  }
  opening.add(message.id);
}

function onConsultOpened(message) {
  const mine = message.ref !== undefined && opening.delete(message.ref);
  let consult = consults.get(message.consult);
  if (!consult) consult = addConsult(message);
  if (mine) {
    selectConsult(consult.id, { moveFocus: true });
  } else {
    if (selectedId === null) selectConsult(consult.id, { moveFocus: false });
    desk.announce(t('consults.new', { name: consult.with?.name ?? '' }));
  }
}

function addConsult(message) {
  counter += 1;
  const consult = {
    id: message.consult,
    with: message.with ?? {},
    about: message.about ?? null,
    closed: false,
    unread: 0,
    lastSeq: 0,
    ownIds: new Set(),
    tab: null,
    pane: null,
  };
  const tab = document.createElement('button');
  tab.type = 'button';
  tab.className = 'consult-tab';
  tab.setAttribute('role', 'tab');
  tab.id = `consult-tab-${counter}`;
  tab.dataset.testid = 'consult-tab';
  tab.dataset.consult = consult.id;
  tab.addEventListener('click', () => selectConsult(consult.id, { moveFocus: false }));

  const pane = elements.template.content.firstElementChild.cloneNode(true);
  pane.id = `consult-pane-${counter}`;
  pane.dataset.consult = consult.id;
  pane.setAttribute('aria-labelledby', tab.id);
  tab.setAttribute('aria-controls', pane.id);
  const textarea = pane.querySelector('textarea');
  textarea.id = `consult-input-${counter}`;
  pane.querySelector('.message-form label').htmlFor = textarea.id;
  pane.querySelector('.message-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendConsultMessage(consult);
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendConsultMessage(consult);
    }
  });
  pane.querySelector('[data-testid="consult-close-button"]').addEventListener('click', (event) => {
    event.currentTarget.disabled = true;
    desk.connection.send({ type: 'consult_close', id: desk.connection.nextId('qc'), consult: consult.id });
  });
  pane.querySelector('[data-testid="consult-remove-button"]').addEventListener('click', () =>
    removeConsult(consult));

  consult.tab = tab;
  consult.pane = pane;
  consults.set(consult.id, consult);
  elements.tabs.append(tab);
  elements.panes.append(pane);
  elements.none.hidden = true;
  elements.tabs.hidden = false;
  desk.catalogue().apply(pane);
  renderConsult(consult);
  return consult;
}

function renderConsult(consult) {
  const name = consult.with?.name ?? '';
  const point = consult.with?.point_name ?? consult.with?.point ?? '';
  const tabLabel = document.createElement('span');
  fill(tabLabel, 'consults.tab', { name, point });
  const parts = [tabLabel];
  if (consult.unread > 0) {
    const badge = document.createElement('span');
    badge.className = 'badge badge-unread';
    badge.dataset.testid = 'consult-unread';
    badge.textContent = t('conversations.unread', { count: consult.unread });
    parts.push(' ', badge);
  }
  if (consult.closed) {
    const badge = document.createElement('span');
    badge.className = 'badge badge-ended';
    badge.textContent = t('consults.closed_badge');
    parts.push(' ', badge);
  }
  consult.tab.replaceChildren(...parts);
  const { pane } = consult;
  fill(pane.querySelector('.consult-heading'), 'consults.heading', { name, point });
  const about = pane.querySelector('[data-testid="consult-about"]');
  about.hidden = consult.about === null;
  if (consult.about) {
    fill(about, 'consults.about', {
      language: desk.languageNode(consult.about.language),
      home: desk.homeLabel(consult.about.home),
    });
  }
}

function selectConsult(id, { moveFocus }) {
  selectedId = id;
  for (const consult of consults.values()) {
    const selected = consult.id === id;
    consult.pane.hidden = !selected;
    consult.tab.setAttribute('aria-selected', String(selected));
    consult.tab.tabIndex = selected ? 0 : -1;
    if (selected && consult.unread > 0) {
      consult.unread = 0;
      renderConsult(consult);
    }
  }
  if (moveFocus && id !== null) {
    const consult = consults.get(id);
    (consult.closed ? consult.tab : consult.pane.querySelector('textarea')).focus();
  }
}

// Arrow keys move between the tabs (the tab pattern of WAI-ARIA).
function onTabKey(event) {
  const tabs = [...elements.tabs.querySelectorAll('[role="tab"]')];
  const index = tabs.indexOf(document.activeElement);
  if (index < 0) return;
  const forward = document.documentElement.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
  const backward = document.documentElement.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
  let next = null;
  if (event.key === forward) next = tabs[(index + 1) % tabs.length];
  else if (event.key === backward) next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === 'Home') next = tabs[0];
  else if (event.key === 'End') next = tabs.at(-1);
  if (!next) return;
  event.preventDefault();
  selectConsult(next.dataset.consult, { moveFocus: false });
  next.focus();
}

function sendConsultMessage(consult) {
  if (consult.closed) return;
  const textarea = consult.pane.querySelector('textarea');
  const text = textarea.value;
  if (text.trim() === '') {
    desk.showError('error.empty_message');
    return;
  }
  if (utf8Length(text) > desk.maxTextBytes()) {
    desk.showError('error.message_too_long');
    return;
  }
  desk.clearError();
  const id = desk.connection.nextId('qm');
  const item = createMessageItem({
    own: true,
    author: t('chat.you'),
    text,
    time: new Date(),
    locale: desk.catalogue().tag,
    messageId: id,
  });
  item.querySelector('.message-author').dataset.i18n = 'chat.you';
  consult.ownIds.add(id);
  const sent = desk.connection.send({ type: 'consult_message', id, consult: consult.id, text });
  setDeliveryState(item, sent ? 'sending' : 'not_sent', desk.catalogue());
  if (sent) pending.set(id, { consult, item, text });
  appendToLog(consult.pane.querySelector('.chat-log'), item);
  textarea.value = '';
  textarea.focus();
}

function onAccepted(message) {
  if (!message.consult) return;
  const entry = pending.get(message.id);
  if (!entry) return;
  pending.delete(message.id);
  entry.item.dataset.seq = String(message.seq);
  setDeliveryState(entry.item, 'delivered', desk.catalogue());
}

function onConsultMessage(message) {
  const consult = consults.get(message.consult);
  if (!consult) return;
  if (consult.ownIds.has(message.id)) return; // ours, shown when sent
  if (typeof message.seq === 'number') {
    if (message.seq <= consult.lastSeq) return;
    consult.lastSeq = message.seq;
  }
  const item = createMessageItem({
    own: false,
    author: message.author ?? consult.with?.name ?? '',
    text: message.text,
    time: message.sent_at ? new Date(message.sent_at) : new Date(),
    locale: desk.catalogue().tag,
    seq: message.seq,
  });
  appendToLog(consult.pane.querySelector('.chat-log'), item);
  if (selectedId !== consult.id || document.hidden) {
    consult.unread += 1;
    renderConsult(consult);
    desk.announce(t('consults.new_message', { name: consult.with?.name ?? '' }));
  }
}

function closeConsult(consult, reason) {
  if (consult.closed) return;
  consult.closed = true;
  for (const [id, entry] of pending) {
    if (entry.consult !== consult) continue;
    setDeliveryState(entry.item, 'not_sent', desk.catalogue());
    pending.delete(id);
  }
  const key = closedKeys[reason] ?? 'consults.closed';
  const note = createSystemNote(t(key), 'consult-closed-text');
  note.dataset.i18n = key;
  note.dataset.reason = reason;
  const { pane } = consult;
  appendToLog(pane.querySelector('.chat-log'), note);
  const hadFocus = pane.contains(document.activeElement);
  pane.querySelector('.message-form').hidden = true;
  pane.querySelector('[data-testid="consult-close-button"]').hidden = true;
  const remove = pane.querySelector('[data-testid="consult-remove-button"]');
  remove.hidden = false;
  if (hadFocus) remove.focus();
  renderConsult(consult);
}

function onConsultClosed(message) {
  const consult = consults.get(message.consult);
  if (!consult) return;
  closeConsult(consult, message.reason);
  if (selectedId !== consult.id) desk.announce(t(closedKeys[message.reason] ?? 'consults.closed'));
}

function onError(message) {
  const entry = message.ref ? pending.get(message.ref) : null;
  if (entry && message.code === 'rate_limited') {
    // Too fast: kept as written and sent again with the same id after the server's wait (the
    // desk says why).
    setDeliveryState(entry.item, 'waiting', desk.catalogue());
    setTimeout(() => {
      if (pending.get(message.ref) !== entry) return;
      const sent = desk.connection.send({
        type: 'consult_message', id: message.ref, consult: entry.consult.id, text: entry.text,
      });
      setDeliveryState(entry.item, sent ? 'sending' : 'not_sent', desk.catalogue());
      if (!sent) pending.delete(message.ref);
    }, Math.max(Number(message.retry_after_ms) || 1000, 100));
    return;
  }
  if (entry) {
    pending.delete(message.ref);
    setDeliveryState(entry.item, 'not_sent', desk.catalogue());
    if (message.code === 'not_in_consult') closeConsult(entry.consult, 'closed');
  }
  if (message.ref) opening.delete(message.ref);
}

function removeConsult(consult) {
  consult.tab.remove();
  consult.pane.remove();
  consults.delete(consult.id);
  if (selectedId === consult.id) {
    const next = consults.keys().next();
    selectConsult(next.done ? null : next.value, { moveFocus: false });
    if (!next.done) consults.get(next.value).tab.focus();
  }
  elements.none.hidden = consults.size > 0;
  elements.tabs.hidden = consults.size === 0;
}

function forgetConsults() {
  for (const consult of consults.values()) {
    consult.tab.remove();
    consult.pane.remove();
  }
  consults.clear();
  pending.clear();
  opening.clear();
  selectedId = null;
  elements.none.hidden = false;
  elements.tabs.hidden = true;
}

export function renderConsultTexts() {
  for (const consult of consults.values()) renderConsult(consult);
}
