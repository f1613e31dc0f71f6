// The advisor desk: sign in, set presence and capacity, accept or decline offered clients, answer
// several conversations at once, end them, sign out. The interface is English by default;
// Finnish and Swedish can be chosen.

import { fetchJson, submitSignIn } from './api.js';
import { Connection } from './connection.js';
import { endSession, sessionAccount } from './session.js';
import {
  advisorCatalogueTags, directionOf, loadCatalogue, rememberUiLanguage, rememberedUiLanguage,
  setDocumentLanguage,
} from './i18n.js';
import {
  appendToLog, createMessageItem, createSystemNote, setDeliveryState, utf8Length,
} from './chat-log.js';
import {
  onConversationAdded, onSelectionChanged, renderColleagueTexts, renderOfferOrigin, renderTeam,
  setupColleagues,
} from './colleagues.js';
import { openConsult, renderConsultTexts, setupConsults } from './consults.js';
import { attachSharedAnswers } from './answers.js';
import { forgetWrapups, isWrapupRef, renderWrapupTexts, setupWrapups } from './wrapup.js';
import { TypingIndicator, TypingSignal } from './typing.js';

const CATALOGUE_DIRECTORY = 'i18n/advisor';
const UI_LANGUAGE_STORAGE_KEY = 'neuvo.advisor.uiLanguage';

const errorMessageKeys = {
  session_replaced: 'error.session_replaced',
  not_in_conversation: 'error.not_in_conversation',
  empty_message: 'error.empty_message',
  message_too_long: 'error.message_too_long',
  server_busy: 'error.server_busy',
  no_such_offer: 'error.no_such_offer',
  unknown_colleague: 'error.unknown_colleague',
  already_in_conversation: 'error.already_in_conversation',
  handover_pending: 'error.handover_pending',
  not_lead: 'error.not_lead',
  only_advisor: 'error.only_advisor',
  not_in_consult: 'error.not_in_consult',
};

// An offer whose expires_at is this far off (or already past) on arrival means the clocks
// disagree; the countdown then assumes the protocol's default offer time.
const DEFAULT_OFFER_MS = 20_000;
const MAX_OFFER_MS = 5 * 60_000;
const COUNTDOWN_INTERVAL_MS = 250;
// How long after `welcome` the server has re-announced the conversations it kept open for us.
const REANNOUNCE_WAIT_MS = 3000;
// Automatic reconnection after a dropped connection: the server keeps the conversations for a
// grace period (60 s by default), so try soon and then less often.
const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

const tierKeys = {
  'own-point': 'tier.own_point',
  region: 'tier.region',
  partner: 'tier.partner',
  national: 'tier.national',
};

const endedMessageKeys = {
  client: 'ended.client',
  advisor: 'ended.advisor',
  client_disconnected: 'ended.client_disconnected',
  advisor_disconnected: 'ended.advisor_disconnected',
  left: 'ended.left', // conversation_left: the conversation goes on without this advisor
  transferred: 'ended.transferred',
};

