// What the client and clerk pages show while a dropped connection comes back by itself
// (connection.js resumes the session): a notice, announced to screen readers, and what was on
// its way is held to be sent again, with the same ids, once back.
export class ReconnectNotice {
  constructor(element, { announce, catalogue, chat, typingIndicator }) {
    this.element = element;
    this.announce = announce;
    this.catalogue = catalogue;
    this.chat = chat;
    this.typingIndicator = typingIndicator;
  }

  dropped() {
    this.chat.holdPending();
    this.typingIndicator.clear();
    this.element.hidden = false;
    this.announce(this.catalogue().t('connection.reconnecting'));
  }

  back() {
    this.element.hidden = true;
    this.announce(this.catalogue().t('connection.back'));
  }

  hide() {
    this.element.hidden = true;
  }
}
