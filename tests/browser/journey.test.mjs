// End-to-end test of the web client against the real neuvo-server in Debian's Chromium:
// an advisor signs in and becomes available, an Arabic-speaking client from Espoo is routed
// to her, they exchange messages, the client ends the conversation.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDirectory = dirname(fileURLToPath(import.meta.url));
const sourceDirectory = resolve(process.env.NEUVO_SOURCE_DIR ?? join(testDirectory, '..', '..'));
const serverBinary = resolve(
  process.env.NEUVO_SERVER ?? join(sourceDirectory, 'build', 'server', 'app', 'neuvo-server'));
const webRoot = join(sourceDirectory, 'client-web');
const artifactsDirectory = join(sourceDirectory, 'test-artifacts');

const ADVISOR_LOGIN = 'aino';
const ADVISOR_PASSWORD = 'correct horse 1';
const SERVER_START_TIMEOUT_MS = 20_000;
const STEP_TIMEOUT_MS = 10_000;

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (error) {
  throw new Error(`playwright-core is not installed: run "npm ci" in ${testDirectory} (${error})`);
}

const clientText = (tag) => JSON.parse(readFileSync(join(webRoot, 'i18n', `${tag}.json`), 'utf8'));
const advisorText = JSON.parse(readFileSync(join(webRoot, 'i18n', 'advisor', 'en.json'), 'utf8'));
const arabicText = clientText('ar');

// ---- The server ----

const server = {
  workDirectory: null,
  process: null,
  origin: null,
  stdout: '',
  stderr: '',
  exited: false,
};

function runOrFail(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n` +
      `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  return result;
}

function writeTestConfig(workDirectory) {
  const config = JSON.parse(readFileSync(join(sourceDirectory, 'config', 'demo.json'), 'utf8'));
  // Port 0: the system picks a free port and the server prints it.
  config.listen = { address: '127.0.0.1', port: 0 };
  config.tls = {
    ...config.tls,
    certificate: join(workDirectory, 'dev-cert.pem'),
    private_key: join(workDirectory, 'dev-key.pem'),
  };
  config.database = join(workDirectory, 'neuvo.db');
  config.document_root = webRoot;
  const configPath = join(workDirectory, 'neuvo.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}

async function startServer() {
  assert.ok(existsSync(serverBinary), `server binary not found: ${serverBinary} (set NEUVO_SERVER)`);
  server.workDirectory = mkdtempSync(join(tmpdir(), 'neuvo-browser-'));
  runOrFail('bash', [join(sourceDirectory, 'scripts', 'dev-cert.sh'), server.workDirectory]);
  const configPath = writeTestConfig(server.workDirectory);
  runOrFail(serverBinary, [
    '--config', configPath, 'admin', 'add', '--login', ADVISOR_LOGIN, '--name', 'Aino',
    '--point', '091-virka', '--languages', 'fi,ar', '--password-stdin',
  ], { input: `${ADVISOR_PASSWORD}\n` });

  const child = spawn(serverBinary, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.process = child;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    server.stderr += chunk;
  });

  server.origin = await new Promise((resolvePromise, rejectPromise) => {
    const timer = setTimeout(() => {
      rejectPromise(new Error(`server did not say "listening on" within ${SERVER_START_TIMEOUT_MS} ms` +
        `\nstdout:\n${server.stdout}\nstderr:\n${server.stderr}`));
    }, SERVER_START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      server.stdout += chunk;
      const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(server.stdout);
      if (match) {
        clearTimeout(timer);
        resolvePromise(`https://127.0.0.1:${match[1]}`);
      }
    });
    child.on('exit', (code, signal) => {
      server.exited = true;
      clearTimeout(timer);
      rejectPromise(new Error(`server exited early (code ${code}, signal ${signal})` +
        `\nstdout:\n${server.stdout}\nstderr:\n${server.stderr}`));
    });
  });
}