const byId = (id) => document.getElementById(id);
const elements = {
  error: byId('error'),
  announcer: byId('announcer'),
  screens: {
    loading: byId('loading-screen'),
    signIn: byId('sign-in-screen'),
    disconnected: byId('disconnected-screen'),
    desk: byId('desk-screen'),
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
  presenceRadios: [...document.querySelectorAll('input[name="presence"]')],
  capacityInput: byId('capacity-input'),
  presenceSummary: byId('presence-summary'),
  presenceNotice: byId('presence-notice'),
  followScheduleInput: byId('follow-schedule-input'),
  offerSoundInput: byId('offer-sound-input'),
  offerList: byId('offer-list'),
  noOffers: byId('no-offers'),
  offerNote: byId('offer-note'),
  offerTemplate: byId('offer-template'),
  noConversations: byId('no-conversations'),
  conversationList: byId('conversation-list'),
  conversationArea: byId('conversation-area'),
  noConversationSelected: byId('no-conversation-selected'),
  conversationTemplate: byId('conversation-template'),
};

const state = {
  catalogue: null,
  advisor: null, // { name, point_name, ... } from sign-in, session or welcome
  languages: new Map(), // tag -> { tag, autonym, dir }
  municipalities: new Map(), // code -> name
  maxTextBytes: 4000,
  presence: null, // { status, capacity, active, follow_schedule, reason } as the server last said
  offers: new Map(), // conversation id -> see onOffer()
  offerNoteKey: null, // the note under the offers ("you missed an offer"), if any
  countdownTimer: null,
  conversations: new Map(), // conversation id -> see addConversation()
  connectionCount: 0, // welcomes received; conversations remember the last one that knew them
  reannounceTimer: null,
  reconnectTimer: null,
  reconnectAttempt: 0,
  selectedId: null,
  pendingMessages: new Map(), // message id -> { conversation, item }, until `accepted`
  panelCounter: 0,
  sessionReplaced: false,
  error: null, // { key, params } of the alert on screen
};

const connection = new Connection('/ws/advisor');

// ---- Screens, alerts, language ----

function showScreen(name) {
  for (const [screenName, screen] of Object.entries(elements.screens)) {
    screen.hidden = screenName !== name;
  }
  const signedIn = name === 'desk' || name === 'disconnected';
  elements.signOutButton.hidden = !signedIn;
  elements.signedInAs.hidden = !signedIn || !state.advisor;
}

// The shown error is remembered so that it can be shown again in another interface language.
function showError(key, params) {
  state.error = { key, params };
  elements.error.textContent = state.catalogue.t(key, params);
}

function clearError() {
  state.error = null;
  elements.error.textContent = '';
}

function showDisconnected(key) {
  elements.disconnectedText.dataset.i18n = key; // translated again if the language changes
  elements.disconnectedText.textContent = state.catalogue.t(key);
  showScreen('disconnected');
}

function announce(text) {
  elements.announcer.textContent = text;
}

// An announcement with a language's name in it: the name keeps its lang (see languageNode), so
// that a screen reader reads "العربية" in Arabic inside an English or Finnish sentence.
function announceFilled(key, params) {
  state.catalogue.fill(elements.announcer, key, params);
}

async function useUiLanguage(tag) {
  state.catalogue = await loadCatalogue(CATALOGUE_DIRECTORY, tag, advisorCatalogueTags);
  setDocumentLanguage(state.catalogue.tag, directionOf(state.catalogue.tag));
  elements.uiLanguageSelect.value = state.catalogue.tag;
  state.catalogue.apply(document);
  renderDynamicTexts();
  await renderWrapupTexts();
}

// Texts built from state rather than fixed keys, redone when the interface language changes.
function renderDynamicTexts() {
  if (state.error) showError(state.error.key, state.error.params);
  renderSignedInAs();
  renderPresence();
  for (const offer of state.offers.values()) renderOffer(offer);
  renderOfferNote();
  for (const conversation of state.conversations.values()) {
    renderConversationLabels(conversation);
    renderTeam(conversation);
  }
  for (const conversation of state.conversations.values()) conversation.typingIndicator.render();
  renderColleagueTexts();
  renderConsultTexts();
  for (const item of document.querySelectorAll('.message[data-state]')) {
    setDeliveryState(item, item.dataset.state, state.catalogue);
  }
  updateDocumentTitle();
}

function renderSignedInAs() {
  if (!state.advisor) return;
  state.catalogue.fill(elements.signedInAs, 'desk.signed_in_as', {
    name: state.advisor.name ?? '',
    point: state.advisor.point_name ?? state.advisor.point ?? '',
  });
}

// ---- Signing in and out ----

async function checkSession() {
  const account = await sessionAccount();
  if (account) {
    state.advisor = account;
    connect();
  } else {
    showSignIn();
  }
}

function showSignIn() {
  state.advisor = null;
  showScreen('signIn');
  elements.loginInput.focus();
}

async function signIn(event) {
  event.preventDefault();
  const account = await submitSignIn(elements, { showError, clearError });
  if (account) {
    state.advisor = account;
    connect();
  }
}

async function signOut() {
  connection.close();
  await endSession();
  cancelReconnect();
  forgetConversations();
  forgetOffers();
  state.presence = null;
  clearError();
  showSignIn();
}

// ---- Connection ----

function connect() {
  state.sessionReplaced = false;
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = null;
  if (elements.screens.disconnected.hidden) showScreen('loading');
  connection.connect();
}

function scheduleReconnect() {
  clearTimeout(state.reconnectTimer);
  const delay = RECONNECT_DELAYS_MS[Math.min(state.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)];
  state.reconnectAttempt += 1;
  state.reconnectTimer = setTimeout(connect, delay);
}

function cancelReconnect() {
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = null;
  state.reconnectAttempt = 0;
}

function onWelcome(message) {
  state.languages = new Map((message.languages ?? []).map((language) => [language.tag, language]));
  state.municipalities = new Map(
    (message.municipalities ?? []).map((municipality) => [municipality.code, municipality.name]));
  state.maxTextBytes = message.limits?.max_text_bytes ?? state.maxTextBytes;
  if (message.limits?.max_capacity) elements.capacityInput.max = message.limits.max_capacity;
  if (message.advisor) state.advisor = { ...state.advisor, ...message.advisor };
  cancelReconnect();
  clearError();
  showScreen('desk');
  renderSignedInAs();
  // Every connection starts away (PROTOCOL.md) unless it came back within the grace period;
  // the server's `presence` right after `welcome` says which. Until then a change of status
  // leaves the capacity and the schedule choice out ("unchanged").
  state.presence = { status: 'away', capacity: null, active: 0 };
  elements.presenceNotice.hidden = true;
  elements.capacityInput.value = '';
  renderPresence();
  renderOffersState();
  // Conversations kept open for us while we were away are announced again right after this;
  // the ones that are not were ended by the server in the meantime.
  state.connectionCount += 1;
  clearTimeout(state.reannounceTimer);
  state.reannounceTimer = setTimeout(endConversationsNotReannounced, REANNOUNCE_WAIT_MS);
}

function endConversationsNotReannounced() {
  for (const conversation of state.conversations.values()) {
    if (!conversation.ended && conversation.connection < state.connectionCount) {
      finishConversation(conversation, 'advisor_disconnected');
    }
  }
}

function onClose({ code, wasOpen, onPurpose }) {
  clearTimeout(state.reannounceTimer);
  // Offers die with the connection; messages on their way may or may not have arrived.
  forgetOffers();
  for (const [id, pending] of state.pendingMessages) {
    setDeliveryState(pending.item, 'not_sent', state.catalogue);
    state.pendingMessages.delete(id);
  }
  if (onPurpose) return;
  if (state.sessionReplaced || code === 1008) {
    // Another window has the desk now; this one must not take it back.
    for (const conversation of state.conversations.values()) {
      finishConversation(conversation, 'advisor_disconnected');
    }
    showDisconnected('error.session_replaced');
    return;
  }
  if (!wasOpen) {
    // Refused before opening: most likely the session has expired (HTTP 401).
    checkSessionAfterRefusal();
    return;
  }
  // The server keeps our conversations for a grace period: reconnect on our own, and the
  // conversations come back (or are ended, if we were away too long).
  showDisconnected(code === 1001 ? 'connection.server_closing' : 'connection.reconnecting');
  scheduleReconnect();
}

async function checkSessionAfterRefusal() {
  try {
    const { status } = await fetchJson('/api/session');
    if (status === 401) {
      cancelReconnect();
      forgetConversations();
      showSignIn();
      showError('sign_in.expired');
      return;
    }
  } catch {
    // fall through: the server cannot be reached
  }
  showDisconnected('connection.reconnecting');
  scheduleReconnect();
}

// ---- Presence ----

function selectedPresenceStatus() {
  return elements.presenceRadios.find((radio) => radio.checked)?.value ?? 'away';
}

function sendPresence(event) {
  clearError();
  clearOfferNote();
  const message = { type: 'presence', id: connection.nextId('p'), status: selectedPresenceStatus() };
  // Only a change of the checkbox sends the schedule choice; otherwise it stays as it is.
  if (event?.target === elements.followScheduleInput) {
    message.follow_schedule = elements.followScheduleInput.checked;
  }
  const capacityText = elements.capacityInput.value.trim();
  if (capacityText !== '') {
    const capacity = Number(capacityText);
    const max = Number(elements.capacityInput.max) || Infinity;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > max) {
      showError('presence.capacity_invalid');
      elements.capacityInput.focus();
      return;
    }
    message.capacity = capacity;
  }
  if (!connection.send(message)) showError('connection.lost');
}

