package release

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeDocker is a docker on PATH that logs each call, one line each, and
// pulls only anonymously: with DOCKER_CONFIG set to an empty directory
// (no stored credential, no credential helper), and only when
// $FAKE_PUBLIC is true. `docker run` prints $FAKE_IMAGE_VERSION.
const fakeDocker = `#!/usr/bin/env bash
printf '%s\n' "$*" >> "$FAKE_LOG"
case "$1" in
  logout) exit 0 ;;
  pull)
    if [ -z "${DOCKER_CONFIG:-}" ] || [ -n "$(ls -A "$DOCKER_CONFIG")" ]; then
      echo "the fake pulls only without credentials" >&2; exit 3
    fi
    if [ "$FAKE_PUBLIC" != true ]; then
      echo "Error response from daemon: denied" >&2; exit 1
    fi
    ;;
  run) echo "$FAKE_IMAGE_VERSION" ;;
  *) echo "unexpected docker $*" >&2; exit 3 ;;
esac
`

// fakeNode is a node on PATH that logs its call and prints
// $FAKE_NATIVE_VERSION, as the shim running the binary with --version
// would; in a workflow (GITHUB_ACTIONS=true) the binary would ignore the
// flag, so it prints nothing useful then. With $FAKE_REAL_NODE it runs
// that node instead, so the real shim runs.
const fakeNode = `#!/usr/bin/env bash
printf 'node %s GITHUB_ACTIONS=%s\n' "$*" "${GITHUB_ACTIONS:-}" >> "$FAKE_LOG"
if [ -n "${FAKE_REAL_NODE:-}" ]; then exec "$FAKE_REAL_NODE" "$@"; fi
if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error::operation is required"; exit 2; fi
echo "$FAKE_NATIVE_VERSION"
`

const (
	scriptImage  = "ghcr.io/codespaces-org-secrets/codespaces-org-secrets"
	scriptDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

// scriptRun is how a script of tools/release ended: its exit code, its
// output and the fakes' calls.
type scriptRun struct {
	code  int
	out   string
	calls []string
}

// runScript runs tools/release/NAME in dir as the workflow does, with the
// fakes on PATH, a login in ~/.docker (as after docker/login-action) and
// env added.
func runScript(t *testing.T, name, dir string, env ...string) scriptRun {
	t.Helper()
	bin := t.TempDir()
	writeTestFile(t, filepath.Join(bin, "docker"), fakeDocker)
	writeTestFile(t, filepath.Join(bin, "node"), fakeNode)
	for _, f := range []string{"docker", "node"} {
		if err := os.Chmod(filepath.Join(bin, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The login is where docker/login-action writes it, ~/.docker, with
	// no DOCKER_CONFIG: the script must set and export its own.
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, ".docker"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(home, ".docker", "config.json"), `{"auths":{"ghcr.io":{"auth":"eDp0b2tlbg=="}}}`)
	log := filepath.Join(bin, "calls")
	script, err := filepath.Abs(filepath.Join("..", "..", "tools", "release", name))
	if err != nil {
		t.Fatal(err)
	}
	trackFiles(t, script, filepath.Join(filepath.Dir(script), "check-public-image.sh"))
	cmd := exec.Command("bash", script)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOCKER_CONFIG=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_LOG="+log,
		"HOME="+home, "GITHUB_ACTIONS=true", "IMAGE="+scriptImage, "DIGEST="+scriptDigest)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	r := scriptRun{out: string(out)}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running %s: %v", name, err)
		}
		r.code = ee.ExitCode()
	}
	b, _ := os.ReadFile(log)
	r.calls = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return r
}

func TestCheckPublicImagePullsWithoutCredentials(t *testing.T) {
	t.Parallel()
	const (
		logout = "logout ghcr.io"
		pull   = "pull --quiet " + scriptImage + "@" + scriptDigest
	)
	tests := []struct {
		name, public string
		code         int
		say          []string
	}{
		{name: "passes when the image can be pulled anonymously", public: "true",
			say: []string{"can be pulled without credentials"}},
		{name: "stops with the fix when the package is private", public: "false", code: 1,
			say: []string{"::error::" + scriptImage + "@" + scriptDigest + ` cannot be pulled without credentials, so every workflow that uses this release would fail at "Set up job"`,
				"https://github.com/orgs/codespaces-org-secrets/packages/container/package/codespaces-org-secrets, Package settings, Change visibility, Public",
				"Nothing has been tagged or published yet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runScript(t, "check-public-image.sh", t.TempDir(), "FAKE_PUBLIC="+tt.public)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; output:\n%s", r.code, tt.code, r.out)
			}
			for _, s := range tt.say {
				if !strings.Contains(r.out, s) {
					t.Errorf("output:\n%s\nwant it to contain %q", r.out, s)
				}
			}
			if strings.Join(r.calls, "\n") != logout+"\n"+pull {
				t.Errorf("docker was called\n  %s\nwant a logout, then the pull", strings.Join(r.calls, "\n  "))
			}
		})
	}
}

