// Browser journey of advisors working together against the real neuvo-server in Debian's
// Chromium: the colleagues directory, a private consultation the client never sees (neither on
// its page nor in any frame it receives), an invitation, leaving, a declined and an accepted
// transfer with a note, and a transfer to a language's queue that keeps the client's history.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  clientText, closeBrowser, eventually, expectAttribute, expectText, launchBrowser, openDesk,
  openPage, requestAdvisor, screenshot, startServer, stopServer, waitForOffer,
  withFailureEvidence,
} from './harness.mjs';

const OFFER_TIMEOUT_SECONDS = 15;

const AINO = { login: 'aino', password: 'correct horse 1' }; // Virka Info, Helsinki: fi, ar
const LEILA = { login: 'leila', password: 'correct horse 2' }; // Vantaa: ar, fa, fi

const advisorText = readAdvisorText('en');
const arabicText = clientText('ar');

const CONSULT_QUESTION = 'Onko tässä kyse Kelan asumistuesta? (neuvottelu-7341)';
const CONSULT_ANSWER = 'Todennäköisesti, kysy vuokrasopimuksesta. (neuvottelu-7342)';
const INVITE_NOTE = 'Osaatko Migrin oleskelulupa-asiat? (kutsu-5521)';
const DECLINED_NOTE = 'Ensimmäinen siirto (siirto-8810)';
const TRANSFER_NOTE = 'Asiakas haluaa jatkaa persiaksi. (siirto-8811)';
// Words that exist only between the advisors: none may reach the client.
const PRIVATE_MARKERS = ['neuvottelu-7341', 'neuvottelu-7342', 'kutsu-5521', 'siirto-8810', 'siirto-8811'];

const desktop = { viewport: { width: 1280, height: 1000 } };
const phone = { viewport: { width: 360, height: 740 } };

const pages = {};
let conversation = null;

before(async () => {
  await startServer({
    accounts: [
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
      { ...LEILA, name: 'Leila', point: '092-vantaa', languages: ['ar', 'fa', 'fi'] },
    ],
    routing: { offer_timeout_seconds: OFFER_TIMEOUT_SECONDS },
  });
  await launchBrowser();
  pages.aino = await openPage('collaboration-aino', desktop);
  pages.leila = await openPage('collaboration-leila', desktop);
  pages.client = await openPage('collaboration-client', phone);
});

after(async () => {
  for (const record of Object.values(pages)) await record.context.close().catch(() => {});
  await closeBrowser();
  await stopServer();
});

const panelOf = (record, id) => record.page.locator(
  `[data-testid="conversation-panel"][data-conversation="${id}"]`);
const colleagueRow = (record, name) => record.page.locator(
  `[data-testid="colleague"][data-name="${name}"]`);
const logTexts = (locator) => locator.locator('li').allTextContents();

// Nothing of the advisors' private exchange on the client's screen or in its frames.
async function assertClientSawNothingPrivate() {
  const { page, framesReceived } = pages.client;
  const screenText = await page.locator('body').innerText();
  const frames = JSON.stringify(framesReceived);
  for (const marker of PRIVATE_MARKERS) {
    assert.ok(!screenText.includes(marker), `the client page shows ${marker}`);
    assert.ok(!frames.includes(marker), `a frame to the client carries ${marker}`);
  }
  assert.ok(!framesReceived.some((frame) => /^consult/.test(frame.type) ||
    frame.type === 'handover' || frame.type === 'offer'), 'no consult, handover or offer frame to the client');
  assert.ok(!framesReceived.some((frame) => 'note' in frame), 'no note in any frame to the client');
}

async function openHandoverDialog(record, button) {
  await button.click();
  const dialog = byTestId(record.page, 'handover-dialog');
  await dialog.waitFor();
  return dialog;
}

