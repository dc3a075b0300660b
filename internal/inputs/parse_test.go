package inputs

import (
	"reflect"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	exactly48KB := strings.Repeat("x", MaxValueBytes)
	tests := []struct {
		name  string
		raw   Raw
		check func(t *testing.T, c Config)
	}{
		{"set takes a name and a value", validRaw("name", "NPM_TOKEN", "value", "v"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpSet)
			wantEqual(t, c.Names, []secret.Name{"NPM_TOKEN"})
			wantEqual(t, c.Secrets, []SecretValue{{"NPM_TOKEN", "v"}})
			wantEqual(t, c.Token, "ghp_0123456789abcdef")
			wantEqual(t, c.Org, "acme")
			wantEqual(t, c.APIURL.String(), "https://api.github.com")
			wantEqual(t, c.Manifest, ".github/codespaces-secrets.yml")
		}},
		{"the value is kept byte for byte", validRaw("name", "A", "value", "  two\nlines \n"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", "  two\nlines \n"}})
		}},
		{"set takes secrets alone", validRaw("secrets", "A=1\nB<<EOF\nx\ny\nEOF\n"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", "1"}, {"B", "x\ny"}})
			wantEqual(t, len(c.Names), 0)
		}},
		{"set combines name and value with secrets, name first", validRaw("name", "A", "value", "1", "secrets", "B=2"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", "1"}, {"B", "2"}})
		}},
		{"an empty value is accepted with allow-empty", validRaw("name", "A", "allow-empty", "true"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", ""}})
			wantEqual(t, c.AllowEmpty, true)
		}},
		{"an empty value in secrets is accepted with allow-empty", validRaw("secrets", "A=", "allow-empty", "TRUE"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", ""}})
		}},
		{"a whitespace-only value is accepted, byte for byte, with allow-empty", validRaw("name", "A", "value", " \n", "allow-empty", "true"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", " \n"}})
		}},
		{"a value of exactly 48 KB is accepted", validRaw("name", "A", "value", exactly48KB), func(t *testing.T, c Config) {
			wantEqual(t, len(c.Secrets[0].Value), MaxValueBytes)
		}},
		{"visibility is lower-cased", validRaw("name", "A", "value", "v", "visibility", "Selected"), func(t *testing.T, c Config) {
			wantEqual(t, c.Visibility, secret.Selected)
		}},
		{"visibility is trimmed", validRaw("name", "A", "value", "v", "visibility", " private\n"), func(t *testing.T, c Config) {
			wantEqual(t, c.Visibility, secret.Private)
		}},
		{"a visibility of white space keeps the existing one", validRaw("name", "A", "value", "v", "visibility", " "), func(t *testing.T, c Config) {
			wantEqual(t, c.Visibility, secret.Visibility(""))
		}},
		{"an empty visibility keeps the existing one", validRaw("name", "A", "value", "v"), func(t *testing.T, c Config) {
			wantEqual(t, c.Visibility, secret.Visibility(""))
			wantEqual(t, c.RepositoriesGiven, false)
		}},
		{"repositories without a visibility are accepted", validRaw("name", "A", "value", "v", "repositories", "web, ACME/api\n42"), func(t *testing.T, c Config) {
			wantEqual(t, c.RepositoriesGiven, true)
			wantEqual(t, c.Repositories, []secret.RepoRef{{Owner: "acme", Name: "web"}, {Owner: "acme", Name: "api"}, {ID: 42}})
		}},
		{"repositories with visibility selected are accepted", validRaw("name", "A", "value", "v", "visibility", "selected", "repositories", "web"), func(t *testing.T, c Config) {
			wantEqual(t, c.Repositories, []secret.RepoRef{{Owner: "acme", Name: "web"}})
		}},
		{"delete takes several names, newline- or comma-separated", validRaw("operation", "delete", "name", "A\nB, C\n"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpDelete)
			wantEqual(t, c.Names, []secret.Name{"A", "B", "C"})
			wantEqual(t, len(c.Secrets), 0)
		}},
		{"get takes several names", validRaw("operation", "get", "name", "A,B"), func(t *testing.T, c Config) {
			wantEqual(t, c.Names, []secret.Name{"A", "B"})
		}},
		{"list takes no name", validRaw("operation", "list"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpList)
		}},
		{"public-key takes no name", validRaw("operation", "public-key"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpPublicKey)
		}},
		{"list-repositories takes one name", validRaw("operation", "list-repositories", "name", "A"), func(t *testing.T, c Config) {
			wantEqual(t, c.Names, []secret.Name{"A"})
		}},
		{"add-repositories takes names and repositories", validRaw("operation", "add-repositories", "name", "A,B", "repositories", "web,web,123"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpAddRepositories)
			wantEqual(t, c.Names, []secret.Name{"A", "B"})
			wantEqual(t, c.Repositories, []secret.RepoRef{{Owner: "acme", Name: "web"}, {ID: 123}})
		}},
		{"set-repositories takes names and repositories", validRaw("operation", "set-repositories", "name", "A", "repositories", "web"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpSetRepositories)
		}},
		{"remove-repositories takes names and repositories", validRaw("operation", "remove-repositories", "name", "A", "repositories", "web"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpRemoveRepositories)
		}},
		{"sync takes the manifest and prune", validRaw("operation", "sync", "prune", "true", "manifest", "secrets.yml"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpSync)
			wantEqual(t, c.Prune, true)
			wantEqual(t, c.Manifest, "secrets.yml")
		}},
		{"sync takes values from secrets and from name and value", validRaw("operation", "sync", "name", "A", "value", "1", "secrets", "B=2"), func(t *testing.T, c Config) {
			wantEqual(t, c.Secrets, []SecretValue{{"A", "1"}, {"B", "2"}})
		}},
		{"sync needs no value", validRaw("operation", "sync"), func(t *testing.T, c Config) {
			wantEqual(t, len(c.Secrets), 0)
		}},
		{"the operation is case-insensitive", validRaw("operation", "List"), func(t *testing.T, c Config) {
			wantEqual(t, c.Operation, OpList)
		}},
		{"bools accept True, TRUE and true", validRaw("name", "A", "value", "v", "dry-run", "True", "allow-empty", "TRUE"), func(t *testing.T, c Config) {
			wantEqual(t, c.DryRun, true)
			wantEqual(t, c.AllowEmpty, true)
		}},
		{"bools accept False and FALSE", validRaw("name", "A", "value", "v", "dry-run", "False", "allow-empty", "FALSE"), func(t *testing.T, c Config) {
			wantEqual(t, c.DryRun, false)
			wantEqual(t, c.AllowEmpty, false)
		}},
		{"an empty bool is false", validRaw("name", "A", "value", "v", "dry-run", ""), func(t *testing.T, c Config) {
			wantEqual(t, c.DryRun, false)
		}},
		{"ordinary inputs are trimmed", validRaw("org", " acme\n", "name", " A ", "value", "v", "operation", " set "), func(t *testing.T, c Config) {
			wantEqual(t, c.Org, "acme")
			wantEqual(t, c.Names, []secret.Name{"A"})
		}},
		{"api-url loses its final slash", validRaw("operation", "list", "api-url", "https://ghe.example.com/api/v3/"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "https://ghe.example.com/api/v3")
		}},
		{"api-url may use http on a loopback host", validRaw("operation", "list", "api-url", "http://127.0.0.1:8080/api/v3"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "http://127.0.0.1:8080/api/v3")
		}},
		{"api-url may use http on localhost", validRaw("operation", "list", "api-url", "http://localhost:1/"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "http://localhost:1")
		}},
		{"api-url may use http on 127.0.0.0/8", validRaw("operation", "list", "api-url", "http://127.1.2.3:8080/api"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "http://127.1.2.3:8080/api")
		}},
		{"api-url may use http on ::1", validRaw("operation", "list", "api-url", "http://[::1]:9000"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "http://[::1]:9000")
		}},
		{"api-url may be a GHE.com subdomain", validRaw("operation", "list", "api-url", "https://api.octocorp.ghe.com"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "https://api.octocorp.ghe.com")
		}},
		{"api-url's scheme and host are lower-cased", validRaw("operation", "list", "api-url", "HTTPS://API.GitHub.com/"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "https://api.github.com")
		}},
		{"api-url keeps an explicit port", validRaw("operation", "list", "api-url", "https://api.github.com:443"), func(t *testing.T, c Config) {
			wantEqual(t, c.APIURL.String(), "https://api.github.com:443")
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

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tooBig := strings.Repeat("x", MaxValueBytes+1)
	tests := []struct {
		name string
		raw  Raw
		want []string // pieces the errors must contain
	}{
		// token, org, operation
		{"a missing token says where a token comes from", validRaw("name", "A", "value", "v", "token", ""), []string{"`token` is empty", "GH_TOKEN", "admin:org"}},
		{"a token with a line break", validRaw("name", "A", "value", "v", "token", "ghp_a\nghp_b"), []string{"`token` contains"}},
		{"a missing org", validRaw("name", "A", "value", "v", "org", ""), []string{"`org` is empty"}},
		{"an org given as owner/repo", validRaw("name", "A", "value", "v", "org", "acme/web"), []string{"`org`: \"acme/web\"", "login alone"}},
		{"an org that is not a login", validRaw("name", "A", "value", "v", "org", "ac me"), []string{"`org`: \"ac me\" is not a valid organization login"}},
		{"an org that is too long", validRaw("name", "A", "value", "v", "org", strings.Repeat("a", 40)), []string{"`org`", "1 to 39"}},
		{"an unknown operation lists the valid ones", validRaw("operation", "rotate", "name", "A"), []string{"`operation`: \"rotate\" is not an operation", "set, set-visibility, delete, get, list, public-key, list-repositories, set-repositories, add-repositories, remove-repositories, sync"}},
		{"an empty operation lists the valid ones", validRaw("operation", ""), []string{"`operation` is empty: use one of set, set-visibility, delete"}},

		// names
		{"a name starting with a digit", validRaw("name", "1BAD", "value", "v"), []string{"`name`: \"1BAD\" is not a valid secret name", "must not start with a digit"}},
		{"a name starting with GITHUB_ in any case", validRaw("name", "github_token", "value", "v"), []string{"`name`: \"github_token\"", "must not start with GITHUB_"}},
		{"a name with a hyphen", validRaw("name", "MY-SECRET", "value", "v"), []string{"`name`: \"MY-SECRET\"", "letters, digits and underscores"}},
		{"names equal ignoring case", validRaw("operation", "delete", "name", "Abc,ABC"), []string{"`name`: \"Abc\" and \"ABC\" are the same secret"}},
		{"names equal ignoring case in secrets", validRaw("secrets", "A=1\na=2"), []string{"`secrets`: line 2", "line 1 has the same name"}},
		{"a name in both name and secrets", validRaw("name", "A", "value", "1", "secrets", "a=2"), []string{"`secrets`: \"A\" is also given in `name`"}},
		{"an invalid name in secrets gives the line", validRaw("secrets", "B=1\n\nGITHUB_X=2"), []string{"`secrets`: line 3", "GITHUB_"}},

		// values
		{"set without a name or secrets", validRaw(), []string{"`name` is empty: operation set needs `name` and `value`, or `secrets`"}},
		{"set with a value but no name", validRaw("value", "v"), []string{"`value` needs a `name`"}},
		{"set with two names and a value", validRaw("name", "A,B", "value", "v"), []string{"`name`: operation set takes one name, with `value`, not 2", "`secrets`"}},
		{"an empty value", validRaw("name", "A", "value", ""), []string{"`value`: the value of secret \"A\" is empty (or only whitespace)", "allow-empty: true"}},
		{"a value that is only the newline of a block scalar around an unset secret", validRaw("name", "A", "value", "\n"), []string{"`value`: the value of secret \"A\" is empty (or only whitespace)"}},
		{"a value of spaces", validRaw("name", "A", "value", "  \t"), []string{"`value`: the value of secret \"A\" is empty (or only whitespace)"}},
		{"an empty value in secrets", validRaw("secrets", "A=1\nB="), []string{"`secrets`: the value of secret \"B\" is empty", "allow-empty"}},
		{"a value of spaces in secrets", validRaw("secrets", "A=1\nB= "), []string{"`secrets`: the value of secret \"B\" is empty (or only whitespace)"}},
		{"a value over 48 KB", validRaw("name", "A", "value", tooBig), []string{"`value`: the value of secret \"A\" is 49153 bytes", "48 KB"}},
		{"a value in secrets over 48 KB", validRaw("secrets", "A="+tooBig), []string{"`secrets`: the value of secret \"A\" is 49153 bytes"}},
		{"a secrets block that is never ended", validRaw("secrets", "A<<EOF\nx"), []string{"`secrets`: line 1", "never ended"}},

		// inputs an operation does not take, or needs
		{"delete with a value", validRaw("operation", "delete", "name", "A", "value", "v"), []string{"`value`: operation delete does not take a value: remove it"}},
		{"delete with secrets", validRaw("operation", "delete", "name", "A", "secrets", "A=1"), []string{"`secrets`: operation delete does not take secrets: remove it"}},
		{"delete without a name", validRaw("operation", "delete"), []string{"`name` is empty: operation delete needs the secret's name (several: newline- or comma-separated)"}},
		{"get without a name", validRaw("operation", "get"), []string{"`name` is empty: operation get"}},
		{"get with a visibility", validRaw("operation", "get", "name", "A", "visibility", "all"), []string{"`visibility`: operation get does not take a visibility: remove it"}},
		{"get with repositories", validRaw("operation", "get", "name", "A", "repositories", "web"), []string{"`repositories`: operation get does not take repositories: remove it"}},
		{"list with a name", validRaw("operation", "list", "name", "A"), []string{"`name`: operation list does not take a name: remove it, or use operation get"}},
		{"public-key with a value", validRaw("operation", "public-key", "value", "v"), []string{"`value`: operation public-key does not take a value"}},
		{"list-repositories without a name", validRaw("operation", "list-repositories"), []string{"`name` is empty: operation list-repositories needs the secret's name"}},
		{"list-repositories with two names", validRaw("operation", "list-repositories", "name", "A,B"), []string{"`name`: operation list-repositories takes exactly one name, not 2"}},
		{"add-repositories without repositories", validRaw("operation", "add-repositories", "name", "A"), []string{"`repositories` is empty: operation add-repositories needs the repositories"}},
		{"remove-repositories without a name", validRaw("operation", "remove-repositories", "repositories", "web"), []string{"`name` is empty: operation remove-repositories"}},
		{"set-repositories with a visibility", validRaw("operation", "set-repositories", "name", "A", "repositories", "web", "visibility", "selected"), []string{"`visibility`: operation set-repositories does not take a visibility", "operation set-visibility changes"}},
		{"set-repositories with a value", validRaw("operation", "set-repositories", "name", "A", "repositories", "web", "value", "v"), []string{"`value`: operation set-repositories does not take a value"}},
		{"sync with a visibility", validRaw("operation", "sync", "visibility", "all"), []string{"`visibility`: operation sync takes each secret's visibility from the manifest"}},
		{"sync with repositories", validRaw("operation", "sync", "repositories", "web"), []string{"`repositories`: operation sync takes each secret's repositories from the manifest"}},
		{"sync without a manifest", validRaw("operation", "sync", "manifest", " "), []string{"`manifest` is empty: operation sync needs the manifest's path"}},
		{"prune without sync", validRaw("name", "A", "value", "v", "prune", "true"), []string{"`prune` applies only to operation sync"}},

		// visibility and repositories
		{"an unknown visibility lists the valid ones", validRaw("name", "A", "value", "v", "visibility", "public"), []string{"`visibility`: \"public\" is not a visibility: use all, private or selected"}},
		{"repositories with visibility private", validRaw("name", "A", "value", "v", "visibility", "private", "repositories", "web"), []string{"`repositories` can only be given for a secret with visibility selected, not private", "`visibility: selected`"}},
		{"repositories with visibility all", validRaw("name", "A", "value", "v", "visibility", "ALL", "repositories", "web"), []string{"`repositories` can only be given for a secret with visibility selected, not all"}},
		{"a repository of another organization", validRaw("name", "A", "value", "v", "repositories", "acme-labs/web"), []string{"`repositories`: repository \"acme-labs/web\" is not in organization \"acme\""}},
		{"a repository name with a space", validRaw("name", "A", "value", "v", "repositories", "my web"), []string{"`repositories`: \"my web\" is not a valid repository name"}},
		{"a repository id of zero", validRaw("name", "A", "value", "v", "repositories", "0"), []string{"`repositories`: \"0\" is not a valid repository id"}},
		{"a repository URL", validRaw("name", "A", "value", "v", "repositories", "https://github.com/acme/web"), []string{"`repositories`: \"https://github.com/acme/web\" is not a repository reference", "not a URL"}},

		// bools
		{"a bool that is not true or false", validRaw("name", "A", "value", "v", "dry-run", "yes please"), []string{"`dry-run`: \"yes please\" is not a boolean: use true or false"}},
		{"yes is not a boolean in YAML 1.2", validRaw("name", "A", "value", "v", "allow-empty", "yes"), []string{"`allow-empty`: \"yes\" is not a boolean"}},
		{"a mixed-case boolean is refused", validRaw("operation", "sync", "prune", "tRUE"), []string{"`prune`: \"tRUE\" is not a boolean"}},

		// api-url
		{"an empty api-url", validRaw("operation", "list", "api-url", ""), []string{"`api-url` is empty: use https://api.github.com"}},
		{"an http api-url that is not loopback", validRaw("operation", "list", "api-url", "http://github.example.com/api/v3"), []string{"`api-url`: \"http://github.example.com/api/v3\" uses plain http", "use https"}},
		{"an api-url with another scheme", validRaw("operation", "list", "api-url", "ftp://api.github.com"), []string{"`api-url`: \"ftp://api.github.com\" has scheme \"ftp\""}},
		{"an api-url that is not absolute", validRaw("operation", "list", "api-url", "api.github.com"), []string{"`api-url`: \"api.github.com\" is not an absolute URL"}},
		{"an api-url with a query", validRaw("operation", "list", "api-url", "https://api.github.com/?x=1"), []string{"`api-url`: \"https://api.github.com/?x=1\" has a query"}},
		{"the website as api-url", validRaw("operation", "list", "api-url", "https://github.com"), []string{"`api-url`: \"https://github.com\" is GitHub's website, not its API: use https://api.github.com"}},
		{"an http api-url on a private address", validRaw("operation", "list", "api-url", "http://10.0.0.1"), []string{"`api-url`: \"http://10.0.0.1\" uses plain http"}},
		{"an http api-url whose host only looks like localhost", validRaw("operation", "list", "api-url", "http://localhost.example.com"), []string{"`api-url`: \"http://localhost.example.com\" uses plain http"}},
		{"an api-url in upper case with another scheme", validRaw("operation", "list", "api-url", "FTP://api.github.com"), []string{"`api-url`: \"FTP://api.github.com\" has scheme \"ftp\""}},
		{"an api-url that does not parse", validRaw("operation", "list", "api-url", "https://[::1"), []string{"`api-url`: \"https://[::1\" is not an absolute URL"}},
		{"the website with www as api-url", validRaw("operation", "list", "api-url", "https://WWW.github.com/"), []string{"`api-url`: \"https://WWW.github.com/\" is GitHub's website"}},
		{"an api-url with user information", validRaw("operation", "list", "api-url", "https://x-access-token@ghe.example.com/api/v3"), []string{"`api-url` must not contain a user name or password: give the token in `token`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(tt.raw)
			wantMessages(t, err, tt.want...)
			if !reflect.DeepEqual(c, Config{}) {
				t.Errorf("Parse returned a Config with its error: %+v", c)
			}
			for _, m := range messages(err) {
				if !strings.HasPrefix(m, "`") {
					t.Errorf("error %q does not start with the input's name in backquotes", m)
				}
			}
		})
	}
}

func TestParseReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	raw := validRaw(
		"token", "",
		"org", "acme/web",
		"name", "1BAD",
		"value", "",
		"visibility", "public",
		"repositories", "bad name",
		"dry-run", "maybe",
		"prune", "true",
		"api-url", "http://example.com",
	)
	_, err := Parse(raw)
	wantMessages(t, err, "`token`", "`org`", "`name`", "`value`", "`visibility`", "`repositories`", "`dry-run`", "`prune`", "`api-url`")
	if n := len(messages(err)); n != 9 {
		t.Errorf("%d errors, want one per problem (9):\n%s", n, strings.Join(messages(err), "\n"))
	}
}

