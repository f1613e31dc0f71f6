// Working together on the advisor desk: the directory of signed-in colleagues (filtered by
// language and point, refreshed while the page is visible), inviting a colleague into a
// conversation or transferring it (to a colleague or to a language's queue, with a note only
// the receiver reads), what became of it (`handover`), who else is in a conversation
// (`advisor_joined`, `advisor_left`) and the offers of kind `invitation` and `transfer`.
//
// advisor.js owns the conversations; this module gets what it needs through `desk` (see
// setupColleagues) and keeps its own state on the conversation objects (`team`).

import { createSystemNote, appendToLog, utf8Length } from './chat-log.js';

const DIRECTORY_REFRESH_MS = 10_000;
const MAX_NOTE_BYTES = 500;

const statusKeys = {
  available: 'colleagues.status_available',
  away: 'colleagues.status_away',
};

const roleKeys = {
  lead: 'team.role_lead',
  invited: 'team.role_invited',
};

const joinedKeys = {
  invitation: 'team.joined_invitation',
  transfer: 'team.joined_transfer',
  reassignment: 'team.joined_reassignment',
};

const leftKeys = {
  left: 'team.left',
  transferred: 'team.left_transferred',
  disconnected: 'team.left_disconnected',
};

const byId = (id) => document.getElementById(id);

let desk = null;
const elements = {};
const directory = {
  colleagues: [], // the last `directory` answer
  points: new Map(), // point id -> point name, every point seen in an answer
  requestId: null,
  timer: null,
  updatedAt: null,
};
const handovers = new Map(); // invite/transfer id -> conversation id, until `handover` or error
const dialogState = { mode: null, conversation: null };

// `desk`: { connection, catalogue(), advisor(), languages(), languageNode(tag), homeLabel(code),
// announce(text), showError(key, params), clearError(), conversation(id), selectedConversation(),
// openConsult(colleague, about) }
export function setupColleagues(deskContext) {
  desk = deskContext;
  Object.assign(elements, {
    panel: byId('colleagues-panel'),
    languageFilter: byId('colleague-language-filter'),
    pointFilter: byId('colleague-point-filter'),
    refreshButton: byId('colleagues-refresh'),
    context: byId('colleagues-context'),
    aboutChoice: byId('consult-about-choice'),
    aboutInput: byId('consult-about-input'),
    aboutLabel: byId('consult-about-label'),
    status: byId('colleagues-status'),
    list: byId('colleague-list'),
    dialog: byId('handover-dialog'),
    dialogForm: byId('handover-form'),
    dialogTitle: byId('handover-title'),
    dialogAbout: byId('handover-about'),
    targetFieldset: byId('handover-target'),
    targetColleague: byId('handover-to-colleague'),
    targetQueue: byId('handover-to-queue'),
    colleagueSelect: byId('handover-colleague-select'),
    languageSelect: byId('handover-language-select'),
    noteInput: byId('handover-note'),
    noteCount: byId('handover-note-count'),
    dialogError: byId('handover-error'),
    cancelButton: byId('handover-cancel'),
  });

  elements.languageFilter.addEventListener('change', requestDirectory);
  elements.pointFilter.addEventListener('change', requestDirectory);
  elements.refreshButton.addEventListener('click', requestDirectory);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) requestDirectory();
  });
  elements.dialogForm.addEventListener('submit', submitHandover);
  elements.cancelButton.addEventListener('click', () => elements.dialog.close());
  elements.noteInput.addEventListener('input', renderNoteCount);
  elements.colleagueSelect.addEventListener('change', () => {
    elements.targetColleague.checked = true;
  });
  elements.languageSelect.addEventListener('change', () => {
    elements.targetQueue.checked = true;
  });

  desk.connection
    .on('welcome', onWelcome)
    .on('directory', onDirectory)
    .on('handover', onHandover)
    .on('advisor_joined', onAdvisorJoined)
    .on('advisor_left', onAdvisorLeft)
    .on('error', onError)
    .onClose(() => {
      clearInterval(directory.timer);
      directory.timer = null;
    });
}

