'use strict';
// The native shim, run as the runner runs it: node on a copy of the action,
// a loopback server in place of the GitHub release, and a stub binary that
// echoes what it was given.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { assetFor, PLATFORMS, TOOL } = require('../release-file.js');
const shim = require('../shim.js');
const h = require('./helpers.js');

const ASSET = assetFor(process.platform, process.arch);
const VERSION = 'v1.2.3';
const ASSET_PATH = `/releases/download/${VERSION}/${ASSET}`;

/**
 * setup gives a test a copy of the action whose release file records the
 * stub's digest, a server serving routes (the stub by default), a tool cache
 * and the environment of a step with two inputs.
 */
async function setup(t, { routes, sums, omit } = {}) {
  const root = h.tempDir(t);
  const stub = h.stubBinary();
  const dir = h.makeAction(root, { sums: sums ?? { [ASSET]: h.sha256(stub) }, omit });
  const server = await h.serve(t, routes ?? { [ASSET_PATH]: h.bytes(stub) });
  const cache = path.join(root, 'tool-cache');
  const marker = path.join(root, 'ran');
  const env = h.stepEnv(root, `${server.url}/releases/download/${VERSION}`, {
    INPUT_OPERATION: 'list',
    'INPUT_API-URL': 'https://api.github.com',
    STUB_MARKER: marker,
    STUB_EXIT: '3',
  });
  return { root, dir, server, cache, marker, env, stub };
}

const { filesUnder } = h;

function assertNothingRan(s, r) {
  assert.equal(fs.existsSync(s.marker), false, `the binary ran:\n${r.stdout}`);
  assert.equal(r.code, 1, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  assert.deepEqual(filesUnder(s.cache), [], 'files left in the tool cache');
}

test('the platform table maps each runner to its release asset', () => {
  const want = {
    'linux/x64': 'codespaces-org-secrets_linux_amd64',
    'linux/arm64': 'codespaces-org-secrets_linux_arm64',
    'darwin/x64': 'codespaces-org-secrets_darwin_amd64',
    'darwin/arm64': 'codespaces-org-secrets_darwin_arm64',
    'win32/x64': 'codespaces-org-secrets_windows_amd64.exe',
    'win32/arm64': 'codespaces-org-secrets_windows_arm64.exe',
  };
  const got = {};
  for (const p of PLATFORMS) got[`${p.platform}/${p.arch}`] = assetFor(p.platform, p.arch);
  assert.deepEqual(got, want);
});

test('a platform no release ships is refused, naming those it does', () => {
  for (const [platform, arch] of [['freebsd', 'x64'], ['linux', 'ia32'], ['linux', 's390x'], ['win32', 'ia32']]) {
    assert.throws(() => assetFor(platform, arch), (err) => {
      assert.match(err.message, new RegExp(`no native binary for "${platform}/${arch}"`));
      assert.match(err.message, /linux\/x64, linux\/arm64, darwin\/x64, darwin\/arm64, win32\/x64, win32\/arm64/);
      assert.match(err.message, /Docker action/);
      return true;
    });
  }
});

test('a verified download runs the binary with the step environment, stdio, arguments and exit code', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { t, env: s.env, args: ['--flag', 'two words'] });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /args=\["--flag" "two words"\]\n/);
  assert.match(r.stdout, /^INPUT_API-URL=https:\/\/api\.github\.com\nINPUT_OPERATION=list\n/m);
  assert.match(r.stdout, new RegExp(`${TOOL} ${VERSION} \\(${ASSET.replace('.', '\\.')}, sha256 ${h.sha256(s.stub)}\\) downloaded and verified\n`));
  assert.equal(r.stderr, 'stub writes to stderr\n');
  assert.equal(fs.readFileSync(s.marker, 'utf8'), 'ran\n');
  assert.deepEqual(s.server.requests, [ASSET_PATH]);
});

test('exit code 0 of the binary is the exit code of the step', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { t, env: { ...s.env, STUB_EXIT: '0' } });
  assert.equal(r.code, 0, r.stderr);
});

