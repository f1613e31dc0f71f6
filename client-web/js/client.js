// The anonymous client's page: choose a language (and optionally a home municipality and other
// languages the person can use), wait for an advisor who speaks it, chat, end. While waiting the
// page shows the queue position and estimated wait and, when nobody can serve the language, the
// honest alternatives. Nothing that identifies the person is asked or kept.

import { Connection } from './connection.js';
import { ReconnectNotice } from './reconnect-notice.js';
import {
  clientCatalogueTags, directionOf, loadCatalogue, pickCatalogueTag, setDocumentLanguage,
} from './i18n.js';
import { ChatPane, sendOnEnter } from './chat-pane.js';
import {
  alsoSpeaksAfterSwitch, autonymNode as autonymOf, clearAlsoSpeaks, languageByTag as languageOf,
  markChosenLanguage, renderAlsoSpeaksChoices, renderLanguageButtons,
} from './language-picker.js';
import {
  disableAlternatives, renderAlternativesPanel, renderQueuePosition, resetQueueView,
} from './queue-view.js';
import { requestFromForm, sendRequestMessage } from './request.js';
import { createRating } from './rating.js';
import { createKiosk, kioskSettings } from './kiosk.js';
import { TypingIndicator, TypingSignal } from './typing.js';

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
  too_many_attempts: 'error.too_many_attempts',
};

// Errors that are part of the normal flow and handled where they happen, without an alert:
// a message refused while the advisor reconnects is kept and resent; a cancel that came too
// late (the request had just closed or started a conversation) needs nothing.
const quietErrorCodes = new Set(['advisor_unavailable', 'unknown_request']);

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
  alsoSpeaks: byId('also-speaks'),
  alsoSpeaksList: byId('also-speaks-list'),
  requeuedNotice: byId('requeued-notice'),
  waitingLanguage: byId('waiting-language'),
  queuePosition: byId('queue-position'),
  queueEstimate: byId('queue-estimate'),
  queueNobody: byId('queue-nobody'),
  alternativesPanel: byId('alternatives-panel'),
  alternativesReason: byId('alternatives-reason'),
  alternativesNext: byId('alternatives-next'),
  alternativesIntro: byId('alternatives-intro'),
  alternativesList: byId('alternatives-list'),
  keepWaitingButton: byId('keep-waiting-button'),
  stopWaitingButton: byId('stop-waiting-button'),
  advisorInfo: byId('advisor-info'),
  advisorConnectionNotice: byId('advisor-connection-notice'),
  connectionNotice: byId('connection-notice'),
  handoverWaitNotice: byId('handover-wait-notice'),
  chatLog: byId('chat-log'),
  typingIndicator: byId('typing-indicator'),
  messageForm: byId('message-form'),
  messageInput: byId('message-input'),
  endButton: byId('end-button'),
  endedPanel: byId('ended-panel'),
  startAgainButton: byId('start-again-button'),
  joinSection: byId('join-section'),
  joinOpenButton: byId('join-open-button'),
  joinForm: byId('join-form'),
  codeInput: byId('code-input'),
  codeError: byId('code-error'),
  joinButton: byId('join-button'),
  joinCancelButton: byId('join-cancel-button'),
  kiosk: {
    bar: byId('kiosk-bar'),
    clearButton: byId('kiosk-clear-button'),
    notice: byId('kiosk-notice'),
    noticeText: byId('kiosk-notice-text'),
    continueButton: byId('kiosk-continue-button'),
  },
};

const state = {
  catalogue: null,
  catalogueRequest: 0,
  languages: [],
  municipalities: [],
  maxTextBytes: 4000,
  chosenLanguage: null, // { tag, autonym, dir } from welcome
  requestId: null,
  request: null, // the last `request` sent: { language, home, also_speaks }
  cancelId: null, // id of a `cancel` sent and not yet answered
  switchTo: null, // language tag to request once the current request is closed
  lastQueued: null, // the last `queued` for the current request, redrawn on a language change
  alternatives: null, // the last `alternatives` for the current request
  dismissedAlternatives: new Set(), // reasons the person answered with "Keep waiting"
  // { id, ended, advisorReconnecting, lead: { name, point_name } of the advisor answering,
  //   waitingForAdvisor: handed to a language's queue, with its position (PROTOCOL.md) }
  conversation: null,
  lastSeenSeq: 0,
  resumedConversation: null, // resumed into: its conversation_started is not a new one
  joinId: null, // id of a `join` sent and not yet answered
  codeErrorKey: null, // the sentence under the code field, redrawn on a language change
  screen: 'connecting',
};

