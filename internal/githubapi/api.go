package githubapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/gen"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/sealedbox"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// PublicKey is the organization's key for sealing secret values.
type PublicKey struct {
	KeyID string
	Key   string // standard base64 of a 32-byte Curve25519 public key, as GitHub sent it
	// Decoded is Key decoded, once, when it was fetched: what
	// sealedbox.Seal seals values for.
	Decoded *[sealedbox.KeySize]byte
}

// PutSecretRequest is the body of a create-or-update.
type PutSecretRequest struct {
	// EncryptedValue and KeyID are the sealed value and the id of the key
	// that sealed it. Leave both empty to change only the visibility or the
	// selected repositories of an existing secret.
	EncryptedValue string
	KeyID          string
	// Visibility is "all", "private" or "selected".
	Visibility secret.Visibility
	// SelectedRepositoryIDs is sent when non-nil, even when empty (which
	// leaves a selected secret with no repository); nil leaves it out.
	SelectedRepositoryIDs []int64
}

// ListSecrets returns every Codespaces secret of org, reading 100 per page
// and following the Link header's next page; it fails past the page limit
// (see WithMaxPages).
//
// GitHub: GET /orgs/{org}/codespaces/secrets,
// https://docs.github.com/rest/codespaces/organization-secrets#list-organization-secrets
func (c *Client) ListSecrets(ctx context.Context, org string) ([]secret.Secret, error) {
	if err := need("organization", org); err != nil {
		return nil, err
	}
	perPage := 100
	return paginate(ctx, c, fmt.Sprintf("the Codespaces secrets of organization %q", org),
		func(ctx context.Context, next *url.URL) ([]secret.Secret, int, *answer, error) {
			req := built(gen.NewCodespacesListOrgSecretsRequest(c.server, org, &gen.CodespacesListOrgSecretsParams{PerPage: &perPage}))
			rsp, info, err := send(ctx, c, req.at(next), "", gen.ParseCodespacesListOrgSecretsResponse)
			if err = c.check(info, err, http.StatusOK); err != nil {
				return nil, 0, info, err
			}
			if rsp.JSON200 == nil {
				return nil, 0, info, c.decodeError(info, errNotJSON(info))
			}
			out := make([]secret.Secret, 0, len(rsp.JSON200.Secrets))
			for _, s := range rsp.JSON200.Secrets {
				out = append(out, secretFrom(s))
			}
			return out, rsp.JSON200.TotalCount, info, nil
		})
}

// GetSecret returns one Codespaces secret of org. A secret that does not
// exist is an *Error with StatusCode 404.
//
// GitHub: GET /orgs/{org}/codespaces/secrets/{secret_name},
// https://docs.github.com/rest/codespaces/organization-secrets#get-an-organization-secret
func (c *Client) GetSecret(ctx context.Context, org string, name secret.Name) (secret.Secret, error) {
	if err := errors.Join(need("organization", org), need("secret name", string(name))); err != nil {
		return secret.Secret{}, err
	}
	rsp, info, err := send(ctx, c, built(gen.NewCodespacesGetOrgSecretRequest(c.server, org, string(name))), "", gen.ParseCodespacesGetOrgSecretResponse)
	if err := c.check(info, err, http.StatusOK); err != nil {
		return secret.Secret{}, err
	}
	if rsp.JSON200 == nil {
		return secret.Secret{}, c.decodeError(info, errNotJSON(info))
	}
	return secretFrom(*rsp.JSON200), nil
}

// GetPublicKey returns org's public key for sealing secret values. It
// fails when GitHub's key is not standard base64 of exactly 32 bytes, or
// has no id.
//
// GitHub: GET /orgs/{org}/codespaces/secrets/public-key,
// https://docs.github.com/rest/codespaces/organization-secrets#get-an-organization-public-key
func (c *Client) GetPublicKey(ctx context.Context, org string) (PublicKey, error) {
	if err := need("organization", org); err != nil {
		return PublicKey{}, err
	}
	rsp, info, err := send(ctx, c, built(gen.NewCodespacesGetOrgPublicKeyRequest(c.server, org)), "", gen.ParseCodespacesGetOrgPublicKeyResponse)
	if err := c.check(info, err, http.StatusOK); err != nil {
		return PublicKey{}, err
	}
	if rsp.JSON200 == nil {
		return PublicKey{}, c.decodeError(info, errNotJSON(info))
	}
	k, err := decodePublicKey(rsp.JSON200.KeyID, rsp.JSON200.Key)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%s %s: the public key of organization %q is unusable: %w", info.method, c.path(info), org, err)
	}
	return k, nil
}

