// Calls to the platform's functions: JSON in, JSON out, and an error that carries the
// problem+json detail the function wrote (it says what is wrong and what to do).
export async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new Error((data && data.detail) || `${url} answered ${response.status}`);
    error.status = response.status;
    error.body = data;
    throw error;
  }
  return data;
}

// The faces' settings, served by routing beside the pages.
export async function facesConfig() {
  const response = await fetch('/faces/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`the page settings (/faces/config.json) answered ${response.status}`);
  }
  return response.json();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Retries while the platform says "not yet" (an event still on its way), within a bound.
export async function whenReady(attempt, { tries = 20, delayMs = 750, notYet = (e) => e.status === 409 } = {}) {
  for (let i = 1; ; i++) {
    try {
      const value = await attempt();
      if (value !== undefined && value !== null) {
        return value;
      }
    } catch (e) {
      if (!notYet(e) || i >= tries) {
        throw e;
      }
    }
    if (i >= tries) {
      throw new Error('the platform did not have it ready in time; try again');
    }
    await sleep(delayMs);
  }
}

export function randomId(prefix) {
  const part = globalThis.crypto && crypto.randomUUID ? crypto.randomUUID().slice(0, 8)
    : Math.random().toString(16).slice(2, 10);
  return `${prefix}${part}`;
}

// A token of the development issuer (bin/meshdesk-up starts it; /faces/config.json names it).
// In a cluster the identity provider signs the pages in instead and devIssuerUrl is null. The
// pages never ask for a tier: premium comes from a real identity, not from what a page sends.
export async function devToken(config, group, sub) {
  if (!config.devIssuerUrl) {
    throw new Error('this deployment signs in through its identity provider; there is no development issuer');
  }
  const { access_token: token } = await postJson(`${config.devIssuerUrl}/token`, { sub, group });
  return token;
}

export const bearer = (token) => ({ authorization: `Bearer ${token}` });
