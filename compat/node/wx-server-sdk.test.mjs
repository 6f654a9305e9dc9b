// wx-server-sdk (npm), unchanged, against a real tempmedia server: cloud.openapi's temporary-media
// calls go through @cloudbase/node-sdk's TCB gateway protocol (POST /tcb/admin, protobuf in
// multipart) exactly as in a deployed cloud function (SPEC §9, docs/cloud-call.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHealth } from './tempmedia-server.mjs';

const require = createRequire(import.meta.url);
const cloud = require('wx-server-sdk');

const MINI_PROGRAM = 'wx0000000000000002';
const MINI_PROGRAM_SECRET = 'devsecret00000000000000000000002';
const OFFICIAL_ACCOUNT = 'wx0000000000000001';
const JAR = process.env.JAR_UNDER_TEST ?? new URL('../../target/tempmedia.jar', import.meta.url).pathname;
const JAVA = process.env.JAVA ?? 'java';
const png = readFileSync(new URL('./fixtures/picture.png', import.meta.url));
const jpeg = readFileSync(new URL('./fixtures/photo.jpg', import.meta.url));
const cloudFunction = new URL('./fixtures/cloudfunction/run.js', import.meta.url).pathname;

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const servers = [];
let base;



/** Starts the jar on a free port; extra arguments (a --config) and environment as given. */
async function startServer(args = [], extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tempmedia-wx-'));
  const port = await freePort();
  // TEMPMEDIA_* variables configure the server (and unknown ones stop it): the child gets none of ours.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPMEDIA_')));
  const child = spawn(JAVA, ['-jar', JAR, 'serve', '--port', String(port), '--data', dataDir, ...args],
    { env: { ...env, ...extraEnv }, stdio: process.env.DEBUG_SERVER ? 'inherit' : 'ignore' });
  servers.push({ child, dataDir });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(`${url}/_tempmedia/health`, Date.now() + 30_000);
  return url;
}

/** A wx-server-sdk instance pointed at a server by serviceUrl (the in-code way). */
function sdk(url = base, { secretId = 'any', secretKey = 'any', env = 'dev-env' } = {}) {
  const instance = cloud.Cloud ? new cloud.Cloud() : cloud;
  instance.init({ env, serviceUrl: `${url}/tcb/admin`, secretId, secretKey });
  return instance;
}

async function post(path, body) {
  const r = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${path} answered ${r.status}`);
  return r.json();
}

before(async () => {
  base = await startServer();
});

after(() => {
  for (const { child, dataDir } of servers) {
    child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('uploadTempMedia of a PNG Buffer, then getTempMedia answers it byte-identical', async () => {
  const api = sdk();
  const up = await api.openapi.customerServiceMessage.uploadTempMedia({
    type: 'image',
    media: { contentType: 'image/png', value: png },
  });
  assert.equal(up.errCode, 0);
  assert.equal(up.errMsg, 'openapi.customerServiceMessage.uploadTempMedia:ok');
  assert.equal(up.type, 'image');
  assert.match(up.mediaId, /^[A-Za-z0-9_-]{64}$/);
  assert.equal(typeof up.createdAt, 'number');
  assert.ok(Math.abs(up.createdAt - Date.now() / 1000) < 60);
  const got = await api.openapi.customerServiceMessage.getTempMedia({ mediaId: up.mediaId });
  assert.equal(got.errCode, 0);
  assert.equal(got.errMsg, 'openapi.customerServiceMessage.getTempMedia:ok');
  assert.equal(got.contentType, 'image/png');
  assert.ok(Buffer.isBuffer(got.buffer));
  assert.equal(sha256(got.buffer), sha256(png));
});

test('a JPEG uploaded by a cloud function is the mini program\'s: /cgi-bin/media/get serves it with its token', async () => {
  const up = await sdk().openapi.customerServiceMessage.uploadTempMedia({
    type: 'image',
    // The SDK drops contentType on the way: the format is found from the bytes, whatever is said here.
    media: { contentType: 'image/png', value: jpeg },
  });
  const token = await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${MINI_PROGRAM}&secret=${MINI_PROGRAM_SECRET}`)).json();
  const r = await fetch(`${base}/cgi-bin/media/get?access_token=${token.access_token}&media_id=${up.mediaId}`);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  assert.equal(sha256(Buffer.from(await r.arrayBuffer())), sha256(jpeg));
});

