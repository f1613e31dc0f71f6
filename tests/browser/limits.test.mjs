// Abuse limits as people see them. Sign-in throttling: after five wrong passwords the advisor
// desk says how long to wait, in the page's language, and keeps the form; the right password is
// refused too until then, while a colleague signs in as usual. The message rate: a client who
// writes faster than the server takes is told so in its language, and the page keeps the
// message and sends it by itself after the wait, delivered once and in order.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  acceptOffer, advisorText, assertNoProblems, byTestId, catalogueSentence, clientText,
  closeBrowser, eventually, expectAttribute, expectText, launchBrowser, openPage,
  requestAdvisor, screenshot, server, signIn, startServer, stopServer, withFailureEvidence,
} from './harness.mjs';

const AINO = { login: 'aino', password: 'correct horse 1' };
const LEILA = { login: 'leila', password: 'correct horse 2' };
const english = advisorText('en');
const desktop = { viewport: { width: 1280, height: 900 } };
const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const arabic = clientText('ar');
const pages = {};

before(async () => {
  await startServer({
    accounts: [
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
      { ...LEILA, name: 'Leila', point: '049-inespoo', languages: ['fi', 'ar'] },
    ],
    // Two at once, then one every ten seconds: a person's third quick message is surely over.
    limits: { messages_per_minute: 6, message_burst: 2 },
  });
  await launchBrowser();
  // Chromium logs each 401 and 429 answer as a failed resource: here they are the point.
  pages.aino = await openPage('limits-aino', desktop, { expectedStatuses: [401, 429] });
  pages.leila = await openPage('limits-leila', desktop);
  pages.client = await openPage('limits-client', phone);
});

after(async () => {
  for (const record of Object.values(pages)) await record.context.close().catch(() => {});
  await closeBrowser();
  await stopServer();
});

test('the sign-in page says how long to wait after too many wrong passwords', async () => {
  await withFailureEvidence(Object.values(pages), async () => {
    const { page } = pages.aino;
    await page.goto(`${server.origin}/advisor.html`);
    await byTestId(page, 'sign-in-screen').waitFor();
    const error = byTestId(page, 'error');
    for (let i = 1; i <= 5; i += 1) {
      await signIn(pages.aino, AINO.login, `wrong horse ${i}`);
      await expectText(error, english['sign_in.wrong'], `wrong password ${i}`);
      // Cleared before the next try, so that each answer is seen on its own.
      await page.evaluate(() => { document.querySelector('[data-testid="error"]').textContent = ''; });
    }

    await signIn(pages.aino, AINO.login, AINO.password);
    const locked = await expectText(error, catalogueSentence(english['sign_in.locked']),
      'the lockout notice');
    assert.match(locked, /\b1 min\b/, 'a one-minute lockout is said as 1 min');
    assert.equal(await byTestId(page, 'sign-in-screen').isVisible(), true,
      'the form stays for the next try');
    assert.equal(await byTestId(page, 'desk-screen').isVisible(), false);
    assert.equal(await byTestId(page, 'login-input').inputValue(), AINO.login);
    await screenshot(page, 'sign-in-locked');

    // In Finnish too: the page's own language.
    await page.goto(`${server.origin}/advisor.html`);
    await byTestId(page, 'sign-in-screen').waitFor();
    await byTestId(page, 'ui-language-select').selectOption('fi');
    await signIn(pages.aino, AINO.login, AINO.password);
    await expectText(error, catalogueSentence(advisorText('fi')['sign_in.locked']),
      'the lockout notice in Finnish');

    // A colleague is not held up.
    await pages.leila.page.goto(`${server.origin}/advisor.html`);
    await byTestId(pages.leila.page, 'sign-in-screen').waitFor();
    await signIn(pages.leila, LEILA.login, LEILA.password);
    await byTestId(pages.leila.page, 'desk-screen').waitFor();

    assertNoProblems(pages.aino);
    assertNoProblems(pages.leila);
  });
});

test('a client or an advisor writing too fast is told to wait, and the page sends it itself', async () => {
  await withFailureEvidence(Object.values(pages), async () => {
    // Leila (signed in above) takes the Arabic client.
    await byTestId(pages.leila.page, 'presence-available').check();
    await expectAttribute(byTestId(pages.leila.page, 'presence-summary'), 'data-status',
      'available');
    await requestAdvisor(pages.client, 'ar', { home: '049' });
    const conversation = await acceptOffer(pages.leila);
    const { page } = pages.client;
    await byTestId(page, 'message-input').waitFor();

    const texts = ['السؤال الأول', 'السؤال الثاني', 'السؤال الثالث'];
    for (const text of texts) {
      await byTestId(page, 'message-input').fill(text);
      await byTestId(page, 'message-input').press('Enter');
    }
    // The third is over the burst: the person reads why, in Arabic, and the message waits.
    await expectText(byTestId(page, 'error'), catalogueSentence(arabic['error.rate_limited']),
      'the rate notice in Arabic');
    const third = byTestId(page, 'message').filter({ hasText: texts[2] });
    await expectAttribute(byTestId(third, 'delivery-state'), 'data-state', 'waiting',
      'the third message kept');
    await screenshot(page, 'client-rate-limited');

    // After the server's wait it leaves by itself and is delivered, once, after the other two.
    await expectAttribute(byTestId(third, 'delivery-state'), 'data-state', 'delivered',
      'the third message delivered after the wait', 20_000);
    // The desk shows the conversation it has open: this one, the only one.
    assert.ok(conversation);
    const panel = byTestId(pages.leila.page, 'conversation-panel');
    const received = await eventually('all three at the advisor, in order',
      () => byTestId(panel, 'message-text').allTextContents(),
      (list) => list.length >= 3);
    assert.deepEqual(received, texts);
    await eventually('the notice cleared once it went', () => byTestId(page, 'error').textContent(),
      (text) => text === '');
    const refusals = pages.client.framesReceived.filter((frame) => frame.code === 'rate_limited');
    assert.equal(refusals.length, 1, 'one refusal');
    const resent = pages.client.framesSent.filter((frame) => frame.id === refusals[0].ref);
    assert.equal(resent.length, 2, 'the refused message sent again with the same id');
    assert.equal(resent[1].text, texts[2]);

    // The advisor desk does the same for the advisor's own messages.
    const answers = ['الجواب الأول', 'الجواب الثاني', 'الجواب الثالث'];
    for (const text of answers) {
      await byTestId(panel, 'message-input').fill(text);
      await byTestId(panel, 'message-input').press('Enter');
    }
    await expectText(byTestId(pages.leila.page, 'error'),
      catalogueSentence(english['error.rate_limited']), 'the rate notice on the desk');
    const lastAnswer = byTestId(panel, 'message').filter({ hasText: answers[2] });
    await expectAttribute(byTestId(lastAnswer, 'delivery-state'), 'data-state', 'waiting',
      'the third answer kept');
    await expectAttribute(byTestId(lastAnswer, 'delivery-state'), 'data-state', 'delivered',
      'the third answer delivered after the wait', 20_000);
    const atClient = await eventually('all three answers at the client, in order',
      () => byTestId(page, 'message').filter({ hasNotText: 'السؤال' }).allTextContents(),
      (list) => list.length >= 3);
    assert.equal(atClient.length, 3);
    answers.forEach((text, index) => assert.ok(atClient[index].includes(text), text));

    assertNoProblems(pages.client);
    assertNoProblems(pages.leila);
  });
});
