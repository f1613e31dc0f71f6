// The waiting screen, shared by the client page and the clerk page: the queue position and
// estimated wait, and the alternatives panel (nobody can serve the language now, or the wait has
// been long). `elements` are the page's own; `autonym(tag)` gives a language's name as a node.

import { formatDateTime, formatDuration } from './format.js';

// Estimates under this are shown as "less than a minute".
const SOON_SECONDS = 60;

// "about 9 minutes" in the interface language, or the key for an unknown estimate.
export function waitEstimate(seconds, keys, locale) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    return { key: keys.unknown, params: {} };
  }
  if (seconds < SOON_SECONDS) return { key: keys.soon, params: {} };
  return { key: keys.estimate, params: { duration: formatDuration(seconds, locale) } };
}

// The waiting screen as it is when a request has just been sent.
export function resetQueueView(elements, catalogue, language, autonym) {
  catalogue.fill(elements.waitingLanguage, 'waiting.language', { language: autonym(language) });
  elements.waitingLanguage.dataset.language = language;
  catalogue.fill(elements.queuePosition, 'waiting.asking');
  elements.queuePosition.removeAttribute('data-position');
  elements.queueEstimate.replaceChildren();
  elements.queueEstimate.removeAttribute('data-seconds');
  elements.queueNobody.hidden = true;
  elements.alternativesPanel.hidden = true;
}

// The last `queued`: position, estimate and, when nobody speaking the language is working now,
// an honest word about it (unless the alternatives panel already says the same).
export function renderQueuePosition(elements, catalogue, message, { alternatives, autonym }) {
  if (message.position <= 1) {
    catalogue.fill(elements.queuePosition, 'waiting.position_next');
  } else {
    catalogue.fill(elements.queuePosition, 'waiting.position', { position: message.position });
  }
  elements.queuePosition.dataset.position = String(message.position);
  const estimate = waitEstimate(message.estimated_wait_seconds, {
    estimate: 'waiting.estimate', soon: 'waiting.estimate_soon', unknown: 'waiting.estimate_unknown',
  }, catalogue.tag);
  catalogue.fill(elements.queueEstimate, estimate.key, estimate.params);
  if (message.estimated_wait_seconds === undefined) {
    elements.queueEstimate.removeAttribute('data-seconds');
  } else {
    elements.queueEstimate.dataset.seconds = String(message.estimated_wait_seconds);
  }
  const panelSaysIt = !elements.alternativesPanel.hidden &&
    alternatives?.reason === 'nobody_signed_in';
  if (message.advisors_signed_in === 0 && !panelSaysIt) {
    catalogue.fill(elements.queueNobody, 'waiting.nobody', {
      language: autonym(message.language),
    });
    elements.queueNobody.hidden = false;
  } else {
    elements.queueNobody.hidden = true;
  }
}

// The last `alternatives`: why, when the language is next staffed, and the other languages with
// a "Use LANGUAGE instead" button each (disabled while a cancel is on its way).
export function renderAlternativesPanel(elements, catalogue, message, { autonym, disabled, onUse }) {
  const language = () => autonym(message.language);
  const reasonKey = message.reason === 'long_wait'
    ? 'alternatives.long_wait' : 'alternatives.nobody_signed_in';
  catalogue.fill(elements.alternativesReason, reasonKey, { language: language() });
  elements.alternativesReason.dataset.reason = message.reason ?? '';

  const next = message.next_staffed;
  const nextAt = next?.at ? new Date(next.at) : null;
  const hasNext = nextAt !== null && !Number.isNaN(nextAt.getTime());
  if (hasNext) {
    const time = document.createElement('time');
    time.dateTime = nextAt.toISOString();
    time.textContent = formatDateTime(nextAt, catalogue.tag);
    catalogue.fill(elements.alternativesNext, 'alternatives.next_staffed', {
      language: language(),
      time,
      point: next.point_name ?? next.point ?? '',
    });
    elements.alternativesNext.dataset.at = next.at;
  } else {
    catalogue.fill(elements.alternativesNext, 'alternatives.next_unknown', { language: language() });
    elements.alternativesNext.removeAttribute('data-at');
  }
  // After a long wait the language is staffed, only busy: "we do not know when" would mislead.
  elements.alternativesNext.hidden = !hasNext && message.reason === 'long_wait';

  const others = (message.other_languages ?? [])
    .filter((other) => other && typeof other.language === 'string');
  catalogue.fill(elements.alternativesIntro,
    others.length > 0 ? 'alternatives.other_intro' : 'alternatives.none_other');
  const items = others.map((other) => {
    const item = document.createElement('li');
    item.className = 'alternative';
    item.dataset.testid = 'alternative';
    item.dataset.language = other.language;
    const name = document.createElement('p');
    name.className = 'alternative-name';
    name.append(autonym(other.language));
    const wait = document.createElement('p');
    wait.className = 'alternative-wait';
    wait.dataset.testid = 'alternative-wait';
    if (other.advisors_signed_in === 0) {
      catalogue.fill(wait, 'alternatives.wait_nobody');
    } else {
      const estimate = waitEstimate(other.estimated_wait_seconds, {
        estimate: 'alternatives.wait_estimate',
        soon: 'alternatives.wait_soon',
        unknown: 'alternatives.wait_unknown',
      }, catalogue.tag);
      catalogue.fill(wait, estimate.key, estimate.params);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-primary';
    button.dataset.testid = `use-language-${other.language}`;
    // A span of its own: the button is a flex box, which would drop the spaces between the
    // sentence's text and the <bdi> of the language name.
    const label = document.createElement('span');
    catalogue.fill(label, 'alternatives.use', { language: autonym(other.language) });
    button.append(label);
    button.disabled = disabled;
    button.addEventListener('click', () => onUse(other.language));
    item.append(name, wait, button);
    return item;
  });
  elements.alternativesList.replaceChildren(...items);
}

export function disableAlternatives(elements) {
  for (const button of elements.alternativesList.querySelectorAll('button')) button.disabled = true;
}