async function stopServer() {
  const child = server.process;
  if (child && !server.exited) {
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (server.workDirectory) rmSync(server.workDirectory, { recursive: true, force: true });
}

function serverLogTail() {
  return `\n--- server stderr (tail) ---\n${server.stderr.slice(-4000)}`;
}

// ---- The browser ----

let browser;

// Every page records what would mean a broken page: script errors, console errors (CSP
// violations show up there), requests leaving the server's origin, and WebSocket frames.
async function openPage(name, contextOptions) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const record = { name, page, context, problems: [], framesSent: [], framesReceived: [] };
  page.on('pageerror', (error) => record.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 401 answer as a failed resource; for /api/session and a wrong
    // password that answer is the expected one, so it is not a problem of the page.
    if (message.type() === 'error' && !/status of 401/.test(message.text())) {
      record.problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('request', (request) => {
    const url = request.url();
    const sameOrigin = url.startsWith(`${server.origin}/`) ||
      url.startsWith(server.origin.replace('https:', 'wss:'));
    if (!sameOrigin && !url.startsWith('data:')) record.problems.push(`external request: ${url}`);
  });
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => record.framesSent.push(JSON.parse(payload)));
    socket.on('framereceived', ({ payload }) => record.framesReceived.push(JSON.parse(payload)));
  });
  return record;
}

async function screenshot(page, name) {
  mkdirSync(artifactsDirectory, { recursive: true });
  await page.screenshot({ path: join(artifactsDirectory, `${name}.png`), fullPage: true });
}

const byTestId = (scope, id) => scope.locator(`[data-testid="${id}"]`);

const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

// Polls until `read()` satisfies `check`, then returns the value; fails with the last value.
async function eventually(description, read, check, timeout = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) {
      assert.fail(`${description}: last value ${JSON.stringify(value)}${serverLogTail()}`);
    }
    await sleep(50);
  }
}

async function expectText(locator, expected, description) {
  await locator.first().waitFor({ state: 'visible' });
  const matches = (text) =>
    (expected instanceof RegExp ? expected.test(text ?? '') : (text ?? '').trim() === expected);
  return eventually(description ?? `text ${expected}`, () => locator.first().textContent(), matches);
}

async function expectAttribute(locator, attribute, expected, description) {
  return eventually(description ?? `${attribute}=${expected}`,
    () => locator.getAttribute(attribute), (value) => value === expected);
}

async function signIn(advisor, password) {
  await byTestId(advisor.page, 'login-input').fill(ADVISOR_LOGIN);
  await byTestId(advisor.page, 'password-input').fill(password);
  await byTestId(advisor.page, 'sign-in-button').click();
}

// Runs a test body; on failure keeps screenshots of every page and shows the server log.
async function withFailureEvidence(pages, body) {
  try {
    await body();
  } catch (error) {
    for (const record of pages) {
      await screenshot(record.page, `failure-${record.name}`).catch(() => {});
    }
    error.message += serverLogTail();
    throw error;
  }
}

function assertNoProblems(record) {
  assert.deepEqual(record.problems, [], `${record.name} page had problems`);
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await stopServer();
});

