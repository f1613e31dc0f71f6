// Shared by the browser tests: starts the real neuvo-server on a free port with a test
// configuration and accounts, drives Debian's Chromium through playwright-core, and keeps
// evidence (screenshots, server log) when something fails.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDirectory = dirname(fileURLToPath(import.meta.url));
export const sourceDirectory =
  resolve(process.env.NEUVO_SOURCE_DIR ?? join(testDirectory, '..', '..'));
const serverBinary = resolve(
  process.env.NEUVO_SERVER ?? join(sourceDirectory, 'build', 'server', 'app', 'neuvo-server'));
export const webRoot = join(sourceDirectory, 'client-web');
const artifactsDirectory = join(sourceDirectory, 'test-artifacts');

const SERVER_START_TIMEOUT_MS = 20_000;
export const STEP_TIMEOUT_MS = 10_000;

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (error) {
  throw new Error(`playwright-core is not installed: run "npm ci" in ${testDirectory} (${error})`);
}

export const clientText = (tag) =>
  JSON.parse(readFileSync(join(webRoot, 'i18n', `${tag}.json`), 'utf8'));
export const advisorText = (tag = 'en') =>
  JSON.parse(readFileSync(join(webRoot, 'i18n', 'advisor', `${tag}.json`), 'utf8'));

// ---- The server ----

