'use strict';
// The native entry point's shim: it finds the binary for this runner, makes
// sure it is the one the release commit recorded, and runs it in the step's
// place. Node's standard library only: a node action runs from its checkout,
// with no npm install.
//
// With native/release.json (a release commit): download the asset for this
// platform from the release, verify its SHA-256 against the release file
// before it is ever executed, keep it in RUNNER_TOOL_CACHE, run it.
// Without (main, a fork, uses: ./native): build it from the action's own
// source with the go on PATH, and run that.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { TOOL, RELEASE_FILE, assetFor, validate } = require('./release-file.js');

/** The variable that replaces the release file's download base (a mirror, or a test server). */
const BASE_URL_ENV = 'CODESPACES_ORG_SECRETS_DOWNLOAD_BASE';

/** Download defaults: each attempt may take this long, and failed ones wait this long before the next. */
const DOWNLOAD = Object.freeze({ timeoutMs: 60_000, retryDelaysMs: [1_000, 3_000] });

const USER_AGENT = `${TOOL}-native-shim`;

/** A failure that is not worth another attempt (a 404, a wrong digest). */
class PermanentError extends Error {}

/**
 * readReleaseFile returns the parsed, checked release file in dir, or null
 * when there is none. A file that is there but wrong is an error: it never
 * falls back to building from source.
 */
function readReleaseFile(dir) {
  const file = path.join(dir, RELEASE_FILE);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${err.message}`);
  }
  let r;
  try {
    r = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON (${err.message}); the release writes it with native/release/write-release-file.mjs`);
  }
  const problems = validate(r);
  if (problems.length) throw new Error(`${file} is not a valid release file: ${problems.join('; ')}`);
  return r;
}

/** sha256File returns the hex SHA-256 of a file's bytes (a binary of a few MB: read whole, it is quickest). */
function sha256File(file, fsi = fs) {
  return crypto.createHash('sha256').update(fsi.readFileSync(file)).digest('hex');
}

/** isLoopback tells a host name that is this machine, which is never proxied (as Go's net/http does). */
function isLoopback(hostname) {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h);
}

/**
 * proxyFor returns the URL of the proxy to reach u through, or null: the one
 * HTTPS_PROXY (or https_proxy) names for an https URL, HTTP_PROXY (or
 * http_proxy) for an http one, unless the host is loopback or NO_PROXY (or
 * no_proxy) lists it, as the Go binary reads them: "*", a host and its
 * subdomains ("example.com" or ".example.com"), optionally with ":port".
 * Only http:// proxies are supported.
 */
function proxyFor(u, env) {
  const name = u.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const raw = env[name] || env[name.toLowerCase()];
  if (!raw || isLoopback(u.hostname)) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  for (let entry of (env.NO_PROXY || env.no_proxy || '').split(',')) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return null;
    let entryPort = '';
    const m = /^(.*?):(\d+)$/.exec(entry);
    if (m && !entry.endsWith(']') && (m[1].startsWith('[') || !m[1].includes(':'))) [, entry, entryPort] = m;
    entry = entry.replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
    if (entryPort && entryPort !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return null;
  }
  let p;
  try {
    p = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new PermanentError(`${name} is not a URL; give the proxy as http://host:port, or list ${u.hostname} in NO_PROXY`);
  }
  if (p.protocol !== 'http:') {
    throw new PermanentError(`${name} is a ${p.protocol} proxy, and the native shim supports only http:// proxies; set ${name} to an http:// proxy for this step, or use ${BASE_URL_ENV} with a mirror it can reach`);
  }
  return p;
}

/** proxyHeaders returns the Proxy-Authorization header a proxy URL's credentials call for. */
function proxyHeaders(p) {
  if (!p.username) return {};
  const cred = `${decodeURIComponent(p.username)}:${decodeURIComponent(p.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(cred).toString('base64')}` };
}

/**
 * tunnel asks the http proxy p to CONNECT to u's host and port, and resolves
 * to the socket it opened, for TLS to u to run over.
 */
function tunnel(p, u, signal) {
  const target = `${u.hostname}:${u.port || 443}`;
  return new Promise((resolve, reject) => {
    const req = require('node:http').request({
      host: p.hostname,
      port: p.port || 80,
      method: 'CONNECT',
      path: target,
      headers: { host: target, 'user-agent': USER_AGENT, ...proxyHeaders(p) },
      signal,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return reject(new Error(`the proxy ${p.host} answered ${res.statusCode} to CONNECT ${target}`));
      }
      resolve(socket);
    });
    req.on('error', (err) => reject(signal.aborted ? err : new Error(`cannot reach the proxy ${p.host}: ${err.message}`)));
    req.end();
  });
}