function onPresence(message) {
  state.presence = {
    status: message.status,
    capacity: message.capacity,
    active: message.active ?? 0,
    follow_schedule: message.follow_schedule,
    reason: message.reason,
  };
  renderPresence();
  if (message.reason === 'missed_offers') {
    announce(state.catalogue.t('presence.missed_offers'));
  }
}

function renderPresence() {
  const { presence, catalogue } = state;
  if (!presence) {
    elements.presenceSummary.textContent = '';
    elements.presenceNotice.hidden = true;
    return;
  }
  // The server counts conversations and offers that hold a place (PROTOCOL.md: show what it
  // says rather than counting locally).
  const { active } = presence;
  for (const radio of elements.presenceRadios) radio.checked = radio.value === presence.status;
  if (typeof presence.follow_schedule === 'boolean') {
    elements.followScheduleInput.checked = presence.follow_schedule;
  }
  // "Set away after missing offers" stays until the advisor is available again.
  if (presence.reason === 'missed_offers') elements.presenceNotice.hidden = false;
  if (presence.status === 'available') elements.presenceNotice.hidden = true;
  // Do not overwrite a number the advisor is typing right now.
  if (presence.capacity != null && document.activeElement !== elements.capacityInput) {
    elements.capacityInput.value = String(presence.capacity);
  }
  elements.presenceSummary.dataset.status = presence.status;
  if (presence.status === 'available') {
    catalogue.fill(elements.presenceSummary, 'presence.summary_available', {
      active,
      capacity: presence.capacity ?? '?',
    });
  } else {
    catalogue.fill(elements.presenceSummary, 'presence.summary_away', { active });
  }
}

// ---- Conversations ----

// "العربية (ar)" as nodes: the autonym in its own <bdi lang> so that a right-to-left name
// cannot pull the "(ar)" after it to its other side.
function languageNode(tag) {
  const language = state.languages.get(tag);
  const label = document.createElement('span');
  if (!language) {
    label.textContent = tag;
    return label;
  }
  const autonym = document.createElement('bdi');
  autonym.lang = tag;
  autonym.textContent = language.autonym;
  label.append(autonym, ` (${tag})`);
  return label;
}

function homeLabel(code) {
  if (!code || code === 'unknown') return state.catalogue.t('home.unknown');
  if (code === 'other') return state.catalogue.t('home.other');
  if (code === 'abroad') return state.catalogue.t('home.abroad');
  return state.municipalities.get(code) ?? code;
}

function tierLabel(tier) {
  return tierKeys[tier] ? state.catalogue.t(tierKeys[tier]) : tier ?? '';
}

// ---- Offers ----

