//go:build imagetest

package main_test

import (
	"crypto/x509"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report/reporttest"
)

// These tests run the action's Docker image the way the Actions runner
// runs a Docker action, against the fake GitHub on 127.0.0.1 (reached
// through --network host). CI's image job builds the image from the
// checkout and runs them with
//
//	CODESPACES_ORG_SECRETS_IMAGE=<image> go test -tags imagetest -run '^TestImage' .
//
// and the release runs them on the image before it pushes it, and again on
// the pushed digest, pulled back from the registry. They need
// Docker, so they build only with the imagetest tag; .ci/run vets them.

// imageEnv names the image under test.
const imageEnv = "CODESPACES_ORG_SECRETS_IMAGE"

// image runs the image as a step of this action with inputs, as the
// runner does: every INPUT_* passed by name with -e (hyphens kept, the
// value from the environment of docker, so it is not on its command
// line), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files in a mounted
// /github/file_commands, and the workspace mounted as the working
// directory /github/workspace.
func (f *fixture) image(t *testing.T, inputs map[string]string) result {
	t.Helper()
	img := imageUnderTest(t)
	commands := t.TempDir()
	for _, name := range []string{"output", "summary"} {
		if err := os.WriteFile(filepath.Join(commands, name), nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	env := append(f.actionEnv(t, inputs),
		"GITHUB_OUTPUT=/github/file_commands/output", "GITHUB_STEP_SUMMARY=/github/file_commands/summary")
	args := []string{"run", "--rm", "--network", "host", "--workdir", "/github/workspace",
		"-v", commands + ":/github/file_commands", "-v", f.dir + ":/github/workspace"}
	var names []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		args = append(args, "-e", name)
	}
	cmd := exec.Command("docker", append(args, img)...)
	cmd.Env = append(os.Environ(), env...) // the last value of a name wins
	r := f.run(t, cmd)
	r.outputs = reporttest.ReadOutputs(t, filepath.Join(commands, "output"))
	b, _ := os.ReadFile(filepath.Join(commands, "summary"))
	r.summary = string(b)
	return r
}

// imageUnderTest returns the image the tests run, from imageEnv.
func imageUnderTest(t *testing.T) string {
	t.Helper()
	img := os.Getenv(imageEnv)
	if img == "" {
		t.Fatalf("%s is not set; build the image (docker build -t codespaces-org-secrets:ci .) and set it to the image's name", imageEnv)
	}
	return img
}

// TestImageTrustsTheCertificateAuthorities copies the CA bundle out of the
// image, as it ships, and checks it parses as PEM certificates: a scratch
// image has nothing else, so without it every request to GitHub fails
// with an untrusted certificate.
func TestImageTrustsTheCertificateAuthorities(t *testing.T) {
	img := imageUnderTest(t)
	out, err := exec.Command("docker", "create", img).Output()
	if err != nil {
		t.Fatalf("docker create %s: %v", img, err)
	}
	id := strings.TrimSpace(string(out))
	t.Cleanup(func() {
		if out, err := exec.Command("docker", "rm", id).CombinedOutput(); err != nil {
			t.Errorf("docker rm %s: %v\n%s", id, err, out)
		}
	})
	bundle := filepath.Join(t.TempDir(), "ca-certificates.crt")
	if out, err := exec.Command("docker", "cp", id+":/etc/ssl/certs/ca-certificates.crt", bundle).CombinedOutput(); err != nil {
		t.Fatalf("copying the CA bundle out of the image: %v\n%s", err, out)
	}
	pem, err := os.ReadFile(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		t.Fatalf("the image's /etc/ssl/certs/ca-certificates.crt (%d bytes) holds no PEM certificate", len(pem))
	}
	if n := strings.Count(string(pem), "-----BEGIN CERTIFICATE-----"); n < 50 {
		t.Errorf("the image's CA bundle holds %d certificates; a system bundle has over a hundred", n)
	}
}

func TestImageSetsRotatesAndReads(t *testing.T) {
	f := newFixture(t)
	const value = "first line\nsecond line\n" // a block scalar's value: exact bytes, final newline kept

	r := f.image(t, map[string]string{"name": "NPM_TOKEN", "value": value, "visibility": "selected", "repositories": "web\napi"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", value, "selected", "web", "api")
	if r.outputs["changed"] != "true" || !strings.Contains(r.summary, "`NPM_TOKEN`") {
		t.Errorf("set: outputs %v, summary:\n%s", r.outputs, r.summary)
	}
	// Only the ::add-mask:: command that hides it may hold the value.
	var visible []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if !strings.HasPrefix(l, "::add-mask::") {
			visible = append(visible, l)
		}
	}
	if !strings.Contains(r.stdout, "::add-mask::second line") {
		t.Errorf("the container did not mask the value's lines:\n%s", r.stdout)
	}
	for where, text := range map[string]string{"stdout": strings.Join(visible, "\n"), "stderr": r.stderr, "summary": r.summary, "result": r.outputs["result"]} {
		if strings.Contains(text, "second line") {
			t.Errorf("the value shows in the %s of the container", where)
		}
	}

	r = f.image(t, map[string]string{"name": "NPM_TOKEN", "value": "rotated"})
	wantExit(t, r, 0)
	f.wantSecret(t, "NPM_TOKEN", "rotated", "selected", "web", "api")

	r = f.image(t, map[string]string{"operation": "list"})
	wantExit(t, r, 0)
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.outputs["result"]), &list); err != nil || len(list) != 1 || r.outputs["changed"] != "false" {
		t.Errorf("list: outputs %v (%v)", r.outputs, err)
	}
	if r.writes != 0 {
		t.Errorf("list wrote %d times", r.writes)
	}
}

// TestImageSyncsTheManifestOfTheWorkspace checks the default manifest path
// resolves in the workspace the runner mounts as the working directory.
func TestImageSyncsTheManifestOfTheWorkspace(t *testing.T) {
	f := newFixture(t)
	f.writeManifest(t, "secrets:\n  SENTRY_DSN:\n    visibility: all\n")
	r := f.image(t, map[string]string{"operation": "sync", "secrets": "SENTRY_DSN=dsn-value"})
	wantExit(t, r, 0)
	f.wantSecret(t, "SENTRY_DSN", "dsn-value", "all")
}

func TestImageBadInputWritesNothing(t *testing.T) {
	f := newFixture(t)
	r := f.image(t, map[string]string{"name": "X", "value": "v", "visibility": "selected", "repositories": "nope"})
	wantExit(t, r, 2)
	if r.writes != 0 {
		t.Errorf("a run with an unknown repository wrote %d times", r.writes)
	}
	if !strings.Contains(r.stdout+r.stderr, `repository "acme/nope" was not found`) {
		t.Errorf("the error does not name the repository:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}
