// Browser journey of language support against the real neuvo-server in Debian's Chromium: a
// clerk at Kela asks for Somali language support for a customer at the desk, an advisor who
// speaks Somali is offered it as language support for that organisation, accepts, and the three
// write; the live view of the advisor's point lists the conversation (metadata only), a
// supervisor of another point does not see it, a national supervisor does. An advisor's
// account is refused on the clerk page (HTTP 403 on /ws/clerk) with a clear message. The
// clerk's customer joins from a phone-sized kiosk page with the clerk's one-time code.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  clientText as readClientText, closeBrowser, eventually, expectAttribute, expectText, fetchInsecure, launchBrowser, openDesk,
  openPage, screenshot, server, signIn, startServer, stopServer, waitForOffer, webRoot,
  withFailureEvidence,
} from './harness.mjs';

const CUSTOMER_GRACE_SECONDS = 2;
const ORGANISATION = 'Kela, Itäkeskus';
const KAISA = { login: 'kaisa', password: 'correct horse 1' }; // clerk, Kela at Virka Info
const HODAN = { login: 'hodan', password: 'correct horse 2' }; // Virka Info: so, fi
const SANNA = { login: 'sanna', password: 'correct horse 3' }; // supervisor of Virka Info
const OLLI = { login: 'olli', password: 'correct horse 4' }; // supervisor of In Espoo
const NINA = { login: 'nina', password: 'correct horse 5' }; // national supervisor

const advisorText = readAdvisorText('en');
const clerkText = JSON.parse(readFileSync(join(webRoot, 'i18n', 'clerk', 'en.json'), 'utf8'));

const somaliText = readClientText('so');

const FROM_DESK = 'Asiakas kysyy asumistuesta. (kela-4410)';
const FROM_SUPPORTER = 'Waan fahmay, su’aashaada ayaan u turjumayaa. (tuki-4411)';

const FROM_KIOSK = 'Waxaan rabaa inaan wax ka weydiiyo kaalmada guriga. (kiosk-5520)';
const TO_KIOSK = 'Haa, waan kaa caawin karaa. (tuki-5521)';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 1000 } };
const pages = {};
let conversation = null;

before(async () => {
  await startServer({
    accounts: [
      { ...KAISA, name: 'Kaisa', point: '091-virka', languages: ['fi', 'sv'], role: 'clerk',
        organisation: ORGANISATION },
      { ...HODAN, name: 'Hodan', point: '091-virka', languages: ['so', 'fi'] },
      { ...SANNA, name: 'Sanna', point: '091-virka', languages: ['fi'], role: 'supervisor' },
      { ...OLLI, name: 'Olli', point: '049-inespoo', languages: ['fi'], role: 'supervisor' },
      { ...NINA, name: 'Nina', point: '564-oulu10', languages: ['fi'], role: 'supervisor',
        national: true },
    ],
    // A closed kiosk page looks to the server like a dropped network: the customer is waited
    // for this long before the others hear they left.
    routing: { client_grace_seconds: CUSTOMER_GRACE_SECONDS },
  });
  await launchBrowser();
  pages.clerk = await openPage('language-support-clerk', desktop);
  pages.hodan = await openPage('language-support-hodan', desktop);
});

after(async () => {
  for (const record of Object.values(pages)) await record.context.close().catch(() => {});
  await closeBrowser();
  await stopServer();
});

async function openClerkPage(record, account) {
  await record.page.goto(`${server.origin}/clerk.html`);
  await byTestId(record.page, 'sign-in-screen').waitFor();
  await signIn(record, account.login, account.password);
}

async function openLiveView(name, account) {
  const record = await openPage(name, desktop);
  pages[name] = record;
  await record.page.goto(`${server.origin}/supervisor.html`);
  await byTestId(record.page, 'sign-in-screen').waitFor();
  await signIn(record, account.login, account.password);
  await byTestId(record.page, 'live-screen').waitFor();
  return record;
}

const conversationRow = (record, id) => record.page.locator(
  `[data-testid="conversation-row"][data-conversation="${id}"]`);

