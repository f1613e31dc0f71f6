// Shared answers in the browser, against the real neuvo-server in Debian's Chromium: a supervisor
// writes an answer on the supervisor page (and is told what is wrong with a bad one), an advisor
// in an Arabic conversation finds it beside the chat, inserts it with one click, edits nothing and
// sends it, and the client reads it; the supervisor then edits and deletes it.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  closeBrowser, eventually, expectText, launchBrowser, openDesk, openPage, requestAdvisor,
  screenshot, server, signIn, startServer, stopServer, withFailureEvidence,
} from './harness.mjs';

const AINO = { login: 'aino', password: 'correct horse 1' }; // Helsinki, Finnish and Arabic
const SANNA = { login: 'sanna', password: 'tr0ub4dor & 3' }; // Helsinki, supervisor

const advisorText = readAdvisorText('en');
const desktop = { viewport: { width: 1400, height: 900 } };
const phone = { viewport: { width: 360, height: 740 } };

const permit = {
  title: 'تصريح الإقامة',
  body: 'قدّم طلب تصريح الإقامة عبر خدمة Enter Finland، ثم احجز موعدًا لإثبات هويتك.',
  url: 'https://migri.fi/ar/residence-permit',
};

before(async () => {
  await startServer({
    accounts: [
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
      { ...SANNA, name: 'Sanna', point: '091-virka', languages: ['fi'], role: 'supervisor' },
    ],
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

async function openEditor(record) {
  await record.page.goto(`${server.origin}/supervisor.html`);
  await byTestId(record.page, 'sign-in-screen').waitFor();
  await signIn(record, SANNA.login, SANNA.password);
  await byTestId(record.page, 'answers-editor').waitFor();
  // The network's languages arrive with the anonymous welcome.
  await record.page.locator('[data-testid="answer-language"] option[value="ar"]').waitFor({
    state: 'attached',
  });
}

test('a supervisor writes a shared answer; an advisor inserts it with one click and sends it',
  { timeout: 120_000 }, async () => {
    const supervisor = await openPage('answers-supervisor', desktop);
    const advisor = await openPage('answers-advisor', desktop);
    const client = await openPage('answers-client', phone);
    await withFailureEvidence([supervisor, advisor, client], async () => {
      const { page } = supervisor;
      await openEditor(supervisor);
      await expectText(byTestId(page, 'answers-editor').locator('h2'), advisorText['answers.title']);
      await byTestId(page, 'answers-editor-none').waitFor();

      // A plain-http link is refused before anything is sent, and nothing is stored.
      await byTestId(page, 'answer-language').selectOption('ar');
      await byTestId(page, 'answer-title').fill(permit.title);
      await byTestId(page, 'answer-body').fill(permit.body);
      await byTestId(page, 'answer-url').fill('http://migri.fi');
      await byTestId(page, 'answer-save').click();
      await expectText(byTestId(page, 'answer-status'), advisorText['answers.invalid_url']);
      assert.equal(await byTestId(page, 'answer-row').count(), 0);

      await byTestId(page, 'answer-url').fill(permit.url);
      await byTestId(page, 'answer-save').click();
      await expectText(byTestId(page, 'answer-status'),
        catalogueSentence(advisorText['answers.saved']));
      const row = byTestId(page, 'answer-row').filter({ hasText: permit.title });
      await expectText(byTestId(row, 'answer-row-title'), permit.title);
      await expectText(row, /sanna/);
      await screenshot(page, 'answers-editor');

      // An Arabic-speaking client reaches Aino.
      await openDesk(advisor, AINO, { capacity: 2 });
      await requestAdvisor(client, 'ar');
      const conversation = await acceptOffer(advisor);
      await byTestId(client.page, 'chat-screen').waitFor();
      const panel = advisor.page.locator(
        `[data-testid="conversation-panel"][data-conversation="${conversation}"]`);
      const answers = byTestId(panel, 'answers-panel');
      await expectText(answers.locator('h3'), advisorText['answers.title']);
      const item = byTestId(answers, 'shared-answer').filter({ hasText: permit.title });
      await item.waitFor();

      // The search narrows the list; a word that is in no answer empties it.
      await byTestId(answers, 'answers-search').fill('no such words');
      await expectText(byTestId(answers, 'answers-status'), advisorText['answers.no_match']);
      assert.equal(await byTestId(answers, 'shared-answer').count(), 0);
      await byTestId(answers, 'answers-search').fill('Enter Finland');
      await item.waitFor();
      await screenshot(advisor.page, 'answers-advisor');

      // One click puts the text and the link in the message box, with the focus there.
      await item.click();
      const input = byTestId(panel, 'message-input');
      assert.equal(await input.inputValue(), `${permit.body}\n${permit.url}`);
      assert.equal(await input.evaluate((element) => element === document.activeElement), true);
      await input.press('Enter');

      const sent = client.page.locator('[data-testid="message-text"]').filter({
        hasText: 'Enter Finland',
      });
      await expectText(sent, /migri\.fi\/ar\/residence-permit/);
      assert.equal((await sent.first().textContent()).trim(), `${permit.body}\n${permit.url}`);
      const frame = advisor.framesSent.find((sentFrame) => sentFrame.type === 'message');
      assert.equal(frame.text, `${permit.body}\n${permit.url}`);
      await screenshot(client.page, 'answers-client');

      // Enter in the search box inserts the first match, after what is already written.
      await input.fill('مرحبا!');
      await byTestId(answers, 'answers-search').fill('');
      await byTestId(answers, 'answers-search').press('Enter');
      assert.equal(await input.inputValue(), `مرحبا!\n${permit.body}\n${permit.url}`);

      // The supervisor edits the answer, then deletes it.
      await byTestId(row, 'answer-edit').click();
      await byTestId(page, 'answer-title').fill('تصريح الإقامة الأول');
      await byTestId(page, 'answer-save').click();
      await expectText(byTestId(page, 'answer-row-title'), 'تصريح الإقامة الأول');
      assert.equal(await byTestId(page, 'answer-row').count(), 1);
      page.once('dialog', (dialog) => dialog.accept());
      await byTestId(page, 'answer-row').first().locator('[data-testid="answer-delete"]').click();
      await eventually('the answer is gone', () => byTestId(page, 'answer-row').count(),
        (count) => count === 0);
      await byTestId(page, 'answers-editor-none').waitFor();

      // The advisor's Refresh shows that it is gone.
      await byTestId(answers, 'answers-refresh').click();
      await expectText(byTestId(answers, 'answers-status'), advisorText['answers.none']);

      for (const record of [supervisor, advisor, client]) assertNoProblems(record);
    });
    await supervisor.context.close();
    await advisor.context.close();
    await client.context.close();
  });
