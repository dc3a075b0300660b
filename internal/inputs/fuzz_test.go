package inputs

import (
	"reflect"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/; `go test` runs them
// as ordinary tests, and `go test -fuzz=FuzzParseSecrets ./internal/inputs`
// looks for more.

// FuzzParseSecrets checks that ParseSecrets never panics, that its errors
// never repeat any part of the input (a canary planted in every position a
// value can take never shows up), and that FormatSecrets gives back text
// that parses to the same secrets.
func FuzzParseSecrets(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		secrets, err := ParseSecrets(s)

		half := len(s) / 2
		for _, planted := range []string{
			"A=" + canary + "\n" + s,
			s + "\n" + canary,
			s + "\nB<<EOF\n" + canary,
			s + "\nB<<EOF\n" + canary + "\nEOF",
			canary + "=x\n" + s,
			"C<<" + canary + "\n" + s,
			s[:half] + canary + s[half:],
			s[:half] + "\n" + canary + "\n" + s[half:],
		} {
			if _, perr := ParseSecrets(planted); perr != nil && strings.Contains(perr.Error(), "c4n4ry") {
				t.Fatalf("the error repeats the input: %v", perr)
			}
		}

		if err != nil {
			if secrets != nil {
				t.Fatalf("secrets returned with an error: %q", secrets)
			}
			return
		}
		seen := map[secret.Name]bool{}
		for _, sv := range secrets {
			if verr := secret.CheckName(string(sv.Name)); verr != nil {
				t.Fatalf("parsed an invalid name: %v", verr)
			}
			if sv.Name != secret.NameOf(string(sv.Name)) {
				t.Fatalf("parsed a name that is not in its canonical form: %q", sv.Name)
			}
			if seen[sv.Name] {
				t.Fatal("parsed a repeated name")
			}
			seen[sv.Name] = true
		}
		text := FormatSecrets(secrets)
		back, err := ParseSecrets(text)
		if err != nil {
			t.Fatalf("ParseSecrets(FormatSecrets(...)) failed: %v\ntext: %q", err, text)
		}
		if len(back) != len(secrets) || (len(back) > 0 && !reflect.DeepEqual(back, secrets)) {
			t.Fatalf("round trip changed the secrets:\n got %q\nwant %q\ntext %q", back, secrets, text)
		}
	})
}

// FuzzFormatSecrets checks that any value, whatever bytes it holds, comes
// back unchanged from FormatSecrets then ParseSecrets.
func FuzzFormatSecrets(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string) {
		want := []SecretValue{{"FIRST", value}, {"SECOND", value + "\n" + value}}
		text := FormatSecrets(want)
		got, err := ParseSecrets(text)
		if err != nil {
			t.Fatalf("ParseSecrets(%q): %v", text, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip changed the values:\n got %q\nwant %q\ntext %q", got, want, text)
		}
	})
}

// FuzzParseRepositories checks that ParseRepositories never panics, returns
// no repeated reference, and reads back what secret.RepoRef.String writes, one by
// one and as a list.
func FuzzParseRepositories(f *testing.F) {
	f.Fuzz(func(t *testing.T, s, org string) {
		if !secret.ValidLogin(org) {
			org = "acme"
		}
		refs, err := ParseRepositories(s, org)
		if err != nil {
			if refs != nil {
				t.Fatalf("references returned with an error: %v", refs)
			}
			return
		}
		seen := map[string]bool{}
		var texts []string
		for _, ref := range refs {
			key := strings.ToLower(ref.String())
			if seen[key] {
				t.Fatalf("repeated reference %q", ref.String())
			}
			seen[key] = true
			if ref.ID == 0 && ref.Owner != org {
				t.Fatalf("reference %q has owner %q, want the organization %q", ref.String(), ref.Owner, org)
			}
			back, err := ParseRepositories(ref.String(), org)
			if err != nil || len(back) != 1 || back[0] != ref {
				t.Fatalf("ParseRepositories(%q) = %v, %v; want [%v]", ref.String(), back, err, ref)
			}
			texts = append(texts, ref.String())
		}
		back, err := ParseRepositories(strings.Join(texts, "\n"), org)
		if err != nil || len(back) != len(refs) || (len(refs) > 0 && !reflect.DeepEqual(back, refs)) {
			t.Fatalf("the list did not round-trip: %v, %v; want %v", back, err, refs)
		}
	})
}
