// Media: upload by drag and drop or file picker, and the selected app's live media with players,
// expiry countdowns, download and purge.
import * as api from './api.js';
import { t } from './i18n.js';
import { state, on, selectedApp, appIdOf, serverNow, typesOf } from './state.js';
import { h, copyButton, confirmButton, notify, formatBytes, formatRemaining, formatDateTime } from './ui.js';

const REFRESH_MS = 5000;

let appLabel;
let typeSelect;
let dropZone;
let fileInput;
let progress;
let progressText;
let resultBox;
let grid;
let emptyNote;
let countLabel;
let timer = null;
let visible = false;
let loading = false;
let expirySeen = false;
/** mediaId → {card, blobUrls} for the cards on screen: kept across refreshes so players keep playing. */
const cards = new Map();
let shownApp = '';

export function mount(section) {
  appLabel = h('span.app-label');
  typeSelect = h('select#upload-type', { name: 'type' });
  fileInput = h('input#upload-file.visually-hidden', { type: 'file', name: 'media', multiple: true });
  fileInput.addEventListener('change', () => {
    const files = [...fileInput.files];
    fileInput.value = '';
    uploadAll(files);
  });
  dropZone = h('label.dropzone#upload-drop', { for: 'upload-file' },
    h('span.drop-icon', { 'aria-hidden': 'true' }, '⇪'),
    h('span.drop-text', { i18n: 'upload.drop' }),
    h('span.drop-or', h('span.link', { i18n: 'upload.choose' })),
    fileInput);
  for (const name of ['dragenter', 'dragover']) {
    dropZone.addEventListener(name, (event) => {
      event.preventDefault();
      dropZone.classList.add('over');
    });
  }
  for (const name of ['dragleave', 'drop']) {
    dropZone.addEventListener(name, () => dropZone.classList.remove('over'));
  }
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    uploadAll([...event.dataTransfer.files]);
  });
  progress = h('progress#upload-progress', { max: 1, value: 0, hidden: true });
  progressText = h('span#upload-percent.muted');
  resultBox = h('div#upload-result');
  grid = h('div#media-list.media-grid');
  emptyNote = h('p#media-empty.empty', { hidden: true });
  countLabel = h('span#media-count.muted');

  section.append(
    h('div.card.upload-card',
      h('div.card-head', h('h2', { i18n: 'upload.title' }), appLabel),
      h('div.upload-row',
        h('label', h('span', { i18n: 'upload.type' }), typeSelect),
        dropZone),
      h('div.progress-row', progress, progressText),
      resultBox),
    h('div.card',
      h('div.card-head',
        h('h2', h('span', { i18n: 'media.title' }), ' ', countLabel),
        h('button.ghost.small', { type: 'button', i18n: 'refresh', onclick: () => refresh() })),
      grid,
      emptyNote));

  // only a shown list is loaded: in prod every preview is a download made with the token
  on('apps', () => { renderTypes(); if (visible) refresh(); });
  on('app', () => {
    renderTypes();
    uploadStatus = null;
    progress.hidden = true;
    setResult(() => []);
    if (visible) refresh();
  });
  on('clock', () => { if (visible) refresh(); });
  on('tick', tick);
  on('lang', () => {
    renderTypes();
    renderUpload();
    for (const { card, item } of cards.values()) card.replaceWith(rebuild(item));
    renderCount();
  });
  renderTypes();
}

