package githubapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// validKey is standard base64 of 32 bytes.
var validKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

const (
	secretsPath = "/orgs/acme/codespaces/secrets"
	fooPath     = "/orgs/acme/codespaces/secrets/FOO"
	reposPath   = "/orgs/acme/codespaces/secrets/FOO/repositories"
)

func TestListSecretsFollowsLinkHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t)
	page := func(n int) string { return fmt.Sprintf("%s%s?per_page=100&page=%d", testBase, secretsPath, n) }
	f.onQuery("GET", secretsPath, "per_page=100", check(
		reply(200, secretsPage(3, "A"), "Link", link("next", page(2), "last", page(3))),
		func(r *http.Request) { testQuery(t, r, "per_page=100") },
	))
	f.onQuery("GET", secretsPath, "per_page=100&page=2", reply(200, secretsPage(3, "B"), "Link", link("prev", page(1), "next", page(3), "last", page(3), "first", page(1))))
	f.onQuery("GET", secretsPath, "per_page=100&page=3", reply(200, secretsPage(3, "C"), "Link", link("prev", page(2), "first", page(1))))

	got, err := f.client.ListSecrets(context.Background(), testOrg)
	if err != nil {
		t.Fatal(err)
	}
	created, updated := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	want := []secret.Secret{
		{Name: "A", Visibility: "private", CreatedAt: created, UpdatedAt: updated},
		{Name: "B", Visibility: "private", CreatedAt: created, UpdatedAt: updated},
		{Name: "C", Visibility: "private", CreatedAt: created, UpdatedAt: updated},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListSecrets =\n%+v\nwant\n%+v", got, want)
	}
	f.calls(map[string]int{
		"GET " + secretsPath + "?per_page=100":        1,
		"GET " + secretsPath + "?page=2&per_page=100": 1,
		"GET " + secretsPath + "?page=3&per_page=100": 1,
	})
	if s := f.client.Stats(); s != (Stats{Requests: 3}) {
		t.Errorf("Stats = %+v, want 3 requests", s)
	}
}

func TestListSecretsStopsAtTheMaxPages(t *testing.T) {
	t.Parallel()
	f := setup(t, WithMaxPages(2))
	page := func(n int) string { return fmt.Sprintf("%s%s?page=%d&per_page=100", testBase, secretsPath, n) }
	f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(3, "A"), "Link", link("next", page(2))))
	f.onQuery("GET", secretsPath, "per_page=100&page=2", reply(200, secretsPage(3, "B"), "Link", link("next", page(3))))
	_, err := f.client.ListSecrets(context.Background(), testOrg)
	wantErr(t, err, `organization "acme"`, "after 2 pages (2 items)")
	f.calls(map[string]int{
		"GET " + secretsPath + "?per_page=100":        1,
		"GET " + secretsPath + "?page=2&per_page=100": 1,
	})
}