function onOffer(message) {
  // A conversation this advisor has left may be offered again (an invitation, a transfer back).
  if (state.offers.has(message.conversation) || isOpenConversation(message.conversation)) return;
  const now = Date.now();
  let remaining = Date.parse(message.expires_at) - now;
  if (!Number.isFinite(remaining) || remaining <= 0 || remaining > MAX_OFFER_MS) {
    remaining = DEFAULT_OFFER_MS;
  }
  state.panelCounter += 1;
  const card = elements.offerTemplate.content.firstElementChild.cloneNode(true);
  card.dataset.conversation = message.conversation;
  const heading = card.querySelector('.offer-language');
  heading.id = `offer-heading-${state.panelCounter}`;
  const offer = {
    id: message.conversation,
    language: message.language,
    home: message.home ?? 'unknown',
    tier: message.tier,
    startedAt: now,
    deadline: now + remaining,
    answered: false,
    card,
    message, // kind, from and note of an invitation or transfer
  };
  for (const button of card.querySelectorAll('button')) {
    button.setAttribute('aria-describedby', heading.id);
  }
  card.querySelector('[data-testid="accept-button"]')
    .addEventListener('click', () => answerOffer(offer, 'accept'));
  card.querySelector('[data-testid="decline-button"]')
    .addEventListener('click', () => answerOffer(offer, 'decline'));
  state.catalogue.apply(card);
  state.offers.set(offer.id, offer);
  renderOffer(offer);
  elements.offerList.append(card);
  renderOffersState();
  announceFilled('offers.new', {
    language: languageNode(offer.language),
    home: homeLabel(offer.home),
    seconds: Math.ceil(remaining / 1000),
  });
  beep();
}

function renderOffer(offer) {
  const { card } = offer;
  card.querySelector('.offer-language').replaceChildren(languageNode(offer.language));
  card.querySelector('[data-testid="offer-home"]').textContent = homeLabel(offer.home);
  const tierElement = card.querySelector('[data-testid="offer-tier"]');
  tierElement.textContent = tierLabel(offer.tier);
  tierElement.dataset.tier = offer.tier ?? '';
  renderOfferOrigin(card, offer.message);
  renderChannel(card, '.offer-language', 'offer-channel', offer.message);
  renderCountdown(offer, Date.now());
}

// A clerk's request (PROTOCOL.md, `offer`): the advisor joins as the language supporter of a
// customer sitting with that clerk, so say for which organisation, before anything else.
function renderChannel(container, afterSelector, testId, message) {
  let element = container.querySelector(`[data-testid="${testId}"]`);
  if (message?.channel !== 'language-support') {
    element?.remove();
    return;
  }
  if (!element) {
    element = document.createElement('p');
    element.className = 'channel-note';
    element.dataset.testid = testId;
    container.querySelector(afterSelector).after(element);
  }
  element.dataset.channel = message.channel;
  state.catalogue.fill(element, 'channel.language_support', {
    organisation: message.organisation ?? '',
  });
}

function renderCountdown(offer, now) {
  const remainingMs = Math.max(0, offer.deadline - now);
  const seconds = Math.ceil(remainingMs / 1000);
  const countdown = offer.card.querySelector('[data-testid="offer-countdown"]');
  if (countdown.dataset.seconds !== String(seconds)) {
    countdown.dataset.seconds = String(seconds);
    countdown.textContent = seconds > 0
      ? state.catalogue.t('offers.countdown', { seconds })
      : state.catalogue.t('offers.expired');
  }
  const total = offer.deadline - offer.startedAt;
  offer.card.querySelector('progress').value = total > 0 ? remainingMs / total : 0;
  offer.card.classList.toggle('offer-urgent', seconds <= 5);
}

// One timer for all countdowns, running only while there are offers.
function renderOffersState() {
  const count = state.offers.size;
  elements.noOffers.hidden = count > 0;
  elements.offerList.hidden = count === 0;
  if (count > 0 && state.countdownTimer === null) {
    state.countdownTimer = setInterval(() => {
      const now = Date.now();
      for (const offer of state.offers.values()) renderCountdown(offer, now);
    }, COUNTDOWN_INTERVAL_MS);
  } else if (count === 0 && state.countdownTimer !== null) {
    clearInterval(state.countdownTimer);
    state.countdownTimer = null;
  }
  updateDocumentTitle();
}

function answerOffer(offer, type) {
  if (offer.answered) return;
  clearError();
  const id = connection.nextId(type === 'accept' ? 'a' : 'd');
  if (!connection.send({ type, id, conversation: offer.id })) {
    showError('connection.lost');
    return;
  }
  offer.answered = type;
  offer.answerId = id;
  clearOfferNote(); // the advisor is at the desk again
  for (const button of offer.card.querySelectorAll('button')) button.disabled = true;
}

function removeOffer(id) {
  const offer = state.offers.get(id);
  if (!offer) return null;
  const hadFocus = offer.card.contains(document.activeElement);
  offer.card.remove();
  state.offers.delete(id);
  renderOffersState();
  if (hadFocus) {
    const next = elements.offerList.querySelector('[data-testid="accept-button"]:not(:disabled)');
    if (next) next.focus();
  }
  return { ...offer, hadFocus };
}

const withdrawnNoteKeys = {
  timeout: 'offers.missed',
  client_left: 'offers.client_left',
};

