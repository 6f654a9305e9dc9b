// What every view shares: the server's description, the apps, the selected app, the server clock.
import * as api from './api.js';

const APP_KEY = 'tempmedia.app';

export const state = {
  info: null, // {mode, version, storage, state, products: {name: {idField, types, mediaIdLength, severalSecrets}}}
  apps: [],
  appid: localStorage.getItem(APP_KEY) || '',
  skewMs: 0, // server clock minus this browser's clock
  offsetSeconds: 0, // how far the server clock was moved (dev mode)
  secrets: new Map(), // secrets of apps created on this page, for its snippets; never stored
};

/** The products the server knows, as its /info describes them (loaded before any view mounts). */
export const products = () => Object.keys((state.info && state.info.products) || {});

/** The media types a product accepts, from the server's rule book. */
export const typesOf = (product) => ((state.info && state.info.products[product]) || { types: [] }).types;

const listeners = new Map();

export function on(event, listener) {
  if (!listeners.has(event)) listeners.set(event, []);
  listeners.get(event).push(listener);
}

export function emit(event, data) {
  for (const listener of listeners.get(event) || []) {
    try {
      listener(data);
    } catch (e) {
      console.error(e);
    }
  }
}

/** An app's id, under the field its product names it by (appid, or corpid). */
export const appIdOf = (app) => app[state.info.products[app.product].idField];

/** The secret the page may show: a well-known app's, or one created here in this tab. */
export function secretOf(app) {
  return app.secret || (app.secrets && app.secrets[0]) || state.secrets.get(appIdOf(app)) || '';
}

export function selectedApp() {
  return state.apps.find((app) => appIdOf(app) === state.appid) || null;
}

export function selectApp(appid) {
  if (appid === state.appid) return;
  state.appid = appid;
  localStorage.setItem(APP_KEY, appid);
  emit('app', appid);
}

export const isDev = () => Boolean(state.info && state.info.mode === 'dev');

/** Now on the server's clock, in epoch milliseconds. */
export const serverNow = () => Date.now() + state.skewMs;

const SOURCES = ['well-known', 'config', 'created'];

/** Well-known apps first, then configured, then created; by product, then id: the same order every time. */
function sortApps(apps) {
  const rank = (list, value) => (list.indexOf(value) + list.length + 1) % (list.length + 1);
  return [...apps].sort((a, b) => rank(SOURCES, a.source) - rank(SOURCES, b.source)
    || rank(products(), a.product) - rank(products(), b.product)
    || appIdOf(a).localeCompare(appIdOf(b)));
}

export async function loadApps() {
  const answer = await api.get(api.pathOf('apps'));
  state.apps = sortApps((answer && answer.apps) || []);
  if (!selectedApp() && state.apps.length) {
    state.appid = '';
    selectApp(appIdOf(state.apps[0]));
  }
  emit('apps', state.apps);
}

/** Reads the server clock (dev mode): its offset, and its distance from this browser's clock. */
export async function loadClock() {
  const sent = Date.now();
  const clock = await api.get(api.pathOf('clock'));
  setClock(clock, sent);
}

export function setClock(clock, sentAt = Date.now()) {
  const received = Date.now();
  const serverMs = Date.parse(clock.now);
  if (!Number.isNaN(serverMs)) state.skewMs = serverMs - (sentAt + received) / 2;
  state.offsetSeconds = clock.offsetSeconds || 0;
  emit('clock', clock);
}
