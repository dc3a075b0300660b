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

/** filesUnder lists the files below dir (Node 18 has no recursive readdir). */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

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

test('a verified download runs the binary with the step environment, stdio, arguments and exit code', async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { env: s.env, args: ['--flag', 'two words'] });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stdout, /args=\["--flag" "two words"\]\n/);
  assert.match(r.stdout, /^INPUT_API-URL=https:\/\/api\.github\.com\nINPUT_OPERATION=list\n/m);
  assert.match(r.stdout, new RegExp(`${TOOL} ${VERSION} \\(${ASSET.replace('.', '\\.')}, sha256 ${h.sha256(s.stub)}\\) downloaded and verified\n`));
  assert.equal(r.stderr, 'stub writes to stderr\n');
  assert.equal(fs.readFileSync(s.marker, 'utf8'), 'ran\n');
  assert.deepEqual(s.server.requests, [ASSET_PATH]);
});

test('exit code 0 of the binary is the exit code of the step', async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { env: { ...s.env, STUB_EXIT: '0' } });
  assert.equal(r.code, 0, r.stderr);
});

test('a second step uses the tool cache and downloads nothing', async (t) => {
  const s = await setup(t);
  const first = await h.runShim(s.dir, { env: s.env });
  assert.equal(first.code, 3, first.stderr);
  const digest = h.sha256(s.stub);
  const cached = path.join(s.cache, TOOL, '1.2.3', digest, ASSET);
  assert.deepEqual(fs.readFileSync(cached), s.stub);
  if (process.platform !== 'win32') assert.equal(fs.statSync(cached).mode & 0o777, 0o755);
  assert.deepEqual(fs.readdirSync(path.dirname(cached)), [ASSET], 'temporary files left beside the binary');

  fs.rmSync(s.marker);
  const second = await h.runShim(s.dir, { env: s.env });
  assert.equal(second.code, 3, second.stderr);
  assert.match(second.stdout, /from the tool cache\n/);
  assert.equal(fs.existsSync(s.marker), true, 'the cached binary did not run');
  assert.equal(s.server.count(ASSET_PATH), 1, 'requests for the asset over two runs');
});

test('a damaged cached binary is downloaded again, never run', async (t) => {
  const s = await setup(t);
  assert.equal((await h.runShim(s.dir, { env: s.env })).code, 3);
  const cached = path.join(s.cache, TOOL, '1.2.3', h.sha256(s.stub), ASSET);
  fs.writeFileSync(cached, '#!/bin/sh\necho tampered\n');
  const r = await h.runShim(s.dir, { env: s.env });
  assert.equal(r.code, 3, r.stderr);
  assert.doesNotMatch(r.stdout, /tampered/);
  assert.match(r.stdout, /has sha256 [0-9a-f]{64}, not [0-9a-f]{64}: downloading it again/);
  assert.deepEqual(fs.readFileSync(cached), s.stub);
  assert.equal(s.server.count(ASSET_PATH), 2);
});

test('a binary whose checksum is not the release file\'s is refused, and nothing runs', async (t) => {
  const wrong = Buffer.from('#!/bin/sh\necho substituted\n');
  const s = await setup(t, { routes: { [ASSET_PATH]: h.bytes(wrong) } });
  const r = await h.runShim(s.dir, { env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`^::error::cannot get ${TOOL} ${VERSION} for ${process.platform}/${process.arch}: .*${ASSET.replace('.', '\\.')} has sha256 ${h.sha256(wrong)}, but the release file of ${VERSION} records ${h.sha256(s.stub)}: the download is not the released binary; nothing was run\n$`, 'm'));
  assert.doesNotMatch(r.stdout, /substituted/);
  assert.equal(s.server.count(ASSET_PATH), 1, 'a wrong digest is not retried');
});

test('a release file without this platform fails before any download, and nothing runs', async (t) => {
  const s = await setup(t, { omit: [ASSET] });
  const r = await h.runShim(s.dir, { env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`::error::the release file of ${VERSION} has no SHA-256 for ${ASSET.replace('.', '\\.')} \\(${process.platform}/${process.arch}\\)`));
  assert.deepEqual(s.server.requests, []);
});

