// The credentials of a run on several organizations: one token shared by
// every organization, or a GitHub App's JWT that mints one installation
// token per organization, asking only for what the operation needs, masks
// it at once and revokes it at the end.

package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// revokeTimeout bounds the revocation of the tokens at the end of a run,
// which goes on after a cancellation.
const revokeTimeout = 30 * time.Second

// credentials authenticate the organizations of a run.
type credentials struct {
	cfg    inputs.Config
	rep    *report.Reporter
	o      options
	shared *githubapi.Client // a token's client, shared by every organization
	app    *githubapi.Client // the App's JWT client
	jwt    string            // the App's JWT: never printed
	// installations are the App's installations by lower-case login,
	// when they were listed (org "*").
	installations map[string]githubapi.Installation
	maskMu        sync.Mutex
}

// newCredentials sets up the clients: the token's, or the App's with a
// JWT for now.
func newCredentials(cfg inputs.Config, rep *report.Reporter, o options) (*credentials, error) {
	c := &credentials{cfg: cfg, rep: rep, o: o}
	if cfg.AppID == "" {
		client, err := newClient(cfg, cfg.Token, rep, o)
		if err != nil {
			return nil, fmt.Errorf("could not set up the GitHub API client: %w", err)
		}
		c.shared = client
		return c, nil
	}
	now := time.Now()
	if o.clock != nil {
		now = o.clock.Now()
	}
	jwt, err := appauth.JWT(cfg.AppID, cfg.PrivateKey, now)
	if err != nil {
		return nil, err
	}
	c.jwt = jwt
	if c.app, err = newClient(cfg, jwt, rep, o); err != nil {
		return nil, fmt.Errorf("could not set up the GitHub API client: %w", err)
	}
	return c, nil
}

// parallel reports whether organizations are worked on side by side: with
// an App each has a token and rate limits of its own.
func (c *credentials) parallel() bool { return c.app != nil }

