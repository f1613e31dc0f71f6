// Shared WebSocket wrapper for the client and advisor pages: speaks the `neuvo.v1` subprotocol,
// encodes and decodes JSON, numbers outgoing ids and dispatches incoming messages by `type`.

export const SUBPROTOCOL = 'neuvo.v1';

// Ids must be unique per sender. A random prefix per page load keeps them unique across
// reconnects without the server having to tell us anything.
function randomPrefix() {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function webSocketUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}`;
}

export class Connection {
  // path: '/ws/client' or '/ws/advisor'.
  constructor(path) {
    this.path = path;
    this.socket = null;
    this.handlers = new Map();
    this.closeHandlers = [];
    this.idPrefix = randomPrefix();
    this.idCounter = 0;
    this.closingOnPurpose = false;
  }

  // Registers a handler for one message `type`; unknown types are ignored, as PROTOCOL.md asks.
  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
    return this;
  }

  // handler({ code, reason, wasOpen, onPurpose }) runs whenever the socket closes or fails.
  onClose(handler) {
    this.closeHandlers.push(handler);
    return this;
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    this.closingOnPurpose = false;
    const socket = new WebSocket(webSocketUrl(this.path), SUBPROTOCOL);
    this.socket = socket;
    let wasOpen = false;
    socket.addEventListener('open', () => {
      wasOpen = true;
    });
    socket.addEventListener('message', (event) => this.dispatch(event.data));
    socket.addEventListener('close', (event) => {
      // A newer connect() may already have replaced this socket; its events are not ours.
      if (this.socket !== socket) return;
      this.socket = null;
      const details = {
        code: event.code,
        reason: event.reason,
        wasOpen,
        onPurpose: this.closingOnPurpose,
      };
      for (const handler of this.closeHandlers) handler(details);
    });
  }

  close() {
    this.closingOnPurpose = true;
    if (this.socket) this.socket.close(1000);
  }

  nextId(kind) {
    this.idCounter += 1;
    return `${kind}-${this.idPrefix}-${this.idCounter}`;
  }

  // Sends one message object. Returns false when the socket is not open, so the caller can
  // show that the message did not leave.
  send(message) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  dispatch(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('neuvo: ignored a frame that is not JSON');
      return;
    }
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
      console.warn('neuvo: ignored a frame without a type');
      return;
    }
    for (const handler of this.handlers.get(message.type) ?? []) handler(message);
  }
}
