// The anonymous client's page: choose a language (and optionally a home municipality), wait
// for an advisor who speaks it, chat, end. Nothing that identifies the person is asked or kept.

import { Connection } from './connection.js';
import {
  clientCatalogueTags, directionOf, loadCatalogue, pickCatalogueTag, setDocumentLanguage,
} from './i18n.js';
import {
  appendToLog, createMessageItem, createSystemNote, setDeliveryState, utf8Length,
} from './chat-log.js';

const CATALOGUE_DIRECTORY = 'i18n';

// Error codes a client can meet, each with a sentence of its own; anything else (a
// malformed message, which would be our bug) gets the generic sentence.
const errorMessageKeys = {
  unknown_language: 'error.unknown_language',
  unknown_municipality: 'error.unknown_municipality',
  already_requested: 'error.already_requested',
  not_in_conversation: 'error.not_in_conversation',
  empty_message: 'error.empty_message',
  message_too_long: 'error.message_too_long',
  server_busy: 'error.server_busy',
};

const endedMessageKeys = {
  client: 'ended.by_you',
  advisor: 'ended.by_advisor',
  client_disconnected: 'ended.client_disconnected',
  advisor_disconnected: 'ended.advisor_disconnected',
};

const byId = (id) => document.getElementById(id);
const elements = {
  error: byId('error'),
  announcer: byId('announcer'),
  screens: {
    connecting: byId('connecting-screen'),
    disconnected: byId('disconnected-screen'),
    choose: byId('choose-screen'),
    waiting: byId('waiting-screen'),
    chat: byId('chat-screen'),
  },
  disconnectedText: byId('disconnected-text'),
  reconnectButton: byId('reconnect-button'),
  languageList: byId('language-list'),
  requestForm: byId('request-form'),
  homeSelect: byId('home-select'),
  queuePosition: byId('queue-position'),
  queueNobody: byId('queue-nobody'),
  stopWaitingButton: byId('stop-waiting-button'),
  advisorInfo: byId('advisor-info'),
  chatLog: byId('chat-log'),
  messageForm: byId('message-form'),
  messageInput: byId('message-input'),
  endButton: byId('end-button'),
  endedPanel: byId('ended-panel'),
  startAgainButton: byId('start-again-button'),
};

const state = {
  catalogue: null,
  catalogueRequest: 0,
  languages: [],
  municipalities: [],
  maxTextBytes: 4000,
  chosenLanguage: null, // { tag, autonym, dir } from welcome
  requestId: null,
  conversation: null, // { id, ended }
  lastSeenSeq: 0,
  pendingMessages: new Map(), // message id -> its <li>, until `accepted`
};

const connection = new Connection('/ws/client');

// ---- Screens, alerts ----

function showScreen(name) {
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
}

function showError(key, params) {
  elements.error.textContent = state.catalogue.t(key, params);
}

function clearError() {
  elements.error.textContent = '';
}

function announce(text) {
  elements.announcer.textContent = text;
}

// ---- Interface language ----

function directionFor(tag) {
  const language = state.languages.find((candidate) => candidate.tag === tag);
  return language?.dir ?? directionOf(tag);
}

// Switches every string on the page to the catalogue for `tag` (English when there is none).
// <html lang dir> describe the interface text, so they follow the catalogue actually used.
async function useInterfaceLanguage(tag) {
  const request = ++state.catalogueRequest;
  const catalogue = await loadCatalogue(CATALOGUE_DIRECTORY, tag, clientCatalogueTags);
  if (request !== state.catalogueRequest) return; // a later choice won
  state.catalogue = catalogue;
  setDocumentLanguage(catalogue.tag, directionFor(catalogue.tag));
  catalogue.apply(document);
}

// ---- Choosing a language and a home municipality ----

function renderLanguages() {
  const buttons = state.languages.map((language) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'language-button';
    button.lang = language.tag;
    button.dir = language.dir;
    button.dataset.language = language.tag;
    button.dataset.testid = `language-${language.tag}`;
    button.textContent = language.autonym;
    button.setAttribute('aria-pressed', String(language.tag === state.chosenLanguage?.tag));
    button.addEventListener('click', () => chooseLanguage(language));
    item.append(button);
    return item;
  });
  elements.languageList.replaceChildren(...buttons);
}

function renderMunicipalities() {
  const previous = elements.homeSelect.value;
  const unknownOption = document.createElement('option');
  unknownOption.value = 'unknown';
  unknownOption.dataset.i18n = 'choose.home_unknown';
  const municipalityOptions = state.municipalities.map((municipality) => {
    const option = document.createElement('option');
    option.value = municipality.code;
    option.textContent = municipality.name;
    return option;
  });
  const otherOption = document.createElement('option');
  otherOption.value = 'other';
  otherOption.dataset.i18n = 'choose.home_other';
  elements.homeSelect.replaceChildren(unknownOption, ...municipalityOptions, otherOption);
  state.catalogue.apply(elements.homeSelect.parentElement);
  const stillOffered = [...elements.homeSelect.options].some((option) => option.value === previous);
  elements.homeSelect.value = stillOffered ? previous : 'unknown';
}