func TestListSecretsRefusesBadNextLinks(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, next, want string }{
		{"refuses a link back to the page just read", testBase + secretsPath + "?per_page=100", "already read"},
		{"refuses a plain http link", "http://ghes.example.com/api/v3/orgs/acme/codespaces/secrets?page=2", `pointed elsewhere: its next-page link goes to "http://ghes.example.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(2, "A"), "Link", link("next", tt.next)))
			_, err := f.client.ListSecrets(context.Background(), testOrg)
			wantErr(t, err, tt.want)
			f.calls(map[string]int{"GET " + secretsPath + "?per_page=100": 1})
		})
	}
}

func TestListSecretsResolvesARelativeNextLink(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(2, "A"), "Link", `<secrets?page=2&per_page=100>; rel="next"`))
	f.onQuery("GET", secretsPath, "page=2&per_page=100", reply(200, secretsPage(2, "B")))
	got, err := f.client.ListSecrets(context.Background(), testOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("secrets = %d, want 2", len(got))
	}
}

func TestListSelectedReposFollowsLinkHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t)
	repo := func(id int, name string) string {
		return fmt.Sprintf(`{"id":%d,"node_id":"R_%d","name":%q,"full_name":"acme/%s","private":true,"owner":{"id":1,"login":"acme"}}`, id, id, name, name)
	}
	next := testBase + reposPath + "?page=2&per_page=100"
	f.onQuery("GET", reposPath, "per_page=100", reply(200, `{"total_count":2,"repositories":[`+repo(11, "web")+`]}`, "Link", link("next", next)))
	f.onQuery("GET", reposPath, "page=2&per_page=100", reply(200, `{"total_count":2,"repositories":[`+repo(12, "api")+`]}`))
	got, err := f.client.ListSelectedRepos(context.Background(), testOrg, "FOO")
	if err != nil {
		t.Fatal(err)
	}
	want := []secret.Repository{{ID: 11, Name: "web", FullName: "acme/web", Owner: "acme"}, {ID: 12, Name: "api", FullName: "acme/api", Owner: "acme"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListSelectedRepos = %+v, want %+v", got, want)
	}
	f.calls(map[string]int{"GET " + reposPath + "?per_page=100": 1, "GET " + reposPath + "?page=2&per_page=100": 1})
}

// TestListSecretsGivesCanonicalNames: a name in GitHub's answer becomes a
// secret.Name in its canonical form where the answer is read, whatever
// case it came in.
func TestListSecretsGivesCanonicalNames(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.onQuery("GET", secretsPath, "per_page=100", reply(200, secretsPage(1, "lower_Case")))
	got, err := f.client.ListSecrets(context.Background(), testOrg)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != secret.Name("LOWER_CASE") {
		t.Errorf("ListSecrets names %+v, want LOWER_CASE", got)
	}
}

func TestGetSecret(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("GET", fooPath, reply(200, secretJSON("FOO", "selected")))
	got, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
	if err != nil {
		t.Fatal(err)
	}
	want := secret.Secret{Name: "FOO", Visibility: "selected", CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)}
	if got != want {
		t.Errorf("GetSecret = %+v, want %+v", got, want)
	}
	f.calls(map[string]int{"GET " + fooPath: 1})
}

func TestGetPublicKey(t *testing.T) {
	t.Parallel()
	keyOf := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	tests := []struct {
		name, body string
		want       []string // error fragments; none means success
	}{
		{name: "returns a 32-byte key", body: `{"key_id":"568250167242549743","key":"` + validKey + `"}`},
		{name: "refuses a 31-byte key", body: `{"key_id":"1","key":"` + keyOf(31) + `"}`, want: []string{"unusable", "31 bytes", "exactly 32"}},
		{name: "refuses a 33-byte key", body: `{"key_id":"1","key":"` + keyOf(33) + `"}`, want: []string{"33 bytes"}},
		{name: "refuses an empty key", body: `{"key_id":"1","key":""}`, want: []string{"0 bytes"}},
		{name: "refuses URL-safe base64", body: `{"key_id":"1","key":"` + strings.NewReplacer("+", "-", "/", "_").Replace(base64.StdEncoding.EncodeToString([]byte{0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf, 0xfb, 0xff})) + `"}`, want: []string{"not standard base64"}},
		{name: "refuses a key without padding", body: `{"key_id":"1","key":"` + strings.TrimRight(validKey, "=") + `"}`, want: []string{"not standard base64"}},
		{name: "refuses a key with a line break", body: `{"key_id":"1","key":"` + validKey[:20] + `\n` + validKey[20:] + `"}`, want: []string{"not standard base64"}},
		{name: "refuses a key without an id", body: `{"key":"` + validKey + `"}`, want: []string{"no key_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on("GET", secretsPath+"/public-key", reply(200, tt.body))
			got, err := f.client.GetPublicKey(context.Background(), testOrg)
			f.calls(map[string]int{"GET " + secretsPath + "/public-key": 1})
			if len(tt.want) > 0 {
				wantErr(t, err, append(tt.want, "GET /orgs/acme/codespaces/secrets/public-key")...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := base64.StdEncoding.DecodeString(validKey)
			if got.KeyID != "568250167242549743" || got.Key != validKey || got.Decoded == nil || !bytes.Equal(got.Decoded[:], raw) {
				t.Errorf("GetPublicKey = %+v, want key id 568250167242549743, key %s and its 32 bytes decoded", got, validKey)
			}
		})
	}
}

func TestPutSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		req         PutSecretRequest
		status      int
		wantBody    string
		wantCreated bool
	}{
		{
			name:        "creates a secret with its value",
			req:         PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k1", Visibility: "private"},
			status:      201,
			wantBody:    `{"encrypted_value":"c2VhbGVk","key_id":"k1","visibility":"private"}`,
			wantCreated: true,
		},
		{
			name:     "updates a secret with selected repositories",
			req:      PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k1", Visibility: "selected", SelectedRepositoryIDs: []int64{11, 12}},
			status:   204,
			wantBody: `{"encrypted_value":"c2VhbGVk","key_id":"k1","selected_repository_ids":[11,12],"visibility":"selected"}`,
		},
		{
			name:     "changes only the scope when no value is given",
			req:      PutSecretRequest{Visibility: "all"},
			status:   204,
			wantBody: `{"visibility":"all"}`,
		},
		{
			name:     "sends an empty repository list as []",
			req:      PutSecretRequest{Visibility: "selected", SelectedRepositoryIDs: []int64{}},
			status:   204,
			wantBody: `{"selected_repository_ids":[],"visibility":"selected"}`,
		},
		{
			name:     "leaves a nil repository list out",
			req:      PutSecretRequest{Visibility: "selected"},
			status:   204,
			wantBody: `{"visibility":"selected"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on("PUT", fooPath, check(reply(tt.status, ""), func(r *http.Request) {
				testMethod(t, r, "PUT")
				testHeader(t, r, "Content-Type", "application/json")
				testBody(t, r, tt.wantBody)
			}))
			res, err := f.client.PutSecret(context.Background(), testOrg, "FOO", tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if want := (PutResult{Created: tt.wantCreated}); !reflect.DeepEqual(res, want) {
				t.Errorf("result = %+v, want %+v", res, want)
			}
			f.calls(map[string]int{"PUT " + fooPath: 1})
			if s := f.client.Stats(); s != (Stats{Requests: 1, Writes: 1}) {
				t.Errorf("Stats = %+v", s)
			}
		})
	}
}

