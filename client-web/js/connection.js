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

// Waits between reconnection attempts after a drop: quick at first (a phone's network is often
// back within a second), then every few seconds, with some jitter so that a whole library's
// kiosks do not come back in the same instant.
export function retryDelayMs(attempt, random = Math.random) {
  const base = Math.min(500 * 2 ** attempt, 4000);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class Connection {
  // path: '/ws/client' or '/ws/advisor'.
  // resumable: after a drop the connection comes back by itself and resumes the session
  // (PROTOCOL.md, "A client's connection drops"), as long as `worthResuming()` says there is
  // something to continue; `lastSeq()` is the highest seq the page has of its conversation.
  constructor(path, { resumable = false, worthResuming = () => true, lastSeq = () => 0 } = {}) {
    this.path = path;
    this.socket = null;
    this.handlers = new Map();
    this.closeHandlers = [];
    this.reconnectingHandlers = [];
    this.idPrefix = randomPrefix();
    this.idCounter = 0;
    this.closingOnPurpose = false;
    this.resumable = resumable;
    this.worthResuming = worthResuming;
    this.lastSeq = lastSeq;
    // The session's token (kept in memory only: it would let anyone holding it read on), the
    // one the current connection's welcome offered, and the resume window.
    this.resumeToken = null;
    this.offeredToken = null;
    this.resumeWindowMs = 0;
    this.resuming = false; // between a drop and the answer to `resume`
    this.resumeId = null;
    this.droppedAt = 0;
    this.attempt = 0;
    this.retryTimer = null;
    if (resumable) {
      // The token lives only in this page: once the page goes (closed, reloaded, navigated
      // away), nobody can resume, so say goodbye rather than leave the session waiting.
      window.addEventListener('pagehide', (event) => {
        if (!event.persisted) this.close();
      });
    }
  }

  // handler() runs when the connection dropped and is being restored.
  onReconnecting(handler) {
    this.reconnectingHandlers.push(handler);
    return this;
  }

  // Registers a handler for one message `type`; unknown types are ignored, as PROTOCOL.md asks.
  on(type, handler) {
    if (!this.handlers.has(type)) this.handlers.set(type, []);
    this.handlers.get(type).push(handler);
    return this;
  }

  // handler({ code, reason, wasOpen, onPurpose, gaveUp }) runs whenever the socket closes or
  // fails, unless a resumable connection is about to try again.
  onClose(handler) {
    this.closeHandlers.push(handler);
    return this;
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    this.closingOnPurpose = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
      const wasResuming = this.resuming;
      if (this.keepTrying(event.code)) return;
      const details = {
        code: event.code,
        reason: event.reason,
        wasOpen,
        onPurpose: this.closingOnPurpose,
        gaveUp: wasResuming, // the resume window passed while trying to come back
      };
      for (const handler of this.closeHandlers) handler(details);
    });
  }

  // After a drop: true while another attempt is coming. Not after our own close or a replaced
  // session (1008), nor past the window. The server's restart (1001) is a drop like any other:
  // it keeps the session for the next start.
  keepTrying(code) {
    if (!this.resumable || this.closingOnPurpose || code === 1008) return false;
    if (!this.resuming) {
      if (!this.resumeToken || !this.worthResuming()) return false;
      this.resuming = true;
      this.droppedAt = Date.now();
      this.attempt = 0;
      for (const handler of this.reconnectingHandlers) handler();
    }
    const delay = retryDelayMs(this.attempt);
    if (Date.now() + delay - this.droppedAt > this.resumeWindowMs) {
      this.resuming = false;
      return false;
    }
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
    return true;
  }

  // Every welcome offers a token; it becomes the session's unless this connection resumes one.
  onWelcome(message) {
    if (!this.resumable) return;
    this.offeredToken = message.resume?.token ?? null;
    this.resumeWindowMs = (message.resume?.window_seconds ?? 0) * 1000;
    if (!this.resuming) {
      this.resumeToken = this.offeredToken;
      return;
    }
    this.resumeId = this.nextId('s');
    this.send({ type: 'resume', id: this.resumeId, token: this.resumeToken,
      last_seq: this.lastSeq() });
  }

  // The answer to `resume`: the session goes on (resumed), or is over (resume_expired) and this
  // connection's own session takes its place.
  onResumeAnswer(message) {
    if (!this.resuming || message.ref !== this.resumeId) return;
    this.resuming = false;
    this.resumeId = null;
    if (message.type !== 'resumed') this.resumeToken = this.offeredToken;
  }

  close() {
    this.closingOnPurpose = true;
    this.resuming = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
    if (message.type === 'welcome') this.onWelcome(message);
    // Read before the page's handlers, which ask `resuming` whether this is the answer.
    const resumeAnswer = this.resuming && message.ref === this.resumeId &&
      (message.type === 'resumed' || (message.type === 'error' && message.code === 'resume_expired'));
    for (const handler of this.handlers.get(message.type) ?? []) handler(message);
    if (resumeAnswer) this.onResumeAnswer(message);
  }
}