// After a drop (a phone changing cells) the page comes back by itself and continues where it
// was, as long as it was waiting or talking.
const connection = new Connection('/ws/client', {
  resumable: true,
  worthResuming: () => (state.conversation !== null && !state.conversation.ended) ||
    (state.conversation === null && state.requestId !== null),
  lastSeq: () => state.lastSeenSeq,
});
const rating = createRating(elements.endedPanel, {
  catalogue: () => state.catalogue,
  send: (conversation, value) => {
    const id = connection.nextId('f');
    return connection.send({ type: 'rate', id, conversation, rating: value }) ? id : null;
  },
});
// A shared terminal (index.html?kiosk=1): the page forgets each person when they are done or
// have gone (kiosk.js). Null on an ordinary browser.
const kioskOptions = kioskSettings(location.search);
const kiosk = kioskOptions && createKiosk(kioskOptions, {
  elements: elements.kiosk,
  catalogue: () => state.catalogue,
  inUse: () => state.chosenLanguage !== null || state.screen === 'waiting' ||
    state.screen === 'chat',
  leave: leaveForKiosk,
});
// Messages on their way, and those refused while nobody could read them (sent again later).
const chat = new ChatPane(connection, elements.chatLog, () => state.catalogue);
// "Aino is typing…" both ways (PROTOCOL.md, `typing`).
const typingSignal = new TypingSignal(connection);
const typingIndicator = new TypingIndicator(elements.typingIndicator, () => state.catalogue);
const reconnectNotice = new ReconnectNotice(elements.connectionNotice, {
  announce, catalogue: () => state.catalogue, chat, typingIndicator,
});

// ---- Screens, alerts ----

function showScreen(name) {
  state.screen = name;
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
  kiosk?.refresh();
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
  renderQueued();
  renderAlternatives();
  renderLead();
  renderCodeError();
  typingIndicator.render();
}

// ---- Choosing a language and a home municipality ----

function renderLanguages() {
  renderLanguageButtons(elements.languageList, state.languages, state.chosenLanguage?.tag,
    chooseLanguage);
  renderAlsoSpeaksChoices(elements.alsoSpeaksList, state.languages, state.chosenLanguage?.tag);
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
  const abroadOption = document.createElement('option');
  abroadOption.value = 'abroad';
  abroadOption.dataset.i18n = 'choose.home_abroad';
  elements.homeSelect.replaceChildren(unknownOption, ...municipalityOptions, otherOption,
    abroadOption);
  state.catalogue.apply(elements.homeSelect.parentElement);
  const stillOffered = [...elements.homeSelect.options].some((option) => option.value === previous);
  elements.homeSelect.value = stillOffered ? previous : 'unknown';
}

async function chooseLanguage(language) {
  state.chosenLanguage = language;
  markChosenLanguage(elements.languageList, elements.alsoSpeaksList, language.tag);
  clearError();
  await useInterfaceLanguage(language.tag);
  elements.joinSection.hidden = false;
  kiosk?.refresh();
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
  // Leaving `home` out means unknown, so "I'd rather not say" sends nothing at all.
  const request = requestFromForm(state.chosenLanguage.tag, elements.alsoSpeaksList,
    elements.homeSelect);
  if (!requestAdvisor(request)) {
    showError('connection.lost');
    return;
  }
  showScreen('waiting');
  elements.stopWaitingButton.focus();
}

// Sends a `request` and resets the waiting screen for it. Returns false when it did not leave.
function requestAdvisor({ language, home, also_speaks: alsoSpeaks }) {
  const id = sendRequestMessage(connection, { language, home, also_speaks: alsoSpeaks });
  if (id === null) return false;
  state.requestId = id;
  state.request = { language, home, also_speaks: alsoSpeaks };
  state.cancelId = null;
  state.switchTo = null;
  state.lastQueued = null;
  state.alternatives = null;
  state.dismissedAlternatives.clear();
  resetQueueView(elements, state.catalogue, language, autonymNode);
  elements.stopWaitingButton.disabled = false;
  return true;
}

