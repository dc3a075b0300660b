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

//
// This file is the entry (main.js starts main); the steps are modules of
// their own: download.js, cache.js, build.js and run.js.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { RELEASE_FILE, validate } = require('./release-file.js');
const { BASE_URL_ENV, DOWNLOAD, proxyFor, download, defaultSleep } = require('./download.js');
const { STALE_TMP_MS, RENAME_RETRIES, sha256File, userCacheDir, removeStaleTemps, renameInto, cachedBinary } = require('./cache.js');
const { buildEnv, buildFromSource } = require('./build.js');
const { run } = require('./run.js');

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