// decodePublicKey accepts a key id and a key that sealedbox can seal for,
// decoded, and words sealedbox's verdict as a problem with GitHub's answer.
func decodePublicKey(id, key string) (PublicKey, error) {
	if id == "" {
		return PublicKey{}, errors.New("GitHub sent no key_id")
	}
	decoded, err := sealedbox.ParsePublicKey(key)
	var ke *sealedbox.KeyError
	switch {
	case err == nil:
		return PublicKey{KeyID: id, Key: key, Decoded: decoded}, nil
	case !errors.As(err, &ke):
		return PublicKey{}, err
	case ke.Len < 0:
		return PublicKey{}, errors.New("its key is not standard base64")
	}
	return PublicKey{}, fmt.Errorf("its key is %d bytes long; a Curve25519 public key is exactly %d", ke.Len, sealedbox.KeySize)
}

// PutResult is how a create-or-update went.
type PutResult struct {
	// Created is true when GitHub answered the successful attempt with 201
	// Created, false when it answered 204 (an update).
	Created bool
	// Retried is true when an earlier attempt failed in a way that may
	// have been applied (a network error, a time-out, a 5xx) and was
	// retried: GitHub's answer to the earlier attempt was lost, so a 204
	// does not prove that this call created nothing.
	Retried bool
	// Repositories are the repositories the successful PUT of
	// PutSecretKeepingRepos sent, as read just before it; for a PUT that
	// failed, those it was to send (nil when the list was not read); nil
	// for PutSecret.
	Repositories []secret.Repository
}

// PutSecret creates or updates a Codespaces secret of org, and says whether
// GitHub created it (201) or updated it (204), and whether a failed attempt
// was retried. It fails before sending anything when req is inconsistent:
// an unknown visibility, only one of EncryptedValue and KeyID, or
// repositories for a visibility other than "selected".
//
// GitHub: PUT /orgs/{org}/codespaces/secrets/{secret_name},
// https://docs.github.com/rest/codespaces/organization-secrets#create-or-update-an-organization-secret
func (c *Client) PutSecret(ctx context.Context, org string, name secret.Name, req PutSecretRequest) (PutResult, error) {
	body, err := putBody(req)
	if err = errors.Join(need("organization", org), need("secret name", string(name)), err); err != nil {
		return PutResult{}, err
	}
	put := built(gen.NewCodespacesCreateOrUpdateOrgSecretRequest(c.server, org, string(name), body))
	_, info, err := send(ctx, c, put, req.EncryptedValue, gen.ParseCodespacesCreateOrUpdateOrgSecretResponse)
	if err := c.check(info, err, http.StatusCreated, http.StatusNoContent); err != nil {
		return PutResult{}, err
	}
	return PutResult{Created: info.status == http.StatusCreated, Retried: info.transient}, nil
}

