// The read operations: list, get, public-key and list-repositories, and the
// reads of the organization's state that the write operations plan from.

package app

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// secretJSON is a secret in the `result` output of list and get.
type secretJSON struct {
	Org          string            `json:"org"`
	Name         secret.Name       `json:"name"`
	Visibility   secret.Visibility `json:"visibility"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	AgeDays      int               `json:"age_days"`               // whole days since updated_at
	Repositories *[]repoJSON       `json:"repositories,omitempty"` // set (even empty) for a selected secret
}

// repoJSON is a repository in the `result` output.
type repoJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

func (r *opRun) list(ctx context.Context) (result, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return nil, r.explainOrg(err)
	}
	res := secretsResult{secrets: make([]secretJSON, 0, len(secrets))}
	now := r.now()
	for _, s := range secrets {
		sj := secretJSON{Org: r.cfg.Org, Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: string(s.Name), Action: "listed", Visibility: string(s.Visibility)}
		r.checkAge(s, now, &sj, &row)
		res.secrets = append(res.secrets, sj)
		res.summary = append(res.summary, row)
	}
	return res, nil
}

// get reads each named secret: one by its own request, several from one
// list of the organization's secrets. One that does not exist is a finding
// (ExitFindings), one whose repositories cannot be read fails the run
// (ExitFailed), but the others are still in
// the result and the summary, and the outputs are written (`result` and
// `stale` may be []). A failure that read nothing (the list, or the one
// secret's read, answered other than 404) stops the run with no outputs.
func (r *opRun) get(ctx context.Context) (result, error) {
	read, err := r.secretReader(ctx)
	if err != nil {
		return nil, err
	}
	now := r.now()
	res := secretsResult{secrets: make([]secretJSON, 0, len(r.cfg.Names))}
	fail := func(name secret.Name, err error) {
		r.status.errs = append(r.status.errs, err)
		res.summary = append(res.summary, report.Row{Name: string(name), Action: "read", Error: err.Error()})
	}
	for _, n := range r.cfg.Names {
		s, missing, err := read(n)
		if err != nil {
			return nil, err
		}
		if missing != nil {
			r.status.findings = append(r.status.findings, missing)
			res.summary = append(res.summary, report.Row{Name: string(n), Action: "read", Warning: missing.Error()}) // a finding, not a failure
			continue
		}
		sj := secretJSON{Org: r.cfg.Org, Name: s.Name, Visibility: s.Visibility, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
		row := report.Row{Name: string(s.Name), Action: "read", Visibility: string(s.Visibility)}
		r.checkAge(s, now, &sj, &row)
		if s.Visibility == secret.Selected {
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
		res.secrets = append(res.secrets, sj)
		res.summary = append(res.summary, row)
	}
	return res, nil
}

// readSecretFunc is how get reads one secret. missing is why a secret that
// does not exist (a 404, or a name the organization's list lacks) is not
// read: get reports it in the secret's row. err is a read that failed for
// another reason, which stops the run with no outputs.
type readSecretFunc func(name secret.Name) (s secret.Secret, missing, err error)

// secretReader returns how get reads a secret: one by its own request, or
// several from one list of the organization's secrets. A failed list is
// its error.
func (r *opRun) secretReader(ctx context.Context) (readSecretFunc, error) {
	if len(r.cfg.Names) == 1 {
		return func(name secret.Name) (secret.Secret, error, error) {
			s, err := r.client.GetSecret(ctx, r.cfg.Org, name)
			switch {
			case err == nil:
				return s, nil, nil
			case githubapi.StatusCode(err) == http.StatusNotFound && !githubapi.Refused(err):
				// Not found, as far as GitHub's answer tells: a finding. A
				// 404 that shows a token without the scope is a failure.
				return s, r.explainSecret(err, name), nil
			}
			return s, nil, r.explainSecret(err, name)
		}, nil
	}
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return nil, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	return func(name secret.Name) (secret.Secret, error, error) {
		if s, ok := cur.Lookup(name); ok {
			return s, nil, nil
		}
		return secret.Secret{}, fmt.Errorf("secret %s does not exist in organization %q: check its name with `operation: list`", name, r.cfg.Org), nil
	}, nil
}

func (r *opRun) publicKey(ctx context.Context) (result, error) {
	k, err := r.client.GetPublicKey(ctx, r.cfg.Org)
	if err != nil {
		return nil, r.explainOrg(err)
	}
	return keyResult{org: r.cfg.Org, keyID: k.KeyID, key: k.Key}, nil
}

func (r *opRun) listRepositories(ctx context.Context) (result, error) {
	name := r.cfg.Names[0]
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return nil, r.explainSecret(err, name)
	}
	var rows []report.Row
	for _, rp := range repos {
		rows = append(rows, report.Row{Name: string(name), Action: "listed", Visibility: string(secret.Selected), Repositories: []string{rp.FullName}})
	}
	list := make([]orgRepoJSON, 0, len(repos))
	for _, rp := range reposJSON(repos) {
		list = append(list, orgRepoJSON{Org: r.cfg.Org, repoJSON: rp})
	}
	return reposResult{repos: list, summary: rows}, nil
}

// orgRepoJSON is a repository in the `result` output of
// list-repositories: the organization whose secret it may use, then the
// repository.
type orgRepoJSON struct {
	Org string `json:"org"`
	repoJSON
}

func reposJSON(repos []secret.Repository) []repoJSON {
	out := make([]repoJSON, 0, len(repos))
	for _, rp := range repos {
		out = append(out, repoJSON{ID: rp.ID, Name: rp.Name, FullName: rp.FullName})
	}
	return out
}

// readState lists the organization's secrets and the repository lists the
// plan needs.
func (r *opRun) readState(ctx context.Context, want []plan.Desired) (plan.Current, error) {
	secrets, err := r.client.ListSecrets(ctx, r.cfg.Org)
	if err != nil {
		return plan.Current{}, r.explainOrg(err)
	}
	cur := plan.NewCurrent(secrets)
	return cur, r.readRepoLists(ctx, cur, plan.NeedsRepoList(cur, want))
}

// readRepoLists reads the repository list of each of names into cur,
// showing the progress on a terminal.
func (r *opRun) readRepoLists(ctx context.Context, cur plan.Current, names []secret.Name) error {
	for i, name := range names {
		r.rep.Progress(i+1, len(names), string(name))
		if err := r.readRepoList(ctx, cur, name); err != nil {
			return err
		}
	}
	return nil
}

func (r *opRun) readRepoList(ctx context.Context, cur plan.Current, name secret.Name) error {
	repos, err := r.client.ListSelectedRepos(ctx, r.cfg.Org, name)
	if err != nil {
		return r.explainSecret(err, name)
	}
	cur.Repos[name] = repos
	return nil
}