test('a second step uses the tool cache and downloads nothing', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const first = await h.runShim(s.dir, { t, env: s.env });
  assert.equal(first.code, 3, first.stderr);
  const digest = h.sha256(s.stub);
  const cached = path.join(s.cache, TOOL, '1.2.3', digest, ASSET);
  assert.deepEqual(fs.readFileSync(cached), s.stub);
  if (process.platform !== 'win32') assert.equal(fs.statSync(cached).mode & 0o777, 0o755);
  assert.deepEqual(fs.readdirSync(path.dirname(cached)), [ASSET], 'temporary files left beside the binary');

  fs.rmSync(s.marker);
  const second = await h.runShim(s.dir, { t, env: s.env });
  assert.equal(second.code, 3, second.stderr);
  assert.match(second.stdout, /from the tool cache\n/);
  assert.equal(fs.existsSync(s.marker), true, 'the cached binary did not run');
  assert.equal(s.server.count(ASSET_PATH), 1, 'requests for the asset over two runs');
});

test('steps that start together with an empty tool cache all run the verified binary and leave one file', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, { routes: { [ASSET_PATH]: h.cutShort(stub, 4096, { cut: false }) } });
  const env = { ...s.env, STUB_QUIET: '1' };
  const rs = await Promise.all([1, 2, 3, 4].map(() => h.runShim(s.dir, { t, env })));
  for (const r of rs) assert.equal(r.code, 3, r.stdout + r.stderr);
  const dir = path.join(s.cache, TOOL, '1.2.3', h.sha256(stub));
  assert.deepEqual(fs.readdirSync(dir), [ASSET], 'temporary files left in the cache');
  assert.deepEqual(fs.readFileSync(path.join(dir, ASSET)), stub);
});

test('a damaged cached binary is downloaded again, never run', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  assert.equal((await h.runShim(s.dir, { t, env: s.env })).code, 3);
  const cached = path.join(s.cache, TOOL, '1.2.3', h.sha256(s.stub), ASSET);
  fs.writeFileSync(cached, '#!/bin/sh\necho tampered\n');
  const r = await h.runShim(s.dir, { t, env: s.env });
  assert.equal(r.code, 3, r.stderr);
  assert.doesNotMatch(r.stdout, /tampered/);
  assert.match(r.stdout, /has sha256 [0-9a-f]{64}, not [0-9a-f]{64}: downloading it again/);
  assert.deepEqual(fs.readFileSync(cached), s.stub);
  assert.equal(s.server.count(ASSET_PATH), 2);
});

test('a binary whose checksum is not the release file\'s is refused, and nothing runs', { timeout: 60_000 }, async (t) => {
  const wrong = Buffer.from('#!/bin/sh\necho substituted\n');
  const s = await setup(t, { routes: { [ASSET_PATH]: h.bytes(wrong) } });
  const r = await h.runShim(s.dir, { t, env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`^::error::cannot get ${TOOL} ${VERSION} for ${process.platform}/${process.arch}: .*${ASSET.replace('.', '\\.')} has sha256 ${h.sha256(wrong)}, but the release file of ${VERSION} records ${h.sha256(s.stub)}: the download is not the released binary; nothing was run\n$`, 'm'));
  assert.doesNotMatch(r.stdout, /substituted/);
  assert.equal(s.server.count(ASSET_PATH), 1, 'a wrong digest is not retried');
});

test('a release file without this platform fails before any download, and nothing runs', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { omit: [ASSET] });
  const r = await h.runShim(s.dir, { t, env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`::error::the release file of ${VERSION} has no SHA-256 for ${ASSET.replace('.', '\\.')} \\(${process.platform}/${process.arch}\\)`));
  assert.deepEqual(s.server.requests, []);
});

