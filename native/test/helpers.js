'use strict';
// Shared by the native shim's tests and native/bench/overhead.js: a copy of
// the action with the release file a test wants, a loopback server that
// counts requests, and a way to run the shim as the runner does.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ASSETS, TOOL } = require('../release-file.js');
const { BASE_URL_ENV } = require('../shim.js');

const NATIVE = path.join(__dirname, '..');
const REPO = path.join(NATIVE, '..');
const WRITER = path.join(NATIVE, 'release', 'write-release-file.mjs');
/** The files of native/ the runner loads: a copy of them is a whole action. */
const SHIM_FILES = ['action.yml', 'main.js', 'shim.js', 'release-file.js'];
const EXE = process.platform === 'win32' ? '.exe' : '';

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

function tempDir(t, prefix = 'native-test-') {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (t) t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** goBuild builds the Go main package in dir into out, or throws with go's output. */
function goBuild(dir, out) {
  const r = spawnSync('go', ['build', '-trimpath', '-o', out, '.'], {
    cwd: dir,
    env: { ...process.env, CGO_ENABLED: '0', GOWORK: 'off', GOFLAGS: '' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`go build in ${dir} failed: ${r.error ? r.error.message : r.stderr}`);
  return out;
}

let stub;
/** stubBinary returns the bytes of testdata/stub, built once per process. */
function stubBinary() {
  if (!stub) {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'native-stub-'));
    stub = fs.readFileSync(goBuild(path.join(__dirname, 'testdata', 'stub'), path.join(d, `stub${EXE}`)));
    fs.rmSync(d, { recursive: true, force: true });
  }
  return stub;
}

/**
 * writeRelease runs the release's writer on a checksums file that gives
 * sums[asset] for the assets named there and the digest of other bytes for
 * the rest, as the release would, and returns the release file's text.
 */
function writeRelease(dir, { repository = 'acme/tool', version = 'v1.2.3', sums = {}, omit = [] } = {}) {
  const lines = ASSETS.filter((a) => !omit.includes(a)).map((a) => `${sums[a] ?? sha256(`not ${a}`)}  ${a}`);
  const checksums = path.join(dir, 'checksums.txt');
  fs.writeFileSync(checksums, lines.join('\n') + '\n');
  const out = path.join(dir, 'release.json');
  const r = spawnSync(process.execPath, [WRITER, '--repository', repository, '--version', version, '--base-url', `https://github.com/${repository}/releases/download/${version}`, '--checksums', checksums, '--out', out], { encoding: 'utf8' });
  return { ...r, out };
}

/**
 * makeAction copies the shim into root/native, as the runner checks out an
 * action, and gives it a release file recording sums (none when sums is
 * null: a commit that is not a release). It returns root/native.
 */
function makeAction(root, { sums = null, omit = [], version = 'v1.2.3' } = {}) {
  const dir = path.join(root, 'native');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of SHIM_FILES) fs.copyFileSync(path.join(NATIVE, f), path.join(dir, f));
  if (sums) {
    // The writer refuses a release with an asset missing, so a file that
    // lacks one is written whole and then edited, as a broken one would be.
    const r = writeRelease(root, { sums, version });
    if (r.status !== 0) throw new Error(`the writer failed: ${r.stderr}`);
    const release = JSON.parse(fs.readFileSync(r.out, 'utf8'));
    for (const a of omit) delete release.sha256[a];
    fs.writeFileSync(path.join(dir, 'release.json'), JSON.stringify(release, null, 2) + '\n');
  }
  return dir;
}

/**
 * serve starts a server on 127.0.0.1 that answers each path with
 * routes[path](req, res), and 404 for any other, and counts every request.
 */
async function serve(t, routes) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const route = routes[req.url];
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    server.closeAllConnections?.();
    return new Promise((resolve) => server.close(resolve));
  };
  if (t) t.after(close);
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    count: (p) => requests.filter((r) => r === p).length,
    close,
  };
}

/** bytes is a route that serves b as a download. */
const bytes = (b) => (req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': b.length }).end(b);

/** status is a route that answers with a status and no download. */
const status = (code) => (req, res) => res.writeHead(code, { 'content-type': 'text/plain' }).end(`status ${code}\n`);

/**
 * cleanEnv is this process's environment without anything that would steer
 * the shim or the binary: no INPUT_*, GITHUB_*, RUNNER_* or test variables.
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_|STUB_|CODESPACES_ORG_SECRETS_)/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * stepEnv is the environment of a workflow step whose runner keeps its tool
 * cache and temporary files under root, and whose downloads come from
 * downloadBase: cleanEnv with those and extra.
 */
function stepEnv(root, downloadBase, extra = {}) {
  return cleanEnv({
    GITHUB_ACTIONS: 'true',
    RUNNER_TOOL_CACHE: path.join(root, 'tool-cache'),
    RUNNER_TEMP: root,
    [BASE_URL_ENV]: downloadBase,
    ...extra,
  });
}

/**
 * runShim starts node on dir/main.js, as the runner starts a node action,
 * and resolves to its exit code and output. onStdout sees each chunk as it
 * comes, with the child process.
 */
function runShim(dir, { env, args = [], onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dir, 'main.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      if (onStdout) onStdout(stdout, child);
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

module.exports = { NATIVE, REPO, WRITER, TOOL, EXE, ASSETS, sha256, tempDir, goBuild, stubBinary, writeRelease, makeAction, serve, bytes, status, cleanEnv, stepEnv, runShim };