test('a file uploaded through /cgi-bin/media/upload is read back by getTempMedia', async () => {
  const token = await (await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${MINI_PROGRAM}&secret=${MINI_PROGRAM_SECRET}`)).json();
  const form = new FormData();
  form.append('media', new Blob([png], { type: 'image/png' }), 'p.png');
  const up = await (await fetch(`${base}/cgi-bin/media/upload?access_token=${token.access_token}&type=image`, { method: 'POST', body: form })).json();
  const got = await sdk().openapi.customerServiceMessage.getTempMedia({ mediaId: up.media_id });
  assert.equal(sha256(got.buffer), sha256(png));
});

test('type voice is thrown as 40004: mini programs upload images only', async () => {
  await assert.rejects(
    sdk().openapi.customerServiceMessage.uploadTempMedia({ type: 'voice', media: { contentType: 'audio/amr', value: png } }),
    (err) => {
      assert.equal(err.errCode, 40004);
      assert.match(err.errMsg, /^openapi\.customerServiceMessage\.uploadTempMedia:fail invalid media type rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
      return true;
    });
});

test('a bogus mediaId is thrown as 40007', async () => {
  await assert.rejects(
    sdk().openapi.customerServiceMessage.getTempMedia({ mediaId: 'x'.repeat(64) }),
    (err) => err.errCode === 40007
      && /^openapi\.customerServiceMessage\.getTempMedia:fail invalid media_id rid: /.test(err.errMsg));
});

test('an API tempmedia does not serve is the no-permission error naming it', async () => {
  await assert.rejects(
    sdk().openapi.wxacode.getUnlimited({ scene: 'a=1' }),
    (err) => err.errCode === -604101 && /^openapi\.wxacode\.getUnlimited:fail function has no permission to call this API/.test(err.errMsg));
});

test('cloud.openapi({appid}) acts for that app; an unknown or non-mini-program appid is 40013', async () => {
  const api = sdk();
  const up = await api.openapi({ appid: MINI_PROGRAM }).customerServiceMessage.uploadTempMedia({
    type: 'image', media: { contentType: 'image/png', value: png },
  });
  const got = await api.openapi.customerServiceMessage.getTempMedia({ mediaId: up.mediaId });
  assert.equal(sha256(got.buffer), sha256(png));
  for (const appid of ['wx00000000000000ff', OFFICIAL_ACCOUNT]) {
    await assert.rejects(
      api.openapi({ appid }).customerServiceMessage.getTempMedia({ mediaId: up.mediaId }),
      (err) => err.errCode === 40013, appid);
  }
});

test('customerServiceMessage.send of an uploaded image reaches the outbox with its media resolved', async () => {
  const api = sdk();
  const up = await api.openapi.customerServiceMessage.uploadTempMedia({
    type: 'image', media: { contentType: 'image/png', value: png },
  });
  const touser = 'oCloudUser' + Date.now();
  const sent = await api.openapi.customerServiceMessage.send({ touser, msgtype: 'image', image: { mediaId: up.mediaId } });
  assert.equal(sent.errCode, 0);
  assert.equal(sent.errMsg, 'openapi.customerServiceMessage.send:ok');
  const { messages } = await (await fetch(`${base}/_tempmedia/messages?to=${touser}&wait=PT5S`)).json();
  assert.equal(messages.length, 1);
  const [m] = messages;
  assert.equal(m.appid, MINI_PROGRAM);
  assert.equal(m.endpoint, '/tcb/admin');
  assert.equal(m.msgtype, 'image');
  // The SDK made the keys snake_case (mediaId → media_id) before they left the function.
  assert.deepEqual(m.body.image, { media_id: up.mediaId });
  assert.deepEqual(m.media, [{ field: 'image.media_id', mediaId: up.mediaId, type: 'image', contentType: 'image/png', size: png.length }]);
});

test('customerServiceMessage.send of a miniprogrampage with a bogus thumb is thrown as 40007 and kept nowhere', async () => {
  const touser = 'oCloudRefused' + Date.now();
  await assert.rejects(
    sdk().openapi.customerServiceMessage.send({
      touser, msgtype: 'miniprogrampage',
      miniprogrampage: { title: 't', pagepath: 'pages/index', thumbMediaId: 'x'.repeat(64) },
    }),
    (err) => err.errCode === 40007 && /^openapi\.customerServiceMessage\.send:fail invalid media_id rid: /.test(err.errMsg));
  const { messages } = await (await fetch(`${base}/_tempmedia/messages?to=${touser}`)).json();
  assert.deepEqual(messages, []);
});

test('an injected -1 on /tcb/admin is thrown by the SDK as -1', async () => {
  await post('/_tempmedia/faults', { path: '/tcb/admin', errcode: -1, times: 1 });
  await assert.rejects(
    sdk().openapi.customerServiceMessage.uploadTempMedia({ type: 'image', media: { contentType: 'image/png', value: png } }),
    (err) => err.errCode === -1 && /:fail system error rid: /.test(err.errMsg));
  const ok = await sdk().openapi.customerServiceMessage.uploadTempMedia({ type: 'image', media: { contentType: 'image/png', value: png } });
  assert.equal(ok.errCode, 0);
});

test('an unchanged cloud function, pointed at tempmedia by TCB_CONTEXT_CNFG and TENCENTCLOUD_* variables', async () => {
  const env = {
    ...process.env,
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${base}/tcb/admin` }),
    TCB_ENV: 'dev-env',
    TENCENTCLOUD_SECRETID: 'any',
    TENCENTCLOUD_SECRETKEY: 'any',
  };
  const event = { contentType: 'image/jpeg', base64: jpeg.toString('base64') };
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, [cloudFunction, JSON.stringify(event)], { env }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))));
  });
  assert.equal(out.uploaded?.errCode, 0, JSON.stringify(out));
  assert.equal(out.contentType, 'image/jpeg');
  assert.equal(sha256(Buffer.from(out.base64, 'base64')), sha256(jpeg));
});