// ---- Joining a service desk's chat with the clerk's code (PROTOCOL.md, `join`) ----

// The code as typed: spaces and dashes (the desk shows it in two groups) left out, capitals
// or not. Null when it cannot be a code.
function normaliseCode(typed) {
  const code = typed.trim().replace(/[\s-]+/g, '').toUpperCase();
  return /^[A-Z0-9]{8}$/.test(code) ? code : null;
}

function showCodeError(key) {
  state.codeErrorKey = key;
  renderCodeError();
  elements.codeInput.setAttribute('aria-invalid', key ? 'true' : 'false');
}

function renderCodeError() {
  if (state.codeErrorKey) state.catalogue.fill(elements.codeError, state.codeErrorKey);
  else elements.codeError.textContent = '';
}

function openJoinForm() {
  const open = elements.joinForm.hidden;
  elements.joinForm.hidden = !open;
  elements.joinOpenButton.setAttribute('aria-expanded', String(open));
  if (open) elements.codeInput.focus();
}

function closeJoinForm() {
  elements.joinForm.hidden = true;
  elements.joinOpenButton.setAttribute('aria-expanded', 'false');
  elements.codeInput.value = '';
  elements.joinButton.disabled = false;
  state.joinId = null;
  showCodeError(null);
}

function sendJoin(event) {
  event.preventDefault();
  clearError();
  if (state.joinId) return;
  const code = normaliseCode(elements.codeInput.value);
  if (!code) {
    showCodeError('join.code_invalid');
    elements.codeInput.focus();
    return;
  }
  const id = connection.nextId('j');
  if (!connection.send({ type: 'join', id, code })) {
    showError('connection.lost');
    return;
  }
  showCodeError(null);
  state.joinId = id;
  elements.joinButton.disabled = true;
}

// A wrong, used or expired code: say so next to the field and let the person try again.
function joinRefused(message) {
  state.joinId = null;
  elements.joinButton.disabled = false;
  showCodeError(message.code === 'unknown_code' ? 'error.unknown_code' :
    errorMessageKeys[message.code] ?? 'error.generic');
  elements.codeInput.focus();
  elements.codeInput.select();
}

// `customer_joined` and `customer_left` tell the others about this page; nothing to show here.
function onCustomerEvent(message) {
  if (!isCurrentConversation(message)) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq > state.lastSeenSeq) state.lastSeenSeq = message.seq;
}

// ---- Waiting ----

const languageByTag = (tag) => languageOf(state.languages, tag);
const autonymNode = (tag) => autonymOf(state.languages, tag);

function onQueued(message) {
  if (message.request !== state.requestId) return;
  // Handed to a language's queue by the advisor: the conversation goes on, waiting for the
  // next advisor, and its history stays on screen.
  if (state.conversation && !state.conversation.ended) {
    const wasWaiting = state.conversation.waitingForAdvisor !== null;
    state.conversation.waitingForAdvisor = { position: message.position };
    renderLead();
    if (!wasWaiting) announce(elements.advisorInfo.textContent);
    return;
  }
  // The advisor's connection was lost for good: the server ended the conversation and put the
  // person back at the head of the queue with the same request. Say so on the waiting screen.
  if (state.conversation) {
    finishConversation('advisor_disconnected');
    leaveConversation();
    elements.requeuedNotice.hidden = false;
    elements.alternativesPanel.hidden = true;
    elements.stopWaitingButton.disabled = false;
    showScreen('waiting');
    announce(state.catalogue.t('waiting.requeued'));
    elements.stopWaitingButton.focus();
  }
  state.lastQueued = message;
  renderQueued();
  // Someone now speaks the language: "nobody is online" would no longer be true.
  if (message.advisors_signed_in > 0 && state.alternatives?.reason === 'nobody_signed_in') {
    elements.alternativesPanel.hidden = true;
    renderQueued();
  }
}

function renderQueued() {
  const message = state.lastQueued;
  if (!message) return;
  renderQueuePosition(elements, state.catalogue, message,
    { alternatives: state.alternatives, autonym: autonymNode });
}

