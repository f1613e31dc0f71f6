// Browser journeys of routing against the real neuvo-server in Debian's Chromium: queue position
// and estimated wait, offers that the advisor accepts, declines or misses, alternatives for a
// language nobody speaks now, a client living abroad (national pool only), an advisor whose
// connection drops, and the supervisor's live view.
//
// Environment: NEUVO_SERVER (server binary), NEUVO_SOURCE_DIR (repository root). Without them
// the paths are found relative to this file. Screenshots go to <repo>/test-artifacts/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptOffer, advisorText as readAdvisorText, assertNoProblems, byTestId, catalogueSentence,
  clientText, closeBrowser, eventually, expectAttribute, expectText, launchBrowser, openDesk,
  openPage, requestAdvisor, screenshot, server, signIn, sleep, startServer, stopServer,
  waitForOffer, withFailureEvidence,
} from './harness.mjs';

// Short times keep the journeys quick; the defaults are 20 s and 60 s.
const OFFER_TIMEOUT_SECONDS = 8;
const MAX_MISSED_OFFERS = 2;
const ADVISOR_GRACE_SECONDS = 10;

const AINO = { login: 'aino', password: 'correct horse 1' }; // Helsinki, Finnish and Arabic
const EERO = { login: 'eero', password: 'battery staple 2' }; // Espoo, Finnish and English
const SANNA = { login: 'sanna', password: 'tr0ub4dor & 3' }; // Helsinki, supervisor

const advisorText = readAdvisorText('en');
const englishText = clientText('en');

before(async () => {
  await startServer({
    accounts: [
      { ...AINO, name: 'Aino', point: '091-virka', languages: ['fi', 'ar'] },
      { ...EERO, name: 'Eero', point: '049-inespoo', languages: ['fi', 'en'] },
      { ...SANNA, name: 'Sanna', point: '091-virka', languages: ['fi'], role: 'supervisor' },
    ],
    routing: {
      offer_timeout_seconds: OFFER_TIMEOUT_SECONDS,
      max_missed_offers: MAX_MISSED_OFFERS,
      advisor_grace_seconds: ADVISOR_GRACE_SECONDS,
      // Headless Chromium closes a page without a close frame, which the server cannot tell from
      // a dropped network: with no resume window, the closed pages of one journey are gone at
      // once instead of waiting in the next journey's queue (phone.test.mjs tests resuming).
      client_grace_seconds: 0,
    },
  });
  await launchBrowser();
});

after(async () => {
  await closeBrowser();
  await stopServer();
});

const desktop = { viewport: { width: 1280, height: 860 } };
const phone = { viewport: { width: 360, height: 740 } };

// Signs the advisor out (so that the next journey starts from a fresh, away advisor rather than
// one coming back within the grace period) and closes the pages.
async function closeAll(advisors, clients = []) {
  for (const advisor of advisors) {
    const signOut = byTestId(advisor.page, 'sign-out-button');
    if (await signOut.isVisible().catch(() => false)) {
      await signOut.click();
      await byTestId(advisor.page, 'sign-in-screen').waitFor().catch(() => {});
    }
    await advisor.context.close();
  }
  for (const client of clients) await client.context.close();
}