/**
 * get makes one GET request and resolves to the response, following up to
 * five redirects (GitHub sends release downloads to its object store), each
 * through the proxy the environment names for it (proxyFor). It never
 * follows https to http.
 */
async function get(url, { signal, env = {}, redirects = 5 }) {
  const u = new URL(url);
  // Loaded here, not at the top: a step that finds its binary in the tool
  // cache never pays for loading TLS.
  const mod = u.protocol === 'https:' ? require('node:https') : u.protocol === 'http:' ? require('node:http') : null;
  if (!mod) throw new PermanentError(`cannot download ${url}: only http and https are supported`);
  const headers = { 'user-agent': USER_AGENT, accept: 'application/octet-stream' };
  const proxy = proxyFor(u, env);
  let opts = { signal, headers };
  let target = u;
  if (proxy && u.protocol === 'https:') {
    const socket = await tunnel(proxy, u, signal);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const tls = require('node:tls');
    // No servername for an IP address: TLS's SNI names hosts only.
    opts.createConnection = () => tls.connect({ socket, host, servername: require('node:net').isIP(host) ? undefined : host });
  } else if (proxy) {
    // A plain http request goes to the proxy with the whole URL as its path.
    target = new URL(`http://${proxy.host}`);
    opts = { ...opts, path: u.href, headers: { ...headers, host: u.host, ...proxyHeaders(proxy) } };
  }
  const res = await new Promise((resolve, reject) => {
    const req = mod.get(target, opts, resolve);
    req.on('error', reject);
  });
  if (![301, 302, 303, 307, 308].includes(res.statusCode) || !res.headers.location) return res;
  res.resume();
  let next;
  try {
    next = new URL(res.headers.location, u);
  } catch {
    throw new PermanentError(`${url} redirects to ${JSON.stringify(res.headers.location)}, which is not a URL`);
  }
  if (redirects === 0) throw new PermanentError(`${url} redirects more than 5 times (the last to ${next.href})`);
  if (u.protocol === 'https:' && next.protocol !== 'https:') {
    throw new PermanentError(`${url} redirects to ${next.protocol} ${next.host}, which is not https`);
  }
  return get(next.href, { signal, env, redirects: redirects - 1 });
}

/**
 * fetchOnce downloads url into file and resolves to the hex SHA-256 of what
 * it wrote. A 404 or another 4xx is permanent; a 5xx, a 429, a network
 * error, a timeout or a body shorter than its Content-Length may pass on
 * another attempt.
 */
