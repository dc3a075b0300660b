'use strict';
// Measures what the native entry point adds to a step: the time from
// starting node on native/main.js to the API receiving the binary's first
// request, with the binary already in the tool cache, against the same
// binary started directly, and node's own start (`node -e 0`, start to
// exit) as the baseline that tells node's part from the shim's. Run from the
// repository root:
//
//   node native/bench/overhead.js [runs]
//
// It builds the binary from this checkout (as the release does), serves it
// and a one-page `list` answer from a loopback server, fills the tool cache
// with one run, then times the given number of runs (15 by default) of each
// (and of `node -e 0`) and prints the medians.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { assetFor } = require('../release-file.js');
const h = require('../test/helpers.js');

const RUNS = Number(process.argv[2] || 15);
const ASSET = assetFor(process.platform, process.arch);
const LIST = '/api/v3/orgs/acme/codespaces/secrets?per_page=100';

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'native-overhead-'));
  try {
    const bin = path.join(root, ASSET);
    const r = spawnSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', bin, '.'], { cwd: h.REPO, env: { ...process.env, CGO_ENABLED: '0' }, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('go build failed');
    const binary = fs.readFileSync(bin);
    const dir = h.makeAction(root, { sums: { [ASSET]: h.sha256(binary) } });

    let first = null;
    const server = await h.serve(null, {
      [`/releases/download/v1.2.3/${ASSET}`]: h.bytes(binary),
      [LIST]: (req, res) => {
        first ??= process.hrtime.bigint();
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"total_count":0,"secrets":[]}');
      },
    });
    const output = path.join(root, 'output');
    const summary = path.join(root, 'summary');
    const env = h.stepEnv(root, `${server.url}/releases/download/v1.2.3`, {
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      INPUT_TOKEN: 'not-a-real-token',
      INPUT_ORG: 'acme',
      INPUT_OPERATION: 'list',
      'INPUT_API-URL': `${server.url}/api/v3`,
    });

    // One timed start: node on the shim, or the binary itself.
    const once = (cmd, args) =>
      new Promise((resolve, reject) => {
        fs.writeFileSync(output, '');
        fs.writeFileSync(summary, '');
        first = null;
        const start = process.hrtime.bigint();
        const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) => {
          if (code !== 0 || first === null) reject(new Error(`${cmd} exited with ${code} before its first request`));
          else resolve(Number(first - start) / 1e6);
        });
      });

    // node's own start and exit, with nothing to run.
    const bare = () =>
      new Promise((resolve, reject) => {
        const start = process.hrtime.bigint();
        const child = spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`node -e 0 exited with ${code}`))));
      });

    const download = await once(process.execPath, [path.join(dir, 'main.js')]);
    if (server.requests.filter((p) => p.includes(ASSET)).length !== 1) throw new Error('the first run did not download the binary');
    const shim = [];
    const direct = [];
    const node = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so a change of load on the machine touches all alike.
      shim.push(await once(process.execPath, [path.join(dir, 'main.js')]));
      direct.push(await once(bin, []));
      node.push(await bare());
    }
    if (server.requests.filter((p) => p.includes(ASSET)).length !== 1) throw new Error('a cached run downloaded the binary again');
    await server.close();

    const median = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const fmt = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${process.platform}/${process.arch}, ${RUNS} runs each, binary ${(binary.length / 1e6).toFixed(1)} MB`);
    console.log(`start to first request, node + shim, binary cached:  ${fmt(shim)}`);
    console.log(`start to first request, the binary started directly: ${fmt(direct)}`);
    console.log(`node -e 0, start to exit (node's own start):         ${fmt(node)}`);
    console.log(`the overhead, node's start included (shim - direct):  ${(median(shim) - median(direct)).toFixed(1)} ms`);
    console.log(`the shim's own part (shim - direct - node -e 0):      ${(median(shim) - median(direct) - median(node)).toFixed(1)} ms`);
    console.log(`the first run, which downloaded the binary over loopback: ${download.toFixed(1)} ms`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
});