test('the client sees its place and estimated wait; the advisor accepts an offer',
  { timeout: 90_000 }, async () => {
    const advisor = await openPage('routing-advisor', desktop);
    const first = await openPage('routing-client-1', phone);
    const second = await openPage('routing-client-2', phone);
    await withFailureEvidence([advisor, first, second], async () => {
      // Aino is signed in but away: the clients queue, with an estimate since she speaks Arabic.
      await openDesk(advisor, AINO, { available: false, capacity: 1 });
      await byTestId(advisor.page, 'no-offers').waitFor();

      await requestAdvisor(first, 'ar', { home: '091' });
      await byTestId(first.page, 'waiting-screen').waitFor();
      await expectAttribute(byTestId(first.page, 'queue-position'), 'data-position', '1');
      const estimate = byTestId(first.page, 'queue-estimate');
      await eventually('an estimate in seconds', () => estimate.getAttribute('data-seconds'),
        (seconds) => seconds !== null && Number(seconds) >= 0);
      const arabicText = clientText('ar');
      const seconds = Number(await estimate.getAttribute('data-seconds'));
      await expectText(estimate, catalogueSentence(seconds < 60
        ? arabicText['waiting.estimate_soon'] : arabicText['waiting.estimate']));
      await expectText(byTestId(first.page, 'waiting-language'), /العربية/);
      assert.equal(await byTestId(first.page, 'alternatives-panel').isVisible(), false);

      // The second client is number 2.
      await requestAdvisor(second, 'ar');
      await expectAttribute(byTestId(second.page, 'queue-position'), 'data-position', '2');
      await expectText(byTestId(second.page, 'queue-position'),
        catalogueSentence(arabicText['waiting.position']));
      await expectText(byTestId(second.page, 'queue-estimate'), catalogueSentence(
        Number(await byTestId(second.page, 'queue-estimate').getAttribute('data-seconds')) < 60
          ? arabicText['waiting.estimate_soon'] : arabicText['waiting.estimate']));
      await screenshot(first.page, 'routing-client-position-1');
      await screenshot(second.page, 'routing-client-position-2');

      // Aino becomes available: the first client is offered to her, with a countdown.
      await byTestId(advisor.page, 'presence-available').check();
      const offer = await waitForOffer(advisor);
      await expectText(byTestId(offer, 'offer-language'), /العربية/);
      await expectText(byTestId(offer, 'offer-home'), 'Helsinki');
      await expectText(byTestId(offer, 'offer-tier'), advisorText['tier.own_point']);
      const countdown = byTestId(offer, 'offer-countdown');
      await expectText(countdown, catalogueSentence(advisorText['offers.countdown']));
      const before = Number(await countdown.getAttribute('data-seconds'));
      assert.ok(before > 0 && before <= OFFER_TIMEOUT_SECONDS, `countdown starts at ${before}`);
      await eventually('the countdown runs', async () =>
        Number(await countdown.getAttribute('data-seconds')), (now) => now < before, 3000);
      await screenshot(advisor.page, 'routing-advisor-offer');
      // The offer holds her only place; the client keeps its place until she accepts.
      assert.equal(await byTestId(first.page, 'waiting-screen').isVisible(), true);

      await byTestId(offer, 'accept-button').click();
      await byTestId(first.page, 'chat-screen').waitFor();
      await expectText(byTestId(first.page, 'advisor-info'), /Aino/);
      await byTestId(advisor.page, 'conversation-panel').waitFor();
      await eventually('the offer card is gone', () => byTestId(advisor.page, 'offer-card').count(),
        (count) => count === 0);
      const accept = advisor.framesSent.find((frame) => frame.type === 'accept');
      assert.ok(accept?.id && accept.conversation, 'accept with an id and the conversation');
      // The second client moves up.
      await expectAttribute(byTestId(second.page, 'queue-position'), 'data-position', '1');
      await screenshot(advisor.page, 'routing-advisor-accepted');

      for (const record of [advisor, first, second]) assertNoProblems(record);
    });
    await closeAll([advisor], [first, second]);
  });

test('an advisor declines an offer and it disappears; the schedule choice is sent',
  { timeout: 60_000 }, async () => {
    const advisor = await openPage('decline-advisor', desktop);
    const client = await openPage('decline-client', phone);
    await withFailureEvidence([advisor, client], async () => {
      await openDesk(advisor, AINO, { capacity: 1 });
      await requestAdvisor(client, 'ar');
      const offer = await waitForOffer(advisor);
      const conversation = await offer.getAttribute('data-conversation');
      await byTestId(offer, 'decline-button').click();
      await advisor.page.locator(
        `[data-testid="offer-card"][data-conversation="${conversation}"]`).waitFor({ state: 'detached' });
      const decline = advisor.framesSent.find((frame) => frame.type === 'decline');
      assert.equal(decline?.conversation, conversation);
      assert.ok(advisor.framesReceived.some((frame) => frame.type === 'offer_withdrawn' &&
        frame.conversation === conversation && frame.reason === 'declined'));
      // Declining is not missing: no note.
      assert.equal(await byTestId(advisor.page, 'offer-note').isVisible(), false);
      // The client keeps waiting, and may stop.
      assert.equal(await byTestId(client.page, 'waiting-screen').isVisible(), true);
      await screenshot(advisor.page, 'decline-advisor-after');
      await byTestId(client.page, 'stop-waiting-button').click();
      await byTestId(client.page, 'choose-screen').waitFor();

      // "Follow my point's schedule" is sent and shown as the server says.
      await byTestId(advisor.page, 'follow-schedule').check();
      await eventually('presence with follow_schedule', () => advisor.framesReceived.some((frame) =>
        frame.type === 'presence' && frame.follow_schedule === true), (seen) => seen);
      assert.ok(advisor.framesSent.some((frame) =>
        frame.type === 'presence' && frame.follow_schedule === true));
      await byTestId(advisor.page, 'follow-schedule').uncheck();
      await eventually('presence without follow_schedule', () => advisor.framesReceived.at(-1),
        (frame) => frame?.type === 'presence' && frame.follow_schedule === false);
      assert.equal(await byTestId(advisor.page, 'follow-schedule').isChecked(), false);

      assertNoProblems(advisor);
      assertNoProblems(client);
    });
    await closeAll([advisor], [client]);
  });