export function show() {
  visible = true;
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

export function hide() {
  visible = false;
  clearInterval(timer);
}

function renderTypes() {
  const app = selectedApp();
  appLabel.textContent = app ? `${t(`product.${app.product}`)} · ${appIdOf(app)}` : '';
  const types = app ? typesOf(app.product) : [];
  const current = typeSelect.value;
  typeSelect.replaceChildren(...types.map((type) => h('option', { value: type }, t(`type.${type}`))));
  if (types.includes(current)) typeSelect.value = current;
}

async function uploadAll(files) {
  for (const file of files) {
    // one after another: each keeps the progress bar to itself
    await uploadOne(file);
  }
}

/** What the upload box shows: kept as data so that a language switch can show it again. */
let uploadStatus = null; // {name, fraction, outcome: 'done'|'refused'|'failed'|null}
let showResult = () => [];

function renderUpload() {
  if (uploadStatus) {
    const { name, fraction, outcome } = uploadStatus;
    progressText.textContent = `${name} · ${outcome ? t(`upload.${outcome}`) : `${Math.round(fraction * 100)}%`}`;
  } else {
    progressText.textContent = '';
  }
  resultBox.replaceChildren(...[].concat(showResult()));
}

function setResult(render) {
  showResult = render;
  renderUpload();
}

async function uploadOne(file) {
  const app = selectedApp();
  if (!app) {
    notify(t('apps.pickOne'), 'error');
    return;
  }
  const appid = appIdOf(app);
  const type = typeSelect.value;
  progress.hidden = false;
  progress.value = 0;
  uploadStatus = { name: file.name, fraction: 0, outcome: null };
  setResult(() => []);
  try {
    const answer = await api.upload(appid, type, file, (fraction) => {
      progress.value = fraction;
      uploadStatus.fraction = fraction;
      renderUpload();
    });
    progress.value = 1;
    if (answer.errcode) {
      uploadStatus.outcome = 'refused';
      await showRefusal(answer);
    } else {
      uploadStatus.outcome = 'done';
      const mediaId = answer.media_id || answer.thumb_media_id;
      const uploadedType = answer.type || type;
      setResult(() => h('div.callout.success.upload-ok',
        h('div', h('strong', t('upload.ok', { type: t(`type.${uploadedType}`) }))),
        h('div.id-line', h('span.muted', 'media_id '), h('code#upload-media-id', mediaId), ' ', copyButton(mediaId))));
      await refresh();
    }
  } catch (error) {
    uploadStatus.outcome = 'failed';
    if (error.body && error.body.errcode) {
      await showRefusal(error.body);
    } else {
      setResult(() => h('div.callout.error', error.message));
    }
  }
}

/** WeChat's refusal, with the plain-words diagnosis the request log has for its rid. */
async function showRefusal(answer) {
  let diagnosis = answer.diagnosis || '';
  const rid = ridOf(answer.errmsg);
  if (!diagnosis && rid) {
    try {
      const found = await api.get(api.pathOf('requests', {}, { rid, limit: 1 }));
      diagnosis = (found && found.requests && found.requests[0] && found.requests[0].diagnosis) || '';
    } catch {
      // the answer itself is still shown
    }
  }
  setResult(() => h('div.callout.error.upload-refused',
    h('div.errline', h('span.errcode', String(answer.errcode)), ' ', h('span.errmsg', answer.errmsg || '')),
    diagnosis ? h('p.diagnosis', diagnosis) : null,
    rid ? h('p.muted.small', h('a', { href: `#requests?rid=${encodeURIComponent(rid)}` }, t('upload.seeRequest'))) : null));
}

export function ridOf(errmsg) {
  const match = /rid:\s*([\w-]+)/.exec(errmsg || '');
  return match ? match[1] : '';
}

async function refresh() {
  const app = selectedApp();
  if (!app) {
    clear();
    return;
  }
  if (loading) return;
  loading = true;
  const appid = appIdOf(app);
  try {
    const answer = await api.get(api.pathOf('media', {}, { appid }));
    if (appid !== state.appid) return; // the selection moved on meanwhile
    if (shownApp !== appid) {
      clear();
      shownApp = appid;
    }
    render((answer && answer.media) || [], appid);
  } catch (error) {
    notify(error.message, 'error');
  } finally {
    loading = false;
  }
}

function clear() {
  for (const entry of cards.values()) drop(entry);
  cards.clear();
  grid.replaceChildren();
  renderCount();
}

function drop(entry) {
  entry.card.remove();
  for (const url of entry.blobUrls) URL.revokeObjectURL(url);
}

function render(items, appid) {
  const sorted = [...items].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt))
    || String(a.mediaId).localeCompare(String(b.mediaId)));
  const wanted = new Set(sorted.map((item) => item.mediaId));
  for (const [id, entry] of cards) {
    if (!wanted.has(id)) {
      drop(entry);
      cards.delete(id);
    }
  }
  // Cards already shown keep their places (a moved <audio> would stop); new ones go in between.
  let previous = null;
  for (const item of sorted) {
    let entry = cards.get(item.mediaId);
    if (!entry) {
      entry = { item, appid, blobUrls: [], card: null };
      entry.card = build(entry);
      cards.set(item.mediaId, entry);
    }
    const { card } = entry;
    if (previous ? previous.nextElementSibling !== card : grid.firstElementChild !== card) {
      if (previous) previous.after(card);
      else grid.prepend(card);
    }
    previous = card;
  }
  expirySeen = false;
  renderCount();
  tick();
}

function renderCount() {
  countLabel.textContent = cards.size ? `(${cards.size})` : '';
  emptyNote.hidden = cards.size > 0;
  emptyNote.textContent = selectedApp() ? t('media.empty') : t('apps.pickOne');
}

