// Kiosk mode of the client page (index.html?kiosk=1) on a shared library terminal, against the
// real server in Debian's Chromium: after a conversation and its rating, after the screen was
// left alone in a queue, and with "End and clear" during a conversation, the page wipes itself
// back to the language screen. Nothing of the person stays in the DOM, the storages, the cookies
// or the history, and the server is told (the conversation ended, the request cancelled).
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  clientText, closeBrowser, eventually, expectAccessible, expectAttribute, expectText,
  launchBrowser, openDesk,
  openPage, screenshot, server, startServer, stopServer, withFailureEvidence,
} from './harness.mjs';

const ADVISOR = { login: 'aino', password: 'correct horse 1' };
// Short enough for a test: the countdown notice shows for the last half of it (3 s).
const IDLE_SECONDS = 6;
const WIPE_TIMEOUT_MS = 30_000;
const TERMINAL = { viewport: { width: 1280, height: 1024 } };
const PHONE = { viewport: { width: 360, height: 740 } };

const advisorText = readAdvisorText('en');
const arabicText = clientText('ar');
const englishText = clientText('en');
const somaliText = clientText('so');

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

// Opens the kiosk page and marks this load of it, so that a wipe (a new load) can be seen.
async function openKiosk(record, query) {
  const { page } = record;
  await page.goto(`${server.origin}/${query}`);
  await byTestId(page, 'choose-screen').waitFor();
  await markThisLoad(page);
  assert.equal(await byTestId(page, 'kiosk-bar').isVisible(), false,
    'no "End and clear" on the clean language screen');
  return page.evaluate(() => history.length);
}

const markThisLoad = (page) => page.evaluate(() => {
  window.previousPerson = true;
});

// Waits until the page has loaded itself again and shows the language screen.
async function waitForWipe(page) {
  await eventually('the kiosk page wipes itself and shows the language screen', async () => {
    try {
      return await page.evaluate(() => window.previousPerson !== true &&
        document.readyState === 'complete' &&
        document.querySelector('[data-testid="choose-screen"]')?.hidden === false &&
        document.querySelectorAll('button[data-testid^="language-"]')
          .length > 0);
    } catch {
      return false; // the old document is going away
    }
  }, Boolean, WIPE_TIMEOUT_MS);
}

// Everything a next person could find of the previous one, read from the page.
const traces = (page) => page.evaluate(() => ({
  localStorage: localStorage.length,
  sessionStorage: sessionStorage.length,
  cookie: document.cookie,
  historyLength: history.length,
  url: location.href,
  html: document.documentElement.outerHTML,
  chosenLanguage: document.querySelectorAll('[aria-pressed="true"]').length,
  home: document.querySelector('[data-testid="home-select"]').value,
  messages: document.querySelectorAll('[data-testid="message"]').length,
  kioskBar: !document.querySelector('[data-testid="kiosk-bar"]').hidden,
  lang: document.documentElement.lang,
}));

async function assertWiped(page, { historyLength, query, leftovers }) {
  const found = await traces(page);
  assert.equal(found.localStorage, 0, 'localStorage is empty');
  assert.equal(found.sessionStorage, 0, 'sessionStorage is empty');
  assert.equal(found.cookie, '', 'no cookie is left');
  assert.equal(found.historyLength, historyLength, 'the wipe added no history entry');
  assert.equal(found.url, `${server.origin}/${query}`, 'the page is back on its clean kiosk address');
  assert.equal(found.chosenLanguage, 0, 'no language is chosen');
  assert.equal(found.home, 'unknown', 'no home municipality is chosen');
  assert.equal(found.messages, 0, 'no chat message is on the page');
  assert.equal(found.kioskBar, false, 'the clean language screen has no "End and clear"');
  assert.equal(found.lang, 'en', 'the interface is back in the browser\'s language');
  for (const text of leftovers) {
    assert.ok(!found.html.includes(text), `the page still contains ${JSON.stringify(text)}`);
  }
}

// What another page of the site might have left in this browser: the wipe must empty it too.
const leaveSomethingBehind = (page) => page.evaluate(() => {
  localStorage.setItem('left-behind', 'x');
  sessionStorage.setItem('left-behind', 'x');
  document.cookie = 'left-behind=x; path=/';
});

