package openapi

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const specFile = "codespaces-org-secrets.yaml"

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specFile)
	if err != nil {
		t.Fatalf("loading %s: %v", specFile, err)
	}
	return doc
}

func TestSpecIsValidOpenAPI30(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the spec does not validate: %v", err)
	}
}

// TestSpecHasExactlyTheFourteenOperations pins the operations to GitHub's
// published operationIds, methods and paths.
func TestSpecHasExactlyTheFourteenOperations(t *testing.T) {
	t.Parallel()
	want := []string{
		"DELETE /installation/token apps/revoke-installation-access-token",
		"DELETE /orgs/{org}/codespaces/secrets/{secret_name} codespaces/delete-org-secret",
		"DELETE /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id} codespaces/remove-selected-repo-from-org-secret",
		"GET /app/installations apps/list-installations",
		"GET /orgs/{org}/codespaces/secrets codespaces/list-org-secrets",
		"GET /orgs/{org}/codespaces/secrets/public-key codespaces/get-org-public-key",
		"GET /orgs/{org}/codespaces/secrets/{secret_name} codespaces/get-org-secret",
		"GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories codespaces/list-selected-repos-for-org-secret",
		"GET /orgs/{org}/installation apps/get-org-installation",
		"GET /repos/{owner}/{repo} repos/get",
		"POST /app/installations/{installation_id}/access_tokens apps/create-installation-access-token",
		"PUT /orgs/{org}/codespaces/secrets/{secret_name} codespaces/create-or-update-org-secret",
		"PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories codespaces/set-selected-repos-for-org-secret",
		"PUT /orgs/{org}/codespaces/secrets/{secret_name}/repositories/{repository_id} codespaces/add-selected-repo-to-org-secret",
	}
	doc := loadSpec(t)
	var got []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got = append(got, method+" "+path+" "+op.OperationID)
		}
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations differ\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSpecStatusCodesMatchGitHubsDocumentation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		operationID string
		codes       string
	}{
		{"codespaces/list-org-secrets", "200"},
		{"codespaces/get-org-public-key", "200"},
		{"codespaces/get-org-secret", "200"},
		{"codespaces/create-or-update-org-secret", "201 204 404 422"},
		{"codespaces/delete-org-secret", "204 404"},
		{"codespaces/list-selected-repos-for-org-secret", "200 404"},
		{"codespaces/set-selected-repos-for-org-secret", "204 404 409"},
		{"codespaces/add-selected-repo-to-org-secret", "204 404 409 422"},
		{"codespaces/remove-selected-repo-from-org-secret", "204 404 409 422"},
		{"repos/get", "200 301 403 404"},
		{"apps/list-installations", "200"},
		{"apps/get-org-installation", "200"},
		{"apps/create-installation-access-token", "201 401 403 404 422"},
		{"apps/revoke-installation-access-token", "204"},
	}
	ops := operations(loadSpec(t))
	for _, tt := range tests {
		t.Run(tt.operationID, func(t *testing.T) {
			op := ops[tt.operationID]
			if op == nil {
				t.Fatalf("operation %s is missing", tt.operationID)
			}
			var codes []string
			for code := range op.Responses.Map() {
				codes = append(codes, code)
			}
			sort.Strings(codes)
			if got := strings.Join(codes, " "); got != tt.codes {
				t.Errorf("status codes = %s, want %s", got, tt.codes)
			}
		})
	}
}