// PutSecretKeepingRepos writes a Codespaces secret that is, and stays,
// "selected", sending its repository list again as it is at the moment of
// the write: it reads the list (ListSelectedRepos) right before the PUT,
// after any wait for pacing, a retry or a rate limit, and again after each
// such wait, so that no wait falls between the read and the write that
// sends it. Every attempt carries the same encrypted value. req.Visibility
// must be "selected" and req.SelectedRepositoryIDs nil.
//
// An empty list is checked with GetSecret before it is sent: GitHub lists
// no repositories for a secret that is no longer "selected", and sending
// "selected" with none would undo someone else's change of its visibility.
// Such a secret is not written: the error wraps ErrNotSent and a
// *NotSelectedError.
//
// The result's Repositories are those the successful PUT sent. When the
// list cannot be read in full, nothing more is sent, and the error wraps
// ErrNotSent and the read's error (a 404 if the secret no longer exists).
//
// GitHub has no conditional write for these endpoints, so a repository
// added or removed by someone else between the read and the PUT (one round
// trip) is still overwritten.
func (c *Client) PutSecretKeepingRepos(ctx context.Context, org string, name secret.Name, req PutSecretRequest) (PutResult, error) {
	var errs []error
	if req.Visibility != secret.Selected {
		errs = append(errs, fmt.Errorf("keeping the repositories needs visibility \"selected\", not %q", req.Visibility))
	}
	if req.SelectedRepositoryIDs != nil {
		errs = append(errs, errors.New("keeping the repositories leaves no room for a list of them: give one or the other"))
	}
	req.SelectedRepositoryIDs = []int64{} // the placeholder that the list read before each attempt replaces
	body, err := putBody(req)
	if err = errors.Join(append(errs, need("organization", org), need("secret name", string(name)), err)...); err != nil {
		return PutResult{}, err
	}
	return c.putKeepingRepos(ctx, org, name, body, req.EncryptedValue)
}

// putKeepingRepos is the call of PutSecretKeepingRepos: each attempt waits
// for the pacing of writes, reads the list to keep, then sends the PUT
// with it; a retry waits first, so the list is read again after it.
func (c *Client) putKeepingRepos(ctx context.Context, org string, name secret.Name,
	body gen.CodespacesCreateOrUpdateOrgSecretJSONRequestBody, sealed string,
) (PutResult, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	a := c.start(http.MethodPut, sealed)
	var read []secret.Repository // the list of the last attempt, once read
	for {
		if err := a.ready(ctx); err != nil {
			return PutResult{Repositories: read}, c.transportError(&a.last, err)
		}
		repos, ids, err := c.listToKeep(ctx, org, name)
		if err != nil {
			return PutResult{}, &notSentError{notSentMessage(&a.last, err), err}
		}
		read, body.SelectedRepositoryIds = repos, &ids
		req := built(gen.NewCodespacesCreateOrUpdateOrgSecretRequest(c.server, org, string(name), body))
		if req.err != nil {
			return PutResult{Repositories: read}, fmt.Errorf("could not build the request: %w", req.err)
		}
		done, err := a.try(ctx, req.Request)
		if !done {
			continue
		}
		if err != nil {
			return PutResult{Repositories: read}, c.transportError(&a.last, err)
		}
		_, err = gen.ParseCodespacesCreateOrUpdateOrgSecretResponse(a.last.resp)
		if err := c.check(&a.last, c.parseError(&a.last, err), http.StatusCreated, http.StatusNoContent); err != nil {
			return PutResult{Repositories: read}, err // the list the failed PUT was to keep
		}
		if read == nil {
			read = []secret.Repository{}
		}
		return PutResult{Created: a.last.status == http.StatusCreated, Retried: a.last.transient, Repositories: read}, nil
	}
}

// listToKeep reads the repository list that a write keeping it sends
// again, with the ids as the request takes them. An empty list is checked
// against the secret's visibility: GitHub lists no repositories for a
// secret that is no longer "selected".
func (c *Client) listToKeep(ctx context.Context, org string, name secret.Name) ([]secret.Repository, []int, error) {
	repos, err := c.ListSelectedRepos(ctx, org, name)
	if err != nil {
		return nil, nil, err
	}
	if len(repos) == 0 {
		s, err := c.GetSecret(ctx, org, name)
		if err != nil {
			return nil, nil, fmt.Errorf("its repository list was empty, and checking that it is still \"selected\" failed: %w", err)
		}
		if s.Visibility != secret.Selected {
			return nil, nil, &NotSelectedError{Name: s.Name, Visibility: s.Visibility}
		}
	}
	ids := make([]int, len(repos))
	for i, r := range repos {
		ids[i] = int(r.ID) // ListSelectedRepos checked each id (positiveID)
	}
	return repos, ids, nil
}

