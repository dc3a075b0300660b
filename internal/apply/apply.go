// Package apply runs a plan against GitHub, one request at a time. A failed
// change does not stop the others, except deletes: they run last and only
// when every other change succeeded, so a failure never removes a secret.
// (A failed delete does not stop the other deletes.)
package apply

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
)

// Client is the part of the API layer that apply writes through;
// *githubapi.Client implements it.
type Client interface {
	GetPublicKey(ctx context.Context, org string) (githubapi.PublicKey, error)
	PutSecret(ctx context.Context, org, name string, req githubapi.PutSecretRequest) (bool, error)
	DeleteSecret(ctx context.Context, org, name string) error
	SetSelectedRepos(ctx context.Context, org, name string, ids []int64) error
	AddSelectedRepo(ctx context.Context, org, name string, id int64) error
	RemoveSelectedRepo(ctx context.Context, org, name string, id int64) error
}

// Sealer encrypts a value for a base64 public key and returns base64.
type Sealer func(publicKey string, value []byte) (string, error)

// Runner applies changes for one organization.
type Runner struct {
	Client Client
	Org    string
	// Values are the secret values by upper-case name.
	Values map[string]string
	Seal   Sealer
	// Key is the organization's public key; it is fetched on the first
	// write that carries a value when left empty.
	Key githubapi.PublicKey
}

// Outcome is a change and how it went.
type Outcome struct {
	plan.Change
	Err error
}

// ErrSkipped marks a delete that did not run because another change failed.
var ErrSkipped = errors.New("not run, because another change failed; nothing was deleted")

// Run applies every change but deletes, then the deletes, and returns
// one outcome per change, in the order of changes.
func (r *Runner) Run(ctx context.Context, changes []plan.Change) []Outcome {
	out := make([]Outcome, len(changes))
	failed := false
	for _, pass := range []bool{false, true} { // everything else, then deletes
		for i, c := range changes {
			if (c.Action == plan.Delete) != pass {
				continue
			}
			var err error
			switch {
			case c.Action == plan.Unchanged:
			case c.Action == plan.Delete && failed:
				err = ErrSkipped
			default:
				err = r.apply(ctx, c)
			}
			failed = failed || (err != nil && !pass) // a failed delete does not stop the other deletes
			out[i] = Outcome{Change: c, Err: err}
		}
	}
	return out
}

func (r *Runner) apply(ctx context.Context, c plan.Change) error {
	switch c.Action {
	case plan.Create, plan.Update:
		return r.put(ctx, c)
	case plan.Delete:
		err := r.Client.DeleteSecret(ctx, r.Org, c.Name)
		if githubapi.StatusCode(err) == http.StatusNotFound {
			return nil // already gone: what was wanted
		}
		return err
	case plan.SetRepositories:
		return r.Client.SetSelectedRepos(ctx, r.Org, c.Name, c.RepoIDs)
	case plan.AddRepository:
		return r.Client.AddSelectedRepo(ctx, r.Org, c.Name, c.RepoIDs[0])
	case plan.RemoveRepository:
		return r.Client.RemoveSelectedRepo(ctx, r.Org, c.Name, c.RepoIDs[0])
	}
	return fmt.Errorf("unknown action %q", c.Action)
}

// put writes a secret. When GitHub refuses the value with 422 and the
// organization's key has changed since it was fetched, it fetches the new
// key, seals the value again and retries once.
func (r *Runner) put(ctx context.Context, c plan.Change) error {
	req := githubapi.PutSecretRequest{Visibility: c.Visibility}
	if c.Visibility == plan.Selected {
		req.SelectedRepositoryIDs = c.RepoIDs
		if req.SelectedRepositoryIDs == nil {
			req.SelectedRepositoryIDs = []int64{}
		}
	}
	if !c.WithValue {
		_, err := r.Client.PutSecret(ctx, r.Org, c.Name, req)
		return err
	}
	value, ok := r.Values[strings.ToUpper(c.Name)]
	if !ok {
		return fmt.Errorf("no value was given for %s", c.Name)
	}
	if err := r.seal(ctx, &req, value, false); err != nil {
		return err
	}
	_, err := r.Client.PutSecret(ctx, r.Org, c.Name, req)
	if githubapi.StatusCode(err) != http.StatusUnprocessableEntity {
		return err
	}
	old := r.Key.KeyID
	if kerr := r.seal(ctx, &req, value, true); kerr != nil {
		return fmt.Errorf("%w (and fetching the public key again failed: %v)", err, kerr)
	}
	if r.Key.KeyID == old {
		return err // same key: the refusal is about something else
	}
	_, err = r.Client.PutSecret(ctx, r.Org, c.Name, req)
	return err
}

func (r *Runner) seal(ctx context.Context, req *githubapi.PutSecretRequest, value string, refresh bool) error {
	if r.Key.Key == "" || refresh {
		k, err := r.Client.GetPublicKey(ctx, r.Org)
		if err != nil {
			return fmt.Errorf("could not fetch the organization's public key: %w", err)
		}
		r.Key = k
	}
	sealed, err := r.Seal(r.Key.Key, []byte(value))
	if err != nil {
		return fmt.Errorf("could not encrypt the value: %w", err)
	}
	req.EncryptedValue, req.KeyID = sealed, r.Key.KeyID
	return nil
}