test('a broken release file is an error, never a build from source', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  fs.writeFileSync(path.join(s.dir, 'release.json'), '{"repository": "acme/tool", "version": "1.2.3", "download": "http://example.com/x", "sha256": {}}\n');
  const r = await h.runShim(s.dir, { t, env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::.*release\.json is not a valid release file: version "1\.2\.3" is not vMAJOR\.MINOR\.PATCH; download base "http:\/\/example\.com\/x" is not https/);
  assert.doesNotMatch(r.stdout, /building/);
  assert.deepEqual(s.server.requests, []);
});

test('an HTTP 404 fails at once, naming the URL, and nothing runs', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: {} });
  const r = await h.runShim(s.dir, { t, env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`::error::cannot get .*GET ${s.server.url}${ASSET_PATH.replace('.', '\\.')} answered 404: the release has no such asset`));
  assert.equal(s.server.count(ASSET_PATH), 1, 'a 404 is not retried');
});

test('outside a workflow the error goes to stderr', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: {} });
  const env = { ...s.env };
  delete env.GITHUB_ACTIONS;
  const r = await h.runShim(s.dir, { t, env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: cannot get .* answered 404/);
  assert.doesNotMatch(r.stdout, /::error::/);
});

// The retries, in-process with a recording sleep: no real waiting.
async function mainInProcess(s, extra = {}) {
  const out = [];
  const sleeps = [];
  const code = await shim.main({
    actionDir: s.dir,
    args: [],
    env: s.env,
    stdout: { write: (x) => out.push(x) },
    stderr: { write: (x) => out.push(x) },
    sleep: async (ms) => sleeps.push(ms),
    ...extra,
  });
  return { code, stdout: out.join(''), sleeps };
}

// A refusal is permanent: the release, the repository or the asset is not
// there for an anonymous download (a private repository answers 404, a
// blocked one 403 or 451, a deleted one 410), and trying again only makes
// the step slower before it fails the same way.
for (const code of [400, 401, 403, 410, 451]) {
  test(`an HTTP ${code} fails at once, naming the URL, and is never tried again`, { timeout: 60_000 }, async (t) => {
    const s = await setup(t, { routes: { [ASSET_PATH]: h.status(code) } });
    const r = await mainInProcess(s);
    assertNothingRan(s, r);
    assert.equal(s.server.count(ASSET_PATH), 1, `a ${code} is not retried`);
    assert.deepEqual(r.sleeps, [], 'no wait before failing');
    assert.doesNotMatch(r.stdout, /download attempt 1 failed/);
    assert.match(r.stdout, new RegExp(`::error::cannot get ${TOOL} ${VERSION} .*GET ${s.server.url}${ASSET_PATH.replace('.', '\\.')} answered ${code}\n`));
  });
}

test('an HTTP 429 is a rate limit, not a refusal: it is tried again', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: { [ASSET_PATH]: h.status(429) } });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.equal(s.server.count(ASSET_PATH), 3);
  assert.deepEqual(r.sleeps, shim.DOWNLOAD.retryDelaysMs);
});

test('a release file whose digest for this platform is not 64 lower-case hex digits fails before any download', { timeout: 60_000 }, async (t) => {
  for (const digest of ['ABC', 'abc', h.sha256(h.stubBinary()).toUpperCase(), h.sha256(h.stubBinary()).slice(1)]) {
    const s = await setup(t, { sums: { [ASSET]: 'a'.repeat(64) } });
    const file = path.join(s.dir, 'release.json');
    const release = JSON.parse(fs.readFileSync(file, 'utf8'));
    release.sha256[ASSET] = digest;
    fs.writeFileSync(file, JSON.stringify(release, null, 2) + '\n');
    const r = await mainInProcess(s);
    assertNothingRan(s, r);
    assert.match(r.stdout, new RegExp(`::error::.*release\\.json is not a valid release file: the sha256 of ${ASSET.replace('.', '\\.')} is "${digest}", not 64 lower-case hex digits`));
    assert.deepEqual(s.server.requests, [], `a download was tried for the digest ${digest}`);
  }
});