// NotSelectedError is a secret whose repository list was to be sent again
// but which is no longer "selected": someone else changed its visibility.
type NotSelectedError struct {
	Name       secret.Name
	Visibility secret.Visibility // what it is now: All or Private
}

func (e *NotSelectedError) Error() string {
	return fmt.Sprintf("secret %s is no longer \"selected\": its visibility is now %q", e.Name, e.Visibility)
}

// notSentMessage says truthfully what a PUT whose read, just before an
// attempt, failed did send: nothing, or an earlier attempt that failed.
func notSentMessage(info *answer, why error) string {
	what := "the repository list to send again could not be read"
	var ns *NotSelectedError
	if errors.As(why, &ns) {
		what = "the secret was no longer \"selected\""
	}
	switch {
	case info.transient:
		return fmt.Sprintf("the PUT failed (%s) and may have been applied; %s just before its retry, so the retry was not sent: check the secret", info.failure, what)
	case info.url != nil:
		return fmt.Sprintf("the PUT was refused for a rate limit, which applies nothing; %s just before its retry, so the retry was not sent", what)
	}
	return what + " just before the PUT, so the PUT was not sent"
}

// ErrNotSent marks a write that was not sent because the read it had to
// carry, done just before it, failed. When the read was for a retry, an
// earlier attempt was sent: the error says how it failed.
var ErrNotSent = errors.New("the write was not sent, because the read it depends on failed")

// notSentError is a write that was not sent, and why: it matches
// ErrNotSent and the read's error without repeating ErrNotSent's words.
type notSentError struct {
	msg string
	err error
}

func (e *notSentError) Error() string   { return e.msg + ": " + e.err.Error() }
func (e *notSentError) Unwrap() []error { return []error{ErrNotSent, e.err} }

func putBody(req PutSecretRequest) (gen.CodespacesCreateOrUpdateOrgSecretJSONRequestBody, error) {
	body := gen.CodespacesCreateOrUpdateOrgSecretJSONRequestBody{
		Visibility: gen.CodespacesCreateOrUpdateOrgSecretJSONBodyVisibility(req.Visibility),
	}
	var errs []error
	if !req.Visibility.Valid() {
		errs = append(errs, fmt.Errorf("visibility %q is not one of %s", req.Visibility, secret.Choices("%s", ", ")))
	}
	switch {
	case req.EncryptedValue != "" && req.KeyID != "":
		body.EncryptedValue, body.KeyID = &req.EncryptedValue, &req.KeyID
	case req.EncryptedValue != "" || req.KeyID != "":
		errs = append(errs, errors.New("an encrypted value needs the id of the key that sealed it, and a key id needs a value: give both or neither"))
	}
	if req.SelectedRepositoryIDs != nil {
		if req.Visibility != secret.Selected {
			errs = append(errs, fmt.Errorf("repositories can be given only with visibility \"selected\", not %q", req.Visibility))
		}
		ids, err := intIDs(req.SelectedRepositoryIDs)
		errs = append(errs, err)
		body.SelectedRepositoryIds = &ids
	}
	return body, errors.Join(errs...)
}

// DeleteSecret deletes a Codespaces secret of org. A secret that does not
// exist is an *Error with StatusCode 404, except when the DELETE was
// retried after a network error or a 5xx: then the first attempt most
// likely deleted it, and the 404 counts as success.
//
// GitHub: DELETE /orgs/{org}/codespaces/secrets/{secret_name},
// https://docs.github.com/rest/codespaces/organization-secrets#delete-an-organization-secret
func (c *Client) DeleteSecret(ctx context.Context, org string, name secret.Name) error {
	if err := errors.Join(need("organization", org), need("secret name", string(name))); err != nil {
		return err
	}
	_, info, err := send(ctx, c, built(gen.NewCodespacesDeleteOrgSecretRequest(c.server, org, string(name))), "", gen.ParseCodespacesDeleteOrgSecretResponse)
	return c.checkDelete(info, err)
}

