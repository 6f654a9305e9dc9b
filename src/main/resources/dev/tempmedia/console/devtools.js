// Dev mode only: the server clock (move it to watch tokens and media expire) and injected faults.
import * as api from './api.js';
import { t } from './i18n.js';
import { state, on, setClock, serverNow, appIdOf, products, typesOf } from './state.js';
import { h, notify, formatOffset, formatDateTime } from './ui.js';


let nowLabel;
let offsetLabel;
let durationInput;
let faultForm;
let faultBody;
let timer = null;

export function mount(section) {
  nowLabel = h('div#clock-now.clock-now');
  offsetLabel = h('span#clock-offset');
  durationInput = h('input#clock-duration', { type: 'text', placeholder: 'PT90M', spellcheck: 'false', autocomplete: 'off' });

  const advanceButton = (duration, label) => h('button', {
    type: 'button', id: `clock-advance-${duration.toLowerCase()}`, onclick: () => changeClock({ advance: duration }),
  }, label);

  faultForm = {
    path: h('input#fault-path', { type: 'text', list: 'fault-paths', value: api.pathOf('mediaUpload'), required: true, spellcheck: 'false' }),
    errcode: h('input#fault-errcode', { type: 'number', step: 1, placeholder: '-1' }),
    times: h('input#fault-times', { type: 'number', min: 1, step: 1, placeholder: '∞' }),
    probability: h('input#fault-probability', { type: 'number', min: 0, max: 1, step: 0.05, placeholder: '1' }),
    latencyMs: h('input#fault-latency', { type: 'number', min: 0, step: 100, placeholder: '0' }),
    drop: h('input#fault-drop', { type: 'checkbox' }),
    type: h('select#fault-type', h('option', { value: '', i18n: 'faults.anyType' }),
      [...new Set(products().flatMap(typesOf))].map((type) => h('option', { value: type, i18n: `type.${type}` }))),
    appid: h('input#fault-appid', { type: 'text', list: 'fault-apps', i18nPlaceholder: 'faults.anyApp', spellcheck: 'false' }),
  };
  const appOptions = h('datalist#fault-apps');
  faultBody = h('tbody');

  section.append(h('div.columns',
    h('div.card.clock-card',
      h('div.card-head', h('h2', { i18n: 'clock.title' })),
      h('p.hint', { i18n: 'clock.hint' }),
      nowLabel,
      h('div.muted', h('span', { i18n: 'clock.offset' }), ' ', offsetLabel),
      h('div.button-row',
        advanceButton('PT1H', '+1h'), advanceButton('P1D', '+1d'), advanceButton('P3D', '+3d'),
        h('button.ghost#clock-reset', { type: 'button', i18n: 'clock.reset', onclick: () => changeClock({ reset: true }) })),
      h('form#clock-custom.inline', {
        onsubmit: (event) => {
          event.preventDefault();
          const value = durationInput.value.trim().toUpperCase();
          if (value) changeClock({ advance: value });
        },
      },
      h('label', h('span', { i18n: 'clock.custom' }), durationInput),
      h('button.primary', { type: 'submit', i18n: 'clock.advance' })),
      h('p.hint.small', { i18n: 'clock.durationHint' })),
    h('div.card.wide',
      h('div.card-head', h('h2', { i18n: 'faults.title' }),
        h('button.ghost.small.danger#faults-clear', { type: 'button', i18n: 'faults.clear', onclick: clearFaults })),
      h('p.hint', { i18n: 'faults.hint' }),
      h('form#fault-form.fault-form', { onsubmit: addFault },
        field('faults.path', faultForm.path, 'wide-field'),
        field('faults.errcode', faultForm.errcode),
        field('faults.times', faultForm.times),
        field('faults.probability', faultForm.probability),
        field('faults.latency', faultForm.latencyMs),
        field('faults.appid', faultForm.appid),
        field('faults.type', faultForm.type),
        h('label.check', faultForm.drop, h('span', { i18n: 'faults.drop' })),
        h('button.primary', { type: 'submit', i18n: 'faults.add' }),
        h('datalist#fault-paths', state.info.wechatPaths.map((path) => h('option', { value: path }))),
        appOptions),
      h('div.table-wrap',
        h('table#faults-table.data',
          h('thead', h('tr',
            h('th', { i18n: 'faults.path' }), h('th', { i18n: 'faults.appid' }), h('th', { i18n: 'faults.type' }),
            h('th.num', { i18n: 'faults.errcode' }),
            h('th.num', { i18n: 'faults.latency' }), h('th', { i18n: 'faults.drop' }), h('th.num', { i18n: 'faults.times' }),
            h('th.num', { i18n: 'faults.probability' }), h('th.num', { i18n: 'faults.fired' }))),
          faultBody)))));

  on('apps', () => appOptions.replaceChildren(...state.apps.map((app) => h('option', { value: appIdOf(app) }))));
  on('tick', renderClock);
  on('clock', renderClock);
  on('lang', renderClock);
}

