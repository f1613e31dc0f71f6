// A request for an advisor, as the client page and the clerk page send it (PROTOCOL.md,
// `request`): the language, optionally the home municipality and the other languages the person
// can use.

import { selectedAlsoSpeaks } from './language-picker.js';

// The request the form describes. Leaving `home` out means unknown: the client page then sends
// nothing about it, the clerk page lets the server use the municipality of the clerk's office.
export function requestFromForm(chosenTag, alsoSpeaksList, homeSelect) {
  const request = {
    language: chosenTag,
    also_speaks: selectedAlsoSpeaks(alsoSpeaksList, chosenTag),
  };
  if (homeSelect.value !== 'unknown') request.home = homeSelect.value;
  return request;
}

// Sends the `request`; its id, or null when it did not leave.
export function sendRequestMessage(connection, { language, home, also_speaks: alsoSpeaks }) {
  const id = connection.nextId('r');
  const message = { type: 'request', id, language };
  if (home) message.home = home;
  if (alsoSpeaks.length > 0) message.also_speaks = alsoSpeaks;
  return connection.send(message) ? id : null;
}
