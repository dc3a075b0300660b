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
function sha256File(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * get makes one GET request and resolves to the response, following up to
 * five redirects (GitHub sends release downloads to its object store). It
 * never follows https to http.
 */
function get(url, { signal, redirects = 5 }) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    // Loaded here, not at the top: a step that finds its binary in the tool
    // cache never pays for loading TLS.
    const mod = u.protocol === 'https:' ? require('node:https') : u.protocol === 'http:' ? require('node:http') : null;
    if (!mod) return reject(new PermanentError(`cannot download ${url}: only http and https are supported`));
    const req = mod.get(u, { signal, headers: { 'user-agent': USER_AGENT, accept: 'application/octet-stream' } }, (res) => {
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location) {
        res.resume();
        const next = new URL(res.headers.location, u);
        if (redirects === 0) return reject(new Error(`too many redirects from ${url}`));
        if (u.protocol === 'https:' && next.protocol !== 'https:') {
          return reject(new PermanentError(`${url} redirects to ${next.protocol} ${next.host}, which is not https`));
        }
        return get(next.href, { signal, redirects: redirects - 1 }).then(resolve, reject);
      }
      resolve(res);
    });
    req.on('error', reject);
  });
}

/**
 * fetchOnce downloads url into file and resolves to the hex SHA-256 of what
 * it wrote. A 404 or another 4xx is permanent; a 5xx, a 429, a network
 * error, a timeout or a body shorter than its Content-Length may pass on
 * another attempt.
 */
async function fetchOnce(url, file, timeoutMs) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error(`no complete answer within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const res = await get(url, { signal: ac.signal });
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
 * SHA-256 of the bytes. sleep is injected so tests need no real waits.
 */
async function download(url, file, { timeoutMs = DOWNLOAD.timeoutMs, retryDelaysMs = DOWNLOAD.retryDelaysMs, sleep = defaultSleep, log = () => {} } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(url, file, timeoutMs);
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
 * cachedBinary returns the path of the verified binary for this platform,
 * downloading it into the tool cache when it is not there yet:
 * RUNNER_TOOL_CACHE/codespaces-org-secrets/<version>/<sha256>/<asset>.
 * A cached file is hashed again before each use, so a damaged one is
 * replaced rather than run. The download goes to a temporary file in the
 * same directory, is checked, made executable, and only then renamed into
 * place; a wrong digest leaves nothing behind.
 */
async function cachedBinary(release, { platform, arch, env, log, sleep }) {
  const asset = assetFor(platform, arch);
  const want = release.sha256[asset];
  if (!want) {
    throw new Error(`the release file of ${release.version} has no SHA-256 for ${asset} (${platform}/${arch}), so there is no verified binary to run on this runner; nothing was run`);
  }
  const root = env.RUNNER_TOOL_CACHE || path.join(os.tmpdir(), `${TOOL}-tool-cache`);
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
  try {
    fs.mkdirSync(dir, { recursive: true });
    const got = await download(url, tmp, { sleep, log });
    if (got !== want) {
      throw new Error(`${url} has sha256 ${got}, but the release file of ${release.version} records ${want}: the download is not the released binary; nothing was run`);
    }
    fs.chmodSync(tmp, 0o755);
    try {
      fs.renameSync(tmp, file);
    } catch (err) {
      // Another step on this runner may have put the same file there first
      // (on Windows a running .exe cannot be replaced): use it if it is good.
      if (!fs.existsSync(file) || (sha256File(file)) !== want) throw err;
    }
  } catch (err) {
    throw new Error(`cannot get ${TOOL} ${release.version} for ${platform}/${arch}: ${err.message}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  log(`${TOOL} ${release.version} (${asset}, sha256 ${want}) downloaded and verified`);
  return file;
}

/**
 * buildFromSource builds the binary from the action's own source (the
 * directory above native/) with the go on PATH, into a new directory under
 * RUNNER_TEMP, and returns its path and a clean-up function.
 */
async function buildFromSource({ actionDir, platform, env, log }) {
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
  const code = await new Promise((resolve, reject) => {
    const child = spawn('go', ['build', '-trimpath', '-o', file, '.'], {
      cwd: root,
      env: { ...env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
      windowsHide: true,
    });
    child.on('error', (err) => {
      if (err.code === 'ENOENT') {
        reject(new Error(`this commit of the action has no ${RELEASE_FILE}, so it must build ${TOOL} from source, but there is no go on PATH: use a release tag (uses: ${TOOL}/${TOOL}/native@vX.Y.Z), which runs a prebuilt, verified binary, or install Go first (actions/setup-go)`));
      } else reject(new Error(`cannot run go build: ${err.message}`));
    });
    child.on('close', resolve);
  }).catch((err) => {
    cleanup();
    throw err;
  });
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
 */
function run(file, args, env) {
  return new Promise((resolve, reject) => {
    // The handlers are in place before the binary starts: a signal that
    // comes while spawn returns is delivered to them afterwards, never left
    // to Node's default, which would end the shim and orphan the binary.
    let child;
    const forward = {};
    for (const sig of ['SIGINT', 'SIGTERM']) {
      forward[sig] = () => child.kill(sig);
      process.on(sig, forward[sig]);
    }
    child = spawn(file, args, { env, stdio: 'inherit', windowsHide: true });
    const done = () => {
      for (const [sig, f] of Object.entries(forward)) process.removeListener(sig, f);
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
 * workflow ("error: " elsewhere) and return 1, with nothing run.
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
} = {}) {
  const log = (line) => stdout.write(`${line}\n`);
  let cleanup = () => {};
  try {
    const release = readReleaseFile(actionDir);
    let file;
    if (release) {
      file = await cachedBinary(release, { platform, arch, env, log, sleep });
    } else {
      ({ file, cleanup } = await buildFromSource({ actionDir, platform, env, log }));
    }
    return await run(file, args, env);
  } catch (err) {
    if (env.GITHUB_ACTIONS === 'true') stdout.write(`::error::${escapeAnnotation(err.message)}\n`);
    else stderr.write(`error: ${err.message}\n`);
    return 1;
  } finally {
    cleanup();
  }
}

module.exports = { BASE_URL_ENV, DOWNLOAD, readReleaseFile, sha256File, download, cachedBinary, buildFromSource, run, main };
