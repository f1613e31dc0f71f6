// The client page on a phone-sized screen (360 px) whose network drops in the middle of a
// conversation, against the real server in Debian's Chromium. The page's WebSocket goes through
// a TCP relay in this test that can cut every connection at once and refuse new ones, as a
// phone changing cells or driving through a tunnel sees it: no close frame, just gone. The page
// must come back by itself, resume the same conversation, get what the advisor wrote meanwhile
// exactly once and in order, and send what the person wrote meanwhile exactly once. The
// clerk's desk page comes back the same way.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, clientText,
  closeBrowser, eventually, expectAttribute, expectText, launchBrowser, openDesk, openPage,
  requestAdvisor, screenshot, server, signIn, startServer, stopServer, webRoot,
  withFailureEvidence,
} from './harness.mjs';

const ADVISOR = { login: 'aino', password: 'correct horse 1' };
// Each test has an advisor of its own, whose desk holds only that test's conversation.
const SECOND_ADVISOR = { login: 'leila', password: 'correct horse 1' };
const THIRD_ADVISOR = { login: 'hodan', password: 'correct horse 1' };
const CLERK = { login: 'kaisa', password: 'correct horse 1' };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
// Long enough for the relay to stay down while the advisor writes; short enough to wait out.
const CLIENT_GRACE_SECONDS = 8;

const advisorText = readAdvisorText('en');
const arabicText = clientText('ar');
const clerkText = JSON.parse(readFileSync(join(webRoot, 'i18n', 'clerk', 'en.json'), 'utf8'));

// A TCP relay between the page and the server: `cut()` ends every connection without a word
// and refuses new ones until `restore()`.
function startRelay(targetPort) {
  const sockets = new Set();
  let down = false;
  const relay = createServer((incoming) => {
    if (down) {
      incoming.destroy();
      return;
    }
    const outgoing = connect(targetPort, '127.0.0.1');
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
    incoming.on('close', () => outgoing.destroy());
    outgoing.on('close', () => incoming.destroy());
  });
  return new Promise((resolvePromise) => {
    relay.listen(0, '127.0.0.1', () => resolvePromise({
      port: relay.address().port,
      cut() {
        down = true;
        // resetAndDestroy: an RST, as when the network vanishes; no FIN, no close frame.
        for (const socket of sockets) socket.resetAndDestroy();
      },
      restore() {
        down = false;
      },
      connections: () => sockets.size / 2,
      close: () => new Promise((done) => relay.close(done)),
    }));
  });
}

let relay;

before(async () => {
  await startServer({
    accounts: [{
      login: ADVISOR.login, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'],
      password: ADVISOR.password,
    }, {
      login: SECOND_ADVISOR.login, name: 'Leila', point: '091-virka', languages: ['ar'],
      password: SECOND_ADVISOR.password,
    }, {
      login: THIRD_ADVISOR.login, name: 'Hodan', point: '091-virka', languages: ['so'],
      password: THIRD_ADVISOR.password,
    }, {
      login: CLERK.login, name: 'Kaisa', point: '091-virka', languages: ['fi'], role: 'clerk',
      organisation: 'Kela, Itäkeskus', password: CLERK.password,
    }],
    routing: { client_grace_seconds: CLIENT_GRACE_SECONDS },
  });
  relay = await startRelay(Number(new URL(server.origin).port));
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await relay?.close();
  await stopServer();
});

// The phone's page, its WebSockets going through the relay. The page itself still comes from the
// server's origin, so the handshake's Origin is the one the server expects.
// The page's Content-Security-Policy allows connections to its own origin only, and the relay
// listens on another port: the policy is set aside for this page alone (`bypassCSP`).
async function openPhone(name = 'phone', options = PHONE) {
  const phone = await openPage(name, { ...options, bypassCSP: true });
  await phone.context.addInitScript((port) => {
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(url, protocols) {
        const throughRelay = new URL(url);
        throughRelay.port = String(port);
        super(throughRelay.href, protocols);
      }
    };
  }, relay.port);
  return phone;
}