function onOfferWithdrawn(message) {
  const offer = removeOffer(message.conversation);
  if (!offer) return;
  const key = withdrawnNoteKeys[message.reason];
  if (key) {
    state.offerNoteKey = key;
    renderOfferNote();
    announce(state.catalogue.t(key));
  }
}

function clearOfferNote() {
  state.offerNoteKey = null;
  renderOfferNote();
}

function renderOfferNote() {
  elements.offerNote.hidden = state.offerNoteKey === null;
  elements.offerNote.textContent = state.offerNoteKey ? state.catalogue.t(state.offerNoteKey) : '';
  elements.offerNote.dataset.note = state.offerNoteKey ?? '';
}

function forgetOffers() {
  for (const offer of state.offers.values()) offer.card.remove();
  state.offers.clear();
  renderOffersState();
}

// ---- A short two-tone beep for a new offer, made in the page (no audio file) ----

let audioContext = null;

// Browsers let a page make sound only after the person has interacted with it; every click
// or key press (signing in, choosing "Available") makes sure the audio context may run.
function unlockAudio() {
  if (!audioContext) {
    const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
    if (!AudioContextClass) return;
    audioContext = new AudioContextClass();
  }
  if (audioContext.state === 'suspended') audioContext.resume().catch(() => {});
}

function beep() {
  if (!elements.offerSoundInput.checked || !audioContext || audioContext.state !== 'running') return;
  const start = audioContext.currentTime;
  for (const [offset, frequency] of [[0, 660], [0.18, 880]]) {
    const oscillator = audioContext.createOscillator();
    const gain = audioContext.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
    oscillator.connect(gain).connect(audioContext.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.18);
  }
}

// ---- Conversations ----

function isOpenConversation(id) {
  const conversation = state.conversations.get(id);
  return conversation !== undefined && !conversation.ended;
}

function onConversationStarted(message) {
  const known = state.conversations.get(message.conversation);
  if (known && !known.ended) {
    // Announced again after a reconnection within the grace period: still open.
    known.connection = state.connectionCount;
    return;
  }
  // Joined again a conversation this advisor had left: a fresh pane, the old one goes.
  if (known) removeConversation(known);
  const offer = removeOffer(message.conversation);
  const conversation = addConversation(message);
  onConversationAdded(conversation, message);
  announceFilled('conversations.new', { language: languageNode(message.language) });
  // The advisor has just pressed Accept here (the disabled button has dropped the focus): take
  // the focus to the new conversation, unless they have already gone on elsewhere. A
  // conversation already open on screen stays open; the new one waits in the list.
  const focusFree = offer?.hadFocus || document.activeElement === document.body ||
    document.activeElement === null;
  const moveFocus = offer?.answered === 'accept' && focusFree;
  if (state.selectedId === null) {
    selectConversation(conversation.id, { moveFocus });
  } else if (moveFocus) {
    conversation.listItem.querySelector('button').focus();
  }
  updateDocumentTitle();
  renderPresence();
}

function addConversation(message) {
  state.panelCounter += 1;
  const conversation = {
    id: message.conversation,
    language: message.language,
    home: message.home ?? 'unknown',
    tier: message.tier,
    channel: message.channel ?? 'chat',
    organisation: message.organisation ?? null,
    unread: 0,
    ended: false,
    connection: state.connectionCount,
    lastSeenSeq: 0,
    ownMessageIds: new Set(), // ours come back from the server too; shown once, when sent
    typingSignal: new TypingSignal(connection),
    typingIndicator: null, // "The client is typing…" under the log
    panel: null,
    listItem: null,
  };

  // The list entry: a button that selects the conversation.
  const listItem = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'conversation-item';
  button.dataset.testid = 'conversation-item';
  button.dataset.conversation = conversation.id;
  button.setAttribute('aria-current', 'false');
  const languageElement = document.createElement('span');
  languageElement.className = 'conversation-item-language';
  const detailsElement = document.createElement('span');
  detailsElement.className = 'conversation-item-details';
  const unreadElement = document.createElement('span');
  unreadElement.className = 'badge badge-unread';
  unreadElement.dataset.testid = 'unread-count';
  unreadElement.hidden = true;
  const endedElement = document.createElement('span');
  endedElement.className = 'badge badge-ended';
  endedElement.dataset.testid = 'ended-badge';
  endedElement.dataset.i18n = 'conversations.ended';
  endedElement.hidden = true;
  button.append(languageElement, detailsElement, unreadElement, endedElement);
  button.addEventListener('click', () => selectConversation(conversation.id, { moveFocus: true }));
  listItem.append(button);
  elements.conversationList.append(listItem);
  elements.noConversations.hidden = true;

  // The panel: details, log, composer, end button.
  const panel = elements.conversationTemplate.content.firstElementChild.cloneNode(true);
  panel.dataset.conversation = conversation.id;
  panel.hidden = true;
  const log = panel.querySelector('.chat-log');
  log.lang = conversation.language;
  const textarea = panel.querySelector('textarea');
  const inputId = `message-input-${state.panelCounter}`;
  textarea.id = inputId;
  textarea.lang = conversation.language;
  textarea.dir = state.languages.get(conversation.language)?.dir ?? directionOf(conversation.language);
  panel.querySelector('.message-form label').htmlFor = inputId;
  panel.querySelector('.message-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage(conversation);
  });
  textarea.addEventListener('input', () => {
    if (!conversation.ended) conversation.typingSignal.onInput(conversation.id, textarea.value);
  });
  conversation.typingIndicator = new TypingIndicator(
    panel.querySelector('.typing-indicator'), () => state.catalogue);
  textarea.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter makes a new line; not while an input method is composing.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage(conversation);
    }
  });
  panel.querySelector('[data-testid="end-button"]').addEventListener('click', (event) => {
    event.currentTarget.disabled = true;
    connection.send({ type: 'end', id: connection.nextId('e'), conversation: conversation.id });
  });
  panel.querySelector('[data-testid="remove-button"]').addEventListener('click', () =>
    removeConversation(conversation));
  elements.conversationArea.append(panel);
  attachSharedAnswers(panel, conversation.language, () => state.catalogue);

  conversation.panel = panel;
  conversation.listItem = listItem;
  state.conversations.set(conversation.id, conversation);
  state.catalogue.apply(panel);
  state.catalogue.apply(listItem);
  renderConversationLabels(conversation);
  return conversation;
}

