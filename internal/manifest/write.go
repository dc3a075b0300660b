package manifest

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// SchemaURL is where editors find the manifest's JSON Schema; a manifest
// Render writes names it in its first line, as the README's example does.
const SchemaURL = "https://raw.githubusercontent.com/codespaces-org-secrets/codespaces-org-secrets/main/schema/codespaces-secrets.schema.json"

// Render returns the manifest of org's secrets, as operation export writes
// it and Parse reads it back: the $schema comment first, secrets sorted by
// name, each with its visibility and, for a selected one, its repositories
// sorted by name (see secretsNode). outside has a warning for each
// repository outside org. It errors only when the YAML encoder does.
func Render(org string, secrets []secret.Secret, repos map[secret.Name][]secret.Repository) (text []byte, outside []string, err error) {
	body, outside := secretsNode(org, secrets, repos)
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("secrets"), body}}
	text, err = encodeManifest(fmt.Sprintf("organization %s", org), doc)
	return text, outside, err
}

// Org is one organization's secrets as Render writes them: the secrets,
// and the repository list of each selected one.
type Org struct {
	Login   string
	Secrets []secret.Secret
	Repos   map[secret.Name][]secret.Repository
}

// RenderOrgs returns the manifest of several organizations, in the
// organizations form, each section as Render writes one.
func RenderOrgs(states []Org) (text []byte, outside []string, err error) {
	orgs := &yaml.Node{Kind: yaml.MappingNode}
	var logins []string
	for _, st := range states {
		body, out := secretsNode(st.Login, st.Secrets, st.Repos)
		outside = append(outside, out...)
		section := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("secrets"), body}}
		orgs.Content = append(orgs.Content, yamlString(st.Login), section)
		logins = append(logins, st.Login)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("organizations"), orgs}}
	text, err = encodeManifest("organizations "+strings.Join(logins, ", "), doc)
	return text, outside, err
}

// encodeManifest writes doc after the $schema comment and a header that
// says whose secrets it lists.
func encodeManifest(whose string, doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", SchemaURL)
	fmt.Fprintf(&b, "# The Codespaces secrets of %s, written by operation export.\n", whose)
	b.WriteString("# It holds no value: GitHub never returns one. Give values to operation sync in `secrets`.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// yamlString is a string scalar; one that YAML 1.1 reads as a boolean is
// double-quoted.
func yamlString(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if yaml11Bool(v) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// secretsNode is the secrets mapping of org: secrets sorted by name, each
// with its visibility and, for a selected one, its repositories sorted by
// name. A repository of org is written by its short name (org/name when
// the name is all digits, which would read as an id); one outside org is
// written by its id, with its name in a comment, since sync refuses
// another owner's name. outside has a warning for each of those.
func secretsNode(org string, secrets []secret.Secret, repos map[secret.Name][]secret.Repository) (*yaml.Node, []string) {
	var outside []string
	body := &yaml.Node{Kind: yaml.MappingNode}
	for _, s := range secrets {
		entry := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("visibility"), yamlString(string(s.Visibility))}}
		if s.Visibility == secret.Selected {
			list := &yaml.Node{Kind: yaml.SequenceNode}
			sorted := slices.Clone(repos[s.Name])
			slices.SortFunc(sorted, func(a, b secret.Repository) int {
				return cmp.Or(strings.Compare(strings.ToLower(a.FullName), strings.ToLower(b.FullName)), cmp.Compare(a.ID, b.ID))
			})
			seen := map[int64]bool{}
			for _, rp := range sorted {
				if seen[rp.ID] {
					continue
				}
				seen[rp.ID] = true
				_, notInOrg := rp.Ref().InOrg(org)
				switch {
				case notInOrg != nil:
					n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(rp.ID, 10), LineComment: "# " + rp.FullName}
					list.Content = append(list.Content, n)
					outside = append(outside, fmt.Sprintf("secret %s lists repository %s, which is not in organization %s: the manifest names it by its id, %d", s.Name, rp.FullName, org, rp.ID))
				case secret.Digits(rp.Name): // it would read as an id
					list.Content = append(list.Content, yamlString(rp.FullName))
				default:
					list.Content = append(list.Content, yamlString(rp.Name))
				}
			}
			if len(list.Content) == 0 {
				list.Style = yaml.FlowStyle // repositories: []
			}
			entry.Content = append(entry.Content, yamlString("repositories"), list)
		}
		body.Content = append(body.Content, yamlString(string(s.Name)), entry)
	}
	if len(body.Content) == 0 {
		body.Style = yaml.FlowStyle // secrets: {}
	}
	return body, outside
}

// yaml11Bool reports whether v, written plain, is a boolean in YAML 1.1
// (y, n, yes, no, on, off, true, false), in any case. The encoder quotes
// only YAML 1.2's booleans (true, false), so a secret named YES or a
// repository named on would read back as a boolean in YAML 1.1 tools and
// trip yamllint's truthy rule.
func yaml11Bool(v string) bool {
	switch strings.ToLower(v) {
	case "y", "n", "yes", "no", "on", "off", "true", "false":
		return true
	}
	return false
}

// WriteFile writes a manifest's data to path, as operation export does
// (the default of app.WithWriteFile), creating its directories, through a
// temporary file in the same directory that is renamed over path, so that
// the file is never left half-written. A file that exists keeps its mode
// and owner (through a symbolic link, the link's target is replaced); a new
// one gets mode 0644 and, where the platform has owners, the owner of its
// directory: the action runs as root in its container, and a root-owned
// file in the workspace is one the runner's later steps cannot replace.
func WriteFile(path string, data []byte) (err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	dir := filepath.Dir(path)
	like := dir // the nearest directory that exists: new ones get its owner
	for {
		if _, err := os.Stat(like); err == nil || filepath.Dir(like) == like {
			break
		}
		like = filepath.Dir(like)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for d := dir; d != like && filepath.Dir(d) != d; d = filepath.Dir(d) {
		sameOwner(d, like)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode, like = fi.Mode().Perm(), path
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	sameOwner(f.Name(), like)
	return os.Rename(f.Name(), path)
}