test('pages are served with the content security policy the client is written for', async () => {
  for (const path of ['/', '/advisor.html']) {
    const response = await fetchInsecure(`${server.origin}${path}`);
    const policy = response.headers['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'self'/, `${path} CSP: ${policy}`);
    assert.match(policy, /style-src 'self'/, `${path} CSP: ${policy}`);
  }
});

test('a wrong password shows an error', async () => {
  const advisor = await openPage('advisor-wrong-password', { viewport: { width: 1024, height: 700 } });
  await withFailureEvidence([advisor], async () => {
    await advisor.page.goto(`${server.origin}/advisor.html`);
    await byTestId(advisor.page, 'sign-in-screen').waitFor();
    await signIn(advisor, 'not the password');
    await expectText(byTestId(advisor.page, 'error'), advisorText['sign_in.wrong']);
    assert.equal(await byTestId(advisor.page, 'desk-screen').isVisible(), false);
    await screenshot(advisor.page, 'advisor-wrong-password');
    // The desk can be switched to Finnish; the error on screen follows.
    const finnishText = JSON.parse(
      readFileSync(join(webRoot, 'i18n', 'advisor', 'fi.json'), 'utf8'));
    await byTestId(advisor.page, 'ui-language-select').selectOption('fi');
    await expectAttribute(advisor.page.locator('html'), 'lang', 'fi');
    await expectText(advisor.page.locator('#sign-in-title'), finnishText['sign_in.title']);
    await expectText(byTestId(advisor.page, 'error'), finnishText['sign_in.wrong']);
    assertNoProblems(advisor);
  });
  await advisor.context.close();
});

test('a client is told honestly when nobody speaking the language is signed in', async () => {
  const client = await openPage('client-nobody', { viewport: { width: 360, height: 740 } });
  await withFailureEvidence([client], async () => {
    const { page } = client;
    const somaliText = clientText('so');
    await page.goto(`${server.origin}/`);
    // Dari has no catalogue: the interface falls back to English, left to right, while the
    // chat itself would be written right to left.
    await byTestId(page, 'language-prs').click();
    await expectText(byTestId(page, 'start-button'), clientText('en')['choose.start']);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    await byTestId(page, 'language-so').click();
    await expectAttribute(page.locator('html'), 'lang', 'so');
    await byTestId(page, 'start-button').click();
    await byTestId(page, 'waiting-screen').waitFor();
    await byTestId(page, 'queue-nobody').waitFor();
    await expectText(byTestId(page, 'queue-nobody'), /Soomaali/);
    assert.ok((await byTestId(page, 'queue-nobody').textContent())
      .startsWith(somaliText['waiting.nobody'].split('(')[0].trim()));
    await expectText(byTestId(page, 'queue-position'),
      new RegExp(`${somaliText['waiting.position_next']}|1`));
    await screenshot(page, 'client-queue-nobody');
    // Leaving the queue returns to the first screen on a new connection.
    await byTestId(page, 'stop-waiting-button').click();
    await byTestId(page, 'choose-screen').waitFor();
    assertNoProblems(client);
  });
  await client.context.close();
});

test('client and advisor chat from start to end', { timeout: 90_000 }, async () => {
  const advisor = await openPage('advisor', { viewport: { width: 1280, height: 800 } });
  // A kiosk or a phone: narrow screen, browser in Finnish.
  const client = await openPage('client', { viewport: { width: 360, height: 740 }, locale: 'fi-FI' });

  await withFailureEvidence([advisor, client], async () => {
    // The advisor signs in and becomes available.
    await advisor.page.goto(`${server.origin}/advisor.html`);
    await byTestId(advisor.page, 'sign-in-screen').waitFor();
    await screenshot(advisor.page, 'advisor-sign-in');
    await signIn(advisor, ADVISOR_PASSWORD);
    await byTestId(advisor.page, 'desk-screen').waitFor();
    await expectText(byTestId(advisor.page, 'signed-in-as'), /Aino.*Virka Info/);
    await byTestId(advisor.page, 'presence-available').check();
    await expectAttribute(byTestId(advisor.page, 'presence-summary'), 'data-status', 'available');
    const presenceSent = advisor.framesSent.find((frame) =>
      frame.type === 'presence' && frame.status === 'available');
    assert.ok(presenceSent?.id, 'presence message with an id was sent');

    // The client chooses Arabic and Espoo.
    await client.page.goto(`${server.origin}/`);
    const arabicButton = byTestId(client.page, 'language-ar');
    await arabicButton.waitFor();
    assert.equal(await arabicButton.getAttribute('lang'), 'ar');
    assert.equal(await arabicButton.getAttribute('dir'), 'rtl');
    assert.equal(await arabicButton.textContent(), 'العربية');
    await screenshot(client.page, 'client-choose-language');
    await arabicButton.click();
    await expectAttribute(client.page.locator('html'), 'dir', 'rtl', 'Arabic sets dir="rtl"');
    assert.equal(await client.page.locator('html').getAttribute('lang'), 'ar');
    await expectText(byTestId(client.page, 'start-button'), arabicText['choose.start']);
    await byTestId(client.page, 'home-select').selectOption('049');
    await screenshot(client.page, 'client-arabic-espoo');
    await byTestId(client.page, 'start-button').click();

    const request = client.framesSent.find((frame) => frame.type === 'request');
    assert.equal(request?.language, 'ar');
    assert.equal(request?.home, '049');

    // Both see the conversation start.
    await byTestId(client.page, 'chat-screen').waitFor();
    await expectText(byTestId(client.page, 'advisor-info'), /Aino/);
    await expectText(byTestId(client.page, 'advisor-info'), /Virka Info/);
    const conversationItem = byTestId(advisor.page, 'conversation-item');
    await conversationItem.waitFor();
    const panel = byTestId(advisor.page, 'conversation-panel');
    await expectText(byTestId(panel, 'conversation-language'), /العربية/);
    await expectText(byTestId(panel, 'conversation-home'), 'Espoo');
    // Espoo and Helsinki share the capital region: Aino serves Espoo's residents as a region point.
    await expectText(byTestId(panel, 'conversation-tier'), advisorText['tier.region']);

    // The client writes; the advisor reads it.
    const question = 'مرحبا، عندي سؤال عن رسالة من Kela.';
    await byTestId(client.page, 'message-input').fill(question);
    await byTestId(client.page, 'send-button').click();
    const ownMessage = byTestId(client.page, 'message').filter({ hasText: question });
    await expectAttribute(byTestId(ownMessage, 'delivery-state'), 'data-state', 'delivered');
    await expectText(byTestId(ownMessage, 'delivery-state'), arabicText['chat.delivered']);
    await expectText(byTestId(panel, 'message-text').filter({ hasText: question }), question);

    // The advisor answers; the client reads it and acknowledges it.
    const answer = 'أهلًا! لنقرأ الرسالة معًا.';
    await byTestId(panel, 'message-input').fill(answer);
    await byTestId(panel, 'message-input').press('Enter');
    const advisorOwn = byTestId(panel, 'message').filter({ hasText: answer });
    await expectAttribute(byTestId(advisorOwn, 'delivery-state'), 'data-state', 'delivered');
    const incoming = byTestId(client.page, 'message').filter({ hasText: answer });
    await expectText(byTestId(incoming, 'message-text'), answer);
    await expectText(incoming.locator('.message-author'), 'Aino');
    const answerFrame = client.framesReceived.find((frame) =>
      frame.type === 'message' && frame.text === answer);
    await eventually('client acknowledges the answer', () => client.framesSent.some((frame) =>
      frame.type === 'ack' && frame.seq === answerFrame.seq &&
      frame.conversation === answerFrame.conversation), (sent) => sent);
    await screenshot(client.page, 'client-chat-rtl');
    await screenshot(advisor.page, 'advisor-chat');

    // The client ends; both see the end.
    await byTestId(client.page, 'end-button').click();
    await expectText(byTestId(client.page, 'ended-text'), arabicText['ended.by_you']);
    await byTestId(client.page, 'start-again-button').waitFor();
    await expectText(byTestId(panel, 'ended-text'), advisorText['ended.client']);
    await byTestId(advisor.page, 'ended-badge').waitFor();
    await screenshot(client.page, 'client-ended');
    await screenshot(advisor.page, 'advisor-ended');

    // Starting again clears the old conversation from the screen (a kiosk has a next user).
    await byTestId(client.page, 'start-again-button').click();
    await byTestId(client.page, 'choose-screen').waitFor();
    assert.equal(await byTestId(client.page, 'message').count(), 0);

    // A signed-in advisor who reloads skips the form; signing out brings it back.
    await advisor.page.reload();
    await byTestId(advisor.page, 'desk-screen').waitFor();
    assert.equal(await byTestId(advisor.page, 'sign-in-screen').isVisible(), false);
    await byTestId(advisor.page, 'sign-out-button').click();
    await byTestId(advisor.page, 'sign-in-screen').waitFor();
    await advisor.page.reload();
    await byTestId(advisor.page, 'sign-in-screen').waitFor();

    assertNoProblems(client);
    assertNoProblems(advisor);
  });

  await advisor.context.close();
  await client.context.close();
});

test('an advisor serves two conversations at once and ends one', { timeout: 90_000 }, async () => {
  const advisor = await openPage('advisor-two', { viewport: { width: 1280, height: 800 } });
  const arabicClient = await openPage('client-ar', { viewport: { width: 360, height: 740 } });
  const finnishClient = await openPage('client-fi', { viewport: { width: 360, height: 740 } });
  const finnishText = clientText('fi');

  async function startChat(client, language) {
    await client.page.goto(`${server.origin}/`);
    await byTestId(client.page, `language-${language}`).click();
    await expectAttribute(client.page.locator('html'), 'lang', language);
    await byTestId(client.page, 'start-button').click();
    await byTestId(client.page, 'chat-screen').waitFor();
  }

  await withFailureEvidence([advisor, arabicClient, finnishClient], async () => {
    await advisor.page.goto(`${server.origin}/advisor.html`);
    await signIn(advisor, ADVISOR_PASSWORD);
    await byTestId(advisor.page, 'desk-screen').waitFor();
    await byTestId(advisor.page, 'capacity-input').fill('2');
    await byTestId(advisor.page, 'capacity-input').press('Tab');
    await byTestId(advisor.page, 'presence-available').check();
    await expectAttribute(byTestId(advisor.page, 'presence-summary'), 'data-status', 'available');
    await expectText(byTestId(advisor.page, 'presence-summary'), /0\D+2/);

    await startChat(arabicClient, 'ar');
    await startChat(finnishClient, 'fi');
    const items = byTestId(advisor.page, 'conversation-item');
    await eventually('two conversations listed', () => items.count(), (count) => count === 2);
    await expectText(byTestId(advisor.page, 'presence-summary'), /2\D+2/);

    // The first conversation is open; a message in the second shows as unread there.
    const finnishItem = items.filter({ hasText: 'Suomi' });
    await finnishClient.page.locator('[data-testid="message-input"]').fill('Hei, tarvitsen apua.');
    await byTestId(finnishClient.page, 'send-button').click();
    const unread = byTestId(finnishItem, 'unread-count');
    await expectAttribute(unread, 'data-count', '1');
    await expectText(unread, advisorText['conversations.unread'].replace('{count}', '1'));
    await screenshot(advisor.page, 'advisor-two-conversations');

    // Opening it clears the count; the advisor answers and ends that conversation.
    await finnishItem.click();
    assert.equal(await unread.isVisible(), false);
    assert.equal(await finnishItem.getAttribute('aria-current'), 'true');
    const finnishPanel = advisor.page.locator('[data-testid="conversation-panel"]:visible');
    await expectText(byTestId(finnishPanel, 'conversation-home'), advisorText['home.unknown']);
    await expectText(byTestId(finnishPanel, 'message-text'), 'Hei, tarvitsen apua.');
    await byTestId(finnishPanel, 'message-input').fill('Hei! Miten voin auttaa?');
    await byTestId(finnishPanel, 'send-button').click();
    await expectText(byTestId(finnishClient.page, 'message-text').filter({ hasText: 'Miten' }),
      'Hei! Miten voin auttaa?');
    await byTestId(finnishPanel, 'end-button').click();
    await expectText(byTestId(finnishClient.page, 'ended-text'), finnishText['ended.by_advisor']);
    await expectText(byTestId(finnishPanel, 'ended-text'), advisorText['ended.advisor']);
    await expectText(byTestId(advisor.page, 'presence-summary'), /1\D+2/);
    await screenshot(finnishClient.page, 'client-fi-ended-by-advisor');

    // Removing the ended conversation leaves the other one, still going.
    await byTestId(finnishPanel, 'remove-button').click();
    await eventually('one conversation left', () => items.count(), (count) => count === 1);
    assert.equal(await byTestId(arabicClient.page, 'end-button').isVisible(), true);

    for (const record of [arabicClient, finnishClient]) assertNoProblems(record);
    assertNoProblems(advisor);
  });

  await advisor.context.close();
  await arabicClient.context.close();
  await finnishClient.context.close();
});

// Node's fetch cannot be told to trust one self-signed certificate, so use https directly.
async function fetchInsecure(url) {
  const { request } = await import('node:https');
  return new Promise((resolvePromise, rejectPromise) => {
    const outgoing = request(url, { rejectUnauthorized: false }, (response) => {
      response.resume();
      response.on('end', () => resolvePromise({ status: response.statusCode, headers: response.headers }));
    });
    outgoing.on('error', rejectPromise);
    outgoing.end();
  });
}