function field(key, input, extra = '') {
  return h('label' + (extra ? `.${extra}` : ''), h('span', { i18n: key }), input);
}

export function show() {
  loadFaults();
  timer = setInterval(loadFaults, 2000);
}

export function hide() {
  clearInterval(timer);
}

function renderClock() {
  nowLabel.textContent = formatDateTime(new Date(serverNow()).toISOString());
  nowLabel.title = new Date(serverNow()).toISOString();
  offsetLabel.textContent = formatOffset(state.offsetSeconds);
  offsetLabel.classList.toggle('moved', state.offsetSeconds !== 0);
}

async function changeClock(body) {
  try {
    const sent = Date.now();
    const clock = await api.post(api.pathOf('clock'), body);
    setClock(clock, sent);
    notify(t('clock.moved', { offset: formatOffset(state.offsetSeconds) }));
  } catch (error) {
    notify(error.message, 'error');
  }
}

async function addFault(event) {
  event.preventDefault();
  const rule = { path: faultForm.path.value.trim() };
  const number = (input, parse) => {
    const text = input.value.trim();
    return text === '' ? undefined : parse(text);
  };
  const values = {
    errcode: number(faultForm.errcode, (v) => parseInt(v, 10)),
    times: number(faultForm.times, (v) => parseInt(v, 10)),
    probability: number(faultForm.probability, parseFloat),
    latencyMs: number(faultForm.latencyMs, (v) => parseInt(v, 10)),
  };
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && !Number.isNaN(value)) rule[key] = value;
  }
  if (faultForm.drop.checked) rule.drop = true;
  if (faultForm.appid.value.trim()) rule.appid = faultForm.appid.value.trim();
  if (faultForm.type.value) rule.type = faultForm.type.value;
  try {
    const created = await api.post(api.pathOf('faults'), rule);
    notify(t('faults.added', { id: created && created.id ? created.id : '' }));
    await loadFaults();
  } catch (error) {
    notify(error.message, 'error');
  }
}

async function clearFaults() {
  try {
    await api.del(api.pathOf('faults'));
    notify(t('faults.cleared'));
    await loadFaults();
  } catch (error) {
    notify(error.message, 'error');
  }
}

async function loadFaults() {
  try {
    const answer = await api.get(api.pathOf('faults'));
    renderFaults((answer && answer.faults) || []);
  } catch (error) {
    faultBody.replaceChildren(h('tr', h('td.empty', { colspan: 9 }, error.message)));
  }
}

function renderFaults(faults) {
  const dash = '—';
  const show = (value) => (value === null || value === undefined ? dash : String(value));
  faultBody.replaceChildren(...faults.map((fault) => h('tr', { dataset: { id: fault.id || '' } },
    h('td', h('code', fault.path || '')),
    h('td', fault.appid ? h('code', fault.appid) : h('span.muted', t('faults.anyApp'))),
    h('td', fault.type ? t(`type.${fault.type}`) : h('span.muted', t('faults.anyType'))),
    h('td.num', show(fault.errcode)),
    h('td.num', fault.latencyMs ? `${fault.latencyMs} ms` : dash),
    h('td', fault.drop ? t('yes') : dash),
    h('td.num', fault.times === null || fault.times === undefined ? '∞' : String(fault.times)),
    h('td.num', show(fault.probability)),
    h('td.num', show(fault.fired)))));
  if (!faults.length) faultBody.append(h('tr', h('td.empty', { colspan: 9 }, t('faults.none'))));
}
