// Typing indications (PROTOCOL.md, `typing`): a page tells the server at most every 3 s that its
// person is writing, and shows "Aino is typing…" for 5 s after the other side's last one. Nothing
// of it is kept: it is not a message and not part of the conversation.

export const TYPING_SEND_INTERVAL_MS = 3000;
export const TYPING_SHOWN_MS = 5000;

// The sending side of one composer.
export class TypingSignal {
  constructor(connection, now = () => Date.now()) {
    this.connection = connection;
    this.now = now;
    this.lastSent = null; // { conversation, at }
  }

  // On every input in the composer: sends `typing` unless the text is empty or one was sent for
  // the same conversation less than 3 s ago. The caller checks that the conversation is open.
  onInput(conversationId, text) {
    if (!conversationId || text.trim() === '') return;
    const at = this.now();
    const last = this.lastSent;
    if (last && last.conversation === conversationId && at - last.at < TYPING_SEND_INTERVAL_MS) {
      return;
    }
    if (this.connection.send({ type: 'typing', conversation: conversationId })) {
      this.lastSent = { conversation: conversationId, at };
    }
  }

  // A message was sent: the next keystroke may say so again at once.
  reset() {
    this.lastSent = null;
  }
}

// The polite live region under a chat log. `catalogue()` is the page's current catalogue; the
// text is redrawn only when it changes, so a screen reader says it once, not every 3 s.
export class TypingIndicator {
  constructor(element, catalogue) {
    this.element = element;
    this.catalogue = catalogue;
    this.shown = null; // { side, key, params }
    this.timer = null;
  }

  // `side`: who types ("advisor" or "client"), so that a message from that side clears it.
  show(side, key, params = {}) {
    const same = this.shown && this.shown.key === key &&
      JSON.stringify(this.shown.params) === JSON.stringify(params);
    this.shown = { side, key, params };
    if (!same) this.render();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), TYPING_SHOWN_MS);
  }

  // A message from `side` arrived: what they typed is there now.
  clearFrom(side) {
    if (this.shown && this.shown.side === side) this.clear();
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = null;
    this.shown = null;
    this.element.replaceChildren();
  }

  // The interface language changed.
  render() {
    if (!this.shown) {
      this.element.replaceChildren();
      return;
    }
    this.catalogue().fill(this.element, this.shown.key, this.shown.params);
  }
}
