package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheCommandAsTheWorkflowRunsIt builds the command and runs the steps
// of release.yml with it: plan from git's tag list, then the rewrite of
// a copy of the repository's action.yml and back.
func TestTheCommandAsTheWorkflowRunsIt(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "release")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the release command: %v\n%s", err, out)
	}

	plan := exec.Command(bin, "plan", "--version", "v1.0.1")
	plan.Stdin = strings.NewReader("refs/tags/v1.0.0\nrefs/tags/v1.1.0\n")
	out, err := plan.Output()
	if err != nil {
		t.Fatalf("release plan: %v", err)
	}
	if !strings.Contains(string(out), "moving-tags=v1.0\n") {
		t.Errorf("release plan of a backport printed %q; v1 must stay on v1.1.0", out)
	}

	orig, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	action := filepath.Join(dir, "action.yml")
	if err := os.WriteFile(action, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	digest := "sha256:" + strings.Repeat("5e", 32)
	if out, err := exec.Command(bin, "pin-image", "--digest", digest, "--file", action).CombinedOutput(); err != nil {
		t.Fatalf("release pin-image: %v\n%s", err, out)
	}
	pinned, _ := os.ReadFile(action)
	if want := strings.Replace(string(orig), "  image: Dockerfile\n",
		"  image: docker://ghcr.io/codespaces-org-secrets/codespaces-org-secrets@"+digest+"\n", 1); string(pinned) != want {
		t.Errorf("release pin-image wrote\n%s", pinned)
	}
	bad := exec.Command(bin, "pin-image", "--digest", "sha256:"+strings.Repeat("5e", 31), "--file", action)
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "64 lower-case hex digits") {
		t.Errorf("release pin-image of a short digest: %v, %s; want it refused", err, out)
	}
	if out, err := exec.Command(bin, "unpin-image", "--file", action).CombinedOutput(); err != nil {
		t.Fatalf("release unpin-image: %v\n%s", err, out)
	}
	if back, _ := os.ReadFile(action); string(back) != string(orig) {
		t.Errorf("release unpin-image did not restore action.yml")
	}
}