test('a client asking for a language nobody speaks now switches to another it knows',
  { timeout: 90_000 }, async () => {
    const advisor = await openPage('alternatives-advisor', desktop);
    const client = await openPage('alternatives-client', phone);
    await withFailureEvidence([advisor, client], async () => {
      await openDesk(advisor, EERO);
      // Thai has no catalogue: the client reads English, and says it also speaks English. She
      // lives in Espoo, so Eero's point serves her (In Espoo is not in the national pool).
      await requestAdvisor(client, 'th', { home: '049', alsoSpeaks: ['en'] });
      const request = client.framesSent.find((frame) => frame.type === 'request');
      assert.equal(request.language, 'th');
      assert.equal(request.home, '049');
      assert.deepEqual(request.also_speaks, ['en']);

      const panel = byTestId(client.page, 'alternatives-panel');
      await panel.waitFor();
      await expectAttribute(byTestId(panel, 'alternatives-reason'), 'data-reason', 'nobody_signed_in');
      await expectText(byTestId(panel, 'alternatives-reason'), /ไทย/);
      await expectText(byTestId(panel, 'alternatives-reason'),
        catalogueSentence(englishText['alternatives.nobody_signed_in']));
      // Oulu10 serves Thai on Wednesdays: the next time is shown in local time with the point.
      const next = byTestId(panel, 'alternatives-next');
      const alternatives = client.framesReceived.find((frame) => frame.type === 'alternatives');
      if (alternatives.next_staffed) {
        await expectText(next, /Oulu10/);
        await expectText(next, catalogueSentence(englishText['alternatives.next_staffed']));
        const shown = await next.locator('time').getAttribute('datetime');
        assert.equal(new Date(shown).getTime(), new Date(alternatives.next_staffed.at).getTime());
      } else {
        await expectText(next, catalogueSentence(englishText['alternatives.next_unknown']));
      }
      const english = panel.locator('[data-testid="alternative"][data-language="en"]');
      await expectText(english, /English/);
      await expectText(byTestId(english, 'alternative-wait'), /\S/);
      await screenshot(client.page, 'alternatives-panel');

      // "Use English instead": cancel, then a new request in English once the first is closed.
      await byTestId(english, 'use-language-en').click();
      await eventually('a second request', () => client.framesSent.filter((frame) =>
        frame.type === 'request').length, (count) => count === 2);
      const cancel = client.framesSent.find((frame) => frame.type === 'cancel');
      assert.equal(cancel.request, request.id);
      const closedAt = client.framesReceived.findIndex((frame) =>
        frame.type === 'request_closed' && frame.request === request.id);
      assert.ok(closedAt >= 0, 'request_closed came before the new request');
      const second = client.framesSent.filter((frame) => frame.type === 'request')[1];
      assert.equal(second.language, 'en');
      assert.equal(second.home, '049');
      assert.deepEqual(second.also_speaks, ['th']);
      await expectText(byTestId(client.page, 'waiting-language'), /English/);

      // Eero, who speaks English, is offered the client and accepts.
      const offer = await waitForOffer(advisor);
      await expectText(byTestId(offer, 'offer-language'), /English/);
      await screenshot(advisor.page, 'alternatives-advisor-offer');
      await expectText(byTestId(offer, 'offer-home'), 'Espoo');
      await expectText(byTestId(offer, 'offer-tier'), advisorText['tier.own_point']);
      await byTestId(offer, 'accept-button').click();
      await byTestId(client.page, 'chat-screen').waitFor();
      await expectText(byTestId(client.page, 'advisor-info'), /Eero/);
      await expectText(byTestId(client.page, 'advisor-info'), /In Espoo/);
      assert.equal(await byTestId(client.page, 'chat-log').getAttribute('lang'), 'en');
      await screenshot(client.page, 'alternatives-client-chat');

      assertNoProblems(advisor);
      assertNoProblems(client);
    });
    await closeAll([advisor], [client]);
  });