async function fetchOnce(url, file, timeoutMs, env) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`no complete answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const res = await get(url, { signal: ac.signal, env });
    if (res.statusCode !== 200) {
      res.resume();
      const msg = `GET ${url} answered ${res.statusCode}`;
      if (res.statusCode === 404) throw new PermanentError(`${msg}: the release has no such asset (is the release published, and is the download base right?)`);
      if (res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 429) throw new PermanentError(msg);
      throw new Error(msg);
    }
    const want = res.headers['content-length'] === undefined ? -1 : Number(res.headers['content-length']);
    const h = crypto.createHash('sha256');
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let got = 0;
    try {
      await new Promise((resolve, reject) => {
        res.on('data', (c) => {
          got += c.length;
          h.update(c);
          if (!out.write(c)) {
            res.pause();
            out.once('drain', () => res.resume());
          }
        });
        res.on('end', resolve);
        const cut = () => reject(new Error('the connection closed before the end of the download'));
        res.on('aborted', cut);
        res.on('close', () => res.complete || cut());
        res.on('error', reject);
        out.on('error', reject);
      });
    } finally {
      // 'close', not 'finish': the file must be closed before it is run, or
      // Linux refuses to execute it (ETXTBSY).
      await new Promise((resolve) => {
        if (out.closed) return resolve();
        out.once('close', resolve);
        out.end();
      });
    }
    if (!res.complete || (want >= 0 && got !== want)) {
      throw new Error(`the download is truncated: ${got} of ${want >= 0 ? want : 'an unknown number of'} bytes`);
    }
    return h.digest('hex');
  } catch (err) {
    if (ac.signal.aborted && !(err instanceof PermanentError)) throw new Error(`GET ${url}: ${ac.signal.reason.message}`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * download fetches url into file with retries, and resolves to the hex
 * SHA-256 of the bytes. env gives the proxy variables (proxyFor); sleep is
 * injected so tests need no real waits.
 */
async function download(url, file, { timeoutMs = DOWNLOAD.timeoutMs, retryDelaysMs = DOWNLOAD.retryDelaysMs, sleep = defaultSleep, log = () => {}, env = {} } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, file, timeoutMs, env);
    } catch (err) {
      fs.rmSync(file, { force: true });
      if (err instanceof PermanentError) throw err;
      if (attempt >= retryDelaysMs.length) {
        throw new Error(`the download failed ${attempt + 1} times, the last with: ${err.message}`);
      }
      log(`download attempt ${attempt + 1} failed (${err.message}); trying again in ${retryDelaysMs[attempt] / 1000} s`);
      await sleep(retryDelaysMs[attempt]);
    }
  }
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * overrideBase checks the download base given in BASE_URL_ENV: an http or
 * https URL (the digest decides what runs, not the transport) with no
 * credentials, which would show in the log, and no query or fragment.
 */
function overrideBase(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`${BASE_URL_ENV} is ${JSON.stringify(raw)}, not a URL; give the URL of a directory that serves the release's assets, or unset it`);
  }
  if (!['http:', 'https:'].includes(u.protocol) || u.username || u.password || u.search || u.hash) {
    throw new Error(`${BASE_URL_ENV} must be an http or https URL without credentials, query or fragment, not ${JSON.stringify(`${u.protocol}//${u.host}${u.pathname}`)}`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * userCacheDir is where the binary is cached on a runner that sets no
 * RUNNER_TOOL_CACHE: the user's own cache directory (XDG_CACHE_HOME or
 * ~/.cache, ~/Library/Caches on macOS, LOCALAPPDATA on Windows), never a
 * shared directory such as /tmp, where another user could put a directory
 * of the same name first.
 */
function userCacheDir(env, platform, homedir = os.homedir) {
  if (platform === 'win32') return env.LOCALAPPDATA || path.join(env.USERPROFILE || homedir(), 'AppData', 'Local');
  if (platform === 'darwin') return path.join(env.HOME || homedir(), 'Library', 'Caches');
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return env.XDG_CACHE_HOME;
  return path.join(env.HOME || homedir(), '.cache');
}

/** How long a temporary download may lie in the cache before a later step removes it: its step has surely ended. */
const STALE_TMP_MS = 60 * 60 * 1000;

/** removeStaleTemps removes the temporary downloads of asset in dir older than STALE_TMP_MS (best effort). */
function removeStaleTemps(dir, asset, now = Date.now()) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(`.${asset}.`) || !n.endsWith('.tmp')) continue;
    try {
      const f = path.join(dir, n);
      if (now - fs.statSync(f).mtimeMs > STALE_TMP_MS) fs.rmSync(f, { force: true });
    } catch {}
  }
}

/** The errors of a rename on Windows while another process (an antivirus scan, a running step) holds the file. */
const WINDOWS_BUSY = ['EPERM', 'EACCES', 'EBUSY'];
const RENAME_RETRIES = Object.freeze({ count: 5, delayMs: 100 });

/**
 * renameInto moves the verified download tmp to file. When the rename fails
 * but file is already there with the wanted digest (another step put it
 * there first; on Windows a running .exe cannot be replaced), that one is
 * used. On Windows a busy file is tried again RENAME_RETRIES.count times,
 * RENAME_RETRIES.delayMs apart. fsi and sleep are injected for tests.
 */
async function renameInto(tmp, file, want, { platform, fsi = fs, sleep = defaultSleep }) {
  for (let retry = 0; ; retry++) {
    try {
      fsi.renameSync(tmp, file);
      return;
    } catch (err) {
      if (fsi.existsSync(file) && sha256File(file, fsi) === want) return;
      if (platform !== 'win32' || !WINDOWS_BUSY.includes(err.code) || retry >= RENAME_RETRIES.count) throw err;
      await sleep(RENAME_RETRIES.delayMs);
    }
  }
}

/**
 * cachedBinary returns the path of the verified binary for this platform,
 * downloading it into the tool cache when it is not there yet:
 * RUNNER_TOOL_CACHE (or userCacheDir)/codespaces-org-secrets/<version>/<sha256>/<asset>.
 * A cached file is hashed again before each use, so a damaged one is
 * replaced rather than run. The download goes to a temporary file in the
 * same directory, is checked, made executable, and only then renamed into
 * place; a wrong digest leaves nothing behind, and while it runs debris
 * holds the function that removes it (for a signal).
 */
