// The small HTTP API of the advisor desk and the supervisor page (PROTOCOL.md, "HTTP"):
// JSON in and out, the session cookie sent along.

export async function fetchJson(url, options = {}) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    ...options,
  });
  let body = null;
  if (response.status !== 204) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  return { status: response.status, body };
}

// The sign-in form shared by the advisor desk and the supervisor page: checks the fields, posts
// them, and reports through the page's own error display. Resolves to the signed-in account, or
// null when the page should stay on the form.
export async function submitSignIn(form, { showError, clearError }) {
  clearError();
  const login = form.loginInput.value.trim();
  const password = form.passwordInput.value;
  if (login === '' || password === '') {
    showError('sign_in.missing');
    (login === '' ? form.loginInput : form.passwordInput).focus();
    return null;
  }
  form.signInButton.disabled = true;
  try {
    const { status, body } = await fetchJson('/api/sign-in', {
      method: 'POST',
      body: JSON.stringify({ login, password }),
    });
    if (status === 200) {
      form.passwordInput.value = '';
      return body?.advisor ?? null;
    }
    if (status === 429) {
      // Too many failures for this login or from this address: the server says how long.
      const seconds = Number(body?.retry_after_seconds) || 60;
      showError('sign_in.locked', { minutes: Math.ceil(seconds / 60) });
    } else if (status === 401) {
      showError('sign_in.wrong');
      form.passwordInput.select();
      form.passwordInput.focus();
    } else {
      showError('sign_in.failed');
    }
  } catch {
    showError('sign_in.failed');
  } finally {
    form.signInButton.disabled = false;
  }
  return null;
}