test('a client who does not live in Finland is offered to the national pool only',
  { timeout: 60_000 }, async () => {
    const local = await openPage('abroad-advisor-espoo', desktop);
    const national = await openPage('abroad-advisor-national', desktop);
    const client = await openPage('abroad-client', phone);
    await withFailureEvidence([local, national, client], async () => {
      // Eero's point (In Espoo) is not in the national pool: he is never offered the client.
      await openDesk(local, EERO, { capacity: 1 });
      const { page } = client;
      await page.goto(`${server.origin}/`);
      await byTestId(page, 'language-fi').click();
      await expectAttribute(byTestId(page, 'language-fi'), 'aria-pressed', 'true');
      const abroad = page.locator('[data-testid="home-select"] option[value="abroad"]');
      await eventually('the home select offers abroad in Finnish', () => abroad.textContent(),
        (text) => text === clientText('fi')['choose.home_abroad']);
      await byTestId(page, 'home-select').selectOption('abroad');
      await byTestId(page, 'start-button').click();
      await byTestId(page, 'waiting-screen').waitFor();
      const request = client.framesSent.find((frame) => frame.type === 'request');
      assert.equal(request.home, 'abroad');
      await sleep(1000);
      assert.equal(await byTestId(local.page, 'offer-card').count(), 0);

      // Aino's point (Virka Info) is in the national pool.
      await openDesk(national, AINO, { capacity: 1 });
      const offer = await waitForOffer(national);
      await expectText(byTestId(offer, 'offer-home'), advisorText['home.abroad']);
      await expectText(byTestId(offer, 'offer-tier'), advisorText['tier.national']);
      await byTestId(offer, 'accept-button').click();
      await byTestId(page, 'chat-screen').waitFor();
      await expectText(byTestId(page, 'advisor-info'), /Aino/);
      await screenshot(national.page, 'abroad-advisor-offer-accepted');
      assert.equal(await byTestId(local.page, 'offer-card').count(), 0);

      for (const record of [local, national, client]) assertNoProblems(record);
    });
    await closeAll([local, national], [client]);
  });

