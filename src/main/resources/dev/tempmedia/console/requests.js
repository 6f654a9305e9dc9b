// Requests inspector: the server's recent requests, newest first, polled every second while shown;
// every error row carries its errcode, errmsg and the plain-words diagnosis.
import * as api from './api.js';
import { t } from './i18n.js';
import { state, on, appIdOf } from './state.js';
import { h, notify, formatBytes, formatTime, formatDateTime } from './ui.js';

const POLL_MS = 1000;
const LIMIT = 200;

let filters;
let liveBox;
let tbody;
let status;
let appList;
let timer = null;
let inFlight = false;
let lastBody = '';
let lastError = '';

export function mount(section) {
  filters = {
    appid: h('input#filter-appid', { type: 'search', list: 'filter-appid-list', i18nPlaceholder: 'requests.anyApp', autocomplete: 'off' }),
    errcode: h('input#filter-errcode', { type: 'search', inputmode: 'numeric', i18nPlaceholder: 'requests.anyErrcode', autocomplete: 'off' }),
    rid: h('input#filter-rid', { type: 'search', i18nPlaceholder: 'requests.anyRid', autocomplete: 'off' }),
  };
  appList = h('datalist#filter-appid-list');
  for (const input of Object.values(filters)) {
    input.addEventListener('input', () => poll(true));
  }
  liveBox = h('input#requests-live', { type: 'checkbox', checked: true });
  liveBox.addEventListener('change', () => (liveBox.checked ? start() : stop()));
  tbody = h('tbody');
  status = h('span#requests-status.muted');

  section.append(h('div.card',
    h('div.card-head',
      h('h2', { i18n: 'requests.title' }),
      h('div.head-tools',
        status,
        h('label.switch', liveBox, h('span', { i18n: 'requests.live' })),
        h('button.ghost.small', { type: 'button', i18n: 'refresh', onclick: () => poll(true) }))),
    h('form.filters', { onsubmit: (event) => event.preventDefault() },
      h('label', h('span', { i18n: 'requests.appid' }), filters.appid),
      h('label', h('span', { i18n: 'requests.errcode' }), filters.errcode),
      h('label', h('span', { i18n: 'requests.rid' }), filters.rid),
      h('button.ghost.small', { type: 'button', i18n: 'requests.clearFilters', onclick: clearFilters }),
      appList),
    h('div.table-wrap',
      h('table#requests-table.data.requests',
        h('thead', h('tr',
          h('th', { i18n: 'requests.time' }), h('th', { i18n: 'requests.method' }), h('th', { i18n: 'requests.path' }),
          h('th', { i18n: 'requests.appid' }), h('th.num', { i18n: 'requests.status' }),
          h('th.num', { i18n: 'requests.errcode' }), h('th.num', { i18n: 'requests.duration' }),
          h('th.num', { i18n: 'requests.bytes' }), h('th', { i18n: 'requests.rid' }))),
        tbody))));

  on('apps', () => appList.replaceChildren(...state.apps.map((app) => h('option', { value: appIdOf(app) }))));
  on('lang', () => {
    lastBody = '';
    poll(true);
  });
}

/** Sets filters from the address (#requests?rid=…). */
export function applyQuery(query) {
  const params = new URLSearchParams(query || '');
  for (const [name, input] of Object.entries(filters)) {
    if (params.has(name)) input.value = params.get(name);
  }
}

export function show() {
  poll(true);
  if (liveBox.checked) start();
}

export function hide() {
  stop();
}

function start() {
  stop();
  timer = setInterval(() => poll(false), POLL_MS);
}

function stop() {
  clearInterval(timer);
  timer = null;
}

function clearFilters() {
  for (const input of Object.values(filters)) input.value = '';
  poll(true);
}

function query() {
  const params = new URLSearchParams();
  for (const [name, input] of Object.entries(filters)) {
    const value = input.value.trim();
    if (value) params.set(name, value);
  }
  params.set('limit', String(LIMIT));
  return params.toString();
}

async function poll(force) {
  if (inFlight && !force) return;
  inFlight = true;
  const asked = query();
  try {
    const answer = await api.get(`${api.pathOf('requests')}?${asked}`);
    if (asked !== query()) return; // the filters changed meanwhile; a newer poll shows them
    const requests = (answer && answer.requests) || [];
    const body = JSON.stringify(requests);
    lastError = '';
    status.textContent = t('requests.count', { n: requests.length });
    if (body === lastBody) return; // nothing new: leave the table (and any selection in it) alone
    lastBody = body;
    render(requests);
  } catch (error) {
    if (error.message !== lastError) notify(error.message, 'error');
    lastError = error.message;
  } finally {
    inFlight = false;
  }
}

function formatDuration(ms) {
  if (typeof ms !== 'number') return '';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function isError(request) {
  return (request.errcode !== null && request.errcode !== undefined && request.errcode !== 0)
    || (request.status || 0) >= 400;
}

function render(requests) {
  const rows = [];
  for (const request of requests) {
    const error = isError(request);
    rows.push(h('tr', { class: error ? 'error' : '', dataset: { rid: request.rid || '' } },
      h('td', { title: formatDateTime(request.time) }, formatTime(request.time)),
      h('td', h('span.method', request.method || '')),
      h('td', h('code.path', { title: request.path || '' }, request.path || '')),
      h('td', request.appid ? h('code', request.appid) : ''),
      h('td.num', String(request.status ?? '')),
      h('td.num', request.errcode ? h('span.errcode', String(request.errcode)) : ''),
      h('td.num', formatDuration(request.durationMs)),
      h('td.num.muted', `${formatBytes(request.bytesIn || 0)} / ${formatBytes(request.bytesOut || 0)}`),
      h('td', request.rid
        ? h('button.link.rid', { type: 'button', title: t('requests.filterRid'), onclick: () => { filters.rid.value = request.rid; poll(true); } }, request.rid)
        : '')));
    if (error && (request.errmsg || request.diagnosis)) {
      rows.push(h('tr.diagnosis-row', { dataset: { rid: request.rid || '' } },
        h('td', { colspan: 9 },
          h('div.errline', request.errcode ? h('span.errcode', String(request.errcode)) : null, ' ', h('span.errmsg', request.errmsg || '')),
          request.diagnosis ? h('p.diagnosis', request.diagnosis) : null)));
    }
  }
  if (!rows.length) rows.push(h('tr', h('td.empty', { colspan: 9 }, t('requests.none'))));
  tbody.replaceChildren(...rows);
}