test('a clerk asks for Somali language support; the advisor sees for whom; supervisors see it by point',
  { timeout: 200_000 }, async () => {
    const { clerk, hodan } = pages;
    await withFailureEvidence([clerk, hodan], async () => {
      await openDesk(hodan, HODAN);

      // The clerk signs in: her name and organisation, the languages by their own names.
      await openClerkPage(clerk, KAISA);
      await byTestId(clerk.page, 'request-screen').waitFor();
      await expectText(byTestId(clerk.page, 'signed-in-as'), `Kaisa, ${ORGANISATION}`);
      await expectText(byTestId(clerk.page, 'language-so'), 'Soomaali');
      await expectText(byTestId(clerk.page, 'language-ar'), 'العربية');
      assert.equal(await clerk.page.locator('html').getAttribute('lang'), 'en');
      const welcome = clerk.framesReceived.find((frame) => frame.type === 'welcome');
      assert.equal(welcome.role, 'clerk');
      assert.equal(welcome.clerk?.organisation, ORGANISATION);

      // Asking without a language says what to do first.
      await byTestId(clerk.page, 'request-button').click();
      await expectText(byTestId(clerk.page, 'error'), clerkText['request.pick_language_first']);
      await byTestId(clerk.page, 'language-so').click();
      await expectAttribute(byTestId(clerk.page, 'language-so'), 'aria-pressed', 'true');
      await byTestId(clerk.page, 'home-select').selectOption('092');
      await screenshot(clerk.page, 'language-support-clerk-request');
      // Hodan is away for a moment, so that the clerk is seen in the queue.
      await byTestId(hodan.page, 'presence-away').check();
      await expectAttribute(byTestId(hodan.page, 'presence-summary'), 'data-status', 'away');
      await byTestId(clerk.page, 'request-button').click();
      await byTestId(clerk.page, 'waiting-screen').waitFor();
      const request = clerk.framesSent.find((frame) => frame.type === 'request');
      assert.equal(request.language, 'so');
      assert.equal(request.home, '092');
      await expectAttribute(byTestId(clerk.page, 'queue-position'), 'data-position', '1');
      await expectText(byTestId(clerk.page, 'queue-position'), clerkText['waiting.position_next']);
      await expectText(byTestId(clerk.page, 'waiting-language'), /Soomaali/);
      await screenshot(clerk.page, 'language-support-clerk-waiting');

      // Hodan becomes available and is offered it as language support for Kela.
      await byTestId(hodan.page, 'presence-available').check();
      const offer = await waitForOffer(hodan);
      const supportFor = advisorText['channel.language_support'].replace('{organisation}', ORGANISATION);
      await expectText(byTestId(offer, 'offer-channel'), supportFor);
      await expectText(byTestId(offer, 'offer-language'), /Soomaali/);
      const offerFrame = hodan.framesReceived.find((frame) => frame.type === 'offer');
      assert.equal(offerFrame.channel, 'language-support');
      assert.equal(offerFrame.organisation, ORGANISATION);
      await screenshot(hodan.page, 'language-support-advisor-offer');
      conversation = await acceptOffer(hodan);

      const panel = hodan.page.locator(
        `[data-testid="conversation-panel"][data-conversation="${conversation}"]`);
      await expectText(byTestId(panel, 'conversation-channel'), supportFor);
      await expectText(hodan.page.locator(
        `[data-testid="conversation-item"][data-conversation="${conversation}"]`), /Kela, Itäkeskus/);

      // One screen at the desk: who supports, then the three write.
      await byTestId(clerk.page, 'chat-screen').waitFor();
      await expectText(byTestId(clerk.page, 'supporter-info'),
        catalogueSentence(clerkText['chat.supporter']));
      await expectText(byTestId(clerk.page, 'supporter-info'), /Hodan[\s\S]*Virka Info/);
      await byTestId(clerk.page, 'message-input').fill(FROM_DESK);
      await byTestId(clerk.page, 'send-button').click();
      const mine = clerk.page.locator('[data-testid="message"][data-from="self"]').last();
      await expectAttribute(byTestId(mine, 'delivery-state'), 'data-state', 'delivered');
      await expectText(panel.locator('[data-testid="message-text"]').last(), FROM_DESK);
      await byTestId(panel, 'message-input').fill(FROM_SUPPORTER);
      await byTestId(panel, 'send-button').click();
      const fromHodan = clerk.page.locator('[data-testid="message"][data-from="other"]').last();
      await expectText(byTestId(fromHodan, 'message-text'), FROM_SUPPORTER);
      await expectText(fromHodan.locator('.message-author'), 'Hodan');
      await screenshot(clerk.page, 'language-support-clerk-chat');
      await screenshot(hodan.page, 'language-support-advisor-chat');

      // The live view of Virka Info lists the conversation: metadata, no words of it.
      const sanna = await openLiveView('language-support-sanna', SANNA);
      const row = conversationRow(sanna, conversation);
      await row.waitFor();
      await expectAttribute(row, 'data-channel', 'language-support');
      await expectText(byTestId(row, 'conversation-channel'), advisorText['live.channel_language_support']);
      await expectText(byTestId(row, 'conversation-language'), /Soomaali/);
      await expectText(byTestId(row, 'conversation-home'), 'Vantaa');
      await expectText(byTestId(row, 'conversation-point'), 'Virka Info');
      await expectText(byTestId(row, 'conversation-advisors'), 'Hodan');
      await expectAttribute(byTestId(row, 'conversation-waiting'), 'data-waiting', 'false');
      const sannaText = await sanna.page.locator('body').innerText();
      assert.ok(!sannaText.includes('kela-4410') && !sannaText.includes('tuki-4411'),
        'the live view shows no content');
      await screenshot(sanna.page, 'language-support-supervisor-point');

      // A supervisor of another point does not see it; a national one does.
      const olli = await openLiveView('language-support-olli', OLLI);
      await byTestId(olli.page, 'no-conversations').waitFor();
      const olliLive = await fetchLiveAs(OLLI);
      assert.ok(!olliLive.conversations.some((item) => item.conversation === conversation),
        'another point\'s supervisor is not sent the conversation');
      assert.equal(await conversationRow(olli, conversation).count(), 0);
      await screenshot(olli.page, 'language-support-supervisor-other-point');
      const nina = await openLiveView('language-support-nina', NINA);
      await expectAttribute(conversationRow(nina, conversation), 'data-channel', 'language-support');
      await screenshot(nina.page, 'language-support-supervisor-national');

      // The clerk ends it; both sides see the end.
      await byTestId(clerk.page, 'end-button').click();
      await expectText(clerk.page.locator('[data-testid="ended-text"]'), clerkText['ended.by_you']);
      await expectText(panel.locator('[data-testid="ended-text"]'), advisorText['ended.client']);
      await byTestId(clerk.page, 'new-request-button').waitFor();
      await eventually('the live view drops the ended conversation',
        () => conversationRow(sanna, conversation).count(), (count) => count === 0);

      // Signing out leaves the page at the form.
      await byTestId(clerk.page, 'sign-out-button').click();
      await byTestId(clerk.page, 'sign-in-screen').waitFor();
      for (const record of [clerk, hodan, sanna, olli, nina]) assertNoProblems(record);
    });
  });