export const server = {
  workDirectory: null,
  configPath: null,
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

// `routing`: fields to put over the demo configuration's "routing" section (shorter offer
// times and grace periods keep the tests quick); `limits` likewise over "limits".
function writeTestConfig(workDirectory, routing, limits) {
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
  // The demo's allowed origins name its port 8443; without the setting the server allows its own
  // origin on the port it binds, which is where the pages come from.
  delete config.allowed_origins;
  if (routing) config.routing = { ...config.routing, ...routing };
  if (limits) config.limits = { ...config.limits, ...limits };
  const configPath = join(workDirectory, 'neuvo.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}

// accounts: [{ login, name, point, languages: ['fi', 'ar'], role?, organisation? (a clerk's),
//   national? (a supervisor of every point), password }]
// commands: server commands run with the test configuration before the server starts, e.g.
//   [['demo-visits', '--count', '3000']].
export async function startServer({ accounts, routing, limits, commands } = {}) {
  assert.ok(existsSync(serverBinary), `server binary not found: ${serverBinary} (set NEUVO_SERVER)`);
  server.workDirectory = mkdtempSync(join(tmpdir(), 'neuvo-browser-'));
  runOrFail('bash', [join(sourceDirectory, 'scripts', 'dev-cert.sh'), server.workDirectory]);
  const configPath = writeTestConfig(server.workDirectory, routing, limits);
  server.configPath = configPath;
  for (const account of accounts ?? []) {
    const args = [
      '--config', configPath, 'admin', 'add', '--login', account.login, '--name', account.name,
      '--point', account.point, '--languages', account.languages.join(','),
    ];
    if (account.role) args.push('--role', account.role);
    if (account.organisation) args.push('--organisation', account.organisation);
    if (account.national) args.push('--national');
    args.push('--password-stdin');
    runOrFail(serverBinary, args, { input: `${account.password}\n` });
  }
  for (const command of commands ?? []) runOrFail(serverBinary, ['--config', configPath, ...command]);
  server.origin = await launch(configPath);
}

// Runs the server on the configuration and resolves to its origin once it listens.
function launch(configPath) {
  const child = spawn(serverBinary, ['--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.process = child;
  server.exited = false;
  server.stdout = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    server.stderr += chunk;
  });

  return new Promise((resolvePromise, rejectPromise) => {
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

// Ends the server with `signal` (SIGKILL: as a crash, nothing runs after it) and starts it again
// on the same configuration, database and port, so that the pages open on it find it where it
// was. `downMs`: how long it stays down.
export async function restartServer({ signal = 'SIGKILL', downMs = 0 } = {}) {
  const child = server.process;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  child.kill(signal);
  await exited;
  if (downMs > 0) await sleep(downMs);
  const config = JSON.parse(readFileSync(server.configPath, 'utf8'));
  config.listen.port = Number(new URL(server.origin).port);
  writeFileSync(server.configPath, `${JSON.stringify(config, null, 2)}\n`);
  const origin = await launch(server.configPath);
  assert.equal(origin, server.origin, 'the server is back on its port');
}

export async function stopServer() {
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

export function serverLogTail() {
  return `\n--- server stderr (tail) ---\n${server.stderr.slice(-4000)}`;
}

// ---- The browser ----

let browser;

export async function launchBrowser() {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
      // The advisor desk beeps on new offers; a test browser must not need a gesture for it.
      '--autoplay-policy=no-user-gesture-required'],
  });
  return browser;
}

export async function closeBrowser() {
  await browser?.close();
}

// Every page records what would mean a broken page: script errors, console errors (CSP
// violations show up there), requests leaving the server's origin, and WebSocket frames.
// `expectedStatuses`: HTTP statuses that are answers the page expects (Chromium logs every
// 4xx as a failed resource), e.g. 403 for an advisor opening the supervisor page.
export async function openPage(name, contextOptions, { expectedStatuses = [401] } = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const record = { name, page, context, problems: [], framesSent: [], framesReceived: [] };
  const expected = new RegExp(`status of (${expectedStatuses.join('|')})`);
  page.on('pageerror', (error) => record.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 401 answer as a failed resource; for /api/session and a wrong
    // password that answer is the expected one, so it is not a problem of the page.
    if (message.type() === 'error' && !expected.test(message.text())) {
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

export async function screenshot(page, name) {
  mkdirSync(artifactsDirectory, { recursive: true });
  await page.screenshot({ path: join(artifactsDirectory, `${name}.png`), fullPage: true });
}

export const byTestId = (scope, id) => scope.locator(`[data-testid="${id}"]`);

export const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

// Polls until `read()` satisfies `check`, then returns the value; fails with the last value.
export async function eventually(description, read, check, timeout = STEP_TIMEOUT_MS) {
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

export async function expectText(locator, expected, description, timeout) {
  await locator.first().waitFor({ state: 'visible', timeout });
  const matches = (text) =>
    (expected instanceof RegExp ? expected.test(text ?? '') : (text ?? '').trim() === expected);
  return eventually(description ?? `text ${expected}`, () => locator.first().textContent(), matches,
    timeout);
}

export async function expectAttribute(locator, attribute, expected, description, timeout) {
  return eventually(description ?? `${attribute}=${expected}`,
    () => locator.getAttribute(attribute), (value) => value === expected, timeout);
}

// A catalogue sentence with its {placeholders} as a pattern: the fixed words must be there,
// the placeholders may be anything.
export function catalogueSentence(template) {
  const parts = template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[\\s\\S]+'));
}

// Signs in on the advisor desk or the supervisor page.
export async function signIn(record, login, password) {
  await byTestId(record.page, 'login-input').fill(login);
  await byTestId(record.page, 'password-input').fill(password);
  await byTestId(record.page, 'sign-in-button').click();
}

// Opens the advisor desk, signs in and (unless told otherwise) becomes available.
export async function openDesk(record, { login, password }, { available = true, capacity } = {}) {
  await record.page.goto(`${server.origin}/advisor.html`);
  await byTestId(record.page, 'sign-in-screen').waitFor();
  await signIn(record, login, password);
  await byTestId(record.page, 'desk-screen').waitFor();
  if (capacity !== undefined) {
    await byTestId(record.page, 'capacity-input').fill(String(capacity));
    await byTestId(record.page, 'capacity-input').press('Tab');
  }
  if (available) {
    await byTestId(record.page, 'presence-available').check();
    await expectAttribute(byTestId(record.page, 'presence-summary'), 'data-status', 'available');
    if (capacity !== undefined) {
      await expectText(byTestId(record.page, 'presence-summary'), new RegExp(`\\D${capacity}\\D`));
    }
  }
}

// The offer card for a conversation (or the first one), once it is shown.
export async function waitForOffer(record, conversation) {
  const selector = conversation
    ? `[data-testid="offer-card"][data-conversation="${conversation}"]`
    : '[data-testid="offer-card"]';
  const card = record.page.locator(selector).first();
  await card.waitFor();
  return card;
}

// The advisor accepts the next offer; returns the conversation id.
export async function acceptOffer(record) {
  const card = await waitForOffer(record);
  const conversation = await card.getAttribute('data-conversation');
  await byTestId(card, 'accept-button').click();
  await record.page.locator(
    `[data-testid="conversation-item"][data-conversation="${conversation}"]`).waitFor();
  return conversation;
}

// The client chooses a language (and other options) and asks for an advisor.
export async function requestAdvisor(record, language, { home, alsoSpeaks = [] } = {}) {
  const { page } = record;
  await page.goto(`${server.origin}/`);
  await byTestId(page, `language-${language}`).click();
  await expectAttribute(byTestId(page, `language-${language}`), 'aria-pressed', 'true');
  if (home) await byTestId(page, 'home-select').selectOption(home);
  if (alsoSpeaks.length > 0) await byTestId(page, 'also-speaks-toggle').click();
  for (const tag of alsoSpeaks) await byTestId(page, `also-speaks-${tag}`).check();
  await byTestId(page, 'start-button').click();
}

// Runs a test body; on failure keeps screenshots of every page and shows the server log.
export async function withFailureEvidence(pages, body) {
  try {
    await body();
  } catch (error) {
    for (const record of pages) {
      await screenshot(record.page, `failure-${record.name}`).catch(() => {});
      // The WebSocket frames both ways: what the page was told, and what it said.
      writeFileSync(join(artifactsDirectory, `failure-${record.name}-frames.json`), JSON.stringify(
        { sent: record.framesSent, received: record.framesReceived }, null, 1));
    }
    error.message += serverLogTail();
    throw error;
  }
}

export function assertNoProblems(record) {
  assert.deepEqual(record.problems, [], `${record.name} page had problems`);
}

// Node's fetch cannot be told to trust one self-signed certificate, so use https directly.
export async function fetchInsecure(url, { method = 'GET', headers = {}, body } = {}) {
  const { request } = await import('node:https');
  return new Promise((resolvePromise, rejectPromise) => {
    const outgoing = request(url, { method, headers, rejectUnauthorized: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => resolvePromise({
        status: response.statusCode, headers: response.headers, body: text,
      }));
    });
    outgoing.on('error', rejectPromise);
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}

// ---- Accessibility ----

// axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, and its best practices (landmarks,
// heading order, one main, a level-one heading), which the pages are also meant to follow.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let axeSource;

// Runs axe-core in the page as it is now and fails with every violation: the rule, its impact,
// the elements (as selectors) with what is wrong with each, and the rule's help page. The
// script is evaluated through the DevTools protocol, which the pages' content security policy
// (script-src 'self') does not block, so no inline script tag is added to the page.
export async function expectNoAxeViolations(page, label) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target.join(' '),
        summary: node.failureSummary,
      })),
    }));
  }, AXE_TAGS);
  const report = violations.map((violation) => [
    `${violation.id} (${violation.impact}): ${violation.help}`,
    `  ${violation.helpUrl}`,
    ...violation.nodes.map((node) =>
      `  - ${node.target}\n      ${(node.summary ?? '').replace(/\n/g, '\n      ')}`),
  ].join('\n')).join('\n');
  assert.equal(violations.length, 0,
    `${label}: ${violations.length} accessibility violation(s)\n${report}`);
}

