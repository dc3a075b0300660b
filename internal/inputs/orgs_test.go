package inputs

import (
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// appRaw is validRaw with GitHub App authentication instead of a token.
func appRaw(kv ...string) Raw {
	raw := validRaw(append([]string{"token", "", "app-id", "12345", "private-key", appauthtest.PKCS1()}, kv...)...)
	return raw
}

func TestParseSeveralOrganizations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		raw   Raw
		check func(t *testing.T, c Config)
	}{
		{"one organization is Org, as before", validRaw("name", "A", "value", "v"), func(t *testing.T, c Config) {
			wantEqual(t, c.Orgs, []string{"acme"})
			wantEqual(t, c.Org, "acme")
			wantEqual(t, c.Several(), false)
		}},
		{"several, comma- or newline-separated, repeats dropped", validRaw("name", "A", "value", "v", "org", "alpha, beta\ngamma\nALPHA\n"), func(t *testing.T, c Config) {
			wantEqual(t, c.Orgs, []string{"alpha", "beta", "gamma"})
			wantEqual(t, c.Org, "")
			wantEqual(t, c.Several(), true)
		}},
		{"bare repository names are kept for each organization", validRaw("name", "A", "value", "v", "org", "alpha,beta", "visibility", "selected", "repositories", "web"), func(t *testing.T, c Config) {
			wantEqual(t, c.Repositories, []secret.RepoRef{{Name: "web"}})
		}},
		{"an App id with a PKCS#1 key", appRaw("name", "A", "value", "v"), func(t *testing.T, c Config) {
			wantEqual(t, c.AppID, "12345")
			wantEqual(t, c.Token, "")
			wantEqual(t, c.PrivateKey.Equal(appauthtest.Key()), true)
		}},
		{"an App client id with a PKCS#8 key", appRaw("name", "A", "value", "v", "app-id", "Iv23liAbCdEf0123", "private-key", appauthtest.PKCS8()), func(t *testing.T, c Config) {
			wantEqual(t, c.AppID, "Iv23liAbCdEf0123")
		}},
		{"* with an App is every installation", appRaw("operation", "list", "org", "*"), func(t *testing.T, c Config) {
			wantEqual(t, c.AllOrgs, true)
			wantEqual(t, c.Several(), true)
			wantEqual(t, len(c.Orgs), 0)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(tt.raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseRejectsBadOrganizationsAndCredentials(t *testing.T) {
	t.Parallel()
	const keyLine = "MIIEpAIBAAKCAQEAzzzzzzzzzzzzzzzzzzzzzzzz"
	badKey := "-----BEGIN RSA PRIVATE KEY-----\n" + keyLine + "\n-----END RSA PRIVATE KEY-----\n"
	tests := []struct {
		name string
		raw  Raw
		want []string
	}{
		{"a token and an App", validRaw("operation", "list", "app-id", "12345", "private-key", appauthtest.PKCS1()), []string{"`token` and `app-id`/`private-key` are both given"}},
		{"an App id without a key", validRaw("operation", "list", "token", "", "app-id", "12345"), []string{"`private-key` is empty"}},
		{"a key without an App id", validRaw("operation", "list", "token", "", "private-key", appauthtest.PKCS1()), []string{"`app-id` is empty"}},
		{"an App id that is neither", appRaw("operation", "list", "app-id", "my-app"), []string{"`app-id`: \"my-app\" is neither"}},
		{"a damaged key", appRaw("operation", "list", "private-key", badKey), []string{"`private-key`: its RSA PRIVATE KEY block is damaged"}},
		{"a key given as the App id", appRaw("operation", "list", "app-id", badKey), []string{"`app-id` is neither a GitHub App's numeric id nor its client id", "the value is not shown"}},
		{"a token given as the App id", appRaw("operation", "list", "app-id", "ghp_"+keyLine[:36]), []string{"`app-id` is neither", "the value is not shown"}},
		{"* with a token", validRaw("operation", "list", "org", "*"), []string{"`org`: * (every organization the App is installed in) needs GitHub App authentication"}},
		{"* among logins", appRaw("operation", "list", "org", "alpha,*"), []string{"stands alone"}},
		{"one bad login among several", validRaw("operation", "list", "org", "alpha,be ta"), []string{"`org`: \"be ta\" is not a valid organization login"}},
		{"an owner's repository with several organizations", validRaw("name", "A", "value", "v", "org", "alpha,beta", "visibility", "selected", "repositories", "alpha/web"), []string{"`repositories`: \"alpha/web\" belongs to one organization"}},
		{"a repository id with several organizations", validRaw("name", "A", "value", "v", "org", "alpha,beta", "visibility", "selected", "repositories", "42"), []string{"`repositories`: \"42\" belongs to one organization"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.raw)
			wantMessages(t, err, tt.want...)
			if err != nil && strings.Contains(err.Error(), keyLine) {
				t.Errorf("the error repeats the private key: %v", err)
			}
		})
	}
}
