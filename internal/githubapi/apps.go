// The GitHub App endpoints: finding an App's installations with its JWT,
// and minting and revoking installation tokens.

package githubapi

import (
	"context"
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
// perms.Metadata is set.
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
	if err := c.check(info, err, http.StatusCreated); err != nil {
		return InstallationToken{}, err
	}
	if rsp.JSON201 == nil || rsp.JSON201.Token == "" {
		return InstallationToken{}, c.decodeError(info, errors.New("it holds no token"))
	}
	tok := InstallationToken{Token: rsp.JSON201.Token}
	tok.ExpiresAt, _ = time.Parse(time.RFC3339, rsp.JSON201.ExpiresAt)
	return tok, nil
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
	if in.Account != nil {
		// A user's or an organization's account has a login; an
		// enterprise's has a slug instead, and leaves Account "".
		if u, err := in.Account.AsSimpleUser(); err == nil {
			out.Account = u.Login
		}
	}
	return out
}
