package fakegithub

import (
	"net/http"
	"testing"
)

const (
	classicToken   = "ghp_classicWithoutAdminOrg"
	adminToken     = "ghp_classicWithAdminOrg"
	readOnlyToken  = "github_pat_readOnly"
	readWriteToken = "github_pat_readWrite"
)

func TestTokenKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token, method, path string
		status                    int
		message                   string
		header                    map[string]string // answer headers wanted; "" wants none
	}{
		{"a classic token without admin:org gets 404 on the list", classicToken, http.MethodGet, "/orgs/acme/codespaces/secrets", 404, "Not Found",
			map[string]string{"X-Oauth-Scopes": "repo, read:org", "X-Accepted-Oauth-Scopes": "admin:org", "X-Accepted-Github-Permissions": ""}},
		{"a classic token without admin:org gets 404 on a write", classicToken, http.MethodPut, "/orgs/acme/codespaces/secrets/A", 404, "Not Found",
			map[string]string{"X-Oauth-Scopes": "repo, read:org"}},
		{"a classic token without admin:org reads repositories", classicToken, http.MethodGet, "/repos/acme/web", 200, "",
			map[string]string{"X-Oauth-Scopes": "repo, read:org", "X-Accepted-Oauth-Scopes": "repo"}},
		{"a classic token with admin:org writes", adminToken, http.MethodPut, "/orgs/acme/codespaces/secrets/A", 204, "",
			map[string]string{"X-Oauth-Scopes": "admin:org", "X-Accepted-Oauth-Scopes": "admin:org"}},
		{"a read-only fine-grained token reads", readOnlyToken, http.MethodGet, "/orgs/acme/codespaces/secrets/A", 200, "",
			map[string]string{"X-Accepted-Github-Permissions": "organization_codespaces_secrets=read", "X-Oauth-Scopes": ""}},
		{"a read-only fine-grained token reads the public key", readOnlyToken, http.MethodGet, "/orgs/acme/codespaces/secrets/public-key", 200, "", nil},
		{"a read-only fine-grained token reads repositories", readOnlyToken, http.MethodGet, "/repos/acme/web", 200, "",
			map[string]string{"X-Accepted-Github-Permissions": "metadata=read"}},
		{"a read-only fine-grained token gets 403 on a PUT", readOnlyToken, http.MethodPut, "/orgs/acme/codespaces/secrets/A", 403, "Resource not accessible by personal access token",
			map[string]string{"X-Accepted-Github-Permissions": "organization_codespaces_secrets=write", "X-Oauth-Scopes": ""}},
		{"a read-only fine-grained token gets 403 on a delete", readOnlyToken, http.MethodDelete, "/orgs/acme/codespaces/secrets/A", 403, "Resource not accessible by personal access token", nil},
		{"a read-write fine-grained token writes", readWriteToken, http.MethodPut, "/orgs/acme/codespaces/secrets/A", 204, "",
			map[string]string{"X-Accepted-Github-Permissions": "organization_codespaces_secrets=write"}},
		{"another organization is 404 for any kind", readWriteToken, http.MethodGet, "/orgs/other/codespaces/secrets", 404, "Not Found", nil},
		{"the default token keeps its rules", testToken, http.MethodGet, "/orgs/acme/codespaces/secrets/A", 200, "",
			map[string]string{"X-Oauth-Scopes": "admin:org, repo"}},
		{"an unknown token is still 401", "ghp_unknown", http.MethodGet, "/orgs/acme/codespaces/secrets", 401, "Bad credentials", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _ := start(t,
				WithClassicToken(classicToken, "repo", "read:org"), WithClassicToken(adminToken, "admin:org"),
				WithFineGrainedToken(readOnlyToken, ReadOnly), WithFineGrainedToken(readWriteToken, ReadWrite))
			srv.AddRepo("web")
			srv.AddSecret("A", "v", "all")
			c.token = tt.token
			var body any
			if tt.method == http.MethodPut {
				keyID, enc := seal(t, srv, "v")
				body = putBody{EncryptedValue: enc, KeyID: keyID, Visibility: "all"}
			}
			r := c.do(tt.method, tt.path, body).want(t, tt.status)
			if tt.message != "" {
				if e := r.apiErr(t); e.Message != tt.message {
					t.Errorf("message %q, want %q", e.Message, tt.message)
				}
			}
			for k, want := range tt.header {
				if got := r.header.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
				if _, present := r.header[http.CanonicalHeaderKey(k)]; want == "" && present {
					t.Errorf("%s is present, want none", k)
				}
			}
			if tt.status >= 400 {
				wantState(t, srv, "A", "v", "all") // nothing changed
			}
		})
	}
}
