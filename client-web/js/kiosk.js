// Kiosk mode of the client page (index.html?kiosk=1), for a terminal that many people share, as
// in a library: when a person is done, or has left the screen alone for `idle` seconds, the page
// forgets them. Their conversation is ended (a request still waiting is cancelled), the socket is
// closed, the origin's storage and readable cookies are emptied, and the page loads itself again
// onto its clean kiosk address with location.replace, so that no history entry is added and
// nothing of the person stays in the DOM or in the script's memory. A notice counts down before
// an idle wipe, so that a slow reader can say they are still there.

import { formatSeconds } from './format.js';

export const DEFAULT_IDLE_SECONDS = 120;
const MIN_IDLE_SECONDS = 2;
const MAX_IDLE_SECONDS = 3600;
const COUNTDOWN_SECONDS = 20;
// How often the idle clock is looked at, and how soon a wipe is tried again while the server
// cannot be reached (the page is not reloaded onto an error page).
const TICK_MS = 250;
const RETRY_MS = 3000;
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel', 'input'];

// Kiosk settings from the page's query string, or null when the page is not a kiosk.
export function kioskSettings(search) {
  const params = new URLSearchParams(search);
  if (params.get('kiosk') !== '1') return null;
  const asked = Number(params.get('idle'));
  const given = params.has('idle') && Number.isInteger(asked) && asked >= MIN_IDLE_SECONDS &&
    asked <= MAX_IDLE_SECONDS;
  const idleSeconds = given ? asked : DEFAULT_IDLE_SECONDS;
  // The notice shows for the last 20 seconds, or the last half of a short idle time.
  const countdownSeconds = Math.min(COUNTDOWN_SECONDS, Math.ceil(idleSeconds / 2));
  // The address the page resets itself to: the kiosk flag and the idle time, nothing else.
  const cleanQuery = given ? `?kiosk=1&idle=${idleSeconds}` : '?kiosk=1';
  return { idleSeconds, countdownSeconds, cleanQuery };
}

// Empties what this origin keeps in the browser: both storages and every cookie a script can
// see (the client page writes none; another page of the site might have).
function clearBrowserStorage() {
  for (const storage of ['localStorage', 'sessionStorage']) {
    try {
      window[storage].clear();
    } catch {
      // No storage in this browser: nothing to clear.
    }
  }
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0].trim();
    if (name === '') continue;
    for (const path of ['/', location.pathname]) {
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=${path}`;
    }
  }
}

// settings: from kioskSettings(). elements: { bar, clearButton, notice, noticeText,
//   continueButton }. catalogue(): the page's current catalogue. inUse(): whether the screen
// holds anything of a person (a language chosen, a queue, a chat). leave(): ends the person's
// conversation or request and closes the socket.
export function createKiosk(settings, { elements, catalogue, inUse, leave }) {
  let lastInput = Date.now();
  let wiping = false;
  let focusBeforeNotice = null;

  const secondsIdle = () => (Date.now() - lastInput) / 1000;

  function showNotice(secondsLeft) {
    const text = catalogue().t('kiosk.countdown', {
      time: formatSeconds(secondsLeft, catalogue().tag),
    });
    if (elements.noticeText.textContent !== text) elements.noticeText.textContent = text;
    elements.notice.dataset.seconds = String(secondsLeft);
    if (elements.notice.hidden) {
      elements.notice.hidden = false;
      // Keyboard users can answer at once; focus goes back where it was on "Continue".
      focusBeforeNotice = document.activeElement;
      elements.continueButton.focus();
    }
  }

  function hideNotice() {
    if (elements.notice.hidden) return;
    elements.notice.hidden = true;
    if (document.activeElement === elements.continueButton) {
      (focusBeforeNotice && focusBeforeNotice.isConnected ? focusBeforeNotice : document.body)
        .focus?.();
    }
    focusBeforeNotice = null;
  }

  function refresh() {
    if (wiping) return;
    const used = inUse();
    elements.bar.hidden = !used;
    if (!used) {
      lastInput = Date.now();
      hideNotice();
      return;
    }
    const idle = secondsIdle();
    if (idle >= settings.idleSeconds) {
      wipe();
    } else if (idle >= settings.idleSeconds - settings.countdownSeconds) {
      showNotice(Math.ceil(settings.idleSeconds - idle));
    } else {
      hideNotice();
    }
  }

  // Any input shows that someone is there. While the notice is up, only a touch, a click or a
  // key counts (a mouse passing by does not), and the notice's own button answers with its click.
  function onInput(event) {
    if (wiping) return;
    const noticeShown = !elements.notice.hidden;
    if (noticeShown && event.type === 'pointermove') return;
    lastInput = Date.now();
    if (noticeShown && elements.notice.contains(event.target) && event.type !== 'click') return;
    hideNotice();
  }

  // Loads the clean kiosk address once the server answers; until then the screen stays blank
  // but for a line saying it is being cleared, and the wipe is tried again.
  async function reload() {
    const cleanUrl = `${location.pathname}${settings.cleanQuery}`;
    try {
      const response = await fetch(cleanUrl, { method: 'HEAD', cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      location.replace(cleanUrl);
    } catch {
      setTimeout(reload, RETRY_MS);
    }
  }

  // Forgets the person now: the conversation or request ends, then the page resets itself.
  function wipe() {
    if (wiping) return;
    wiping = true;
    leave();
    clearBrowserStorage();
    // Nothing of the person stays on screen, even for the moment the reload takes.
    const status = document.createElement('p');
    status.className = 'status-text';
    status.dataset.testid = 'kiosk-clearing';
    status.textContent = catalogue()?.t('kiosk.clearing') ?? '';
    document.getElementById('main').replaceChildren(status);
    // Any query or hash the page was opened with is dropped from this entry at once.
    history.replaceState(null, '', `${location.pathname}${settings.cleanQuery}`);
    reload();
  }

  for (const type of INPUT_EVENTS) {
    document.addEventListener(type, onInput, { capture: true, passive: true });
  }
  elements.clearButton.addEventListener('click', wipe);
  elements.continueButton.addEventListener('click', onInput);
  setInterval(refresh, TICK_MS);

  return {
    wipe,
    refresh,
    get wiping() {
      return wiping;
    },
    // The person has rated: the countdown to the wipe starts at once.
    afterRating() {
      lastInput = Date.now() - (settings.idleSeconds - settings.countdownSeconds) * 1000;
      refresh();
    },
  };
}
