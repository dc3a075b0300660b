package release

import (
	"strings"
	"testing"
)

const testCommit = "89abcdef0123456789abcdef0123456789abcdef"

func TestNotesGiveThePinAndTheVerifyCommand(t *testing.T) {
	t.Parallel()
	p, err := NewPlan("v1.2.3", strings.NewReader("v1.2.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	notes, err := Notes(NotesInput{Plan: p, Repository: "codespaces-org-secrets/codespaces-org-secrets", Commit: testCommit, Digest: testDigest})
	if err != nil {
		t.Fatalf("Notes: %v", err)
	}
	for _, want := range []string{
		"      - uses: codespaces-org-secrets/codespaces-org-secrets@" + testCommit + " # v1.2.3\n",
		"`ghcr.io/codespaces-org-secrets/codespaces-org-secrets@" + testDigest + "`, tagged `v1.2.3`, `v1.2`, `v1`.",
		"`v1.2`, `v1` now points here too.",
		// The command the issue asks for, exactly.
		"gh attestation verify oci://ghcr.io/codespaces-org-secrets/codespaces-org-secrets@" + testDigest +
			" --owner codespaces-org-secrets --signer-workflow codespaces-org-secrets/codespaces-org-secrets/.github/workflows/release.yml\n",
		"gh attestation verify codespaces-org-secrets_linux_amd64 --owner codespaces-org-secrets --signer-workflow codespaces-org-secrets/codespaces-org-secrets/.github/workflows/release.yml\n",
		"sha256sum --check --ignore-missing checksums.txt\n",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes lack %q:\n%s", want, notes)
		}
	}
}

func TestNotesOfABackportMoveNoMajorTag(t *testing.T) {
	t.Parallel()
	p, err := NewPlan("v1.0.1", strings.NewReader("v1.0.2\nv1.1.0\n"))
	if err != nil {
		t.Fatal(err)
	}
	notes, err := Notes(NotesInput{Plan: p, Repository: "o/r", Commit: testCommit, Digest: testDigest})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(notes, "now points here") || !strings.Contains(notes, "tagged `v1.0.1`.") {
		t.Errorf("the notes of a release that moves no tag claim one moved:\n%s", notes)
	}
}

func TestNotesRefuseBadInput(t *testing.T) {
	t.Parallel()
	p, _ := NewPlan("v1.2.3", strings.NewReader(""))
	good := NotesInput{Plan: p, Repository: "o/r", Commit: testCommit, Digest: testDigest}
	tests := []struct {
		name   string
		change func(*NotesInput)
		want   string
	}{
		{"a malformed digest", func(in *NotesInput) { in.Digest = "sha256:1" }, "is not an image digest"},
		{"a short commit", func(in *NotesInput) { in.Commit = testCommit[:7] }, "not a full commit SHA"},
		{"a repository without owner", func(in *NotesInput) { in.Repository = "r" }, "not owner/name"},
		{"a repository with a path", func(in *NotesInput) { in.Repository = "o/r/x" }, "not owner/name"},
	}
	for _, tt := range tests {
		in := good
		tt.change(&in)
		if _, err := Notes(in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Notes = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}
