// The statistics page in the browser, against the real neuvo-server in Debian's Chromium, with a
// year of demo register rows (`neuvo-server demo-visits`): a statistician signs in, sees the
// charts and tables in Finnish (the browser's language), switches to Swedish, narrows the period
// and the point, sees small numbers marked "<5" and withheld ones "·", and downloads a CSV file.
// An advisor is refused. The labels of every code the server lists exist in every catalogue.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoProblems, byTestId, closeBrowser, eventually, expectText, launchBrowser, openPage,
  screenshot, server, signIn, startServer, stopServer, webRoot, withFailureEvidence,
} from './harness.mjs';

const TILDA = { login: 'tilda', password: 'correct horse 1' }; // statistician
const AINO = { login: 'aino', password: 'correct horse 1' }; // advisor

const registerText = (tag) =>
  JSON.parse(readFileSync(join(webRoot, 'i18n', 'register', `${tag}.json`), 'utf8'));
const fi = registerText('fi');
const sv = registerText('sv');

const desktop = { viewport: { width: 1300, height: 900 } };

before(async () => {
  await startServer({
    accounts: [
      { ...TILDA, name: 'Tilda', point: '091-virka', languages: ['fi'], role: 'statistician' },
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
    ],
    commands: [['demo-visits', '--count', '3000', '--seed', '11', '--months', '12']],
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

async function chartLabels(page, id) {
  return page.locator(`[data-testid="${id}-chart"] .bar-label`).allTextContents();
}

test('a statistician sees the register in charts and tables, in Finnish and Swedish',
  { timeout: 120_000 }, async () => {
    const record = await openPage('statistics', { ...desktop, locale: 'fi-FI' },
      { expectedStatuses: [401, 400] });
    await withFailureEvidence([record], async () => {
      const { page } = record;
      await page.goto(`${server.origin}/statistics.html`);
      await byTestId(page, 'sign-in-screen').waitFor();
      await expectText(page.locator('#sign-in-title'), fi['stats.sign_in_title']);
      await signIn(record, TILDA.login, TILDA.password);
      await byTestId(page, 'statistics-screen').waitFor();
      await expectText(page.locator('#statistics-title'), fi['stats.title']);

      // Length of residence, as the report's figure: a bar for every code, labelled in Finnish.
      const residence = byTestId(page, 'residence-chart');
      await residence.waitFor();
      assert.equal(await residence.getAttribute('role'), 'img');
      assert.equal(await residence.locator('rect.bar-rect').count(), 6);
      assert.deepEqual(await chartLabels(page, 'residence'), [
        fi['residence.not-resident'], fi['residence.under-1'], fi['residence.1-3'],
        fi['residence.3-5'], fi['residence.over-5'], fi['residence.unknown'],
      ]);
      const widths = await residence.locator('rect.bar-rect')
        .evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('width'))));
      // 1-3 years is the longest bar, as in the report.
      assert.equal(Math.max(...widths), widths[2]);
      // Every chart has its data table.
      for (const id of ['residence', 'age', 'reason', 'topics', 'referrals', 'country']) {
        await byTestId(page, `${id}-chart`).waitFor();
        assert.equal(await byTestId(page, `section-${id}`).locator('table').count(), 1, id);
      }
      assert.ok((await chartLabels(page, 'topics')).includes(fi['topics.residence-permits']));
      assert.ok((await chartLabels(page, 'referrals')).includes(fi['referrals.te-office']));
      // Countries by the browser's own names.
      assert.ok((await chartLabels(page, 'country')).includes('Venäjä'));

      // Tables by language and by point; small numbers marked and explained.
      await byTestId(page, 'language-table').waitFor();
      await byTestId(page, 'point-table').waitFor();
      await byTestId(page, 'unmet-table').waitFor();
      await byTestId(page, 'reciprocity-table').waitFor();
      await byTestId(page, 'times-table').waitFor();
      assert.ok(await page.locator('[data-state="small"]').count() > 0, 'no <5 on the page');
      const small = page.locator('.cell-small').first();
      assert.equal((await small.locator('[aria-hidden="true"]').textContent()), '<5');
      assert.equal(await small.locator('.visually-hidden').textContent(), fi['stats.small_cell']);
      await expectText(byTestId(page, 'legend').locator('p').first(), fi['stats.legend_small']);
      await screenshot(page, 'statistics-fi');

      // Swedish, at once, from the same numbers.
      await byTestId(page, 'ui-language-select').selectOption('sv');
      await expectText(page.locator('#statistics-title'), sv['stats.title']);
      await eventually('Swedish residence labels', () => chartLabels(page, 'residence'),
        (labels) => labels[2] === sv['residence.1-3']);
      assert.equal(await page.locator('html').getAttribute('lang'), 'sv');

      // A small point: its counts are marked rather than shown, and the CSV links follow the
      // filter.
      await byTestId(page, 'point-select').selectOption('235-kauniainen');
      const now = new Date();
      const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
      await byTestId(page, 'to-month').fill(month);
      await byTestId(page, 'apply-filter').click();
      const link = byTestId(page, 'residence-csv-semicolon');
      await eventually('CSV link with the filter', () => link.getAttribute('href'),
        (href) => href?.includes('point=235-kauniainen') && href.includes(`to=${month}`));
      const cells = await byTestId(page, 'residence-table').locator('td [data-state]')
        .evaluateAll((spans) => spans.map((span) => span.dataset.state));
      assert.ok(cells.includes('small'), `no <5 for the small point: ${cells}`);
      await screenshot(page, 'statistics-sv-small-point');

      // The CSV file: UTF-8 with BOM, semicolons, CRLF, labels in Swedish.
      const href = await link.getAttribute('href');
      assert.ok(href.includes('lang=sv'));
      const response = await page.request.get(`${server.origin}${href}`);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['content-type'], 'text/csv; charset=utf-8');
      assert.match(response.headers()['content-disposition'], /^attachment; filename=".+\.csv"$/);
      const bytes = await response.body();
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      assert.ok(text.startsWith(`residence;${sv['field.residence']};count\r\n`), text);
      assert.ok(text.includes(`\r\n1-3;${sv['residence.1-3']};`), text);

      // A period that ends before it begins is refused with the server's reason.
      await byTestId(page, 'from-month').fill('2026-05');
      await byTestId(page, 'to-month').fill('2026-04');
      await byTestId(page, 'apply-filter').click();
      await expectText(byTestId(page, 'error'), /the period ends before it begins/);
      assertNoProblems(record);
    });
  });

test('the server lists the register fields, and every code has a label in fi, sv and en',
  { timeout: 60_000 }, async () => {
    const record = await openPage('statistics-fields', desktop);
    await withFailureEvidence([record], async () => {
      const { page } = record;
      await page.goto(`${server.origin}/statistics.html`);
      await byTestId(page, 'sign-in-screen').waitFor();
      await signIn(record, AINO.login, AINO.password);
      // An advisor may read the fields (for the wrap-up form) but not the statistics.
      await byTestId(page, 'forbidden-screen').waitFor();
      const response = await page.request.get(`${server.origin}/api/register/fields`);
      assert.equal(response.status(), 200);
      const { fields } = await response.json();
      assert.ok(fields.length >= 12);
      for (const tag of ['fi', 'sv', 'en']) {
        const labels = registerText(tag);
        for (const field of fields) {
          assert.ok(labels[`field.${field.name}`], `${tag}: field.${field.name}`);
          if (field.name === 'country') continue; // names from Intl.DisplayNames
          for (const code of field.codes) {
            assert.ok(labels[`${field.name}.${code}`], `${tag}: ${field.name}.${code}`);
          }
        }
      }
      assertNoProblems(record);
    });
  });