func TestSpecParametersAndBodiesFollowGitHub(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	ops := operations(doc)

	t.Run("list endpoints page with per_page up to 100, default 30", func(t *testing.T) {
		for _, id := range []string{"codespaces/list-org-secrets", "codespaces/list-selected-repos-for-org-secret", "apps/list-installations"} {
			p := ops[id].Parameters.GetByInAndName("query", "per_page")
			if p == nil {
				t.Fatalf("%s: no per_page parameter", id)
			}
			s := p.Schema.Value
			if s.Max == nil || *s.Max != 100 || s.Default != float64(30) {
				t.Errorf("%s: per_page maximum=%v default=%v, want 100 and 30", id, s.Max, s.Default)
			}
			if pg := ops[id].Parameters.GetByInAndName("query", "page"); pg == nil || pg.Schema.Value.Default != float64(1) {
				t.Errorf("%s: page parameter missing or its default is not 1", id)
			}
		}
	})
	t.Run("path parameters are required", func(t *testing.T) {
		for id, op := range ops {
			for _, ref := range op.Parameters {
				if p := ref.Value; p.In == "path" && !p.Required {
					t.Errorf("%s: path parameter %s is not required", id, p.Name)
				}
			}
		}
	})
	t.Run("create-or-update requires visibility from its enum", func(t *testing.T) {
		body := ops["codespaces/create-or-update-org-secret"].RequestBody.Value.Content.Get("application/json").Schema.Value
		if strings.Join(body.Required, ",") != "visibility" {
			t.Errorf("required = %v, want [visibility]", body.Required)
		}
		var enum []string
		for _, v := range body.Properties["visibility"].Value.Enum {
			enum = append(enum, v.(string))
		}
		if strings.Join(enum, ",") != "all,private,selected" {
			t.Errorf("visibility enum = %v", enum)
		}
		ids := body.Properties["selected_repository_ids"].Value
		if !ids.Type.Is("array") || !ids.Items.Value.Type.Is("integer") {
			t.Errorf("selected_repository_ids is not an array of integers")
		}
	})
	t.Run("set-selected requires selected_repository_ids as integers", func(t *testing.T) {
		body := ops["codespaces/set-selected-repos-for-org-secret"].RequestBody.Value.Content.Get("application/json").Schema.Value
		if strings.Join(body.Required, ",") != "selected_repository_ids" {
			t.Errorf("required = %v", body.Required)
		}
		if !body.Properties["selected_repository_ids"].Value.Items.Value.Type.Is("integer") {
			t.Errorf("selected_repository_ids items are not integers")
		}
	})
	t.Run("secret schema requires name, dates and visibility", func(t *testing.T) {
		s := doc.Components.Schemas["codespaces-org-secret"].Value
		if got := strings.Join(s.Required, ","); got != "name,created_at,updated_at,visibility" {
			t.Errorf("required = %s", got)
		}
		if s.Properties["created_at"].Value.Format != "date-time" {
			t.Errorf("created_at is not a date-time")
		}
	})
	t.Run("an installation token asks for the two permissions the action needs", func(t *testing.T) {
		body := ops["apps/create-installation-access-token"].RequestBody.Value
		if body.Required {
			t.Errorf("the body is required; GitHub's is optional")
		}
		perms := body.Content.Get("application/json").Schema.Value.Properties["permissions"].Value
		for _, name := range []string{"organization_codespaces_secrets", "metadata"} {
			var enum []string
			for _, v := range perms.Properties[name].Value.Enum {
				enum = append(enum, v.(string))
			}
			if strings.Join(enum, ",") != "read,write" {
				t.Errorf("permission %s enum = %v, want read, write", name, enum)
			}
		}
		if got := strings.Join(doc.Components.Schemas["installation-token"].Value.Required, ","); got != "token,expires_at" {
			t.Errorf("installation-token required = %s", got)
		}
	})
	t.Run("the installations list takes GitHub's four query parameters", func(t *testing.T) {
		var got []string
		for _, ref := range ops["apps/list-installations"].Parameters {
			got = append(got, ref.Value.In+":"+ref.Value.Name)
		}
		if strings.Join(got, " ") != "query:per_page query:page query:since query:outdated" {
			t.Errorf("parameters = %v, want GitHub's per_page, page, since, outdated", got)
		}
		if p := ops["apps/list-installations"].Parameters.GetByInAndName("query", "since"); p == nil || p.Schema.Value.Format != "date-time" {
			t.Errorf("since is missing or not a date-time")
		}
	})
	t.Run("an installation's account is a user or an enterprise, or null", func(t *testing.T) {
		inst := doc.Components.Schemas["installation"].Value
		account := inst.Properties["account"].Value
		var refs []string
		for _, s := range account.AnyOf {
			refs = append(refs, s.Ref)
		}
		if !account.Nullable || len(account.AllOf) != 0 || strings.Join(refs, " ") != "#/components/schemas/simple-user #/components/schemas/enterprise" {
			t.Errorf("account: nullable=%v anyOf=%v allOf=%d, want GitHub's nullable anyOf simple-user, enterprise", account.Nullable, refs, len(account.AllOf))
		}
		if got := strings.Join(inst.Required, ","); got != "id,account,target_type,app_id,permissions,suspended_at" {
			t.Errorf("installation required = %s", got)
		}
		// GitHub's suspended_at: required, a date-time, null unless the
		// installation is suspended.
		if sa := inst.Properties["suspended_at"]; sa == nil || !sa.Value.Type.Is("string") || sa.Value.Format != "date-time" || !sa.Value.Nullable {
			t.Errorf("suspended_at is missing or not GitHub's nullable date-time")
		}
		if e := doc.Components.Schemas["enterprise"]; e == nil || strings.Join(e.Value.Required, ",") != "id,name,slug" {
			t.Errorf("the enterprise schema is missing or does not require GitHub's id, name and slug")
		}
	})
	t.Run("repository ids are int64", func(t *testing.T) {
		for _, name := range []string{"minimal-repository", "full-repository"} {
			if f := doc.Components.Schemas[name].Value.Properties["id"].Value.Format; f != "int64" {
				t.Errorf("%s.id format = %q, want int64", name, f)
			}
		}
	})
}

// TestGeneratedCodeIsUpToDate regenerates the client into a temporary file and
// compares it byte for byte with the committed ../gen/client.gen.go.
func TestGeneratedCodeIsUpToDate(t *testing.T) {
	t.Parallel()
	cfg, err := os.ReadFile("oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "client.gen.go")
	cfg = regexp.MustCompile(`(?m)^output: .*$`).ReplaceAll(cfg, []byte("output: "+out))
	cfgFile := filepath.Join(t.TempDir(), "oapi-codegen.yaml")
	if err := os.WriteFile(cfgFile, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", cfgFile, specFile)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen failed: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../gen/client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("gen/client.gen.go differs from what oapi-codegen writes for the spec: run `go generate ./...` and commit the result")
	}
}

func operations(doc *openapi3.T) map[string]*openapi3.Operation {
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	return ops
}