test('advisors consult privately, invite, leave and transfer; the client sees only what is its own',
  { timeout: 200_000 }, async () => {
    const { aino, leila, client } = pages;
    await withFailureEvidence([aino, leila, client], async () => {
      await openDesk(aino, AINO, { capacity: 2 });
      // Leila is signed in but away, so the Arabic client goes to Aino.
      await openDesk(leila, LEILA, { available: false });

      await requestAdvisor(client, 'ar', { home: '091' });
      conversation = await acceptOffer(aino);
      await byTestId(client.page, 'chat-screen').waitFor();
      await expectText(byTestId(client.page, 'advisor-info'), /Aino/);

      // The directory: Leila with her point, languages by autonym, presence and load.
      const leilaRow = colleagueRow(aino, 'Leila');
      await leilaRow.waitFor();
      await expectText(byTestId(leilaRow, 'colleague-point'), 'Vantaan neuvontapiste');
      await expectText(byTestId(leilaRow, 'colleague-languages'), /العربية[\s\S]*فارسی/);
      await expectAttribute(byTestId(leilaRow, 'colleague-status'), 'data-status', 'away');
      await expectText(byTestId(leilaRow, 'colleague-load'), catalogueSentence(advisorText['colleagues.load']));
      assert.ok(aino.framesSent.some((frame) => frame.type === 'directory' && frame.id));
      // Filtered by a language she does not speak, she is not listed.
      await byTestId(aino.page, 'colleague-language-filter').selectOption('sv');
      await eventually('nobody speaking Swedish', () => colleagueRow(aino, 'Leila').count(), (n) => n === 0);
      assert.ok(aino.framesSent.some((frame) => frame.type === 'directory' && frame.language === 'sv'));
      await byTestId(aino.page, 'colleague-language-filter').selectOption('fa');
      await leilaRow.waitFor();
      await byTestId(aino.page, 'colleague-language-filter').selectOption('');
      await screenshot(aino.page, 'collaboration-aino-directory');

      // "Ask a colleague about this case": a consultation about the conversation.
      const ainoPanel = panelOf(aino, conversation);
      await byTestId(ainoPanel, 'ask-colleague-button').click();
      assert.equal(await byTestId(aino.page, 'consult-about-input').isChecked(), true);
      await byTestId(leilaRow, 'colleague-consult').click();
      const ainoConsult = byTestId(aino.page, 'consult-pane').first();
      await ainoConsult.waitFor();
      const open = aino.framesSent.find((frame) => frame.type === 'consult_open');
      assert.equal(open.about, conversation);
      assert.equal(typeof open.colleague, 'number');
      await expectText(byTestId(ainoConsult, 'consult-private'), advisorText['consults.private']);
      await expectText(byTestId(ainoConsult, 'consult-heading'), /Leila/);

      const leilaConsult = byTestId(leila.page, 'consult-pane').first();
      await leilaConsult.waitFor();
      await expectText(byTestId(leilaConsult, 'consult-heading'), /Aino/);
      await expectText(byTestId(leilaConsult, 'consult-about'), /العربية[\s\S]*Helsinki/);

      await byTestId(ainoConsult, 'consult-input').fill(CONSULT_QUESTION);
      await byTestId(ainoConsult, 'consult-send-button').click();
      const question = ainoConsult.locator('[data-testid="message"][data-from="self"]').last();
      await expectAttribute(byTestId(question, 'delivery-state'), 'data-state', 'delivered');
      await expectText(leilaConsult.locator('[data-testid="message-text"]').last(), CONSULT_QUESTION);
      await byTestId(leilaConsult, 'consult-input').fill(CONSULT_ANSWER);
      await byTestId(leilaConsult, 'consult-input').press('Enter');
      await expectText(ainoConsult.locator('[data-from="other"] [data-testid="message-text"]').last(),
        CONSULT_ANSWER);
      await screenshot(aino.page, 'collaboration-aino-consult');
      await screenshot(leila.page, 'collaboration-leila-consult');
      await assertClientSawNothingPrivate();

      // Aino invites Leila, with a note only Leila reads.
      await byTestId(ainoPanel, 'invite-button').click();
      let dialog = await openHandoverDialog(aino, byTestId(leilaRow, 'colleague-invite'));
      assert.equal(await byTestId(dialog, 'handover-to-queue').isVisible(), false);
      await byTestId(dialog, 'handover-note').fill(INVITE_NOTE);
      await byTestId(dialog, 'handover-send').click();
      const invite = aino.framesSent.find((frame) => frame.type === 'invite');
      assert.equal(invite.conversation, conversation);
      assert.equal(invite.note, INVITE_NOTE);
      await ainoPanel.locator('[data-testid="handover-note"][data-status="pending"]').waitFor();

      let offer = await waitForOffer(leila, conversation);
      await expectAttribute(offer, 'data-kind', 'invitation');
      await expectText(byTestId(offer, 'offer-origin'), /Aino/);
      await expectText(byTestId(offer, 'offer-note-text'), INVITE_NOTE);
      await screenshot(leila.page, 'collaboration-leila-invitation');
      await byTestId(offer, 'accept-button').click();

      let leilaPanel = panelOf(leila, conversation);
      await leilaPanel.waitFor();
      await expectText(byTestId(leilaPanel, 'handed-over-from'), /Aino/);
      await expectText(byTestId(leilaPanel, 'handed-over-note'), INVITE_NOTE);
      await ainoPanel.locator('[data-testid="handover-note"][data-status="accepted"]').waitFor();
      await expectText(byTestId(ainoPanel, 'team-participants'), /Leila/);

      // The client sees Leila join, with the languages she speaks by their own names.
      const joined = client.page.locator('[data-testid="advisor-joined"]').last();
      await expectText(joined, catalogueSentence(arabicText['chat.advisor_joined']));
      await expectText(joined, /Leila[\s\S]*Vantaan neuvontapiste[\s\S]*فارسی/);

      await byTestId(leilaPanel, 'message-input').fill('مرحبا، أنا ليلى وأتحدث الفارسية أيضا.');
      await byTestId(leilaPanel, 'send-button').click();
      const fromLeila = client.page.locator('[data-testid="message"][data-from="other"]').last();
      await expectText(byTestId(fromLeila, 'message-text'), 'مرحبا، أنا ليلى وأتحدث الفارسية أيضا.');
      await expectText(fromLeila.locator('.message-author'), 'Leila');
      // Aino reads her colleague's message too, named.
      await expectText(ainoPanel.locator('.message-colleague .message-author').last(), 'Leila');
      await screenshot(client.page, 'collaboration-client-leila-joined');
      await screenshot(aino.page, 'collaboration-aino-with-leila');

      // Leila leaves; the conversation goes on with Aino.
      await byTestId(leilaPanel, 'leave-button').click();
      await expectText(leilaPanel.locator('[data-testid="ended-text"]'), advisorText['ended.left']);
      await expectText(client.page.locator('[data-testid="advisor-left"]').last(),
        catalogueSentence(arabicText['chat.advisor_left']));
      await ainoPanel.locator('[data-testid="team-note"][data-event="left"]').waitFor();
      await eventually('Aino is alone: no Leave button',
        () => byTestId(ainoPanel, 'leave-button').isVisible(), (visible) => !visible);
      await expectText(byTestId(client.page, 'advisor-info'), /Aino/);

      // A transfer Leila declines: the conversation stays with Aino.
      await byTestId(leila.page, 'presence-available').check();
      dialog = await openHandoverDialog(aino, byTestId(ainoPanel, 'transfer-button'));
      await byTestId(dialog, 'handover-colleague-select').selectOption({ label: 'Leila (Vantaan neuvontapiste)' });
      await byTestId(dialog, 'handover-note').fill(DECLINED_NOTE);
      await byTestId(dialog, 'handover-send').click();
      offer = await waitForOffer(leila, conversation);
      await expectAttribute(offer, 'data-kind', 'transfer');
      await byTestId(offer, 'decline-button').click();
      await ainoPanel.locator('[data-testid="handover-note"][data-status="declined"]').waitFor();
      assert.equal(await byTestId(ainoPanel, 'message-form').isVisible(), true);
      await expectText(byTestId(client.page, 'advisor-info'), /Aino/);
      await screenshot(aino.page, 'collaboration-aino-transfer-declined');

      // A transfer Leila accepts: she reads the note, the client sees the handover.
      dialog = await openHandoverDialog(aino, byTestId(leilaRow, 'colleague-transfer'));
      await byTestId(dialog, 'handover-note').fill(TRANSFER_NOTE);
      await screenshot(aino.page, 'collaboration-aino-transfer-dialog');
      await byTestId(dialog, 'handover-send').click();
      const transfer = aino.framesSent.filter((frame) => frame.type === 'transfer').at(-1);
      assert.equal(transfer.note, TRANSFER_NOTE);
      assert.equal(typeof transfer.colleague, 'number');
      assert.equal(transfer.language, undefined);
      offer = await waitForOffer(leila, conversation);
      await expectText(byTestId(offer, 'offer-origin'), catalogueSentence(advisorText['offers.transfer_from']));
      await expectText(byTestId(offer, 'offer-note-text'), TRANSFER_NOTE);
      await byTestId(offer, 'accept-button').click();

      leilaPanel = panelOf(leila, conversation);
      await expectText(byTestId(leilaPanel, 'handed-over-note'), TRANSFER_NOTE);
      await expectText(byTestId(leilaPanel, 'handed-over-from'),
        catalogueSentence(advisorText['team.handed_to_you']));
      await expectText(ainoPanel.locator('[data-testid="ended-text"]'), advisorText['ended.transferred']);
      await expectText(client.page.locator('[data-testid="advisor-joined"][data-via="transfer"]').last(),
        catalogueSentence(arabicText['chat.advisor_handed']));
      await expectText(byTestId(client.page, 'advisor-info'), /Leila/);
      await screenshot(leila.page, 'collaboration-leila-transferred');
      await screenshot(client.page, 'collaboration-client-handed-over');

      // The client keeps writing, now to Leila, and the earlier messages are still there.
      await byTestId(client.page, 'message-input').fill('شكرا، هل يمكننا المتابعة؟');
      await byTestId(client.page, 'send-button').click();
      const mine = client.page.locator('[data-testid="message"][data-from="self"]').last();
      await expectAttribute(byTestId(mine, 'delivery-state'), 'data-state', 'delivered');
      await expectText(leilaPanel.locator('[data-testid="message-text"]').last(), 'شكرا، هل يمكننا المتابعة؟');
      assert.ok((await logTexts(byTestId(client.page, 'chat-log')))
        .some((text) => text.includes('مرحبا، أنا ليلى')), 'history kept');
      await assertClientSawNothingPrivate();

      for (const record of [aino, leila, client]) assertNoProblems(record);
    });
  });

