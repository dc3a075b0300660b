package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestParseAcceptedPermissionsReadsAlternativesAndSets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, header string
		want         [][]Permission
	}{
		{"empty", "", nil},
		{"one permission", "organization_codespaces_secrets=write", [][]Permission{{{"organization_codespaces_secrets", "write"}}}},
		{"alternatives split on semicolons", "repository_projects=write; organization_projects=admin",
			[][]Permission{{{"repository_projects", "write"}}, {{"organization_projects", "admin"}}}},
		{"a set split on commas", "organization_codespaces_secrets=read, metadata=read;members=read",
			[][]Permission{{{"organization_codespaces_secrets", "read"}, {"metadata", "read"}}, {{"members", "read"}}}},
		{"spaces around the equals sign, the commas and the semicolons", " organization_codespaces_secrets = write ;metadata =read ,  members=\tread ",
			[][]Permission{{{"organization_codespaces_secrets", "write"}}, {{"metadata", "read"}, {"members", "read"}}}},
		{"drops entries without a name or an access", " ; =read, x=, y ;z=write",
			[][]Permission{{{"z", "write"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseAcceptedPermissions(tc.header); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseAcceptedPermissions(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}

func TestDiagnosisNamesWhatTheTokenLacks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		header http.Header
		kind   TokenKind
		want   string
	}{
		{"fine-grained write", http.Header{"X-Accepted-Github-Permissions": {"organization_codespaces_secrets=write"}}, TokenFineGrained,
			`the token needs the organization permission "Organization codespaces secrets": Read and write`},
		{"fine-grained read and metadata, or another", http.Header{"X-Accepted-Github-Permissions": {"organization_codespaces_secrets=read,metadata=read; some_new=admin"}}, TokenApp,
			`the token needs the organization permission "Organization codespaces secrets": Read-only and the repository permission "Metadata": Read-only, or the permission "some_new": Admin`},
		{"an access level the settings pages do not name", http.Header{"X-Accepted-Github-Permissions": {"organization_codespaces_secrets=triage"}}, TokenFineGrained,
			`the token needs the organization permission "Organization codespaces secrets": "triage"`},
		{"classic without admin:org", http.Header{"X-Oauth-Scopes": {"repo, read:org"}, "X-Accepted-Oauth-Scopes": {"admin:org"}}, TokenClassic,
			"this classic personal access token has the scopes repo, read:org; these endpoints need admin:org: add it to the token"},
		{"classic without scopes", http.Header{"X-Oauth-Scopes": {""}, "X-Accepted-Oauth-Scopes": {"admin:org"}}, TokenUnknown,
			"this classic personal access token has no scopes; these endpoints need admin:org"},
		{"gh's token", http.Header{"X-Oauth-Scopes": {"gist, repo"}, "X-Accepted-Oauth-Scopes": {"admin:org"}}, TokenOAuth,
			"this OAuth app token has the scopes gist, repo; these endpoints need admin:org: for a token from `gh auth token`, run gh auth refresh -s admin:org"},
		{"classic with the scope", http.Header{"X-Oauth-Scopes": {"admin:org"}, "X-Accepted-Oauth-Scopes": {"admin:org"}}, TokenClassic,
			"this classic personal access token has the scopes admin:org, which these endpoints accept (admin:org), so the scopes are not what is missing"},
		{"neither header", http.Header{}, TokenUnknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Error{StatusCode: http.StatusForbidden}
			e.readRefusalHeaders(tc.header)
			got := e.Diagnosis(tc.kind)
			if tc.want == "" && got != "" || len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
				t.Errorf("Diagnosis =\n%q\nwant it to start with\n%q", got, tc.want)
			}
		})
	}
}

func TestKindOfReadsThePrefixThenTheHeaders(t *testing.T) {
	t.Parallel()
	classicAnswer := &Error{HasOAuthScopes: true}
	for _, tc := range []struct {
		token string
		e     *Error
		want  TokenKind
	}{
		{"ghp_abc", nil, TokenClassic},
		{"gho_abc", classicAnswer, TokenOAuth},
		{"github_pat_abc", nil, TokenFineGrained},
		{"ghs_abc", nil, TokenApp},
		{"ghu_abc", nil, TokenAppUser},
		{"0123456789abcdef", classicAnswer, TokenClassic},
		{"0123456789abcdef", &Error{}, TokenUnknown},
		{"0123456789abcdef", nil, TokenUnknown},
	} {
		if got := KindOf(tc.token, tc.e); got != tc.want {
			t.Errorf("KindOf(%q) = %v, want %v", tc.token, got, tc.want)
		}
	}
}

func TestRefusedIsAPermissionRefusalOnly(t *testing.T) {
	t.Parallel()
	lacking := &Error{StatusCode: 404, HasOAuthScopes: true, OAuthScopes: []string{"repo"}, AcceptedOAuthScopes: []string{"admin:org"}}
	having := &Error{StatusCode: 404, HasOAuthScopes: true, OAuthScopes: []string{"admin:org"}, AcceptedOAuthScopes: []string{"write:org"}}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"401", &Error{StatusCode: 401}, true},
		{"403", fmt.Errorf("wrapped: %w", &Error{StatusCode: 403}), true},
		{"403 of a rate limit", &Error{StatusCode: 403, RateLimitReset: time.Unix(1700000000, 0)}, false},
		{"404 of a classic token without the scope", lacking, true},
		{"404 of a classic token whose scope includes the one wanted", having, false},
		{"plain 404", &Error{StatusCode: 404}, false},
		{"422", &Error{StatusCode: 422}, false},
		{"not an API error", errors.New("connection reset"), false},
	} {
		if got := Refused(tc.err); got != tc.want {
			t.Errorf("%s: Refused = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAnErrorCarriesThePermissionHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("PUT", fooPath+"/repositories", reply(403, `{"message":"Resource not accessible by personal access token"}`,
		"X-Accepted-GitHub-Permissions", "organization_codespaces_secrets=write"))
	err := f.client.SetSelectedRepos(context.Background(), testOrg, "FOO", []int64{1})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	want := [][]Permission{{{"organization_codespaces_secrets", "write"}}}
	if !reflect.DeepEqual(e.AcceptedPermissions, want) || e.HasOAuthScopes {
		t.Errorf("AcceptedPermissions = %v, HasOAuthScopes = %v; want %v, false", e.AcceptedPermissions, e.HasOAuthScopes, want)
	}
	if !Refused(err) {
		t.Error("Refused = false for a 403 with the permission header")
	}
}
