package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

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

// renderOrgsManifest returns the manifest of several organizations'
// states (see manifest.RenderOrgs).
func renderOrgsManifest(states []orgExport) (text []byte, outside []string, err error) {
	orgs := make([]manifest.Org, 0, len(states))
	for _, st := range states {
		orgs = append(orgs, manifest.Org{Login: st.org, Secrets: st.secrets, Repos: st.repos})
	}
	return manifest.RenderOrgs(orgs)
}

// export writes the organization's secrets as a manifest that sync leaves
// as it is: one list of the secrets, and one repository list per selected
// secret. The file is replaced only when its content differs. In a run on
// several organizations it only reads: the run writes one manifest for
// them all (see exportOrgs).
func (r *opRun) export(ctx context.Context) (result, error) {
	st, err := r.exportState(ctx)
	if err != nil {
		return nil, err
	}
	if r.nameOrg {
		return manifestResult{states: []orgExport{st}}, nil
	}
	text, outside, err := manifest.Render(r.cfg.Org, st.secrets, st.repos)
	if err != nil {
		return nil, fmt.Errorf("could not write the manifest: %w", err)
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
// (or in a dry run), and returns the result of exporting states.
func (r *opRun) writeManifest(text []byte, states []orgExport) (result, error) {
	path := r.cfg.Manifest
	toStdout := path == "-" && !r.rep.Actions() // on a workstation, --manifest - is stdout
	old, err := r.o.readFile(path)
	switch {
	case toStdout:
		old, err = nil, nil
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return nil, fmt.Errorf("could not read %s to compare it with the export: check that it is a readable file: %w", path, err)
	}
	differs := old == nil || !bytes.Equal(old, text)

	res := manifestResult{path: path, states: states, differs: differs, toStdout: toStdout}
	switch {
	case r.cfg.DryRun && differs: // a dry run never says ok for a file it did not write
		res.status = "planned"
	case r.cfg.DryRun:
		res.status = "nothing to do"
	}
	n := 0
	for _, st := range states {
		n += len(st.secrets)
	}
	switch {
	case toStdout:
		if _, err := r.o.stdout.Write(text); err != nil {
			return nil, fmt.Errorf("could not write the manifest to standard output: %w", err)
		}
		res.note = "Wrote the manifest to standard output."
	case r.cfg.DryRun:
		if r.rep.Actions() { // on a workstation the summary, on the same stderr, shows it
			r.rep.Infof("dry run: the manifest %s would be:\n%s", path, text)
		}
		res.code = string(text)
		if differs {
			res.note = fmt.Sprintf("Dry run: %s was not written. This is what it would hold.", path)
		} else {
			res.note = fmt.Sprintf("Dry run: %s already holds this manifest.", path)
		}
	case !differs:
		r.rep.Infof("%s already holds this manifest: left as it is", path)
		res.note = fmt.Sprintf("%s already holds this manifest: it was left as it is.", path)
	default:
		if err := r.o.writeFile(path, text); err != nil {
			return nil, fmt.Errorf("could not write the manifest %s: check that its directory can be written: %w", path, err)
		}
		r.rep.Infof("wrote %s (%d secrets)", path, n)
		res.note = fmt.Sprintf("Wrote %s.", path)
	}
	return res, nil
}
