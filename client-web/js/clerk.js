// The clerk's page (language support, PROTOCOL.md "/ws/clerk"): a public-service clerk signs in,
// chooses the language of the customer sitting at the desk (and optionally the customer's home
// municipality), asks for language support and then chats with the advisor who joins as the
// language supporter; the customer reads along on the same screen. Strings come from
// i18n/clerk/.

import { fetchJson, submitSignIn } from './api.js';
import { ChatPane, sendOnEnter } from './chat-pane.js';
import { TypingIndicator, TypingSignal } from './typing.js';
import { Connection } from './connection.js';
import { ReconnectNotice } from './reconnect-notice.js';
import { formatTime } from './chat-log.js';
import {
  clerkCatalogueTags, directionOf, loadCatalogue, pickCatalogueTag, rememberUiLanguage,
  rememberedUiLanguage, setDocumentLanguage,
} from './i18n.js';
import {
  alsoSpeaksAfterSwitch, autonymNode as autonymOf, clearAlsoSpeaks, languageByTag as languageOf,
  markChosenLanguage, renderAlsoSpeaksChoices, renderLanguageButtons,
} from './language-picker.js';
import {
  disableAlternatives, renderAlternativesPanel, renderQueuePosition, resetQueueView,
} from './queue-view.js';
import { createRating } from './rating.js';
import { requestFromForm, sendRequestMessage } from './request.js';
import { endSession, sessionAccount } from './session.js';

const CATALOGUE_DIRECTORY = 'i18n/clerk';
const UI_LANGUAGE_STORAGE_KEY = 'neuvo.clerk.uiLanguage';

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
    loading: byId('loading-screen'),
    signIn: byId('sign-in-screen'),
    forbidden: byId('forbidden-screen'),
    disconnected: byId('disconnected-screen'),
    request: byId('request-screen'),
    waiting: byId('waiting-screen'),
    chat: byId('chat-screen'),
  },
  signedInAs: byId('signed-in-as'),
  uiLanguageSelect: byId('ui-language-select'),
  signOutButton: byId('sign-out-button'),
  signInForm: byId('sign-in-form'),
  loginInput: byId('login-input'),
  passwordInput: byId('password-input'),
  signInButton: byId('sign-in-button'),
  disconnectedText: byId('disconnected-text'),
  reconnectButton: byId('reconnect-button'),
  requestForm: byId('request-form'),
  languageList: byId('language-list'),
  homeSelect: byId('home-select'),
  alsoSpeaks: byId('also-speaks'),
  alsoSpeaksList: byId('also-speaks-list'),
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
  cancelButton: byId('cancel-button'),
  supporterInfo: byId('supporter-info'),
  supporterNotice: byId('supporter-notice'),
  connectionNotice: byId('connection-notice'),
  chatLog: byId('chat-log'),
  typingIndicator: byId('typing-indicator'),
  messageForm: byId('message-form'),
  messageInput: byId('message-input'),
  endButton: byId('end-button'),
  kioskPanel: byId('kiosk-panel'),
  customerCodeButton: byId('customer-code-button'),
  customerCodeBox: byId('customer-code-box'),
  customerCode: byId('customer-code'),
  customerCodeExpiry: byId('customer-code-expiry'),
  endedPanel: byId('ended-panel'),
  newRequestButton: byId('new-request-button'),
};

const state = {
  catalogue: null,
  account: null, // from sign-in or /api/session: name, role, organisation
  organisation: null, // from the clerk `welcome`
  languages: [],
  municipalities: [],
  maxTextBytes: 4000,
  chosenLanguage: null,
  requestId: null,
  request: null,
  cancelId: null,
  switchTo: null,
  lastQueued: null,
  alternatives: null,
  dismissedAlternatives: new Set(),
  conversation: null, // { id, ended, lead, waitingForAdvisor, reconnecting }
  lastSeenSeq: 0,
  // The last `customer_code` asked for ({ id }) or answered ({ id, code, expiresAt }); the
  // customer joining from a kiosk uses it once.
  customerCode: null,
  customerJoined: false,
  error: null,
  resumedConversation: null, // resumed into: its conversation_started is not a new one
};

