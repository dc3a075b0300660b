// Package apply runs a plan against GitHub, one request at a time. A failed
// change does not stop the others, except deletes: they run last and only
// when every other change succeeded, so a failure never removes a secret.
// (A failed delete does not stop the other deletes.) A change that GitHub
// refuses for what the token may do stops every change after it, since
// they would all be refused the same way.
package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/sealedbox"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// Client is the part of the API layer that apply writes through;
// *githubapi.Client implements it.
type Client interface {
	GetPublicKey(ctx context.Context, org string) (githubapi.PublicKey, error)
	GetSecret(ctx context.Context, org string, name secret.Name) (secret.Secret, error)
	PutSecret(ctx context.Context, org string, name secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error)
	PutSecretKeepingRepos(ctx context.Context, org string, name secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error)
	DeleteSecret(ctx context.Context, org string, name secret.Name) error
	SetSelectedRepos(ctx context.Context, org string, name secret.Name, ids []int64) error
	AddSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error
	RemoveSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error
}

// Runner applies changes for one organization.
type Runner struct {
	Client Client
	Org    string
	// Values are the secret values by name.
	Values map[secret.Name]string
	// Rand is the random source of sealing values; nil means
	// crypto/rand.
	Rand io.Reader
	// Key is the organization's public key; it is fetched on the first
	// write that carries a value when it has no Decoded key.
	Key githubapi.PublicKey
}

// Outcome is a change and how it went.
type Outcome struct {
	plan.Change
	Err error
	// Warning, when not empty, is something the change met that the user
	// should know, though it succeeded.
	Warning string
}

// ErrSkipped marks a delete that did not run because another change failed.
var ErrSkipped = errors.New("not run, because another change failed; nothing was deleted")

// ConflictError is a write that someone else's change of the same secret,
// made while the run was going on, stopped: they deleted the secret, or
// changed its visibility from "selected". The run never meant to create the
// secret: when its PUT did, the secret was deleted again at once.
type ConflictError struct {
	Name secret.Name
	// Recreated is true when the PUT created the secret and it was
	// deleted again; false when the deletion showed before the PUT, which
	// was then not sent.
	Recreated bool
	// Undo is why deleting the re-created secret failed, if it did.
	Undo error
	// VisibilityChanged is true when the secret was no longer "selected"
	// just before a PUT that would have sent its repository list again;
	// the PUT was not sent. Visibility is the new visibility, when GitHub
	// said it.
	VisibilityChanged bool
	Visibility        secret.Visibility
}

func (e *ConflictError) Error() string {
	if e.VisibilityChanged {
		now := "it is no longer selected"
		if e.Visibility != "" {
			now = "it is now " + string(e.Visibility) + ", no longer selected"
		}
		return fmt.Sprintf("the visibility of secret %s was changed by someone else during the run (%s), so it was not written: "+
			"writing it would have made it selected again, with no repositories: run again to write it with its new visibility", e.Name, now)
	}
	msg := fmt.Sprintf("secret %s was deleted by someone else during the run", e.Name)
	switch {
	case !e.Recreated:
		return msg + ", so it was not written: run again to create it, if it should exist"
	case e.Undo != nil:
		return fmt.Sprintf("%s: the update re-created it, and deleting it again failed (%v): delete it yourself if it should not exist, or run again to create it", msg, e.Undo)
	}
	return msg + ": the update re-created it, so it was deleted again at once: run again to create it, if it should exist"
}

// NotRunError is a change that was not attempted because GitHub refused
// an earlier write of the run for what the token may do (see
// githubapi.Refused): it would have been refused the same way. The reason
// is in the error of that change, named here.
type NotRunError struct {
	After secret.Name // the change GitHub refused
}

func (e *NotRunError) Error() string {
	return fmt.Sprintf("not run: GitHub refused the change of %s for what the token may do (see there), so the run sent no other write", e.After)
}

// Run applies every change but deletes, then the deletes, and returns
// one outcome per change, in the order of changes. Once GitHub refuses a
// change for what the token may do, the remaining changes are not
// attempted: each gets a *NotRunError.
func (r *Runner) Run(ctx context.Context, changes []plan.Change) []Outcome {
	out := make([]Outcome, len(changes))
	failed := false
	var refused *NotRunError
	for _, pass := range []bool{false, true} { // everything else, then deletes
		for i, c := range changes {
			if (c.Action == plan.Delete) != pass {
				continue
			}
			o := Outcome{}
			switch {
			case c.Action == plan.Unchanged:
			case refused != nil:
				o.Err = refused
			case c.Action == plan.Delete && failed:
				o.Err = ErrSkipped
			default:
				o.Err = r.apply(ctx, &c, &o)
				if githubapi.Refused(o.Err) {
					refused = &NotRunError{After: c.Name}
				}
			}
			failed = failed || (o.Err != nil && !pass) // a failed delete does not stop the other deletes
			o.Change = c
			out[i] = o
		}
	}
	return out
}

