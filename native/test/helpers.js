'use strict';
// Shared by the native shim's tests and native/bench/overhead.js: a copy of
// the action with the release file a test wants, a loopback server that
// counts requests, and a way to run the shim as the runner does.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ASSETS, TOOL } = require('../release-file.js');
const { BASE_URL_ENV } = require('../shim.js');

const NATIVE = path.join(__dirname, '..');
const REPO = path.join(NATIVE, '..');
const WRITER = path.join(NATIVE, 'release', 'write-release-file.mjs');
/** The files of native/ the runner loads: a copy of them is a whole action. */
const SHIM_FILES = ['action.yml', 'main.js', 'shim.js', 'download.js', 'cache.js', 'build.js', 'run.js', 'release-file.js'];
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
    // spawnSync holds the event loop, so no test timeout could end a hang.
    timeout: 240_000,
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
  const r = spawnSync(process.execPath, [WRITER, '--repository', repository, '--version', version, '--base-url', `https://github.com/${repository}/releases/download/${version}`, '--checksums', checksums, '--out', out], { encoding: 'utf8', timeout: 30_000 });
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

/**
 * The test-only certificate and key in testdata/tls (valid for a century,
 * for 127.0.0.1 and downloads.example.test): a shim started with
 * NODE_EXTRA_CA_CERTS=TLS.cert trusts a server that serves them.
 */
const TLS = Object.freeze({
  cert: path.join(__dirname, 'testdata', 'tls', 'cert.pem'),
  key: path.join(__dirname, 'testdata', 'tls', 'key.pem'),
  host: 'downloads.example.test',
});

/** serveTLS starts an https server on 127.0.0.1 with the TLS certificate that answers every request with handler. */
async function serveTLS(t, handler) {
  const requests = [];
  const server = https.createServer({ key: fs.readFileSync(TLS.key), cert: fs.readFileSync(TLS.cert) }, (req, res) => {
    requests.push(req.url);
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(resolve);
  }));
  return { port: server.address().port, requests };
}

/**
 * connectProxy starts an http proxy on 127.0.0.1 that answers each CONNECT,
 * whatever host it names, with a tunnel to 127.0.0.1:port, and records the
 * targets it was asked for.
 */
async function connectProxy(t, port) {
  const targets = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    targets.push(`${req.method} ${req.url}`);
    res.writeHead(405).end();
  });
  server.on('connect', (req, client, head) => {
    targets.push(`CONNECT ${req.url} ${req.headers['proxy-authorization'] ?? ''}`.trim());
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.closeAllConnections?.();
    server.close(resolve);
  }));
  return { url: `http://127.0.0.1:${server.address().port}`, targets };
}

/** bytes is a route that serves b as a download. */
const bytes = (b) => (req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': b.length }).end(b);

/**
 * cutShort is a route that announces all of b, sends its first n bytes and
 * then either closes the connection (cut) or, a turn of the event loop
 * later, sends the rest (so that parallel downloads overlap).
 */
const cutShort = (b, n, { cut = true } = {}) => (req, res) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': b.length });
  res.write(b.subarray(0, n));
  setImmediate(() => (cut ? res.socket.destroy() : res.end(b.subarray(n))));
};

/** status is a route that answers with a status and no download. */
const status = (code) => (req, res) => res.writeHead(code, { 'content-type': 'text/plain' }).end(`status ${code}\n`);

/**
 * cleanEnv is this process's environment without anything that would steer
 * the shim or the binary: no INPUT_*, GITHUB_*, RUNNER_* or test variables,
 * no proxy and no extra CA.
 */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_|STUB_|CODESPACES_ORG_SECRETS_|HTTPS?_PROXY$|NO_PROXY$|NODE_EXTRA_CA_CERTS$)/i.test(k)) env[k] = v;
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

/** waitFor resolves once check() is true, looking every 10 ms: it waits for a state, never for a time. */
async function waitFor(check) {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** filesUnder lists the files below dir (Node 18 has no recursive readdir). */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * runShim starts node on dir/main.js, as the runner starts a node action,
 * and resolves to its exit code and output. onStdout sees each chunk as it
 * comes, with the child process. When the test t ends (passed, failed or
 * timed out) a shim still running is killed, so none outlives its test.
 * The promise's child is the process.
 */
function runShim(dir, { t, env, args = [], onStdout } = {}) {
  if (!t) throw new Error('runShim needs the test, to kill the shim when the test ends');
  const child = spawn(process.execPath, [path.join(dir, 'main.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const done = new Promise((resolve, reject) => {
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
  // The process too, for a test that signals it.
  done.child = child;
  return done;
}

module.exports = { NATIVE, REPO, WRITER, SHIM_FILES, TOOL, EXE, ASSETS, TLS, sha256, tempDir, goBuild, stubBinary, writeRelease, makeAction, serve, serveTLS, connectProxy, bytes, cutShort, status, cleanEnv, stepEnv, waitFor, filesUnder, runShim };