// ListSelectedRepos returns the repositories that can use a secret whose
// visibility is "selected", reading 100 per page and following the Link
// header's next page.
//
// GitHub: GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories,
// https://docs.github.com/rest/codespaces/organization-secrets#list-selected-repositories-for-an-organization-secret
func (c *Client) ListSelectedRepos(ctx context.Context, org string, name secret.Name) ([]secret.Repository, error) {
	if err := errors.Join(need("organization", org), need("secret name", string(name))); err != nil {
		return nil, err
	}
	perPage := 100
	return paginate(ctx, c, fmt.Sprintf("the repositories selected for secret %q of organization %q", name, org),
		func(ctx context.Context, next *url.URL) ([]secret.Repository, int, *answer, error) {
			req := built(gen.NewCodespacesListSelectedReposForOrgSecretRequest(c.server, org, string(name), &gen.CodespacesListSelectedReposForOrgSecretParams{PerPage: &perPage}))
			rsp, info, err := send(ctx, c, req.at(next), "", gen.ParseCodespacesListSelectedReposForOrgSecretResponse)
			if err = c.check(info, err, http.StatusOK); err != nil {
				return nil, 0, info, err
			}
			if rsp.JSON200 == nil {
				return nil, 0, info, c.decodeError(info, errNotJSON(info))
			}
			out := make([]secret.Repository, 0, len(rsp.JSON200.Repositories))
			for _, r := range rsp.JSON200.Repositories {
				if err := positiveID(r.FullName, r.ID); err != nil {
					return nil, 0, info, c.decodeError(info, err)
				}
				out = append(out, secret.Repository{ID: r.ID, Name: r.Name, FullName: r.FullName, Owner: r.Owner.Login})
			}
			return out, rsp.JSON200.TotalCount, info, nil
		})
}

// SetSelectedRepos replaces the repositories that can use a secret whose
// visibility is "selected". An empty or nil ids leaves none. GitHub answers
// 409 when the secret's visibility is not "selected".
//
// GitHub: PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories,
// https://docs.github.com/rest/codespaces/organization-secrets#set-selected-repositories-for-an-organization-secret
func (c *Client) SetSelectedRepos(ctx context.Context, org string, name secret.Name, ids []int64) error {
	list, err := intIDs(ids)
	if err := errors.Join(need("organization", org), need("secret name", string(name)), err); err != nil {
		return err
	}
	req := built(gen.NewCodespacesSetSelectedReposForOrgSecretRequest(c.server, org, string(name),
		gen.CodespacesSetSelectedReposForOrgSecretJSONRequestBody{SelectedRepositoryIds: list}))
	_, info, err := send(ctx, c, req, "", gen.ParseCodespacesSetSelectedReposForOrgSecretResponse)
	return c.check(info, err, http.StatusNoContent)
}

// AddSelectedRepo adds one repository to a secret whose visibility is
// "selected". GitHub answers 409 when it is not.
//
// GitHub: PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id},
// https://docs.github.com/rest/codespaces/organization-secrets#add-selected-repository-to-an-organization-secret
func (c *Client) AddSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error {
	rid, err := intID(id)
	if err := errors.Join(need("organization", org), need("secret name", string(name)), err); err != nil {
		return err
	}
	_, info, err := send(ctx, c, built(gen.NewCodespacesAddSelectedRepoToOrgSecretRequest(c.server, org, string(name), rid)), "", gen.ParseCodespacesAddSelectedRepoToOrgSecretResponse)
	return c.check(info, err, http.StatusNoContent)
}

// RemoveSelectedRepo removes one repository from a secret whose visibility
// is "selected". GitHub answers 409 when it is not. As with DeleteSecret,
// a 404 after a retried network error or 5xx counts as success.
//
// GitHub: DELETE /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id},
// https://docs.github.com/rest/codespaces/organization-secrets#remove-selected-repository-from-an-organization-secret
func (c *Client) RemoveSelectedRepo(ctx context.Context, org string, name secret.Name, id int64) error {
	rid, err := intID(id)
	if err := errors.Join(need("organization", org), need("secret name", string(name)), err); err != nil {
		return err
	}
	_, info, err := send(ctx, c, built(gen.NewCodespacesRemoveSelectedRepoFromOrgSecretRequest(c.server, org, string(name), rid)), "", gen.ParseCodespacesRemoveSelectedRepoFromOrgSecretResponse)
	return c.checkDelete(info, err)
}