// The relay's address is not the server's origin, and Chromium logs every attempt to connect
// while the relay is down: those, and only those, are expected here.
function assertNoProblemsBesidesRelay(record) {
  const relayed = `wss://127.0.0.1:${relay.port}${record.name === 'clerk' ? '/ws/clerk' : '/ws/client'}`;
  record.problems = record.problems.filter((problem) =>
    problem !== `external request: ${relayed}` &&
    !problem.startsWith(`console error: WebSocket connection to '${relayed}' failed`));
  assertNoProblems(record);
}

const messagesIn = (page) => byTestId(page, 'message');

async function texts(locator) {
  return locator.locator('[data-testid="message-text"]').allTextContents();
}

async function advisorWrites(panel, text) {
  await byTestId(panel, 'message-input').fill(text);
  await byTestId(panel, 'message-input').press('Enter');
  const own = byTestId(panel, 'message').filter({ hasText: text });
  await expectAttribute(byTestId(own, 'delivery-state'), 'data-state', 'delivered');
}

async function startConversation(phone, advisor) {
  await requestAdvisor(phone, 'ar', { home: '091' });
  await acceptOffer(advisor);
  await byTestId(phone.page, 'chat-screen').waitFor();
  const panel = byTestId(advisor.page, 'conversation-panel');
  await advisorWrites(panel, 'مرحبا، كيف أساعدك؟');
  await expectText(byTestId(phone.page, 'message-text').last(), 'مرحبا، كيف أساعدك؟');
  return panel;
}

test('a phone-sized client survives the server dropping its socket and keeps the conversation',
  async () => {
    const advisor = await openPage('advisor');
    const phone = await openPhone();
    await withFailureEvidence([advisor, phone], async () => {
      await openDesk(advisor, ADVISOR);
      const panel = await startConversation(phone, advisor);
      const page = phone.page;
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `nothing wider than the phone (${width} px)`);

      relay.cut();
      // The page says what is happening, in Arabic, and keeps the conversation on screen.
      const notice = byTestId(page, 'connection-notice');
      await notice.waitFor();
      await expectText(notice, arabicText['connection.reconnecting']);
      assert.equal(await byTestId(page, 'chat-screen').isVisible(), true);
      await expectText(byTestId(panel, 'client-reconnecting'),
        advisorText['chat.client_reconnecting'], 'the advisor is told', 15_000);
      await screenshot(page, 'phone-reconnecting');

      // Both sides write while the network is down.
      await advisorWrites(panel, 'أرسل لي صورة الرسالة من فضلك.');
      await advisorWrites(panel, 'هل هي من كيلا أم من مكتب العمل؟');
      const written = 'إنها من كيلا، وصلت أمس.';
      await byTestId(page, 'message-input').fill(written);
      await byTestId(page, 'send-button').click();
      const ownMessage = byTestId(page, 'message').filter({ hasText: written });
      await expectAttribute(byTestId(ownMessage, 'delivery-state'), 'data-state', 'waiting');

      relay.restore();
      await eventually('the page reconnects by itself', () => notice.isHidden(), (hidden) => hidden,
        15_000);
      await expectAttribute(byTestId(ownMessage, 'delivery-state'), 'data-state', 'delivered');
      await expectText(byTestId(panel, 'client-back'), advisorText['chat.client_back']);

      // Everything once, in the conversation's order (the person's message was numbered after
      // the advisor's two, which reached the phone only later): on the phone, and on the desk.
      assert.deepEqual(await texts(messagesIn(page)), [
        'مرحبا، كيف أساعدك؟',
        'أرسل لي صورة الرسالة من فضلك.',
        'هل هي من كيلا أم من مكتب العمل؟',
        written,
      ]);
      await expectText(byTestId(panel, 'message-text').last(), written);
      assert.equal((await texts(byTestId(panel, 'message'))).filter((t) => t === written).length, 1);
      const resumes = phone.framesSent.filter((frame) => frame.type === 'resume');
      assert.equal(resumes.length, 1, 'one resume, once the network was back');
      assert.equal(resumes[0].last_seq, 1);
      assert.equal(phone.framesSent.filter((frame) => frame.type === 'request').length, 1,
        'the page never asked for a new advisor');
      await screenshot(page, 'phone-resumed');

      // The conversation goes on as before.
      await advisorWrites(panel, 'شكرا، سأشرح لك.');
      await expectText(byTestId(page, 'message-text').last(), 'شكرا، سأشرح لك.');
      // The token lives in memory only: nothing of it in the page's storage.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) +
        JSON.stringify({ ...sessionStorage }) + document.cookie);
      assert.equal(stored.includes(resumes[0].token), false);
      assertNoProblemsBesidesRelay(phone);
      assertNoProblems(advisor);
    });
    await phone.context.close();
    await advisor.context.close();
  });

