// The client's rating of a conversation that has ended (PROTOCOL.md, `rate` and `rated`): five
// large buttons in the ended panel, each a number with a word, sent once. The rating goes to the
// anonymous register row of the conversation; nothing else about the person is kept.

const RATINGS = [1, 2, 3, 4, 5];

// Builds the rating block into `container` (an element of the ended panel). `send(rating)`
// returns the id of the `rate` message it sent, or null when the connection is down.
export function createRating(container, { catalogue, send }) {
  const block = document.createElement('fieldset');
  block.className = 'rating';
  block.dataset.testid = 'rating';
  const legend = document.createElement('legend');
  legend.dataset.i18n = 'rating.question';
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.dataset.i18n = 'rating.hint';
  const buttons = document.createElement('div');
  buttons.className = 'rating-buttons';
  for (const rating of RATINGS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button rating-button';
    button.dataset.testid = `rating-${rating}`;
    button.dataset.rating = String(rating);
    const number = document.createElement('span');
    number.className = 'rating-number';
    number.textContent = String(rating);
    number.setAttribute('aria-hidden', 'true');
    const word = document.createElement('span');
    word.className = 'rating-word';
    word.dataset.i18n = `rating.${rating}`;
    button.append(number, word);
    buttons.append(button);
  }
  const thanks = document.createElement('p');
  thanks.className = 'rating-thanks';
  thanks.dataset.testid = 'rating-thanks';
  thanks.dataset.i18n = 'rating.thanks';
  thanks.setAttribute('role', 'status');
  thanks.hidden = true;
  block.append(legend, hint, buttons);
  container.prepend(block, thanks);

  const state = { conversation: null, pendingId: null };

  function setEnabled(enabled) {
    for (const button of buttons.querySelectorAll('button')) button.disabled = !enabled;
  }

  buttons.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button || !state.conversation || state.pendingId) return;
    const id = send(state.conversation, Number(button.dataset.rating));
    if (!id) return;
    state.pendingId = id;
    button.setAttribute('aria-pressed', 'true');
    setEnabled(false);
  });

  const rating = {
    // The conversation has ended: offer the rating for it.
    offer(conversation) {
      state.conversation = conversation;
      state.pendingId = null;
      for (const button of buttons.querySelectorAll('button')) {
        button.removeAttribute('aria-pressed');
      }
      setEnabled(true);
      block.hidden = false;
      thanks.hidden = true;
      catalogue().apply(block);
      catalogue().apply(thanks);
    },
    // Nothing to rate any more (a new request, a wiped kiosk).
    clear() {
      state.conversation = null;
      state.pendingId = null;
      block.hidden = true;
      thanks.hidden = true;
    },
    onRated(message) {
      if (message.conversation !== state.conversation) return;
      block.hidden = true;
      thanks.hidden = false;
      state.conversation = null;
    },
    // A refusal of our `rate` (already rated, say): the block goes, nothing more to do.
    onError(message) {
      if (!state.pendingId || message.ref !== state.pendingId) return false;
      block.hidden = true;
      state.conversation = null;
      return true;
    },
    applyTexts() {
      catalogue().apply(block);
      catalogue().apply(thanks);
    },
  };
  rating.clear();
  return rating;
}
