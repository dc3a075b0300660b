package release

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs Main with args after the program name and returns its exit
// code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), append([]string{"release"}, args...), nil, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestMainPlanWritesGitHubOutputs(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "refs/tags/v1.0.0\nrefs/tags/v1.1.0\nrefs/tags/v1\n", "plan", "--version", "v1.0.1")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "version=v1.0.1\ntags=v1.0.1 v1.0\nmoving-tags=v1.0\nlatest=false\n"; out != want {
		t.Errorf("plan wrote %q, want %q", out, want)
	}
	code, out, errOut = run(t, "v1.0.1\n", "plan", "--version", "v1.0.1")
	if code != ExitFailed || out != "" || !strings.Contains(errOut, "release plan: v1.0.1 is already released") {
		t.Errorf("plan of a released version: exit %d, stdout %q, stderr %q; want exit 1 and the reason", code, out, errOut)
	}
}

func TestMainPinAndUnpinRewriteTheFileInPlace(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "action.yml")
	writeTestFile(t, file, smallAction)
	if code, _, errOut := run(t, "", "pin-image", "--digest", testDigest, "--file", file); code != ExitOK {
		t.Fatalf("pin-image: exit %d: %s", code, errOut)
	}
	if got := readTestFile(t, file); !strings.Contains(got, "  image: "+PinnedImage(testDigest)+"\n") {
		t.Fatalf("after pin-image action.yml is\n%s", got)
	}
	if code, _, errOut := run(t, "", "unpin-image", "--file", file); code != ExitOK {
		t.Fatalf("unpin-image: exit %d: %s", code, errOut)
	}
	if got := readTestFile(t, file); got != smallAction {
		t.Fatalf("after unpin-image action.yml is\n%s\nwant\n%s", got, smallAction)
	}
}

func TestMainLeavesTheFileAsItWasOnBadInput(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "action.yml")
	writeTestFile(t, file, smallAction)
	code, _, errOut := run(t, "", "pin-image", "--digest", "sha256:abc", "--file", file)
	if code != ExitFailed || !strings.Contains(errOut, `release pin-image: digest "sha256:abc" is not an image digest`) {
		t.Errorf("pin-image with a bad digest: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := run(t, "", "pin-image", "--file", file); code != ExitFailed {
		t.Errorf("pin-image without a digest: exit %d, want 1", code)
	}
	if got := readTestFile(t, file); got != smallAction {
		t.Errorf("a refused pin-image changed action.yml to\n%s", got)
	}
}

func TestMainNotes(t *testing.T) {
	t.Parallel()
	plan := "version=v2.0.0\ntags=v2.0.0 v2.0 v2\nmoving-tags=v2.0 v2\nlatest=true\n"
	code, out, errOut := run(t, plan, "notes", "--version", "v2.0.0", "--repository", "o/r", "--commit", testCommit, "--digest", testDigest)
	if code != ExitOK || !strings.Contains(out, "gh attestation verify oci://"+Image+"@"+testDigest+" --owner o --signer-workflow o/r/.github/workflows/release.yml") {
		t.Errorf("notes: exit %d, stderr %q, notes:\n%s", code, errOut, out)
	}
}

func TestMainUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"publish"}, {"plan", "--nope"}, {"plan", "--version", "v1.0.0", "extra"}} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage || errOut == "" {
			t.Errorf("release %q: exit %d, stderr %q; want exit 2 with a message", args, code, errOut)
		}
	}
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
