// co-wechat-api (npm), unchanged but for its base URL, against a real tempmedia server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHealth } from './tempmedia-server.mjs';
import WechatAPI from 'co-wechat-api';

const APPID = 'wx0000000000000001';
const SECRET = 'devsecret00000000000000000000001';
const JAR = process.env.JAR_UNDER_TEST ?? new URL('../../target/tempmedia.jar', import.meta.url).pathname;
const JAVA = process.env.JAVA ?? 'java';
const photo = readFileSync(new URL('./fixtures/photo.jpg', import.meta.url));

let server;
let dataDir;
let base;

const sha256 = (b) => createHash('sha256').update(b).digest('hex');



function client() {
  const api = new WechatAPI(APPID, SECRET);
  api.prefix = `${base}/cgi-bin/`; // the only change a user makes…
  api.fileServerPrefix = `${base}/cgi-bin/`; // …and this one for uploadMPVideo (file.api.weixin.qq.com)
  return api;
}

/** The smallest file the server reads as MP4: an ftyp box, then a free box to make up the size. */
function mp4(size) {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(24, 0);
  b.write('ftypisom', 4, 'latin1');
  b.writeUInt32BE(512, 12);
  b.write('isomavc1', 16, 'latin1');
  b.writeUInt32BE(size - 24, 24);
  b.write('free', 28, 'latin1');
  return b;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tempmedia-node-'));
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
});

test('token', async () => {
  const token = await client().getAccessToken();
  assert.match(token.accessToken, /^[A-Za-z0-9_-]+$/);
  assert.ok(token.expireTime > Date.now() + 7000 * 1000);
});

test('upload from a file path and download byte-identical', async () => {
  const api = client();
  const up = await api.uploadMedia(new URL('./fixtures/photo.jpg', import.meta.url).pathname, 'image');
  assert.equal(up.type, 'image');
  assert.match(up.media_id, /^[A-Za-z0-9_-]{64}$/);
  assert.equal(typeof up.created_at, 'number');
  const bytes = await api.getMedia(up.media_id);
  assert.ok(Buffer.isBuffer(bytes));
  assert.equal(sha256(bytes), sha256(photo));
});

test('upload from a Buffer as a thumb answers thumb_media_id', async () => {
  const up = await client().uploadMedia(photo, 'thumb', 'thumb.jpg', 'image/jpeg');
  assert.equal(up.type, 'thumb');
  assert.match(up.thumb_media_id, /^[A-Za-z0-9_-]{64}$/);
});

test('uploadImage answers a URL that serves the image without a token', async () => {
  const up = await client().uploadImage(new URL('./fixtures/photo.jpg', import.meta.url).pathname);
  assert.ok(up.url.startsWith(`${base}/_tempmedia/img/`), up.url);
  const r = await fetch(up.url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/jpeg');
  assert.equal(sha256(Buffer.from(await r.arrayBuffer())), sha256(photo));
});

test('uploadMPVideo makes a video media_id into one for mass sending', async () => {
  const api = client();
  const video = await api.uploadMedia(mp4(20_000), 'video', 'clip.mp4', 'video/mp4');
  assert.equal(video.type, 'video');
  const mass = await api.uploadMPVideo({ media_id: video.media_id, title: 'TITLE', description: 'Description' });
  assert.equal(mass.type, 'video');
  assert.match(mass.media_id, /^[A-Za-z0-9_-]{64}$/);
  assert.notEqual(mass.media_id, video.media_id);
  assert.equal(typeof mass.created_at, 'number');
  await assert.rejects(api.uploadMPVideo({ media_id: 'x'.repeat(64) }), (err) => err.code === 40007);
});

test('a refusal is a WeChatAPIError with the code and WeChat text', async () => {
  await assert.rejects(
    client().uploadMedia(Buffer.from('plain text, not an image'), 'image', 'a.jpg', 'image/jpeg'),
    (err) => {
      assert.equal(err.name, 'WeChatAPIError');
      assert.equal(err.code, 40005);
      assert.match(err.message, /^invalid file type rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
      return true;
    });
  await assert.rejects(client().getMedia('x'.repeat(64)), (err) => err.code === 40007);
});

test('a token the server no longer accepts is fetched again and the call retried', async () => {
  const api = client();
  const up = await api.uploadMedia(photo, 'image', 'p.jpg', 'image/jpeg');
  // The client holds a token it believes valid for an hour that the server never issued: 40001.
  await api.saveToken({ accessToken: 'A'.repeat(40), expireTime: Date.now() + 3600_000 });
  const bytes = await api.getMedia(up.media_id);
  assert.equal(sha256(bytes), sha256(photo));
  const { accessToken } = await api.getToken();
  assert.notEqual(accessToken, 'A'.repeat(40));
});