func TestParseWithAnUnknownOperationStillChecksTheOtherInputs(t *testing.T) {
	t.Parallel()
	_, err := Parse(validRaw("operation", "rotate", "name", "GITHUB_X", "visibility", "public", "dry-run", "1"))
	wantMessages(t, err, "`operation`", "`name`: \"GITHUB_X\"", "`visibility`: \"public\"", "`dry-run`: \"1\"")
}

func TestParseErrorsNeverContainAValue(t *testing.T) {
	t.Parallel()
	huge := canary + strings.Repeat("y", MaxValueBytes)
	tests := []struct {
		name string
		raw  Raw
	}{
		{"a value given to delete", validRaw("operation", "delete", "name", "A", "value", canary)},
		{"a value without a name", validRaw("value", canary)},
		{"a value with two names", validRaw("name", "A,B", "value", canary)},
		{"a value over 48 KB", validRaw("name", "A", "value", huge)},
		{"a value with a bad name", validRaw("name", "1A", "value", canary)},
		{"a value next to a bad visibility", validRaw("name", "A", "value", canary, "visibility", "public")},
		{"secrets given to list", validRaw("operation", "list", "secrets", "A="+canary)},
		{"a secret over 48 KB", validRaw("secrets", "A="+huge)},
		{"a value line without NAME=", validRaw("secrets", "A=1\n"+canary)},
		{"a block that is never ended", validRaw("secrets", "A<<EOF\n"+canary+"\nEOF ")},
		{"a value as the name", validRaw("secrets", canary+"=x")},
		{"a value as the delimiter", validRaw("secrets", "A<<"+canary+"\nx")},
		{"a value in a duplicate", validRaw("secrets", "A="+canary+"\na="+canary)},
		{"a value in a GITHUB_ secret", validRaw("secrets", "GITHUB_A="+canary)},
		{"a token with a space", validRaw("operation", "list", "token", canary+" x")},
		{"a token with a line break", validRaw("operation", "list", "token", "ghp_abc\n"+canary)},
		{"a token with a tab", validRaw("operation", "list", "token", "ghp_abc\t"+canary)},
		{"credentials in api-url", validRaw("operation", "list", "api-url", "https://user:"+canary+"@ghe.example.com/api/v3")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.raw)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "c4n4ry") {
				t.Errorf("the error repeats the value:\n%v", err)
			}
		})
	}
}

// wantEqual fails unless got and want are deeply equal.
func wantEqual[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}