function rebuild(item) {
  const entry = cards.get(item.mediaId);
  for (const url of entry.blobUrls) URL.revokeObjectURL(url);
  entry.blobUrls = [];
  entry.card = build(entry);
  return entry.card;
}

function kindOf(item) {
  const type = String(item.contentType || '');
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'file';
}

function build(entry) {
  const { item, appid } = entry;
  const kind = kindOf(item);
  const preview = h('div.preview.preview-' + kind);
  const direct = api.mediaPath(appid, item.mediaId);
  const filename = item.filename || item.mediaId;
  const download = h('a.button.small.download', { href: direct, download: filename }, t('media.download'));

  if (api.needsBlobUrls()) {
    // with an admin token the browser cannot load the plain URL: fetch with the header, show a blob: URL
    download.addEventListener('click', async (event) => {
      if (download.dataset.ready) return;
      event.preventDefault();
      try {
        const url = await api.mediaBlobUrl(appid, item.mediaId);
        entry.blobUrls.push(url);
        download.href = url;
        download.dataset.ready = '1';
        download.click();
      } catch (error) {
        notify(error.message, 'error');
      }
    });
  }

  const source = (apply) => {
    if (!api.needsBlobUrls()) {
      apply(direct);
      return;
    }
    api.mediaBlobUrl(appid, item.mediaId).then((url) => {
      entry.blobUrls.push(url);
      apply(url);
    }, (error) => preview.append(h('p.muted.small', error.message)));
  };

  if (kind === 'image') {
    const img = h('img.preview-image', { alt: filename, loading: 'lazy', decoding: 'async' });
    source((url) => { img.src = url; });
    preview.append(img);
  } else if (kind === 'video') {
    const video = h('video', { controls: true, preload: 'metadata' });
    source((url) => { video.src = url; });
    preview.append(video);
  } else if (kind === 'audio') {
    const playable = document.createElement('audio').canPlayType(item.contentType) !== '';
    if (playable) {
      const audio = h('audio', { controls: true, preload: 'metadata' });
      source((url) => { audio.src = url; });
      preview.append(h('span.big-icon', { 'aria-hidden': 'true' }, '♪'), audio);
    } else {
      preview.append(h('span.big-icon', { 'aria-hidden': 'true' }, '♪'),
        h('p.muted.small', t('media.notPlayable', { type: item.contentType })));
    }
  } else {
    preview.append(h('span.big-icon', { 'aria-hidden': 'true' }, '▤'));
  }

  const countdown = h('span.countdown', { dataset: { expires: item.expiresAt } });
  return h('article.media-card', { dataset: { mediaId: item.mediaId, type: item.type } },
    preview,
    h('div.meta',
      h('div.filename', { title: filename }, filename),
      h('div.facts',
        h('span.badge', t(`type.${item.type}`)),
        h('span.muted', item.contentType || ''),
        h('span.size', formatBytes(item.size))),
      h('div.expiry', { title: `${t('media.expiresAt')} ${formatDateTime(item.expiresAt)}` },
        h('span.muted', t('media.expiresIn')), ' ', countdown),
      h('div.id-line', h('code.media-id', { title: item.mediaId }, item.mediaId), copyButton(item.mediaId))),
    h('div.card-actions',
      download,
      confirmButton(t('media.purge'), t('confirmPurge'), () => purge(appid, item.mediaId), '.purge')));
}

async function purge(appid, mediaId) {
  try {
    await api.del(api.pathOf('mediaItem', { mediaId }, { appid }));
    notify(t('media.purged'));
    const entry = cards.get(mediaId);
    if (entry) {
      drop(entry);
      cards.delete(mediaId);
      renderCount();
    }
  } catch (error) {
    notify(error.message, 'error');
  }
}

function tick() {
  if (!cards.size) return;
  const now = serverNow();
  let expired = false;
  for (const { card, item } of cards.values()) {
    const remaining = Date.parse(item.expiresAt) - now;
    const countdown = card.querySelector('.countdown');
    countdown.textContent = formatRemaining(remaining);
    card.classList.toggle('expired', remaining <= 0);
    card.classList.toggle('expiring', remaining > 0 && remaining < 3600_000);
    if (remaining <= 0) expired = true;
  }
  if (expired && !expirySeen && visible) {
    // the server no longer lists what has expired: let the list catch up once
    expirySeen = true;
    setTimeout(refresh, 1000);
  }
}