// organizations returns the run's organizations, sorted by login: the org
// input's, or for "*" every organization the App is installed in.
func (c *credentials) organizations(ctx context.Context) ([]string, error) {
	if !c.cfg.AllOrgs {
		orgs := slices.Clone(c.cfg.Orgs)
		slices.SortFunc(orgs, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		return orgs, nil
	}
	ins, err := c.app.ListInstallations(ctx)
	if err != nil {
		return nil, c.explainApp(err, "list the App's installations")
	}
	c.installations = map[string]githubapi.Installation{}
	var orgs []string
	for _, in := range ins {
		if in.TargetType == "Organization" && in.Account != "" {
			c.installations[strings.ToLower(in.Account)] = in
			orgs = append(orgs, in.Account)
		}
	}
	if len(orgs) == 0 {
		return nil, usageError{fmt.Errorf("`org`: the App %s is not installed in any organization: install it in the organizations whose secrets it manages, or name them in `org`", c.cfg.AppID)}
	}
	slices.SortFunc(orgs, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return orgs, nil
}

// newRun returns the run of one organization, logging into a buffer of
// its own, holding its writes until every organization has planned.
func (c *credentials) newRun(org string) *orgRun {
	run := &orgRun{org: org, log: &bytes.Buffer{}}
	cfg := c.cfg
	cfg.Org, cfg.Orgs, cfg.AllOrgs = org, []string{org}, false
	cfg.Repositories = slices.Clone(cfg.Repositories)
	for i, ref := range cfg.Repositories {
		if ref.Owner == "" && ref.ID == 0 { // a bare name: the organization's repository
			cfg.Repositories[i].Owner = org
		}
	}
	r := &opRun{cfg: cfg, rep: childReporter(c.rep, run.log, c.o), client: c.shared, o: c.o, hold: true, nameOrg: c.cfg.Several()}
	r.repos = newResolver(r)
	run.r = r
	return run
}

// plan authenticates the organization's run, then reads and plans it.
func (c *credentials) plan(ctx context.Context, run *orgRun) {
	if c.app != nil {
		client, err := c.installationClient(ctx, run)
		if err != nil {
			run.err = err
			return
		}
		run.r.client = client
	}
	run.res, run.err = run.r.operation(ctx)
}

// installationClient mints the organization's installation token, masks
// it before anything else is printed, and returns a client that uses it.
func (c *credentials) installationClient(ctx context.Context, run *orgRun) (*githubapi.Client, error) {
	// A JWT client of the organization's own: the client sends its
	// requests one at a time, and the organizations go side by side.
	app, err := newClient(run.r.cfg, c.jwt, run.r.rep, c.o)
	if err != nil {
		return nil, fmt.Errorf("internal error: could not set up the GitHub API client: %w", err)
	}
	in, err := c.installation(ctx, app, run.org)
	if err != nil {
		return nil, err
	}
	if !in.SuspendedAt.IsZero() {
		return nil, c.suspended(run.org, in.SuspendedAt)
	}
	tok, err := app.CreateInstallationToken(ctx, in.ID, c.permissions())
	if refusedAsSuspended(err) { // suspended since it was read
		return nil, c.suspended(run.org, time.Time{})
	}
	if tok.Token != "" {
		// Even with an error: a token that was read is masked at once,
		// and run.client revokes it at the end.
		if cerr := c.hold(run, tok.Token); cerr != nil {
			return nil, cerr
		}
	}
	var unreadable *githubapi.UnreadableTokenError
	if errors.As(err, &unreadable) {
		return nil, unreadableToken(run.org, unreadable, err)
	}
	if err != nil {
		return nil, c.explainApp(err, fmt.Sprintf("get an installation token for organization %s", run.org))
	}
	return run.client, nil
}

// hold masks the installation token of run's organization and makes the
// client that uses it, and revokes it at the end.
func (c *credentials) hold(run *orgRun, token string) error {
	c.maskMu.Lock()
	c.rep.Mask(token)
	c.maskMu.Unlock()
	run.token = token
	client, err := newClient(run.r.cfg, token, run.r.rep, c.o)
	if err != nil {
		return fmt.Errorf("internal error: could not set up the GitHub API client: %w", err)
	}
	run.client = client
	return nil
}

// unreadableToken words GitHub's 201 to a token request whose body is not
// a token: what became of the token it may have minted, and what to do.
func unreadableToken(org string, e *githubapi.UnreadableTokenError, err error) error {
	fate := "a token may have been minted that could not be read, so it cannot be revoked: it expires by itself within an hour"
	if e.Found {
		fate = "the token it holds was masked, and is revoked at the end of this run"
	}
	return fmt.Errorf("could not get an installation token for organization %s: %w; %s. Nothing was written in %s: run again, and if this happens again, "+
		"check that `api-url` reaches GitHub's API directly (a proxy may change its answers) and https://www.githubstatus.com", org, err, fate, org)
}

// installation returns the App's installation in org: from the list of
// installations when it was read, else from GitHub.
func (c *credentials) installation(ctx context.Context, app *githubapi.Client, org string) (githubapi.Installation, error) {
	if in, ok := c.installations[strings.ToLower(org)]; ok {
		return in, nil
	}
	in, err := app.GetOrgInstallation(ctx, org)
	if githubapi.StatusCode(err) == http.StatusNotFound {
		return in, usageError{fmt.Errorf("the App %s is not installed in organization %s: install it there (the App's settings, Install App), or remove %s from `org`", c.cfg.AppID, org, org)}
	}
	if err != nil {
		return in, c.explainApp(err, fmt.Sprintf("find its installation in organization %s", org))
	}
	return in, nil
}

// suspended is the input error of an organization where the App's
// installation is suspended (since, when known): found before any write,
// it stops the run as an App that is not installed does.
func (c *credentials) suspended(org string, since time.Time) error {
	when := ""
	if !since.IsZero() {
		when = " since " + since.UTC().Format(time.RFC3339)
	}
	return usageError{fmt.Errorf("the App %s is suspended in organization %s%s, so it gets no token there: it must be unsuspended the way it was suspended, "+
		"by an owner of %s (the organization's settings, GitHub Apps, Configure, Unsuspend) or by the App's owner; or remove %s from `org`", c.cfg.AppID, org, when, org, org)}
}

// refusedAsSuspended reports whether GitHub refused a token request
// because the installation is suspended (403, "This installation has been
// suspended").
func refusedAsSuspended(err error) bool {
	var e *githubapi.Error
	return githubapi.StatusCode(err) == http.StatusForbidden && errors.As(err, &e) && strings.Contains(strings.ToLower(e.Message), "suspended")
}

// permissions are what the operation needs: codespaces secrets read for a
// read or a dry run, write otherwise; metadata read only when repository
// names may be looked up.
func (c *credentials) permissions() appauth.Permissions {
	spec, _ := inputs.SpecOf(c.cfg.Operation)
	writes := !c.cfg.DryRun && !spec.ReadOnly()
	lookups := spec.ScopeFromManifest() && c.manifestNamesRepositories()
	for _, ref := range c.cfg.Repositories {
		lookups = lookups || ref.Name != ""
	}
	return appauth.Needed(writes, lookups)
}

// manifestNamesRepositories reports whether sync's manifest may make it
// look a repository up by name; true when the manifest does not load (the
// run then stops on it anyway).
func (c *credentials) manifestNamesRepositories() bool {
	m, err := manifest.Load(c.cfg.Manifest, c.o.readFile)
	if err != nil {
		return true
	}
	sections := [][]manifest.Entry{m.Secrets}
	for _, o := range m.Organizations {
		sections = append(sections, o.Secrets)
	}
	for _, entries := range sections {
		for _, e := range entries {
			for _, rp := range e.Repositories {
				if rp.Ref.Name != "" {
					return true
				}
			}
		}
	}
	return false
}

// explainApp words a failed App request.
func (c *credentials) explainApp(err error, what string) error {
	switch githubapi.StatusCode(err) {
	case http.StatusUnauthorized:
		return fmt.Errorf("GitHub refused the App's JWT (401) when asked to %s: check that `app-id` is the App's id or client id and `private-key` one of its current private keys, and that this machine's clock is right: %w", what, err)
	case http.StatusForbidden, http.StatusUnprocessableEntity:
		return fmt.Errorf("GitHub refused to %s (%d): the App needs the organization permission \"Organization codespaces secrets\" (read and write) and the repository permission \"Metadata\" (read), accepted by each organization: %w", what, githubapi.StatusCode(err), err)
	}
	return fmt.Errorf("could not %s: %w", what, err)
}

// revoke revokes every installation token of the run, even after a
// failure or a cancellation; a revocation that fails is a warning.
func (c *credentials) revoke(ctx context.Context, runs []*orgRun) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), revokeTimeout)
	defer cancel()
	var mu sync.Mutex
	var failed []string
	each(runs, c.parallel(), func(run *orgRun) {
		if run.client == nil {
			return
		}
		if err := run.client.RevokeInstallationToken(ctx); err != nil {
			mu.Lock()
			failed = append(failed, fmt.Sprintf("could not revoke the installation token of organization %s: %v; it expires by itself within an hour", run.org, err))
			mu.Unlock()
		}
	})
	slices.Sort(failed)
	for _, f := range failed {
		c.rep.Warnf("%s", f)
	}
}
