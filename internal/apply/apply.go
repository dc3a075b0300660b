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
	PutSecretKeepingRepos(ctx context.Context, org, name string, req githubapi.PutSecretRequest) (bool, []githubapi.Repository, error)
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

// ConflictError is an update of a secret that someone else deleted while
// the run was going on. The run never meant to create the secret: when its
// PUT did (GitHub answered 201), the secret was deleted again at once.
type ConflictError struct {
	Name string
	// Recreated is true when the PUT created the secret and it was
	// deleted again; false when the deletion showed before the PUT, which
	// was then not sent.
	Recreated bool
	// Undo is why deleting the re-created secret failed, if it did.
	Undo error
}

func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("secret %s was deleted by someone else during the run", e.Name)
	switch {
	case !e.Recreated:
		return msg + ", so it was not written: run again to create it, if it should exist"
	case e.Undo != nil:
		return fmt.Sprintf("%s: the update re-created it, and deleting it again failed (%v): delete it yourself if it should not exist, or run again to create it", msg, e.Undo)
	}
	return msg + ": the update re-created it, so it was deleted again at once: run again to create it, if it should exist"
}

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
				err = r.apply(ctx, &c)
			}
			failed = failed || (err != nil && !pass) // a failed delete does not stop the other deletes
			out[i] = Outcome{Change: c, Err: err}
		}
	}
	return out
}

func (r *Runner) apply(ctx context.Context, c *plan.Change) error {
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
// key, seals the value again and retries once. A kept repository list is
// read just before the write, and c then holds the repositories sent.
func (r *Runner) put(ctx context.Context, c *plan.Change) error {
	req := githubapi.PutSecretRequest{Visibility: c.Visibility}
	if c.Visibility == plan.Selected && !c.KeepRepos {
		req.SelectedRepositoryIDs = c.RepoIDs
		if req.SelectedRepositoryIDs == nil {
			req.SelectedRepositoryIDs = []int64{}
		}
	}
	if !c.WithValue {
		return r.send(ctx, c, req)
	}
	value, ok := r.Values[strings.ToUpper(c.Name)]
	if !ok {
		return fmt.Errorf("no value was given for %s", c.Name)
	}
	if err := r.seal(ctx, &req, value, false); err != nil {
		return err
	}
	err := r.send(ctx, c, req)
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
	return r.send(ctx, c, req)
}

// send makes one PUT of the change. An update that finds the secret gone
// is a *ConflictError: the PUT is not sent when the kept list's read shows
// it, and a secret the PUT re-created is deleted again at once.
func (r *Runner) send(ctx context.Context, c *plan.Change, req githubapi.PutSecretRequest) error {
	var created bool
	var err error
	if c.KeepRepos {
		var sent []githubapi.Repository
		created, sent, err = r.Client.PutSecretKeepingRepos(ctx, r.Org, c.Name, req)
		if c.Exists && errors.Is(err, githubapi.ErrNotSent) && githubapi.StatusCode(err) == http.StatusNotFound {
			return &ConflictError{Name: c.Name}
		}
		if err == nil {
			c.RepoIDs, c.Repositories = make([]int64, 0, len(sent)), make([]string, 0, len(sent))
			for _, rp := range sent {
				c.RepoIDs = append(c.RepoIDs, rp.ID)
				c.Repositories = append(c.Repositories, rp.FullName)
			}
		}
	} else {
		created, err = r.Client.PutSecret(ctx, r.Org, c.Name, req)
	}
	if err != nil || !created || !c.Exists {
		return err
	}
	undo := r.Client.DeleteSecret(ctx, r.Org, c.Name)
	if githubapi.StatusCode(undo) == http.StatusNotFound {
		undo = nil // gone again already
	}
	return &ConflictError{Name: c.Name, Recreated: true, Undo: undo}
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
