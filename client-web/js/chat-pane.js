// The chat pane of the client page and the clerk page: writing and showing messages, and the
// delivery state of one's own. A message is pending from sending until `accepted`; one the
// server refused while nobody could read it (the advisor reconnecting, or waiting for the next
// one) is held and sent again later with the same id (the server stores a repeat only once), and
// so is one refused for coming too fast, until the wait the server named is over.

import {
  appendToLog, createMessageItem, createSystemNote, setDeliveryState, utf8Length,
} from './chat-log.js';

export class ChatPane {
  // `log`: the <ol> of the chat; `catalogue()`: the page's current catalogue.
  constructor(connection, log, catalogue) {
    this.connection = connection;
    this.log = log;
    this.catalogue = catalogue;
    this.pending = new Map(); // message id -> { text, item }, until `accepted`
    this.held = new Map(); // message id -> { text, item }, in the order written
    // Ids of the messages written here: the client side may be two screens (a clerk and the
    // customer at a kiosk), both `from` `client`, so only the id tells one's own apart.
    this.ownIds = new Set();
  }

  // Whether `message` is one written on this page (shown already when sent).
  isOwn(message) {
    return message.from === 'client' && this.ownIds.has(message.id);
  }

  // The error key for a text that cannot be sent, or null.
  static refusal(text, maxTextBytes) {
    if (text.trim() === '') return 'error.empty_message';
    if (utf8Length(text) > maxTextBytes) return 'error.message_too_long';
    return null;
  }

  // Shows one's own message and sends it, or holds it when `hold` (it would be refused now).
  write(conversationId, text, { hold }) {
    const catalogue = this.catalogue();
    const id = this.connection.nextId('m');
    this.ownIds.add(id);
    const item = createMessageItem({
      own: true,
      author: catalogue.t('chat.you'),
      text,
      time: new Date(),
      locale: catalogue.tag,
      messageId: id,
    });
    if (hold) {
      this.hold(id, text, item);
    } else {
      const sent = this.connection.send({ type: 'message', id, conversation: conversationId, text });
      setDeliveryState(item, sent ? 'sending' : 'not_sent', catalogue);
      if (sent) this.pending.set(id, { text, item });
    }
    appendToLog(this.log, item);
  }

  hold(id, text, item) {
    this.held.set(id, { text, item });
    setDeliveryState(item, 'waiting', this.catalogue());
  }

  // Sends the held messages again, oldest first; stops at the first that cannot leave.
  resendHeld(conversationId) {
    for (const [id, { text, item }] of this.held) {
      if (!this.connection.send({ type: 'message', id, conversation: conversationId, text })) break;
      this.held.delete(id);
      this.pending.set(id, { text, item });
      setDeliveryState(item, 'sending', this.catalogue());
    }
  }

  // `error` advisor_unavailable for a pending message: hold it. False when it was not pending.
  holdRefused(ref) {
    const pending = this.pending.get(ref);
    if (!pending) return false;
    this.pending.delete(ref);
    this.hold(ref, pending.text, pending.item);
    return true;
  }

  // `error` rate_limited for a pending message: hold it and send what is held again after
  // `retryAfterMs`, then call `onResent`. False when it was not pending.
  holdForRate(ref, retryAfterMs, conversationId, onResent = () => {}) {
    if (!this.holdRefused(ref)) return false;
    clearTimeout(this.rateTimer);
    this.rateTimer = setTimeout(() => {
      this.rateTimer = null;
      this.resendHeld(conversationId);
      onResent();
    }, Math.max(Number(retryAfterMs) || 1000, 100));
    return true;
  }

  // Any other `error` for a pending message: it was not sent.
  markRefused(ref) {
    const pending = this.pending.get(ref);
    if (!pending) return;
    setDeliveryState(pending.item, 'not_sent', this.catalogue());
    this.pending.delete(ref);
  }

  onAccepted(message) {
    const { item } = this.pending.get(message.id) ?? {};
    if (!item) return;
    this.pending.delete(message.id);
    item.dataset.seq = String(message.seq);
    setDeliveryState(item, 'delivered', this.catalogue());
  }

  // An advisor's message, or one of the other screen of the client side (`authorKey`: how it is
  // named, the clerk's or the customer's).
  showOther(message, { authorKey } = {}) {
    const catalogue = this.catalogue();
    const item = createMessageItem({
      own: false,
      author: authorKey ? catalogue.t(authorKey) : message.author || catalogue.t('chat.advisor'),
      text: message.text,
      time: message.sent_at ? new Date(message.sent_at) : new Date(),
      locale: catalogue.tag,
      seq: message.seq,
    });
    // The log keeps the conversation's order. A message that reaches us late (sent while our
    // connection was down) goes before our own ones the server numbered after it, and before
    // those it has not numbered yet (still on their way).
    const later = [...this.log.children].find((other) => other.dataset.from === 'self' &&
      (other.dataset.seq === undefined ? this.pending.has(other.dataset.messageId) ||
        this.held.has(other.dataset.messageId) : Number(other.dataset.seq) > message.seq));
    if (later) this.log.insertBefore(item, later);
    else appendToLog(this.log, item);
  }

  // A line from the system in the log; the caller announces it where it should be.
  addNote(key, params, testId) {
    const note = createSystemNote('', testId);
    this.catalogue().fill(note, key, params);
    appendToLog(this.log, note);
    return note;
  }

  addEndNote(text) {
    appendToLog(this.log, createSystemNote(text, 'ended-text'));
  }

  // The connection dropped and is coming back: what was on its way may not have arrived, so it
  // is held and sent again with the same ids (a repeat of one that did arrive is shown once).
  holdPending() {
    for (const [id, { text, item }] of this.pending) this.hold(id, text, item);
    this.pending.clear();
  }

  // The connection closed: what was on its way did not arrive.
  failPending() {
    for (const { item } of this.pending.values()) {
      setDeliveryState(item, 'not_sent', this.catalogue());
    }
    this.pending.clear();
  }

  // The conversation ended: nothing pending or held will be sent.
  failAll() {
    clearTimeout(this.rateTimer);
    for (const { item } of [...this.pending.values(), ...this.held.values()]) {
      setDeliveryState(item, 'not_sent', this.catalogue());
    }
    this.pending.clear();
    this.held.clear();
  }

  // Forgets the messages and empties the log.
  clear() {
    clearTimeout(this.rateTimer);
    this.pending.clear();
    this.ownIds.clear();
    this.held.clear();
    this.log.replaceChildren();
  }
}

// Enter sends, Shift+Enter makes a new line. Not while an input method (Chinese, for example)
// is still composing: there Enter confirms the characters.
export function sendOnEnter(input, form) {
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