test('the supervisor sees the queues and the advisors\' load; an advisor may not',
  { timeout: 90_000 }, async () => {
    const advisor = await openPage('live-advisor', desktop);
    const served = await openPage('live-client-ar', phone);
    const waiting = await openPage('live-client-so', phone);
    const supervisor = await openPage('live-supervisor', desktop);
    const notSupervisor = await openPage('live-not-supervisor', desktop,
      { expectedStatuses: [401, 403] });
    await withFailureEvidence([advisor, served, waiting, supervisor, notSupervisor], async () => {
      await openDesk(advisor, AINO, { capacity: 2 });
      await requestAdvisor(served, 'ar');
      await acceptOffer(advisor);
      await byTestId(served.page, 'chat-screen').waitFor();
      // Nobody speaks Somali: this client waits.
      await requestAdvisor(waiting, 'so');
      await byTestId(waiting.page, 'waiting-screen').waitFor();

      await supervisor.page.goto(`${server.origin}/supervisor.html`);
      await byTestId(supervisor.page, 'sign-in-screen').waitFor();
      await signIn(supervisor, SANNA.login, SANNA.password);
      await byTestId(supervisor.page, 'live-screen').waitFor();

      const somali = supervisor.page.locator('[data-testid="language-row"][data-language="so"]');
      await expectText(byTestId(somali, 'waiting'), '1');
      await expectText(somali.locator('th'), /Soomaali/);
      await expectText(byTestId(somali, 'longest-wait'), /^\d+:\d\d$/);
      await expectText(byTestId(somali, 'advisors-signed-in'), '0');
      // The wait grows between polls.
      const firstWait = Number(await byTestId(somali, 'longest-wait').getAttribute('data-seconds'));
      await eventually('the longest wait grows', async () =>
        Number(await byTestId(somali, 'longest-wait').getAttribute('data-seconds')),
      (seconds) => seconds > firstWait, 8000);

      const arabic = supervisor.page.locator('[data-testid="language-row"][data-language="ar"]');
      await expectText(byTestId(arabic, 'advisors-signed-in'), '1');
      await expectText(byTestId(arabic, 'waiting'), '0');

      const point = supervisor.page.locator('[data-testid="point-group"][data-point="091-virka"]');
      await expectText(point.locator('th[scope="rowgroup"]'), 'Virka Info');
      const aino = byTestId(point, 'advisor-row').filter({ hasText: 'Aino' });
      await expectAttribute(byTestId(aino, 'advisor-load'), 'data-active', '1');
      await expectAttribute(byTestId(aino, 'advisor-load'), 'data-capacity', '2');
      await expectText(byTestId(aino, 'advisor-load'), '1 / 2');
      await expectText(byTestId(aino, 'advisor-status'), advisorText['presence.available']);
      await expectText(byTestId(aino, 'advisor-connection'), advisorText['live.connected']);
      const table = byTestId(supervisor.page, 'languages-table');
      assert.equal(await table.locator('caption').textContent(), advisorText['live.languages_title']);
      // The page polls (every two seconds).
      const polls = await supervisor.page.evaluate(() => performance.getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('/api/live')).length);
      assert.ok(polls >= 2, `polled ${polls} times`);
      await screenshot(supervisor.page, 'supervisor-live');

      // The live view follows the interface language.
      await byTestId(supervisor.page, 'ui-language-select').selectOption('fi');
      const finnishAdvisorText = readAdvisorText('fi');
      await expectText(table.locator('caption'), finnishAdvisorText['live.languages_title']);
      await expectText(byTestId(aino, 'advisor-status'), finnishAdvisorText['presence.available']);
      await screenshot(supervisor.page, 'supervisor-live-fi');

      // An advisor's account is refused the live view, and told so.
      await notSupervisor.page.goto(`${server.origin}/supervisor.html`);
      await byTestId(notSupervisor.page, 'sign-in-screen').waitFor();
      await signIn(notSupervisor, EERO.login, EERO.password);
      await expectText(byTestId(notSupervisor.page, 'forbidden-text'), advisorText['live.forbidden']);
      await screenshot(notSupervisor.page, 'supervisor-forbidden');

      for (const record of [advisor, served, waiting, supervisor, notSupervisor]) {
        assertNoProblems(record);
      }
    });
    await closeAll([advisor], [served, waiting, supervisor, notSupervisor]);
  });

test('while the advisor reconnects the client\'s message waits and is then delivered',
  { timeout: 90_000 }, async () => {
    const advisor = await openPage('reconnect-advisor', desktop);
    const client = await openPage('reconnect-client', phone);
    await withFailureEvidence([advisor, client], async () => {
      await openDesk(advisor, AINO, { capacity: 1 });
      await requestAdvisor(client, 'ar');
      const conversation = await acceptOffer(advisor);
      await byTestId(client.page, 'chat-screen').waitFor();

      // The advisor's page goes away (a dropped connection, as far as the server can tell).
      await advisor.page.goto('about:blank');
      const notice = byTestId(client.page, 'advisor-connection-notice');
      await notice.waitFor();
      await expectText(notice, clientText('ar')['chat.advisor_reconnecting']);

      // A message written now is kept, marked "not sent yet".
      const text = 'هل أنت هناك؟';
      await byTestId(client.page, 'message-input').fill(text);
      await byTestId(client.page, 'send-button').click();
      const own = byTestId(client.page, 'message').filter({ hasText: text });
      await expectAttribute(byTestId(own, 'delivery-state'), 'data-state', 'waiting');
      await expectText(byTestId(own, 'delivery-state'), clientText('ar')['chat.not_sent_yet']);
      await screenshot(client.page, 'reconnect-client-waiting');

      // The advisor comes back within the grace period: the conversation is still there, and
      // the message is sent again with the same id and delivered.
      await advisor.page.goto(`${server.origin}/advisor.html`);
      await byTestId(advisor.page, 'desk-screen').waitFor();
      await advisor.page.locator(
        `[data-testid="conversation-item"][data-conversation="${conversation}"]`).waitFor();
      await notice.waitFor({ state: 'hidden' });
      await expectAttribute(byTestId(own, 'delivery-state'), 'data-state', 'delivered');
      await expectText(byTestId(advisor.page, 'message-text').filter({ hasText: text }), text);
      const sends = client.framesSent.filter((frame) => frame.type === 'message' && frame.text === text);
      assert.ok(sends.length >= 1);
      assert.equal(new Set(sends.map((frame) => frame.id)).size, 1, 'resent with the same id');
      assert.equal(await byTestId(advisor.page, 'message-text').filter({ hasText: text }).count(), 1);
      await screenshot(advisor.page, 'reconnect-advisor-back');

      assertNoProblems(client);
      assertNoProblems(advisor);
    });
    await closeAll([advisor], [client]);
  });

