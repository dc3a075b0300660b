'use strict';
// The shim's cache of verified binaries: RUNNER_TOOL_CACHE (or the user's
// cache directory)/codespaces-org-secrets/<version>/<sha256>/<asset>, filled
// by a download that is checked against the release file before it is
// renamed into place. Node's standard library only.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TOOL, assetFor } = require('./release-file.js');
const { BASE_URL_ENV, download, defaultSleep } = require('./download.js');

/** sha256File returns the hex SHA-256 of a file's bytes (a binary of a few MB: read whole, it is quickest). */
function sha256File(file, fsi = fs) {
  return crypto.createHash('sha256').update(fsi.readFileSync(file)).digest('hex');
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

module.exports = { STALE_TMP_MS, RENAME_RETRIES, sha256File, userCacheDir, removeStaleTemps, renameInto, cachedBinary };
