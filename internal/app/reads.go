// The read operations: list, get, public-key and list-repositories, and the
// reads of the organization's state that the write operations plan from.

package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// secretJSON is a secret in the `result` output of list and get.
type secretJSON struct {
	Name         string      `json:"name"`
	Visibility   string      `json:"visibility"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
	AgeDays      int         `json:"age_days"`               // whole days since updated_at
	Repositories *[]repoJSON `json:"repositories,omitempty"` // set (even empty) for a selected secret
}

// repoJSON is a repository in the `result` output.
type repoJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

func (r *runner) list(ctx context.Context) (outcome, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	res := make([]secretJSON, 0, len(secrets))
	out := outcome{stale: []string{}}
	now := r.now()
	for _, s := range secrets {
		sj := secretJSON{Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: s.Name, Action: "listed", Visibility: s.Visibility}
		r.checkAge(s, now, &sj, &row, &out)
		res = append(res, sj)
		out.rows = append(out.rows, row)
	}
	out.result = res
	return out, nil
}

// get reads each named secret: one by its own request, several from one
// list of the organization's secrets. One that does not exist, or whose
// repositories cannot be read, fails the run, but the others are still in
// the result and the summary, and the outputs are written (`result` and
// `stale` may be []). A failure that read nothing (the list, or the one
// secret's read, answered other than 404) stops the run with no outputs.
func (r *runner) get(ctx context.Context) (outcome, error) {
	out := outcome{stale: []string{}}
	now := r.now()
	res := make([]secretJSON, 0, len(r.cfg.Names))
	var errs []error
	fail := func(name string, err error) {
		errs = append(errs, err)
		out.rows = append(out.rows, report.Row{Name: name, Action: "read", Error: err.Error()})
	}
	var stop error // the one secret's read failed for a reason other than its absence
	read := func(name string) (githubapi.Secret, error) {
		s, err := r.client.GetSecret(ctx, r.cfg.Org, name)
		if err != nil {
			err = r.explainSecret(err, name)
			if githubapi.StatusCode(err) != http.StatusNotFound {
				stop = err
			}
			return s, err
		}
		return s, nil
	}
	if len(r.cfg.Names) > 1 {
		secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
		if err != nil {
			return outcome{}, r.explainOrg(err)
		}
		cur := plan.NewCurrent(secrets)
		read = func(name string) (githubapi.Secret, error) {
			if s, ok := cur.Lookup(name); ok {
				return s, nil
			}
			return githubapi.Secret{}, fmt.Errorf("secret %s does not exist in organization %q: check its name with `operation: list`", strings.ToUpper(name), r.cfg.Org)
		}
	}
	for _, n := range r.cfg.Names {
		s, err := read(n)
		if stop != nil {
			return outcome{}, stop
		}
		if err != nil {
			fail(n, err)
			continue
		}
		sj := secretJSON{Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: s.Name, Action: "read", Visibility: s.Visibility}
		r.checkAge(s, now, &sj, &row, &out)
		if s.Visibility == plan.Selected {
			repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, s.Name)
			if err != nil {
				fail(s.Name, r.explainSecret(err, s.Name))
				continue
			}
			rj := reposJSON(repos)
			sj.Repositories = &rj
			for _, rp := range repos {
				row.Repositories = append(row.Repositories, rp.FullName)
			}
		}
		res = append(res, sj)
		out.rows = append(out.rows, row)
	}
	out.result = res
	for _, e := range errs {
		r.rep.Errorf("%s", e.Error())
	}
	if len(errs) > 0 {
		out.exitCode = ExitFailed
	}
	return out, nil
}

func (r *runner) publicKey(ctx context.Context) (outcome, error) {
	k, err := r.client.GetPublicKey(ctx, r.cfg.Org)
	if err != nil {
		return outcome{}, r.explainOrg(err)
	}
	return outcome{
		result:  map[string]string{"key_id": k.KeyID, "key": k.Key},
		outputs: [][2]string{{"key-id", k.KeyID}, {"key", k.Key}},
	}, nil
}

func (r *runner) listRepositories(ctx context.Context) (outcome, error) {
	name := r.cfg.Names[0]
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return outcome{}, r.explainSecret(err, name)
	}
	var rows []report.Row
	for _, rp := range repos {
		rows = append(rows, report.Row{Name: strings.ToUpper(name), Action: "listed", Visibility: plan.Selected, Repositories: []string{rp.FullName}})
	}
	return outcome{result: reposJSON(repos), rows: rows}, nil
}

func reposJSON(repos []githubapi.Repository) []repoJSON {
	out := make([]repoJSON, 0, len(repos))
	for _, rp := range repos {
		out = append(out, repoJSON{ID: rp.ID, Name: rp.Name, FullName: rp.FullName})
	}
	return out
}

// readState lists the organization's secrets and the repository lists the
// plan needs.
func (r *runner) readState(ctx context.Context, want []plan.Desired) (plan.Current, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return plan.Current{}, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	names := plan.NeedsRepoList(cur, want)
	for i, name := range names {
		r.rep.Progress(i+1, len(names), name)
		if err := r.readRepoList(ctx, cur, name); err != nil {
			return cur, err
		}
	}
	return cur, nil
}

func (r *runner) readRepoList(ctx context.Context, cur plan.Current, name string) error {
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return r.explainSecret(err, name)
	}
	cur.Repos[strings.ToUpper(name)] = repos
	return nil
}
