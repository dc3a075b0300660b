package inputs

import (
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func TestParseList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty gives nothing", "", nil},
		{"commas and newlines separate", "a,b\nc\r\nd", []string{"a", "b", "c", "d"}},
		{"items are trimmed and empties dropped", " a , ,\n\n b ,", []string{"a", "b"}},
		{"spaces inside an item stay", "a b", []string{"a b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantEqual(t, ParseList(tt.in), tt.want)
		})
	}
}

func TestParseRepositoriesReads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []secret.RepoRef
	}{
		{"a bare name belongs to the organization", "web", []secret.RepoRef{{Owner: "acme", Name: "web"}}},
		{"org/repo is accepted with the organization's spelling", "ACME/web", []secret.RepoRef{{Owner: "acme", Name: "web"}}},
		{"a number is an id", "1296269", []secret.RepoRef{{ID: 1296269}}},
		{"a name made of digits is given as org/123", "acme/123", []secret.RepoRef{{Owner: "acme", Name: "123"}}},
		{"dots, dashes and underscores are valid", "my.repo-name_2", []secret.RepoRef{{Owner: "acme", Name: "my.repo-name_2"}}},
		{"a mixed list keeps its order", "web\n42, acme/api", []secret.RepoRef{{Owner: "acme", Name: "web"}, {ID: 42}, {Owner: "acme", Name: "api"}}},
		{"repeats are dropped ignoring case", "web, Web, acme/WEB, 7, 007", []secret.RepoRef{{Owner: "acme", Name: "web"}, {ID: 7}}},
		{"empty gives nothing", " , \n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRepositories(tt.in, "acme")
			if err != nil {
				t.Fatalf("ParseRepositories: %v", err)
			}
			wantEqual(t, got, tt.want)
		})
	}
}

func TestParseRepositoriesRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"another organization's repository", "other/web", []string{`repository "other/web" is not in organization "acme"`}},
		{"an id of zero", "0", []string{`"0" is not a valid repository id`}},
		{"an id over 64 bits", "99999999999999999999", []string{`"99999999999999999999" is not a valid repository id`}},
		{"a URL", "https://github.com/acme/web", []string{`"https://github.com/acme/web" is not a repository reference`}},
		{"a path with two slashes", "acme/web/tree", []string{`"acme/web/tree" is not a repository reference`}},
		{"an empty owner", "/web", []string{`repository "/web" is not in organization`}},
		{"an empty name", "acme/", []string{`"acme/" is not a valid repository name`}},
		{"dot-dot", "..", []string{`".." is not a valid repository name`}},
		{"a name over 100 characters", "acme/" + strings.Repeat("a", 101), []string{"is not a valid repository name"}},
		{"every bad item is reported", "web, bad name, other/x, 0", []string{`"bad name"`, `"other/x"`, `"0"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRepositories(tt.in, "acme")
			wantMessages(t, err, tt.want...)
			if got != nil {
				t.Errorf("references returned with an error: %v", got)
			}
		})
	}
}

func TestParseRepositoriesWithoutAnOrganizationChecksOnlyTheSyntax(t *testing.T) {
	t.Parallel()
	got, err := ParseRepositories("other/web, api", "")
	if err != nil {
		t.Fatalf("ParseRepositories: %v", err)
	}
	wantEqual(t, got, []secret.RepoRef{{Owner: "other", Name: "web"}, {Owner: "", Name: "api"}})
	if _, err := ParseRepositories("bad name", ""); err == nil {
		t.Error("a bad name was accepted")
	}
}