// What axe cannot see: text in a script other than Latin must be inside an element whose lang
// is a language written in it, so that a screen reader reads an Arabic autonym in a Finnish
// sentence with an Arabic voice. Fails with every visible text that is not.
export async function expectForeignScriptsMarked(page, label) {
  const unmarked = await page.evaluate(() => {
    const scripts = [
      [/[\u0600-\u06FF]/, ['ar', 'fa', 'prs', 'ps', 'ckb', 'ku', 'ur']],
      [/[\u0400-\u04FF]/, ['ru', 'uk', 'bg', 'sr', 'be', 'mk']],
      [/[\u1200-\u137F]/, ['ti', 'am']],
      [/[\u0E00-\u0E7F]/, ['th']],
      [/[\u3040-\u30FF\u4E00-\u9FFF]/, ['zh', 'ja']],
    ];
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const text = node.textContent.trim();
      if (!text || !element?.checkVisibility() || element.closest('[aria-hidden="true"]')) continue;
      const lang = (element.closest('[lang]')?.getAttribute('lang') ?? '').split('-')[0];
      if (scripts.some(([letters, languages]) => letters.test(text) && !languages.includes(lang))) {
        const owner = element.closest('[data-testid]')?.dataset.testid ?? element.tagName;
        found.push(`${owner} (lang "${lang}"): ${text.slice(0, 60)}`);
      }
    }
    return found;
  });
  assert.deepEqual(unmarked, [], `${label}: text in another script without its lang`);
}

// Both checks of the page as it is now.
export async function expectAccessible(page, label) {
  await expectNoAxeViolations(page, label);
  await expectForeignScriptsMarked(page, label);
}
