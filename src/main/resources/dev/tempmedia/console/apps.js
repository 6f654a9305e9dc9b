// Apps: the list, each app's credentials, ready-to-paste snippets, creating and deleting apps.
import * as api from './api.js';
import { t } from './i18n.js';
import { state, on, appIdOf, secretOf, selectedApp, selectApp, loadApps, products, typesOf } from './state.js';
import { h, copy, copyButton, confirmButton, notify } from './ui.js';

let tableBody;
let createdBox;
let snippetTabs;
let snippetBox;
let snippetKind = localStorage.getItem('tempmedia.snippet') || 'curl';
let showCreated = () => {};
// appid → its quota rows today ({path, dailyLimit, used, remain}); absent while loading or unreadable.
const quotas = new Map();

export function mount(section) {
  const productSelect = h('select#create-product', { name: 'product' },
    products().map((p) => h('option', { value: p, i18n: `product.${p}` })));
  tableBody = h('tbody');
  createdBox = h('div#created-app.callout.success', { hidden: true });
  snippetTabs = h('div.tabs', { role: 'tablist' },
    ['curl', 'wxjava'].map((kind) => h('button.tab', {
      type: 'button', role: 'tab', dataset: { kind }, i18n: `snippet.${kind}`,
      onclick: () => {
        snippetKind = kind;
        localStorage.setItem('tempmedia.snippet', kind);
        renderSnippet();
      },
    })));
  snippetBox = h('div.snippet');

  section.append(
    h('div.card',
        h('div.card-head',
          h('h2', { i18n: 'apps.title' }),
          h('button.ghost.small', { type: 'button', i18n: 'refresh', onclick: () => loadApps().catch(fail) })),
        h('p.hint', { i18n: 'apps.hint' }),
        h('div.table-wrap',
          h('table#apps-table.data',
            h('thead', h('tr',
              h('th', { i18n: 'apps.product' }), h('th', { i18n: 'apps.id' }), h('th', { i18n: 'apps.secret' }),
              h('th', { i18n: 'apps.source' }), h('th', { i18n: 'apps.quota' }), h('th.actions'))),
            tableBody)),
        h('form#create-app.inline', { onsubmit: (event) => create(event, productSelect.value) },
          h('label', h('span', { i18n: 'apps.newApp' }), productSelect),
          h('button.primary', { type: 'submit', i18n: 'apps.create' })),
      createdBox),
    h('div.card',
      h('div.card-head', h('h2', { i18n: 'apps.snippets' }), snippetTabs),
      snippetBox));

  on('apps', () => {
    renderAll();
    loadQuotas();
  });
  on('app', renderAll);
  on('lang', () => {
    renderAll();
    showCreated();
  });
  renderAll();
}

function renderAll() {
  renderTable();
  renderSnippet();
}

/** Each app's quota use today, one GET quotas?appid= per app, then the table again. */
async function loadQuotas() {
  await Promise.all(state.apps.map(async (app) => {
    const appid = appIdOf(app);
    try {
      const answer = await api.get(api.pathOf('quotas', {}, { appid }));
      quotas.set(appid, (answer.apps[0] || { quotas: [] }).quotas);
    } catch (error) {
      quotas.delete(appid);
    }
  }));
  renderTable();
}

function quotaLine(appid) {
  const rows = quotas.get(appid);
  if (!rows) return h('span.muted', '…');
  if (!rows.length) return h('span.muted', t('apps.noQuota'));
  return rows.map((q) => h('div.quota-line', h('code', q.path), ' ',
    t('apps.quotaUse', { used: q.used, limit: q.dailyLimit, remain: q.remain })));
}

function fail(error) {
  notify(error.message, 'error');
}

function renderTable() {
  tableBody.replaceChildren(...state.apps.map((app) => {
    const id = appIdOf(app);
    const secret = secretOf(app);
    const selected = id === state.appid;
    return h('tr', { dataset: { appid: id }, class: selected ? 'selected' : '' },
      h('td', h('span.badge.product-' + app.product, t(`product.${app.product}`))),
      h('td', h('code', id), ' ', copyButton(id)),
      h('td', secret
        ? [h('code.secret', secret), ' ', copyButton(secret)]
        : h('span.muted', { title: t('apps.secretHiddenHint') }, t('apps.secretHidden'))),
      h('td', h('span.muted', t(`source.${app.source || 'config'}`))),
      h('td.quota', quotaLine(id)),
      h('td.actions',
        selected
          ? h('span.tag', t('apps.selected'))
          : h('button.small', { type: 'button', onclick: () => selectApp(id) }, t('apps.use')),
        app.source === 'created'
          ? confirmButton(t('delete'), t('confirmDelete'), () => remove(id))
          : null));
  }));
  if (!state.apps.length) {
    tableBody.append(h('tr', h('td.empty', { colspan: 6 }, t('apps.none'))));
  }
}