test('an HTTP 500 is tried three times with waits between, then fails clearly, and nothing runs', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: { [ASSET_PATH]: h.status(500) } });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.equal(s.server.count(ASSET_PATH), 3);
  assert.deepEqual(r.sleeps, shim.DOWNLOAD.retryDelaysMs);
  assert.match(r.stdout, /download attempt 1 failed \(GET .* answered 500\); trying again in 1 s\n/);
  assert.match(r.stdout, new RegExp(`::error::cannot get ${TOOL} ${VERSION} .*: the download failed 3 times, the last with: GET .* answered 500\n`));
});

test('a download that fails once and then succeeds runs the binary', { timeout: 60_000 }, async (t) => {
  let calls = 0;
  const stub = h.stubBinary();
  const s = await setup(t, {
    routes: { [ASSET_PATH]: (req, res) => (++calls === 1 ? h.status(503)(req, res) : h.bytes(stub)(req, res)) },
  });
  const r = await mainInProcess(s, { env: { ...s.env, STUB_QUIET: '1' } });
  assert.equal(r.code, 3, r.stdout);
  assert.equal(fs.existsSync(s.marker), true);
  assert.equal(s.server.count(ASSET_PATH), 2);
  assert.deepEqual(r.sleeps, [1000]);
});

test('a truncated download is retried and then fails clearly, and nothing runs', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, { routes: { [ASSET_PATH]: h.cutShort(stub, 1000) } });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.equal(s.server.count(ASSET_PATH), 3);
  assert.match(r.stdout, /::error::cannot get .*the download failed 3 times, the last with: .*(connection closed before the end|truncated|aborted)/);
});

test('a server that does not answer times out and is retried', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: { [ASSET_PATH]: () => {} } });
  const file = path.join(s.root, 'download');
  const sleeps = [];
  await assert.rejects(
    shim.download(`${s.server.url}${ASSET_PATH}`, file, { timeoutMs: 50, sleep: async (ms) => sleeps.push(ms) }),
    /the download failed 3 times, the last with: GET .* no complete answer within 0\.05 s/,
  );
  // Three attempts, each cut off by its deadline. The server's count is not
  // checked: on a busy machine an attempt may time out before its request
  // even arrives.
  assert.deepEqual(sleeps, [1000, 3000]);
  assert.equal(fs.existsSync(file), false);
});

test('a redirect is followed, as GitHub sends downloads to its object store', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, {
    routes: {
      [ASSET_PATH]: (req, res) => res.writeHead(302, { location: '/objects/abc' }).end(),
      '/objects/abc': h.bytes(stub),
    },
  });
  const r = await h.runShim(s.dir, { t, env: s.env });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.deepEqual(s.server.requests, [ASSET_PATH, '/objects/abc']);
});

/** signalWhenReady sends sig to the shim once the stub says it waits for one. */
function signalWhenReady(sig) {
  let sent = false;
  return (out, child) => {
    if (!sent && out.includes('ready\n')) {
      sent = true;
      child.kill(sig);
    }
  };
}

test('SIGTERM and SIGINT reach the binary, and its exit code is the step\'s', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 60_000 }, async (t) => {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    const s = await setup(t);
    const r = await h.runShim(s.dir, { t, env: { ...s.env, STUB_WAIT: 'catch' }, onStdout: signalWhenReady(sig) });
    assert.equal(r.code, 7, `${sig}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`stub got ${sig === 'SIGTERM' ? 'terminated' : 'interrupt'}\n`));
  }
});

test('a binary killed by a signal fails the step', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { t, env: { ...s.env, STUB_WAIT: 'die' }, onStdout: signalWhenReady('SIGTERM') });
  assert.equal(r.code, 128 + 15, r.stdout + r.stderr);
});

test('a download base override with credentials is refused without showing them, and nothing runs', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { t, env: { ...s.env, [shim.BASE_URL_ENV]: `http://user:hunter2@127.0.0.1:1/releases` } });
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::CODESPACES_ORG_SECRETS_DOWNLOAD_BASE must be an http or https URL without credentials, query or fragment, not "http:\/\/127\.0\.0\.1:1\/releases"\n/);
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
  assert.deepEqual(s.server.requests, []);
});