test('prod mode verifies the TC3-HMAC-SHA256 signature: a wrong SecretKey is refused, the right one served', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempmedia-wx-config-'));
  const config = join(dir, 'tempmedia.yaml');
  writeFileSync(config, [
    'mode: prod',
    'admin: { token: admin-token-for-the-test }',
    'apps:',
    '  - { product: mini-program, appid: wx1234567890abcdef, secret: 0123456789abcdef0123456789abcdef }',
    'cloud:',
    '  secretId: AKIDtempmediatest',
    '  secretKey: the-right-secret-key',
    '  envs: { prod-env: wx1234567890abcdef }',
    '',
  ].join('\n'));
  const url = await startServer(['--config', config]);
  const media = { type: 'image', media: { contentType: 'image/png', value: png } };
  await assert.rejects(
    sdk(url, { env: 'prod-env', secretId: 'AKIDtempmediatest', secretKey: 'a-wrong-secret-key' }).openapi.customerServiceMessage.uploadTempMedia(media),
    (err) => {
      assert.equal(err.errCode, -501001);
      assert.match(err.errMsg, /signature does not match/);
      return true;
    });
  const up = await sdk(url, { env: 'prod-env', secretId: 'AKIDtempmediatest', secretKey: 'the-right-secret-key' })
    .openapi.customerServiceMessage.uploadTempMedia(media);
  assert.equal(up.errCode, 0);
  await assert.rejects(
    sdk(url, { env: 'other-env', secretId: 'AKIDtempmediatest', secretKey: 'the-right-secret-key' }).openapi.customerServiceMessage.uploadTempMedia(media),
    (err) => /env 'other-env' is not in cloud.envs/.test(err.errMsg));
  rmSync(dir, { recursive: true, force: true });
});

// Last: it moves the server's clock for every test after it.
test('a media is thrown as 40007 once the clock has moved 72 hours', async () => {
  const api = sdk();
  const up = await api.openapi.customerServiceMessage.uploadTempMedia({ type: 'image', media: { contentType: 'image/png', value: png } });
  await post('/_tempmedia/clock', { advance: 'PT72H' });
  await assert.rejects(
    api.openapi.customerServiceMessage.getTempMedia({ mediaId: up.mediaId }),
    (err) => err.errCode === 40007);
});
