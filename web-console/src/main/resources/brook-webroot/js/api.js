// The console's only way to the cluster: the documented HTTP API (web-console/HTTP-API.md), with the
// console session's cookie, and the CSRF token on every change.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : (body && body.error) || 'HTTP ' + status);
    this.status = status;
    this.error = body && body.error;
    this.body = body;
  }
}

/** The session: {principal, anonymous, readOnly, csrfToken, clusterOperations}. */
export const session = { principal: null, anonymous: true, readOnly: false, csrfToken: null, clusterOperations: null };

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrfToken) headers['x-brook-csrf'] = session.csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (notJson) { parsed = { message: text }; }
  if (!response.ok && !(response.status === 503 && path.startsWith('/api/health'))) {
    const error = new ApiError(response.status, parsed);
    if (response.status === 401 && !path.startsWith('/api/console/')) window.dispatchEvent(new CustomEvent('brook:login'));
    throw error;
  }
  return parsed;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const put = (path, body) => api('PUT', path, body ?? {});
export const del = path => api('DELETE', path);

/** Loads (or starts, when anonymous access is allowed) the console session; false when a login is needed. */
export async function loadSession() {
  try {
    Object.assign(session, await get('/api/console/session'));
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}

export async function login(user, password) {
  Object.assign(session, await post('/api/console/login', { user, password }));
}

export async function logout() {
  try { await post('/api/console/logout'); } finally {
    Object.assign(session, { principal: null, anonymous: true, csrfToken: null, clusterOperations: null });
  }
}

/** Whether the session may do `operation` given a resource's authorizedOperations (or the cluster's). */
export function can(operation, operations) {
  if (session.readOnly) return false;
  const granted = operations ?? session.clusterOperations;
  return !granted || granted.includes(operation) || granted.includes('ALL');
}

/**
 * A Server-Sent Events stream: handlers by event name; reconnects by itself (EventSource does), and
 * reports the connection state to onState(open|closed). Returns the function that closes it.
 */
export function stream(path, handlers, onState) {
  const source = new EventSource(path, { withCredentials: true });
  for (const [event, handler] of Object.entries(handlers)) {
    source.addEventListener(event, e => handler(JSON.parse(e.data)));
  }
  if (onState) {
    source.onopen = () => onState('open');
    source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  }
  return () => source.close();
}