test('when the advisor does not come back, the client waits again at the head of the queue',
  { timeout: 90_000 }, async () => {
    const advisor = await openPage('requeue-advisor', desktop);
    const client = await openPage('requeue-client', phone);
    await withFailureEvidence([advisor, client], async () => {
      await openDesk(advisor, AINO, { capacity: 1 });
      await requestAdvisor(client, 'ar');
      await acceptOffer(advisor);
      await byTestId(client.page, 'chat-screen').waitFor();
      await advisor.page.goto('about:blank');
      await byTestId(client.page, 'advisor-connection-notice').waitFor();

      // After the grace period the conversation ends and the request is queued again.
      const notice = byTestId(client.page, 'requeued-notice');
      await notice.waitFor({ timeout: (ADVISOR_GRACE_SECONDS + 10) * 1000 });
      await expectText(notice, clientText('ar')['waiting.requeued']);
      await byTestId(client.page, 'waiting-screen').waitFor();
      await expectAttribute(byTestId(client.page, 'queue-position'), 'data-position', '1');
      assert.equal(await byTestId(client.page, 'message').count(), 0, 'old messages cleared');
      assert.ok(client.framesReceived.some((frame) => frame.type === 'conversation_ended' &&
        frame.reason === 'advisor_disconnected'));
      await screenshot(client.page, 'requeue-client');

      await byTestId(client.page, 'stop-waiting-button').click();
      await byTestId(client.page, 'choose-screen').waitFor();
      assertNoProblems(client);
    });
    await closeAll([advisor], [client]);
  });

test('an advisor who misses offers is told, and set away', { timeout: 90_000 }, async () => {
  const advisor = await openPage('missed-advisor', desktop);
  const first = await openPage('missed-client-1', phone);
  const second = await openPage('missed-client-2', phone);
  await withFailureEvidence([advisor, first, second], async () => {
    await openDesk(advisor, AINO, { capacity: 1 });
    // Two clients: a missed request is not offered to the same advisor again, so the second
    // miss is the second client's offer.
    await requestAdvisor(first, 'ar');
    await requestAdvisor(second, 'ar');
    await waitForOffer(advisor);
    const note = byTestId(advisor.page, 'offer-note');
    await expectText(note, advisorText['offers.missed'], undefined,
      (OFFER_TIMEOUT_SECONDS + 5) * 1000);
    const notice = byTestId(advisor.page, 'presence-notice');
    await notice.waitFor({ timeout: (OFFER_TIMEOUT_SECONDS * MAX_MISSED_OFFERS + 10) * 1000 });
    await expectText(notice, advisorText['presence.missed_offers']);
    await expectAttribute(byTestId(advisor.page, 'presence-summary'), 'data-status', 'away');
    assert.equal(await byTestId(advisor.page, 'presence-away').isChecked(), true);
    assert.equal(advisor.framesReceived.filter((frame) =>
      frame.type === 'offer_withdrawn' && frame.reason === 'timeout').length, MAX_MISSED_OFFERS);
    await eventually('no offers left', () => byTestId(advisor.page, 'offer-card').count(),
      (count) => count === 0);
    await screenshot(advisor.page, 'missed-offers-away');
    // Choosing Available again clears the notice.
    await byTestId(advisor.page, 'presence-available').check();
    await notice.waitFor({ state: 'hidden' });
    assertNoProblems(advisor);
    assertNoProblems(first);
    assertNoProblems(second);
  });
  await closeAll([advisor], [first, second]);
});
