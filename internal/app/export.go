package app

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// SchemaURL is where editors find the manifest's JSON Schema; an exported
// manifest names it in its first line, as the README's example does.
const SchemaURL = "https://raw.githubusercontent.com/codespaces-org-secrets/codespaces-org-secrets/main/schema/codespaces-secrets.schema.json"

// exportJSON is the `result` output of export.
type exportJSON struct {
	Path    string   `json:"path"`
	Secrets []string `json:"secrets"`
}

// export writes the organization's secrets as a manifest that sync leaves
// as it is: one list of the secrets, and one repository list per selected
// secret. The file is replaced only when its content differs.
func (r *runner) export(ctx context.Context) (outcome, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	slices.SortFunc(secrets, func(a, b secret.Secret) int { return strings.Compare(string(a.Name), string(b.Name)) })
	var selected []secret.Name
	for _, s := range secrets {
		if s.Visibility == secret.Selected {
			selected = append(selected, s.Name)
		}
	}
	cur := plan.NewCurrent(secrets)
	if err := r.readRepoLists(ctx, cur, selected); err != nil {
		return outcome{}, err
	}
	repos := cur.Repos
	text, outside, err := renderManifest(r.cfg.Org, secrets, repos)
	if err != nil {
		return outcome{}, fmt.Errorf("could not write the manifest: %w", err)
	}
	for _, o := range outside {
		r.rep.Warnf("%s", o)
	}

	path := r.cfg.Manifest
	toStdout := path == "-" && !r.rep.Actions() // on a workstation, --manifest - is stdout
	old, err := r.o.readFile(path)
	switch {
	case toStdout:
		old, err = nil, nil
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return outcome{}, fmt.Errorf("could not read %s to compare it with the export: check that it is a readable file: %w", path, err)
	}
	differs := old == nil || !bytes.Equal(old, text)

	out := outcome{changed: differs, planned: r.cfg.DryRun}
	res := exportJSON{Path: path, Secrets: make([]string, 0, len(secrets))}
	for _, s := range secrets {
		res.Secrets = append(res.Secrets, string(s.Name))
		row := report.Row{Name: string(s.Name), Action: "exported", Visibility: string(s.Visibility)}
		for _, rp := range repos[s.Name] {
			row.Repositories = append(row.Repositories, rp.FullName)
		}
		out.rows = append(out.rows, row)
	}
	out.result = res
	switch {
	case toStdout:
		if _, err := r.o.stdout.Write(text); err != nil {
			return outcome{}, fmt.Errorf("could not write the manifest to standard output: %w", err)
		}
		out.changed, out.planned, out.noResult = false, false, true
		out.note = "Wrote the manifest to standard output."
	case r.cfg.DryRun:
		if r.rep.Actions() { // on a workstation the summary, on the same stderr, shows it
			r.rep.Infof("dry run: the manifest %s would be:\n%s", path, text)
		}
		out.code = string(text)
		if differs {
			out.note = fmt.Sprintf("Dry run: %s was not written. This is what it would hold.", path)
		} else {
			out.note = fmt.Sprintf("Dry run: %s already holds this manifest.", path)
		}
	case !differs:
		r.rep.Infof("%s already holds this manifest: left as it is", path)
		out.note = fmt.Sprintf("%s already holds this manifest: it was left as it is.", path)
	default:
		if err := r.o.writeFile(path, text); err != nil {
			return outcome{}, fmt.Errorf("could not write the manifest %s: check that its directory can be written: %w", path, err)
		}
		r.rep.Infof("wrote %s (%d secrets)", path, len(secrets))
		out.note = fmt.Sprintf("Wrote %s.", path)
	}
	return out, nil
}

// renderManifest returns the manifest of secrets: the $schema comment
// first, secrets sorted by name, each with its visibility and, for a
// selected one, its repositories sorted by name. A repository of org is
// written by its short name (org/name when the name is all digits, which
// would read as an id); one outside org is written by its id, with its
// name in a comment, since sync refuses another owner's name. A name that
// YAML 1.1 reads as a boolean is double-quoted. outside has a warning for
// each repository outside org.
func renderManifest(org string, secrets []secret.Secret, repos map[secret.Name][]secret.Repository) (text []byte, outside []string, err error) {
	str := func(v string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
		if yaml11Bool(v) {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	}
	body := &yaml.Node{Kind: yaml.MappingNode}
	for _, s := range secrets {
		entry := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("visibility"), str(string(s.Visibility))}}
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
					list.Content = append(list.Content, str(rp.FullName))
				default:
					list.Content = append(list.Content, str(rp.Name))
				}
			}
			if len(list.Content) == 0 {
				list.Style = yaml.FlowStyle // repositories: []
			}
			entry.Content = append(entry.Content, str("repositories"), list)
		}
		body.Content = append(body.Content, str(string(s.Name)), entry)
	}
	if len(body.Content) == 0 {
		body.Style = yaml.FlowStyle // secrets: {}
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{str("secrets"), body}}

	var b bytes.Buffer
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", SchemaURL)
	fmt.Fprintf(&b, "# The Codespaces secrets of organization %s, written by operation export.\n", org)
	b.WriteString("# It holds no value: GitHub never returns one. Give values to operation sync in `secrets`.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), outside, nil
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

// replaceFile writes data to path, creating its directories, through a
// temporary file in the same directory that is renamed over path, so that
// the file is never left half-written. A file that exists keeps its mode
// and owner (through a symbolic link, the link's target is replaced); a new
// one gets mode 0644 and, where the platform has owners, the owner of its
// directory: the action runs as root in its container, and a root-owned
// file in the workspace is one the runner's later steps cannot replace.
func replaceFile(path string, data []byte) (err error) {
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