// Review findings of issue 15: what the shim does on Windows, behind a proxy,
// on a signal before the binary runs, and with a server that misbehaves.

const { EventEmitter } = require('node:events');

/** fakeChild is a child process that records the signals sent to it. */
function fakeChild() {
  const child = new EventEmitter();
  child.kills = [];
  child.kill = (sig) => child.kills.push(sig);
  return child;
}

test('on Windows a signal is not passed on with child.kill, which would end the binary mid-sync; elsewhere it is', async () => {
  for (const [platform, want] of [['win32', []], ['linux', ['SIGINT', 'SIGTERM']], ['darwin', ['SIGINT', 'SIGTERM']]]) {
    const proc = new EventEmitter();
    const child = fakeChild();
    const running = shim.run('bin', [], {}, { platform, spawnFn: () => child, proc });
    // The handlers are there on Windows too, so node does not exit on Ctrl+C.
    assert.equal(proc.listenerCount('SIGINT'), 1, platform);
    assert.equal(proc.listenerCount('SIGTERM'), 1, platform);
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGTERM', 'SIGTERM');
    child.emit('exit', 5, null);
    assert.equal(await running, 5, platform);
    assert.deepEqual(child.kills, want, platform);
    assert.equal(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM'), 0, `${platform}: handlers left`);
  }
});

test('an https download that redirects to http is refused, and nothing is fetched over http or run', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: { '/objects/abc': h.bytes(h.stubBinary()) } });
  const tls = await h.serveTLS(t, (req, res) => res.writeHead(302, { location: `${s.server.url}/objects/abc` }).end());
  const env = { ...s.env, [shim.BASE_URL_ENV]: `https://127.0.0.1:${tls.port}/releases/download/${VERSION}`, NODE_EXTRA_CA_CERTS: h.TLS.cert };
  const r = await h.runShim(s.dir, { t, env });
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::cannot get .*redirects to http: 127\.0\.0\.1:\d+, which is not https\n/);
  assert.deepEqual(tls.requests, [ASSET_PATH], 'a refused redirect is not retried');
  assert.deepEqual(s.server.requests, [], 'requests made over http');
});

test('a Location header that is not a URL fails at once with a clear error, and nothing runs', { timeout: 60_000 }, async (t) => {
  const s = await setup(t, { routes: { [ASSET_PATH]: (req, res) => res.writeHead(302, { location: 'http://[::1' }).end() } });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::cannot get .*\/releases\/download\/v1\.2\.3\/[^ ]+ redirects to "http:\/\/\[::1", which is not a URL\n/);
  assert.equal(s.server.count(ASSET_PATH), 1, 'a malformed redirect is not retried');
  assert.deepEqual(r.sleeps, []);
});

/** redirectChain serves /hop/0 → /hop/1 → … → /hop/n, which is the stub. */
function redirectChain(n, stub) {
  const routes = { [ASSET_PATH]: (req, res) => res.writeHead(302, { location: '/hop/1' }).end() };
  for (let i = 1; i < n; i++) routes[`/hop/${i}`] = (req, res) => res.writeHead(307, { location: `/hop/${i + 1}` }).end();
  routes[`/hop/${n}`] = h.bytes(stub);
  return routes;
}

test('five redirects are followed, a sixth is refused at once, and nothing runs', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  const five = await setup(t, { routes: redirectChain(5, stub) });
  const ok = await mainInProcess(five, { env: { ...five.env, STUB_QUIET: '1' } });
  assert.equal(ok.code, 3, ok.stdout);
  assert.equal(five.server.requests.length, 6);

  const six = await setup(t, { routes: redirectChain(6, stub) });
  const r = await mainInProcess(six);
  assertNothingRan(six, r);
  assert.match(r.stdout, /::error::cannot get .*\/hop\/5 redirects more than 5 times \(the last to http:\/\/127\.0\.0\.1:\d+\/hop\/6\)\n/);
  assert.equal(six.server.requests.length, 6, 'one request per hop, no retry, and /hop/6 never asked for');
  assert.deepEqual(r.sleeps, []);
});

