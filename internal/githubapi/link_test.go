package githubapi

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseLink(t *testing.T) {
	t.Parallel()
	const gh = "https://api.github.com/organizations/1/codespaces/secrets?per_page=100"
	tests := []struct {
		name, header string
		want         map[string]string
	}{
		{"reads GitHub's header", `<` + gh + `&page=2>; rel="next", <` + gh + `&page=5>; rel="last"`,
			map[string]string{"next": gh + "&page=2", "last": gh + "&page=5"}},
		{"reads a header without next on the last page", `<` + gh + `&page=1>; rel="first", <` + gh + `&page=4>; rel="prev"`,
			map[string]string{"first": gh + "&page=1", "prev": gh + "&page=4"}},
		{"returns nothing for an empty header", "", map[string]string{}},
		{"reads an unquoted rel", `<https://x/2>; rel=next`, map[string]string{"next": "https://x/2"}},
		{"lower-cases the relation type", `<https://x/2>; REL="Next"`, map[string]string{"next": "https://x/2"}},
		{"gives a link to each of several relation types", `<https://x/9>; rel="next last"`, map[string]string{"next": "https://x/9", "last": "https://x/9"}},
		{"keeps the first link of a relation type", `<https://x/2>; rel="next", <https://x/3>; rel="next"`, map[string]string{"next": "https://x/2"}},
		{"counts only the first rel parameter", `<https://x/2>; rel="next"; rel="last"`, map[string]string{"next": "https://x/2"}},
		{"keeps commas and semicolons inside the URL", `<https://x/a,b;c?d=1,2>; rel="next"`, map[string]string{"next": "https://x/a,b;c?d=1,2"}},
		{"skips other parameters, commas in quotes included", `<https://x/2>; title="a, b; c"; rel="next", <https://x/1>; rel=prev`,
			map[string]string{"next": "https://x/2", "prev": "https://x/1"}},
		{"unescapes a quoted rel", `<https://x/2>; rel="ne\xt"`, map[string]string{"next": "https://x/2"}},
		{"skips a link without a rel", `<https://x/0>; title="zero", <https://x/2>; rel="next"`, map[string]string{"next": "https://x/2"}},
		{"skips junk before a link", `garbage, <https://x/2>; rel="next"`, map[string]string{"next": "https://x/2"}},
		{"skips junk after a link's URL", `<https://x/1> junk, <https://x/2>; rel="next"`, map[string]string{"next": "https://x/2"}},
		{"stops at an unterminated URL", `<https://x/2; rel="next"`, map[string]string{}},
		{"reads an unterminated quoted rel", `<https://x/2>; rel="next`, map[string]string{"next": "https://x/2"}},
		{"tolerates spaces and tabs", " \t<https://x/2> ;\trel = \"next\" ,", map[string]string{"next": "https://x/2"}},
		{"ignores an empty rel", `<https://x/2>; rel=""`, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := ParseLink(tt.header); !maps.Equal(got, tt.want) {
				t.Errorf("ParseLink(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

// formatLink writes links as a well-formed Link header, rel types in order.
func formatLink(links map[string]string) string {
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	var parts []string
	for _, rel := range slices.Sorted(maps.Keys(links)) {
		parts = append(parts, "<"+links[rel]+`>; rel="`+quote.Replace(rel)+`"`)
	}
	return strings.Join(parts, ", ")
}

// FuzzParseLink checks that ParseLink never panics, and that what it reads
// survives a round trip through a well-formed header. Its seed corpus is in
// testdata/fuzz/FuzzParseLink.
func FuzzParseLink(f *testing.F) {
	f.Fuzz(func(t *testing.T, header string) {
		links := ParseLink(header)
		for rel, target := range links {
			if rel == "" || rel != strings.ToLower(rel) || len(strings.Fields(rel)) != 1 {
				t.Errorf("relation type %q is empty, not lower case or not one word", rel)
			}
			if strings.Contains(target, ">") {
				t.Errorf("target %q holds a '>'", target)
			}
		}
		again := formatLink(links)
		if back := ParseLink(again); !maps.Equal(back, links) {
			t.Errorf("round trip of %q through %q gave %v, want %v", header, again, back, links)
		}
	})
}