async function chooseLanguage(language) {
  state.chosenLanguage = language;
  for (const button of elements.languageList.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === language.tag));
  }
  clearError();
  await useInterfaceLanguage(language.tag);
  // The rest of the form is now in the person's language; take them there (on a phone it
  // is below a long list of languages).
  elements.homeSelect.focus();
}

function sendRequest(event) {
  event.preventDefault();
  clearError();
  if (!state.chosenLanguage) {
    showError('choose.pick_language_first');
    elements.languageList.querySelector('button')?.focus();
    return;
  }
  state.requestId = connection.nextId('r');
  const request = { type: 'request', id: state.requestId, language: state.chosenLanguage.tag };
  // Leaving `home` out means unknown, so "I'd rather not say" sends nothing at all.
  if (elements.homeSelect.value !== 'unknown') request.home = elements.homeSelect.value;
  if (!connection.send(request)) {
    showError('connection.lost');
    return;
  }
  state.catalogue.fill(elements.queuePosition, 'waiting.asking');
  elements.queueNobody.hidden = true;
  showScreen('waiting');
  elements.stopWaitingButton.focus();
}

// ---- Waiting ----

function onQueued(message) {
  if (message.request !== state.requestId) return;
  const { catalogue } = state;
  if (message.position <= 1) {
    catalogue.fill(elements.queuePosition, 'waiting.position_next');
  } else {
    catalogue.fill(elements.queuePosition, 'waiting.position', { position: message.position });
  }
  elements.queuePosition.dataset.position = String(message.position);
  // Say honestly that nobody speaking the language is working now, rather than letting the
  // person wait without knowing.
  if (message.advisors_signed_in === 0) {
    catalogue.fill(elements.queueNobody, 'waiting.nobody', {
      language: state.chosenLanguage?.autonym ?? message.language,
    });
    elements.queueNobody.hidden = false;
  } else {
    elements.queueNobody.hidden = true;
  }
}

function stopWaiting() {
  // PROTOCOL.md has no "cancel request": leaving the queue means closing the connection.
  state.requestId = null;
  connection.close();
}

// ---- Conversation ----

function onConversationStarted(message) {
  if (message.request !== undefined && message.request !== state.requestId) return;
  state.conversation = { id: message.conversation, ended: false };
  state.lastSeenSeq = 0;
  state.pendingMessages.clear();
  elements.chatLog.replaceChildren();
  elements.chatLog.lang = state.chosenLanguage?.tag ?? message.language;
  elements.messageInput.lang = elements.chatLog.lang;
  elements.messageInput.dir = directionFor(elements.chatLog.lang);
  const names = {
    advisor: message.advisor?.name ?? '',
    point: message.advisor?.point_name ?? '',
  };
  state.catalogue.fill(elements.advisorInfo, 'chat.advisor_answers', names);
  elements.messageForm.hidden = false;
  elements.endButton.hidden = false;
  elements.endButton.disabled = false;
  elements.endedPanel.hidden = true;
  clearError();
  showScreen('chat');
  announce(state.catalogue.t('chat.advisor_answers', names));
  elements.messageInput.focus();
}

function isCurrentConversation(message) {
  return state.conversation !== null && message.conversation === state.conversation.id;
}

function sendMessage(event) {
  event.preventDefault();
  if (!state.conversation || state.conversation.ended) return;
  const text = elements.messageInput.value;
  if (text.trim() === '') {
    showError('error.empty_message');
    return;
  }
  if (utf8Length(text) > state.maxTextBytes) {
    showError('error.message_too_long');
    return;
  }
  clearError();
  const id = connection.nextId('m');
  const item = createMessageItem({
    own: true,
    author: state.catalogue.t('chat.you'),
    text,
    time: new Date(),
    locale: state.catalogue.tag,
    messageId: id,
  });
  const sent = connection.send({ type: 'message', id, conversation: state.conversation.id, text });
  setDeliveryState(item, sent ? 'sending' : 'not_sent', state.catalogue);
  if (sent) state.pendingMessages.set(id, item);
  appendToLog(elements.chatLog, item);
  elements.messageInput.value = '';
  elements.messageInput.focus();
}

function onAccepted(message) {
  const item = state.pendingMessages.get(message.id);
  if (!item) return;
  state.pendingMessages.delete(message.id);
  item.dataset.seq = String(message.seq);
  setDeliveryState(item, 'delivered', state.catalogue);
}

function onMessage(message) {
  if (!isCurrentConversation(message)) return;
  // Acknowledge everything received, even a repeat, so the server can stop resending it.
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.from === 'client') return; // our own message, already shown when sent
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  const item = createMessageItem({
    own: false,
    author: message.author || state.catalogue.t('chat.advisor'),
    text: message.text,
    time: message.sent_at ? new Date(message.sent_at) : new Date(),
    locale: state.catalogue.tag,
    seq: message.seq,
  });
  appendToLog(elements.chatLog, item);
}