test('a broken release file is an error, never a build from source', async (t) => {
  const s = await setup(t);
  fs.writeFileSync(path.join(s.dir, 'release.json'), '{"repository": "acme/tool", "version": "1.2.3", "download": "http://example.com/x", "sha256": {}}\n');
  const r = await h.runShim(s.dir, { env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::.*release\.json is not a valid release file: version "1\.2\.3" is not vMAJOR\.MINOR\.PATCH; download base "http:\/\/example\.com\/x" is not https/);
  assert.doesNotMatch(r.stdout, /building/);
  assert.deepEqual(s.server.requests, []);
});

test('an HTTP 404 fails at once, naming the URL, and nothing runs', async (t) => {
  const s = await setup(t, { routes: {} });
  const r = await h.runShim(s.dir, { env: s.env });
  assertNothingRan(s, r);
  assert.match(r.stdout, new RegExp(`::error::cannot get .*GET ${s.server.url}${ASSET_PATH.replace('.', '\\.')} answered 404: the release has no such asset`));
  assert.equal(s.server.count(ASSET_PATH), 1, 'a 404 is not retried');
});

test('outside a workflow the error goes to stderr', async (t) => {
  const s = await setup(t, { routes: {} });
  const env = { ...s.env };
  delete env.GITHUB_ACTIONS;
  const r = await h.runShim(s.dir, { env });
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

test('an HTTP 500 is tried three times with waits between, then fails clearly, and nothing runs', async (t) => {
  const s = await setup(t, { routes: { [ASSET_PATH]: h.status(500) } });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.equal(s.server.count(ASSET_PATH), 3);
  assert.deepEqual(r.sleeps, shim.DOWNLOAD.retryDelaysMs);
  assert.match(r.stdout, /download attempt 1 failed \(GET .* answered 500\); trying again in 1 s\n/);
  assert.match(r.stdout, new RegExp(`::error::cannot get ${TOOL} ${VERSION} .*: the download failed 3 times, the last with: GET .* answered 500\n`));
});

test('a download that fails once and then succeeds runs the binary', async (t) => {
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

test('a truncated download is retried and then fails clearly, and nothing runs', async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, {
    routes: {
      [ASSET_PATH]: (req, res) => {
        res.writeHead(200, { 'content-length': stub.length });
        res.write(stub.subarray(0, 1000));
        setImmediate(() => res.socket.destroy());
      },
    },
  });
  const r = await mainInProcess(s);
  assertNothingRan(s, r);
  assert.equal(s.server.count(ASSET_PATH), 3);
  assert.match(r.stdout, /::error::cannot get .*the download failed 3 times, the last with: .*(connection closed before the end|truncated|aborted)/);
});

test('a server that does not answer times out and is retried', async (t) => {
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

test('a redirect is followed, as GitHub sends downloads to its object store', async (t) => {
  const stub = h.stubBinary();
  const s = await setup(t, {
    routes: {
      [ASSET_PATH]: (req, res) => res.writeHead(302, { location: '/objects/abc' }).end(),
      '/objects/abc': h.bytes(stub),
    },
  });
  const r = await h.runShim(s.dir, { env: s.env });
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

test('SIGTERM and SIGINT reach the binary, and its exit code is the step\'s', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 20_000 }, async (t) => {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    const s = await setup(t);
    const r = await h.runShim(s.dir, { env: { ...s.env, STUB_WAIT: 'catch' }, onStdout: signalWhenReady(sig) });
    assert.equal(r.code, 7, `${sig}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`stub got ${sig === 'SIGTERM' ? 'terminated' : 'interrupt'}\n`));
  }
});

test('a binary killed by a signal fails the step', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 20_000 }, async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { env: { ...s.env, STUB_WAIT: 'die' }, onStdout: signalWhenReady('SIGTERM') });
  assert.equal(r.code, 128 + 15, r.stdout + r.stderr);
});

test('a download base override with credentials is refused without showing them, and nothing runs', async (t) => {
  const s = await setup(t);
  const r = await h.runShim(s.dir, { env: { ...s.env, [shim.BASE_URL_ENV]: `http://user:hunter2@127.0.0.1:1/releases` } });
  assertNothingRan(s, r);
  assert.match(r.stdout, /::error::CODESPACES_ORG_SECRETS_DOWNLOAD_BASE must be an http or https URL without credentials, query or fragment, not "http:\/\/127\.0\.0\.1:1\/releases"\n/);
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
  assert.deepEqual(s.server.requests, []);
});
