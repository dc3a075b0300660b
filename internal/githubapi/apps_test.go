package githubapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth"
)

func TestListInstallationsReadsEveryPageOfABareArray(t *testing.T) {
	f := setup(t)
	f.onQuery("GET", "/app/installations", "per_page=100",
		reply(200, `[{"id":1,"account":{"login":"alpha","id":1},"app_id":1,"target_type":"Organization","permissions":{}}]`,
			"Link", `<`+testBase+`/app/installations?per_page=100&page=2>; rel="next"`))
	f.onQuery("GET", "/app/installations", "per_page=100&page=2",
		reply(200, `[{"id":2,"account":{"login":"beta","id":2},"app_id":1,"target_type":"Organization","permissions":{}}]`))
	got, err := f.client.ListInstallations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Account != "alpha" || got[1].ID != 2 || got[1].TargetType != "Organization" {
		t.Errorf("installations = %+v", got)
	}
}

func TestAnInstallationOnAnEnterpriseHasNoLogin(t *testing.T) {
	f := setup(t)
	f.on("GET", "/orgs/alpha/installation",
		reply(200, `{"id":3,"account":{"id":42,"name":"Octo Business","slug":"octo-business"},"app_id":1,"target_type":"Enterprise","permissions":{}}`))
	got, err := f.client.GetOrgInstallation(t.Context(), "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != 3 || got.Account != "" || got.TargetType != "Enterprise" {
		t.Errorf("installation = %+v, want id 3 on an enterprise, with no login", got)
	}
}

func TestCreateInstallationTokenAsksForExactlyThePermissions(t *testing.T) {
	tests := []struct {
		name  string
		perms appauth.Permissions
		want  string
	}{
		{"read", appauth.Needed(false, false), `{"permissions":{"organization_codespaces_secrets":"read"}}`},
		{"write with metadata", appauth.Needed(true, true), `{"permissions":{"metadata":"read","organization_codespaces_secrets":"write"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.on("POST", "/app/installations/42/access_tokens", check(reply(201, `{"token":"ghs_minted","expires_at":"2026-01-02T04:04:05Z"}`), func(r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				var got, want any
				_ = json.Unmarshal(b, &got)
				_ = json.Unmarshal([]byte(tt.want), &want)
				gb, _ := json.Marshal(got)
				wb, _ := json.Marshal(want)
				if string(gb) != string(wb) {
					t.Errorf("body %s, want %s", b, tt.want)
				}
			}))
			tok, err := f.client.CreateInstallationToken(t.Context(), 42, tt.perms)
			if err != nil || tok.Token != "ghs_minted" || tok.ExpiresAt.IsZero() {
				t.Errorf("token %+v, %v", tok, err)
			}
		})
	}
}

func TestAppCallsReportGitHubsRefusals(t *testing.T) {
	f := setup(t)
	f.on("GET", "/orgs/gamma/installation", reply(404, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`))
	f.on("DELETE", "/installation/token", reply(204, ""))
	_, err := f.client.GetOrgInstallation(t.Context(), "gamma")
	if StatusCode(err) != http.StatusNotFound {
		t.Errorf("err = %v, want a 404", err)
	}
	if err := f.client.RevokeInstallationToken(t.Context()); err != nil {
		t.Errorf("revoke: %v", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Error("the error repeats the token")
	}
}

func TestATokenAnswerThatDoesNotDecodeIsNeverQuoted(t *testing.T) {
	tests := []struct {
		name, contentType, body, want string
	}{
		{"a field of the wrong type", "application/json", `{"token":"ghs_minted","expires_at":5}`, "ghs_minted"},
		{"the token after a field of the wrong type", "application/json", `{"permissions":[1],"token":"ghs_minted"}`, "ghs_minted"},
		{"cut short after the token", "application/json", `{"token":"ghs_minted","expires_at":"2026-01-`, "ghs_minted"},
		{"not labelled JSON", "text/plain", ` {"token":"ghs_minted"}`, "ghs_minted"},
		{"cut short in the token", "application/json", `{"token":"ghs_mint`, ""},
		{"a token that is not a string", "application/json", `{"token":["ghs_minted"]}`, ""},
		{"no token", "application/json", `{"expires_at":"2026-01-02T04:04:05Z"}`, ""},
		{"not JSON", "text/html", `<html>ghs_minted</html>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.on("POST", "/app/installations/42/access_tokens", reply(201, tt.body, "Content-Type", tt.contentType))
			tok, err := f.client.CreateInstallationToken(t.Context(), 42, appauth.Needed(true, false))
			var unreadable *UnreadableTokenError
			if !errors.As(err, &unreadable) {
				t.Fatalf("err = %v, want an *UnreadableTokenError", err)
			}
			if tok.Token != tt.want || unreadable.Found != (tt.want != "") {
				t.Errorf("token %q (found %v), want %q", tok.Token, unreadable.Found, tt.want)
			}
			for _, part := range []string{"ghs_", "mint", "expires", "html", "permissions"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("the error quotes the body (%q): %v", part, err)
				}
			}
			if !strings.Contains(err.Error(), "POST /app/installations/42/access_tokens") || !strings.Contains(err.Error(), "201") {
				t.Errorf("the error does not say which answer failed: %v", err)
			}
		})
	}
}
