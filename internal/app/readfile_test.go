package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBoundedStopsAtItsLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := readBounded(path, 5); err != nil || string(b) != "12345" {
		t.Errorf("a file of exactly the limit: %q, %v", b, err)
	}
	if _, err := readBounded(path, 4); err == nil || !strings.Contains(err.Error(), "holds more than 4 bytes") {
		t.Errorf("a file one byte over the limit: %v", err)
	}
	if _, err := readBounded(filepath.Join(dir, "missing"), 5); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v, want fs.ErrNotExist as os.ReadFile gives", err)
	}
}

// A device that never ends is refused after the bound, not read forever.
func TestReadFileBoundedRefusesAnEndlessFile(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Fatalf("this test needs /dev/zero: %v", err)
	}
	if _, err := readFileBounded("/dev/zero"); err == nil || !strings.Contains(err.Error(), "holds more than") {
		t.Errorf("readFileBounded(/dev/zero) = %v, want the bound's error", err)
	}
}

func TestAnEnvFileOverTheLimitIsRefusedBeforeAnyRequest(t *testing.T) {
	srv, _ := newServer(t)
	path := filepath.Join(t.TempDir(), "big.env")
	line := "A=" + strings.Repeat("v", int(maxSecretsStdin)) + "\n"
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runLocal(t, srv, "", []string{"set", "--org", testOrg, "--api-url", "$API", "--env-file", path})
	wantLocalCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "error: --env-file "+path+" holds more than") || srv.Count("") != 0 {
		t.Errorf("%d requests; stderr:\n%s", srv.Count(""), r.stderr)
	}
}
