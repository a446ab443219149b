// The API, with URLs relative to where nsscope is mounted, so the page works behind `kubectl proxy` or the API
// server's service proxy as well as at the root. This module's URL is <root>/ui/api.js: <root> is one level up.

const ROOT = new URL('../', import.meta.url);
const TOKEN_KEY = 'nsscope.token';

/** The URL of an API path such as 'namespaces' or 'processes/42' (no leading slash: relative to the root). */
export function apiUrl(path) {
  return new URL(path, ROOT);
}

/** The API token from this tab's session storage ('' when none). */
export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

/** Keeps the token for this tab only (session storage): it is gone when the tab closes. */
export function setToken(value) {
  const t = (value || '').trim();
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** The request headers: what we accept, and the bearer token when there is one. */
export function headers(accept = 'application/json') {
  const h = { Accept: accept };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

/** An HTTP error; problem is the RFC 9457 body when the server sent one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status} for ${path}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * GETs JSON. Revalidated every time ('no-cache': the ETag makes an unchanged snapshot a 304, and the browser answers
 * from its cache). Returns {data, serverDate} where serverDate is the response's Date header in ms (or null).
 */
export async function getJson(path, { signal } = {}) {
  const response = await fetch(apiUrl(path), { headers: headers(), cache: 'no-cache', signal });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem body
    }
    throw new ApiError(response.status, problem, path);
  }
  const date = Date.parse(response.headers.get('Date') || '');
  return { data: await response.json(), serverDate: Number.isNaN(date) ? null : date };
}
