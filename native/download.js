'use strict';
// The shim's download of a release asset: GET with redirects, through the
// http proxy the environment names (a CONNECT tunnel for https), with a
// time-out per attempt and retries. Node's standard library only.

const crypto = require('node:crypto');
const fs = require('node:fs');
const { TOOL } = require('./release-file.js');

/** The variable that replaces the release file's download base (a mirror, or a test server). */
const BASE_URL_ENV = 'CODESPACES_ORG_SECRETS_DOWNLOAD_BASE';

/** Download defaults: each attempt may take this long, and failed ones wait this long before the next. */
const DOWNLOAD = Object.freeze({ timeoutMs: 60_000, retryDelaysMs: [1_000, 3_000] });

const USER_AGENT = `${TOOL}-native-shim`;

/** A failure that is not worth another attempt (a 404, a wrong digest). */
class PermanentError extends Error {}

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

module.exports = { BASE_URL_ENV, DOWNLOAD, PermanentError, proxyFor, download, defaultSleep };