// ---- Alternatives: nobody can serve the language now, or the wait has been long ----

function onAlternatives(message) {
  if (message.request !== state.requestId || state.conversation) return;
  const reasonChanged = state.alternatives?.reason !== message.reason;
  state.alternatives = message;
  renderAlternatives();
  // "Keep waiting" hides the panel until something new is to be said.
  if (state.dismissedAlternatives.has(message.reason)) return;
  const wasHidden = elements.alternativesPanel.hidden;
  elements.alternativesPanel.hidden = false;
  renderQueued();
  if (wasHidden || reasonChanged) announce(elements.alternativesReason.textContent);
}

function renderAlternatives() {
  const message = state.alternatives;
  if (!message) return;
  renderAlternativesPanel(elements, state.catalogue, message, {
    autonym: autonymNode, disabled: state.cancelId !== null, onUse: switchLanguage,
  });
}

function keepWaiting() {
  if (state.alternatives) state.dismissedAlternatives.add(state.alternatives.reason);
  elements.alternativesPanel.hidden = true;
  renderQueued();
  elements.stopWaitingButton.focus();
}

// "Use LANGUAGE instead": leave this queue, then ask again in the other language once the
// server has closed the first request (one request at a time).
function switchLanguage(tag) {
  if (!state.requestId || state.cancelId) return;
  if (!cancelRequest()) return;
  state.switchTo = tag;
}

// Sends `cancel` for the current request; the screen changes on `request_closed`.
function cancelRequest() {
  const id = connection.nextId('x');
  if (!connection.send({ type: 'cancel', id, request: state.requestId })) return false;
  state.cancelId = id;
  elements.stopWaitingButton.disabled = true;
  disableAlternatives(elements);
  return true;
}

function stopWaiting() {
  state.switchTo = null;
  if (state.requestId && cancelRequest()) return;
  // Not connected (or nothing to cancel): start over on a fresh connection.
  state.requestId = null;
  connection.close();
}

function onRequestClosed(message) {
  if (message.request !== state.requestId) return;
  const switchTo = state.switchTo;
  const previous = state.request;
  state.requestId = null;
  state.cancelId = null;
  state.switchTo = null;
  state.alternatives = null;
  elements.requeuedNotice.hidden = true;
  if (switchTo && previous) {
    // The language first asked for is one the person can use too.
    const alsoSpeaks = alsoSpeaksAfterSwitch(previous, switchTo);
    state.chosenLanguage = languageByTag(switchTo);
    if (requestAdvisor({ language: switchTo, home: previous.home, also_speaks: alsoSpeaks })) {
      announce(state.catalogue.t('alternatives.switched', { language: state.chosenLanguage.autonym }));
      elements.stopWaitingButton.focus();
      return;
    }
    showError('connection.lost');
  }
  backToChoosing();
}

function backToChoosing() {
  renderLanguages();
  elements.stopWaitingButton.disabled = false;
  showScreen('choose');
  const chosenButton = elements.languageList.querySelector('[aria-pressed="true"]');
  (chosenButton ?? elements.languageList.querySelector('button'))?.focus();
}

// ---- Conversation ----

function onConversationStarted(message) {
  if (message.request !== undefined && message.request !== state.requestId) return;
  if (isCurrentConversation(message) && !state.conversation.ended) {
    if (state.resumedConversation === message.conversation) {
      // The same conversation after our own connection came back: what we missed follows.
      state.resumedConversation = null;
      state.conversation.lead = message.advisor ?? state.conversation.lead;
      renderLead();
      resendHeldMessages();
      return;
    }
    // The same conversation, now answered by the next advisor (after a transfer to a queue).
    newLead(message.advisor, 'chat.advisor_took_over');
    return;
  }
  const joined = message.request === undefined && state.joinId !== null;
  state.conversation = {
    id: message.conversation,
    joined, // with a service desk's code: the clerk is in the conversation too
    ended: false,
    advisorReconnecting: false,
    lead: message.advisor ?? {},
    waitingForAdvisor: null,
  };
  state.cancelId = null;
  state.switchTo = null;
  state.alternatives = null;
  state.lastSeenSeq = 0;
  chat.clear();
  typingIndicator.clear();
  typingSignal.reset();
  closeJoinForm();
  elements.requeuedNotice.hidden = true;
  elements.advisorConnectionNotice.hidden = true;
  elements.chatLog.lang = state.chosenLanguage?.tag ?? message.language;
  elements.messageInput.lang = elements.chatLog.lang;
  elements.messageInput.dir = directionFor(elements.chatLog.lang);
  const names = {
    advisor: message.advisor?.name ?? '',
    point: message.advisor?.point_name ?? '',
  };
  renderLead();
  elements.messageForm.hidden = false;
  elements.endButton.hidden = false;
  elements.endButton.disabled = false;
  elements.endedPanel.hidden = true;
  clearError();
  showScreen('chat');
  announce(state.catalogue.t('chat.advisor_answers', names));
  elements.messageInput.focus();
}

