// Chat log rendering shared by the client page and the advisor desk. Both catalogues define
// the keys used here: chat.sending, chat.delivered, chat.not_sent, chat.not_sent_yet.

const deliveryStateKeys = {
  sending: 'chat.sending',
  delivered: 'chat.delivered',
  not_sent: 'chat.not_sent',
  waiting: 'chat.not_sent_yet', // kept by the page, to be sent again later
};

export function formatTime(date, locale) {
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(date);
  }
}

// Builds one <li> for a chat message. `own` messages carry a delivery state line.
export function createMessageItem({ own, author, text, time, locale, messageId, seq }) {
  const item = document.createElement('li');
  item.className = own ? 'message message-own' : 'message message-other';
  item.dataset.testid = 'message';
  item.dataset.from = own ? 'self' : 'other';
  if (messageId) item.dataset.messageId = messageId;
  if (seq !== undefined) item.dataset.seq = String(seq);

  const meta = document.createElement('p');
  meta.className = 'message-meta';
  const authorElement = document.createElement('bdi');
  authorElement.className = 'message-author';
  authorElement.textContent = author;
  const timeElement = document.createElement('time');
  timeElement.dateTime = time.toISOString();
  timeElement.textContent = formatTime(time, locale);
  meta.append(authorElement, ' ', timeElement);

  // dir="auto": the text may be in another script than the interface (a Finnish advisor's
  // answer quoted in an Arabic chat, a street name in Latin letters).
  const body = document.createElement('p');
  body.className = 'message-text';
  body.dir = 'auto';
  body.dataset.testid = 'message-text';
  body.textContent = text;

  item.append(meta, body);
  if (own) {
    const deliveryState = document.createElement('p');
    deliveryState.className = 'delivery-state';
    deliveryState.dataset.testid = 'delivery-state';
    item.append(deliveryState);
  }
  return item;
}

export function setDeliveryState(item, state, catalogue) {
  const deliveryState = item.querySelector('.delivery-state');
  if (!deliveryState) return;
  item.dataset.state = state;
  deliveryState.dataset.state = state;
  deliveryState.textContent = catalogue.t(deliveryStateKeys[state]);
}

// A line from the system (conversation started or ended), not from a person.
export function createSystemNote(text, testId) {
  const item = document.createElement('li');
  item.className = 'system-note';
  item.dataset.testid = testId;
  item.textContent = text;
  return item;
}

// Keeps the newest message in view unless the reader has scrolled up to read older ones.
export function appendToLog(log, item) {
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  log.append(item);
  if (nearBottom) item.scrollIntoView({ block: 'nearest' });
}

export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}
