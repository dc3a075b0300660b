package release

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuildBinaries(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dist")
	var builds []string
	fake := func(_ context.Context, env, args []string) error {
		builds = append(builds, strings.Join(env, " ")+" go "+strings.Join(args, " "))
		o := args[slices.Index(args, "-o")+1]
		return os.WriteFile(o, []byte("binary "+filepath.Base(o)), 0o755)
	}
	names, err := BuildBinaries(context.Background(), fake, "v1.2.3", ".", out)
	if err != nil {
		t.Fatalf("BuildBinaries: %v", err)
	}
	wantNames := []string{
		"codespaces-org-secrets_linux_amd64", "codespaces-org-secrets_linux_arm64",
		"codespaces-org-secrets_darwin_amd64", "codespaces-org-secrets_darwin_arm64",
		"codespaces-org-secrets_windows_amd64.exe", "codespaces-org-secrets_windows_arm64.exe",
		"checksums.txt",
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("assets = %q, want %q", names, wantNames)
	}
	wantFirst := "CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags=-s -w -X main.version=v1.2.3 -o " +
		filepath.Join(out, "codespaces-org-secrets_linux_amd64") + " ."
	if len(builds) != 6 || builds[0] != wantFirst {
		t.Errorf("ran %d builds, the first %q; want 6, the first %q", len(builds), builds[0], wantFirst)
	}
	sums, err := os.ReadFile(filepath.Join(out, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("checksums.txt has %d lines, want 6:\n%s", len(lines), sums)
	}
	// sha256sum's format: 64 hex digits, two spaces, the asset name; sorted.
	for _, l := range lines {
		sum, name, ok := strings.Cut(l, "  ")
		if !ok || len(sum) != 64 || !slices.Contains(wantNames, name) {
			t.Errorf("checksums.txt line %q is not \"<sha256>  <asset name>\"", l)
		}
	}
	var order []string
	for _, l := range lines {
		order = append(order, l[strings.Index(l, "  ")+2:])
	}
	if !slices.IsSorted(order) || order[0] != "codespaces-org-secrets_darwin_amd64" {
		t.Errorf("checksums.txt is not sorted by name:\n%s", sums)
	}
}

func TestWriteChecksumsIsSha256sumFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "b"), "hello")
	writeTestFile(t, filepath.Join(dir, "a"), "")
	if err := WriteChecksums(dir, []string{"b", "a"}); err != nil {
		t.Fatalf("WriteChecksums: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// printf hello | sha256sum; sha256sum of an empty file.
	const want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a\n" +
		"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  b\n"
	if string(got) != want {
		t.Errorf("checksums.txt:\n%s\nwant:\n%s", got, want)
	}
}

func TestBuildBinariesStopsAtTheFirstFailure(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	calls := 0
	failing := func(context.Context, []string, []string) error {
		calls++
		return errors.New("exit status 1")
	}
	_, err := BuildBinaries(context.Background(), failing, "v1.2.3", ".", out)
	if err == nil || !strings.Contains(err.Error(), "building codespaces-org-secrets_linux_amd64 for linux/amd64: exit status 1") {
		t.Fatalf("BuildBinaries = %v, want the failing platform named", err)
	}
	if calls != 1 {
		t.Errorf("ran %d builds after a failure, want 1", calls)
	}
	if _, err := os.Stat(filepath.Join(out, "checksums.txt")); !os.IsNotExist(err) {
		t.Errorf("checksums.txt was written for a failed build (stat: %v)", err)
	}
	if _, err := BuildBinaries(context.Background(), failing, "1.2.3", ".", out); err == nil || calls != 1 {
		t.Errorf("BuildBinaries with a bad version = %v after %d builds, want an error before any build", err, calls)
	}
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
