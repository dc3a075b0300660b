package manifest_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
)

// FuzzParse checks that Parse never panics, that every error it returns is
// positioned, and that a manifest it accepts survives being written out and
// parsed again. The seed corpus is testdata/fuzz/FuzzParse plus every
// example in testdata/valid and testdata/invalid.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yml"))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	const path = "fuzz.yml"
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := manifest.Parse(path, data)
		if err != nil {
			if m != nil {
				t.Fatalf("Parse returned a manifest with its error: %+v", m)
			}
			wantPositioned(t, err, path)
			return
		}
		again, err := manifest.Parse(path, marshal(t, m))
		if err != nil {
			t.Fatalf("the re-serialized manifest does not parse: %v\n%s", err, marshal(t, m))
		}
		if got, want := withoutLines(view(again.Secrets)), withoutLines(view(m.Secrets)); !reflect.DeepEqual(got, want) {
			t.Fatalf("the entries changed in a round trip:\ngot  %#v\nwant %#v", got, want)
		}
	})
}

func withoutLines(entries []entryView) []entryView {
	out := make([]entryView, len(entries))
	for i, e := range entries {
		e.Line = 0
		out[i] = e
	}
	return out
}

// marshal writes m out as a manifest in block style; the YAML encoder
// quotes every string that would otherwise read as another type.
func marshal(t *testing.T, m *manifest.Manifest) []byte {
	t.Helper()
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	secrets := &yaml.Node{Kind: yaml.MappingNode}
	for _, e := range m.Secrets {
		entry := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("visibility"), str(string(e.Visibility))}}
		if e.RepositoriesSet {
			repos := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, r := range e.Repositories {
				repos.Content = append(repos.Content, str(r.Text))
			}
			entry.Content = append(entry.Content, str("repositories"), repos)
		}
		secrets.Content = append(secrets.Content, str(e.Written), entry)
	}
	if len(m.Secrets) == 0 {
		secrets.Style = yaml.FlowStyle
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("secrets"), secrets}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return out
}