const t = (key, params) => desk.catalogue().t(key, params);
const fill = (element, key, params) => desk.catalogue().fill(element, key, params);

function colleagueLabel(person) {
  const point = person?.point_name ?? person?.point ?? '';
  return point ? `${person?.name ?? ''} (${point})` : person?.name ?? '';
}

// ---- The directory ----

function onWelcome(message) {
  const previous = elements.languageFilter.value;
  const options = (message.languages ?? []).map((language) => {
    const option = document.createElement('option');
    option.value = language.tag;
    option.lang = language.tag;
    option.textContent = `${language.autonym} (${language.tag})`;
    return option;
  });
  elements.languageFilter.replaceChildren(elements.languageFilter.options[0], ...options);
  elements.languageFilter.value = previous;
  if (elements.languageFilter.value !== previous) elements.languageFilter.value = '';
  fillLanguageSelect(message.languages ?? []);
  requestDirectory();
  clearInterval(directory.timer);
  directory.timer = setInterval(() => {
    if (!document.hidden) requestDirectory();
  }, DIRECTORY_REFRESH_MS);
}

function fillLanguageSelect(languages) {
  const options = languages.map((language) => {
    const option = document.createElement('option');
    option.value = language.tag;
    option.lang = language.tag;
    option.textContent = `${language.autonym} (${language.tag})`;
    return option;
  });
  elements.languageSelect.replaceChildren(...options);
}

export function requestDirectory() {
  const message = { type: 'directory', id: desk.connection.nextId('dir') };
  if (elements.languageFilter.value) message.language = elements.languageFilter.value;
  if (elements.pointFilter.value) message.point = elements.pointFilter.value;
  if (desk.connection.send(message)) directory.requestId = message.id;
}

function onDirectory(message) {
  // An answer to an older request (the filter has changed since) is not what is asked now.
  if (message.ref && directory.requestId && message.ref !== directory.requestId) return;
  directory.colleagues = Array.isArray(message.advisors) ? message.advisors : [];
  directory.updatedAt = new Date();
  for (const colleague of directory.colleagues) {
    if (colleague.point) directory.points.set(colleague.point, colleague.point_name ?? colleague.point);
  }
  renderPointFilter();
  renderDirectory();
}

function renderPointFilter() {
  const previous = elements.pointFilter.value;
  const options = [...directory.points].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => {
    const option = document.createElement('option');
    option.value = id;
    option.textContent = name;
    return option;
  });
  elements.pointFilter.replaceChildren(elements.pointFilter.options[0], ...options);
  elements.pointFilter.value = previous;
}

function renderDirectory() {
  const context = desk.selectedConversation();
  renderContext(context);
  const { colleagues } = directory;
  if (!directory.updatedAt) {
    elements.status.textContent = ''; // not asked yet
  } else if (colleagues.length === 0) {
    fill(elements.status, 'colleagues.none');
  } else {
    fill(elements.status, 'colleagues.count', { count: colleagues.length });
  }
  const focusedId = elements.list.contains(document.activeElement)
    ? document.activeElement.dataset.action + document.activeElement.closest('li')?.dataset.colleague
    : null;
  const items = colleagues.map((colleague) => renderColleague(colleague, context));
  elements.list.replaceChildren(...items);
  if (focusedId) {
    for (const button of elements.list.querySelectorAll('button')) {
      if (button.dataset.action + button.closest('li').dataset.colleague === focusedId) button.focus();
    }
  }
  renderColleagueSelect();
}

function renderContext(context) {
  elements.context.hidden = context === null;
  elements.aboutChoice.hidden = context === null;
  if (!context) {
    elements.aboutInput.checked = false;
    return;
  }
  fill(elements.context, 'colleagues.context', {
    language: desk.languageNode(context.language),
    home: desk.homeLabel(context.home),
  });
  fill(elements.aboutLabel, 'colleagues.consult_about', {
    language: desk.languageNode(context.language),
    home: desk.homeLabel(context.home),
  });
}

