// The server crashes (SIGKILL) in the middle of a conversation and starts again on the same
// database: the phone-sized client page and the advisor's desk both come back by themselves, the
// conversation goes on where it was, and every message is on both screens exactly once, in
// order, including what the person wrote while the server was down. Against the real server in
// Debian's Chromium.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, assertNoProblems, byTestId, clientText,
  closeBrowser, expectAttribute, expectText, launchBrowser, openDesk, openPage, requestAdvisor,
  restartServer, screenshot, server, startServer, stopServer, withFailureEvidence,
} from './harness.mjs';

const ADVISOR = { login: 'aino', password: 'correct horse 1' };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
// The server stays down this long: the pages try again meanwhile, and fail.
const DOWN_MS = 3000;

const arabicText = clientText('ar');

before(async () => {
  await startServer({
    accounts: [{
      login: ADVISOR.login, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'],
      password: ADVISOR.password,
    }],
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

// While the server is down, Chromium logs every failed attempt to reach it, and the advisor's
// desk its failed session check: those, and only those, are expected.
function assertNoProblemsBesidesTheOutage(record) {
  const origin = server.origin.replace('https://', 'wss://');
  record.problems = record.problems.filter((problem) =>
    !problem.startsWith(`console error: WebSocket connection to '${origin}/ws/`) &&
    !problem.startsWith('console error: Failed to load resource: net::ERR_CONNECTION_REFUSED'));
  assertNoProblems(record);
}

const texts = (scope) => byTestId(scope, 'message-text').allTextContents();

async function advisorWrites(panel, text) {
  await byTestId(panel, 'message-input').fill(text);
  await byTestId(panel, 'message-input').press('Enter');
  const own = byTestId(panel, 'message').filter({ hasText: text });
  await expectAttribute(byTestId(own, 'delivery-state'), 'data-state', 'delivered', 'delivered',
    20_000);
}

async function clientWrites(page, text) {
  await byTestId(page, 'message-input').fill(text);
  await byTestId(page, 'send-button').click();
  return byTestId(page, 'message').filter({ hasText: text });
}

test('a conversation survives the server crashing and starting again, on the phone and on the '
  + 'desk', async () => {
  const advisor = await openPage('advisor');
  const phone = await openPage('phone', PHONE);
  await withFailureEvidence([advisor, phone], async () => {
    await openDesk(advisor, ADVISOR);
    await requestAdvisor(phone, 'ar', { home: '091' });
    await acceptOffer(advisor);
    const page = phone.page;
    await byTestId(page, 'chat-screen').waitFor();
    const panel = byTestId(advisor.page, 'conversation-panel');
    await advisorWrites(panel, 'مرحبا، كيف أساعدك؟');
    const first = await clientWrites(page, 'لدي رسالة من كيلا.');
    await expectAttribute(byTestId(first, 'delivery-state'), 'data-state', 'delivered');
    await expectText(byTestId(panel, 'message-text').last(), 'لدي رسالة من كيلا.');

    const restarted = restartServer({ signal: 'SIGKILL', downMs: DOWN_MS });
    // The page says what is happening, in Arabic, and keeps the conversation on screen; what
    // the person writes meanwhile waits to be sent.
    const notice = byTestId(page, 'connection-notice');
    await notice.waitFor();
    await expectText(notice, arabicText['connection.reconnecting']);
    const waiting = await clientWrites(page, 'هل ما زلت هناك؟');
    await expectAttribute(byTestId(waiting, 'delivery-state'), 'data-state', 'waiting');
    await screenshot(page, 'phone-server-restarting');
    await restarted;

    // Both come back by themselves; the person's message goes once the advisor is back.
    await expectAttribute(byTestId(waiting, 'delivery-state'), 'data-state', 'delivered',
      'sent after the restart', 30_000);
    await expectText(byTestId(panel, 'message-text').last(), 'هل ما زلت هناك؟',
      'the advisor has it', 30_000);
    await advisorWrites(panel, 'نعم، أنا هنا. أرسل لي الرسالة.');
    await expectText(byTestId(page, 'message-text').last(), 'نعم، أنا هنا. أرسل لي الرسالة.');

    const conversation = [
      'مرحبا، كيف أساعدك؟',
      'لدي رسالة من كيلا.',
      'هل ما زلت هناك؟',
      'نعم، أنا هنا. أرسل لي الرسالة.',
    ];
    assert.deepEqual(await texts(page), conversation, 'the phone has each message once, in order');
    assert.deepEqual(await texts(panel), conversation, 'the desk has each message once, in order');
    assert.equal(phone.framesSent.filter((frame) => frame.type === 'request').length, 1,
      'the page never asked for a new advisor');
    assert.ok(phone.framesSent.some((frame) => frame.type === 'resume'), 'the page resumed');
    assert.equal(await notice.isHidden(), true);
    await screenshot(page, 'phone-after-server-restart');
    assertNoProblemsBesidesTheOutage(phone);
    assertNoProblemsBesidesTheOutage(advisor);
  });
  await phone.context.close();
  await advisor.context.close();
});
