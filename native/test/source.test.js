'use strict';
// A commit without native/release.json (main, a fork, uses: ./native): the
// shim builds the binary from the action's source with the go on PATH.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./helpers.js');

const BUILD_LINE = /^no release\.json in .* \(not a release commit: main, a fork or uses: \.\/native\), so building codespaces-org-secrets from the action's source with the go on PATH; use a release tag to run a prebuilt, verified binary\n/;

test('without a release file the binary is built from the source above native/ and run', { timeout: 60_000 }, async (t) => {
  // The action's root is a small Go program here (the stub), so the build is
  // real but quick; the next test builds the real one.
  const root = h.tempDir(t);
  const stubSrc = path.join(__dirname, 'testdata', 'stub');
  for (const f of ['go.mod', 'main.go']) fs.copyFileSync(path.join(stubSrc, f), path.join(root, f));
  const dir = h.makeAction(root);
  const temp = path.join(root, 'runner-temp');
  fs.mkdirSync(temp);
  const env = h.cleanEnv({ GITHUB_ACTIONS: 'true', RUNNER_TEMP: temp, INPUT_NAME: 'NPM_TOKEN', STUB_EXIT: '4', GOFLAGS: '', GOWORK: 'off' });
  const r = await h.runShim(dir, { t, env });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stdout, BUILD_LINE);
  assert.equal(r.stdout.split('\n').filter((l) => l.includes('building')).length, 1, 'one log line about the build');
  assert.match(r.stdout, /\nINPUT_NAME=NPM_TOKEN\n/);
  assert.equal(r.stderr, 'stub writes to stderr\n');
  assert.deepEqual(fs.readdirSync(temp), [], 'the built binary is removed after the run');
});