function renderColleague(colleague, context) {
  const item = document.createElement('li');
  item.className = 'colleague';
  item.dataset.testid = 'colleague';
  item.dataset.colleague = String(colleague.id);
  item.dataset.name = colleague.name ?? '';
  const nameId = `colleague-name-${colleague.id}`;

  const name = document.createElement('p');
  name.className = 'colleague-name';
  const nameText = document.createElement('bdi');
  nameText.id = nameId;
  nameText.textContent = colleague.name ?? '';
  const status = document.createElement('span');
  status.className = 'badge badge-status';
  status.dataset.testid = 'colleague-status';
  status.dataset.status = colleague.connected === false ? 'reconnecting' : colleague.status ?? '';
  status.textContent = colleague.connected === false
    ? t('colleagues.status_reconnecting')
    : t(statusKeys[colleague.status] ?? 'colleagues.status_away');
  name.append(nameText, ' ', status);

  const point = document.createElement('p');
  point.className = 'colleague-point';
  point.dataset.testid = 'colleague-point';
  point.textContent = colleague.point_name ?? colleague.point ?? '';

  const languages = document.createElement('p');
  languages.className = 'colleague-languages';
  languages.dataset.testid = 'colleague-languages';
  const languageList = document.createElement('span');
  (colleague.languages ?? []).forEach((tag, index) => {
    if (index > 0) languageList.append(', ');
    languageList.append(desk.languageNode(tag));
  });
  fill(languages, 'colleagues.languages', { languages: languageList });

  const load = document.createElement('p');
  load.className = 'colleague-load';
  load.dataset.testid = 'colleague-load';
  fill(load, 'colleagues.load', { active: colleague.active ?? 0, capacity: colleague.capacity ?? '?' });

  const actions = document.createElement('div');
  actions.className = 'colleague-actions';
  const makeButton = (action, key, onClick) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.dataset.action = action;
    button.dataset.testid = `colleague-${action}`;
    button.textContent = t(key);
    button.setAttribute('aria-describedby', nameId);
    button.addEventListener('click', onClick);
    return button;
  };
  actions.append(makeButton('consult', 'colleagues.consult', () => {
    const about = elements.aboutInput.checked ? desk.selectedConversation()?.id : undefined;
    desk.openConsult(colleague, about);
  }));
  if (context) {
    const inConversation = (context.team?.participants ?? [])
      .some((person) => samePerson(person, colleague));
    if (!inConversation) {
      actions.append(makeButton('invite', 'colleagues.invite', () =>
        openHandoverDialog('invite', context, colleague)));
    }
    if ((context.team?.role ?? 'lead') === 'lead') {
      actions.append(makeButton('transfer', 'colleagues.transfer', () =>
        openHandoverDialog('transfer', context, colleague)));
    }
  }
  item.append(name, point, languages, load, actions);
  return item;
}

function samePerson(a, b) {
  return a?.name === b?.name && (a?.point ?? '') === (b?.point ?? '');
}

// Called by the desk when the selected conversation changes (Invite/Transfer act on it).
export function onSelectionChanged() {
  renderDirectory();
}

// "Ask a colleague about this case" / "Invite a colleague": to the directory, ready to act on
// this conversation.
function focusDirectory(conversation, { about }) {
  renderDirectory();
  elements.aboutInput.checked = about && conversation !== null;
  requestDirectory();
  elements.panel.scrollIntoView({ block: 'start' });
  const first = elements.list.querySelector(about ? '[data-action="consult"]' : '[data-action="invite"]');
  (first ?? elements.languageFilter).focus();
}

// ---- Invite and transfer ----

function renderColleagueSelect() {
  const previous = elements.colleagueSelect.value;
  const options = directory.colleagues.map((colleague) => {
    const option = document.createElement('option');
    option.value = String(colleague.id);
    option.textContent = colleagueLabel(colleague);
    return option;
  });
  elements.colleagueSelect.replaceChildren(...options);
  if (options.some((option) => option.value === previous)) elements.colleagueSelect.value = previous;
}