async function create(event, product) {
  event.preventDefault();
  try {
    const created = await api.post(api.pathOf('apps'), { product });
    const id = created.appid || created.corpid;
    if (created.secret) state.secrets.set(id, created.secret);
    const shownProduct = created.product || product;
    const secret = created.secret || '';
    showCreated = () => createdBox.replaceChildren(
      h('p', t('apps.created', { product: t(`product.${shownProduct}`), id })),
      h('p', h('strong', t('apps.secretOnce')), ' ', h('code.secret#created-secret', secret), ' ', copyButton(secret)),
      h('button.ghost.small', { type: 'button', onclick: () => { createdBox.hidden = true; } }, t('dismiss')));
    showCreated();
    createdBox.hidden = false;
    await loadApps();
    selectApp(id);
  } catch (error) {
    fail(error);
  }
}

async function remove(id) {
  try {
    await api.del(api.pathOf('app', { id }));
    state.secrets.delete(id);
    notify(t('apps.deleted', { id }));
    await loadApps();
  } catch (error) {
    fail(error);
  }
}

function renderSnippet() {
  for (const tab of snippetTabs.children) {
    tab.setAttribute('aria-selected', String(tab.dataset.kind === snippetKind));
  }
  const app = selectedApp();
  if (!app) {
    snippetBox.replaceChildren(h('p.muted', t('apps.pickOne')));
    return;
  }
  const code = snippetKind === 'wxjava' ? wxJava(app) : curl(app);
  snippetBox.replaceChildren(
    h('p.hint', t(snippetKind === 'wxjava' ? 'snippet.wxjavaHint' : 'snippet.curlHint', { id: appIdOf(app) })),
    h('div.code-box',
      h('pre#snippet-code', h('code', code)),
      h('button.small.copy-corner', { type: 'button', onclick: () => copy(code) }, t('copy'))));
}

function base() {
  return window.location.origin;
}

function curl(app) {
  const id = appIdOf(app);
  const secret = secretOf(app) || 'YOUR_SECRET';
  const tokenUrl = `$BASE${state.info.products[app.product].tokenRequest}`
    .replace('{id}', id).replace('{secret}', secret);
  const type = typesOf(app.product).includes('file') ? 'file' : 'image';
  const file = type === 'file' ? 'report.pdf' : 'photo.jpg';
  return [
    `BASE='${base()}'`,
    `# ${t('snippet.stepToken')}`,
    `TOKEN=$(curl -s "${tokenUrl}" \\`,
    `  | sed -E 's/.*"access_token":"([^"]*)".*/\\1/')`,
    `# ${t('snippet.stepUpload')}`,
    `curl -F media=@${file} "$BASE${api.pathOf('mediaUpload')}?access_token=$TOKEN&type=${type}"`,
    `# ${t('snippet.stepDownload')}`,
    `curl -OJ "$BASE${api.pathOf('mediaGet')}?access_token=$TOKEN&media_id=MEDIA_ID"`,
  ].join('\n');
}

function wxJava(app) {
  const id = appIdOf(app);
  const secret = secretOf(app) || 'YOUR_SECRET';
  const url = base();
  // The SDK's set-up differs per product (one artifact each): a genuine branch on the product.
  switch (app.product) {
    case 'mini-program':
      return [
        '// weixin-java-miniapp',
        'WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();',
        `config.setAppid("${id}");`,
        `config.setSecret("${secret}");`,
        `config.setApiHostUrl("${url}");`,
        'WxMaService wx = new WxMaServiceImpl();',
        'wx.setWxMaConfig(config);',
        '',
        'WxMediaUploadResult uploaded = wx.getMediaService().uploadMedia("image", new File("photo.jpg"));',
        'File downloaded = wx.getMediaService().getMedia(uploaded.getMediaId());',
      ].join('\n');
    case 'wecom':
      return [
        '// weixin-java-cp',
        'WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();',
        `config.setCorpId("${id}");`,
        `config.setCorpSecret("${secret}");`,
        `config.setBaseApiUrl("${url}");`,
        'WxCpService wx = new WxCpServiceImpl();',
        'wx.setWxCpConfigStorage(config);',
        '',
        'WxMediaUploadResult uploaded = wx.getMediaService().upload("file", new File("report.pdf"));',
        'File downloaded = wx.getMediaService().download(uploaded.getMediaId());',
      ].join('\n');
    default:
      return [
        '// weixin-java-mp',
        'WxMpDefaultConfigImpl config = new WxMpDefaultConfigImpl();',
        `config.setAppId("${id}");`,
        `config.setSecret("${secret}");`,
        'WxMpHostConfig hosts = new WxMpHostConfig();',
        `hosts.setApiHost("${url}");`,
        `hosts.setMpHost("${url}");`,
        `hosts.setOpenHost("${url}");`,
        'config.setHostConfig(hosts);',
        'WxMpService wx = new WxMpServiceImpl();',
        'wx.setWxMpConfigStorage(config);',
        '',
        'WxMediaUploadResult uploaded = wx.getMaterialService().mediaUpload("image", new File("photo.jpg"));',
        'File downloaded = wx.getMaterialService().mediaDownload(uploaded.getMediaId());',
      ].join('\n');
  }
}
