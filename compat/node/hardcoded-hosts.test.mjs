// node-easywechat (npm), unchanged: its WeCom (Work) and Official Account clients hard-code
// https://qyapi.weixin.qq.com and https://api.weixin.qq.com. They reach tempmedia the way an app in
// a deployment would, through the environment alone (SPEC §11): HTTPS_PROXY names tempmedia's
// forward proxy, which answers the CONNECT itself with a leaf of its local CA, and
// NODE_EXTRA_CA_CERTS trusts that CA (GET /_tempmedia/ca.pem). Node reads NODE_EXTRA_CA_CERTS only
// at start, so the client runs in a child process (fixtures/easywechat-client.cjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHealth } from './tempmedia-server.mjs';

const JAR = process.env.JAR_UNDER_TEST ?? new URL('../../target/tempmedia.jar', import.meta.url).pathname;
const JAVA = process.env.JAVA ?? 'java';
const CLIENT = new URL('./fixtures/easywechat-client.cjs', import.meta.url).pathname;
const PICTURE = new URL('./fixtures/picture.png', import.meta.url).pathname;
const png = readFileSync(PICTURE);
const APPS = {
  corpId: 'ww0000000000000003',
  corpSecret: 'devsecret00000000000000000000003',
  appId: 'wx0000000000000001',
  appSecret: 'devsecret00000000000000000000001',
  file: PICTURE,
};

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
let server;
let dataDir;
let base;
let proxyPort;
let caFile;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tempmedia-hosts-'));
  const port = await freePort();
  proxyPort = await freePort();
  // TEMPMEDIA_* variables configure the server (and unknown ones stop it): the child gets none of ours.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPMEDIA_')));
  server = spawn(JAVA, ['-jar', JAR, 'serve', '--port', String(port), '--proxy-port', String(proxyPort), '--data', join(dataDir, 'data')],
    { env, stdio: process.env.DEBUG_SERVER ? 'inherit' : 'ignore' });
  base = `http://127.0.0.1:${port}`;
  await waitForHealth(`${base}/_tempmedia/health`, Date.now() + 30_000);
  const ca = await fetch(`${base}/_tempmedia/ca.pem`);
  assert.equal(ca.status, 200);
  const pem = await ca.text();
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/);
  caFile = join(dataDir, 'ca.pem');
  writeFileSync(caFile, pem);
});

after(() => {
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Runs the client in a fresh node with only the proxy (and, if given, the CA) set: every proxy or CA
 * setting of ours is dropped first, so nothing else can carry it. Resolves to its JSON line and exit code.
 */
function runClient({ trustCa }) {
  const env = Object.fromEntries(Object.entries(process.env).filter(
    ([k]) => !/^(https?_proxy|all_proxy|no_proxy|node_extra_ca_certs|node_tls_reject_unauthorized|node_options)$/i.test(k)));
  env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
  if (trustCa) env.NODE_EXTRA_CA_CERTS = caFile;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLIENT, JSON.stringify(APPS)], { env, cwd: dataDir, timeout: 60_000 }, (err, stdout, stderr) => {
      try {
        resolve({ code: err ? err.code : 0, out: JSON.parse(stdout) });
      } catch {
        reject(new Error(`the client printed no JSON (exit ${err?.code}): ${stdout}\n${stderr}`));
      }
    });
  });
}

async function inspected() {
  const r = await fetch(`${base}/_tempmedia/requests?limit=1000`);
  assert.equal(r.status, 200);
  return (await r.json()).requests;
}

test('Work token, image upload and byte-identical get, and an Official Account token, through the proxy with the CA trusted', async () => {
  const seen = new Set((await inspected()).map((r) => r.rid));
  const { code, out } = await runClient({ trustCa: true });
  assert.equal(code, 0, JSON.stringify(out));
  assert.match(out.workToken, /^[A-Za-z0-9_-]{54,}$/);
  assert.equal(out.upload.errcode, 0, JSON.stringify(out.upload));
  assert.equal(out.upload.type, 'image');
  assert.match(out.upload.media_id, /^[A-Za-z0-9_-]{20,}$/);
  assert.equal(out.contentType, 'image/png');
  const got = Buffer.from(out.base64, 'base64');
  assert.equal(got.length, png.length);
  assert.equal(sha256(got), sha256(png));
  assert.match(out.officialAccountToken, /^[A-Za-z0-9_-]{54,}$/);

  // Every call came through a CONNECT tunnel that tempmedia's own TLS ended.
  const fresh = (await inspected()).filter((r) => !seen.has(r.rid)).reverse();
  assert.deepEqual(
    fresh.map((r) => [r.method, r.path, r.appid, r.via, r.errcode]),
    [
      ['GET', '/cgi-bin/gettoken', APPS.corpId, 'proxy-connect', 0],
      ['POST', '/cgi-bin/media/upload', APPS.corpId, 'proxy-connect', 0],
      ['GET', '/cgi-bin/media/get', APPS.corpId, 'proxy-connect', 0],
      ['GET', '/cgi-bin/token', APPS.appId, 'proxy-connect', 0],
    ]);
});

test('without NODE_EXTRA_CA_CERTS the same client fails on the certificate and reaches no WeChat route', async () => {
  const seen = new Set((await inspected()).map((r) => r.rid));
  const { code, out } = await runClient({ trustCa: false });
  assert.notEqual(code, 0);
  assert.ok(out.error, JSON.stringify(out));
  // Node names an unknown issuer of a lone leaf so; any other certificate error would do as well.
  assert.match(`${out.error.code} ${out.error.message}`,
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|CERT_|certificate/i,
    JSON.stringify(out.error));
  const fresh = (await inspected()).filter((r) => !seen.has(r.rid));
  assert.deepEqual(fresh.filter((r) => r.path.startsWith('/cgi-bin/')), []);
});
