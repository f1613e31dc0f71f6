// The request form's language choice, shared by the client page and the clerk page: one button
// per language and one "also speaks" checkbox per language, each named by its autonym, plus the
// autonym as a node for use inside a sentence.

import { directionOf } from './i18n.js';

export function languageByTag(languages, tag) {
  return languages.find((language) => language.tag === tag) ??
    { tag, autonym: tag, dir: directionOf(tag) };
}

// A language's autonym as a node in its own language and direction, for use in a sentence.
export function autonymNode(languages, tag) {
  const language = languageByTag(languages, tag);
  const node = document.createElement('bdi');
  node.lang = language.tag;
  node.dir = language.dir;
  node.textContent = language.autonym;
  return node;
}

export function renderLanguageButtons(list, languages, chosenTag, onChoose) {
  const items = languages.map((language) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'language-button';
    button.lang = language.tag;
    button.dir = language.dir;
    button.dataset.language = language.tag;
    button.dataset.testid = `language-${language.tag}`;
    button.textContent = language.autonym;
    button.setAttribute('aria-pressed', String(language.tag === chosenTag));
    button.addEventListener('click', () => onChoose(language));
    item.append(button);
    return item;
  });
  list.replaceChildren(...items);
}

// "Other languages I can use": one checkbox per language. The chosen language itself is left
// out of the choice (it is asked for anyway); ticks already made are kept.
export function renderAlsoSpeaksChoices(list, languages, chosenTag) {
  const checked = new Set(selectedAlsoSpeaks(list, chosenTag));
  const items = languages.map((language) => {
    const item = document.createElement('li');
    item.hidden = language.tag === chosenTag;
    const label = document.createElement('label');
    label.className = 'choice';
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    checkbox.value = language.tag;
    checkbox.checked = checked.has(language.tag);
    checkbox.dataset.testid = `also-speaks-${language.tag}`;
    const name = document.createElement('span');
    name.lang = language.tag;
    name.dir = language.dir;
    name.textContent = language.autonym;
    label.append(checkbox, name);
    item.append(label);
    return item;
  });
  list.replaceChildren(...items);
}

export function selectedAlsoSpeaks(list, chosenTag) {
  return [...list.querySelectorAll('input:checked')]
    .map((checkbox) => checkbox.value)
    .filter((tag) => tag !== chosenTag);
}

export function markChosenLanguage(languageList, alsoSpeaksList, tag) {
  for (const button of languageList.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === tag));
  }
  for (const checkbox of alsoSpeaksList.querySelectorAll('input')) {
    checkbox.closest('li').hidden = checkbox.value === tag;
  }
}

export function clearAlsoSpeaks(alsoSpeaksList) {
  for (const checkbox of alsoSpeaksList.querySelectorAll('input')) checkbox.checked = false;
}

// The languages to send as `also_speaks` when switching to `switchTo`: the language first asked
// for is one the person can use too.
export function alsoSpeaksAfterSwitch(previous, switchTo) {
  return [previous.language, ...previous.also_speaks]
    .filter((tag, index, all) => tag !== switchTo && all.indexOf(tag) === index);
}