function renderConversationLabels(conversation) {
  const { catalogue } = state;
  const button = conversation.listItem.querySelector('button');
  button.querySelector('.conversation-item-language')
    .replaceChildren(languageNode(conversation.language));
  const details = `${homeLabel(conversation.home)} · ${tierLabel(conversation.tier)}`;
  const supportFor = catalogue.t('channel.language_support',
    { organisation: conversation.organisation ?? '' });
  button.querySelector('.conversation-item-details').textContent =
    conversation.channel === 'language-support' ? `${supportFor} · ${details}` : details;
  const unreadElement = button.querySelector('.badge-unread');
  unreadElement.hidden = conversation.unread === 0;
  unreadElement.dataset.count = String(conversation.unread);
  unreadElement.textContent = catalogue.t('conversations.unread', { count: conversation.unread });
  button.querySelector('.badge-ended').hidden = !conversation.ended;

  const { panel } = conversation;
  catalogue.fill(panel.querySelector('.conversation-heading'), 'conversation.heading', {
    language: languageNode(conversation.language),
    home: homeLabel(conversation.home),
  });
  panel.querySelector('[data-testid="conversation-language"]')
    .replaceChildren(languageNode(conversation.language));
  panel.querySelector('[data-testid="conversation-home"]').textContent =
    homeLabel(conversation.home);
  const tierElement = panel.querySelector('[data-testid="conversation-tier"]');
  tierElement.textContent = tierLabel(conversation.tier);
  tierElement.dataset.tier = conversation.tier ?? '';
  renderChannel(panel, '.conversation-heading', 'conversation-channel', conversation);
}

function selectConversation(id, { moveFocus }) {
  state.selectedId = id;
  for (const conversation of state.conversations.values()) {
    const selected = conversation.id === id;
    conversation.panel.hidden = !selected;
    conversation.listItem.querySelector('button').setAttribute('aria-current', String(selected));
    if (selected) {
      conversation.unread = 0;
      renderConversationLabels(conversation);
    }
  }
  elements.noConversationSelected.hidden = id !== null;
  updateDocumentTitle();
  onSelectionChanged();
  if (moveFocus && id !== null) {
    const conversation = state.conversations.get(id);
    const target = conversation.ended
      ? conversation.panel.querySelector('[data-testid="remove-button"]')
      : conversation.panel.querySelector('textarea');
    target.focus();
  }
}

function removeConversation(conversation) {
  conversation.typingIndicator.clear();
  conversation.panel.remove();
  conversation.listItem.remove();
  state.conversations.delete(conversation.id);
  if (state.selectedId === conversation.id) {
    const next = state.conversations.keys().next();
    selectConversation(next.done ? null : next.value, { moveFocus: false });
    elements.conversationList.querySelector('button')?.focus();
  }
  elements.noConversations.hidden = state.conversations.size > 0;
  updateDocumentTitle();
}

// Messages live only as long as the conversation needs them: signing out drops them all.
function forgetConversations() {
  for (const conversation of [...state.conversations.values()]) {
    conversation.typingIndicator.clear();
    conversation.panel.remove();
    conversation.listItem.remove();
  }
  state.conversations.clear();
  state.pendingMessages.clear();
  forgetWrapups();
  state.selectedId = null;
  elements.noConversations.hidden = false;
  elements.noConversationSelected.hidden = false;
  updateDocumentTitle();
}

function updateDocumentTitle() {
  if (!state.catalogue) return;
  let unread = 0;
  for (const conversation of state.conversations.values()) unread += conversation.unread;
  let title = state.catalogue.t('page.title');
  if (unread > 0) title = `(${unread}) ${title}`;
  if (state.offers.size > 0) {
    title = `${state.catalogue.t('offers.title_badge', { count: state.offers.size })} – ${title}`;
  }
  document.title = title;
}