async function cachedBinary(release, { platform, arch, env, log, sleep, debris = new Set() }) {
  const asset = assetFor(platform, arch);
  const want = release.sha256[asset];
  if (!want) {
    throw new Error(`the release file of ${release.version} has no SHA-256 for ${asset} (${platform}/${arch}), so there is no verified binary to run on this runner; nothing was run`);
  }
  const root = env.RUNNER_TOOL_CACHE || userCacheDir(env, platform);
  const dir = path.join(root, TOOL, release.version.slice(1), want);
  const file = path.join(dir, asset);
  if (fs.existsSync(file)) {
    const got = sha256File(file);
    if (got === want) {
      log(`${TOOL} ${release.version} (${asset}, sha256 ${want}) from the tool cache`);
      return file;
    }
    log(`the cached ${file} has sha256 ${got}, not ${want}: downloading it again`);
    fs.rmSync(file, { force: true });
  }
  const base = env[BASE_URL_ENV] ? overrideBase(env[BASE_URL_ENV]) : release.download;
  if (env[BASE_URL_ENV]) log(`downloading from ${base} (${BASE_URL_ENV}) instead of ${release.download}; the digest is still checked`);
  const url = `${base}/${asset}`;
  const tmp = path.join(dir, `.${asset}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const removeTmp = () => fs.rmSync(tmp, { force: true });
  debris.add(removeTmp);
  try {
    fs.mkdirSync(dir, { recursive: true });
    removeStaleTemps(dir, asset);
    const got = await download(url, tmp, { sleep, log, env });
    if (got !== want) {
      throw new Error(`${url} has sha256 ${got}, but the release file of ${release.version} records ${want}: the download is not the released binary; nothing was run`);
    }
    fs.chmodSync(tmp, 0o755);
    await renameInto(tmp, file, want, { platform, sleep });
  } catch (err) {
    throw new Error(`cannot get ${TOOL} ${release.version} for ${platform}/${arch}: ${err.message}`);
  } finally {
    removeTmp();
    debris.delete(removeTmp);
  }
  log(`${TOOL} ${release.version} (${asset}, sha256 ${want}) downloaded and verified`);
  return file;
}

/**
 * buildEnv is the environment of the build from source: the step's without
 * its INPUT_* variables (the token and the secrets' values are no business
 * of go build and the tools it may run), for this runner whatever GOOS and
 * GOARCH the job sets for its own builds, with the module's own go.mod and
 * go.sum (GOWORK=off, GOFLAGS=-mod=readonly) and no cgo.
 */
function buildEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^(INPUT_|GOOS$|GOARCH$|GOFLAGS$|GOWORK$|CGO_ENABLED$)/i.test(k)) out[k] = v;
  }
  return { ...out, GOFLAGS: '-mod=readonly', GOWORK: 'off', CGO_ENABLED: '0' };
}

/**
 * buildFromSource builds the binary from the action's own source (the
 * directory above native/) with the go on PATH, into a new directory under
 * RUNNER_TEMP, and returns its path and a clean-up function.
 */
async function buildFromSource({ actionDir, platform, env, log, spawnFn = spawn, debris = new Set() }) {
  const root = path.join(actionDir, '..');
  const tmp = fs.mkdtempSync(path.join(env.RUNNER_TEMP || os.tmpdir(), `${TOOL}-`));
  const file = path.join(tmp, platform === 'win32' ? `${TOOL}.exe` : TOOL);
  log(`no ${RELEASE_FILE} in ${actionDir} (not a release commit: main, a fork or uses: ./native), so building ${TOOL} from the action's source with the go on PATH; use a release tag to run a prebuilt, verified binary`);
  // Best effort, with retries for Windows, which may hold a just-exited .exe
  // open for a moment: a leftover in RUNNER_TEMP must not fail the step.
  const cleanup = () => {
    try {
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
    } catch {}
  };
  let child;
  // A signal during the build stops go and removes the build directory.
  const stop = () => {
    try {
      child?.kill();
    } catch {}
    cleanup();
  };
  debris.add(stop);
  const code = await new Promise((resolve, reject) => {
    child = spawnFn('go', ['build', '-trimpath', '-o', file, '.'], {
      cwd: root,
      env: buildEnv(env),
      stdio: ['ignore', 'inherit', 'inherit'],
      windowsHide: true,
    });
    child.on('error', (err) => {
      if (err.code === 'ENOENT') {
        reject(new Error(`this commit of the action has no ${RELEASE_FILE}, so it must build ${TOOL} from source, but there is no go on PATH: use a release tag (uses: ${TOOL}/${TOOL}/native@vX.Y.Z), which runs a prebuilt, verified binary, or install Go first (actions/setup-go)`));
      } else reject(new Error(`cannot run go build: ${err.message}`));
    });
    child.on('close', resolve);
  })
    .catch((err) => {
      cleanup();
      throw err;
    })
    .finally(() => debris.delete(stop));
  if (code !== 0) {
    cleanup();
    throw new Error(`go build of ${TOOL} from ${root} failed (exit code ${code}, its errors are above); use a release tag to run a prebuilt, verified binary`);
  }
  return { file, cleanup };
}

/**
 * run starts the binary with the step's environment and stdio, forwards
 * SIGINT and SIGTERM to it, and resolves to its exit code: 128 plus the
 * signal's number when a signal ended it, so that is never a success.
 * On Windows it forwards nothing: the runner's Ctrl+C reaches every process
 * on the console, the binary too, while child.kill there ends the binary at
 * once (TerminateProcess), between two writes of a sync. The handlers are
 * installed there all the same, so that node waits for the binary's exit.
 */
function run(file, args, env, { platform = process.platform, spawnFn = spawn, proc = process } = {}) {
  return new Promise((resolve, reject) => {
    // The handlers are in place before the binary starts: a signal that
    // comes while spawn returns is delivered to them afterwards, never left
    // to Node's default, which would end the shim and orphan the binary.
    let child;
    const forward = {};
    for (const sig of ['SIGINT', 'SIGTERM']) {
      forward[sig] = platform === 'win32' ? () => {} : () => child.kill(sig);
      proc.on(sig, forward[sig]);
    }
    child = spawnFn(file, args, { env, stdio: 'inherit', windowsHide: true });
    const done = () => {
      for (const [sig, f] of Object.entries(forward)) proc.removeListener(sig, f);
    };
    child.on('error', (err) => {
      done();
      reject(new Error(`cannot start ${file}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(signal ? 128 + (os.constants.signals[signal] || 0) : code);
    });
  });
}

/** escapeAnnotation keeps a message one workflow command, as the runner reads it. */
function escapeAnnotation(s) {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * main gets the binary and runs it with args, and resolves to the exit code
 * for the step. Its own failures print an ::error:: annotation in a
 * workflow ("error: " elsewhere) and return 1, with nothing run. A SIGINT
 * or SIGTERM before the binary starts removes the unfinished download or
 * build and exits with 128 plus the signal's number; once it runs, run
 * forwards them.
 */
async function main({
  actionDir = __dirname,
  args = process.argv.slice(2),
  env = process.env,
  platform = process.platform,
  arch = process.arch,
  stdout = process.stdout,
  stderr = process.stderr,
  sleep = defaultSleep,
  exit = (code) => process.exit(code),
} = {}) {
  const log = (line) => stdout.write(`${line}\n`);
  let cleanup = () => {};
  const debris = new Set();
  const traps = {};
  for (const sig of ['SIGINT', 'SIGTERM']) {
    traps[sig] = () => {
      for (const f of debris) {
        try {
          f();
        } catch {}
      }
      exit(128 + os.constants.signals[sig]);
    };
    process.on(sig, traps[sig]);
  }
  // run installs its own handlers, in the same turn of the event loop.
  const untrap = () => {
    for (const [sig, f] of Object.entries(traps)) process.removeListener(sig, f);
  };
  try {
    const release = readReleaseFile(actionDir);
    let file;
    if (release) {
      file = await cachedBinary(release, { platform, arch, env, log, sleep, debris });
    } else {
      ({ file, cleanup } = await buildFromSource({ actionDir, platform, env, log, debris }));
    }
    untrap();
    return await run(file, args, env, { platform });
  } catch (err) {
    if (env.GITHUB_ACTIONS === 'true') stdout.write(`::error::${escapeAnnotation(err.message)}\n`);
    else stderr.write(`error: ${err.message}\n`);
    return 1;
  } finally {
    untrap();
    cleanup();
  }
}

module.exports = { BASE_URL_ENV, DOWNLOAD, RENAME_RETRIES, STALE_TMP_MS, readReleaseFile, sha256File, proxyFor, download, userCacheDir, removeStaleTemps, renameInto, cachedBinary, buildEnv, buildFromSource, run, main };
