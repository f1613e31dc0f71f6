// End-to-end test of the web client against the real neuvo-server in Debian's Chromium:
// an advisor signs in and becomes available, an Arabic-speaking client from Espoo is offered
// to her, she accepts, they exchange messages, the client ends the conversation.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  clientText,
  closeBrowser, eventually, expectAttribute, expectText, fetchInsecure, launchBrowser, openPage,
  screenshot, server, signIn as signInAs, startServer, stopServer, waitForOffer, webRoot,
  withFailureEvidence,
} from './harness.mjs';

const ADVISOR_LOGIN = 'aino';
const ADVISOR_PASSWORD = 'correct horse 1';

const advisorText = readAdvisorText('en');
const arabicText = clientText('ar');

const signIn = (advisor, password) => signInAs(advisor, ADVISOR_LOGIN, password);

before(async () => {
  await startServer({
    accounts: [{
      login: ADVISOR_LOGIN, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'],
      password: ADVISOR_PASSWORD,
    }],
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

test('pages are served with the content security policy the client is written for', async () => {
  for (const path of ['/', '/advisor.html', '/supervisor.html']) {
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
    await expectText(byTestId(page, 'queue-position'),
      new RegExp(`${somaliText['waiting.position_next']}|1`));
    // Nobody speaking Somali is signed in: no estimate, and the alternatives say why.
    await expectText(byTestId(page, 'queue-estimate'), somaliText['waiting.estimate_unknown']);
    const panel = byTestId(page, 'alternatives-panel');
    await panel.waitFor();
    await expectAttribute(byTestId(panel, 'alternatives-reason'), 'data-reason', 'nobody_signed_in');
    await expectText(byTestId(panel, 'alternatives-reason'), /Soomaali/);
    assert.ok((await byTestId(panel, 'alternatives-reason').textContent())
      .startsWith(somaliText['alternatives.nobody_signed_in'].split('{')[0].trim()));
    // No other languages were given, so there is nothing to switch to.
    await expectText(byTestId(panel, 'alternatives-intro'), somaliText['alternatives.none_other']);
    assert.equal(await byTestId(panel, 'alternative').count(), 0);
    await screenshot(page, 'client-alternatives-nobody');
    // "Keep waiting" hides the panel; the waiting screen still says nobody is online.
    await byTestId(page, 'keep-waiting-button').click();
    assert.equal(await panel.isVisible(), false);
    await expectText(byTestId(page, 'queue-nobody'), /Soomaali/);
    assert.ok((await byTestId(page, 'queue-nobody').textContent())
      .startsWith(somaliText['waiting.nobody'].split('(')[0].trim()));
    await screenshot(page, 'client-queue-nobody');
    // "Stop waiting" cancels the request and returns to the first screen on the same connection.
    await byTestId(page, 'stop-waiting-button').click();
    await byTestId(page, 'choose-screen').waitFor();
    const request = client.framesSent.find((frame) => frame.type === 'request');
    const cancel = client.framesSent.find((frame) => frame.type === 'cancel');
    assert.equal(cancel?.request, request.id);
    assert.ok(client.framesReceived.some((frame) =>
      frame.type === 'request_closed' && frame.request === request.id));
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
    assert.equal(request?.also_speaks, undefined, 'no other languages chosen, none sent');

    // The advisor is offered the client: language, home municipality and tier, with a countdown.
    const offer = await waitForOffer(advisor);
    await expectText(byTestId(offer, 'offer-language'), /العربية/);
    await expectText(byTestId(offer, 'offer-home'), 'Espoo');
    await expectText(byTestId(offer, 'offer-tier'), advisorText['tier.region']);
    await expectText(byTestId(offer, 'offer-countdown'),
      catalogueSentence(advisorText['offers.countdown']));
    const secondsLeft = Number(await byTestId(offer, 'offer-countdown').getAttribute('data-seconds'));
    assert.ok(secondsLeft > 0 && secondsLeft <= 20, `countdown shows ${secondsLeft} s`);
    // The tab's title shows that a client is waiting for an answer.
    await eventually('title badge', () => advisor.page.title(),
      (title) => catalogueSentence(advisorText['offers.title_badge']).test(title));
    await screenshot(advisor.page, 'advisor-offer');
    await byTestId(offer, 'accept-button').click();

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

    // The client writes; while they type the advisor sees so under the log (a polite status
    // line), and the message itself clears it.
    const question = 'مرحبا، عندي سؤال عن رسالة من Kela.';
    const advisorTyping = byTestId(panel, 'typing-indicator');
    assert.equal(await advisorTyping.getAttribute('role'), 'status');
    await byTestId(client.page, 'message-input').fill(question);
    await expectText(advisorTyping, advisorText['chat.typing_client']);
    const typingSent = client.framesSent.filter((frame) => frame.type === 'typing');
    assert.equal(typingSent.length, 1, 'one typing for one burst of writing');
    assert.deepEqual(Object.keys(typingSent[0]).sort(), ['conversation', 'type']);
    await screenshot(advisor.page, 'advisor-client-typing');
    await byTestId(client.page, 'send-button').click();
    const ownMessage = byTestId(client.page, 'message').filter({ hasText: question });
    await expectAttribute(byTestId(ownMessage, 'delivery-state'), 'data-state', 'delivered');
    await expectText(byTestId(ownMessage, 'delivery-state'), arabicText['chat.delivered']);
    await expectText(byTestId(panel, 'message-text').filter({ hasText: question }), question);
    await eventually('the typing line cleared by the message', () => advisorTyping.textContent(),
      (text) => text === '');

    // The advisor answers; meanwhile the client reads "Aino is typing…" in Arabic, the name
    // isolated from the right-to-left sentence. Then the client reads the answer and
    // acknowledges it.
    const answer = 'أهلًا! لنقرأ الرسالة معًا.';
    const clientTyping = byTestId(client.page, 'typing-indicator');
    assert.equal(await clientTyping.getAttribute('role'), 'status');
    await byTestId(panel, 'message-input').fill(answer);
    await expectText(clientTyping, arabicText['chat.typing_advisor'].replace('{advisor}', 'Aino'));
    await expectText(clientTyping.locator('bdi'), 'Aino');
    await screenshot(client.page, 'client-advisor-typing');
    await byTestId(panel, 'message-input').press('Enter');
    const advisorOwn = byTestId(panel, 'message').filter({ hasText: answer });
    await expectAttribute(byTestId(advisorOwn, 'delivery-state'), 'data-state', 'delivered');
    const incoming = byTestId(client.page, 'message').filter({ hasText: answer });
    await expectText(byTestId(incoming, 'message-text'), answer);
    await expectText(incoming.locator('.message-author'), 'Aino');
    await eventually('the typing line cleared by the answer', () => clientTyping.textContent(),
      (text) => text === '');
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

    // The client may rate the advice, in Arabic, once.
    const rating = byTestId(client.page, 'rating');
    await expectText(rating.locator('legend'), arabicText['rating.question']);
    await expectText(byTestId(client.page, 'rating-4').locator('.rating-word'), arabicText['rating.4']);
    await screenshot(client.page, 'client-ended');
    await byTestId(client.page, 'rating-4').click();
    await expectText(byTestId(client.page, 'rating-thanks'), arabicText['rating.thanks']);
    assert.equal(await rating.isVisible(), false);
    assert.ok(client.framesSent.some((frame) => frame.type === 'rate' && frame.rating === 4));

    // The advisor owes the wrap-up: the conversation is marked until it is saved, and it cannot
    // be removed before.
    const wrapup = byTestId(panel, 'wrapup-form');
    await wrapup.waitFor();
    await byTestId(advisor.page, 'wrapup-badge').waitFor();
    assert.equal(await byTestId(panel, 'remove-button').isVisible(), false);
    assert.equal(await byTestId(wrapup, 'wrapup-gender').inputValue(), 'unknown');
    await byTestId(wrapup, 'wrapup-age_group').selectOption('25-34');
    await byTestId(wrapup, 'wrapup-residence').selectOption('1-3');
    await byTestId(wrapup, 'wrapup-country').selectOption('IQ');
    await byTestId(wrapup, 'wrapup-topics-residence-permits').check();
    await byTestId(wrapup, 'wrapup-topics-forms').check();
    // "No referral" and a referral exclude each other.
    await byTestId(wrapup, 'wrapup-referrals-none').check();
    await byTestId(wrapup, 'wrapup-referrals-migri').check();
    assert.equal(await byTestId(wrapup, 'wrapup-referrals-none').isChecked(), false);
    await screenshot(advisor.page, 'advisor-wrapup');
    await byTestId(wrapup, 'wrapup-save').click();
    await expectAttribute(byTestId(panel, 'wrapup-done'), 'data-status', 'saved');
    await expectText(byTestId(panel, 'wrapup-done'), advisorText['wrapup.saved']);
    const sentWrapup = advisor.framesSent.find((frame) => frame.type === 'wrapup');
    assert.deepEqual(sentWrapup.fields, {
      age_group: '25-34', residence: '1-3', country: 'IQ',
      topics: ['forms', 'residence-permits'], referrals: ['migri'],
    });
    assert.equal(await byTestId(advisor.page, 'wrapup-badge').count(), 0);
    await byTestId(panel, 'remove-button').waitFor();
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
    await acceptOffer(advisor);
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

    // An all-unknown wrap-up is saved with one click; then the conversation can go.
    await byTestId(finnishPanel, 'wrapup-save').click();
    await expectAttribute(byTestId(finnishPanel, 'wrapup-done'), 'data-status', 'saved');
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
