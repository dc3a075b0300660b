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
	Path string `json:"path"`
	// Secrets are the names the manifest lists; with several
	// organizations, as org/NAME.
	Secrets []string `json:"secrets"`
	// Organizations are the organizations of a manifest in the
	// organizations form.
	Organizations []string `json:"organizations,omitempty"`
}

// orgExport is one organization's state as export writes it.
type orgExport struct {
	org     string
	secrets []secret.Secret // sorted by name
	repos   map[secret.Name][]secret.Repository
}

// export writes the organization's secrets as a manifest that sync leaves
// as it is: one list of the secrets, and one repository list per selected
// secret. The file is replaced only when its content differs. In a run on
// several organizations it only reads: the run writes one manifest for
// them all (see exportOrgs).
func (r *opRun) export(ctx context.Context) (outcome, error) {
	st, err := r.exportState(ctx)
	if err != nil {
		return outcome{}, err
	}
	if r.nameOrg {
		return outcome{exported: &st}, nil
	}
	text, outside, err := renderManifest(r.cfg.Org, st.secrets, st.repos)
	if err != nil {
		return outcome{}, fmt.Errorf("could not write the manifest: %w", err)
	}
	for _, o := range outside {
		r.rep.Warnf("%s", o)
	}
	return r.writeManifest(text, []orgExport{st})
}

// exportState reads the organization's secrets and the repository list of
// each selected one.
func (r *opRun) exportState(ctx context.Context) (orgExport, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return orgExport{}, r.explainOrg(err)
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
		return orgExport{}, err
	}
	return orgExport{org: r.cfg.Org, secrets: secrets, repos: cur.Repos}, nil
}

// writeManifest replaces the manifest with text unless it holds it already
// (or in a dry run), and returns the outcome of exporting states.
func (r *opRun) writeManifest(text []byte, states []orgExport) (outcome, error) {
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
	result := "" // ok
	switch {
	case r.cfg.DryRun && differs: // a dry run never says ok for a file it did not write
		result = "planned"
	case r.cfg.DryRun:
		result = "nothing to do"
	}
	out.res = exportResult(path, states, result)
	n := 0
	for _, st := range states {
		n += len(st.secrets)
	}
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
		r.rep.Infof("wrote %s (%d secrets)", path, n)
		out.note = fmt.Sprintf("Wrote %s.", path)
	}
	return out, nil
}

// exportResult is export's result and summary rows: the names of one
// organization's secrets, or org/NAME for several.
func exportResult(path string, states []orgExport, result string) manifestResult {
	res := exportJSON{Path: path, Secrets: []string{}}
	var rows []report.Row
	for _, st := range states {
		if len(states) > 1 {
			res.Organizations = append(res.Organizations, st.org)
		}
		for _, s := range st.secrets {
			name := string(s.Name)
			if len(states) > 1 {
				name = st.org + "/" + name
			}
			res.Secrets = append(res.Secrets, name)
			row := report.Row{Name: name, Action: "exported", Visibility: string(s.Visibility), Result: result}
			for _, rp := range st.repos[s.Name] {
				row.Repositories = append(row.Repositories, rp.FullName)
			}
			rows = append(rows, row)
		}
	}
	return manifestResult{manifest: res, summary: rows}
}

// renderManifest returns the manifest of secrets: the $schema comment
// first, secrets sorted by name, each with its visibility and, for a
// selected one, its repositories sorted by name (see secretsNode). outside
// has a warning for each repository outside org.
func renderManifest(org string, secrets []secret.Secret, repos map[secret.Name][]secret.Repository) (text []byte, outside []string, err error) {
	body, outside := secretsNode(org, secrets, repos)
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("secrets"), body}}
	text, err = encodeManifest(fmt.Sprintf("organization %s", org), doc)
	return text, outside, err
}

// renderOrgsManifest returns the manifest of several organizations, in
// the organizations form, each section as renderManifest writes one.
func renderOrgsManifest(states []orgExport) (text []byte, outside []string, err error) {
	orgs := &yaml.Node{Kind: yaml.MappingNode}
	var logins []string
	for _, st := range states {
		body, out := secretsNode(st.org, st.secrets, st.repos)
		outside = append(outside, out...)
		section := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlString("secrets"), body}}
		orgs.Content = append(orgs.Content, yamlString(st.org), section)
		logins = append(logins, st.org)
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