test('a download cut short once and then complete is retried and runs the binary', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  let calls = 0;
  const s = await setup(t, {
    routes: {
      [ASSET_PATH]: (req, res) => (++calls > 1 ? h.bytes(stub) : h.cutShort(stub, 1000))(req, res),
    },
  });
  const r = await mainInProcess(s, { env: { ...s.env, STUB_QUIET: '1' } });
  assert.equal(r.code, 3, r.stdout);
  assert.equal(s.server.count(ASSET_PATH), 2);
  assert.deepEqual(r.sleeps, [1000]);
  assert.match(r.stdout, /download attempt 1 failed \(.*(connection closed before the end|truncated|aborted).*\); trying again in 1 s\n/);
});

test('behind a proxy, an https download goes through a CONNECT tunnel to the host, verified as usual', { timeout: 60_000 }, async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, { routes: {} });
  const tls = await h.serveTLS(t, (req, res) => h.bytes(stub)(req, res));
  const proxy = await h.connectProxy(t, tls.port);
  const proxied = new URL(proxy.url);
  proxied.username = 'runner';
  proxied.password = 'p@ss';
  // downloads.example.test resolves nowhere: only the proxy can reach it.
  const env = {
    ...s.env,
    [shim.BASE_URL_ENV]: `https://${h.TLS.host}/releases/download/${VERSION}`,
    HTTPS_PROXY: proxied.href,
    NO_PROXY: 'localhost,.github.com',
    NODE_EXTRA_CA_CERTS: h.TLS.cert,
  };
  const r = await h.runShim(s.dir, { t, env });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.equal(fs.existsSync(s.marker), true);
  assert.deepEqual(proxy.targets, [`CONNECT ${h.TLS.host}:443 Basic ${Buffer.from('runner:p@ss').toString('base64')}`]);
  assert.deepEqual(tls.requests, [ASSET_PATH]);
  assert.doesNotMatch(r.stdout + r.stderr, /p@ss|p%40ss/, 'the proxy password in the log');
});

test('the proxy is chosen as Go chooses it: HTTPS_PROXY for https, HTTP_PROXY for http, never for loopback or what NO_PROXY lists', () => {
  const P = 'http://proxy.internal:3128';
  const cases = [
    ['https://github.com/x', { HTTPS_PROXY: P }, P],
    ['https://github.com/x', { https_proxy: P }, P],
    ['https://github.com/x', { HTTPS_PROXY: 'proxy.internal:3128' }, P],
    ['https://github.com/x', { HTTP_PROXY: P }, null],
    ['http://mirror.internal/x', { HTTP_PROXY: P }, P],
    ['http://mirror.internal/x', { HTTPS_PROXY: P }, null],
    ['https://github.com/x', {}, null],
    ['https://127.0.0.1:8443/x', { HTTPS_PROXY: P }, null],
    ['https://localhost/x', { HTTPS_PROXY: P }, null],
    ['https://[::1]/x', { HTTPS_PROXY: P }, null],
    ['https://github.com/x', { HTTPS_PROXY: P, NO_PROXY: '*' }, null],
    ['https://github.com/x', { HTTPS_PROXY: P, NO_PROXY: 'example.com, github.com' }, null],
    ['https://objects.githubusercontent.com/x', { HTTPS_PROXY: P, no_proxy: '.githubusercontent.com' }, null],
    ['https://objects.githubusercontent.com/x', { HTTPS_PROXY: P, NO_PROXY: 'githubusercontent.com' }, null],
    ['https://objects.githubusercontent.com/x', { HTTPS_PROXY: P, NO_PROXY: '*.githubusercontent.com' }, null],
    ['https://notgithub.com/x', { HTTPS_PROXY: P, NO_PROXY: 'github.com' }, P],
    ['https://github.com/x', { HTTPS_PROXY: P, NO_PROXY: 'github.com:8443' }, P],
    ['https://github.com:8443/x', { HTTPS_PROXY: P, NO_PROXY: 'github.com:8443' }, null],
    ['https://[2001:db8::1]/x', { HTTPS_PROXY: P, NO_PROXY: '2001:db8::1' }, null],
    ['https://[2001:db8::1]/x', { HTTPS_PROXY: P, NO_PROXY: '[2001:db8::1]:443' }, null],
  ];
  for (const [url, env, want] of cases) {
    const got = shim.proxyFor(new URL(url), env);
    assert.equal(got && got.href.replace(/\/$/, ''), want, `${url} with ${JSON.stringify(env)}`);
  }
  assert.throws(() => shim.proxyFor(new URL('https://github.com/x'), { HTTPS_PROXY: 'https://proxy.internal:3128' }), /HTTPS_PROXY is a https: proxy, and the native shim supports only http:\/\/ proxies/);
});

