// The sync operation: the manifest against the organization.

package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
)

// sync makes the organization match the manifest.
func (r *runner) sync(ctx context.Context) (outcome, error) {
	m, err := manifest.Load(r.cfg.Manifest, r.o.readFile)
	if err != nil {
		return outcome{}, usageError{err}
	}
	values := map[string]string{}
	var errs []error
	for _, s := range r.cfg.Secrets {
		if _, ok := m.Lookup(s.Name); !ok {
			errs = append(errs, fmt.Errorf("`secrets`: a value was given for %s, which %s does not list: add it to the manifest or remove the value", s.Name, m.Path))
		}
		values[strings.ToUpper(s.Name)] = s.Value
	}
	// First the manifest alone: each entry's wanted scope, with its
	// repositories still unresolved.
	want := make([]plan.Desired, 0, len(m.Secrets))
	type listed struct {
		at   int // index in want
		refs []inputs.RepoRef
	}
	var lists []listed
	for _, e := range m.Secrets {
		d := plan.Desired{Name: e.Name, Visibility: e.Visibility, Where: fmt.Sprintf("%s:%d", m.Path, e.Line)}
		_, d.HasValue = values[strings.ToUpper(e.Name)]
		if e.Visibility == plan.Selected && e.RepositoriesSet { // no repositories key: keep the current list
			refs, err := inputs.ParseRepositories(strings.Join(e.Repositories, "\n"), r.cfg.Org)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: secret %s: %w", d.Where, e.Name, err))
				continue
			}
			d.Repos = []plan.Repo{} // filled in below, once the current lists are read
			lists = append(lists, listed{at: len(want), refs: refs})
		}
		want = append(want, d)
	}
	if len(errs) > 0 {
		return outcome{}, usageError{errors.Join(errs...)}
	}
	cur, err := r.readState(ctx, want)
	if err != nil {
		return outcome{}, err
	}
	// Then the repositories: those the lists just read already hold cost
	// nothing; each other name is looked up once.
	known := map[string]plan.Repo{} // by reference: "owner/name" in lower case, or the id
	for _, repos := range cur.Repos {
		for _, rp := range repos {
			known[strings.ToLower(rp.FullName)] = plan.Repo{ID: rp.ID, Label: rp.FullName}
			known[strconv.FormatInt(rp.ID, 10)] = plan.Repo{ID: rp.ID, Label: rp.FullName}
		}
	}
	for _, l := range lists {
		d := &want[l.at]
		for _, ref := range l.refs {
			key := strings.ToLower(ref.String())
			rp, ok := known[key]
			if !ok {
				got, err := r.resolveRepos(ctx, []inputs.RepoRef{ref})
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: secret %s: %w", d.Where, d.Name, err))
					continue
				}
				rp = got[0]
				known[key] = rp
			}
			if !slices.ContainsFunc(d.Repos, func(o plan.Repo) bool { return o.ID == rp.ID }) {
				d.Repos = append(d.Repos, rp)
			}
		}
	}
	if len(errs) > 0 {
		return outcome{}, joinUsage(errs)
	}
	changes, err := plan.Sync(cur, want, r.cfg.Prune)
	if err != nil {
		return outcome{}, usageError{err}
	}
	out, err := r.applyChanges(ctx, changes, values)
	if err == nil {
		r.warnStale(cur, &out)
	}
	return out, err
}
