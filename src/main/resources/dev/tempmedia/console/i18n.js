// English and Chinese. The language comes from the browser at first, then from the switch, which is
// remembered in localStorage. Elements carry data-i18n (text), data-i18n-placeholder and
// data-i18n-title keys and are translated again in place when the language changes.

const LANG_KEY = 'tempmedia.lang';

const MESSAGES = {
  en: {
    app: 'App',
    'nav.apps': 'Apps',
    'nav.media': 'Media',
    'nav.requests': 'Requests',
    'nav.dev': 'Clock & faults',
    'mode.dev': 'dev',
    'mode.prod': 'prod',
    serverTime: 'Server time',
    signOut: 'Sign out',
    loadFailed: 'The server did not answer as expected:',
    refresh: 'Refresh',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy; select the text instead',
    delete: 'Delete',
    dismiss: 'Dismiss',
    confirmDelete: 'Click again to delete',
    confirmPurge: 'Click again to purge',
    yes: 'yes',
    expired: 'expired',
    days: '{n}d',
    unitDay: '{n}d',
    unitHour: '{n}h',
    unitMinute: '{n}m',
    unitSecond: '{n}s',

    'product.official-account': 'Official Account',
    'product.mini-program': 'Mini Program',
    'product.wecom': 'WeCom',
    'source.well-known': 'well-known dev app',
    'source.config': 'configuration',
    'source.created': 'created here',
    'type.image': 'image',
    'type.voice': 'voice',
    'type.video': 'video',
    'type.thumb': 'thumb',
    'type.file': 'file',

    'apps.title': 'Apps',
    'apps.hint': 'Every app this server knows. Pick one to upload and browse its media; the snippets below use it.',
    'apps.product': 'Product',
    'apps.id': 'appid / corpid',
    'apps.secret': 'Secret',
    'apps.source': 'From',
    'apps.quota': 'Quota today',
    'apps.noQuota': 'no daily quota',
    'apps.quotaUse': '{used} of {limit} used, {remain} left',
    'apps.secretHidden': 'not shown',
    'apps.secretHiddenHint': 'Secrets are shown only for the well-known development apps, and once when an app is created.',
    'apps.selected': 'selected',
    'apps.use': 'Use',
    'apps.none': 'No apps. Create one below, or list them under apps: in the configuration.',
    'apps.newApp': 'New app',
    'apps.create': 'Create',
    'apps.created': 'Created the {product} {id}.',
    'apps.secretOnce': 'Its secret, shown only this once:',
    'apps.deleted': 'Deleted {id}',
    'apps.pickOne': 'Pick an app first.',
    'apps.snippets': 'Try it',
    'snippet.curl': 'curl',
    'snippet.wxjava': 'WxJava',
    'snippet.curlHint': 'A token, an upload and a download for {id}, against this server.',
    'snippet.wxjavaHint': 'Point WxJava at this server: the base URL is the only change to your code.',
    'snippet.stepToken': '1. an access_token',
    'snippet.stepUpload': '2. upload (prints the media_id)',
    'snippet.stepDownload': '3. download it',

    'upload.title': 'Upload',
    'upload.type': 'Type',
    'upload.drop': 'Drop files here',
    'upload.choose': 'or choose files…',
    'upload.done': 'done',
    'upload.refused': 'refused',
    'upload.failed': 'failed',
    'upload.ok': 'Uploaded as {type}.',
    'upload.seeRequest': 'See it in the requests inspector',

    'media.title': 'Live media',
    'media.empty': 'Nothing stored for this app. Upload a file above, or through the API.',
    'media.expiresIn': 'expires in',
    'media.expiresAt': 'Expires at',
    'media.download': 'Download',
    'media.purge': 'Purge',
    'media.purged': 'Purged',
    'media.notPlayable': 'This browser cannot play {type}; download it instead.',

    'requests.title': 'Requests',
    'requests.live': 'Live',
    'requests.count': '{n} shown',
    'requests.time': 'Time',
    'requests.method': 'Method',
    'requests.path': 'Path',
    'requests.appid': 'appid',
    'requests.status': 'HTTP',
    'requests.errcode': 'errcode',
    'requests.duration': 'Took',
    'requests.bytes': 'In / out',
    'requests.rid': 'rid',
    'requests.anyApp': 'any app',
    'requests.anyErrcode': 'any errcode',
    'requests.anyRid': 'any rid',
    'requests.clearFilters': 'Clear filters',
    'requests.filterRid': 'Show only this request',
    'requests.none': 'No requests match.',

    'clock.title': 'Server clock',
    'clock.hint': 'Move the clock to see tokens and media expire without waiting. Only this server\'s clock moves.',
    'clock.offset': 'Moved by',
    'clock.reset': 'Reset',
    'clock.custom': 'Advance by',
    'clock.advance': 'Advance',
    'clock.durationHint': 'An ISO-8601 duration: PT90M, PT36H, P2DT3H.',
    'clock.moved': 'Clock moved: {offset}',

    'faults.title': 'Faults',
    'faults.hint': 'Make matching requests fail on purpose: an errcode, a delay, or a dropped connection; a number of times or with a probability.',
    'faults.path': 'Path',
    'faults.errcode': 'errcode',
    'faults.times': 'Times',
    'faults.probability': 'Probability',
    'faults.latency': 'Latency (ms)',
    'faults.drop': 'Drop connection',
    'faults.appid': 'appid',
    'faults.anyApp': 'any app',
    'faults.type': 'Media type',
    'faults.anyType': 'any type',
    'faults.fired': 'Fired',
    'faults.add': 'Add fault',
    'faults.added': 'Fault {id} added',
    'faults.clear': 'Clear all',
    'faults.cleared': 'All faults cleared',
    'faults.none': 'No faults: every request is answered normally.',

    'token.title': 'Admin token',
    'token.hint': 'This server runs in prod mode: its operator API needs the admin token (admin.token in its configuration). It is kept for this tab only.',
    'token.refused': 'That token was refused.',
    'token.label': 'Token',
    'token.submit': 'Sign in',
  },
  zh: {
    app: '应用',
    'nav.apps': '应用',
    'nav.media': '素材',
    'nav.requests': '请求',
    'nav.dev': '时钟与故障',
    'mode.dev': '开发',
    'mode.prod': '生产',
    serverTime: '服务器时间',
    signOut: '退出',
    loadFailed: '服务器的应答不符合预期：',
    refresh: '刷新',
    copy: '复制',
    copied: '已复制',
    copyFailed: '无法复制，请手动选中文字',
    delete: '删除',
    dismiss: '关闭',
    confirmDelete: '再点一次删除',
    confirmPurge: '再点一次清除',
    yes: '是',
    expired: '已过期',
    days: '{n}天',
    unitDay: '{n}天',
    unitHour: '{n}小时',
    unitMinute: '{n}分',
    unitSecond: '{n}秒',

    'product.official-account': '公众号',
    'product.mini-program': '小程序',
    'product.wecom': '企业微信',
    'source.well-known': '内置开发应用',
    'source.config': '配置文件',
    'source.created': '控制台创建',
    'type.image': '图片',
    'type.voice': '语音',
    'type.video': '视频',
    'type.thumb': '缩略图',
    'type.file': '文件',

    'apps.title': '应用',
    'apps.hint': '本服务器认识的所有应用。选中一个即可上传、浏览它的素材；下方的示例也使用它。',
    'apps.product': '产品',
    'apps.id': 'appid / corpid',
    'apps.secret': '密钥',
    'apps.source': '来源',
    'apps.quota': '今日配额',
    'apps.noQuota': '无每日配额',
    'apps.quotaUse': '已用 {used} / {limit}，剩余 {remain}',
    'apps.secretHidden': '不显示',
    'apps.secretHiddenHint': '只显示内置开发应用的密钥；新建应用的密钥只在创建时显示一次。',
    'apps.selected': '已选中',
    'apps.use': '选用',
    'apps.none': '没有应用。在下方新建，或在配置文件的 apps: 中列出。',
    'apps.newApp': '新建应用',
    'apps.create': '创建',
    'apps.created': '已创建{product} {id}。',
    'apps.secretOnce': '它的密钥只显示这一次：',
    'apps.deleted': '已删除 {id}',
    'apps.pickOne': '请先选择一个应用。',
    'apps.snippets': '试一试',
    'snippet.curl': 'curl',
    'snippet.wxjava': 'WxJava',
    'snippet.curlHint': '用 {id} 在本服务器上获取 token、上传、下载。',
    'snippet.wxjavaHint': '把 WxJava 指向本服务器：只需改基础地址，代码不变。',
    'snippet.stepToken': '1. 获取 access_token',
    'snippet.stepUpload': '2. 上传（输出 media_id）',
    'snippet.stepDownload': '3. 下载',

    'upload.title': '上传',
    'upload.type': '类型',
    'upload.drop': '把文件拖到这里',
    'upload.choose': '或选择文件…',
    'upload.done': '完成',
    'upload.refused': '被拒绝',
    'upload.failed': '失败',
    'upload.ok': '已上传为{type}。',
    'upload.seeRequest': '在请求检查器中查看',

    'media.title': '有效素材',
    'media.empty': '这个应用没有素材。在上方上传文件，或通过接口上传。',
    'media.expiresIn': '剩余',
    'media.expiresAt': '过期时间',
    'media.download': '下载',
    'media.purge': '清除',
    'media.purged': '已清除',
    'media.notPlayable': '浏览器无法播放 {type}，请下载后查看。',

    'requests.title': '请求',
    'requests.live': '实时',
    'requests.count': '显示 {n} 条',
    'requests.time': '时间',
    'requests.method': '方法',
    'requests.path': '路径',
    'requests.appid': 'appid',
    'requests.status': 'HTTP',
    'requests.errcode': '错误码',
    'requests.duration': '耗时',
    'requests.bytes': '收 / 发',
    'requests.rid': 'rid',
    'requests.anyApp': '全部应用',
    'requests.anyErrcode': '全部错误码',
    'requests.anyRid': '全部 rid',
    'requests.clearFilters': '清除筛选',
    'requests.filterRid': '只看这个请求',
    'requests.none': '没有匹配的请求。',

    'clock.title': '服务器时钟',
    'clock.hint': '拨动时钟，无需等待即可看到 token 和素材过期。只影响本服务器的时钟。',
    'clock.offset': '已拨动',
    'clock.reset': '复原',
    'clock.custom': '前进',
    'clock.advance': '前进',
    'clock.durationHint': 'ISO-8601 时长：PT90M、PT36H、P2DT3H。',
    'clock.moved': '时钟已拨动：{offset}',

    'faults.title': '故障注入',
    'faults.hint': '让匹配的请求故意失败：返回错误码、延迟或断开连接；可限定次数或概率。',
    'faults.path': '路径',
    'faults.errcode': '错误码',
    'faults.times': '次数',
    'faults.probability': '概率',
    'faults.latency': '延迟（毫秒）',
    'faults.drop': '断开连接',
    'faults.appid': 'appid',
    'faults.anyApp': '全部应用',
    'faults.type': '素材类型',
    'faults.anyType': '全部类型',
    'faults.fired': '已触发',
    'faults.add': '添加故障',
    'faults.added': '已添加故障 {id}',
    'faults.clear': '全部清除',
    'faults.cleared': '已清除全部故障',
    'faults.none': '没有故障：所有请求正常应答。',

    'token.title': '管理令牌',
    'token.hint': '本服务器运行在生产模式：运维接口需要管理令牌（配置中的 admin.token）。令牌只保存在当前标签页。',
    'token.refused': '令牌被拒绝。',
    'token.label': '令牌',
    'token.submit': '登录',
  },
};

export const LANGUAGES = Object.keys(MESSAGES);

let current = pick();
const listeners = [];

function pick() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && MESSAGES[saved]) return saved;
  const browser = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return browser.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function lang() {
  return current;
}

/** The message for a key in the current language (English, then the key itself, when missing). */
export function t(key, params) {
  let text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }
  return text;
}

/** Switches the language (remembered), and tells every view through the state's 'lang' event. */
export function setLang(next) {
  if (!MESSAGES[next]) return;
  const changed = next !== current;
  current = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  if (changed) for (const listener of listeners) listener(next);
}

export function onLangChange(listener) {
  listeners.push(listener);
}

/** Translates every element that names its message. */
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
