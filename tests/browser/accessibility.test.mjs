// Accessibility of every page in its key states, checked with axe-core (WCAG 2.0 and 2.1, A and
// AA, and axe's best practices) against the real neuvo-server in Debian's Chromium: the client
// page's language screen, the choice in Arabic (right to left) and in Finnish, waiting with the
// alternatives, a chat with messages and the ended screen with the rating; the advisor desk's
// sign-in (and a wrong password), an offer, a conversation, a consultation with a colleague, the
// transfer dialog and the wrap-up form; the clerk page's sign-in, request, waiting and chat
// screens; the supervisor's live view; the statistics page with demo register rows, its tables
// opened, in Finnish and Swedish. Besides axe, text in a non-Latin script must carry its lang.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, assertNoProblems, byTestId, closeBrowser, expectAccessible, expectAttribute,
  expectText, launchBrowser, openDesk, openPage, requestAdvisor, server, signIn, startServer,
  stopServer, waitForOffer, withFailureEvidence,
} from './harness.mjs';

const AINO = { login: 'aino', password: 'correct horse 1' }; // advisor: fi, ar
const LEILA = { login: 'leila', password: 'correct horse 5' }; // advisor: ar, fa, fi
const SANNA = { login: 'sanna', password: 'correct horse 2' }; // supervisor of Virka Info
const KAISA = { login: 'kaisa', password: 'correct horse 3' }; // clerk
const TILDA = { login: 'tilda', password: 'correct horse 4' }; // statistician

const phone = { viewport: { width: 360, height: 740 } };
const desktop = { viewport: { width: 1280, height: 900 } };

