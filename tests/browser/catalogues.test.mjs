// Checks the translation catalogues of the web client without a browser or a server:
// every catalogue has exactly the keys of its English one, no value is empty, placeholders
// match, and every key the HTML and JavaScript use exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDirectory = dirname(fileURLToPath(import.meta.url));
const sourceDirectory = resolve(process.env.NEUVO_SOURCE_DIR ?? join(testDirectory, '..', '..'));
const webRoot = join(sourceDirectory, 'client-web');

// Each catalogue set and the files whose keys must exist in it.
const catalogueSets = [
  {
    name: 'client',
    directory: join(webRoot, 'i18n'),
    required: ['fi', 'sv', 'en', 'ru', 'et', 'uk', 'fr', 'so', 'es', 'tr', 'zh', 'fa', 'ar'],
    users: ['index.html', 'js/client.js', 'js/chat-log.js', 'js/chat-pane.js',
      'js/queue-view.js', 'js/rating.js', 'js/kiosk.js'],
  },
  {
    name: 'advisor',
    directory: join(webRoot, 'i18n', 'advisor'),
    required: ['en', 'fi', 'sv'],
    users: ['advisor.html', 'js/advisor.js', 'js/chat-log.js', 'js/answers.js', 'js/wrapup.js',
      'supervisor.html',
      'js/supervisor.js', 'js/answer-editor.js'],
  },
  {
    name: 'clerk',
    directory: join(webRoot, 'i18n', 'clerk'),
    required: ['en', 'fi', 'sv'],
    users: ['clerk.html', 'js/clerk.js', 'js/chat-log.js', 'js/chat-pane.js',
      'js/queue-view.js', 'js/rating.js'],
  },
  {
    // Labels of the visit register's fields and codes (the wrap-up form, the statistics page and
    // the server's CSV files).
    name: 'register',
    directory: join(webRoot, 'i18n', 'register'),
    required: ['en', 'fi', 'sv'],
    users: ['statistics.html', 'js/statistics.js'],
  },
];

function readCatalogue(directory, tag) {
  return JSON.parse(readFileSync(join(directory, `${tag}.json`), 'utf8'));
}

function catalogueTags(directory) {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function placeholders(text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
}

// Keys a file uses: data-i18n* attributes in HTML; in JavaScript, every quoted string that
// starts with one of the catalogue's namespaces ("chat.", "error." ...), which covers t('...')
// calls, dataset.i18n assignments and key tables alike.
function usedKeys(file, namespaces) {
  const source = readFileSync(join(webRoot, file), 'utf8');
  const keys = new Set();
  for (const match of source.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) keys.add(match[1]);
  if (file.endsWith('.js')) {
    for (const match of source.matchAll(/['"`]([a-z_]+(?:\.[a-z0-9_]+)+)['"`]/g)) {
      if (namespaces.has(match[1].split('.')[0])) keys.add(match[1]);
    }
  }
  return keys;
}

for (const set of catalogueSets) {
  const english = readCatalogue(set.directory, 'en');
  const englishKeys = Object.keys(english).sort();

  test(`${set.name}: all required catalogues exist`, () => {
    const present = catalogueTags(set.directory);
    for (const tag of set.required) assert.ok(present.includes(tag), `missing ${tag}.json`);
  });

  for (const tag of catalogueTags(set.directory)) {
    test(`${set.name}: ${tag}.json has the keys of en.json, none empty`, () => {
      const catalogue = readCatalogue(set.directory, tag);
      assert.deepEqual(Object.keys(catalogue).sort(), englishKeys);
      for (const [key, value] of Object.entries(catalogue)) {
        assert.equal(typeof value, 'string', `${tag} ${key} is not a string`);
        assert.notEqual(value.trim(), '', `${tag} ${key} is empty`);
        assert.deepEqual(placeholders(value), placeholders(english[key]),
          `${tag} ${key} has other placeholders than en`);
      }
    });
  }

  test(`${set.name}: every key used in the pages and scripts exists in en.json`, () => {
    const namespaces = new Set(englishKeys.map((key) => key.split('.')[0]));
    for (const file of set.users) {
      for (const key of usedKeys(file, namespaces)) {
        assert.ok(key in english, `${file} uses ${key}, which en.json lacks`);
      }
    }
  });
}

test('the client lists exactly the catalogues that exist', () => {
  const source = readFileSync(join(webRoot, 'js', 'i18n.js'), 'utf8');
  const listed = (name) => {
    const match = new RegExp(`${name} = \\[([^\\]]*)\\]`).exec(source);
    assert.ok(match, `${name} not found in i18n.js`);
    return [...match[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
  };
  assert.deepEqual(listed('clientCatalogueTags'), catalogueTags(catalogueSets[0].directory));
  assert.deepEqual(listed('advisorCatalogueTags'), catalogueTags(catalogueSets[1].directory));
  assert.deepEqual(listed('clerkCatalogueTags'), catalogueTags(catalogueSets[2].directory));
  assert.deepEqual(listed('registerCatalogueTags'), catalogueTags(catalogueSets[3].directory));
});
