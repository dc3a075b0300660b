// The GitHub App endpoints: finding an App's installations with its JWT,
// and minting and revoking installation tokens.

package githubapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/gen"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth"
)

// Installation is a GitHub App's installation on an account.
type Installation struct {
	ID      int64
	Account string // the account's login; "" when GitHub sent none, or for an enterprise
	// TargetType is "Organization" or "User".
	TargetType string
	// SuspendedAt is when the installation was suspended; zero when it is
	// not. A suspended installation gets no token.
	SuspendedAt time.Time
}

// InstallationToken is a token minted for one installation. Token is a
// credential: mask it the moment it is received.
type InstallationToken struct {
	Token     string
	ExpiresAt time.Time // zero when GitHub's expires_at did not parse
}

// GetOrgInstallation returns the installation of the App whose JWT the
// client holds in org. An App that is not installed there is an *Error
// with StatusCode 404.
//
// GitHub: GET /orgs/{org}/installation,
// https://docs.github.com/rest/apps/apps#get-an-organization-installation-for-the-authenticated-app
func (c *Client) GetOrgInstallation(ctx context.Context, org string) (Installation, error) {
	if err := need("organization", org); err != nil {
		return Installation{}, err
	}
	rsp, info, err := send(ctx, c, built(gen.NewAppsGetOrgInstallationRequest(c.server, org)), "", gen.ParseAppsGetOrgInstallationResponse)
	if err := c.check(info, err, http.StatusOK); err != nil {
		return Installation{}, err
	}
	if rsp.JSON200 == nil {
		return Installation{}, c.decodeError(info, errNotJSON(info))
	}
	return installationFrom(*rsp.JSON200), nil
}

// ListInstallations returns every installation of the App whose JWT the
// client holds, reading 100 per page and following the Link header.
//
// GitHub: GET /app/installations,
// https://docs.github.com/rest/apps/apps#list-installations-for-the-authenticated-app
func (c *Client) ListInstallations(ctx context.Context) ([]Installation, error) {
	perPage := 100
	return paginate(ctx, c, "the App's installations",
		func(ctx context.Context, next *url.URL) ([]Installation, int, *answer, error) {
			req := built(gen.NewAppsListInstallationsRequest(c.server, &gen.AppsListInstallationsParams{PerPage: &perPage}))
			rsp, info, err := send(ctx, c, req.at(next), "", gen.ParseAppsListInstallationsResponse)
			if err = c.check(info, err, http.StatusOK); err != nil {
				return nil, 0, info, err
			}
			if rsp.JSON200 == nil {
				return nil, 0, info, c.decodeError(info, errNotJSON(info))
			}
			out := make([]Installation, 0, len(*rsp.JSON200))
			for _, in := range *rsp.JSON200 {
				out = append(out, installationFrom(in))
			}
			return out, -1, info, nil
		})
}

// CreateInstallationToken mints a token for installation id with exactly
// perms: organization_codespaces_secrets always, metadata only when
// perms.Metadata is set. A 201 whose body is not the token GitHub
// documents is an *UnreadableTokenError, returned with the token the body
// still holds, if any: mask it and revoke it, as a token was minted.
//
// GitHub: POST /app/installations/{installation_id}/access_tokens,
// https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app
func (c *Client) CreateInstallationToken(ctx context.Context, id int64, perms appauth.Permissions) (InstallationToken, error) {
	n, err := intID(id)
	if err != nil {
		return InstallationToken{}, fmt.Errorf("installation %d: %w", id, err)
	}
	if perms.Secrets == "" {
		return InstallationToken{}, errors.New("an installation token needs the organization_codespaces_secrets permission")
	}
	p := gen.AppPermissions{OrganizationCodespacesSecrets: new(gen.AppPermissionsOrganizationCodespacesSecrets(perms.Secrets))}
	if perms.Metadata != "" {
		p.Metadata = new(gen.AppPermissionsMetadata(perms.Metadata))
	}
	req := built(gen.NewAppsCreateInstallationAccessTokenRequest(c.server, n, gen.AppsCreateInstallationAccessTokenJSONRequestBody{Permissions: &p}))
	rsp, info, err := send(ctx, c, req, "", gen.ParseAppsCreateInstallationAccessTokenResponse)
	if info.status != http.StatusCreated {
		return InstallationToken{}, c.check(info, err, http.StatusCreated)
	}
	// A token was minted: whatever the body, the decoder's error is not
	// repeated, since it may quote the token.
	return c.minted(info, rsp)
}

// minted reads the token of a 201 answer to a token request. A body that
// is not the token GitHub documents is an *UnreadableTokenError that
// never quotes it, with the token the body still holds, if any.
func (c *Client) minted(info *answer, rsp *gen.AppsCreateInstallationAccessTokenResponse) (InstallationToken, error) {
	if rsp != nil && rsp.JSON201 != nil && rsp.JSON201.Token != "" {
		tok := InstallationToken{Token: rsp.JSON201.Token}
		tok.ExpiresAt, _ = time.Parse(time.RFC3339, rsp.JSON201.ExpiresAt)
		return tok, nil
	}
	tok := InstallationToken{Token: tokenIn(info.body)}
	return tok, &UnreadableTokenError{Request: info.method + " " + c.path(info), Size: len(info.body), Found: tok.Token != ""}
}

// UnreadableTokenError is GitHub's 201 answer to a token request whose
// body is not the installation token GitHub documents (it does not
// decode, or holds no token). Its message never quotes the body.
type UnreadableTokenError struct {
	Request string // such as "POST /app/installations/42/access_tokens"
	Size    int    // the body's length in bytes
	// Found says a token could still be read from the body: the
	// InstallationToken returned with the error holds it.
	Found bool
}

// Error says which answer could not be read, never quoting its body.
func (e *UnreadableTokenError) Error() string {
	if e.Found {
		return fmt.Sprintf("%s: GitHub answered 201 Created, but its body (%d bytes, not shown) is not the installation token GitHub documents, though a token could be read from it", e.Request, e.Size)
	}
	return fmt.Sprintf("%s: GitHub answered 201 Created, but its body (%d bytes, not shown) holds no installation token that could be read", e.Request, e.Size)
}

// tokenIn returns the string value of the "token" key of the JSON object
// body, read as far as the body goes (it may be cut short, or hold other
// keys of the wrong type), or "".
func tokenIn(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if key == "token" {
			v, _ := dec.Token()
			s, _ := v.(string)
			return s
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return ""
		}
	}
	return ""
}

// RevokeInstallationToken revokes the installation token the client holds.
//
// GitHub: DELETE /installation/token,
// https://docs.github.com/rest/apps/installations#revoke-an-installation-access-token
func (c *Client) RevokeInstallationToken(ctx context.Context) error {
	_, info, err := send(ctx, c, built(gen.NewAppsRevokeInstallationAccessTokenRequest(c.server)), "", gen.ParseAppsRevokeInstallationAccessTokenResponse)
	return c.check(info, err, http.StatusNoContent)
}

func installationFrom(in gen.Installation) Installation {
	out := Installation{ID: int64(in.ID), TargetType: in.TargetType}
	if in.SuspendedAt != nil {
		out.SuspendedAt = *in.SuspendedAt
	}
	if in.Account != nil {
		// A user's or an organization's account has a login; an
		// enterprise's has a slug instead, and leaves Account "".
		if u, err := in.Account.AsSimpleUser(); err == nil {
			out.Account = u.Login
		}
	}
	return out
}
