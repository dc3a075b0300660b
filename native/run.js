'use strict';
// The shim's run of the binary in the step's place, with the signals
// forwarded. Node's standard library only.

const os = require('node:os');
const { spawn } = require('node:child_process');

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

module.exports = { run };
