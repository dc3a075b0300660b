'use strict';
// native/release/write-release-file.mjs, run as the release workflow runs it.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const h = require('./helpers.js');
const { readReleaseFile } = require('../shim.js');

const REPO = 'codespaces-org-secrets/codespaces-org-secrets';
const BASE = `https://github.com/${REPO}/releases/download/v1.4.0`;
const digest = (n) => n.toString(16).padStart(2, '0').repeat(32);
const GOOD = [
  `${digest(1)}  codespaces-org-secrets_linux_amd64`,
  `${digest(2)}  codespaces-org-secrets_linux_arm64`,
  `${digest(3)}  codespaces-org-secrets_darwin_amd64`,
  `${digest(4)}  codespaces-org-secrets_darwin_arm64`,
  `${digest(5)}  codespaces-org-secrets_windows_amd64.exe`,
  `${digest(6)}  codespaces-org-secrets_windows_arm64.exe`,
];
const WANT = `{
  "repository": "codespaces-org-secrets/codespaces-org-secrets",
  "version": "v1.4.0",
  "download": "https://github.com/codespaces-org-secrets/codespaces-org-secrets/releases/download/v1.4.0",
  "sha256": {
    "codespaces-org-secrets_darwin_amd64": "${digest(3)}",
    "codespaces-org-secrets_darwin_arm64": "${digest(4)}",
    "codespaces-org-secrets_linux_amd64": "${digest(1)}",
    "codespaces-org-secrets_linux_arm64": "${digest(2)}",
    "codespaces-org-secrets_windows_amd64.exe": "${digest(5)}",
    "codespaces-org-secrets_windows_arm64.exe": "${digest(6)}"
  }
}
`;

function write(t, { lines = GOOD, repository = REPO, version = 'v1.4.0', base = BASE, out, omitFlag } = {}) {
  const dir = h.tempDir(t);
  const checksums = path.join(dir, 'checksums.txt');
  fs.writeFileSync(checksums, lines.join('\n') + '\n');
  out ??= path.join(dir, 'release.json');
  const flags = { '--repository': repository, '--version': version, '--base-url': base, '--checksums': checksums, '--out': out };
  const args = Object.entries(flags).filter(([k]) => k !== omitFlag).flat();
  const r = spawnSync(process.execPath, [h.WRITER, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { ...r, out, dir, checksums, written: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : null };
}

test('the release file records the repository, version, download base and each digest, in a fixed order', (t) => {
  const r = write(t);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.written, WANT);
  assert.equal(r.stdout, `wrote ${r.out}: ${REPO} v1.4.0, 6 binaries from ${BASE}\n`);
});

test('the same checksums in another order, or as sha256sum --binary prints them, write the same bytes', (t) => {
  const shuffled = [GOOD[4], GOOD[0], GOOD[5], GOOD[2], GOOD[1], GOOD[3]].map((l) => l.replace('  ', ' *'));
  const r = write(t, { lines: shuffled });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.written, WANT);
});

test('upper-case digests are written in lower case, as the shim compares them', (t) => {
  const r = write(t, { lines: GOOD.map((l, i) => (i === 0 ? l.replace(digest(1), digest(0xab).toUpperCase()) : l)) });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.written, new RegExp(`"codespaces-org-secrets_linux_amd64": "${digest(0xab)}"`));
});

test('the shim reads what the writer writes', (t) => {
  const r = write(t);
  fs.renameSync(r.out, path.join(r.dir, 'release.json'));
  const release = readReleaseFile(r.dir);
  assert.equal(release.version, 'v1.4.0');
  assert.equal(release.sha256['codespaces-org-secrets_linux_amd64'], digest(1));
});

const refusals = [
  { name: 'a digest that is not hex', lines: [GOOD[0].replace(/^../, 'zz'), ...GOOD.slice(1)], want: /checksums\.txt:1: the digest of "codespaces-org-secrets_linux_amd64" is "zz0101.*", not 64 hex digits/ },
  { name: 'a digest that is too short', lines: [GOOD[0].slice(2), ...GOOD.slice(1)], want: /checksums\.txt:1: the digest of .* not 64 hex digits/ },
  { name: 'a missing asset', lines: GOOD.slice(0, 5), want: /checksums\.txt lacks codespaces-org-secrets_windows_arm64\.exe/ },
  { name: 'an unknown asset', lines: [...GOOD, `${digest(7)}  codespaces-org-secrets_linux_386`], want: /checksums\.txt:7: unknown asset "codespaces-org-secrets_linux_386"; the assets are codespaces-org-secrets_darwin_amd64, / },
  { name: 'a path instead of a file name', lines: [GOOD[0].replace('  ', '  dist/'), ...GOOD.slice(1)], want: /unknown asset "dist\/codespaces-org-secrets_linux_amd64" \(run sha256sum inside the directory of the binaries/ },
  { name: 'an asset listed twice', lines: [...GOOD, GOOD[0]], want: /checksums\.txt:7: codespaces-org-secrets_linux_amd64 is listed twice/ },
  { name: 'a line that is not sha256sum output', lines: ['garbage', ...GOOD], want: /checksums\.txt:1: "garbage" is not "<sha256>  <asset>"/ },
  { name: 'a version without its v', version: '1.4.0', want: /version "1\.4\.0" is not vMAJOR\.MINOR\.PATCH/ },
  { name: 'a pre-release version', version: 'v1.4.0-rc.1', want: /version "v1\.4\.0-rc\.1" is not vMAJOR\.MINOR\.PATCH/ },
  { name: 'a base that is not https', base: BASE.replace('https', 'http'), want: /--base-url "http:\/\/github\.com\/.*" is not https/ },
  { name: 'a base that is not a URL', base: 'github.com/x', want: /--base-url "github\.com\/x" is not a URL/ },
  { name: 'a base of another version', base: BASE.replace('v1.4.0', 'v1.3.0'), want: /--base-url ".*v1\.3\.0" does not end with the version "v1\.4\.0"/ },
  { name: 'a base with a query', base: `${BASE}?x=1`, want: /must have no credentials, query or fragment/ },
  { name: 'a repository that is not OWNER/NAME', repository: 'codespaces-org-secrets', want: /repository "codespaces-org-secrets" is not OWNER\/NAME/ },
  { name: 'a missing flag', omitFlag: '--version', want: /--version is required/ },
];

for (const c of refusals) {
  test(`the writer refuses ${c.name}, and leaves the release file as it was`, (t) => {
    const dir = h.tempDir(t);
    const out = path.join(dir, 'release.json');
    fs.writeFileSync(out, 'the previous file\n');
    const r = write(t, { ...c, out });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /^error: the release file was not written:\n {2}/);
    assert.match(r.stderr, c.want);
    assert.equal(r.stdout, '');
    assert.equal(fs.readFileSync(out, 'utf8'), 'the previous file\n');
    assert.deepEqual(fs.readdirSync(dir), ['release.json'], 'a temporary file is left');
  });
}

test('the writer lists every problem at once', (t) => {
  const r = write(t, { version: '1.4', base: 'http://x', lines: GOOD.slice(1) });
  assert.equal(r.status, 1);
  const problems = r.stderr.split('\n').slice(1).filter(Boolean);
  assert.equal(problems.length, 3, r.stderr);
});

test('an unknown flag is a usage error', (t) => {
  const r = spawnSync(process.execPath, [h.WRITER, '--sha', 'x'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error: Unknown option '--sha'/);
});