test('without a release file and without go, the error says to use a release tag, and nothing runs', { timeout: 60_000 }, async (t) => {
  const root = h.tempDir(t);
  const dir = h.makeAction(root);
  const emptyPath = path.join(root, 'bin');
  fs.mkdirSync(emptyPath);
  const env = h.cleanEnv({ GITHUB_ACTIONS: 'true', RUNNER_TEMP: root });
  // Windows spells it Path; one key of either spelling, so there is no second.
  env[Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH'] = emptyPath;
  const r = await h.runShim(dir, { t, env });
  assert.equal(r.code, 1);
  assert.match(r.stdout, BUILD_LINE);
  assert.match(r.stdout, /::error::this commit of the action has no release\.json, so it must build codespaces-org-secrets from source, but there is no go on PATH: use a release tag \(uses: codespaces-org-secrets\/codespaces-org-secrets\/native@vX\.Y\.Z\), which runs a prebuilt, verified binary, or install Go first \(actions\/setup-go\)\n/);
  assert.deepEqual(fs.readdirSync(root).sort(), ['bin', 'native'], 'the build directory is removed');
});

test('uses: ./native builds this repository\'s real binary and runs a list against a local API', { timeout: 300_000 }, async (t) => {
  // A copy of the repository's source and of the shim, without a release
  // file even on a release commit.
  const root = h.tempDir(t);
  for (const e of fs.readdirSync(h.REPO)) {
    if (!['.git', '.ci', '.github', 'native', 'dist'].includes(e)) fs.cpSync(path.join(h.REPO, e), path.join(root, e), { recursive: true });
  }
  const dir = h.makeAction(root);
  const api = await h.serve(t, {
    '/api/v3/orgs/acme/codespaces/secrets?per_page=100': (req, res) => {
      assert.equal(req.headers.authorization, 'Bearer not-a-real-token');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_count: 1, secrets: [{ name: 'NPM_TOKEN', visibility: 'private', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' }] }));
    },
  });
  const output = path.join(root, 'output');
  const summary = path.join(root, 'summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env = h.cleanEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: root,
    INPUT_TOKEN: 'not-a-real-token',
    INPUT_ORG: 'acme',
    INPUT_OPERATION: 'list',
    'INPUT_API-URL': `${api.url}/api/v3`,
    'INPUT_ALLOW-EMPTY': 'false',
    'INPUT_DRY-RUN': 'false',
    INPUT_PRUNE: 'false',
    INPUT_MANIFEST: '.github/codespaces-secrets.yml',
  });
  const r = await h.runShim(dir, { t, env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, BUILD_LINE);
  assert.deepEqual(api.requests, ['/api/v3/orgs/acme/codespaces/secrets?per_page=100']);
  const out = fs.readFileSync(output, 'utf8');
  assert.match(out, /NPM_TOKEN/);
  assert.match(out, /changed<<|changed=false/);
});

/** stubSource makes root the stub's Go module, so a build from source is real but quick. */
function stubSource(root) {
  const stubSrc = path.join(__dirname, 'testdata', 'stub');
  for (const f of ['go.mod', 'main.go']) fs.copyFileSync(path.join(stubSrc, f), path.join(root, f));
}

test('the build from source is for this runner, whatever GOOS, GOARCH or GOFLAGS the job sets for its own builds', { timeout: 300_000 }, async (t) => {
  const root = h.tempDir(t);
  stubSource(root);
  const dir = h.makeAction(root);
  const other = process.platform === 'win32' ? 'linux' : 'windows';
  const env = h.cleanEnv({ GITHUB_ACTIONS: 'true', RUNNER_TEMP: root, STUB_EXIT: '4', GOOS: other, GOARCH: process.arch === 'arm64' ? 'amd64' : 'arm64', GOFLAGS: '-tags=nosuchtag -mod=mod', GOWORK: path.join(root, 'no-such.work') });
  const r = await h.runShim(dir, { t, env });
  assert.equal(r.code, 4, r.stdout + r.stderr);
});

test('go build runs without the step\'s inputs, for this runner, with the module\'s own go.sum and no cgo', async () => {
  const shim = require('../shim.js');
  const root = h.tempDir();
  try {
    const dir = h.makeAction(root);
    const spawned = [];
    const spawnFn = (cmd, args, opts) => {
      spawned.push({ cmd, args, opts });
      const child = new (require('node:events').EventEmitter)();
      child.kill = () => {};
      setImmediate(() => child.emit('close', 0));
      return child;
    };
    const env = { PATH: '/usr/bin', HOME: '/home/u', GOPROXY: 'https://proxy.golang.org', INPUT_TOKEN: 'ghp_secret', 'INPUT_API-URL': 'x', input_values: 'lower', GOOS: 'windows', GOARCH: 'arm64', GOFLAGS: '-mod=mod', GOWORK: '/elsewhere/go.work', CGO_ENABLED: '1', RUNNER_TEMP: root };
    const { cleanup } = await shim.buildFromSource({ actionDir: dir, platform: 'linux', env, log: () => {}, spawnFn });
    cleanup();
    assert.equal(spawned.length, 1);
    assert.equal(spawned[0].cmd, 'go');
    assert.deepEqual(spawned[0].args.slice(0, 2), ['build', '-trimpath']);
    assert.deepEqual(spawned[0].opts.env, { PATH: '/usr/bin', HOME: '/home/u', GOPROXY: 'https://proxy.golang.org', RUNNER_TEMP: root, GOFLAGS: '-mod=readonly', GOWORK: 'off', CGO_ENABLED: '0' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the build from source writes the binary into a new directory under RUNNER_TEMP, named .exe on Windows, from the directory above native/', async () => {
  const shim = require('../shim.js');
  const root = h.tempDir();
  try {
    const dir = h.makeAction(root);
    for (const [platform, name] of [['win32', 'codespaces-org-secrets.exe'], ['linux', 'codespaces-org-secrets']]) {
      let spawned;
      const spawnFn = (cmd, args, opts) => {
        spawned = { args, opts };
        const child = new (require('node:events').EventEmitter)();
        child.kill = () => {};
        setImmediate(() => child.emit('close', 0));
        return child;
      };
      const { file, cleanup } = await shim.buildFromSource({ actionDir: dir, platform, env: { RUNNER_TEMP: root }, log: () => {}, spawnFn });
      try {
        assert.equal(path.basename(file), name, platform);
        assert.equal(path.dirname(path.dirname(file)), root, `${platform}: ${file} is not in a directory of its own under RUNNER_TEMP`);
        assert.deepEqual(spawned.args, ['build', '-trimpath', '-o', file, '.']);
        assert.equal(path.resolve(spawned.opts.cwd), path.resolve(root), 'go build does not run in the action\'s root');
      } finally {
        cleanup();
      }
      assert.ok(!fs.existsSync(path.dirname(file)), 'cleanup leaves the build directory');
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a signal during the build from source stops go, removes the build directory and ends the step with 128 plus its number', { skip: process.platform === 'win32' && 'Windows has no POSIX signals', timeout: 60_000 }, async (t) => {
  const root = h.tempDir(t);
  const dir = h.makeAction(root);
  // A go that starts and never finishes, to be interrupted.
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'go'), '#!/bin/sh\necho go build started\nexec sleep 30\n', { mode: 0o755 });
  const temp = path.join(root, 'runner-temp');
  fs.mkdirSync(temp);
  const env = h.cleanEnv({ GITHUB_ACTIONS: 'true', RUNNER_TEMP: temp, PATH: `${bin}:/usr/bin:/bin` });
  const running = h.runShim(dir, { t, env, onStdout: (out, child) => out.includes('go build started\n') && !child.signalled && (child.signalled = child.kill('SIGTERM')) });
  const r = await running;
  assert.equal(r.code, 143, r.stdout + r.stderr);
  assert.deepEqual(fs.readdirSync(temp), [], 'the build directory is removed');
});