func TestPutSecretRefusesAnInconsistentRequestBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  PutSecretRequest
		want string
	}{
		{"refuses an unknown visibility", PutSecretRequest{Visibility: "public"}, `visibility "public" is not one of all, private, selected`},
		{"refuses a value without a key id", PutSecretRequest{EncryptedValue: "c2VhbGVk", Visibility: "all"}, "give both or neither"},
		{"refuses a key id without a value", PutSecretRequest{KeyID: "k1", Visibility: "all"}, "give both or neither"},
		{"refuses repositories for visibility all", PutSecretRequest{Visibility: "all", SelectedRepositoryIDs: []int64{1}}, `only with visibility "selected"`},
		{"refuses a repository id that is not positive", PutSecretRequest{Visibility: "selected", SelectedRepositoryIDs: []int64{0}}, "repository id 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			_, err := f.client.PutSecret(context.Background(), testOrg, "FOO", tt.req)
			wantErr(t, err, tt.want)
			if strings.Contains(err.Error(), "c2VhbGVk") {
				t.Errorf("error %q shows the encrypted value", err)
			}
			f.calls(map[string]int{})
		})
	}
}

func TestWritesSendTheirBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path, body string
		call                     func(*Client) error
	}{
		{"sets the selected repositories", "PUT", reposPath, `{"selected_repository_ids":[11,12]}`,
			func(c *Client) error {
				return c.SetSelectedRepos(context.Background(), testOrg, "FOO", []int64{11, 12})
			}},
		{"sends an empty selection as [] rather than null", "PUT", reposPath, `{"selected_repository_ids":[]}`,
			func(c *Client) error { return c.SetSelectedRepos(context.Background(), testOrg, "FOO", nil) }},
		{"adds one repository", "PUT", reposPath + "/11", "",
			func(c *Client) error { return c.AddSelectedRepo(context.Background(), testOrg, "FOO", 11) }},
		{"removes one repository", "DELETE", reposPath + "/11", "",
			func(c *Client) error { return c.RemoveSelectedRepo(context.Background(), testOrg, "FOO", 11) }},
		{"deletes a secret", "DELETE", fooPath, "",
			func(c *Client) error { return c.DeleteSecret(context.Background(), testOrg, "FOO") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on(tt.method, tt.path, check(reply(204, ""), func(r *http.Request) {
				testMethod(t, r, tt.method)
				testBody(t, r, tt.body)
				testHeader(t, r, "Authorization", "Bearer "+testToken)
			}))
			if err := tt.call(f.client); err != nil {
				t.Fatal(err)
			}
			f.calls(map[string]int{tt.method + " " + tt.path: 1})
		})
	}
}