test('a signal during the download removes the unfinished file and ends the step with 128 plus its number', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 60_000 }, async (t) => {
  for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]]) {
    // The server sends part of the body and never the rest.
    const s = await setup(t, {
      routes: {
        [ASSET_PATH]: (req, res) => {
          res.writeHead(200, { 'content-length': 1 << 20 });
          res.write(Buffer.alloc(1000));
        },
      },
    });
    const running = h.runShim(s.dir, { t, env: s.env });
    await h.waitFor(() => filesUnder(s.cache).some((f) => f.endsWith('.tmp')));
    running.child.kill(sig);
    const r = await running;
    assert.equal(r.code, code, `${sig}: ${r.stdout}${r.stderr}`);
    assert.deepEqual(filesUnder(s.cache), [], `${sig}: files left in the tool cache`);
    assert.equal(fs.existsSync(s.marker), false);
  }
});

/** renameFs is an fs whose renameSync fails with the given codes in turn, then renames; other calls go to fs. */
function renameFs(codes, { existing } = {}) {
  const calls = [];
  return {
    calls,
    renameSync: (from, to) => {
      calls.push('rename');
      const code = codes.shift();
      if (code) throw Object.assign(new Error(`${code}: rename`), { code });
    },
    existsSync: (f) => existing !== undefined,
    readFileSync: () => existing,
  };
}

test('on Windows a rename into the cache that finds the file busy is tried again 100 ms later, up to five times', async () => {
  const sleeps = [];
  const sleep = async (ms) => sleeps.push(ms);
  const fsi = renameFs(['EPERM', 'EBUSY', 'EACCES']);
  await shim.renameInto('tmp', 'file', 'digest', { platform: 'win32', fsi, sleep });
  assert.deepEqual(fsi.calls, ['rename', 'rename', 'rename', 'rename']);
  assert.deepEqual(sleeps, [100, 100, 100]);

  sleeps.length = 0;
  const busy = renameFs(Array(7).fill('EPERM'));
  await assert.rejects(shim.renameInto('tmp', 'file', 'digest', { platform: 'win32', fsi: busy, sleep }), /EPERM/);
  assert.equal(busy.calls.length, 1 + shim.RENAME_RETRIES.count);
  assert.deepEqual(sleeps, Array(shim.RENAME_RETRIES.count).fill(100));
});

test('elsewhere, or for another error, a failed rename into the cache is not tried again', async () => {
  const sleep = async () => assert.fail('waited');
  for (const [platform, code] of [['linux', 'EPERM'], ['darwin', 'EBUSY'], ['win32', 'ENOSPC']]) {
    const fsi = renameFs([code]);
    await assert.rejects(shim.renameInto('tmp', 'file', 'digest', { platform, fsi, sleep }), new RegExp(code));
    assert.deepEqual(fsi.calls, ['rename'], `${platform} ${code}`);
  }
});

test('a rename that loses the race to another step uses the file that step put there, when its digest is right', async () => {
  const good = Buffer.from('the released binary');
  const sleep = async () => assert.fail('waited');
  for (const platform of ['linux', 'win32']) {
    const fsi = renameFs(['EPERM'], { existing: good });
    await shim.renameInto('tmp', 'file', h.sha256(good), { platform, fsi, sleep });
    assert.deepEqual(fsi.calls, ['rename'], platform);
  }
  const wrong = renameFs(['EPERM'], { existing: Buffer.from('something else') });
  await assert.rejects(shim.renameInto('tmp', 'file', h.sha256(good), { platform: 'linux', fsi: wrong, sleep }), /EPERM/);
});

