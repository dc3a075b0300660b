'use strict';
// The shim's build from source, for a commit that is not a release's (main,
// a fork, uses: ./native): go build with the go on PATH. Node's standard
// library only.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { TOOL, RELEASE_FILE } = require('./release-file.js');

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

module.exports = { buildEnv, buildFromSource };
