#!/usr/bin/env node
// write-release-file writes native/release.json in the release commit: the
// repository, the version, where its binaries are downloaded from, and the
// SHA-256 of each, taken from the checksums file of the release's binaries.
// The native action verifies the binary it downloads against that digest
// before running it, so pinning the release commit pins the bytes that run.
//
//   node native/release/write-release-file.mjs --repository OWNER/NAME --version vX.Y.Z \
//     --base-url https://github.com/OWNER/NAME/releases/download/vX.Y.Z \
//     --checksums dist/checksums.txt --out native/release.json
//
// checksums.txt is what `sha256sum codespaces-org-secrets_*` prints inside
// dist/: one "<64 hex>  <asset>" line for each of the six assets. Anything
// else (a bad digest, a missing, unknown or repeated asset, a bad version or
// base URL) is refused with every problem listed, exit code 1 and the output
// file untouched.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import releaseFile from '../release-file.js';

const { ASSETS, validate, format } = releaseFile;

/**
 * parseChecksums reads sha256sum output into { asset: digest }, and the
 * problems found, each naming its line.
 */
export function parseChecksums(text, name) {
  const sha256 = {};
  const problems = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const where = `${name}:${i + 1}`;
    if (line.trim() === '') return;
    // sha256sum prints "<digest>  <file>" (text mode) or "<digest> *<file>" (binary mode).
    const m = /^([^ ]+) [ *](.+)$/.exec(line);
    if (!m) {
      problems.push(`${where}: ${JSON.stringify(line)} is not "<sha256>  <asset>" as sha256sum prints it`);
      return;
    }
    const [, digest, asset] = m;
    if (!/^[0-9a-fA-F]{64}$/.test(digest)) {
      problems.push(`${where}: the digest of ${JSON.stringify(asset)} is ${JSON.stringify(digest)}, not 64 hex digits`);
      return;
    }
    if (!ASSETS.includes(asset)) {
      const hint = asset.includes('/') ? ' (run sha256sum inside the directory of the binaries, so the lines hold bare file names)' : '';
      problems.push(`${where}: unknown asset ${JSON.stringify(asset)}${hint}; the assets are ${ASSETS.join(', ')}`);
      return;
    }
    if (asset in sha256) {
      problems.push(`${where}: ${asset} is listed twice`);
      return;
    }
    sha256[asset] = digest.toLowerCase();
  });
  return { sha256, problems };
}

/**
 * writeReleaseFile checks everything, then writes the release file through
 * a temporary file and a rename, so a failure leaves the old file as it was.
 * It throws an Error listing every problem.
 */
export function writeReleaseFile({ repository, version, baseUrl, checksums, out }) {
  const problems = [];
  for (const [flag, v] of Object.entries({ '--repository': repository, '--version': version, '--base-url': baseUrl, '--checksums': checksums, '--out': out })) {
    if (!v) problems.push(`${flag} is required`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  let text;
  try {
    text = fs.readFileSync(checksums, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the checksums file: ${err.message}`);
  }
  const parsed = parseChecksums(text, checksums);
  problems.push(...parsed.problems);
  const release = { repository, version, download: baseUrl, sha256: parsed.sha256 };
  problems.push(...validate(release, { wantAll: true }).map((p) => p.replace(/^download base/, '--base-url').replace(/^sha256 lacks/, `${checksums} lacks`)));
  if (problems.length) throw new Error(problems.join('\n'));
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, format(release));
  fs.renameSync(tmp, out);
  return release;
}

function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        repository: { type: 'string' },
        version: { type: 'string' },
        'base-url': { type: 'string' },
        checksums: { type: 'string' },
        out: { type: 'string' },
      },
    }));
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  try {
    const r = writeReleaseFile({ ...values, baseUrl: values['base-url'] });
    process.stdout.write(`wrote ${values.out}: ${r.repository} ${r.version}, ${Object.keys(r.sha256).length} binaries from ${r.download}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`error: the release file was not written:\n${err.message.replace(/^/gm, '  ')}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
