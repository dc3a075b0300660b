//go:build unix

package manifest_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
)

// The action runs as root in its container, and a root-owned file in the
// workspace is one the runner's later steps cannot replace: a new manifest,
// and each directory created for it, get the owner of the nearest
// directory that exists, and a manifest that exists keeps its own owner.
func TestWriteFileGivesWhatItCreatesTheWorkspacesOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can give a file another owner, as the action does in its container")
	}
	const uid, gid = 4242, 4343
	workspace := t.TempDir()
	chown(t, workspace, uid, gid)
	fresh := filepath.Join(workspace, ".github", "sub", "codespaces-secrets.yml")
	if err := manifest.WriteFile(fresh, []byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(workspace, ".github"), filepath.Dir(fresh), fresh} {
		wantOwner(t, p, uid, gid)
	}
	existing := filepath.Join(workspace, "kept.yml")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	chown(t, existing, 5151, 5252)
	if err := manifest.WriteFile(existing, []byte("new")); err != nil {
		t.Fatal(err)
	}
	wantOwner(t, existing, 5151, 5252)
}

func chown(t *testing.T, path string, uid, gid int) {
	t.Helper()
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
}

func wantOwner(t *testing.T, path string, uid, gid int) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("%s belongs to %d:%d, want %d:%d", path, st.Uid, st.Gid, uid, gid)
	}
}