// GetRepo looks up a repository by owner and name; GitHub's redirect for a
// renamed repository is followed. A repository that does not exist, or
// that the token cannot see, is an *Error with StatusCode 404.
//
// GitHub: GET /repos/{owner}/{repo},
// https://docs.github.com/rest/repos/repos#get-a-repository
func (c *Client) GetRepo(ctx context.Context, owner, repo string) (secret.Repository, error) {
	if err := errors.Join(need("repository owner", owner), need("repository name", repo)); err != nil {
		return secret.Repository{}, err
	}
	rsp, info, err := send(ctx, c, built(gen.NewReposGetRequest(c.server, owner, repo)), "", gen.ParseReposGetResponse)
	if err := c.check(info, err, http.StatusOK); err != nil {
		return secret.Repository{}, err
	}
	if rsp.JSON200 == nil {
		return secret.Repository{}, c.decodeError(info, errNotJSON(info))
	}
	r := rsp.JSON200
	name := r.FullName
	if name == "" {
		name = owner + "/" + repo
	}
	if err := positiveID(name, r.ID); err != nil {
		return secret.Repository{}, c.decodeError(info, err)
	}
	return secret.Repository{ID: r.ID, Name: r.Name, FullName: r.FullName, Owner: r.Owner.Login}, nil
}

// positiveID checks a repository id in GitHub's answer when it is read, so
// a bad one is reported with the repository it came from rather than when
// a later write sends it.
func positiveID(fullName string, id int64) error {
	if _, err := intID(id); err != nil {
		return fmt.Errorf("it gives repository %q the id %d, which is not a positive id", fullName, id)
	}
	return nil
}