// A dropped connection (the desk's network blinking) comes back by itself and continues where
// the clerk was, as long as a request waits or a chat is open (PROTOCOL.md, resuming).
const connection = new Connection('/ws/clerk', {
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
const chat = new ChatPane(connection, elements.chatLog, () => state.catalogue);
// "Aino is typing…" both ways (PROTOCOL.md, `typing`).
const typingSignal = new TypingSignal(connection);
const typingIndicator = new TypingIndicator(elements.typingIndicator, () => state.catalogue);
const reconnectNotice = new ReconnectNotice(elements.connectionNotice, {
  announce, catalogue: () => state.catalogue, chat, typingIndicator,
});

// ---- Screens, alerts, language ----

function showScreen(name) {
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
  const signedIn = state.account !== null && name !== 'signIn';
  elements.signOutButton.hidden = !signedIn;
  elements.signedInAs.hidden = !signedIn;
}

function showError(key, params) {
  state.error = { key, params };
  elements.error.textContent = state.catalogue.t(key, params);
}

function clearError() {
  state.error = null;
  elements.error.textContent = '';
}

function announce(text) {
  elements.announcer.textContent = text;
}

async function useUiLanguage(tag) {
  state.catalogue = await loadCatalogue(CATALOGUE_DIRECTORY, tag, clerkCatalogueTags);
  setDocumentLanguage(state.catalogue.tag, directionOf(state.catalogue.tag));
  elements.uiLanguageSelect.value = state.catalogue.tag;
  state.catalogue.apply(document);
  if (state.error) showError(state.error.key, state.error.params);
  renderSignedInAs();
  renderMunicipalities();
  renderQueued();
  renderAlternatives();
  renderSupporter();
  renderCustomerCode();
  typingIndicator.render();
}

function renderSignedInAs() {
  if (!state.account || !state.catalogue) return;
  state.catalogue.fill(elements.signedInAs, 'desk.signed_in_as', {
    name: state.account.name ?? '',
    organisation: state.organisation ?? state.account.organisation ?? state.account.point_name ?? '',
  });
}

// ---- Languages by autonym ----

const languageByTag = (tag) => languageOf(state.languages, tag);
const autonymNode = (tag) => autonymOf(state.languages, tag);

// ---- Signing in and out ----

async function checkSession() {
  const account = await sessionAccount();
  if (account) {
    state.account = account;
    connect();
  } else {
    showSignIn();
  }
}

function showSignIn() {
  state.account = null;
  state.organisation = null;
  showScreen('signIn');
  elements.loginInput.focus();
}

async function signIn(event) {
  event.preventDefault();
  const account = await submitSignIn(elements, { showError, clearError });
  if (account) {
    state.account = account;
    connect();
  }
}

async function signOut() {
  connection.close();
  await endSession();
  forgetConversation();
  resetRequest();
  clearError();
  showSignIn();
}

// ---- Connection ----

function connect() {
  renderSignedInAs();
  showScreen('loading');
  connection.connect();
}

function onWelcome(message) {
  const resuming = connection.resuming;
  state.languages = Array.isArray(message.languages) ? message.languages : [];
  state.municipalities = Array.isArray(message.municipalities) ? message.municipalities : [];
  state.maxTextBytes = message.limits?.max_text_bytes ?? state.maxTextBytes;
  state.organisation = message.clerk?.organisation ?? null;
  renderSignedInAs();
  renderLanguages();
  renderMunicipalities();
  // Back after a drop: the screen stays as it was until the server says what it kept.
  if (resuming) return;
  clearError();
  showScreen('request');
}

// ---- A dropped connection coming back ----

function onResumed(message) {
  reconnectNotice.back();
  if (message.state === 'conversation' && isCurrent(message)) {
    state.resumedConversation = message.conversation; // its conversation_started follows
  } else if (message.state === 'idle') {
    resumeRefused();
  }
}

// Too long away: the server has ended the chat (or the request).
function resumeRefused() {
  reconnectNotice.hide();
  if (state.conversation && !state.conversation.ended) {
    resetRequest();
    finishConversation('client_disconnected', { rateable: false });
  } else if (!state.conversation) {
    resetRequest();
    showScreen('request');
  }
  showError('connection.expired');
}

// The server refused the handshake (the page cannot read the HTTP status): ask /api/session
// whether the session ended (401) or the account is not a clerk's (403 on /ws/clerk).
async function explainRefusal() {
  try {
    const { status, body } = await fetchJson('/api/session');
    if (status === 401) {
      showSignIn();
      showError('sign_in.expired');
      return;
    }
    if (status === 200 && body?.advisor && body.advisor.role !== 'clerk') {
      state.account = body.advisor;
      renderSignedInAs();
      showScreen('forbidden');
      return;
    }
  } catch {
    // the server cannot be reached
  }
  state.catalogue.fill(elements.disconnectedText, 'connection.lost');
  showScreen('disconnected');
}

function onClose({ code, wasOpen, onPurpose, gaveUp }) {
  chat.failPending();
  reconnectNotice.hide();
  if (onPurpose) return;
  if (!wasOpen && !gaveUp) {
    explainRefusal();
    return;
  }
  // 1008: this chat now goes on on another screen.
  const key = gaveUp ? 'connection.expired' : code === 1001 ? 'connection.server_closing' :
    code === 1008 ? 'connection.replaced' : 'connection.lost';
  if (state.conversation && !state.conversation.ended) {
    finishConversation('client_disconnected', { rateable: false });
    showError(key);
    return;
  }
  if (state.conversation) return;
  resetRequest();
  state.catalogue.fill(elements.disconnectedText, key);
  showScreen('disconnected');
}

// ---- The request form ----

function renderLanguages() {
  renderLanguageButtons(elements.languageList, state.languages, state.chosenLanguage?.tag,
    chooseLanguage);
  renderAlsoSpeaksChoices(elements.alsoSpeaksList, state.languages, state.chosenLanguage?.tag);
}

function renderMunicipalities() {
  if (!state.catalogue) return;
  const previous = elements.homeSelect.value;
  const option = (value, text) => {
    const element = document.createElement('option');
    element.value = value;
    element.textContent = text;
    return element;
  };
  elements.homeSelect.replaceChildren(
    option('unknown', state.catalogue.t('request.home_unknown')),
    ...state.municipalities.map((municipality) => option(municipality.code, municipality.name)),
    option('other', state.catalogue.t('request.home_other')),
    option('abroad', state.catalogue.t('request.home_abroad')));
  const offered = [...elements.homeSelect.options].some((item) => item.value === previous);
  elements.homeSelect.value = offered ? previous : 'unknown';
}

function chooseLanguage(language) {
  state.chosenLanguage = language;
  markChosenLanguage(elements.languageList, elements.alsoSpeaksList, language.tag);
  clearError();
}

function submitRequest(event) {
  event.preventDefault();
  clearError();
  if (!state.chosenLanguage) {
    showError('request.pick_language_first');
    elements.languageList.querySelector('button')?.focus();
    return;
  }
  // Without `home` the server uses the municipality of the clerk's office.
  const request = requestFromForm(state.chosenLanguage.tag, elements.alsoSpeaksList,
    elements.homeSelect);
  if (!sendRequest(request)) {
    showError('connection.lost');
    return;
  }
  showScreen('waiting');
  elements.cancelButton.focus();
}

function sendRequest({ language, home, also_speaks: alsoSpeaks }) {
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
  elements.cancelButton.disabled = false;
  return true;
}

function resetRequest() {
  state.requestId = null;
  state.request = null;
  state.cancelId = null;
  state.switchTo = null;
  state.lastQueued = null;
  state.alternatives = null;
}

// ---- Waiting ----

function onQueued(message) {
  if (message.request !== state.requestId) return;
  if (state.conversation && !state.conversation.ended) {
    // Handed on to the language's queue by the supporter: the chat stays, waiting for the next.
    state.conversation.waitingForAdvisor = { position: message.position };
    renderSupporter();
    return;
  }
  if (state.conversation) {
    // The supporter's connection was lost for good; the request is back at the head of the queue.
    forgetConversation();
    showScreen('waiting');
  }
  state.lastQueued = message;
  renderQueued();
}

function renderQueued() {
  const message = state.lastQueued;
  if (!message || !state.catalogue) return;
  renderQueuePosition(elements, state.catalogue, message,
    { alternatives: state.alternatives, autonym: autonymNode });
  if (message.advisors_signed_in > 0 && state.alternatives?.reason === 'nobody_signed_in') {
    elements.alternativesPanel.hidden = true;
  }
}

function onAlternatives(message) {
  if (message.request !== state.requestId || state.conversation) return;
  state.alternatives = message;
  renderAlternatives();
  if (state.dismissedAlternatives.has(message.reason)) return;
  elements.alternativesPanel.hidden = false;
  renderQueued();
  announce(elements.alternativesReason.textContent);
}

function renderAlternatives() {
  const message = state.alternatives;
  if (!message || !state.catalogue) return;
  renderAlternativesPanel(elements, state.catalogue, message, {
    autonym: autonymNode, disabled: state.cancelId !== null, onUse: switchLanguage,
  });
}

function keepWaiting() {
  if (state.alternatives) state.dismissedAlternatives.add(state.alternatives.reason);
  elements.alternativesPanel.hidden = true;
  renderQueued();
  elements.cancelButton.focus();
}

function cancelRequest() {
  if (!state.requestId || state.cancelId) return false;
  const id = connection.nextId('x');
  if (!connection.send({ type: 'cancel', id, request: state.requestId })) return false;
  state.cancelId = id;
  elements.cancelButton.disabled = true;
  disableAlternatives(elements);
  return true;
}

function switchLanguage(tag) {
  if (cancelRequest()) state.switchTo = tag;
}

function stopWaiting() {
  state.switchTo = null;
  if (cancelRequest()) return;
  resetRequest();
  backToRequest();
}

function onRequestClosed(message) {
  if (message.request !== state.requestId) return;
  const { switchTo, request: previous } = state;
  resetRequest();
  if (switchTo && previous) {
    const alsoSpeaks = alsoSpeaksAfterSwitch(previous, switchTo);
    state.chosenLanguage = languageByTag(switchTo);
    if (sendRequest({ language: switchTo, home: previous.home, also_speaks: alsoSpeaks })) return;
  }
  backToRequest();
}

function backToRequest() {
  renderLanguages();
  elements.cancelButton.disabled = false;
  showScreen('request');
  const chosen = elements.languageList.querySelector('[aria-pressed="true"]');
  (chosen ?? elements.languageList.querySelector('button'))?.focus();
}

// ---- The three-way chat ----

function isCurrent(message) {
  return state.conversation !== null && message.conversation === state.conversation.id;
}

function onConversationStarted(message) {
  if (message.request !== undefined && message.request !== state.requestId) return;
  if (isCurrent(message) && !state.conversation.ended) {
    if (state.resumedConversation === message.conversation) {
      // The same chat after our own connection came back: what we missed follows.
      state.resumedConversation = null;
      chat.resendHeld(message.conversation);
      return;
    }
    // The same chat, now answered by the next supporter (after a transfer to a queue).
    newLead(message.advisor);
    return;
  }
  state.conversation = {
    id: message.conversation,
    language: message.language,
    ended: false,
    lead: message.advisor ?? {},
    waitingForAdvisor: null,
    reconnecting: false,
  };
  state.cancelId = null;
  state.alternatives = null;
  state.lastSeenSeq = 0;
  chat.clear();
  typingIndicator.clear();
  typingSignal.reset();
  // The chat runs in the customer's language; the page around it in the clerk's.
  elements.chatLog.lang = message.language ?? '';
  elements.messageForm.hidden = false;
  elements.endButton.hidden = false;
  elements.endButton.disabled = false;
  elements.endedPanel.hidden = true;
  elements.supporterNotice.hidden = true;
  resetCustomerCode();
  clearError();
  renderSupporter();
  showScreen('chat');
  announce(elements.supporterInfo.textContent);
  elements.messageInput.focus();
}

function renderSupporter() {
  const conversation = state.conversation;
  if (!conversation || !state.catalogue) return;
  const waiting = conversation.waitingForAdvisor;
  if (waiting && !conversation.ended) {
    state.catalogue.fill(elements.supporterInfo, 'chat.waiting_next', { position: waiting.position });
    elements.supporterInfo.dataset.waiting = 'true';
    return;
  }
  delete elements.supporterInfo.dataset.waiting;
  state.catalogue.fill(elements.supporterInfo, 'chat.supporter', {
    advisor: conversation.lead?.name ?? '',
    point: conversation.lead?.point_name ?? conversation.lead?.point ?? '',
  });
}

function addNote(key, params, testId) {
  const note = chat.addNote(key, params, testId);
  announce(note.textContent);
  return note;
}

function newLead(advisor) {
  state.conversation.lead = advisor ?? {};
  state.conversation.waitingForAdvisor = null;
  renderSupporter();
  resendHeldMessages();
}

function onAdvisorJoined(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  const advisor = message.advisor ?? {};
  addNote('chat.advisor_joined', {
    advisor: advisor.name ?? '', point: advisor.point_name ?? advisor.point ?? '',
  }, 'advisor-joined');
  if (message.role === 'lead') newLead(advisor);
  else resendHeldMessages();
}

function onAdvisorLeft(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  addNote('chat.advisor_left', { advisor: message.advisor?.name ?? '' }, 'advisor-left');
}

function onAdvisorConnection(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  state.conversation.reconnecting = message.status === 'reconnecting';
  elements.supporterNotice.hidden = !state.conversation.reconnecting;
  if (state.conversation.reconnecting) {
    state.catalogue.fill(elements.supporterNotice, 'chat.advisor_reconnecting');
    announce(elements.supporterNotice.textContent);
  } else {
    resendHeldMessages();
  }
}

// ---- The customer joining from a kiosk or a phone (PROTOCOL.md, `customer_code`) ----

function askCustomerCode() {
  if (!state.conversation || state.conversation.ended) return;
  const id = connection.nextId('cc');
  if (!connection.send({ type: 'customer_code', id, conversation: state.conversation.id })) {
    showError('connection.lost');
    return;
  }
  clearError();
  state.customerCode = { ...state.customerCode, id, asked: true };
  elements.customerCodeButton.disabled = true;
}

function onCustomerCode(message) {
  if (!isCurrent(message) || state.customerCode?.id !== message.ref) return;
  state.customerCode = { id: message.ref, code: message.code, expiresAt: new Date(message.expires_at) };
  elements.customerCodeButton.disabled = false;
  renderCustomerCode();
  announce(`${elements.customerCode.textContent}. ${elements.customerCodeExpiry.textContent}`);
}

function renderCustomerCode() {
  if (!state.catalogue) return;
  const shown = state.customerCode?.code;
  elements.kioskPanel.hidden = !state.conversation || state.conversation.ended;
  elements.customerCodeBox.hidden = !shown;
  elements.customerCodeButton.dataset.i18n = shown ? 'kiosk.new_code' : 'kiosk.button';
  state.catalogue.fill(elements.customerCodeButton, elements.customerCodeButton.dataset.i18n);
  if (!shown) return;
  // Shown in groups of four, which are easier to read out and type; the code itself has none.
  elements.customerCode.dataset.code = shown;
  elements.customerCode.textContent = `${shown.slice(0, 4)} ${shown.slice(4)}`;
  const expiresAt = state.customerCode.expiresAt;
  elements.customerCodeExpiry.dateTime = Number.isNaN(expiresAt.getTime()) ? '' :
    expiresAt.toISOString();
  state.catalogue.fill(elements.customerCodeExpiry, 'kiosk.expires', {
    time: formatTime(expiresAt, state.catalogue.tag),
  });
}

function resetCustomerCode() {
  state.customerCode = null;
  state.customerJoined = false;
  elements.customerCodeButton.disabled = false;
  renderCustomerCode();
}

function onCustomerJoined(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  state.customerJoined = true;
  // The code is used: it is no longer shown, a new one can be asked for if the customer leaves.
  state.customerCode = null;
  renderCustomerCode();
  addNote('chat.customer_joined', {}, 'customer-joined');
}

function onCustomerLeft(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  state.customerJoined = false;
  addNote('chat.customer_left', {}, 'customer-left');
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
  chat.write(state.conversation.id, text,
    { hold: state.conversation.reconnecting || connection.resuming });
  typingSignal.reset();
  elements.messageInput.value = '';
  elements.messageInput.focus();
}

function resendHeldMessages() {
  if (!state.conversation || state.conversation.ended) return;
  chat.resendHeld(state.conversation.id);
}

// The clerk writes: the supporters (and the customer at a kiosk) see it, at most every 3 s.
function onComposerInput() {
  if (!state.conversation || state.conversation.ended) return;
  typingSignal.onInput(state.conversation.id, elements.messageInput.value);
}

// A supporter, or the customer at a kiosk (`from` `client`), is typing.
function onTyping(message) {
  if (!isCurrent(message) || state.conversation.ended) return;
  if (message.from === 'advisor') {
    typingIndicator.show('advisor', 'chat.typing_advisor', {
      advisor: message.name || state.catalogue.t('chat.advisor'),
    });
  } else {
    typingIndicator.show('client', 'chat.typing_customer');
  }
}

function onMessage(message) {
  if (!isCurrent(message)) return;
  if (!chat.isOwn(message)) typingIndicator.clearFrom(message.from);
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (chat.isOwn(message)) return; // our own, shown when sent
  if (message.seq <= state.lastSeenSeq) return;
  state.lastSeenSeq = message.seq;
  // `from` `client` and not ours: the customer writing from a kiosk.
  chat.showOther(message, message.from === 'client' ? { authorKey: 'chat.customer' } : {});
}

function endConversation() {
  if (!state.conversation || state.conversation.ended) return;
  elements.endButton.disabled = true;
  connection.send({ type: 'end', id: connection.nextId('e'), conversation: state.conversation.id });
}

// `rateable`: false when the server no longer knows this page as the chat's client side.
function finishConversation(reason, { rateable = true } = {}) {
  if (!state.conversation || state.conversation.ended) return;
  state.conversation.ended = true;
  chat.failAll();
  typingIndicator.clear();
  elements.supporterNotice.hidden = true;
  chat.addEndNote(state.catalogue.t(endedMessageKeys[reason] ?? 'ended.generic'));
  const hadFocus = elements.screens.chat.contains(document.activeElement);
  elements.messageForm.hidden = true;
  elements.endButton.hidden = true;
  elements.endedPanel.hidden = false;
  elements.kioskPanel.hidden = true;
  if (rateable) rating.offer(state.conversation.id);
  if (hadFocus) elements.newRequestButton.focus();
}

function onConversationEnded(message) {
  if (!isCurrent(message)) return;
  // Confirmed, so that the server need not keep it for a resume.
  connection.send({ type: 'ack', conversation: message.conversation, seq: message.seq });
  if (message.seq > state.lastSeenSeq) state.lastSeenSeq = message.seq;
  resetRequest();
  finishConversation(message.reason);
}

// The next customer must not read the previous one's chat.
function forgetConversation() {
  state.conversation = null;
  rating.clear();
  resetCustomerCode();
  chat.clear();
  typingIndicator.clear();
  elements.supporterInfo.replaceChildren();
  elements.supporterNotice.hidden = true;
}

function newRequest() {
  forgetConversation();
  resetRequest();
  clearAlsoSpeaks(elements.alsoSpeaksList);
  elements.alsoSpeaks.open = false;
  elements.homeSelect.value = 'unknown';
  elements.messageInput.value = '';
  clearError();
  if (connection.isOpen) backToRequest();
  else connect();
}

function onError(message) {
  if (message.code === 'resume_expired') {
    resumeRefused();
    return;
  }
  if (rating.onError(message)) return;
  // A `typing` (which has no id) that crossed the end of the chat: nothing to say.
  if (!message.ref && message.code === 'not_in_conversation' &&
      (!state.conversation || state.conversation.ended)) return;
  if (message.ref && message.ref === state.customerCode?.id) elements.customerCodeButton.disabled = false;
  if (message.code === 'advisor_unavailable' && chat.holdRefused(message.ref)) return;
  // Too fast: the message is kept and leaves by itself once the server's wait is over.
  if (message.code === 'rate_limited' && state.conversation &&
      chat.holdForRate(message.ref, message.retry_after_ms, state.conversation.id, clearError)) {
    showError('error.rate_limited', { seconds: Math.ceil((message.retry_after_ms ?? 1000) / 1000) });
    return;
  }
  if (message.ref && message.ref === state.cancelId) {
    state.cancelId = null;
    state.switchTo = null;
    elements.cancelButton.disabled = false;
    if (!state.conversation && message.code === 'unknown_request') {
      resetRequest();
      backToRequest();
    }
    return;
  }
  if (message.code === 'advisor_unavailable' || message.code === 'unknown_request') return;
  showError(errorMessageKeys[message.code] ?? 'error.generic');
  if (message.ref) chat.markRefused(message.ref);
  if (message.ref && message.ref === state.requestId && message.code !== 'already_requested') {
    resetRequest();
    showScreen('request');
  }
  if (message.code === 'not_in_conversation' && state.conversation) finishConversation('unknown');
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
  elements.reconnectButton.addEventListener('click', () => {
    clearError();
    connect();
  });
  elements.requestForm.addEventListener('submit', submitRequest);
  elements.cancelButton.addEventListener('click', stopWaiting);
  elements.keepWaitingButton.addEventListener('click', keepWaiting);
  elements.messageForm.addEventListener('submit', sendMessage);
  sendOnEnter(elements.messageInput, elements.messageForm);
  elements.messageInput.addEventListener('input', onComposerInput);
  elements.endButton.addEventListener('click', endConversation);
  elements.customerCodeButton.addEventListener('click', askCustomerCode);
  elements.newRequestButton.addEventListener('click', newRequest);

  connection
    .on('welcome', onWelcome)
    .on('queued', onQueued)
    .on('alternatives', onAlternatives)
    .on('request_closed', onRequestClosed)
    .on('conversation_started', onConversationStarted)
    .on('advisor_connection', onAdvisorConnection)
    .on('advisor_joined', onAdvisorJoined)
    .on('advisor_left', onAdvisorLeft)
    .on('customer_code', onCustomerCode)
    .on('customer_joined', onCustomerJoined)
    .on('customer_left', onCustomerLeft)
    .on('typing', onTyping)
    .on('message', onMessage)
    .on('accepted', (message) => chat.onAccepted(message))
    .on('conversation_ended', onConversationEnded)
    .on('rated', (message) => rating.onRated(message))
    .on('resumed', onResumed)
    .on('error', onError)
    .onReconnecting(() => reconnectNotice.dropped())
    .onClose(onClose);
}

async function start() {
  bindEvents();
  await useUiLanguage(rememberedUiLanguage(UI_LANGUAGE_STORAGE_KEY) ??
    pickCatalogueTag(navigator.languages ?? [], clerkCatalogueTags));
  await checkSession();
}

start();