function openHandoverDialog(mode, conversation, colleague) {
  if (!conversation || conversation.ended) return;
  dialogState.mode = mode;
  dialogState.conversation = conversation.id;
  elements.dialog.dataset.mode = mode;
  elements.dialogTitle.textContent = t(mode === 'invite' ? 'handover.invite_title' : 'handover.transfer_title');
  fill(elements.dialogAbout, 'colleagues.context', {
    language: desk.languageNode(conversation.language),
    home: desk.homeLabel(conversation.home),
  });
  renderColleagueSelect();
  // An invitation goes to a colleague; only a transfer may go to a queue.
  elements.targetQueue.closest('.handover-choice').hidden = mode === 'invite';
  elements.languageSelect.closest('.field').hidden = mode === 'invite';
  if (colleague) {
    elements.colleagueSelect.value = String(colleague.id);
    elements.targetColleague.checked = true;
  } else if (mode === 'transfer' && directory.colleagues.length === 0) {
    elements.targetQueue.checked = true;
  } else {
    elements.targetColleague.checked = true;
  }
  elements.languageSelect.value = conversation.language;
  elements.noteInput.value = '';
  elements.dialogError.textContent = '';
  renderNoteCount();
  elements.dialog.showModal();
  (colleague ? elements.noteInput : elements.colleagueSelect).focus();
}

function renderNoteCount() {
  const bytes = utf8Length(elements.noteInput.value);
  fill(elements.noteCount, 'handover.note_count', { bytes, max: MAX_NOTE_BYTES });
  elements.noteCount.dataset.over = String(bytes > MAX_NOTE_BYTES);
}

function submitHandover(event) {
  event.preventDefault();
  const conversation = desk.conversation(dialogState.conversation);
  if (!conversation || conversation.ended) {
    elements.dialog.close();
    return;
  }
  const note = elements.noteInput.value.trim();
  if (utf8Length(note) > MAX_NOTE_BYTES) {
    elements.dialogError.textContent = t('handover.note_too_long', { max: MAX_NOTE_BYTES });
    elements.noteInput.focus();
    return;
  }
  const toQueue = dialogState.mode === 'transfer' && elements.targetQueue.checked;
  const message = {
    type: dialogState.mode,
    id: desk.connection.nextId(dialogState.mode === 'invite' ? 'i' : 't'),
    conversation: conversation.id,
  };
  if (toQueue) {
    message.language = elements.languageSelect.value;
  } else {
    const colleague = Number(elements.colleagueSelect.value);
    if (!elements.colleagueSelect.value || !Number.isFinite(colleague)) {
      elements.dialogError.textContent = t('handover.choose_colleague');
      elements.colleagueSelect.focus();
      return;
    }
    message.colleague = colleague;
  }
  if (note !== '') message.note = note;
  if (!desk.connection.send(message)) {
    elements.dialogError.textContent = t('connection.lost');
    return;
  }
  handovers.set(message.id, conversation.id);
  elements.dialog.close();
  conversation.panel.querySelector('textarea')?.focus();
}

function handoverKey(kind, status) {
  return `handover.${kind === 'invitation' || kind === 'invite' ? 'invitation' : 'transfer'}_${status}`;
}

function onHandover(message) {
  if (message.ref) handovers.delete(message.ref);
  const conversation = desk.conversation(message.conversation);
  if (!conversation) return;
  const key = handoverKey(message.kind, message.status);
  const params = {
    colleague: colleagueLabel(message.colleague),
    language: message.language ? desk.languageNode(message.language) : '',
  };
  const note = createSystemNote('', 'handover-note');
  note.dataset.status = message.status ?? '';
  note.dataset.kind = message.kind ?? '';
  fill(note, key, params);
  appendToLog(conversation.panel.querySelector('.chat-log'), note);
  announce(note.textContent);
  renderTeam(conversation);
}

