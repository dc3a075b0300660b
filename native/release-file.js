'use strict';
// The release file, native/release.json: what a release commit records about
// the native binaries, so that a pin of that commit also pins the bytes that
// run. The release writes it (release/write-release-file.mjs) and the shim
// (shim.js) reads it; both check it with validate() below, so the two can
// never disagree on what a good file is.

/** The binary's name, and the tool name under RUNNER_TOOL_CACHE. */
const TOOL = 'codespaces-org-secrets';

/** The file name beside action.yml. */
const RELEASE_FILE = 'release.json';

/**
 * The platforms a release ships a binary for: Node's process.platform and
 * process.arch, and Go's GOOS and GOARCH for the same thing.
 */
const PLATFORMS = Object.freeze([
  { platform: 'linux', arch: 'x64', goos: 'linux', goarch: 'amd64' },
  { platform: 'linux', arch: 'arm64', goos: 'linux', goarch: 'arm64' },
  { platform: 'darwin', arch: 'x64', goos: 'darwin', goarch: 'amd64' },
  { platform: 'darwin', arch: 'arm64', goos: 'darwin', goarch: 'arm64' },
  { platform: 'win32', arch: 'x64', goos: 'windows', goarch: 'amd64' },
  { platform: 'win32', arch: 'arm64', goos: 'windows', goarch: 'arm64' },
].map(Object.freeze));

/** assetOf returns the release asset built for a GOOS and GOARCH. */
function assetOf(goos, goarch) {
  return `${TOOL}_${goos}_${goarch}${goos === 'windows' ? '.exe' : ''}`;
}

/** Every asset of a release, sorted: the keys of the release file's sha256. */
const ASSETS = Object.freeze(PLATFORMS.map((p) => assetOf(p.goos, p.goarch)).sort());

/**
 * assetFor returns the asset for a Node platform and architecture, and
 * throws for one no release ships, listing those it does.
 */
function assetFor(platform, arch) {
  const p = PLATFORMS.find((x) => x.platform === platform && x.arch === arch);
  if (!p) {
    const supported = PLATFORMS.map((x) => `${x.platform}/${x.arch}`).join(', ');
    throw new Error(
      `there is no native binary for ${JSON.stringify(`${platform}/${arch}`)}: releases ship ${supported}; ` +
        `on another runner use the Docker action (uses: ${TOOL}/${TOOL}@vX.Y.Z)`,
    );
  }
  return assetOf(p.goos, p.goarch);
}

const VERSION = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * checkDownloadBase returns the problem with a download base URL, or ''.
 * The base is https, has no credentials, query or fragment, and ends with
 * the version, as GitHub's https://github.com/OWNER/NAME/releases/download/vX.Y.Z.
 */
function checkDownloadBase(base, version) {
  let u;
  try {
    u = new URL(base);
  } catch {
    return `download base ${JSON.stringify(base)} is not a URL`;
  }
  if (u.protocol !== 'https:') return `download base ${JSON.stringify(base)} is not https`;
  if (u.username || u.password || u.search || u.hash) {
    return `download base ${JSON.stringify(base)} must have no credentials, query or fragment`;
  }
  if (base.endsWith('/')) return `download base ${JSON.stringify(base)} must not end with "/"`;
  if (VERSION.test(version ?? '') && !u.pathname.endsWith(`/${version}`)) {
    return `download base ${JSON.stringify(base)} does not end with the version ${JSON.stringify(version)}`;
  }
  return '';
}

/**
 * validate returns every problem of a parsed release file, or an empty list.
 * With wantAll it also asks for the digest of every asset (the writer does);
 * the shim needs only its own platform's.
 */
function validate(r, { wantAll = false } = {}) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return ['it is not a JSON object'];
  const problems = [];
  for (const k of Object.keys(r)) {
    if (!['repository', 'version', 'download', 'sha256'].includes(k)) problems.push(`unknown key ${JSON.stringify(k)}`);
  }
  if (typeof r.repository !== 'string' || !REPOSITORY.test(r.repository)) {
    problems.push(`repository ${JSON.stringify(r.repository)} is not OWNER/NAME`);
  }
  if (typeof r.version !== 'string' || !VERSION.test(r.version)) {
    problems.push(`version ${JSON.stringify(r.version)} is not vMAJOR.MINOR.PATCH`);
  }
  if (typeof r.download !== 'string') {
    problems.push(`download ${JSON.stringify(r.download)} is not a URL`);
  } else {
    const p = checkDownloadBase(r.download, r.version);
    if (p) problems.push(p);
  }
  const sums = r.sha256;
  if (sums === null || typeof sums !== 'object' || Array.isArray(sums)) {
    problems.push('sha256 is not an object of asset names and digests');
    return problems;
  }
  for (const [asset, digest] of Object.entries(sums)) {
    if (!ASSETS.includes(asset)) problems.push(`sha256 names an unknown asset ${JSON.stringify(asset)}; the assets are ${ASSETS.join(', ')}`);
    else if (typeof digest !== 'string' || !SHA256.test(digest)) {
      problems.push(`the sha256 of ${asset} is ${JSON.stringify(digest)}, not 64 lower-case hex digits`);
    }
  }
  if (wantAll) {
    for (const asset of ASSETS) if (!(asset in sums)) problems.push(`sha256 lacks ${asset}`);
  }
  return problems;
}

/**
 * format returns the release file's text: keys in a fixed order, digests
 * sorted by asset, two-space indent and a final newline, so the same release
 * always writes the same bytes.
 */
function format({ repository, version, download, sha256 }) {
  const sorted = {};
  for (const asset of Object.keys(sha256).sort()) sorted[asset] = sha256[asset];
  return JSON.stringify({ repository, version, download, sha256: sorted }, null, 2) + '\n';
}

module.exports = { TOOL, RELEASE_FILE, PLATFORMS, ASSETS, SHA256, VERSION, assetOf, assetFor, checkDownloadBase, validate, format };