func secretFrom(s gen.CodespacesOrgSecret) secret.Secret {
	return secret.Secret{Name: secret.NameOf(s.Name), Visibility: secret.Visibility(s.Visibility), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

func need(what, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("the %s is empty", what)
	}
	return nil
}

// intID converts a repository id to the int the generated client takes.
func intID(id int64) (int, error) {
	if id <= 0 || id > math.MaxInt {
		return 0, fmt.Errorf("repository id %d is not a positive id", id)
	}
	return int(id), nil
}

// intIDs converts repository ids, and never returns nil: an empty list is
// sent as [] rather than null.
func intIDs(ids []int64) ([]int, error) {
	out := make([]int, 0, len(ids))
	var errs []error
	for _, id := range ids {
		n, err := intID(id)
		errs = append(errs, err)
		out = append(out, n)
	}
	return out, errors.Join(errs...)
}

// path returns the escaped path of the last request, below the API root
// when the request went to the API host.
func (c *Client) path(info *answer) string {
	if info.url == nil {
		return "(no request sent)"
	}
	p := info.url.EscapedPath()
	if origin(info.url) == origin(c.base) {
		if rest, ok := strings.CutPrefix(p, c.base.EscapedPath()); ok && strings.HasPrefix(rest, "/") {
			p = rest
		}
	}
	return p
}

// check turns the outcome of a call into an error: err, when the call
// got no answer to parse, or the answer's status when it is not one of
// those wanted: an *Error for a status GitHub uses for failures, a plain
// error for another success.
func (c *Client) check(info *answer, err error, want ...int) error {
	if err != nil {
		return err
	}
	for _, w := range want {
		if info.status == w {
			return nil
		}
	}
	if info.status >= 200 && info.status < 300 {
		return fmt.Errorf("%s %s: GitHub answered %s where %s was expected, so the outcome is unknown: check it before running again",
			info.method, c.path(info), statusText(info.status), statusText(want[0]))
	}
	return newError(info.method, c.path(info), info)
}

// checkDelete is check for a DELETE: 204 is success, and so is a 404 after
// a transient failure was retried (the first attempt got through).
func (c *Client) checkDelete(info *answer, err error) error {
	if err == nil && info.status == http.StatusNotFound && info.transient {
		return nil
	}
	return c.check(info, err, http.StatusNoContent)
}

func (c *Client) transportError(info *answer, err error) error {
	if info.method == "" {
		return fmt.Errorf("request not sent: %w", err)
	}
	if certificateError(err) {
		// Not retried: a certificate does not become trusted by waiting.
		return fmt.Errorf("%s %s: the TLS certificate of %s was not trusted (%w): check the host name of the API URL; "+
			"a GitHub Enterprise Server whose certificate comes from your own certificate authority needs that authority's certificate, "+
			"as a PEM file named by the SSL_CERT_FILE environment variable", info.method, c.path(info), info.url.Host, err)
	}
	return fmt.Errorf("%s %s: %w", info.method, c.path(info), err)
}

func (c *Client) decodeError(info *answer, err error) error {
	return fmt.Errorf("%s %s: could not decode GitHub's %s response: %w", info.method, c.path(info), statusText(info.status), err)
}

func errNotJSON(info *answer) error {
	return fmt.Errorf("its content type is %q, not JSON", info.header.Get("Content-Type"))
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// paginate reads every page of a list: the first as the generated client
// builds it, the next ones by pointing the same generated request at the
// Link header's rel="next" URL, until there is none. The list must add up:
// every page gives the same total_count, and the pages hold exactly that
// many items. A list that does not (a page short of it with no next link,
// a list that changed between its pages) is an error, never a short list:
// resent, it would narrow who can see a secret; pruned by, it would delete
// what the run did not see. A fetch of a list that GitHub sends as a bare
// array, with no total_count, returns -1 for it.
func paginate[T any](ctx context.Context, c *Client, what string,
	fetch func(ctx context.Context, next *url.URL) ([]T, int, *answer, error),
) ([]T, error) {
	var all []T
	var next *url.URL
	seen := map[string]bool{}
	total := 0
	for page := 1; ; page++ {
		items, n, info, err := fetch(ctx, next)
		if err != nil {
			return nil, fmt.Errorf("could not list %s (page %d): %w", what, page, err)
		}
		counted := n >= 0 // a bare array has no total_count to check
		if counted && page > 1 && n != total {
			return nil, fmt.Errorf("could not list %s: it changed while it was read (GitHub's total_count was %d on page 1 and %d on page %d), so it was not used: run again", what, total, n, page)
		}
		total = n
		all = append(all, items...)
		seen[info.url.String()] = true

		link := ParseLink(strings.Join(info.header.Values("Link"), ", "))["next"]
		if link == "" {
			if counted && len(all) != total {
				return nil, fmt.Errorf("could not list %s: GitHub's total_count says %d but its %d page(s) held %d, with no link to a next page, so the list was not read in full and was not used: run again", what, total, page, len(all))
			}
			return all, nil
		}
		if page >= c.maxPages {
			return nil, fmt.Errorf("could not list %s: GitHub still had a next page after %d pages (%d items), the most this client reads", what, c.maxPages, len(all))
		}
		u, err := info.url.Parse(link)
		if err != nil {
			return nil, fmt.Errorf("could not list %s: the next-page link %q in GitHub's Link header is not a URL: %w", what, link, err)
		}
		if origin(u) != origin(c.base) {
			return nil, fmt.Errorf("could not list %s: GitHub's answer pointed elsewhere: its next-page link goes to %q, which is not the API at %q; the link was refused and nothing was sent there: check %s, or whether a proxy rewrites GitHub's answers", what, u.Scheme+"://"+u.Host, c.tr.api, c.tr.urlName)
		}
		if seen[u.String()] {
			return nil, fmt.Errorf("could not list %s: the next-page link %q in GitHub's Link header points at a page already read", what, link)
		}
		next = u
	}
}

// at points the request at next, the URL of a next page, unless next is
// nil.
func (r request) at(next *url.URL) request {
	if next != nil && r.err == nil {
		target := *next
		r.URL = &target
		r.Host = target.Host
	}
	return r
}
