// The session of a signed-in account (advisor desk, supervisor page, clerk page): asking the
// server who is signed in, and signing out.

import { fetchJson } from './api.js';

// The signed-in account from /api/session, or null when there is none or no answer.
export async function sessionAccount() {
  try {
    const { status, body } = await fetchJson('/api/session');
    if (status === 200 && body?.advisor) return body.advisor;
  } catch {
    // No answer: the page offers the form; signing in will tell what is wrong.
  }
  return null;
}

export async function endSession() {
  try {
    await fetchJson('/api/sign-out', { method: 'POST', body: '{}' });
  } catch {
    // The session ends on the server when it expires; the page forgets it now anyway.
  }
}