test('a transfer to a language queue keeps the client\'s history and its held messages',
  { timeout: 120_000 }, async () => {
    const { aino, leila, client } = pages;
    assert.ok(conversation, 'the first journey ran');
    await withFailureEvidence([aino, leila, client], async () => {
      const leilaPanel = panelOf(leila, conversation);
      // Both away, so that the client is seen waiting; then Aino takes it from the queue. (Before
      // the dialog opens: while it is open it is modal and the rest of Leila's page is inert.)
      for (const record of [aino, leila]) {
        await byTestId(record.page, 'presence-away').check();
        await expectAttribute(byTestId(record.page, 'presence-summary'), 'data-status', 'away');
      }
      const dialog = await openHandoverDialog(leila, byTestId(leilaPanel, 'transfer-button'));
      await byTestId(dialog, 'handover-to-queue').check();
      await byTestId(dialog, 'handover-language-select').selectOption('ar');
      await byTestId(dialog, 'handover-send').click();
      const transfer = leila.framesSent.filter((frame) => frame.type === 'transfer').at(-1);
      assert.equal(transfer.language, 'ar');
      assert.equal(transfer.colleague, undefined);

      await expectText(leilaPanel.locator('[data-testid="ended-text"]'), advisorText['ended.transferred']);
      const info = byTestId(client.page, 'advisor-info');
      await expectAttribute(info, 'data-waiting', 'true');
      await expectText(info, catalogueSentence(arabicText['chat.waiting_next']));
      await byTestId(client.page, 'handover-wait-notice').waitFor();
      // A message written now is kept, not lost.
      await byTestId(client.page, 'message-input').fill('هل ما زلت هنا؟');
      await byTestId(client.page, 'send-button').click();
      const held = client.page.locator('[data-testid="message"][data-from="self"]').last();
      await eventually('the message is kept for later or delivered',
        () => byTestId(held, 'delivery-state').getAttribute('data-state'),
        (state) => state === 'waiting' || state === 'delivered');
      assert.ok((await logTexts(byTestId(client.page, 'chat-log')))
        .some((text) => text.includes('مرحبا، أنا ليلى')), 'history kept while waiting');
      await screenshot(client.page, 'collaboration-client-waiting-next');

      // Aino becomes available and gets the client as a transferred request.
      await byTestId(aino.page, 'presence-available').check();
      const offer = await waitForOffer(aino, conversation);
      await byTestId(offer, 'accept-button').click();
      await expectText(byTestId(client.page, 'advisor-info'), /Aino/);
      await expectAttribute(byTestId(held, 'delivery-state'), 'data-state', 'delivered');
      await expectText(panelOf(aino, conversation).locator('[data-testid="message-text"]').last(),
        'هل ما زلت هنا؟');
      await screenshot(client.page, 'collaboration-client-next-advisor');
      await assertClientSawNothingPrivate();
      for (const record of [aino, leila, client]) assertNoProblems(record);
    });
  });