test('after the conversation and the rating the kiosk forgets the person', { timeout: 120_000 },
  async () => {
    const advisor = await openPage('kiosk-advisor', { viewport: { width: 1280, height: 800 } });
    const kiosk = await openPage('kiosk-terminal', TERMINAL);
    await withFailureEvidence([advisor, kiosk], async () => {
      const { page } = kiosk;
      await openDesk(advisor, ADVISOR);
      const query = `?kiosk=1&idle=${IDLE_SECONDS}`;
      const historyLength = await openKiosk(kiosk, query);

      // Arabic and Espoo; "End and clear" is there, in Arabic, once a language is chosen.
      await byTestId(page, 'language-ar').click();
      await expectAttribute(page.locator('html'), 'dir', 'rtl');
      await expectText(byTestId(page, 'kiosk-clear-button'), arabicText['kiosk.clear']);
      await byTestId(page, 'home-select').selectOption('049');
      await byTestId(page, 'start-button').click();
      const conversation = await acceptOffer(advisor);
      await byTestId(page, 'chat-screen').waitFor();
      await expectText(byTestId(page, 'advisor-info'), /Aino/);
      await byTestId(page, 'kiosk-bar').waitFor();

      const question = 'مرحبا، أحتاج مساعدة في طلب السكن.';
      await byTestId(page, 'message-input').fill(question);
      await byTestId(page, 'send-button').click();
      const panel = byTestId(advisor.page, 'conversation-panel');
      await expectText(byTestId(panel, 'message-text').filter({ hasText: question }), question);
      const answer = 'أهلًا، سأساعدك في ملء الطلب.';
      await byTestId(panel, 'message-input').fill(answer);
      await byTestId(panel, 'message-input').press('Enter');
      await expectText(byTestId(page, 'message-text').filter({ hasText: answer }), answer);
      await screenshot(page, 'kiosk-chat-ar');

      // The client page itself keeps nothing in the browser.
      const during = await traces(page);
      assert.deepEqual([during.localStorage, during.sessionStorage, during.cookie], [0, 0, ''],
        'the client page writes no storage and no cookie');
      await leaveSomethingBehind(page);

      // The person ends and rates; the countdown starts at once, in Arabic.
      await byTestId(page, 'end-button').click();
      await expectText(byTestId(page, 'ended-text'), arabicText['ended.by_you']);
      await expectText(byTestId(panel, 'ended-text'), advisorText['ended.client']);
      await screenshot(page, 'kiosk-ended-ar');
      await byTestId(page, 'rating-4').click();
      await expectText(byTestId(page, 'kiosk-notice-text'),
        catalogueSentence(arabicText['kiosk.countdown']));
      await expectText(byTestId(page, 'kiosk-continue-button'), arabicText['kiosk.continue']);
      await screenshot(page, 'kiosk-countdown-ar');
      assert.ok(kiosk.framesSent.some((frame) => frame.type === 'rate' && frame.rating === 4));

      await waitForWipe(page);
      await assertWiped(page, {
        historyLength, query,
        leftovers: ['Aino', 'Virka Info', question, answer, conversation, 'left-behind'],
      });
      await expectText(byTestId(page, 'start-button'), englishText['choose.start']);
      await screenshot(page, 'kiosk-wiped');
      assertNoProblems(kiosk);
      assertNoProblems(advisor);
    });
    await advisor.context.close();
    await kiosk.context.close();
  });

test('a kiosk left alone in a queue clears itself and the request leaves the queue',
  { timeout: 120_000 }, async () => {
    const kiosk = await openPage('kiosk-queue', PHONE);
    await withFailureEvidence([kiosk], async () => {
      const { page } = kiosk;
      const query = `?kiosk=1&idle=${IDLE_SECONDS}`;
      const historyLength = await openKiosk(kiosk, query);

      // Nobody speaks Somali: the person waits, and stops touching the screen.
      await byTestId(page, 'language-so').click();
      await expectAttribute(page.locator('html'), 'lang', 'so');
      await byTestId(page, 'start-button').click();
      await byTestId(page, 'waiting-screen').waitFor();
      await expectText(byTestId(page, 'queue-position'),
        new RegExp(`${somaliText['waiting.position_next']}|1`));
      const request = kiosk.framesSent.find((frame) => frame.type === 'request');

      // The notice counts down; "Continue" keeps the person's place.
      const notice = byTestId(page, 'kiosk-notice');
      await expectText(byTestId(notice, 'kiosk-notice-text'),
        catalogueSentence(somaliText['kiosk.countdown']));
      await screenshot(page, 'kiosk-idle-countdown-so');
      await byTestId(page, 'kiosk-continue-button').click();
      assert.equal(await notice.isVisible(), false);
      assert.equal(await byTestId(page, 'waiting-screen').isVisible(), true);
      assert.ok(!kiosk.framesSent.some((frame) => frame.type === 'cancel'));

      // Left alone again: the notice comes back and the screen clears itself.
      await notice.waitFor();
      await waitForWipe(page);
      const cancel = kiosk.framesSent.find((frame) => frame.type === 'cancel');
      assert.equal(cancel?.request, request.id, 'the waiting request was cancelled');
      await assertWiped(page, {
        historyLength, query, leftovers: [request.id, somaliText['waiting.title']],
      });

      // The server let the request go: the next person asking for Somali is first in the queue.
      await byTestId(page, 'language-so').click();
      await byTestId(page, 'start-button').click();
      const next = await eventually('the next request is sent', () =>
        kiosk.framesSent.filter((frame) => frame.type === 'request')[1], Boolean);
      const queued = await eventually('the next request is queued', () =>
        kiosk.framesReceived.find((frame) => frame.type === 'queued' && frame.request === next.id),
      Boolean);
      assert.equal(queued.position, 1, 'the earlier request is no longer in the queue');
      // "End and clear" while waiting cancels this one too.
      await byTestId(page, 'kiosk-clear-button').click();
      await waitForWipe(page);
      assert.ok(kiosk.framesSent.some((frame) => frame.type === 'cancel' && frame.request === next.id));
      await assertWiped(page, { historyLength, query, leftovers: [next.id, somaliText['waiting.title']] });
      assertNoProblems(kiosk);
    });
    await kiosk.context.close();
  });