function sendMessage(conversation) {
  if (conversation.ended) return;
  const textarea = conversation.panel.querySelector('textarea');
  const text = textarea.value;
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
  item.querySelector('.message-author').dataset.i18n = 'chat.you';
  conversation.ownMessageIds.add(id);
  const sent = connection.send({ type: 'message', id, conversation: conversation.id, text });
  setDeliveryState(item, sent ? 'sending' : 'not_sent', state.catalogue);
  if (sent) state.pendingMessages.set(id, { conversation, item, text });
  appendToLog(conversation.panel.querySelector('.chat-log'), item);
  conversation.typingSignal.reset();
  textarea.value = '';
  textarea.focus();
}

function onAccepted(message) {
  const pending = state.pendingMessages.get(message.id);
  if (!pending) return;
  state.pendingMessages.delete(message.id);
  pending.item.dataset.seq = String(message.seq);
  setDeliveryState(pending.item, 'delivered', state.catalogue);
}

function onMessage(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation) return;
  connection.send({ type: 'ack', conversation: conversation.id, seq: message.seq });
  if (message.from === 'advisor' && conversation.ownMessageIds.has(message.id)) return; // ours
  conversation.typingIndicator.clearFrom(message.from === 'advisor' ? message.author : 'client');
  if (message.seq <= conversation.lastSeenSeq) return;
  conversation.lastSeenSeq = message.seq;
  const fromColleague = message.from === 'advisor';
  const item = createMessageItem({
    own: false,
    author: fromColleague ? message.author ?? '' : state.catalogue.t('chat.client'),
    text: message.text,
    time: message.sent_at ? new Date(message.sent_at) : new Date(),
    locale: state.catalogue.tag,
    seq: message.seq,
  });
  if (fromColleague) item.classList.add('message-colleague');
  else item.querySelector('.message-author').dataset.i18n = 'chat.client';
  appendToLog(conversation.panel.querySelector('.chat-log'), item);
  if (state.selectedId !== conversation.id || document.hidden) {
    conversation.unread += 1;
    renderConversationLabels(conversation);
    updateDocumentTitle();
  }
}

function finishConversation(conversation, reason) {
  if (conversation.ended) return;
  conversation.ended = true;
  conversation.typingIndicator.clear();
  for (const [id, pending] of state.pendingMessages) {
    if (pending.conversation !== conversation) continue;
    setDeliveryState(pending.item, 'not_sent', state.catalogue);
    state.pendingMessages.delete(id);
  }
  const key = endedMessageKeys[reason] ?? 'ended.generic';
  const note = createSystemNote(state.catalogue.t(key), 'ended-text');
  note.dataset.i18n = key;
  const { panel } = conversation;
  appendToLog(panel.querySelector('.chat-log'), note);
  const hadFocus = panel.contains(document.activeElement);
  panel.querySelector('.message-form').hidden = true;
  panel.querySelector('[data-testid="end-button"]').hidden = true;
  const removeButton = panel.querySelector('[data-testid="remove-button"]');
  removeButton.hidden = false;
  if (hadFocus) removeButton.focus();
  renderConversationLabels(conversation);
  renderTeam(conversation);
  renderPresence();
}

// A clerk's customer joined the language-support conversation from a kiosk or their phone, or
// left it (PROTOCOL.md, `customer_joined`, `customer_left`): a line in that conversation's chat.
function onCustomerEvent(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation || conversation.ended) return;
  connection.send({ type: 'ack', conversation: conversation.id, seq: message.seq });
  if (message.seq <= conversation.lastSeenSeq) return;
  conversation.lastSeenSeq = message.seq;
  const joined = message.type === 'customer_joined';
  const line = createSystemNote('', joined ? 'customer-joined' : 'customer-left');
  state.catalogue.fill(line, joined ? 'chat.customer_joined' : 'chat.customer_left');
  appendToLog(conversation.panel.querySelector('.chat-log'), line);
  if (state.selectedId !== conversation.id || document.hidden) announce(line.textContent);
}

// The client's connection dropped (a phone changing cells) or came back within its resume
// window (PROTOCOL.md, `client_connection`): a line in the chat. Messages written meanwhile wait
// for the client and reach it on its return.
function onClientConnection(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation || conversation.ended) return;
  const back = message.status === 'back';
  const line = createSystemNote('', back ? 'client-back' : 'client-reconnecting');
  state.catalogue.fill(line, back ? 'chat.client_back' : 'chat.client_reconnecting');
  appendToLog(conversation.panel.querySelector('.chat-log'), line);
  if (!back) conversation.typingIndicator.clear();
  if (state.selectedId !== conversation.id || document.hidden) announce(line.textContent);
}

// The client (or clerk, or their customer at a kiosk) or an invited colleague is typing in this
// conversation: a line under its log for 5 s after the last one.
function onTyping(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation || conversation.ended) return;
  if (message.from === 'advisor') {
    conversation.typingIndicator.show(message.name ?? '', 'chat.typing_colleague', {
      advisor: message.name ?? '',
    });
  } else {
    conversation.typingIndicator.show('client', 'chat.typing_client');
  }
}

function onConversationEnded(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation) return;
  finishConversation(conversation, message.reason);
  if (state.selectedId !== conversation.id) {
    announce(state.catalogue.t(endedMessageKeys[message.reason] ?? 'ended.generic'));
  }
}

