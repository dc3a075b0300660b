package secret

import (
	"errors"
	"testing"
)

// FuzzParseRepoRef checks that the two ways a reference is read agree: the
// repositories input parses it with the organization at once, the manifest
// parses it alone and sync checks it with InOrg later. Both accept the same
// texts and give the same reference, which reads back from its String.
func FuzzParseRepoRef(f *testing.F) {
	for _, s := range []string{"web", "Acme/web", "acme/123", "42", "0", "other/web", "/web", "-o/web", "a/b/c", "https://github.com/acme/web", "..", "web site", "acme:x/y"} {
		f.Add(s, "acme")
	}
	f.Fuzz(func(t *testing.T, s, org string) {
		if !ValidLogin(org) {
			org = "acme"
		}
		direct, err := ParseRepoRef(s, org)
		alone, aerr := ParseRepoRef(s, "")
		later := alone
		if aerr == nil {
			later, aerr = alone.InOrg(org)
		}
		if (err == nil) != (aerr == nil) {
			t.Fatalf("ParseRepoRef(%q, %q) = %v, but alone then InOrg = %v", s, org, err, aerr)
		}
		for _, e := range []error{err, aerr} {
			var re *RefError
			if e != nil && !errors.As(e, &re) {
				t.Fatalf("error %T is not a *RefError: %v", e, e)
			}
		}
		if err != nil {
			return
		}
		if direct != later {
			t.Fatalf("ParseRepoRef(%q, %q) = %+v, but alone then InOrg = %+v", s, org, direct, later)
		}
		if direct.ID == 0 && direct.Owner != org {
			t.Fatalf("%q has owner %q, want the organization %q", s, direct.Owner, org)
		}
		if back, err := ParseRepoRef(direct.String(), org); err != nil || back != direct {
			t.Fatalf("%q reads back as %+v, %v; want %+v", direct.String(), back, err, direct)
		}
	})
}