func TestGetRepo(t *testing.T) {
	t.Parallel()
	f := setup(t)
	body := `{"id":42,"node_id":"R_42","name":"Hello-World","full_name":"octocat/Hello-World","private":false,"visibility":"public","owner":{"id":1,"login":"octocat"}}`
	f.on("GET", "/repos/octocat/old-name", reply(http.StatusMovedPermanently, `{"message":"Moved Permanently","url":"`+testBase+`/repositories/42"}`, "Location", testBase+"/repositories/42"))
	f.on("GET", "/repositories/42", check(reply(200, body), func(r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
	}))
	got, err := f.client.GetRepo(context.Background(), "octocat", "old-name")
	if err != nil {
		t.Fatal(err)
	}
	if want := (secret.Repository{ID: 42, Name: "Hello-World", FullName: "octocat/Hello-World", Owner: "octocat"}); got != want {
		t.Errorf("GetRepo = %+v, want %+v", got, want)
	}
	f.calls(map[string]int{"GET /repos/octocat/old-name": 1, "GET /repositories/42": 1})
}

func TestARepositoryIDThatIsNotPositiveIsReportedWhenRead(t *testing.T) {
	t.Parallel()
	for _, id := range []int{0, -7} {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			repo := fmt.Sprintf(`{"id":%d,"node_id":"R_1","name":"web","full_name":"acme/web","private":true,"owner":{"id":1,"login":"acme"}}`, id)
			f.on("GET", "/repos/acme/web", reply(200, repo))
			f.onQuery("GET", reposPath, "per_page=100", reply(200, `{"total_count":1,"repositories":[`+repo+`]}`))
			_, err := f.client.GetRepo(context.Background(), "acme", "web")
			wantErr(t, err, "GET /repos/acme/web", fmt.Sprintf(`repository "acme/web" the id %d, which is not a positive id`, id))
			_, err = f.client.ListSelectedRepos(context.Background(), testOrg, "FOO")
			wantErr(t, err, "GET "+reposPath, fmt.Sprintf(`repository "acme/web" the id %d, which is not a positive id`, id))
			f.calls(map[string]int{"GET /repos/acme/web": 1, "GET " + reposPath + "?per_page=100": 1})
		})
	}
}

func TestEmptyNamesAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	_, err1 := f.client.ListSecrets(ctx, "")
	_, err2 := f.client.GetSecret(ctx, testOrg, " ")
	err3 := f.client.DeleteSecret(ctx, "", "")
	_, err4 := f.client.GetRepo(ctx, "acme", "")
	for i, err := range []error{err1, err2, err3, err4} {
		if err == nil || !strings.Contains(err.Error(), "is empty") {
			t.Errorf("call %d: err = %v, want an error saying what is empty", i+1, err)
		}
	}
	f.calls(map[string]int{})
}

func TestGitHubErrorsBecomeTypedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		wantError string
		wantField []FieldError
	}{
		{
			name:      "reads message and documentation_url",
			status:    404,
			body:      `{"message":"Not Found","documentation_url":"https://docs.github.com/rest/codespaces/organization-secrets#get-an-organization-secret","status":"404"}`,
			wantError: `GET /orgs/acme/codespaces/secrets/FOO: 404 Not Found: "Not Found" (see https://docs.github.com/rest/codespaces/organization-secrets#get-an-organization-secret)`,
		},
		{
			name:      "reads the errors of a validation failure",
			status:    422,
			body:      `{"message":"Validation Failed","errors":[{"resource":"Secret","field":"visibility","code":"invalid"},"key_id is stale"],"documentation_url":"https://docs.github.com/rest"}`,
			wantError: `GET /orgs/acme/codespaces/secrets/FOO: 422 Unprocessable Entity: "Validation Failed" [resource "Secret" field "visibility" code "invalid"; "key_id is stale"] (see https://docs.github.com/rest)`,
			wantField: []FieldError{{Resource: "Secret", Field: "visibility", Code: "invalid"}, {Message: "key_id is stale"}},
		},
		{
			name:      "quotes a message with line breaks so it cannot start a workflow command",
			status:    401,
			body:      `{"message":"Bad credentials\n::error::injected","documentation_url":"https://docs.github.com/rest\n::warning::x"}`,
			wantError: `GET /orgs/acme/codespaces/secrets/FOO: 401 Unauthorized: "Bad credentials\n::error::injected" (see "https://docs.github.com/rest\n::warning::x")`,
		},
		{
			name:      "keeps the start of a body that is not JSON",
			status:    404,
			body:      "<html>\nNot here</html>",
			wantError: `GET /orgs/acme/codespaces/secrets/FOO: 404 Not Found: "<html>\nNot here</html>"`,
		},
		{
			name:      "survives a garbled JSON error body",
			status:    403,
			body:      `{"message": "Must have admin rights`,
			wantError: `GET /orgs/acme/codespaces/secrets/FOO: 403 Forbidden: "{\"message\": \"Must have admin rights"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.on("GET", fooPath, reply(tt.status, tt.body))
			_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if got := apiErr.Error(); got != tt.wantError {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tt.wantError)
			}
			if strings.Contains(apiErr.Error(), "\n") {
				t.Errorf("Error() holds a raw line break: %q", apiErr.Error())
			}
			if !reflect.DeepEqual(apiErr.Errors, tt.wantField) {
				t.Errorf("Errors = %+v, want %+v", apiErr.Errors, tt.wantField)
			}
			if got := StatusCode(fmt.Errorf("wrapped: %w", err)); got != tt.status {
				t.Errorf("StatusCode = %d, want %d", got, tt.status)
			}
			f.calls(map[string]int{"GET " + fooPath: 1})
		})
	}
}

func TestPutSecretReportsTheRequestInItsError(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.on("PUT", fooPath, reply(422, `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest/codespaces/organization-secrets#create-or-update-an-organization-secret"}`))
	_, err := f.client.PutSecret(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: "c2VhbGVk", KeyID: "k", Visibility: "all"})
	want := `PUT /orgs/acme/codespaces/secrets/FOO: 422 Unprocessable Entity: "Validation Failed" (see https://docs.github.com/rest/codespaces/organization-secrets#create-or-update-an-organization-secret)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestAnErrorNeverRepeatsTheEncryptedValue(t *testing.T) {
	t.Parallel()
	const sealed = "q1/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm/Q=="
	tests := []struct {
		name string
		body string
	}{
		{"in the message", `{"message":"bad encrypted_value q1/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm/Q=="}`},
		{"with its slashes escaped", `{"message":"bad q1\/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm\/Q=="}`},
		{"in the errors list", `{"message":"Validation Failed","errors":[{"resource":"Secret","field":"encrypted_value","code":"q1/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm/Q==","message":"x q1/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm/Q=="}]}`},
		{"across the cut of a body that is not JSON", strings.Repeat("x", 180) + " body: q1/w2+e3r4t5y6u7i8o9p0ASDFGHJKLzxcvbnm/Q=="},
	}
	writes := []struct {
		name string
		put  func(f *fixture) error
	}{
		{"PutSecret", func(f *fixture) error {
			_, err := f.client.PutSecret(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: sealed, KeyID: "k", Visibility: "all"})
			return err
		}},
		{"PutSecretKeepingRepos", func(f *fixture) error {
			f.onQuery("GET", reposPath, "per_page=100", reply(200, reposList(11)))
			_, err := f.client.PutSecretKeepingRepos(context.Background(), testOrg, "FOO", PutSecretRequest{EncryptedValue: sealed, KeyID: "k", Visibility: "selected"})
			return err
		}},
	}
	for _, w := range writes {
		for _, tt := range tests {
			t.Run(w.name+" "+tt.name, func(t *testing.T) {
				t.Parallel()
				f := setup(t)
				f.on("PUT", fooPath, reply(422, tt.body))
				err := w.put(f)
				if err == nil {
					t.Fatal("no error")
				}
				if msg := err.Error(); strings.Contains(msg, sealed[:6]) {
					t.Errorf("the error shows (part of) the encrypted value: %s", msg)
				}
			})
		}
	}
}

func TestStatusCodeIsZeroForOtherErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, errors.New("x"), context.Canceled, fmt.Errorf("w: %w", io.EOF)} {
		if got := StatusCode(err); got != 0 {
			t.Errorf("StatusCode(%v) = %d, want 0", err, got)
		}
	}
}

func TestUnexpectedSuccessesAreErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		status             int
		body               string
		call               func(*Client) error
		want               []string
	}{
		{"refuses a 200 to a DELETE that should answer 204", "DELETE", fooPath, 200, "",
			func(c *Client) error { return c.DeleteSecret(context.Background(), testOrg, "FOO") },
			[]string{"DELETE /orgs/acme/codespaces/secrets/FOO", "200 OK where 204 No Content was expected"}},
		{"refuses a 200 to a PUT that should answer 201 or 204", "PUT", fooPath, 200, "{}",
			func(c *Client) error {
				_, err := c.PutSecret(context.Background(), testOrg, "FOO", PutSecretRequest{Visibility: "all"})
				return err
			},
			[]string{"PUT /orgs/acme/codespaces/secrets/FOO", "200 OK where 201 Created was expected"}},
		{"refuses garbled JSON on a 200", "GET", fooPath, 200, `{"name":"FOO",`,
			func(c *Client) error { _, err := c.GetSecret(context.Background(), testOrg, "FOO"); return err },
			[]string{"GET /orgs/acme/codespaces/secrets/FOO", "could not decode GitHub's 200 OK response"}},
		{"refuses a bad date on a 200", "GET", fooPath, 200, `{"name":"FOO","visibility":"all","created_at":"yesterday","updated_at":"2024-01-01T00:00:00Z"}`,
			func(c *Client) error { _, err := c.GetSecret(context.Background(), testOrg, "FOO"); return err },
			[]string{"could not decode GitHub's 200 OK response"}},
		{"refuses a 200 that is not JSON", "GET", fooPath, 200, "<html>hello</html>",
			func(c *Client) error { _, err := c.GetSecret(context.Background(), testOrg, "FOO"); return err },
			[]string{"could not decode GitHub's 200 OK response", `content type is "", not JSON`}},
		{"refuses garbled JSON on a list page", "GET", secretsPath, 200, `{"secrets":[`,
			func(c *Client) error { _, err := c.ListSecrets(context.Background(), testOrg); return err },
			[]string{`the Codespaces secrets of organization "acme" (page 1)`, "could not decode GitHub's 200 OK response"}},
		{"refuses garbled JSON on a 201", "PUT", fooPath, 201, `{"oops`,
			func(c *Client) error {
				_, err := c.PutSecret(context.Background(), testOrg, "FOO", PutSecretRequest{Visibility: "all"})
				return err
			},
			[]string{"could not decode GitHub's 201 Created response"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			if tt.path == secretsPath {
				f.onQuery(tt.method, tt.path, "per_page=100", reply(tt.status, tt.body))
			} else {
				f.on(tt.method, tt.path, reply(tt.status, tt.body))
			}
			err := tt.call(f.client)
			wantErr(t, err, tt.want...)
			if StatusCode(err) != 0 {
				t.Errorf("StatusCode = %d, want 0: a success status is not an API error", StatusCode(err))
			}
			if f.mock.GetTotalCallCount() != 1 {
				t.Errorf("requests = %d, want 1", f.mock.GetTotalCallCount())
			}
		})
	}
}

// countingBody is an endless JSON-ish body that counts what was read.
// countingBody is 8 MiB of spaces that counts what was read of it: far
// over the cap, but with an end, so a client that does not stop at the cap
// fails the test instead of reading forever.
type countingBody struct{ n int64 }

const countingBodySize = 8 << 20

func (b *countingBody) Read(p []byte) (int, error) {
	if b.n >= countingBodySize {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), countingBodySize-b.n)]
	for i := range p {
		p[i] = ' '
	}
	b.n += int64(len(p))
	return len(p), nil
}

func (b *countingBody) Close() error { return nil }

func TestBodiesOverOneMiBAreRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	body := &countingBody{}
	f.on("GET", fooPath, func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, ContentLength: -1, Request: req}, nil
	})
	_, err := f.client.GetSecret(context.Background(), testOrg, "FOO")
	wantErr(t, err, "GET /orgs/acme/codespaces/secrets/FOO", "larger than 1048576 bytes (1 MiB)")
	if body.n > MaxBodySize+1 {
		t.Errorf("read %d bytes of the body, want at most %d", body.n, MaxBodySize+1)
	}
	f.calls(map[string]int{"GET " + fooPath: 1})
}

func TestABodyOfExactlyOneMiBIsRead(t *testing.T) {
	t.Parallel()
	f := setup(t)
	js := secretJSON("FOO", "all")
	body := js + strings.Repeat(" ", MaxBodySize-len(js))
	f.on("GET", fooPath, reply(200, body))
	if _, err := f.client.GetSecret(context.Background(), testOrg, "FOO"); err != nil {
		t.Fatal(err)
	}
}
