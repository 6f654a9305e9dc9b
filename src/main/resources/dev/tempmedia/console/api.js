// The operator API (the server's /info names its paths). In prod mode every call needs the admin token: the first call
// that answers 401 asks for it (once, however many calls were waiting), keeps it for this browser
// tab in sessionStorage, and every call after that sends it.

// The one path the page knows by itself: /info names every other (the server's route tables).
export const INFO = '/_tempmedia/info';
let paths = {};

/** Takes up the paths /info published: name → pattern with {placeholders}. */
export function usePaths(published) {
  paths = published;
}

/** Whether the server published a path named `name` (a server without an outbox may not). */
export const hasPath = (name) => Boolean(paths[name]);

/** The path named `name`, its {placeholders} filled from `params` (encoded), `query` appended. */
export function pathOf(name, params = {}, query = {}) {
  const pattern = paths[name];
  if (!pattern) throw new Error(`the server published no path named ${name}`);
  const path = pattern.replace(/\{(\w+)\}/g, (_, key) => encodeURIComponent(params[key]));
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}
const TOKEN_KEY = 'tempmedia.adminToken';

let promptForToken = async () => null;
let pendingPrompt = null;

/** The page's way to ask for the token: (wasRefused: boolean) => Promise<string|null>. */
export function onTokenNeeded(prompt) {
  promptForToken = prompt;
}

export function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

function authHeaders() {
  const token = adminToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** After a 401 for `usedToken`: whether to try again (a token is now there) or give up. */
async function tokenAfterRefusal(usedToken) {
  if (adminToken() && adminToken() !== usedToken) {
    return true; // another call already got a new one
  }
  if (!pendingPrompt) {
    pendingPrompt = promptForToken(Boolean(usedToken)).then((token) => {
      pendingPrompt = null;
      if (token) sessionStorage.setItem(TOKEN_KEY, token.trim());
      return Boolean(token);
    });
  }
  return pendingPrompt;
}

function parse(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/**
 * A JSON call; answers the parsed body, throws ApiError for any status but 2xx. `options.signal`
 * (an AbortSignal) ends a call that is still waiting, such as a long poll.
 */
export async function call(method, path, body, options = {}) {
  for (;;) {
    const usedToken = adminToken();
    const init = { method, headers: authHeaders(), cache: 'no-store', signal: options.signal };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (response.status === 401 && (await tokenAfterRefusal(usedToken))) continue;
    const text = await response.text();
    const json = parse(text);
    if (!response.ok) {
      throw new ApiError(response.status, (json && json.error) || text || `HTTP ${response.status}`, json);
    }
    return json;
  }
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const del = (path) => call('DELETE', path);

/** A stored object's own URL: usable directly as long as no token is needed. */
export function mediaPath(appid, mediaId) {
  return pathOf('mediaItem', { mediaId }, { appid });
}

/** Whether media must be fetched with the token header (and shown through blob: URLs). */
export function needsBlobUrls() {
  return Boolean(adminToken());
}

/** The bytes of a media object as a blob: URL (the caller revokes it). */
export async function mediaBlobUrl(appid, mediaId) {
  for (;;) {
    const usedToken = adminToken();
    const response = await fetch(mediaPath(appid, mediaId), { headers: authHeaders(), cache: 'no-store' });
    if (response.status === 401 && (await tokenAfterRefusal(usedToken))) continue;
    if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status}`);
    return URL.createObjectURL(await response.blob());
  }
}

/**
 * Uploads a file as the form field `media` with XMLHttpRequest (fetch reports no upload progress).
 * onProgress gets a fraction 0…1; answers the parsed WeChat answer.
 */
export function upload(appid, type, file, onProgress) {
  const path = pathOf('media', {}, { appid, type });
  const once = (usedToken) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (usedToken) xhr.setRequestHeader('Authorization', `Bearer ${usedToken}`);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => resolve({ status: xhr.status, text: xhr.responseText }));
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network error')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted')));
    const form = new FormData();
    form.append('media', file, file.name);
    xhr.send(form);
  });
  return (async () => {
    for (;;) {
      const usedToken = adminToken();
      const { status, text } = await once(usedToken);
      if (status === 401 && (await tokenAfterRefusal(usedToken))) continue;
      const json = parse(text);
      if (status < 200 || status >= 300 || !json) {
        throw new ApiError(status, (json && (json.error || json.errmsg)) || text || `HTTP ${status}`, json);
      }
      return json;
    }
  })();
}