// The header says who answers now (the lead), or that the conversation waits for the next one.
function renderLead() {
  const conversation = state.conversation;
  if (!conversation || !state.catalogue) return;
  const waiting = conversation.waitingForAdvisor;
  elements.handoverWaitNotice.hidden = conversation.ended || !waiting;
  if (waiting && !conversation.ended) {
    state.catalogue.fill(elements.advisorInfo, 'chat.waiting_next', { position: waiting.position });
    elements.advisorInfo.dataset.waiting = 'true';
    return;
  }
  delete elements.advisorInfo.dataset.waiting;
  if (conversation.ended && elements.advisorInfo.childNodes.length === 0) return;
  state.catalogue.fill(elements.advisorInfo, 'chat.advisor_answers', {
    advisor: conversation.lead?.name ?? '',
    point: conversation.lead?.point_name ?? conversation.lead?.point ?? '',
  });
}

// "Arabic, Persian and Finnish" by autonym, joined the interface language's way.
function languageListNode(tags) {
  const node = document.createElement('span');
  const names = tags.map((tag) => languageByTag(tag).autonym);
  let parts;
  try {
    parts = new Intl.ListFormat(state.catalogue.tag, { type: 'conjunction' }).formatToParts(names);
  } catch {
    parts = names.flatMap((name, index) =>
      (index === 0 ? [] : [{ type: 'literal', value: ', ' }]).concat({ type: 'element', value: name }));
  }
  let index = 0;
  for (const part of parts) {
    if (part.type === 'element') node.append(autonymNode(tags[index++]));
    else node.append(part.value);
  }
  return node;
}

function addTeamNote(key, params, testId) {
  const note = chat.addNote(key, params, testId);
  announce(note.textContent);
  return note;
}

function newLead(advisor, key) {
  const conversation = state.conversation;
  conversation.lead = advisor ?? {};
  conversation.waitingForAdvisor = null;
  addTeamNote(key, {
    advisor: advisor?.name ?? '',
    point: advisor?.point_name ?? advisor?.point ?? '',
  }, 'advisor-joined');
  renderLead();
  // Messages refused while nobody answered are sent now.
  if (!conversation.advisorReconnecting) resendHeldMessages();
}