func TestVerifyReleaseRunsItAsAUserWould(t *testing.T) {
	t.Parallel()
	const want = "codespaces-org-secrets v1.2.3"
	pinned := "name: x\nruns:\n  using: docker\n  image: docker://" + scriptImage + "@" + scriptDigest + "\n"
	tests := []struct {
		name, action, public, image, native string
		code                                int
		say                                 []string
		never                               string
	}{
		{name: "passes when both entry points print the version", action: pinned, public: "true", image: want, native: want,
			say: []string{`The release v1.2.3 runs as users run it: the image and the native binary both print "codespaces-org-secrets v1.2.3"`}},
		{name: "fails when the image prints another version", action: pinned, public: "true", image: "codespaces-org-secrets dev", native: want, code: 1,
			say: []string{`::error::the image ` + scriptImage + "@" + scriptDigest + ` prints "codespaces-org-secrets dev" for --version, want "codespaces-org-secrets v1.2.3"`}},
		{name: "fails when the native action prints another version", action: pinned, public: "true", image: want, native: "", code: 1,
			say: []string{`::error::the native action at v1.2.3 prints "" for --version, want "codespaces-org-secrets v1.2.3"`}},
		{name: "fails when the image is private, though the native action runs", action: pinned, public: "false", image: want, native: want, code: 1,
			say: []string{"cannot be pulled without credentials", "The release is already published, so every user's job fails until then",
				"The release v1.2.3 is published, but does not run as users run it"}, never: "Nothing has been tagged or published yet"},
		{name: "fails when the image is private, and still checks the native action", action: pinned, public: "false", image: want, native: "codespaces-org-secrets v1.2.2", code: 1,
			say: []string{"cannot be pulled without credentials", `native action at v1.2.3 prints "codespaces-org-secrets v1.2.2"`,
				"The release v1.2.3 is published, but does not run as users run it"}},
		{name: "fails when action.yml at the tag runs another image", action: strings.Replace(pinned, "@sha256:0123", "@sha256:9999", 1),
			public: "true", image: want, native: want, code: 1,
			say: []string{"::error::action.yml at v1.2.3 does not run docker://" + scriptImage + "@" + scriptDigest + ": " + "  image: docker://" + scriptImage + "@sha256:9999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTestFile(t, filepath.Join(dir, "action.yml"), tt.action)
			r := runScript(t, "verify-release.sh", dir, "VERSION=v1.2.3", "FAKE_PUBLIC="+tt.public,
				"FAKE_IMAGE_VERSION="+tt.image, "FAKE_NATIVE_VERSION="+tt.native)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; output:\n%s", r.code, tt.code, r.out)
			}
			for _, s := range tt.say {
				if !strings.Contains(r.out, s) {
					t.Errorf("output:\n%s\nwant it to contain %q", r.out, s)
				}
			}
			if tt.never != "" && strings.Contains(r.out, tt.never) {
				t.Errorf("output:\n%s\nwant it not to say %q", r.out, tt.never)
			}
			calls := strings.Join(r.calls, "\n")
			if !strings.Contains(calls, "node native/main.js --version GITHUB_ACTIONS=\n") && !strings.HasSuffix(calls, "node native/main.js --version GITHUB_ACTIONS=") {
				t.Errorf("node was not run as node native/main.js --version outside a workflow; calls:\n%s", calls)
			}
			ran := strings.Contains(calls, "run --rm "+scriptImage+"@"+scriptDigest+" --version")
			if ran != (tt.public == "true") {
				t.Errorf("docker run of the digest: %v, want it only after an anonymous pull; calls:\n%s", ran, calls)
			}
		})
	}
}

// TestVerifyReleaseRunsTheRealShim runs verify-release.sh with the real
// shim (native/*.js at the "tag") under the real node: it downloads the
// binary from a local server, checks its SHA-256 against release.json and
// runs it. The shim reports the download on stdout before the binary's
// own --version line, so the script must read the last line only.
func TestVerifyReleaseRunsTheRealShim(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("the shim needs node on PATH: %v", err)
	}
	const want = "codespaces-org-secrets v1.2.3"
	// The binary prints the version only outside a workflow, as the real one.
	binary := "#!/bin/sh\nif [ -n \"$GITHUB_ACTIONS\" ]; then echo '::error::operation is required'; exit 2; fi\necho '" + want + "'\n"
	asset := "codespaces-org-secrets_" + runtime.GOOS + "_" + runtime.GOARCH
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/"+asset {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, binary)
	}))
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "action.yml"), "runs:\n  using: docker\n  image: docker://"+scriptImage+"@"+scriptDigest+"\n")
	if err := os.Mkdir(filepath.Join(dir, "native"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"main.js", "shim.js", "download.js", "cache.js", "build.js", "run.js", "release-file.js"} {
		writeTestFile(t, filepath.Join(dir, "native", f), readTestFile(t, filepath.Join("..", "..", "native", f)))
	}
	sum := sha256.Sum256([]byte(binary))
	writeTestFile(t, filepath.Join(dir, "native", "release.json"), fmt.Sprintf(`{"repository": "codespaces-org-secrets/codespaces-org-secrets", "version": "v1.2.3",
  "download": "https://github.com/codespaces-org-secrets/codespaces-org-secrets/releases/download/v1.2.3", "sha256": {%q: %q}}`, asset, hex.EncodeToString(sum[:])))

	r := runScript(t, "verify-release.sh", dir, "VERSION=v1.2.3", "FAKE_PUBLIC=true", "FAKE_IMAGE_VERSION="+want,
		"FAKE_REAL_NODE="+node, "RUNNER_TOOL_CACHE="+t.TempDir(), "RUNNER_TEMP="+t.TempDir(),
		"CODESPACES_ORG_SECRETS_DOWNLOAD_BASE="+srv.URL)
	if r.code != 0 || !strings.Contains(r.out, `The release v1.2.3 runs as users run it`) {
		t.Errorf("exit %d, want 0 and a passing check; output:\n%s", r.code, r.out)
	}
	if !strings.Contains(r.out, "downloaded and verified") {
		t.Errorf("the shim's report of the download is not in the output:\n%s", r.out)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the server had %d requests, want the one download", n)
	}
}
