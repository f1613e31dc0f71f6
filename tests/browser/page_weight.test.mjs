// The client page's weight and its requests, in Debian's Chromium against the real server: a
// phone on a slow or metered connection, or a library terminal behind a strict filter, must get
// the page from the server's own origin alone, and quickly.
//
// What is measured: every response the page loads until the language screen is ready (the
// HTML, the stylesheet, every script module, the favicon and the interface catalogue, which for
// an English browser is i18n/en.json alone). The server sends these uncompressed, so the size
// counted for each is its body compressed with gzip (zlib.gzipSync at the default level): what a
// compressing server or proxy would transfer. The budget is 60 KB (61,440 bytes) in all.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  assertNoProblems, byTestId, closeBrowser, launchBrowser, openPage, server, startServer,
  stopServer, withFailureEvidence,
} from './harness.mjs';

const BUDGET_BYTES = 60 * 1024;

before(async () => {
  await startServer();
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

test('the client page loads from its own origin only, within 60 KB gzip', async (t) => {
  const client = await openPage('client-weight', { viewport: { width: 360, height: 740 } });
  await withFailureEvidence([client], async () => {
    const { page } = client;
    const requests = [];
    const responses = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('response', (response) => responses.push(response));
    await page.goto(`${server.origin}/`);
    await byTestId(page, 'choose-screen').waitFor();
    await page.locator('button[data-testid^="language-"]').first().waitFor();
    await page.waitForLoadState('networkidle');

    const ownOrigin = [server.origin, server.origin.replace('https:', 'wss:')];
    const external = requests.filter((url) => !ownOrigin.some((origin) => url.startsWith(`${origin}/`)));
    assert.deepEqual(external, [], 'no request leaves the server\'s origin');

    const rows = [];
    for (const response of responses) {
      const url = new URL(response.url());
      if (url.protocol !== 'https:') continue;
      assert.equal(response.status(), 200, `${url.pathname} answered ${response.status()}`);
      const body = await response.body();
      const encoding = response.headers()['content-encoding'] ?? 'none';
      rows.push({
        path: url.pathname, type: response.headers()['content-type'] ?? '',
        served: body.length, encoding, gzip: gzipSync(body).length,
      });
    }
    const paths = rows.map((row) => row.path);
    assert.ok(paths.includes('/'), 'the HTML was loaded');
    assert.ok(paths.some((path) => path.endsWith('.css')), 'the stylesheet was loaded');
    assert.ok(paths.includes('/js/client.js'), 'the script was loaded');
    assert.deepEqual(paths.filter((path) => path.startsWith('/i18n/')), ['/i18n/en.json'],
      'one catalogue was loaded');

    const total = rows.reduce((sum, row) => sum + row.gzip, 0);
    const served = rows.reduce((sum, row) => sum + row.served, 0);
    for (const row of rows) {
      t.diagnostic(`${row.path}: ${row.served} B served (encoding ${row.encoding}), ${row.gzip} B gzip`);
    }
    const summary = `client page: ${rows.length} files, ${served} B served, ${total} B gzip ` +
      `(budget ${BUDGET_BYTES} B)`;
    t.diagnostic(summary);
    console.log(summary);
    assert.ok(total <= BUDGET_BYTES, summary);
    assertNoProblems(client);
  });
  await client.context.close();
});
