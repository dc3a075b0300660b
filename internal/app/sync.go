// The sync operation: the manifest against the organization.

package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// sync makes the organization match the manifest.
func (r *opRun) sync(ctx context.Context) (result, error) {
	all, err := manifest.Load(r.cfg.Manifest, r.o.readFile)
	if err != nil {
		return nil, usageError{err}
	}
	m, err := r.orgManifest(all)
	if err != nil {
		return nil, usageError{err}
	}
	if err := r.checkPrune(m); err != nil {
		return nil, err
	}
	values := map[secret.Name]string{}
	var errs []error
	for _, s := range r.cfg.Secrets {
		if _, ok := m.Lookup(s.Name); ok {
			values[s.Name] = s.Value
		} else if !listsAnywhere(all, s.Name) {
			errs = append(errs, fmt.Errorf("`secrets`: a value was given for %s, which %s does not list: add it to the manifest or remove the value", s.Name, m.Path))
		}
	}
	want, lists, werrs := r.wanted(m, values)
	if errs = append(errs, werrs...); len(errs) > 0 {
		return nil, usageError{errors.Join(errs...)}
	}
	cur, err := r.readState(ctx, want)
	if err != nil {
		return nil, err
	}
	if err := r.resolveLists(ctx, m, cur, want, lists); err != nil {
		return nil, err
	}
	changes, err := plan.Sync(cur, want, r.cfg.Prune)
	if err != nil {
		return nil, usageError{err}
	}
	r.warnSelectedWithNone(m, cur)
	// warn about stale secrets once the writes are done
	return r.applyChanges(ctx, changes, values, func(res *changesResult) { r.warnStale(cur, res) })
}

// orgManifest returns the part of the manifest that is the run's
// organization's: all of a single-organization manifest, or the
// organization's section of one in the organizations form. A run on several
// organizations needs the organizations form, naming each of them.
func (r *opRun) orgManifest(all *manifest.Manifest) (*manifest.Manifest, error) {
	if !all.Several() {
		if r.nameOrg {
			return nil, fmt.Errorf("`manifest`: %s lists the secrets of one organization, and this run works on several: write it in the organizations form, a top-level \"organizations:\" with a \"secrets:\" mapping under each login (operation export with the same `org` writes it)", all.Path)
		}
		return all, nil
	}
	m, ok := all.ForOrg(r.cfg.Org)
	if !ok {
		return nil, fmt.Errorf("`org`: organization %s is not in the manifest %s, which lists %s: add it under \"organizations:\", or remove it from `org`", r.cfg.Org, all.Path, strings.Join(all.Logins(), ", "))
	}
	return m, nil
}

// listsAnywhere reports whether the manifest lists the secret name, in any
// organization.
func listsAnywhere(all *manifest.Manifest, name secret.Name) bool {
	if _, ok := all.Lookup(name); ok {
		return true
	}
	for _, login := range all.Logins() {
		if m, _ := all.ForOrg(login); m != nil {
			if _, ok := m.Lookup(name); ok {
				return true
			}
		}
	}
	return false
}

// repoList is the repositories an entry of the manifest lists, checked
// against the organization; want[at] gets them once they are resolved.
type repoList struct {
	at    int
	repos []manifest.Repository
}

// wanted is the manifest alone: each entry's wanted scope, with the
// repositories of each list checked against the organization but not
// resolved.
func (r *opRun) wanted(m *manifest.Manifest, values map[secret.Name]string) ([]plan.Desired, []repoList, []error) {
	want := make([]plan.Desired, 0, len(m.Secrets))
	var lists []repoList
	var errs []error
	for _, e := range m.Secrets {
		d := plan.Desired{Name: e.Name, Visibility: e.Visibility, Where: m.Pos(e.Line, e.Column), CreateOnly: !r.cfg.Overwrite}
		_, d.HasValue = values[e.Name]
		if e.Visibility == secret.Selected && e.RepositoriesSet { // no repositories key: keep the current list
			l := repoList{at: len(want)}
			for _, rp := range e.Repositories {
				ref, err := rp.Ref.InOrg(r.cfg.Org)
				if err != nil {
					errs = append(errs, place.Wrap(m.Pos(rp.Line, rp.Column), fmt.Errorf("secret %s: %w", e.Name, err)))
					continue
				}
				rp.Ref = ref
				l.repos = append(l.repos, rp)
			}
			d.Repos = []secret.Repository{} // filled in by resolveLists
			lists = append(lists, l)
		}
		want = append(want, d)
	}
	return want, lists, errs
}

// resolveLists fills in the repositories of want: those the lists just
// read hold cost nothing; each other name is looked up once.
func (r *opRun) resolveLists(ctx context.Context, m *manifest.Manifest, cur plan.Current, want []plan.Desired, lists []repoList) error {
	for _, repos := range cur.Repos {
		r.repos.learn(repos)
	}
	var errs []error
	for _, l := range lists {
		d := &want[l.at]
		for _, rp := range l.repos {
			got, err := r.repos.resolve(ctx, rp.Ref)
			if err != nil {
				errs = append(errs, place.Wrap(m.Pos(rp.Line, rp.Column), fmt.Errorf("secret %s: %w", d.Name, err)))
				continue
			}
			d.Repos = addRepo(d.Repos, got)
		}
	}
	if len(errs) > 0 {
		return joinUsage(errs)
	}
	return nil
}
