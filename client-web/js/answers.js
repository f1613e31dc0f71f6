// Shared answers on the advisor desk (PROTOCOL.md, "Shared answers"): beside each conversation,
// the network's prepared answers in the conversation's language, with a search box. One click on
// an answer, or Enter in the search box for the first match, puts the answer's text and link
// into that conversation's message box, where the advisor can edit it and send it as usual.

import { fetchJson } from './api.js';

// Asked afresh for every conversation (and on Refresh), so that an answer a supervisor has just
// written or corrected is there for the next client.
async function fetchAnswers(language) {
  const { status, body } = await fetchJson(`/api/answers?language=${encodeURIComponent(language)}`);
  if (status !== 200 || !Array.isArray(body?.answers)) throw new Error(`HTTP ${status}`);
  return body.answers;
}

// What goes into the message box: the explanation, then the link on a line of its own.
export function answerText(answer) {
  return answer.url ? `${answer.body}\n${answer.url}` : answer.body;
}

// Inserts at the caret (replacing a selection), on a new line when there is text before it, and
// leaves the caret after the answer so that the advisor can go on writing.
export function insertIntoMessage(textarea, text) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  const before = textarea.value.slice(0, start);
  const after = textarea.value.slice(end);
  const separator = before !== '' && !before.endsWith('\n') ? '\n' : '';
  textarea.value = `${before}${separator}${text}${after}`;
  const caret = before.length + separator.length + text.length;
  textarea.focus();
  textarea.setSelectionRange(caret, caret);
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

function matches(answer, query) {
  if (query === '') return true;
  return [answer.title, answer.body, answer.url ?? '']
    .some((field) => field.toLocaleLowerCase().includes(query));
}

// Sets a status line from a catalogue key; data-i18n keeps it translated when the interface
// language changes (the desk re-applies the catalogue to the whole document).
function setStatus(element, catalogue, key) {
  if (key === null) {
    delete element.dataset.i18n;
    element.textContent = '';
    element.hidden = true;
    return;
  }
  element.dataset.i18n = key;
  element.textContent = catalogue().t(key);
  element.hidden = false;
}

// Fills the panel's shared-answers box (`.answers-panel` from the conversation template) for a
// conversation in `language`. `catalogue` returns the desk's current catalogue.
export function attachSharedAnswers(panel, language, catalogue) {
  const box = panel.querySelector('.answers-panel');
  const textarea = panel.querySelector('textarea');
  if (!box || !textarea) return;
  const search = box.querySelector('.answers-search');
  const list = box.querySelector('.answers-list');
  const status = box.querySelector('.answers-status');
  const refresh = box.querySelector('.answers-refresh');
  let answers = [];

  list.lang = language;
  list.dir = textarea.dir;
  search.lang = language;
  search.dir = 'auto';

  const visible = () => {
    const query = search.value.trim().toLocaleLowerCase();
    return answers.filter((answer) => matches(answer, query));
  };

  const insert = (answer) => {
    if (panel.querySelector('.message-form')?.hidden) return; // the conversation has ended
    insertIntoMessage(textarea, answerText(answer));
  };

  const render = () => {
    const shown = visible();
    list.replaceChildren(...shown.map((answer) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'answer-item';
      button.dataset.testid = 'shared-answer';
      button.dataset.answer = String(answer.id);
      const title = document.createElement('span');
      title.className = 'answer-title';
      title.textContent = answer.title;
      const preview = document.createElement('span');
      preview.className = 'answer-preview';
      preview.textContent = answer.body;
      button.append(title, preview);
      if (answer.url) {
        const link = document.createElement('span');
        link.className = 'answer-url';
        link.dir = 'ltr';
        link.textContent = answer.url;
        button.append(link);
      }
      button.addEventListener('click', () => insert(answer));
      item.append(button);
      return item;
    }));
    if (answers.length === 0) setStatus(status, catalogue, 'answers.none');
    else if (shown.length === 0) setStatus(status, catalogue, 'answers.no_match');
    else setStatus(status, catalogue, null);
  };

  const load = async () => {
    setStatus(status, catalogue, 'answers.loading');
    try {
      answers = await fetchAnswers(language);
      render();
    } catch {
      answers = [];
      list.replaceChildren();
      setStatus(status, catalogue, 'answers.failed');
    }
  };

  search.addEventListener('input', render);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      const [first] = visible();
      if (first) insert(first);
    } else if (event.key === 'Escape' && search.value !== '') {
      search.value = '';
      render();
    }
  });
  refresh?.addEventListener('click', load);
  load();
}