test('"End and clear" during a conversation ends it for the advisor and wipes the kiosk',
  { timeout: 120_000 }, async () => {
    const advisor = await openPage('kiosk-advisor-clear', { viewport: { width: 1280, height: 800 } });
    const kiosk = await openPage('kiosk-clear', TERMINAL);
    await withFailureEvidence([advisor, kiosk], async () => {
      const { page } = kiosk;
      await openDesk(advisor, ADVISOR);
      // The default idle time (120 s): only the button wipes here.
      const query = '?kiosk=1';
      const historyLength = await openKiosk(kiosk, query);
      await byTestId(page, 'language-ar').click();
      await expectAttribute(page.locator('html'), 'lang', 'ar');
      await byTestId(page, 'start-button').click();
      const conversation = await acceptOffer(advisor);
      await byTestId(page, 'chat-screen').waitFor();
      const question = 'هل يمكنني تجديد تصريح الإقامة عبر الإنترنت؟';
      await byTestId(page, 'message-input').fill(question);
      await byTestId(page, 'send-button').click();
      // The desk still lists the conversation of the first test (its wrap-up is owed): open this one.
      await advisor.page.locator(
        `[data-testid="conversation-item"][data-conversation="${conversation}"]`).click();
      const panel = advisor.page.locator('[data-testid="conversation-panel"]:visible');
      await expectText(byTestId(panel, 'message-text').filter({ hasText: question }), question);
      await screenshot(page, 'kiosk-end-and-clear-ar');
      await expectAccessible(page, 'kiosk chat in Arabic with "End and clear"');

      await byTestId(page, 'kiosk-clear-button').click();
      await waitForWipe(page);
      const end = kiosk.framesSent.find((frame) => frame.type === 'end');
      assert.equal(end?.conversation, conversation, 'the conversation was ended with `end`');
      // The advisor is told the client ended it (not that the connection was lost).
      await expectText(byTestId(panel, 'ended-text'), advisorText['ended.client']);
      await byTestId(advisor.page.locator(
        `[data-testid="conversation-item"][data-conversation="${conversation}"]`), 'ended-badge')
        .waitFor();
      await assertWiped(page, {
        historyLength, query, leftovers: ['Aino', 'Virka Info', question, conversation],
      });
      await screenshot(advisor.page, 'kiosk-advisor-sees-end');
      assertNoProblems(kiosk);
      assertNoProblems(advisor);
    });
    await advisor.context.close();
    await kiosk.context.close();
  });

test('the kiosk\'s countdown notice is accessible and Continue keeps the screen',
  { timeout: 120_000 }, async () => {
    const kiosk = await openPage('kiosk-notice', PHONE);
    await withFailureEvidence([kiosk], async () => {
      const { page } = kiosk;
      // Long enough to check the page while the notice is up (the last 15 of 30 seconds).
      await openKiosk(kiosk, '?kiosk=1&idle=30');
      await byTestId(page, 'language-fa').click();
      await expectAttribute(page.locator('html'), 'dir', 'rtl');
      await byTestId(page, 'kiosk-bar').waitFor();
      const persianText = clientText('fa');
      const notice = byTestId(page, 'kiosk-notice');
      await notice.waitFor({ timeout: 25_000 });
      await expectText(byTestId(notice, 'kiosk-notice-text'),
        catalogueSentence(persianText['kiosk.countdown']));
      // Keyboard users are taken to the notice's button.
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid),
        'kiosk-continue-button');
      await screenshot(page, 'kiosk-countdown-fa');
      await expectAccessible(page, 'kiosk countdown notice in Persian');
      await page.keyboard.press('Enter');
      assert.equal(await notice.isVisible(), false);
      assert.equal(await byTestId(page, 'language-fa').getAttribute('aria-pressed'), 'true',
        'the person\'s choice is kept');
      assertNoProblems(kiosk);
    });
    await kiosk.context.close();
  });
