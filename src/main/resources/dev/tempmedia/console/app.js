// The console's entry point: the header (app picker, clock, language), the views, the token prompt.
import * as api from './api.js';
import { t, lang, setLang, onLangChange, translatePage } from './i18n.js';
import { state, on, emit, appIdOf, selectApp, isDev, loadApps, loadClock, serverNow } from './state.js';
import { $, $$, h, notify, formatDateTime, formatOffset } from './ui.js';
import * as apps from './apps.js';
import * as media from './media.js';
import * as requests from './requests.js';
import * as messages from './messages.js';
import * as devtools from './devtools.js';

const VIEWS = { apps, media, requests, messages, dev: devtools };
let current = null;

/** Whether a view is offered: clock and faults, and the outbox, exist only in dev mode. */
function offered(name) {
  if (name === 'dev') return isDev();
  if (name === 'messages') return messages.offered();
  return Boolean(VIEWS[name]);
}

async function main() {
  setLang(lang());
  for (const button of $$('[data-lang]')) {
    button.addEventListener('click', () => setLang(button.dataset.lang));
  }
  api.onTokenNeeded(askForToken);
  $('#sign-out').addEventListener('click', () => {
    api.forgetToken();
    window.location.reload();
  });
  on('lang', () => {
    translatePage();
    renderHeader();
    renderAppPicker();
    for (const button of $$('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === lang()));
  });
  onLangChange(() => emit('lang'));
  emit('lang');

  try {
    await loadInfo();
  } catch (error) {
    showLoadError(error);
    return;
  }
  for (const [name, view] of Object.entries(VIEWS)) {
    if (!offered(name)) continue;
    view.mount($(`#view-${name}`));
  }
  // a view found missing on the server (the outbox answering 404) leaves the navigation
  on('views', () => {
    renderOffered();
    route();
  });
  $('#app-select').addEventListener('change', (event) => selectApp(event.target.value));
  on('apps', renderAppPicker);
  on('app', renderAppPicker);
  on('tick', renderHeaderClock);
  on('clock', renderHeaderClock);

  try {
    await loadApps();
  } catch (error) {
    showLoadError(error);
  }
  if (isDev()) {
    await loadClock().catch((error) => notify(error.message, 'error'));
    // the clock may also be moved from elsewhere (a test, the command line): stay in step
    setInterval(() => loadClock().catch(() => {}), 10_000);
  }
  window.addEventListener('hashchange', route);
  route();
  setInterval(() => emit('tick'), 1000);
  document.body.classList.add('ready');
}

/** The server's mode, version and products; the views read them, so they load first. */
async function loadInfo() {
  state.info = await api.get(api.INFO);
  api.usePaths(state.info.paths);
  document.body.classList.toggle('mode-dev', isDev());
  document.body.classList.toggle('mode-prod', !isDev());
  for (const el of $$('.dev-only')) el.hidden = !isDev();
  renderOffered();
  renderHeader();
}

function renderOffered() {
  for (const el of $$('.outbox-only')) el.hidden = !messages.offered();
}

function showLoadError(error) {
  const box = $('#load-error');
  box.textContent = `${t('loadFailed')} ${error.message}`;
  box.hidden = false;
}

function renderHeader() {
  const badge = $('#mode-badge');
  if (state.info) {
    badge.hidden = false;
    badge.textContent = state.info.mode === 'dev' ? t('mode.dev') : t('mode.prod');
    badge.className = `badge mode ${state.info.mode}`;
    badge.title = [state.info.version, state.info.storage && `storage: ${state.info.storage}`,
      state.info.state && `state: ${state.info.state}`].filter(Boolean).join(' · ');
  }
  $('#sign-out').hidden = !api.adminToken();
}

function renderHeaderClock() {
  if (!isDev()) return;
  const clock = $('#header-clock');
  const now = new Date(serverNow()).toISOString();
  clock.replaceChildren(h('span.label', t('serverTime')), ' ', formatDateTime(now),
    state.offsetSeconds ? ` (${formatOffset(state.offsetSeconds)})` : '');
  clock.title = `${t('serverTime')} ${now}`;
  clock.classList.toggle('moved', state.offsetSeconds !== 0);
}

function renderAppPicker() {
  const select = $('#app-select');
  select.replaceChildren(...state.apps.map((app) => h('option', { value: appIdOf(app) },
    `${t(`product.${app.product}`)} · ${appIdOf(app)}`)));
  select.value = state.appid;
  select.disabled = !state.apps.length;
}

function route() {
  const [name, query] = window.location.hash.replace(/^#/, '').split('?');
  const wanted = VIEWS[name] && offered(name) ? name : 'apps';
  if (wanted === 'requests' && query) requests.applyQuery(query);
  if (current === wanted) return;
  if (current && VIEWS[current].hide) VIEWS[current].hide();
  current = wanted;
  for (const section of $$('.view')) section.hidden = section.dataset.view !== wanted;
  for (const link of $$('#nav a')) {
    if (link.dataset.view === wanted) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (VIEWS[wanted].show) VIEWS[wanted].show();
}

/** Asks for the admin token in a modal form; answers it (the prompt cannot be dismissed). */
function askForToken(refused) {
  const dialog = $('#token-dialog');
  const form = $('#token-form');
  const input = $('#token-input');
  $('#token-refused').hidden = !refused;
  input.value = '';
  return new Promise((resolve) => {
    const cancel = (event) => event.preventDefault();
    const submit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      resolve(token);
      setTimeout(renderHeader);
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    input.focus();
  });
}

main().catch((error) => {
  console.error(error);
  showLoadError(error);
});