// ---- Who else is in the conversation ----

function teamOf(conversation) {
  conversation.team ??= { role: 'lead', participants: [] };
  return conversation.team;
}

function isMe(person) {
  const me = desk.advisor();
  return me !== null && samePerson(person, me);
}

function onAdvisorJoined(message) {
  const conversation = desk.conversation(message.conversation);
  if (!conversation || conversation.ended) return;
  desk.connection.send({ type: 'ack', conversation: conversation.id, seq: message.seq });
  const team = teamOf(conversation);
  if (isMe(message.advisor)) {
    team.role = message.role ?? team.role;
  } else {
    team.participants = team.participants.filter((person) => !samePerson(person, message.advisor));
    team.participants.push({ ...message.advisor, role: message.role });
    // A new lead means this advisor is not (or no longer) it.
    if (message.role === 'lead') team.role = 'invited';
  }
  const line = createSystemNote('', 'team-note');
  line.dataset.event = 'joined';
  line.dataset.via = message.via ?? '';
  fill(line, joinedKeys[message.via] ?? 'team.joined_invitation', {
    name: message.advisor?.name ?? '',
    point: message.advisor?.point_name ?? message.advisor?.point ?? '',
    role: t(roleKeys[message.role] ?? 'team.role_invited'),
  });
  appendToLog(conversation.panel.querySelector('.chat-log'), line);
  renderTeam(conversation);
}

function onAdvisorLeft(message) {
  const conversation = desk.conversation(message.conversation);
  if (!conversation || conversation.ended) return;
  desk.connection.send({ type: 'ack', conversation: conversation.id, seq: message.seq });
  const team = teamOf(conversation);
  team.participants = team.participants.filter((person) => !samePerson(person, message.advisor));
  const line = createSystemNote('', 'team-note');
  line.dataset.event = 'left';
  line.dataset.reason = message.reason ?? '';
  fill(line, leftKeys[message.reason] ?? 'team.left', {
    name: message.advisor?.name ?? '',
    point: message.advisor?.point_name ?? message.advisor?.point ?? '',
  });
  appendToLog(conversation.panel.querySelector('.chat-log'), line);
  renderTeam(conversation);
}

// The chat pane's own controls: who else is here, and Ask / Invite / Transfer / Leave.
export function onConversationAdded(conversation, message) {
  const team = teamOf(conversation);
  team.role = message.joined_as ?? team.role;
  team.participants = (message.participants ?? []).filter((person) => !isMe(person));
  const { panel } = conversation;

  const participants = document.createElement('p');
  participants.className = 'team-participants';
  participants.dataset.testid = 'team-participants';
  panel.querySelector('.conversation-details').after(participants);

  if (message.joined_as) {
    // Taken over or joined: who handed it on, and their note (nothing earlier is sent).
    const handedBy = document.createElement('div');
    handedBy.className = 'handed-over';
    handedBy.dataset.testid = 'handed-over';
    const from = document.createElement('p');
    from.dataset.testid = 'handed-over-from';
    from.dataset.i18nJoined = message.joined_as;
    handedBy.append(from);
    if (message.note) {
      const noteHeading = document.createElement('p');
      noteHeading.className = 'handed-over-label';
      noteHeading.dataset.i18n = 'team.note_label';
      const note = document.createElement('blockquote');
      note.className = 'handover-note-text';
      note.dataset.testid = 'handed-over-note';
      note.dir = 'auto';
      note.textContent = message.note;
      handedBy.append(noteHeading, note);
    }
    participants.after(handedBy);
    conversation.handedOver = { from: message.from, joinedAs: message.joined_as };
  }

  const actions = panel.querySelector('.conversation-actions');
  const makeButton = (testId, key, onClick) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.dataset.testid = testId;
    button.dataset.i18n = key;
    button.addEventListener('click', onClick);
    actions.prepend(button);
    return button;
  };
  // Prepended, so in reverse: Ask, Invite, Transfer, Leave, then the desk's own End.
  makeButton('leave-button', 'team.leave', (event) => {
    event.currentTarget.disabled = true;
    desk.connection.send({ type: 'leave', id: desk.connection.nextId('l'), conversation: conversation.id });
  });
  makeButton('transfer-button', 'team.transfer', () => openHandoverDialog('transfer', conversation, null));
  makeButton('invite-button', 'team.invite', () => focusDirectory(conversation, { about: false }));
  makeButton('ask-colleague-button', 'team.ask', () => focusDirectory(conversation, { about: true }));
  desk.catalogue().apply(actions);
  renderTeam(conversation);
}

