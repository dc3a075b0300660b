package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGH is a gh on PATH that logs each call's arguments, one line each,
// and answers `gh release view` as $FAKE_RELEASE says: none (not found),
// true (a draft), false (published) or broken (another failure).
const fakeGH = `#!/usr/bin/env bash
printf '%s\n' "$*" >> "$FAKE_LOG"
if [ "$1 $2" = "release view" ]; then
  case "$FAKE_RELEASE" in
    none) echo "release not found" >&2; exit 1 ;;
    broken) echo "HTTP 502: Bad Gateway" >&2; exit 1 ;;
    *) echo "$FAKE_RELEASE" ;;
  esac
fi
if [ -n "$FAKE_FAIL" ] && [ "$1 $2" = "$FAKE_FAIL" ]; then
  echo "failed: $*" >&2
  exit 1
fi
`

// runPublish runs publish-release.sh as the publish job does, with the
// fake gh, and returns its exit code, output and gh's calls.
func runPublish(t *testing.T, release, fail string) (int, string, []string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(fakeGH), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "calls")
	script := filepath.Join("..", "..", "tools", "release", "publish-release.sh")
	trackFiles(t, script)
	cmd := exec.Command("bash", script, "release/notes.md", "dist/a", "dist/checksums.txt")
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_LOG="+log, "FAKE_RELEASE="+release, "FAKE_FAIL="+fail, "VERSION=v1.2.3", "LATEST=false")
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running publish-release.sh: %v", err)
		}
		code = ee.ExitCode()
	}
	b, _ := os.ReadFile(log)
	return code, string(out), strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestPublishReleaseCanRunAgain(t *testing.T) {
	t.Parallel()
	const (
		view    = "release view v1.2.3 --json isDraft -q .isDraft"
		publish = "release edit v1.2.3 --draft=false --latest=false"
	)
	tests := []struct {
		name, release, fail string
		code                int
		calls               []string
		say                 string
	}{
		{name: "creates a draft with the assets, verifying the tag, then publishes it", release: "none",
			calls: []string{view,
				"release create v1.2.3 --draft --verify-tag --title v1.2.3 --notes-file release/notes.md --latest=false dist/a dist/checksums.txt",
				publish},
			say: "Published the release v1.2.3."},
		{name: "replaces the assets of an earlier attempt's draft instead of making a second", release: "true",
			calls: []string{view,
				"release upload v1.2.3 --clobber dist/a dist/checksums.txt",
				"release edit v1.2.3 --title v1.2.3 --notes-file release/notes.md",
				publish},
			say: "A draft of v1.2.3 exists"},
		{name: "leaves a published release alone", release: "false",
			calls: []string{view}, say: "already published; nothing to do"},
		{name: "stops when it cannot tell whether the release exists", release: "broken", code: 1,
			calls: []string{view}, say: "HTTP 502"},
		{name: "does not publish a draft whose assets did not upload", release: "true", fail: "release upload", code: 1,
			calls: []string{view, "release upload v1.2.3 --clobber dist/a dist/checksums.txt"}},
		{name: "does not publish when the draft was not created", release: "none", fail: "release create", code: 1,
			calls: []string{view,
				"release create v1.2.3 --draft --verify-tag --title v1.2.3 --notes-file release/notes.md --latest=false dist/a dist/checksums.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, calls := runPublish(t, tt.release, tt.fail)
			if code != tt.code || !strings.Contains(out, tt.say) {
				t.Errorf("exit %d, want %d; output:\n%s\nwant it to contain %q", code, tt.code, out, tt.say)
			}
			if strings.Join(calls, "\n") != strings.Join(tt.calls, "\n") {
				t.Errorf("gh was called\n  %s\nwant\n  %s", strings.Join(calls, "\n  "), strings.Join(tt.calls, "\n  "))
			}
		})
	}
}

// trackFiles reads each file, so that go test's cache, which records only
// the files the test process itself opens, runs the test again when a file
// that only a child process reads (a script, node's sources) changes.
func trackFiles(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		readTestFile(t, p)
	}
}
