// Every string a person reads comes from a catalogue in i18n/ (client pages), i18n/advisor/
// (the advisor desk) or i18n/clerk/ (the clerk's language support page). HTML marks
// translatable elements with data-i18n (text), data-i18n-aria-label and
// data-i18n-placeholder; scripts call t().

// Languages that have a client catalogue. Any other language gets the English interface,
// while the chat itself still runs in the chosen language and direction.
export const clientCatalogueTags = [
  'fi', 'sv', 'en', 'ru', 'et', 'uk', 'fr', 'so', 'es', 'tr', 'zh', 'fa', 'ar',
];
export const advisorCatalogueTags = ['en', 'fi', 'sv'];
export const clerkCatalogueTags = ['en', 'fi', 'sv'];
// Labels of the visit register's codes and the statistics page (i18n/register/).
export const registerCatalogueTags = ['en', 'fi', 'sv'];

// Used only when the server has not told us a language's direction (welcome carries `dir`).
const rightToLeftTags = new Set(['ar', 'fa', 'prs', 'ps', 'ckb']);

export function directionOf(tag) {
  return rightToLeftTags.has(tag.split('-')[0]) ? 'rtl' : 'ltr';
}

const fetchedCatalogues = new Map();

async function fetchCatalogue(directory, tag) {
  const url = `${directory}/${tag}.json`;
  if (!fetchedCatalogues.has(url)) {
    const loading = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`catalogue ${url}: HTTP ${response.status}`);
      return response.json();
    });
    // Forget failures so that a later attempt can succeed.
    loading.catch(() => fetchedCatalogues.delete(url));
    fetchedCatalogues.set(url, loading);
  }
  return fetchedCatalogues.get(url);
}

// Picks the first of the preferred tags (e.g. navigator.languages) that has a catalogue,
// matching on the primary subtag so that 'fi-FI' finds 'fi'.
export function pickCatalogueTag(preferredTags, available, fallback = 'en') {
  for (const preferred of preferredTags) {
    const primary = String(preferred).toLowerCase().split('-')[0];
    if (available.includes(primary)) return primary;
  }
  return fallback;
}

export class Catalogue {
  constructor(tag, strings, fallbackStrings) {
    this.tag = tag;
    this.strings = strings;
    this.fallbackStrings = fallbackStrings;
  }

  raw(key) {
    const value = this.strings[key] ?? this.fallbackStrings[key];
    if (value === undefined) {
      console.warn(`neuvo: missing catalogue key ${key}`);
      return key;
    }
    return value;
  }

  // Plain string with {name} placeholders replaced.
  t(key, params = {}) {
    return this.raw(key).replace(/\{(\w+)\}/g, (whole, name) =>
      name in params ? String(params[name]) : whole);
  }

  // Fills an element with the translation, putting every parameter in its own <bdi> so that
  // a name in another script (an Arabic autonym in a Finnish sentence) cannot reorder the
  // surrounding text. A parameter that is already a DOM node is inserted as it is.
  fill(element, key, params = {}) {
    const fragment = document.createDocumentFragment();
    const parts = this.raw(key).split(/(\{\w+\})/);
    for (const part of parts) {
      const placeholder = /^\{(\w+)\}$/.exec(part);
      if (placeholder && placeholder[1] in params) {
        const value = params[placeholder[1]];
        if (value instanceof Node) {
          fragment.append(value);
          continue;
        }
        const isolated = document.createElement('bdi');
        isolated.textContent = String(value);
        fragment.append(isolated);
      } else if (part !== '') {
        fragment.append(part);
      }
    }
    element.replaceChildren(fragment);
  }

  // Translates every marked element under root.
  apply(root = document) {
    for (const element of root.querySelectorAll('[data-i18n]')) {
      element.textContent = this.t(element.dataset.i18n);
    }
    for (const element of root.querySelectorAll('[data-i18n-aria-label]')) {
      element.setAttribute('aria-label', this.t(element.dataset.i18nAriaLabel));
    }
    for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
      element.setAttribute('placeholder', this.t(element.dataset.i18nPlaceholder));
    }
  }
}

// Loads the catalogue for `tag` from `directory`, or English when there is none.
// Keys missing from a catalogue fall back to English rather than showing nothing.
export async function loadCatalogue(directory, tag, available) {
  const chosenTag = available.includes(tag) ? tag : 'en';
  const english = await fetchCatalogue(directory, 'en');
  const strings = chosenTag === 'en' ? english : await fetchCatalogue(directory, chosenTag);
  return new Catalogue(chosenTag, strings, english);
}

export function setDocumentLanguage(tag, dir) {
  document.documentElement.lang = tag;
  document.documentElement.dir = dir;
}

// The interface language a staff member chose on this browser (the advisor desk, the supervisor
// and statistics pages share one, the clerk's page has its own). Nothing when none was chosen or
// the browser keeps no storage. Never used on the client page: a kiosk must not remember anyone.
export function rememberedUiLanguage(storageKey) {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function rememberUiLanguage(storageKey, tag) {
  try {
    localStorage.setItem(storageKey, tag);
  } catch {
    // A browser without storage asks again next time.
  }
}