function onAdvisorJoined(message) {
  if (!isCurrentConversation(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  const advisor = message.advisor ?? {};
  if (message.role === 'lead') {
    newLead(advisor, message.via === 'transfer' ? 'chat.advisor_handed' : 'chat.advisor_took_over');
  } else {
    addTeamNote('chat.advisor_joined', {
      advisor: advisor.name ?? '',
      point: advisor.point_name ?? advisor.point ?? '',
      languages: languageListNode(advisor.languages ?? []),
    }, 'advisor-joined');
    if (state.conversation.waitingForAdvisor) resendHeldMessages();
  }
  elements.chatLog.lastElementChild.dataset.via = message.via ?? '';
}

function onAdvisorLeft(message) {
  if (!isCurrentConversation(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  const note = addTeamNote('chat.advisor_left', { advisor: message.advisor?.name ?? '' },
    'advisor-left');
  note.dataset.reason = message.reason ?? '';
}

function isCurrentConversation(message) {
  return state.conversation !== null && message.conversation === state.conversation.id;
}

function sendMessage(event) {
  event.preventDefault();
  if (!state.conversation || state.conversation.ended) return;
  const text = elements.messageInput.value;
  const refusal = ChatPane.refusal(text, state.maxTextBytes);
  if (refusal) {
    showError(refusal);
    return;
  }
  clearError();
  // While the advisor reconnects it would be refused; it is kept and sent when they are back.
  chat.write(state.conversation.id, text,
    { hold: state.conversation.advisorReconnecting || connection.resuming });
  typingSignal.reset();
  elements.messageInput.value = '';
  elements.messageInput.focus();
}

// Sends the held messages again, oldest first, with their own ids (the server stores a repeat
// only once). After a transfer to a queue they may be refused again until an advisor answers;
// they are held again then.
function resendHeldMessages() {
  if (!state.conversation || state.conversation.ended) return;
  chat.resendHeld(state.conversation.id);
}

function onAdvisorConnection(message) {
  if (!isCurrentConversation(message) || state.conversation.ended) return;
  if (message.status === 'reconnecting') {
    state.conversation.advisorReconnecting = true;
    elements.advisorConnectionNotice.hidden = false;
    announce(state.catalogue.t('chat.advisor_reconnecting'));
  } else if (message.status === 'back') {
    state.conversation.advisorReconnecting = false;
    elements.advisorConnectionNotice.hidden = true;
    announce(state.catalogue.t('chat.advisor_back'));
    resendHeldMessages();
  }
}

// The person writes: the advisors see that they are typing (at most every 3 s, not for an empty
// text, only while the conversation is open).
function onComposerInput() {
  if (!state.conversation || state.conversation.ended) return;
  typingSignal.onInput(state.conversation.id, elements.messageInput.value);
}

// An advisor (or, for a customer who joined with a code, the service desk) is typing.
function onTyping(message) {
  if (!isCurrentConversation(message) || state.conversation.ended) return;
  if (message.from === 'advisor') {
    typingIndicator.show('advisor', 'chat.typing_advisor', {
      advisor: message.name || state.catalogue.t('chat.advisor'),
    });
  } else {
    typingIndicator.show('client', 'chat.typing_desk');
  }
}

function onMessage(message) {
  if (!isCurrentConversation(message)) return;
  // Acknowledge everything received, even a repeat, so the server can stop resending it.
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (chat.isOwn(message)) return; // our own message, already shown when sent
  typingIndicator.clearFrom(message.from);
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  // `from` `client` and not ours: the clerk of the service desk the person joined from.
  chat.showOther(message, message.from === 'client' ? { authorKey: 'chat.service_desk' } : {});
}

function endConversation() {
  if (!state.conversation || state.conversation.ended) return;
  elements.endButton.disabled = true;
  connection.send({ type: 'end', id: connection.nextId('e'), conversation: state.conversation.id });
}

// Shows the end in the log (announced by the live region) and offers a new start.
// `rateable`: false when the server no longer knows this page as the conversation's client (the
// connection was lost for good), so a rating could not reach it.
function finishConversation(reason, { rateable = true } = {}) {
  if (!state.conversation || state.conversation.ended) return;
  state.conversation.ended = true;
  chat.failAll();
  typingIndicator.clear();
  elements.advisorConnectionNotice.hidden = true;
  elements.handoverWaitNotice.hidden = true;
  const key = endedMessageKeys[reason] ?? 'ended.generic';
  chat.addEndNote(state.catalogue.t(key));
  const composerHadFocus = elements.screens.chat.contains(document.activeElement);
  elements.messageForm.hidden = true;
  elements.endButton.hidden = true;
  elements.endedPanel.hidden = false;
  // A customer who joined with a service desk's code is not the one who asked: the clerk rates.
  if (!state.conversation.joined && rateable) rating.offer(state.conversation.id);
  if (composerHadFocus) elements.startAgainButton.focus();
}

function onConversationEnded(message) {
  if (!isCurrentConversation(message)) return;
  // Confirmed, so that the server need not keep it for a resume.
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq > state.lastSeenSeq) state.lastSeenSeq = message.seq;
  finishConversation(message.reason);
}

// Forgets the conversation on screen (the person is waiting again): on a library kiosk old
// messages must not stay readable.
function leaveConversation() {
  state.conversation = null;
  rating.clear();
  chat.clear();
  typingIndicator.clear();
  elements.advisorInfo.replaceChildren();
  elements.advisorConnectionNotice.hidden = true;
  elements.handoverWaitNotice.hidden = true;
}

// Before a kiosk wipes itself: a conversation still open is ended (the advisor is told), a
// request still waiting is cancelled, and the socket is closed; the page then reloads.
function leaveForKiosk() {
  const conversation = state.conversation;
  if (conversation && !conversation.ended) {
    connection.send({ type: 'end', id: connection.nextId('e'), conversation: conversation.id });
  } else if (!conversation && state.requestId) {
    connection.send({ type: 'cancel', id: connection.nextId('x'), request: state.requestId });
  }
  connection.close();
}

// Back to the first screen with the same language chosen. The old messages are removed from
// the page: on a library kiosk the next person must not read them. A kiosk starts over from
// nothing instead: the next person does not even find the language chosen.
function startAgain() {
  if (kiosk) {
    kiosk.wipe();
    return;
  }
  leaveConversation();
  // The next person at a kiosk starts from a clean form.
  clearAlsoSpeaks(elements.alsoSpeaksList);
  elements.alsoSpeaks.open = false;
  state.requestId = null;
  state.request = null;
  closeJoinForm();
  elements.requeuedNotice.hidden = true;
  elements.messageInput.value = '';
  clearError();
  if (connection.isOpen) {
    backToChoosing();
  } else {
    showScreen('connecting');
    connection.connect();
  }
}

// ---- Server messages ----

function onWelcome(message) {
  const resuming = connection.resuming;
  state.languages = Array.isArray(message.languages) ? message.languages : [];
  state.municipalities = Array.isArray(message.municipalities) ? message.municipalities : [];
  state.maxTextBytes = message.limits?.max_text_bytes ?? state.maxTextBytes;
  if (state.chosenLanguage) {
    state.chosenLanguage =
      state.languages.find((language) => language.tag === state.chosenLanguage.tag) ?? null;
  }
  renderLanguages();
  renderMunicipalities();
  elements.joinSection.hidden = state.chosenLanguage === null;
  // The direction of the interface language may only now be known from the server.
  setDocumentLanguage(state.catalogue.tag, directionFor(state.catalogue.tag));
  // Back after a drop: the screen stays as it was until the server says what it kept.
  if (!resuming) showScreen('choose');
}

// ---- A dropped connection coming back ----

function onResumed(message) {
  reconnectNotice.back();
  if (message.state === 'conversation' && isCurrentConversation(message)) {
    state.resumedConversation = message.conversation; // its conversation_started follows
  } else if (message.state === 'idle') {
    if (state.conversation && !state.conversation.ended) {
      finishConversation('unknown', { rateable: false });
    } else if (!state.conversation) {
      resumeRefused();
    }
  }
  // "waiting": its `queued` follows; "ended": the missed events up to the end follow.
}

// Too long away: the server has ended the conversation (or the request). Say so plainly.
function resumeRefused() {
  reconnectNotice.hide();
  if (state.conversation && !state.conversation.ended) {
    finishConversation('client_disconnected', { rateable: false });
  } else if (!state.conversation) {
    state.requestId = null;
    backToChoosing();
  }
  showError('connection.expired');
}

function onError(message) {
  if (message.code === 'resume_expired') {
    resumeRefused();
    return;
  }
  if (rating.onError(message)) return;
  // A `typing` (which has no id) that crossed the end of the conversation: nothing to say.
  if (!message.ref && message.code === 'not_in_conversation' &&
      (!state.conversation || state.conversation.ended)) return;
  if (message.ref && message.ref === state.joinId) {
    joinRefused(message);
    return;
  }
  // Too fast: the message is kept and leaves by itself once the server's wait is over.
  if (message.code === 'rate_limited' && state.conversation &&
      chat.holdForRate(message.ref, message.retry_after_ms, state.conversation.id, clearError)) {
    showError('error.rate_limited', { seconds: Math.ceil((message.retry_after_ms ?? 1000) / 1000) });
    return;
  }
  // The advisor is reconnecting (the notice may still be on its way): keep the message.
  if (message.code === 'advisor_unavailable' && chat.holdRefused(message.ref)) {
    // Waiting for the next advisor (a transfer to a queue) is said in the header already.
    if (state.conversation && !state.conversation.ended && !state.conversation.waitingForAdvisor) {
      state.conversation.advisorReconnecting = true;
      elements.advisorConnectionNotice.hidden = false;
    }
    return;
  }
  if (message.ref && message.ref === state.cancelId) {
    // The request was no longer waiting: a conversation has started or the request closed.
    state.cancelId = null;
    state.switchTo = null;
    elements.stopWaitingButton.disabled = false;
    renderAlternatives();
    if (!state.conversation && message.code === 'unknown_request') {
      state.requestId = null;
      backToChoosing();
    }
    if (quietErrorCodes.has(message.code)) return;
  }
  if (quietErrorCodes.has(message.code)) return;
  const key = errorMessageKeys[message.code] ?? 'error.generic';
  showError(key);
  if (message.ref) chat.markRefused(message.ref);
  // A refused request: back to choosing, so the person can pick again.
  if (message.ref && message.ref === state.requestId && message.code !== 'already_requested') {
    state.requestId = null;
    showScreen('choose');
  }
  if (message.code === 'not_in_conversation' && state.conversation) {
    finishConversation('unknown');
  }
}

function onClose({ code, onPurpose, gaveUp }) {
  if (kiosk?.wiping) return; // the page is loading itself again
  reconnectNotice.hide();
  if (onPurpose) {
    // "Stop waiting": start over on a fresh connection.
    showScreen('connecting');
    connection.connect();
    return;
  }
  // 1008: this conversation now goes on on another screen.
  const key = gaveUp ? 'connection.expired' : code === 1001 ? 'connection.server_closing' :
    code === 1008 ? 'connection.replaced' : 'connection.lost';
  if (state.conversation && !state.conversation.ended) {
    // The server ends a conversation whose client is gone; say so where the person reads.
    finishConversation('client_disconnected', { rateable: false });
    showError(key);
    return;
  }
  if (state.conversation) return; // already ended; "Start again" reconnects
  state.requestId = null;
  state.joinId = null;
  elements.joinButton.disabled = false;
  state.catalogue.fill(elements.disconnectedText, key);
  showScreen('disconnected');
}

// ---- Start ----

function bindEvents() {
  elements.requestForm.addEventListener('submit', sendRequest);
  elements.stopWaitingButton.addEventListener('click', stopWaiting);
  elements.keepWaitingButton.addEventListener('click', keepWaiting);
  elements.messageForm.addEventListener('submit', sendMessage);
  sendOnEnter(elements.messageInput, elements.messageForm);
  elements.messageInput.addEventListener('input', onComposerInput);
  elements.endButton.addEventListener('click', endConversation);
  elements.startAgainButton.addEventListener('click', startAgain);
  elements.joinOpenButton.addEventListener('click', openJoinForm);
  elements.joinCancelButton.addEventListener('click', () => {
    closeJoinForm();
    elements.joinOpenButton.focus();
  });
  elements.joinForm.addEventListener('submit', sendJoin);
  elements.reconnectButton.addEventListener('click', () => {
    clearError();
    showScreen('connecting');
    connection.connect();
  });

  connection
    .on('welcome', onWelcome)
    .on('queued', onQueued)
    .on('alternatives', onAlternatives)
    .on('request_closed', onRequestClosed)
    .on('conversation_started', onConversationStarted)
    .on('advisor_connection', onAdvisorConnection)
    .on('advisor_joined', onAdvisorJoined)
    .on('advisor_left', onAdvisorLeft)
    .on('customer_joined', onCustomerEvent)
    .on('customer_left', onCustomerEvent)
    .on('typing', onTyping)
    .on('message', onMessage)
    .on('accepted', (message) => chat.onAccepted(message))
    .on('conversation_ended', onConversationEnded)
    .on('rated', (message) => {
      rating.onRated(message);
      if (message.conversation === state.conversation?.id) kiosk?.afterRating();
    })
    .on('resumed', onResumed)
    .on('error', onError)
    .onReconnecting(() => reconnectNotice.dropped())
    .onClose(onClose);
}

async function start() {
  bindEvents();
  await useInterfaceLanguage(pickCatalogueTag(navigator.languages ?? [], clientCatalogueTags));
  connection.connect();
}

start();