function endConversation() {
  if (!state.conversation || state.conversation.ended) return;
  elements.endButton.disabled = true;
  connection.send({ type: 'end', id: connection.nextId('e'), conversation: state.conversation.id });
}

// Shows the end in the log (announced by the live region) and offers a new start.
function finishConversation(reason) {
  if (!state.conversation || state.conversation.ended) return;
  state.conversation.ended = true;
  for (const item of state.pendingMessages.values()) {
    setDeliveryState(item, 'not_sent', state.catalogue);
  }
  state.pendingMessages.clear();
  const key = endedMessageKeys[reason] ?? 'ended.generic';
  appendToLog(elements.chatLog, createSystemNote(state.catalogue.t(key), 'ended-text'));
  const composerHadFocus = elements.screens.chat.contains(document.activeElement);
  elements.messageForm.hidden = true;
  elements.endButton.hidden = true;
  elements.endedPanel.hidden = false;
  if (composerHadFocus) elements.startAgainButton.focus();
}

function onConversationEnded(message) {
  if (!isCurrentConversation(message)) return;
  finishConversation(message.reason);
}

// Back to the first screen with the same language chosen. The old messages are removed from
// the page: on a library kiosk the next person must not read them.
function startAgain() {
  state.conversation = null;
  state.requestId = null;
  state.pendingMessages.clear();
  elements.chatLog.replaceChildren();
  elements.advisorInfo.replaceChildren();
  elements.messageInput.value = '';
  clearError();
  if (connection.isOpen) {
    showScreen('choose');
    const chosenButton = elements.languageList.querySelector('[aria-pressed="true"]');
    (chosenButton ?? elements.languageList.querySelector('button'))?.focus();
  } else {
    showScreen('connecting');
    connection.connect();
  }
}

// ---- Server messages ----

function onWelcome(message) {
  state.languages = Array.isArray(message.languages) ? message.languages : [];
  state.municipalities = Array.isArray(message.municipalities) ? message.municipalities : [];
  state.maxTextBytes = message.limits?.max_text_bytes ?? state.maxTextBytes;
  if (state.chosenLanguage) {
    state.chosenLanguage =
      state.languages.find((language) => language.tag === state.chosenLanguage.tag) ?? null;
  }
  renderLanguages();
  renderMunicipalities();
  // The direction of the interface language may only now be known from the server.
  setDocumentLanguage(state.catalogue.tag, directionFor(state.catalogue.tag));
  showScreen('choose');
}

function onError(message) {
  const key = errorMessageKeys[message.code] ?? 'error.generic';
  showError(key);
  if (message.ref && state.pendingMessages.has(message.ref)) {
    setDeliveryState(state.pendingMessages.get(message.ref), 'not_sent', state.catalogue);
    state.pendingMessages.delete(message.ref);
  }
  // A refused request: back to choosing, so the person can pick again.
  if (message.ref && message.ref === state.requestId && message.code !== 'already_requested') {
    state.requestId = null;
    showScreen('choose');
  }
  if (message.code === 'not_in_conversation' && state.conversation) {
    finishConversation('unknown');
  }
}

function onClose({ code, onPurpose }) {
  if (onPurpose) {
    // "Stop waiting": start over on a fresh connection.
    showScreen('connecting');
    connection.connect();
    return;
  }
  const key = code === 1001 ? 'connection.server_closing' : 'connection.lost';
  if (state.conversation && !state.conversation.ended) {
    // The server ends a conversation whose client is gone; say so where the person reads.
    finishConversation('client_disconnected');
    showError(key);
    return;
  }
  if (state.conversation) return; // already ended; "Start again" reconnects
  state.requestId = null;
  state.catalogue.fill(elements.disconnectedText, key);
  showScreen('disconnected');
}

// ---- Start ----

function bindEvents() {
  elements.requestForm.addEventListener('submit', sendRequest);
  elements.stopWaitingButton.addEventListener('click', stopWaiting);
  elements.messageForm.addEventListener('submit', sendMessage);
  elements.messageInput.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter makes a new line. Not while an input method (Chinese, for
    // example) is still composing: there Enter confirms the characters.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      elements.messageForm.requestSubmit();
    }
  });
  elements.endButton.addEventListener('click', endConversation);
  elements.startAgainButton.addEventListener('click', startAgain);
  elements.reconnectButton.addEventListener('click', () => {
    clearError();
    showScreen('connecting');
    connection.connect();
  });

  connection
    .on('welcome', onWelcome)
    .on('queued', onQueued)
    .on('conversation_started', onConversationStarted)
    .on('message', onMessage)
    .on('accepted', onAccepted)
    .on('conversation_ended', onConversationEnded)
    .on('error', onError)
    .onClose(onClose);
}

async function start() {
  bindEvents();
  await useInterfaceLanguage(pickCatalogueTag(navigator.languages ?? [], clientCatalogueTags));
  connection.connect();
}

start();