async function cookieOf(account) {
  const answer = await fetchInsecure(`${server.origin}/api/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.login, password: account.password }),
  });
  assert.equal(answer.status, 200, answer.body);
  return String(answer.headers['set-cookie']).split(';')[0];
}

async function fetchLiveAs(account) {
  const answer = await fetchInsecure(`${server.origin}/api/live`,
    { headers: { Cookie: await cookieOf(account) } });
  assert.equal(answer.status, 200, answer.body);
  return JSON.parse(answer.body);
}

test('an advisor\'s account is refused on the clerk page with a clear message',
  { timeout: 60_000 }, async () => {
    // The server's answer itself: 403 not_allowed on the handshake.
    const cookie = await cookieOf(HODAN);
    const handshake = await fetchInsecure(`${server.origin}/ws/clerk`, {
      headers: {
        Cookie: cookie, Origin: server.origin, Connection: 'Upgrade', Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': 'neuvo.v1',
      },
    });
    assert.equal(handshake.status, 403);
    assert.equal(JSON.parse(handshake.body).error, 'not_allowed');

    const record = await openPage('language-support-refused', desktop, { expectedStatuses: [401, 403] });
    pages.refused = record;
    await withFailureEvidence([record], async () => {
      await openClerkPage(record, HODAN);
      await expectText(byTestId(record.page, 'forbidden-text'), clerkText['forbidden.text']);
      assert.equal(await byTestId(record.page, 'request-screen').isVisible(), false);
      await byTestId(record.page, 'sign-out-button').waitFor();
      await screenshot(record.page, 'language-support-refused');
      // Chromium logs the refused handshake itself; nothing else may go wrong.
      assert.deepEqual(record.problems.filter((problem) =>
        !/WebSocket connection to .*\/ws\/clerk.* failed/.test(problem)), []);
    });
  });

test('the customer joins the clerk\'s chat from a kiosk with a one-time code',
  { timeout: 200_000 }, async () => {
    const { clerk, hodan } = pages;
    const kiosk = await openPage('language-support-kiosk', phone);
    pages.kiosk = kiosk;
    await withFailureEvidence([clerk, hodan, kiosk], async () => {
      // Somali support for the customer at the desk, as before (Hodan's desk is open already
      // when the first test ran).
      if (!(await byTestId(hodan.page, 'desk-screen').isVisible())) await openDesk(hodan, HODAN);
      await openClerkPage(clerk, KAISA);
      await byTestId(clerk.page, 'request-screen').waitFor();
      await byTestId(clerk.page, 'language-so').click();
      await byTestId(clerk.page, 'request-button').click();
      const id = await acceptOffer(hodan);
      const panel = hodan.page.locator(
        `[data-testid="conversation-panel"][data-conversation="${id}"]`);
      // The desk may still show the first test's ended conversation: open this one.
      await hodan.page.locator(`[data-testid="conversation-item"][data-conversation="${id}"]`).click();
      await panel.waitFor();
      await byTestId(clerk.page, 'chat-screen').waitFor();

      // The clerk asks for a code: shown large, with its expiry; a new one can be asked for.
      const codeButton = byTestId(clerk.page, 'customer-code-button');
      await expectText(codeButton, clerkText['kiosk.button']);
      await codeButton.click();
      const shownCode = byTestId(clerk.page, 'customer-code');
      const first = await eventually('the code is shown',
        () => shownCode.getAttribute('data-code'), (value) => /^[A-Z0-9]{8}$/.test(value ?? ''));
      await expectText(byTestId(clerk.page, 'customer-code-expiry'),
        catalogueSentence(clerkText['kiosk.expires']));
      await expectText(codeButton, clerkText['kiosk.new_code']);
      await codeButton.click();
      await eventually('a new code replaces the first',
        () => shownCode.getAttribute('data-code'), (value) => /^[A-Z0-9]{8}$/.test(value ?? '') && value !== first);
      const code = await shownCode.getAttribute('data-code');
      const answer = clerk.framesReceived.filter((frame) => frame.type === 'customer_code').at(-1);
      assert.equal(answer.code, code);
      assert.equal(answer.conversation, id);
      const fontSize = await shownCode.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      assert.ok(fontSize >= 32, `the code is shown large (${fontSize}px)`);
      await screenshot(clerk.page, 'kiosk-clerk-code');

      // The kiosk: Somali first, then the code action in Somali.
      await kiosk.page.goto(`${server.origin}/`);
      await byTestId(kiosk.page, 'language-so').click();
      const openJoin = byTestId(kiosk.page, 'join-open-button');
      await expectText(openJoin, somaliText['join.open']);
      await openJoin.click();
      // Not a code at all: said at once, nothing sent.
      await byTestId(kiosk.page, 'code-input').fill('abc');
      await byTestId(kiosk.page, 'join-button').click();
      await expectText(byTestId(kiosk.page, 'code-error'), somaliText['join.code_invalid']);
      assert.equal(kiosk.framesSent.filter((frame) => frame.type === 'join').length, 0);
      // A wrong code: the server's unknown_code, in Somali; the person can try again.
      const wrong = code === 'ZZZZ9999' ? 'YYYY8888' : 'ZZZZ9999';
      await byTestId(kiosk.page, 'code-input').fill(wrong.toLowerCase());
      await byTestId(kiosk.page, 'join-button').click();
      await expectText(byTestId(kiosk.page, 'code-error'), somaliText['error.unknown_code']);
      assert.equal(kiosk.framesSent.find((frame) => frame.type === 'join').code, wrong);
      assert.ok(kiosk.framesReceived.some((frame) => frame.type === 'error' && frame.code === 'unknown_code'));
      await screenshot(kiosk.page, 'kiosk-client-wrong-code');

      // The right code, typed in lower case with stray spaces.
      await byTestId(kiosk.page, 'code-input').fill(`  ${code.toLowerCase()} `);
      await byTestId(kiosk.page, 'join-button').click();
      await byTestId(kiosk.page, 'chat-screen').waitFor();
      assert.equal(kiosk.framesSent.filter((frame) => frame.type === 'join').at(-1).code, code);
      await expectText(byTestId(kiosk.page, 'advisor-info'), /Hodan/);
      assert.equal(await kiosk.page.locator('html').getAttribute('lang'), 'so');

      // The advisor and the clerk see that the customer joined; the customer is not told itself.
      await expectText(byTestId(panel, 'customer-joined'), advisorText['chat.customer_joined']);
      await expectText(byTestId(clerk.page, 'customer-joined'), clerkText['chat.customer_joined']);
      assert.equal(await byTestId(clerk.page, 'customer-code-box').isVisible(), false,
        'a used code is no longer shown');

      // The customer writes: the advisor and the clerk read it.
      await byTestId(kiosk.page, 'message-input').fill(FROM_KIOSK);
      await byTestId(kiosk.page, 'send-button').click();
      const sent = kiosk.page.locator('[data-testid="message"][data-from="self"]').last();
      await expectAttribute(byTestId(sent, 'delivery-state'), 'data-state', 'delivered');
      await expectText(panel.locator('[data-testid="message-text"]').last(), FROM_KIOSK);
      const atDesk = clerk.page.locator('[data-testid="message"][data-from="other"]').last();
      await expectText(byTestId(atDesk, 'message-text'), FROM_KIOSK);
      await expectText(atDesk.locator('.message-author'), clerkText['chat.customer']);

      // The advisor answers: the customer and the clerk read it.
      await byTestId(panel, 'message-input').fill(TO_KIOSK);
      await byTestId(panel, 'send-button').click();
      const onKiosk = kiosk.page.locator('[data-testid="message"][data-from="other"]').last();
      await expectText(byTestId(onKiosk, 'message-text'), TO_KIOSK);
      await expectText(onKiosk.locator('.message-author'), 'Hodan');
      await expectText(byTestId(clerk.page.locator('[data-testid="message"][data-from="other"]').last(),
        'message-text'), TO_KIOSK);
      assert.equal(await byTestId(kiosk.page, 'customer-joined').count(), 0);
      await screenshot(kiosk.page, 'kiosk-client-chat');
      await screenshot(clerk.page, 'kiosk-clerk-chat');
      await screenshot(hodan.page, 'kiosk-advisor-chat');

      // The kiosk page closes: once the resume window is over without the customer coming
      // back, the others are told, and the chat goes on at the desk.
      await kiosk.context.close();
      await expectText(byTestId(clerk.page, 'customer-left'), clerkText['chat.customer_left'],
        'the customer has left', (CUSTOMER_GRACE_SECONDS + 10) * 1000);
      await expectText(byTestId(panel, 'customer-left'), advisorText['chat.customer_left']);
      assert.equal(await byTestId(clerk.page, 'message-form').isVisible(), true);
      for (const record of [clerk, hodan, kiosk]) assertNoProblems(record);

      await byTestId(clerk.page, 'end-button').click();
      await expectText(panel.locator('[data-testid="ended-text"]'), advisorText['ended.client']);
    });
  });
