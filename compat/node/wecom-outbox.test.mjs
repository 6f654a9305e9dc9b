// wechat-enterprise-api 0.3.0 (npm), unchanged but for its base URL, against a real tempmedia server:
// a WeCom app uploads temporary media and sends it to a member, and the test reads what was sent
// from tempmedia's outbox (GET /_tempmedia/messages).
//
// Why this client: it is the WeCom sibling of co-wechat-api (same authors, same shape), it has its
// own calls for each step (gettoken with corpid/corpsecret, uploadImage/uploadFile →
// /cgi-bin/media/upload as multipart field "media", send → /cgi-bin/message/send with the agentid
// given to its constructor), and one property moves every call: `api.prefix`
// (node_modules/wechat-enterprise-api/lib/api_common.js:65; used by gettoken at :132,
// lib/api_media.js:49 for media/upload and lib/api_message.js:164 for message/send).
// Its dependency range for urllib is ">=0.5.17", which resolves to urllib 4 today: promise-only, it
// never calls the client's callbacks, so package.json's "overrides" holds urllib at 2.44.1 (inside
// that range) for this package alone.
// The client's own files are as published. Passed over: @openclaw-china/wecom-app (it has an
// apiBaseUrl, but it does not install: the @openclaw-china/shared version it pins is not published, and
// ffmpeg-static downloads a binary at install) and node-easywechat (it takes http.baseURL, but it has
// no media or message calls of its own: the test would spell out the paths and bodies itself).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForHealth } from './tempmedia-server.mjs';
import WechatEnterpriseAPI from 'wechat-enterprise-api';

// The well-known WeCom dev app (ProductProfile.WECOM, loaded in dev mode).
const CORPID = 'ww0000000000000003';
const SECRET = 'devsecret00000000000000000000003';
const AGENTID = 1000002;
const USER = 'zhangsan';
const JAR = process.env.JAR_UNDER_TEST ?? new URL('../../target/tempmedia.jar', import.meta.url).pathname;
const JAVA = process.env.JAVA ?? 'java';
const PNG_PATH = new URL('./fixtures/picture.png', import.meta.url).pathname;
const png = readFileSync(PNG_PATH);
const WECOM_MEDIA_ID = /^3[A-Za-z0-9_-]{64}$/;
const INVALID_MEDIA_ID_TEXT =
  /^invalid media_id, hint: \[\d+\], from ip: \S+, more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40007$/;

let server;
let dataDir;
let filesDir;
let base;

/** The client pointed at the server, its callback calls as promises (each resolves with the JSON answer). */
function client() {
  const api = new WechatEnterpriseAPI(CORPID, SECRET, AGENTID);
  api.prefix = `${base}/cgi-bin/`; // the only change a user makes
  return {
    uploadImage: promisify(api.uploadImage.bind(api)),
    uploadFile: promisify(api.uploadFile.bind(api)),
    send: promisify(api.send.bind(api)),
  };
}

/** The outbox's messages for the query, newest first. */
async function outbox(query) {
  const r = await fetch(`${base}/_tempmedia/messages?${new URLSearchParams(query)}`);
  assert.equal(r.status, 200, `GET /_tempmedia/messages answered ${r.status}`);
  const body = await r.json();
  assert.ok(Array.isArray(body.messages), JSON.stringify(body));
  return body.messages;
}

function assertSentOk(sent) {
  assert.equal(sent.errcode, 0);
  assert.equal(sent.errmsg, 'ok');
  assert.equal(sent.invaliduser, '');
  assert.equal(sent.invalidparty, '');
  assert.equal(sent.invalidtag, '');
  assert.equal(sent.unlicenseduser, '');
  assert.equal(typeof sent.msgid, 'string');
  assert.ok(sent.msgid.length > 0);
}