test('without RUNNER_TOOL_CACHE the binary is cached in the user\'s own cache directory, not in a shared one', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const home = path.join(s.root, 'home');
  const env = { ...s.env, HOME: home, STUB_QUIET: '1' };
  delete env.RUNNER_TOOL_CACHE;
  delete env.XDG_CACHE_HOME;
  delete env.LOCALAPPDATA;
  env.USERPROFILE = home;
  const r = await mainInProcess(s, { env });
  assert.equal(r.code, 3, r.stdout);
  const want = path.join(shim.userCacheDir(env, process.platform), TOOL, '1.2.3', h.sha256(s.stub), ASSET);
  assert.ok(want.startsWith(home + path.sep), want);
  assert.deepEqual(filesUnder(home), [want]);
  assert.deepEqual(filesUnder(s.cache), []);
});

test('the user cache directory is XDG_CACHE_HOME or ~/.cache, ~/Library/Caches on macOS, LOCALAPPDATA on Windows', () => {
  const home = () => '/home/fallback';
  const cases = [
    ['linux', { HOME: '/home/u' }, '/home/u/.cache'],
    ['linux', { HOME: '/home/u', XDG_CACHE_HOME: '/var/cache/u' }, '/var/cache/u'],
    ['linux', { HOME: '/home/u', XDG_CACHE_HOME: 'relative' }, '/home/u/.cache'],
    ['linux', {}, '/home/fallback/.cache'],
    ['darwin', { HOME: '/Users/u', XDG_CACHE_HOME: '/x' }, '/Users/u/Library/Caches'],
    ['win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local', USERPROFILE: 'C:\\Users\\u' }, 'C:\\Users\\u\\AppData\\Local'],
  ];
  for (const [platform, env, want] of cases) assert.equal(shim.userCacheDir(env, platform, home), want, `${platform} ${JSON.stringify(env)}`);
  assert.equal(shim.userCacheDir({ USERPROFILE: 'C:\\Users\\u' }, 'win32', home), path.join('C:\\Users\\u', 'AppData', 'Local'));
});

test('temporary downloads older than an hour, left by a step that was killed, are removed by the next download', { timeout: 60_000 }, async (t) => {
  const s = await setup(t);
  const dir = path.join(s.cache, TOOL, '1.2.3', h.sha256(s.stub));
  fs.mkdirSync(dir, { recursive: true });
  const old = path.join(dir, `.${ASSET}.1234.deadbeef.tmp`);
  const fresh = path.join(dir, `.${ASSET}.5678.cafef00d.tmp`);
  const other = path.join(dir, 'unrelated.tmp');
  for (const f of [old, fresh, other]) fs.writeFileSync(f, 'partial');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
  fs.utimesSync(other, twoHoursAgo, twoHoursAgo);
  const r = await mainInProcess(s, { env: { ...s.env, STUB_QUIET: '1' } });
  assert.equal(r.code, 3, r.stdout);
  assert.deepEqual(fs.readdirSync(dir).sort(), [`.${ASSET}.5678.cafef00d.tmp`, ASSET, 'unrelated.tmp'].sort());
});

test('the shim is modules of at most 300 lines each, and a copy of the action has every one of them', () => {
  for (const f of fs.readdirSync(h.NATIVE).filter((n) => n.endsWith('.js'))) {
    const lines = fs.readFileSync(path.join(h.NATIVE, f), 'utf8').split('\n').length - 1;
    assert.ok(lines <= 300, `native/${f} has ${lines} lines: split it into modules of at most 300, one concern each`);
    assert.ok(h.SHIM_FILES.includes(f), `native/${f} is not in SHIM_FILES, the files a copy of the action needs`);
  }
});
