// Messages (dev mode): the selected app's outbox as the conversation its users would see, newest at
// the bottom, kept up to date by the outbox's long poll; beside it the app's sends the server refused,
// from the request inspector, each with its errcode, errmsg and diagnosis.
import * as api from './api.js';
import { t } from './i18n.js';
import { state, on, emit, selectedApp, appIdOf, isDev } from './state.js';
import { h, notify, confirmButton, formatBytes, formatTime, formatDateTime } from './ui.js';

/** How long one long poll is held (the server holds at most 30 s). */
const WAIT = 'PT25S';
const LIMIT = 100;
/** The most bubbles kept on screen: the oldest go first. */
const KEEP = 300;
/** The inspector has no long poll: its refusals are read this often while the view is shown. */
const REFUSALS_MS = 5000;
const RETRY_MS = 5000;
const REQUESTS_LIMIT = 200;

let appLabel;
let countLabel;
let statusLabel;
let chat;
let emptyNote;
let refusalList;
let refusalsEmpty;
let clearSlot;

let visible = false;
/** The running loop's controller: aborting it ends its long poll at once. */
let controller = null;
let refusalTimer = null;
/** Whether the server turned out to have no outbox (404): the view is then withdrawn. */
let absent = false;

/** id → {message, el, blobUrls}: bubbles kept across refreshes so that players keep playing. */
const bubbles = new Map();
/** The messages shown, newest first, as the server lists them. */
let shown = [];
let shownApp = '';
let lastRefusals = '';
/** Whether the conversation follows its newest message (the reader has not scrolled up). */
let pinned = true;
/** mediaId → filename, from the app's media list (a file message names only the id). */
const filenames = new Map();

/** Whether this server keeps an outbox the console may show (dev mode, and the path published). */
export function offered() {
  return isDev() && api.hasPath('messages') && !absent;
}

export function mount(section) {
  appLabel = h('span.app-label');
  countLabel = h('span#messages-count.muted');
  statusLabel = h('span#messages-status.live-status');
  chat = h('div#messages-chat.chat', { role: 'log', 'aria-live': 'polite' });
  // kept at the bottom, like a chat, while the reader has not scrolled up; pictures and players
  // that load later make it taller
  chat.addEventListener('scroll', () => {
    pinned = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
  });
  for (const name of ['load', 'loadedmetadata', 'error']) {
    chat.addEventListener(name, () => { if (pinned) toBottom(); }, true);
  }
  emptyNote = h('p#messages-empty.empty', { hidden: true });
  refusalList = h('ol#messages-refusals.refusals');
  refusalsEmpty = h('p#messages-refusals-empty.empty', { i18n: 'messages.noRefusals' });
  clearSlot = h('span.clear-slot');
  renderClearButton();

  section.append(h('div.columns.messages-columns',
    h('div.card.conversation-card',
      h('div.card-head',
        h('h2', h('span', { i18n: 'messages.title' }), ' ', countLabel),
        h('div.head-tools',
          statusLabel,
          appLabel,
          h('button.ghost.small#messages-refresh', { type: 'button', i18n: 'refresh', onclick: () => restart() }),
          clearSlot)),
      h('p.hint', { i18n: 'messages.hint' }),
      chat,
      emptyNote),
    h('div.card.refusals-card',
      h('div.card-head', h('h2', { i18n: 'messages.refusals' })),
      h('p.hint', { i18n: 'messages.refusalsHint' }),
      refusalList,
      refusalsEmpty)));

  on('app', () => {
    renderAppLabel();
    lastRefusals = '';
    refusalList.replaceChildren();
    if (visible) restart();
  });
  on('apps', renderAppLabel);
  on('lang', () => {
    renderAppLabel();
    renderStatus();
    for (const entry of bubbles.values()) rebuild(entry);
    renderCount();
    renderClearButton();
    lastRefusals = '';
    loadRefusals();
  });
  renderAppLabel();
}

export function show() {
  visible = true;
  restart();
  refusalTimer = setInterval(loadRefusals, REFUSALS_MS);
}