// Redraws the parts that depend on who is in the conversation and on the interface language.
export function renderTeam(conversation) {
  const team = teamOf(conversation);
  const { panel } = conversation;
  const participants = panel.querySelector('[data-testid="team-participants"]');
  if (participants) {
    participants.hidden = conversation.ended || team.participants.length === 0;
    fill(participants, 'team.participants', {
      names: team.participants.map((person) =>
        `${colleagueLabel(person)}, ${t(roleKeys[person.role] ?? 'team.role_invited')}`).join('; '),
    });
  }
  const from = panel.querySelector('[data-testid="handed-over-from"]');
  if (from && conversation.handedOver) {
    const { joinedAs } = conversation.handedOver;
    fill(from, joinedAs === 'lead' ? 'team.handed_to_you' : 'team.invited_you', {
      name: colleagueLabel(conversation.handedOver.from),
    });
  }
  const ended = conversation.ended;
  const leave = panel.querySelector('[data-testid="leave-button"]');
  if (leave) {
    leave.hidden = ended || team.participants.length === 0;
    if (leave.hidden) leave.disabled = false;
  }
  const transfer = panel.querySelector('[data-testid="transfer-button"]');
  if (transfer) transfer.hidden = ended || team.role !== 'lead';
  for (const testId of ['invite-button', 'ask-colleague-button']) {
    const button = panel.querySelector(`[data-testid="${testId}"]`);
    if (button) button.hidden = ended;
  }
  if (desk.selectedConversation()?.id === conversation.id || ended) renderDirectory();
}

// ---- Offers of kind invitation and transfer ----

export function renderOfferOrigin(card, message) {
  let origin = card.querySelector('[data-testid="offer-origin"]');
  if (!message?.kind || message.kind === 'request') {
    if (message?.transferred && !origin) {
      origin = document.createElement('p');
      origin.className = 'offer-origin';
      origin.dataset.testid = 'offer-origin';
      card.querySelector('.offer-language').after(origin);
    }
    if (origin) fill(origin, 'offers.transferred_from_queue');
    return;
  }
  card.dataset.kind = message.kind;
  if (!origin) {
    origin = document.createElement('p');
    origin.className = 'offer-origin';
    origin.dataset.testid = 'offer-origin';
    card.querySelector('.offer-language').after(origin);
    if (message.note) {
      const note = document.createElement('blockquote');
      note.className = 'handover-note-text';
      note.dataset.testid = 'offer-note-text';
      note.dir = 'auto';
      note.textContent = message.note;
      origin.after(note);
    }
  }
  fill(origin, message.kind === 'transfer' ? 'offers.transfer_from' : 'offers.invitation_from', {
    name: colleagueLabel(message.from),
  });
}

// ---- Errors and language changes ----

function onError(message) {
  if (message.ref && handovers.has(message.ref)) {
    const conversation = desk.conversation(handovers.get(message.ref));
    handovers.delete(message.ref);
    if (conversation) renderTeam(conversation);
  }
  if (message.code === 'only_advisor' || message.code === 'not_lead') {
    for (const button of document.querySelectorAll('[data-testid="leave-button"]')) button.disabled = false;
  }
  if (message.code === 'unknown_colleague') requestDirectory();
}

export function renderColleagueTexts() {
  renderDirectory();
  if (elements.dialog.open) renderNoteCount();
}

function announce(text) {
  desk.announce(text);
}