/** The one message in the outbox: an app message to USER carrying one uploaded media id. */
async function assertOneMessage({ msgtype, mediaId, size, contentType }) {
  const messages = await outbox({ appid: CORPID, wait: 'PT5S' });
  assert.equal(messages.length, 1, JSON.stringify(messages));
  const [m] = messages;
  assert.ok(m.id);
  assert.ok(m.time);
  assert.equal(m.appid, CORPID);
  assert.equal(m.product, 'wecom');
  assert.equal(m.endpoint, '/cgi-bin/message/send');
  assert.equal(m.to, USER);
  assert.equal(m.msgtype, msgtype);
  assert.equal(m.media.length, 1, JSON.stringify(m.media));
  assert.equal(m.media[0].field, `${msgtype}.media_id`);
  assert.equal(m.media[0].mediaId, mediaId);
  assert.equal(m.media[0].type, msgtype);
  assert.equal(m.media[0].contentType, contentType);
  assert.equal(m.media[0].size, size);
  // The body as the client sent it: its constructor's agentid, the recipient and the message.
  assert.equal(m.body.agentid, AGENTID);
  assert.equal(m.body.touser, USER);
  assert.equal(m.body.msgtype, msgtype);
  assert.equal(m.body[msgtype].media_id, mediaId);
}

/** A refused send: the client's WeChatAPIError with 40007 and WeCom's text. */
function isInvalidMediaId(err) {
  assert.equal(err.name, 'WeChatAPIError');
  assert.equal(err.code, 40007);
  assert.match(err.message, INVALID_MEDIA_ID_TEXT);
  return true;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tempmedia-wecom-'));
  filesDir = mkdtempSync(join(tmpdir(), 'tempmedia-wecom-files-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // TEMPMEDIA_* variables configure the server (and unknown ones stop it): the child gets none of ours.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPMEDIA_')));
  server = spawn(JAVA, ['-jar', JAR, 'serve', '--port', String(port), '--data', dataDir], { env, stdio: process.env.DEBUG_SERVER ? 'inherit' : 'ignore' });
  await waitForHealth(`${base}/_tempmedia/health`, Date.now() + 30_000);
});

after(() => {
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(filesDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const r = await fetch(`${base}/_tempmedia/messages`, { method: 'DELETE' });
  assert.ok(r.ok, `DELETE /_tempmedia/messages answered ${r.status}`);
});

test('uploadImage then send as an image message: the outbox holds it with the uploaded PNG', async () => {
  const api = client();
  const up = await api.uploadImage(PNG_PATH);
  assert.equal(up.type, 'image');
  assert.match(up.media_id, WECOM_MEDIA_ID);
  const sent = await api.send({ touser: USER }, { msgtype: 'image', image: { media_id: up.media_id } });
  assertSentOk(sent);
  await assertOneMessage({ msgtype: 'image', mediaId: up.media_id, size: png.length, contentType: 'image/png' });
});

test('uploadFile then send as a file message: the outbox holds it with the uploaded file', async () => {
  const path = join(filesDir, 'report.txt'); // the client uploads from a path
  const text = Buffer.from('Quarterly numbers, first draft.\n'.repeat(8));
  writeFileSync(path, text);
  const api = client();
  const up = await api.uploadFile(path);
  assert.equal(up.type, 'file');
  assert.match(up.media_id, WECOM_MEDIA_ID);
  const sent = await api.send({ touser: USER }, { msgtype: 'file', file: { media_id: up.media_id } });
  assertSentOk(sent);
  await assertOneMessage({ msgtype: 'file', mediaId: up.media_id, size: text.length, contentType: 'text/plain' });
});

test('an image message with a made-up media id is refused with 40007 and sends nothing', async () => {
  const api = client();
  await assert.rejects(
    api.send({ touser: USER }, { msgtype: 'image', image: { media_id: `3${'x'.repeat(64)}` } }),
    isInvalidMediaId);
  assert.deepEqual(await outbox({ appid: CORPID, wait: 'PT0.5S' }), []);
});

test('a file message with an image media id is refused with 40007 and sends nothing', async () => {
  const api = client();
  const up = await api.uploadImage(PNG_PATH);
  await assert.rejects(
    api.send({ touser: USER }, { msgtype: 'file', file: { media_id: up.media_id } }),
    isInvalidMediaId);
  assert.deepEqual(await outbox({ appid: CORPID, wait: 'PT0.5S' }), []);
  assert.deepEqual(await outbox({ appid: CORPID }), []);
});
