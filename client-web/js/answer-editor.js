// The supervisors' editor of the shared answers (PROTOCOL.md, "Shared answers"): the list per
// language, and a form to add, edit and delete. The server checks everything again; the checks
// here only say sooner, and in the interface language, what it would refuse.

import { fetchJson } from './api.js';

const MAX_TITLE_BYTES = 120;
const MAX_BODY_BYTES = 2000;
const MAX_URL_BYTES = 500;

const fieldErrorKeys = {
  language: 'answers.invalid_language',
  title: 'answers.invalid_title',
  body: 'answers.invalid_body',
  url: 'answers.invalid_url',
};

const utf8Bytes = (text) => new TextEncoder().encode(text).length;

// The first field the server would refuse, or null.
function invalidField({ language, title, body, url }) {
  if (language === '') return 'language';
  if (title.trim() === '' || utf8Bytes(title) > MAX_TITLE_BYTES || /[\u0000-\u001f\u007f]/.test(title)) {
    return 'title';
  }
  if (body.trim() === '' || utf8Bytes(body) > MAX_BODY_BYTES) return 'body';
  if (url !== '' && (!/^https:\/\/\S+$/.test(url) || utf8Bytes(url) > MAX_URL_BYTES)) return 'url';
  return null;
}

export class AnswerEditor {
  // `root`: the editor's section on the page; `catalogue`: returns the page's current catalogue.
  constructor(root, catalogue) {
    this.catalogue = catalogue;
    this.languages = new Map(); // tag -> { tag, autonym, dir }
    this.answers = [];
    this.editingId = null; // the answer in the form, or null for a new one
    this.status = null; // { key, params } of the note under the form
    this.loaded = false;
    const part = (id) => root.querySelector(`[data-testid="${id}"]`);
    this.elements = {
      filter: part('answers-filter'),
      list: part('answers-table-body'),
      none: part('answers-editor-none'),
      form: part('answer-form'),
      formTitle: part('answer-form-title'),
      language: part('answer-language'),
      title: part('answer-title'),
      body: part('answer-body'),
      url: part('answer-url'),
      save: part('answer-save'),
      cancel: part('answer-cancel'),
      status: part('answer-status'),
    };
    const { filter, form, cancel } = this.elements;
    filter.addEventListener('change', () => this.renderList());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
    cancel.addEventListener('click', () => this.startNew());
  }

  // Loads the list the first time; later calls do nothing, so that the live view's polling can
  // call this freely.
  start() {
    if (this.loaded) return;
    this.loaded = true;
    this.reload();
  }

  // After signing out: the next account loads the list afresh, and nothing of the last one's
  // unsaved text stays in the form.
  forget() {
    this.loaded = false;
    this.answers = [];
    this.editingId = null;
    this.elements.form.reset();
    this.elements.cancel.hidden = true;
    this.setStatus(null);
    this.renderList();
    const catalogue = this.catalogue();
    if (catalogue) this.elements.formTitle.textContent = catalogue.t('answers.form_new');
  }

  setLanguages(languages) {
    this.languages = new Map(languages);
    this.renderLanguageOptions();
    this.renderList();
  }

  // After a change of interface language.
  translate() {
    this.renderLanguageOptions();
    this.renderList();
    this.renderStatus();
    this.elements.formTitle.textContent = this.catalogue().t(
      this.editingId === null ? 'answers.form_new' : 'answers.form_edit');
  }

  async reload() {
    const { status, body } = await fetchJson('/api/answers').catch(() => ({ status: 0 }));
    if (status === 200 && Array.isArray(body?.answers)) {
      this.answers = body.answers;
      this.renderList();
    } else {
      this.setStatus('answers.failed');
    }
  }

  autonym(tag) {
    return this.languages.get(tag)?.autonym ?? tag;
  }

  renderLanguageOptions() {
    const { filter, language } = this.elements;
    const tags = [...this.languages.keys()];
    const fill = (select, first) => {
      const chosen = select.value;
      const options = tags.map((tag) => {
        const option = document.createElement('option');
        option.value = tag;
        option.lang = tag;
        option.textContent = `${this.autonym(tag)} (${tag})`;
        return option;
      });
      select.replaceChildren(...(first ? [first] : []), ...options);
      if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
    };
    const all = document.createElement('option');
    all.value = '';
    all.textContent = this.catalogue().t('answers.all_languages');
    fill(filter, all);
    const choose = document.createElement('option');
    choose.value = '';
    choose.textContent = this.catalogue().t('answers.choose_language');
    fill(language, choose);
  }