func (r *Runner) apply(ctx context.Context, c *plan.Change, o *Outcome) error {
	switch c.Action {
	case plan.Create, plan.Update:
		return r.put(ctx, c, o)
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
func (r *Runner) put(ctx context.Context, c *plan.Change, o *Outcome) error {
	req := githubapi.PutSecretRequest{Visibility: c.Visibility}
	if c.Visibility == secret.Selected && !c.KeepRepos {
		req.SelectedRepositoryIDs = c.RepoIDs
		if req.SelectedRepositoryIDs == nil {
			req.SelectedRepositoryIDs = []int64{}
		}
	}
	if !c.WithValue {
		return r.send(ctx, c, req, o)
	}
	value, ok := r.Values[c.Name]
	if !ok {
		return fmt.Errorf("no value was given for %s", c.Name)
	}
	if err := r.seal(ctx, &req, value, false); err != nil {
		return err
	}
	err := r.send(ctx, c, req, o)
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
	return r.send(ctx, c, req, o)
}

// send makes one PUT of the change. An update that finds the secret gone,
// or no longer "selected" when its kept list is read, is a *ConflictError:
// the PUT is not sent when the read shows it, and a secret the PUT
// re-created is deleted again at once. A create that GitHub answers as an
// update (someone else created the secret meanwhile) leaves a warning.
func (r *Runner) send(ctx context.Context, c *plan.Change, req githubapi.PutSecretRequest, o *Outcome) error {
	var res githubapi.PutResult
	var err error
	if c.KeepRepos {
		res, err = r.Client.PutSecretKeepingRepos(ctx, r.Org, c.Name, req)
		// The list sent, or, for a write that failed, the list read for
		// it; none when it was not read: then the result leaves it out.
		c.Keep(res.Repositories)
		c.ReposUnknown = res.Repositories == nil
		if conflict := notSentConflict(c, err); conflict != nil {
			return conflict
		}
	} else {
		res, err = r.Client.PutSecret(ctx, r.Org, c.Name, req)
	}
	switch {
	case err != nil:
		return err
	case !c.Exists:
		if !res.Created && !res.Retried {
			o.Warning = fmt.Sprintf("secret %s was created by someone else during the run, after this run found it absent: this run's value and visibility (%s) replaced theirs", c.Name, c.Visibility)
		}
		return nil
	case res.Created, res.Retried && c.WithValue:
		return r.checkRecreated(ctx, c, res.Created)
	}
	return nil
}

// notSentConflict is the *ConflictError for an update of a kept list whose
// read, just before the PUT, showed that someone else had deleted the
// secret or changed its visibility; nil for any other outcome.
func notSentConflict(c *plan.Change, err error) error {
	if !c.Exists || !errors.Is(err, githubapi.ErrNotSent) {
		return nil
	}
	var ns *githubapi.NotSelectedError
	switch {
	case errors.As(err, &ns):
		return &ConflictError{Name: c.Name, VisibilityChanged: true, Visibility: ns.Visibility}
	case githubapi.StatusCode(err) == http.StatusConflict: // GitHub's answer for a list of a secret that is not selected
		return &ConflictError{Name: c.Name, VisibilityChanged: true}
	case githubapi.StatusCode(err) == http.StatusNotFound:
		return &ConflictError{Name: c.Name}
	}
	return nil
}

// checkRecreated follows an update that GitHub answered 201 Created
// (created true), or that succeeded only after a retry: the answer to an
// earlier attempt was lost, and that attempt may have re-created a secret
// someone else had deleted meanwhile (its 201 lost, the retry answered
// 204). A 201 alone proves nothing (a proxy or GitHub may say 201 for an
// update it applied), so both are confirmed the same way: a secret created
// after the run read it is the re-created one, and is deleted again. A
// zero CreatedAt gives nothing to compare with, and is never a reason to
// delete.
func (r *Runner) checkRecreated(ctx context.Context, c *plan.Change, created bool) error {
	if c.CreatedAt.IsZero() {
		return nil // nothing to compare with
	}
	s, err := r.Client.GetSecret(ctx, r.Org, c.Name)
	if err != nil {
		how := "went through after a retry"
		if created {
			how = "was answered 201 Created"
		}
		return fmt.Errorf("the update %s, but checking that it did not re-create the secret after someone else deleted it failed: check it: %w", how, err)
	}
	if !s.CreatedAt.After(c.CreatedAt) {
		return nil
	}
	return r.undo(ctx, c.Name)
}

// undo deletes a secret that an update re-created, and returns the
// *ConflictError that says so.
func (r *Runner) undo(ctx context.Context, name secret.Name) error {
	undo := r.Client.DeleteSecret(ctx, r.Org, name)
	if githubapi.StatusCode(undo) == http.StatusNotFound {
		undo = nil // gone again already
	}
	return &ConflictError{Name: name, Recreated: true, Undo: undo}
}

func (r *Runner) seal(ctx context.Context, req *githubapi.PutSecretRequest, value string, refresh bool) error {
	if r.Key.Decoded == nil || refresh {
		k, err := r.Client.GetPublicKey(ctx, r.Org)
		if err != nil {
			return fmt.Errorf("could not fetch the organization's public key: %w", err)
		}
		r.Key = k
	}
	sealed, err := sealedbox.Seal(r.Key.Decoded, []byte(value), r.Rand)
	if err != nil {
		return fmt.Errorf("could not encrypt the value: %w", err)
	}
	req.EncryptedValue, req.KeyID = sealed, r.Key.KeyID
	return nil
}