test('a phone away longer than the resume window is told the conversation ended and can start '
  + 'again', async () => {
  const advisor = await openPage('advisor');
  const phone = await openPhone();
  await withFailureEvidence([advisor, phone], async () => {
    await openDesk(advisor, SECOND_ADVISOR);
    const panel = await startConversation(phone, advisor);
    const page = phone.page;
    relay.cut();
    await byTestId(page, 'connection-notice').waitFor();
    await expectText(byTestId(panel, 'ended-text'), advisorText['ended.client_disconnected'],
      'the server ends it after the window', (CLIENT_GRACE_SECONDS + 10) * 1000);
    // The page stops trying once the window is over and says why.
    await expectText(byTestId(page, 'error'), arabicText['connection.expired'], 'told plainly',
      (CLIENT_GRACE_SECONDS + 10) * 1000);
    await byTestId(page, 'ended-text').waitFor();
    assert.equal(await byTestId(page, 'connection-notice').isHidden(), true);
    // The server no longer knows this page as the conversation's client: no rating to offer.
    assert.equal(await byTestId(page, 'rating').isHidden(), true);
    await screenshot(page, 'phone-expired');

    relay.restore();
    await byTestId(page, 'start-again-button').click();
    await byTestId(page, 'choose-screen').waitFor();
    assert.equal(await messagesIn(page).count(), 0, 'the old conversation is gone from the page');
    assertNoProblemsBesidesRelay(phone);
  });
  await phone.context.close();
  await advisor.context.close();
});

test('the clerk\'s desk survives a dropped connection too, and the chat goes on', async () => {
  const advisor = await openPage('advisor');
  const clerk = await openPhone('clerk', { viewport: { width: 1280, height: 900 } });
  await withFailureEvidence([advisor, clerk], async () => {
    await openDesk(advisor, THIRD_ADVISOR);
    const page = clerk.page;
    await page.goto(`${server.origin}/clerk.html`);
    await byTestId(page, 'sign-in-screen').waitFor();
    await signIn(clerk, CLERK.login, CLERK.password);
    await byTestId(page, 'request-screen').waitFor();
    await byTestId(page, 'language-so').click();
    await byTestId(page, 'request-button').click();
    await acceptOffer(advisor);
    await byTestId(page, 'chat-screen').waitFor();
    const panel = byTestId(advisor.page, 'conversation-panel');

    relay.cut();
    await expectText(byTestId(page, 'connection-notice'), clerkText['connection.reconnecting']);
    await expectText(byTestId(panel, 'client-reconnecting'), advisorText['chat.client_reconnecting'],
      'the advisor is told', 15_000);
    await advisorWrites(panel, 'Waan ku maqlayaa.');
    relay.restore();
    const fromAdvisor = page.locator('[data-testid="message"][data-from="other"]').last();
    await expectText(byTestId(fromAdvisor, 'message-text'), 'Waan ku maqlayaa.', 'missed message',
      15_000);
    await byTestId(page, 'connection-notice').waitFor({ state: 'hidden' });
    assert.equal(await byTestId(page, 'chat-screen').isVisible(), true);
    assert.equal(clerk.framesSent.filter((frame) => frame.type === 'resume').length, 1);
    await byTestId(page, 'message-input').fill('Mahadsanid.');
    await byTestId(page, 'send-button').click();
    await expectText(byTestId(panel, 'message-text').last(), 'Mahadsanid.');
    assertNoProblemsBesidesRelay(clerk);
  });
  await clerk.context.close();
  await advisor.context.close();
});