before(async () => {
  await startServer({
    accounts: [
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
      { ...LEILA, name: 'Leila', point: '092-vantaa', languages: ['ar', 'fa', 'fi'] },
      { ...SANNA, name: 'Sanna', point: '091-virka', languages: ['fi'], role: 'supervisor' },
      { ...KAISA, name: 'Kaisa', point: '091-virka', languages: ['fi', 'sv'], role: 'clerk',
        organisation: 'Kela, Itäkeskus' },
      { ...TILDA, name: 'Tilda', point: '091-virka', languages: ['fi'], role: 'statistician' },
    ],
    commands: [['demo-visits', '--count', '400']],
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

test('the checks find what they look for', async () => {
  const record = await openPage('a11y-self-check', desktop);
  await withFailureEvidence([record], async () => {
    const { page } = record;
    await page.goto(`${server.origin}/advisor.html`);
    await byTestId(page, 'sign-in-screen').waitFor();
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'unlabelled-input';
      const name = document.createElement('p');
      name.textContent = 'العربية';
      document.querySelector('main').append(input, name);
    });
    await assert.rejects(expectAccessible(page, 'self-check'), (error) => {
      assert.match(error.message, /self-check: 1 accessibility violation\(s\)/);
      assert.match(error.message, /label \(critical\): Form elements must have labels/);
      assert.match(error.message, /#unlabelled-input/);
      assert.match(error.message, /https:\/\/dequeuniversity\.com\/rules\/axe\/[\d.]+\/label/);
      return true;
    });
    await page.evaluate(() => document.querySelector('#unlabelled-input').remove());
    await assert.rejects(expectAccessible(page, 'self-check'), /without its lang[\s\S]*العربية/);
  });
  await record.context.close();
});

test('client page: language screen, choice in Arabic and Finnish, waiting with alternatives',
  { timeout: 60_000 }, async () => {
    const client = await openPage('a11y-client', phone);
    await withFailureEvidence([client], async () => {
      const { page } = client;
      await page.goto(`${server.origin}/`);
      await byTestId(page, 'language-ar').waitFor();
      await expectAccessible(page, 'client, language screen');

      await byTestId(page, 'language-ar').click();
      await expectAttribute(page.locator('html'), 'dir', 'rtl');
      await byTestId(page, 'also-speaks-toggle').click();
      await byTestId(page, 'also-speaks-fi').waitFor();
      await expectAccessible(page, 'client, choice in Arabic (rtl)');

      await byTestId(page, 'language-fi').click();
      await expectAttribute(page.locator('html'), 'lang', 'fi');
      await expectAccessible(page, 'client, choice in Finnish');
      await byTestId(page, 'join-open-button').click();
      await byTestId(page, 'join-form').waitFor();
      await expectAccessible(page, 'client, code from the service desk');
      await byTestId(page, 'join-cancel-button').click();

      // Nobody speaking Somali is signed in: the waiting screen shows the alternatives.
      await byTestId(page, 'language-so').click();
      await expectAttribute(page.locator('html'), 'lang', 'so');
      await byTestId(page, 'start-button').click();
      await byTestId(page, 'waiting-screen').waitFor();
      await byTestId(page, 'alternatives-panel').waitFor();
      await expectAccessible(page, 'client, waiting with alternatives');
      await byTestId(page, 'stop-waiting-button').click();
      await byTestId(page, 'choose-screen').waitFor();
      assertNoProblems(client);
    });
    await client.context.close();
  });

test('advisor desk and client page: sign-in, offer, chat, ended with rating and wrap-up; ' +
  'consultation; supervisor live view', { timeout: 120_000 }, async () => {
  const advisor = await openPage('a11y-advisor', desktop);
  const colleague = await openPage('a11y-colleague', desktop);
  const client = await openPage('a11y-client-chat', phone);
  const supervisor = await openPage('a11y-supervisor', desktop);
  const all = [advisor, colleague, client, supervisor];
  await withFailureEvidence(all, async () => {
    await advisor.page.goto(`${server.origin}/advisor.html`);
    await byTestId(advisor.page, 'sign-in-screen').waitFor();
    await expectAccessible(advisor.page, 'advisor, sign-in screen');
    await signIn(advisor, AINO.login, 'not the password');
    await expectText(byTestId(advisor.page, 'error'), /\S/);
    await expectAccessible(advisor.page, 'advisor, sign-in screen with an error');
    // Leila is signed in but away, so the client goes to Aino.
    await openDesk(colleague, LEILA, { available: false });

    await openDesk(advisor, AINO);
    await requestAdvisor(client, 'ar', { home: '049' });
    await waitForOffer(advisor);
    await expectAccessible(advisor.page, 'advisor, desk with an offer');

    await acceptOffer(advisor);
    await byTestId(client.page, 'chat-screen').waitFor();
    const panel = byTestId(advisor.page, 'conversation-panel');
    await byTestId(client.page, 'message-input').fill('مرحبا، عندي سؤال عن رسالة من Kela.');
    await byTestId(client.page, 'send-button').click();
    await byTestId(panel, 'message-text').waitFor();
    await byTestId(panel, 'message-input').fill('أهلًا! لنقرأ الرسالة معًا.');
    await byTestId(panel, 'send-button').click();
    await expectText(byTestId(client.page, 'message-text').filter({ hasText: 'أهلًا' }),
      'أهلًا! لنقرأ الرسالة معًا.');
    await expectAttribute(byTestId(panel, 'delivery-state'), 'data-state', 'delivered');
    await expectAccessible(client.page, 'client, chat with messages');
    await expectAccessible(advisor.page, 'advisor, desk with a conversation');

    // Aino asks Leila about the case, privately.
    await byTestId(panel, 'ask-colleague-button').click();
    const leilaRow = advisor.page.locator('[data-testid="colleague"][data-name="Leila"]');
    await byTestId(leilaRow, 'colleague-consult').click();
    const consult = byTestId(advisor.page, 'consult-pane').first();
    await consult.waitFor();
    await byTestId(consult, 'consult-input').fill('Onko tämä asumistukiasia?');
    await byTestId(consult, 'consult-send-button').click();
    const colleagueConsult = byTestId(colleague.page, 'consult-pane').first();
    await expectText(colleagueConsult.locator('li').last(), /asumistukiasia/);
    await expectAccessible(advisor.page, 'advisor, consultation with a colleague');
    await expectAccessible(colleague.page, 'colleague, consultation received');
    await byTestId(consult, 'consult-close-button').click();

    // The transfer dialog, open.
    await byTestId(panel, 'transfer-button').click();
    await byTestId(advisor.page, 'handover-dialog').waitFor();
    await expectAccessible(advisor.page, 'advisor, transfer dialog');
    await byTestId(advisor.page, 'handover-cancel').click();
    await byTestId(advisor.page, 'handover-dialog').waitFor({ state: 'hidden' });

    // The supervisor's live view while the conversation goes on.
    await supervisor.page.goto(`${server.origin}/supervisor.html`);
    await byTestId(supervisor.page, 'sign-in-screen').waitFor();
    await expectAccessible(supervisor.page, 'supervisor, sign-in screen');
    await signIn(supervisor, SANNA.login, SANNA.password);
    await byTestId(supervisor.page, 'live-screen').waitFor();
    await byTestId(supervisor.page, 'conversation-row').first().waitFor();
    await expectAccessible(supervisor.page, 'supervisor, live view');

    await byTestId(client.page, 'end-button').click();
    await byTestId(client.page, 'rating').waitFor();
    await expectAccessible(client.page, 'client, ended with the rating');
    await byTestId(client.page, 'rating-4').click();
    await byTestId(client.page, 'rating-thanks').waitFor();
    await expectAccessible(client.page, 'client, ended and rated');

    await byTestId(panel, 'wrapup-form').waitFor();
    await expectAccessible(advisor.page, 'advisor, ended conversation with the wrap-up form');
    await byTestId(panel, 'wrapup-save').click();
    await expectAttribute(byTestId(panel, 'wrapup-done'), 'data-status', 'saved');
    await expectAccessible(advisor.page, 'advisor, wrap-up saved');
    for (const record of all) assertNoProblems(record);
  });
  for (const record of all) await record.context.close();
});

test('clerk page: sign-in, request, waiting and chat screens', { timeout: 60_000 }, async () => {
  const clerk = await openPage('a11y-clerk', desktop);
  const advisor = await openPage('a11y-clerk-advisor', desktop);
  await withFailureEvidence([clerk, advisor], async () => {
    await openDesk(advisor, AINO, { available: false });
    const { page } = clerk;
    await page.goto(`${server.origin}/clerk.html`);
    await byTestId(page, 'sign-in-screen').waitFor();
    await expectAccessible(page, 'clerk, sign-in screen');
    await signIn(clerk, KAISA.login, KAISA.password);
    await byTestId(page, 'request-screen').waitFor();
    await byTestId(page, 'language-so').waitFor();
    await expectAccessible(page, 'clerk, request screen');
    await byTestId(page, 'language-ar').click();
    await expectAttribute(byTestId(page, 'language-ar'), 'aria-pressed', 'true');
    await expectAccessible(page, 'clerk, request screen with a language chosen');
    await byTestId(page, 'request-button').click();
    await byTestId(page, 'waiting-screen').waitFor();
    await expectAttribute(byTestId(page, 'queue-position'), 'data-position', '1');
    await expectAccessible(page, 'clerk, waiting screen');
    await byTestId(advisor.page, 'presence-available').check();
    await acceptOffer(advisor);
    await byTestId(page, 'chat-screen').waitFor();
    await byTestId(page, 'message-input').fill('Asiakas kysyy asumistuesta.');
    await byTestId(page, 'send-button').click();
    const panel = byTestId(advisor.page, 'conversation-panel');
    await byTestId(panel, 'message-text').waitFor();
    await byTestId(panel, 'message-input').fill('مرحبا');
    await byTestId(panel, 'send-button').click();
    await page.locator('[data-testid="message"][data-from="other"]').waitFor();
    await expectAccessible(page, 'clerk, chat screen');
    await expectAccessible(advisor.page, 'advisor, language support conversation');
    assertNoProblems(clerk);
    assertNoProblems(advisor);
  });
  await clerk.context.close();
  await advisor.context.close();
});

test('statistics page: sign-in and the register in charts and tables', { timeout: 60_000 },
  async () => {
    const statistics = await openPage('a11y-statistics', { ...desktop, locale: 'fi-FI' },
      { expectedStatuses: [401, 400] });
    await withFailureEvidence([statistics], async () => {
      const { page } = statistics;
      await page.goto(`${server.origin}/statistics.html`);
      await byTestId(page, 'sign-in-screen').waitFor();
      await expectAccessible(page, 'statistics, sign-in screen');
      await signIn(statistics, TILDA.login, TILDA.password);
      await byTestId(page, 'statistics-screen').waitFor();
      for (const id of ['residence', 'age', 'reason', 'topics', 'referrals', 'country']) {
        await byTestId(page, `${id}-chart`).waitFor();
      }
      await expectAccessible(page, 'statistics, signed in with demo data');
      // The charts' data tables are folded away; open, they are checked too.
      for (const summary of await page.locator('details.chart-data > summary').all()) {
        await summary.click();
      }
      await expectAccessible(page, 'statistics, the charts\' tables open');
      await byTestId(page, 'ui-language-select').selectOption('sv');
      await expectAttribute(page.locator('html'), 'lang', 'sv');
      await byTestId(page, 'residence-chart').waitFor();
      await expectAccessible(page, 'statistics, in Swedish');
      assertNoProblems(statistics);
    });
    await statistics.context.close();
  });