export function hide() {
  visible = false;
  clearInterval(refusalTimer);
  refusalTimer = null;
  if (controller) controller.abort();
  controller = null;
  renderStatus();
}

/** The two-click clear button, made again in the new language (it keeps its labels). */
function renderClearButton() {
  clearSlot.replaceChildren(confirmButton(t('messages.clear'), t('messages.confirmClear'), clearOutbox, '#messages-clear'));
}

function renderAppLabel() {
  const app = selectedApp();
  appLabel.textContent = app ? `${t(`product.${app.product}`)} · ${appIdOf(app)}` : '';
}

/** Ends the loop that runs (if any) and starts one for the selected app, from a full read. */
function restart() {
  if (controller) controller.abort();
  controller = new AbortController();
  const app = selectedApp();
  if (!app) {
    clearBubbles();
    shownApp = '';
    renderCount();
    refusalList.replaceChildren();
    refusalsEmpty.hidden = false;
    return;
  }
  loop(appIdOf(app), controller.signal);
  loadRefusals();
}

/** A pause that an abort ends at once. */
function pause(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

let live = false;

/**
 * Reads the whole conversation, then waits for what comes after its newest message (the outbox
 * holds the call until a newer one arrives); an empty answer is the end of a wait, after which the
 * whole is read again (catching a clear made elsewhere). No call is made while none is answered.
 */
async function loop(appid, signal) {
  let full = true;
  while (!signal.aborted) {
    const query = { appid, limit: LIMIT };
    if (!full) {
      query.wait = WAIT;
      if (shown.length) query.after = shown[0].id;
    }
    try {
      live = !full;
      renderStatus();
      const answer = await api.get(api.pathOf('messages', {}, query), { signal });
      if (signal.aborted) return;
      const found = (answer && answer.messages) || [];
      if (full) {
        if (shownApp !== appid) {
          clearBubbles();
          shownApp = appid;
          pinned = true;
        }
        shown = found;
        full = false;
      } else if (found.length) {
        const known = new Set(shown.map((m) => m.id));
        shown = [...found.filter((m) => !known.has(m.id)), ...shown].slice(0, KEEP);
        loadRefusals();
      } else {
        full = true;
        loadRefusals();
        continue;
      }
      await render(appid);
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') return;
      if (error.status === 404) {
        withdraw();
        return;
      }
      live = false;
      renderStatus(error.message);
      await pause(RETRY_MS, signal);
      full = true;
    }
  }
}

/** The server has no outbox after all (a prod server): the view leaves the navigation. */
function withdraw() {
  absent = true;
  hide();
  emit('views');
}

function renderStatus(problem) {
  statusLabel.classList.toggle('on', visible && live && !problem);
  statusLabel.classList.toggle('failed', Boolean(problem));
  statusLabel.textContent = problem ? t('messages.offline') : t('messages.live');
  statusLabel.title = problem || t('messages.liveHint');
}

async function clearOutbox() {
  try {
    await api.del(api.pathOf('messages'));
    notify(t('messages.cleared'));
    shown = [];
    clearBubbles();
    renderCount();
    if (visible) restart();
  } catch (error) {
    notify(error.message, 'error');
  }
}

function clearBubbles() {
  for (const entry of bubbles.values()) drop(entry);
  bubbles.clear();
  chat.replaceChildren();
}

function drop(entry) {
  entry.el.remove();
  for (const url of entry.blobUrls) URL.revokeObjectURL(url);
}

function renderCount() {
  countLabel.textContent = bubbles.size ? `(${bubbles.size})` : '';
  emptyNote.hidden = bubbles.size > 0;
  emptyNote.textContent = selectedApp() ? t('messages.empty') : t('apps.pickOne');
  chat.hidden = bubbles.size === 0;
}

/** The conversation on screen as `shown` says, oldest at the top; kept bubbles stay where they are. */
async function render(appid) {
  if (shown.some((m) => m.msgtype === 'file') && shown.some((m) => !hasFilename(m))) {
    await loadFilenames(appid);
  }
  const wanted = new Set(shown.map((m) => m.id));
  for (const [id, entry] of bubbles) {
    if (!wanted.has(id)) {
      drop(entry);
      bubbles.delete(id);
    }
  }
  let previous = null;
  for (const message of [...shown].reverse()) {
    let entry = bubbles.get(message.id);
    if (!entry) {
      entry = { message, blobUrls: [], el: null };
      entry.el = bubble(entry);
      bubbles.set(message.id, entry);
    }
    const { el } = entry;
    if (previous ? previous.nextElementSibling !== el : chat.firstElementChild !== el) {
      if (previous) previous.after(el);
      else chat.prepend(el);
    }
    previous = el;
  }
  renderCount();
  if (pinned) toBottom();
}

function toBottom() {
  chat.scrollTop = chat.scrollHeight;
}

function rebuild(entry) {
  for (const url of entry.blobUrls) URL.revokeObjectURL(url);
  entry.blobUrls = [];
  const el = bubble(entry);
  entry.el.replaceWith(el);
  entry.el = el;
}

function hasFilename(message) {
  return (message.media || []).every((m) => filenames.has(m.mediaId));
}

async function loadFilenames(appid) {
  try {
    const answer = await api.get(api.pathOf('media', {}, { appid }));
    for (const item of (answer && answer.media) || []) {
      if (item.filename) filenames.set(item.mediaId, item.filename);
    }
  } catch {
    // the bubble shows the media id instead
  }
}

// ---- one bubble --------------------------------------------------------------------------------

const text = (value) => (value === null || value === undefined ? '' : String(value));

/** The message's media entry for a field path (image.media_id, mpnews.articles[0].thumb_media_id). */
function mediaAt(message, field) {
  return (message.media || []).find((m) => m.field === field) || null;
}

/** Who the message is for, as its channel names them. */
function recipients(message) {
  const body = message.body || {};
  const parts = [h('span.to', h('span.muted', t('messages.to')), ' ', h('code', text(message.to)))];
  if (body.open_kfid) {
    parts.push(h('span.kf', h('span.muted', t('messages.viaKf')), ' ', h('code', text(body.open_kfid))));
  }
  if (body.customservice && body.customservice.kf_account) {
    parts.push(h('span.kf', h('span.muted', t('messages.asKf')), ' ', h('code', text(body.customservice.kf_account))));
  }
  return parts;
}

function bubble(entry) {
  const { message } = entry;
  const content = h('div.bubble', { dataset: { msgtype: message.msgtype } });
  try {
    fill(entry, content);
  } catch (error) {
    // a body of an unexpected shape still shows, as JSON
    content.replaceChildren(...generic(message));
  }
  return h('article.message', { dataset: { id: message.id, msgtype: message.msgtype } },
    h('div.message-meta',
      h('time', { datetime: message.time, title: formatDateTime(message.time) }, formatTime(message.time)),
      ...recipients(message),
      h('span.badge.msgtype', message.msgtype)),
    content,
    h('details.message-json',
      h('summary', t('messages.json')),
      h('pre', JSON.stringify(message.body, null, 2)),
      h('p.muted.small', h('code', text(message.endpoint)), ' · ',
        h('a', { href: `#requests?rid=${encodeURIComponent(message.id)}` }, t('messages.seeRequest')))));
}

/**
 * The URL of a message's media (the operator's download of it), or, where calls need the admin
 * token, a blob: URL fetched with it.
 */
function source(entry, mediaId, apply, failed) {
  const direct = api.mediaPath(entry.message.appid, mediaId);
  if (!api.needsBlobUrls()) {
    apply(direct);
    return;
  }
  api.mediaBlobUrl(entry.message.appid, mediaId).then((url) => {
    entry.blobUrls.push(url);
    apply(url);
  }, (error) => failed(error.message));
}

const gone = (message) => h('span.gone.muted.small', message || t('messages.mediaGone'));

function image(entry, media, className, alt) {
  const img = h(`img.${className}`, { alt: alt || '', decoding: 'async' });
  img.addEventListener('error', () => img.replaceWith(gone()), { once: true });
  source(entry, media.mediaId, (url) => { img.src = url; }, (problem) => img.replaceWith(gone(problem)));
  return img;
}

/**
 * A picture named by URL (a link's thumb_url, a news article's picurl): the page loads nothing from
 * other sites (its content security policy), so it shows where the picture is instead.
 */
function pictureUrl(url, className) {
  if (!/^https?:\/\//i.test(text(url))) return null;
  return h(`span.${className}.url-thumb`, { title: url }, h('span.big-icon', { 'aria-hidden': 'true' }, '▧'));
}

function fill(entry, content) {
  const { message } = entry;
  const body = message.body || {};
  const type = message.msgtype;
  const part = body[type] || {};
  switch (type) {
    case 'text':
    case 'markdown':
      content.classList.add('text');
      content.append(h('div.message-text', text(part.content)));
      return;
    case 'image': {
      const media = mediaAt(message, 'image.media_id');
      if (!media) break;
      content.classList.add('picture');
      content.append(image(entry, media, 'message-image', t('type.image')));
      return;
    }
    case 'voice': {
      const media = mediaAt(message, 'voice.media_id');
      if (!media) break;
      content.classList.add('voice');
      const audio = h('audio', { controls: true, preload: playable('audio', media.contentType) ? 'metadata' : 'none' });
      source(entry, media.mediaId, (url) => { audio.src = url; }, (problem) => audio.replaceWith(gone(problem)));
      content.append(h('span.big-icon', { 'aria-hidden': 'true' }, '♪'), audio, mediaFacts(entry, media));
      if (!playable('audio', media.contentType)) {
        content.append(h('p.muted.small', t('media.notPlayable', { type: media.contentType })));
      }
      return;
    }
    case 'video': {
      const media = mediaAt(message, 'video.media_id');
      if (!media) break;
      content.classList.add('movie');
      const video = h('video', { controls: true, preload: 'metadata' });
      source(entry, media.mediaId, (url) => { video.src = url; }, (problem) => video.replaceWith(gone(problem)));
      const thumb = mediaAt(message, 'video.thumb_media_id');
      if (thumb) source(entry, thumb.mediaId, (url) => { video.poster = url; }, () => {});
      content.append(
        part.title ? h('div.card-title', text(part.title)) : null,
        video,
        part.description ? h('div.card-text', text(part.description)) : null,
        mediaFacts(entry, media));
      return;
    }
    case 'file': {
      const media = mediaAt(message, 'file.media_id');
      if (!media) break;
      content.classList.add('file');
      const name = filenames.get(media.mediaId) || media.mediaId;
      content.append(h('span.big-icon', { 'aria-hidden': 'true' }, '▤'),
        h('div.file-facts',
          h('div.filename', { title: name }, name),
          h('div.muted.small', formatBytes(media.size), ' · ', text(media.contentType))),
        download(entry, media, name));
      return;
    }
    case 'music':
      cardOf(entry, content, {
        kind: t('messages.music'),
        title: part.title,
        text: part.description,
        url: part.musicurl || part.hqmusicurl,
        thumb: mediaAt(message, 'music.thumb_media_id'),
      });
      return;
    case 'link':
      cardOf(entry, content, {
        kind: t('messages.link'),
        title: part.title,
        text: part.description || part.desc,
        url: part.url,
        thumb: mediaAt(message, 'link.thumb_media_id'),
        thumbUrl: part.thumb_url,
      });
      return;
    case 'textcard':
      cardOf(entry, content, { kind: t('messages.link'), title: part.title, text: part.description, url: part.url });
      return;
    case 'miniprogrampage':
    case 'miniprogram':
      cardOf(entry, content, {
        kind: t('messages.miniProgram'),
        title: part.title,
        text: [part.appid, part.pagepath].filter(Boolean).join(' · '),
        thumb: mediaAt(message, `${type}.thumb_media_id`),
        big: true,
      });
      return;
    case 'news':
    case 'mpnews': {
      const articles = Array.isArray(part.articles) ? part.articles : [];
      if (!articles.length) break;
      content.classList.add('articles');
      articles.forEach((article, i) => {
        cardOf(entry, content, {
          kind: i === 0 ? t('messages.article') : null,
          title: article.title,
          text: article.description || article.digest,
          url: article.url || article.content_source_url,
          thumb: mediaAt(message, `${type}.articles[${i}].thumb_media_id`),
          thumbUrl: article.picurl,
          big: i === 0,
        });
      });
      return;
    }
    default:
      break;
  }
  content.replaceChildren(...generic(message));
}

function playable(kind, contentType) {
  return document.createElement(kind).canPlayType(text(contentType)) !== '';
}

function mediaFacts(entry, media) {
  return h('div.muted.small.media-facts', formatBytes(media.size), ' · ', text(media.contentType), ' ',
    download(entry, media, filenames.get(media.mediaId) || media.mediaId));
}

function download(entry, media, name) {
  const link = h('a.small.download', { href: api.mediaPath(entry.message.appid, media.mediaId), download: name },
    t('media.download'));
  if (api.needsBlobUrls()) {
    link.addEventListener('click', async (event) => {
      if (link.dataset.ready) return;
      event.preventDefault();
      try {
        const url = await api.mediaBlobUrl(entry.message.appid, media.mediaId);
        entry.blobUrls.push(url);
        link.href = url;
        link.dataset.ready = '1';
        link.click();
      } catch (error) {
        notify(error.message, 'error');
      }
    });
  }
  return link;
}

/** A card (music, link, mini program, article): its kind, title, text and thumb. */
function cardOf(entry, content, { kind, title, text: words, url, thumb, thumbUrl, big }) {
  content.classList.add('cards');
  const picture = thumb ? image(entry, thumb, 'card-thumb', '') : pictureUrl(thumbUrl, 'card-thumb');
  const titleLine = url && /^https?:\/\//i.test(text(url))
    ? h('a.card-title', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text(title) || text(url))
    : h('div.card-title', text(title));
  content.append(h('div.message-card' + (big ? '.big' : ''),
    h('div.card-body',
      kind ? h('div.card-kind.muted.small', kind) : null,
      titleLine,
      words ? h('div.card-text', text(words)) : null),
    picture));
}

function generic(message) {
  return [
    h('div.muted.small', t('messages.other', { msgtype: message.msgtype })),
    h('pre.message-body', JSON.stringify(message.body, null, 2)),
  ];
}

// ---- refusals ----------------------------------------------------------------------------------

let refusalsLoading = false;
let refusalsAgain = false;

/** The app's refused sends: the inspector's records on the send paths with a non-zero errcode. */
async function loadRefusals() {
  const app = selectedApp();
  if (!app || !visible) return;
  if (refusalsLoading) {
    refusalsAgain = true;
    return;
  }
  const appid = appIdOf(app);
  const sendPaths = new Set((state.info && state.info.sendPaths) || []);
  refusalsLoading = true;
  try {
    const answer = await api.get(api.pathOf('requests', {}, { appid, limit: REQUESTS_LIMIT }));
    if (appid !== state.appid) return;
    const refused = ((answer && answer.requests) || [])
      .filter((r) => sendPaths.has(r.path) && r.errcode !== null && r.errcode !== undefined && r.errcode !== 0);
    const body = JSON.stringify(refused);
    if (body === lastRefusals) return;
    lastRefusals = body;
    renderRefusals(refused);
  } catch (error) {
    refusalList.replaceChildren(h('li.muted', error.message));
    lastRefusals = '';
  } finally {
    refusalsLoading = false;
    if (refusalsAgain) {
      refusalsAgain = false;
      loadRefusals();
    }
  }
}

function renderRefusals(refused) {
  refusalList.replaceChildren(...refused.map((r) => h('li.refusal', { dataset: { rid: r.rid || '' } },
    h('div.refusal-head',
      h('time', { datetime: r.time, title: formatDateTime(r.time) }, formatTime(r.time)),
      h('code.path', r.path || '')),
    h('div.errline', h('span.errcode', String(r.errcode)), ' ', h('span.errmsg', r.errmsg || '')),
    r.diagnosis ? h('p.diagnosis', r.diagnosis) : null,
    r.rid ? h('a.small', { href: `#requests?rid=${encodeURIComponent(r.rid)}` }, t('messages.seeRequest')) : null)));
  refusalsEmpty.hidden = refused.length > 0;
}
