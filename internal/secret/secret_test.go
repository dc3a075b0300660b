package secret

import (
	"errors"
	"strings"
	"testing"
)

func TestVisibilitiesDriveTheCheckAndTheMessage(t *testing.T) {
	t.Parallel()
	for _, v := range []Visibility{All, Private, Selected} {
		if !v.Valid() {
			t.Errorf("%q is not valid", v)
		}
	}
	for _, v := range []Visibility{"", "public", "All", " all", "internal"} {
		if v.Valid() {
			t.Errorf("%q is valid", v)
		}
	}
	tests := []struct{ format, last, want string }{
		{"%s", " or ", "all, private or selected"},
		{"%q", " and ", `"all", "private" and "selected"`},
		{`"visibility: %s"`, " or ", `"visibility: all", "visibility: private" or "visibility: selected"`},
		{"%s", ", ", "all, private, selected"},
	}
	for _, tt := range tests {
		if got := Choices(tt.format, tt.last); got != tt.want {
			t.Errorf("Choices(%q, %q) = %q, want %q", tt.format, tt.last, got, tt.want)
		}
	}
}

func TestParseVisibilityIsExactAndNamesTheLowerCaseSpelling(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  Visibility // "" when it is no visibility
		lower Visibility // the error's Lower
		msg   string
	}{
		{"a visibility", "selected", Selected, "", ""},
		{"another case", "Private", "", Private, `"Private" is not a visibility; write it in lower case: "private"`},
		{"upper case", "ALL", "", All, `"ALL" is not a visibility; write it in lower case: "all"`},
		{"white space is not trimmed", " all", "", "", `" all" is not a visibility; valid values are "all", "private" and "selected"`},
		{"empty", "", "", "", `"" is not a visibility; valid values are "all", "private" and "selected"`},
		{"no visibility", "public", "", "", `"public" is not a visibility; valid values are "all", "private" and "selected"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVisibility(tt.in)
			if got != tt.want {
				t.Errorf("ParseVisibility(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.want != "" {
				if err != nil {
					t.Errorf("ParseVisibility(%q): %v", tt.in, err)
				}
				return
			}
			var ve *VisibilityError
			if !errors.As(err, &ve) {
				t.Fatalf("ParseVisibility(%q) error %v, want a *VisibilityError", tt.in, err)
			}
			if ve.Text != tt.in || ve.Lower != tt.lower || err.Error() != tt.msg {
				t.Errorf("ParseVisibility(%q) error %+v %q, want Lower %q and %q", tt.in, *ve, err, tt.lower, tt.msg)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		problem NameProblem // 0 for a valid name
		char    rune
		padded  bool
		text    string // piece of Error()
	}{
		{"letters are valid", "TOKEN", 0, 0, false, ""},
		{"lower case is valid", "npm_token", 0, 0, false, ""},
		{"a leading underscore is valid", "_X1", 0, 0, false, ""},
		{"digits after the first character are valid", "A1_2", 0, 0, false, ""},
		{"GITHUB without underscore is valid", "GITHUBX", 0, 0, false, ""},
		{"empty is invalid", "", NameEmpty, 0, false, "must not be empty"},
		{"a leading digit is invalid", "1A", NameLeadingDigit, 0, false, "must not start with a digit"},
		{"a hyphen is invalid", "A-B", NameBadChar, '-', false, "letters, digits and underscores"},
		{"a dot is invalid", "A.B", NameBadChar, '.', false, "letters, digits and underscores"},
		{"a non-ASCII letter is invalid", "CLÉ", NameBadChar, 'É', false, "letters, digits and underscores"},
		{"spaces around are invalid", " A", NameBadChar, ' ', true, "spaces around it"},
		{"a space after a leading digit is the likelier mistake", "1A ", NameLeadingDigit, 0, true, "spaces around it"},
		{"a space inside is a bad character", "A B", NameBadChar, ' ', false, "letters, digits and underscores"},
		{"GITHUB_ is reserved", "GITHUB_TOKEN", NameReserved, 0, false, "must not start with GITHUB_"},
		{"GITHUB_ is reserved in any case", "Github_x", NameReserved, 0, false, "must not start with GITHUB_"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckName(tt.in)
			if tt.problem == 0 {
				if err != nil {
					t.Fatalf("CheckName(%q): %v", tt.in, err)
				}
				return
			}
			var e *NameError
			if !errors.As(err, &e) {
				t.Fatalf("CheckName(%q) = %v, want a *NameError", tt.in, err)
			}
			if e.Problem != tt.problem || e.Char != tt.char || e.Padded != tt.padded {
				t.Errorf("CheckName(%q) = %+v, want problem %d, char %q, padded %v", tt.in, *e, tt.problem, tt.char, tt.padded)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q lacks %q", err, tt.text)
			}
			if tt.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("the error repeats the name: %v", err)
			}
		})
	}
}

func TestANameHasOneCanonicalForm(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"npm_token", "Npm_Token", "NPM_TOKEN"} {
		got, err := ParseName(in)
		if err != nil || got != "NPM_TOKEN" || NameOf(in) != got {
			t.Errorf("ParseName(%q) = %q, %v; NameOf = %q; want NPM_TOKEN", in, got, err, NameOf(in))
		}
	}
	if got, err := ParseName("1A"); err == nil || got != "" {
		t.Errorf("ParseName(1A) = %q, %v; want an error", got, err)
	}
}

func TestParseRepoRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in, org string
		want    RepoRef
		problem RefProblem // 0 when it parses
	}{
		{"a bare name gets the organization", "web", "acme", RepoRef{Owner: "acme", Name: "web"}, 0},
		{"owner/name takes the organization's spelling", "ACME/web", "acme", RepoRef{Owner: "acme", Name: "web"}, 0},
		{"digits are an id", "1296269", "acme", RepoRef{ID: 1296269}, 0},
		{"a name of digits is written org/123", "acme/123", "acme", RepoRef{Owner: "acme", Name: "123"}, 0},
		{"without an organization a bare name has no owner", "web", "", RepoRef{Name: "web"}, 0},
		{"without an organization any valid owner is kept", "Other/web", "", RepoRef{Owner: "Other", Name: "web"}, 0},
		{"an id of zero", "0", "acme", RepoRef{}, RefBadID},
		{"an id over 64 bits", "99999999999999999999", "", RepoRef{}, RefBadID},
		{"a URL", "https://github.com/acme/web", "acme", RepoRef{}, RefNotARef},
		{"a path", "acme/web/tree", "", RepoRef{}, RefNotARef},
		{"another organization", "other/web", "acme", RepoRef{}, RefOtherOwner},
		{"an empty owner is another organization", "/web", "acme", RepoRef{}, RefOtherOwner},
		{"an owner that is not a login", "-org/web", "", RepoRef{}, RefBadOwner},
		{"an owner over 39 characters", strings.Repeat("a", 40) + "/web", "", RepoRef{}, RefBadOwner},
		{"dot-dot", "..", "acme", RepoRef{}, RefBadName},
		{"a space", "web site", "", RepoRef{}, RefBadName},
		{"a name over 100 characters", "acme/" + strings.Repeat("a", 101), "acme", RepoRef{}, RefBadName},
		{"empty", "", "", RepoRef{}, RefBadName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRepoRef(tt.in, tt.org)
			if tt.problem == 0 {
				if err != nil || got != tt.want {
					t.Fatalf("ParseRepoRef(%q, %q) = %+v, %v; want %+v", tt.in, tt.org, got, err, tt.want)
				}
				return
			}
			var e *RefError
			if !errors.As(err, &e) || e.Problem != tt.problem || e.Text != tt.in {
				t.Fatalf("ParseRepoRef(%q, %q) = %+v, %v; want problem %d", tt.in, tt.org, got, err, tt.problem)
			}
			if !strings.Contains(err.Error(), `"`+tt.in+`"`) {
				t.Errorf("the error does not quote the reference: %v", err)
			}
		})
	}
}

func TestInOrgChecksAReferenceParsedWithoutTheOrganization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    RepoRef
		want  RepoRef
		wrong bool
	}{
		{RepoRef{Name: "web"}, RepoRef{Owner: "acme", Name: "web"}, false},
		{RepoRef{Owner: "ACME", Name: "web"}, RepoRef{Owner: "acme", Name: "web"}, false},
		{RepoRef{ID: 7}, RepoRef{ID: 7}, false},
		{RepoRef{Owner: "other", Name: "web"}, RepoRef{}, true},
	}
	for _, tt := range tests {
		got, err := tt.in.InOrg("acme")
		if tt.wrong {
			var e *RefError
			if !errors.As(err, &e) || e.Problem != RefOtherOwner || !strings.Contains(err.Error(), `repository "other/web" is not in organization "acme"`) {
				t.Errorf("InOrg(%+v) = %v, want another organization's", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("InOrg(%+v) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestRepoRefStringAndKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref       RepoRef
		text, key string
	}{
		{RepoRef{Owner: "Acme", Name: "Web"}, "Acme/Web", "acme/web"},
		{RepoRef{ID: 42}, "42", "42"},
		{RepoRef{Owner: "acme", Name: "web", ID: 42}, "42", "42"},
	}
	for _, tt := range tests {
		if got := tt.ref.String(); got != tt.text {
			t.Errorf("%+v.String() = %q, want %q", tt.ref, got, tt.text)
		}
		if got := tt.ref.Key(); got != tt.key {
			t.Errorf("%+v.Key() = %q, want %q", tt.ref, got, tt.key)
		}
	}
	for _, s := range []string{"web", "acme/web", "acme/123", "7"} {
		ref, err := ParseRepoRef(s, "acme")
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseRepoRef(ref.String(), "acme")
		if err != nil || back != ref {
			t.Errorf("%q does not read back: %+v, %v", ref.String(), back, err)
		}
	}
}

func TestARepositoryNamesItselfAsAReferenceReadsIt(t *testing.T) {
	t.Parallel()
	full := Repository{ID: 7, Name: "web", FullName: "Acme/web"}
	if got := full.Ref(); got != (RepoRef{Owner: "Acme", Name: "web"}) || got.Key() != "acme/web" {
		t.Errorf("Ref() = %+v", got)
	}
	if full.Label() != "Acme/web" {
		t.Errorf("Label() = %q", full.Label())
	}
	byID := Repository{ID: 7}
	if byID.Ref() != (RepoRef{ID: 7}) || byID.Label() != "7" {
		t.Errorf("an id-only repository: Ref() = %+v, Label() = %q", byID.Ref(), byID.Label())
	}
}

func TestDigits(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"0": true, "0123": true, "": false, "12a": false, "-1": false, "1.5": false, "١": false} {
		if got := Digits(s); got != want {
			t.Errorf("Digits(%q) = %v, want %v", s, got, want)
		}
	}
}