  renderList() {
    const { list, none, filter } = this.elements;
    const catalogue = this.catalogue();
    if (!catalogue) return;
    const shown = this.answers.filter((answer) => filter.value === '' || answer.language === filter.value);
    list.replaceChildren(...shown.map((answer) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'answer-row';
      row.dataset.answer = String(answer.id);
      const language = document.createElement('td');
      language.textContent = `${this.autonym(answer.language)} (${answer.language})`;
      language.lang = answer.language;
      const title = document.createElement('td');
      title.lang = answer.language;
      title.dir = 'auto';
      title.dataset.testid = 'answer-row-title';
      title.textContent = answer.title;
      const link = document.createElement('td');
      link.dir = 'ltr';
      link.className = 'answer-url';
      link.textContent = answer.url ?? '';
      const updated = document.createElement('td');
      updated.textContent = catalogue.t('answers.updated_by', {
        time: new Intl.DateTimeFormat(catalogue.tag, { dateStyle: 'short', timeStyle: 'short' })
          .format(new Date(answer.updated_at)),
        login: answer.updated_by,
      });
      const actions = document.createElement('td');
      actions.className = 'answer-actions';
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'button';
      edit.dataset.testid = 'answer-edit';
      edit.textContent = catalogue.t('answers.edit');
      edit.addEventListener('click', () => this.startEdit(answer));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'button button-danger';
      remove.dataset.testid = 'answer-delete';
      remove.textContent = catalogue.t('answers.delete');
      remove.addEventListener('click', () => this.remove(answer));
      actions.append(edit, remove);
      row.append(language, title, link, updated, actions);
      return row;
    }));
    none.hidden = shown.length > 0;
  }

  setStatus(key, params = {}) {
    this.status = key ? { key, params } : null;
    this.renderStatus();
  }

  renderStatus() {
    const { status } = this.elements;
    status.textContent = this.status ? this.catalogue().t(this.status.key, this.status.params) : '';
  }

  startNew() {
    const { form, formTitle, language, title } = this.elements;
    this.editingId = null;
    const keepLanguage = language.value || this.elements.filter.value;
    form.reset();
    language.value = keepLanguage;
    formTitle.textContent = this.catalogue().t('answers.form_new');
    this.elements.cancel.hidden = true;
    this.setStatus(null);
    title.focus();
  }

  startEdit(answer) {
    const { formTitle, language, title, body, url } = this.elements;
    this.editingId = answer.id;
    language.value = answer.language;
    title.value = answer.title;
    body.value = answer.body;
    url.value = answer.url ?? '';
    formTitle.textContent = this.catalogue().t('answers.form_edit');
    this.elements.cancel.hidden = false;
    this.setStatus(null);
    title.focus();
  }

  async save() {
    const { language, title, body, url, save } = this.elements;
    const answer = {
      language: language.value,
      title: title.value.trim(),
      body: body.value.trim(),
      url: url.value.trim() === '' ? null : url.value.trim(),
    };
    const invalid = invalidField({ ...answer, url: answer.url ?? '' });
    if (invalid) {
      this.setStatus(fieldErrorKeys[invalid]);
      this.elements[invalid].focus();
      return;
    }
    save.disabled = true;
    const editing = this.editingId;
    const { status, body: reply } = await fetchJson(
      editing === null ? '/api/answers' : `/api/answers/${editing}`,
      { method: editing === null ? 'POST' : 'PUT', body: JSON.stringify(answer) },
    ).catch(() => ({ status: 0 }));
    save.disabled = false;
    if (status === 200 || status === 201) {
      const stored = reply.answer;
      this.answers = [...this.answers.filter((known) => known.id !== stored.id), stored]
        .sort((a, b) => a.language.localeCompare(b.language) || a.title.localeCompare(b.title));
      this.renderList();
      this.startNew();
      this.setStatus('answers.saved', { title: stored.title });
      return;
    }
    this.showRefusal(status, reply);
  }

  async remove(answer) {
    if (!window.confirm(this.catalogue().t('answers.confirm_delete', { title: answer.title }))) return;
    const { status, body } = await fetchJson(`/api/answers/${answer.id}`, { method: 'DELETE' })
      .catch(() => ({ status: 0 }));
    if (status === 204 || status === 404) {
      this.answers = this.answers.filter((known) => known.id !== answer.id);
      this.renderList();
      if (this.editingId === answer.id) this.startNew();
      this.setStatus(status === 204 ? 'answers.deleted' : 'answers.not_found', { title: answer.title });
      return;
    }
    this.showRefusal(status, body);
  }

  showRefusal(status, body) {
    if (status === 401) return this.setStatus('sign_in.expired');
    if (status === 403) return this.setStatus('answers.not_allowed');
    if (status === 404) {
      this.reload();
      return this.setStatus('answers.not_found');
    }
    if (body?.error === 'unknown_language') return this.setStatus('answers.invalid_language');
    const field = /field "(\w+)"/.exec(body?.reason ?? '')?.[1];
    if (body?.error === 'invalid_field' && fieldErrorKeys[field]) {
      return this.setStatus(fieldErrorKeys[field]);
    }
    return this.setStatus('answers.save_failed');
  }
}