// Left or handed on: the conversation goes on without this advisor.
function onConversationLeft(message) {
  const conversation = state.conversations.get(message.conversation);
  if (!conversation) return;
  finishConversation(conversation, message.reason === 'transferred' ? 'transferred' : 'left');
  announce(state.catalogue.t(endedMessageKeys[message.reason] ?? 'ended.left'));
}

// A message refused for coming too fast: kept as written and sent again with the same id once
// the server's wait is over (unless its conversation has ended meanwhile).
function holdForRate(id, retryAfterMs) {
  const pending = state.pendingMessages.get(id);
  setDeliveryState(pending.item, 'waiting', state.catalogue);
  setTimeout(() => {
    if (state.pendingMessages.get(id) !== pending) return;
    const sent = connection.send({
      type: 'message', id, conversation: pending.conversation.id, text: pending.text,
    });
    setDeliveryState(pending.item, sent ? 'sending' : 'not_sent', state.catalogue);
    if (!sent) state.pendingMessages.delete(id);
  }, Math.max(Number(retryAfterMs) || 1000, 100));
}

function onError(message) {
  // A refused wrap-up is shown on its form (js/wrapup.js).
  if (isWrapupRef(message.ref)) return;
  // A `typing` (which has no id) that crossed the end of a conversation: nothing to say.
  if (!message.ref && message.code === 'not_in_conversation') return;
  if (message.code === 'session_replaced') state.sessionReplaced = true;
  if (message.code === 'no_such_offer') {
    // Answered too late: the offer has gone (offer_withdrawn may be on its way).
    for (const offer of state.offers.values()) {
      if (offer.answerId === message.ref) removeOffer(offer.id);
    }
  }
  // A chat message is held here, a consult message by js/consults.js; both say why.
  if (message.code === 'rate_limited') {
    if (state.pendingMessages.has(message.ref)) holdForRate(message.ref, message.retry_after_ms);
    showError('error.rate_limited', { seconds: Math.ceil((message.retry_after_ms ?? 1000) / 1000) });
    return;
  }
  if (message.code === 'not_in_conversation') {
    const pending = state.pendingMessages.get(message.ref);
    if (pending) finishConversation(pending.conversation, 'generic');
  }
  const key = errorMessageKeys[message.code];
  if (key) showError(key);
  else showError('error.generic', { reason: message.reason ?? message.code });
  if (message.ref && state.pendingMessages.has(message.ref)) {
    setDeliveryState(state.pendingMessages.get(message.ref).item, 'not_sent', state.catalogue);
    state.pendingMessages.delete(message.ref);
  }
}

// ---- Start ----

function bindEvents() {
  elements.signInForm.addEventListener('submit', signIn);
  elements.signOutButton.addEventListener('click', signOut);
  elements.reconnectButton.addEventListener('click', () => {
    clearError();
    connect();
  });
  elements.uiLanguageSelect.addEventListener('change', async () => {
    const tag = elements.uiLanguageSelect.value;
    rememberUiLanguage(UI_LANGUAGE_STORAGE_KEY, tag);
    await useUiLanguage(tag);
  });
  for (const radio of elements.presenceRadios) radio.addEventListener('change', sendPresence);
  elements.capacityInput.addEventListener('change', sendPresence);
  elements.followScheduleInput.addEventListener('change', sendPresence);
  const desk = {
    connection,
    catalogue: () => state.catalogue,
    advisor: () => state.advisor,
    languageNode,
    homeLabel,
    announce,
    showError,
    clearError,
    maxTextBytes: () => state.maxTextBytes,
    conversation: (id) => state.conversations.get(id),
    selectedConversation: () => {
      const conversation = state.conversations.get(state.selectedId);
      return conversation && !conversation.ended ? conversation : null;
    },
    openConsult: (colleague, about) => openConsult(colleague, about),
    selectedId: () => state.selectedId,
    // A wrap-up due for a conversation this page no longer shows (it was reloaded): a panel for
    // it, already ended.
    addEndedConversation: (message) => {
      const conversation = addConversation(message);
      finishConversation(conversation, 'generic');
      if (state.selectedId === null) selectConversation(conversation.id, { moveFocus: false });
      return conversation;
    },
  };
  document.addEventListener('pointerdown', unlockAudio);
  document.addEventListener('keydown', unlockAudio);

  connection
    .on('welcome', onWelcome)
    .on('presence', onPresence)
    .on('offer', onOffer)
    .on('offer_withdrawn', onOfferWithdrawn)
    .on('conversation_started', onConversationStarted)
    .on('typing', onTyping)
    .on('message', onMessage)
    .on('customer_joined', onCustomerEvent)
    .on('customer_left', onCustomerEvent)
    .on('client_connection', onClientConnection)
    .on('accepted', onAccepted)
    .on('conversation_ended', onConversationEnded)
    .on('conversation_left', onConversationLeft)
    .on('error', onError)
    .onClose(onClose);
  // After the desk's own handlers, so that a conversation exists before its team is drawn.
  setupColleagues(desk);
  setupConsults(desk);
  setupWrapups(desk);
}

async function start() {
  bindEvents();
  await useUiLanguage(rememberedUiLanguage(UI_LANGUAGE_STORAGE_KEY) ?? 'en');
  await checkSession();
}

start();
