package repocheck

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// releasePermissions is the least each job of release.yml needs; a job
// that asks for more, or a new job, fails TestReleaseJobsHaveLeastPrivilege
// until this table says why.
var releasePermissions = map[string]map[string]string{
	"checks": {"contents": "read"},
	"plan":   {"contents": "read"},
	// push the image by digest, sign and store its attestation
	"image": {"contents": "read", "packages": "write", "id-token": "write", "attestations": "write"},
	// sign and store the binaries' attestation
	"binaries": {"contents": "read", "id-token": "write", "attestations": "write"},
	// makes the release commit and runs node and go on it: no write at all;
	// reads the binaries artifact by run id, so a re-run finds it
	"commit": {"contents": "read", "actions": "read"},
	// push the tags, create the release, tag the image; builds nothing;
	// reads the artifacts by run id, so a re-run finds them
	"publish": {"contents": "write", "packages": "write", "actions": "read"},
	// runs the published release as users do; opens an issue when it fails
	"verify": {"contents": "read", "issues": "write"},
}

// TestReleaseJobsHaveLeastPrivilege checks release.yml's permissions
// against releasePermissions: nothing by default, and each job exactly
// what the table gives it.
func TestReleaseJobsHaveLeastPrivilege(t *testing.T) {
	t.Parallel()
	const rel = ".github/workflows/release.yml"
	for _, p := range checkPermissions(rel, parseWorkflow(t, rel, readRepoFile(t, rel)), releasePermissions) {
		t.Error(p)
	}
}

// checkPermissions returns a problem unless wf gives no permission by
// default and each job exactly the permissions want lists for it.
func checkPermissions(name string, wf workflowFile, want map[string]map[string]string) []string {
	var problems []string
	if wf.Permissions == nil || wf.Permissions.all != "" || len(wf.Permissions.scopes) != 0 {
		problems = append(problems, name+": the workflow's permissions are not {}; give nothing by default and each job what it needs")
	}
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		w, ok := want[job]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: job %q is not in the table of permissions (releasePermissions); add it with the least it needs", name, job))
			continue
		}
		p := wf.Jobs[job].Permissions
		switch {
		case p == nil:
			problems = append(problems, fmt.Sprintf("%s: job %q sets no permissions; give it %s", name, job, formatScopes(w)))
		case p.all != "" || !maps.Equal(p.scopes, w):
			got := p.all
			if got == "" {
				got = formatScopes(p.scopes)
			}
			problems = append(problems, fmt.Sprintf("%s: job %q has permissions %s, want %s", name, job, got, formatScopes(w)))
		}
	}
	for _, job := range slices.Sorted(maps.Keys(want)) {
		if _, ok := wf.Jobs[job]; !ok {
			problems = append(problems, fmt.Sprintf("%s: there is no job %q; update the table of permissions", name, job))
		}
	}
	return problems
}

// formatScopes writes permissions as {scope: level, ...}, sorted.
func formatScopes(scopes map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(scopes)) {
		parts = append(parts, k+": "+scopes[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func TestCheckPermissions(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]string{"build": {"contents": "read"}, "publish": {"contents": "write"}}
	job := func(name, perms string) string {
		return "  " + name + ":\n    runs-on: ubuntu-latest\n" + perms + "    steps:\n      - run: make\n"
	}
	const read, write = "    permissions:\n      contents: read\n", "    permissions:\n      contents: write\n"
	tests := []struct {
		name, text string
		want       []string
	}{
		{name: "accepts each job with exactly its permissions", text: "permissions: {}\njobs:\n" + job("build", read) + job("publish", write)},
		{name: "rejects a write given to a job that builds", text: "permissions: {}\njobs:\n" + job("build", write) + job("publish", write),
			want: []string{`job "build" has permissions {contents: write}, want {contents: read}`}},
		{name: "rejects an extra scope", text: "permissions: {}\njobs:\n" + job("build", read+"      packages: write\n") + job("publish", write),
			want: []string{`job "build" has permissions {contents: read, packages: write}`}},
		{name: "rejects write-all", text: "permissions: {}\njobs:\n" + job("build", "    permissions: write-all\n") + job("publish", write),
			want: []string{`job "build" has permissions write-all`}},
		{name: "rejects a job without permissions", text: "permissions: {}\njobs:\n" + job("build", "") + job("publish", write),
			want: []string{`job "build" sets no permissions; give it {contents: read}`}},
		{name: "rejects default permissions", text: "permissions:\n  contents: read\njobs:\n" + job("build", read) + job("publish", write),
			want: []string{"the workflow's permissions are not {}"}},
		{name: "rejects a job the table does not know, and a job that is gone",
			text: "permissions: {}\njobs:\n" + job("build", read) + job("deploy", write),
			want: []string{`job "deploy" is not in the table`, `there is no job "publish"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkPermissions("release.yml", parseWorkflow(t, "release.yml", tt.text), want), tt.want)
		})
	}
}

// TestRegistryLoginIsGoneBeforeCodeRuns checks, in both workflows, that
// no step runs code of the checkout (go test, go run, a build) while
// docker/login-action's credential is in ~/.docker/config.json: between
// the login and a docker logout. BuildKit's builds (build-push-action)
// cannot read it; the checkout's tests could.
func TestRegistryLoginIsGoneBeforeCodeRuns(t *testing.T) {
	t.Parallel()
	for _, rel := range []string{".github/workflows/ci.yml", ".github/workflows/release.yml"} {
		for _, p := range checkRegistryLogin(rel, parseWorkflow(t, rel, readRepoFile(t, rel))) {
			t.Error(p)
		}
	}
}

var dockerLogoutRe = regexp.MustCompile(`(?m)^[^#\n]*\bdocker logout\b`)

// checkRegistryLogin returns a problem for each step that runs a build
// (buildRe) after a docker/login-action step of its job and before a
// docker logout.
func checkRegistryLogin(name string, wf workflowFile) []string {
	var problems []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		login := ""
		for i, s := range wf.Jobs[job].Steps {
			if strings.HasPrefix(s.Uses, "docker/login-action@") {
				login = stepLabel(i, s)
			}
			if login != "" && buildRe.MatchString(s.Run) {
				problems = append(problems, fmt.Sprintf("%s: job %q, %s runs code of the checkout while the registry credential of %s is in ~/.docker/config.json; "+
					"run docker logout before it", name, job, stepLabel(i, s), login))
			}
			if dockerLogoutRe.MatchString(s.Run) {
				login = ""
			}
		}
	}
	return problems
}

func TestCheckRegistryLogin(t *testing.T) {
	t.Parallel()
	const (
		login  = "      - uses: docker/login-action@0123456789abcdef0123456789abcdef01234567 # v4.1.0\n"
		push   = "      - uses: docker/build-push-action@0123456789abcdef0123456789abcdef01234567 # v7.3.0\n"
		test   = "      - run: go test -tags imagetest .\n"
		logout = "      - run: |\n          docker pull \"$IMAGE@$DIGEST\"\n          docker logout ghcr.io\n"
	)
	job := func(steps ...string) string { return "jobs:\n  image:\n    steps:\n" + strings.Join(steps, "") }
	tests := []struct {
		name, text string
		want       []string
	}{
		{name: "accepts tests before the login and after the logout", text: job(test, login, push, logout, test)},
		{name: "rejects tests while logged in", text: job(test, login, push, test, logout),
			want: []string{`job "image", step 4 runs code of the checkout while the registry credential of step 2`}},
		{name: "ignores a logout in a comment", text: job(login, "      - run: |\n          # docker logout ghcr.io\n          go test ./...\n"),
			want: []string{"step 2 runs code of the checkout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkRegistryLogin("release.yml", parseWorkflow(t, "release.yml", tt.text)), tt.want)
		})
	}
}

// TestCIRunsTheImageItBuilds checks that ci.yml builds the Dockerfile of
// the checkout and runs the image tests on that very image.
func TestCIRunsTheImageItBuilds(t *testing.T) {
	t.Parallel()
	const rel = ".github/workflows/ci.yml"
	if p := checkBuildsAndRunsImage(rel, parseWorkflow(t, rel, readRepoFile(t, rel))); p != "" {
		t.Error(p)
	}
}

var dockerBuildTagRe = regexp.MustCompile(`(?m)^[^#\n]*\bdocker (?:buildx )?build\b[^\n#]*--tag[ =](\S+)`)

// checkBuildsAndRunsImage says why wf has no job that runs docker build
// --tag T and then, in a later step, go test -tags imagetest with
// CODESPACES_ORG_SECRETS_IMAGE set to T; "" when it has one.
func checkBuildsAndRunsImage(name string, wf workflowFile) string {
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		built := map[string]bool{}
		for _, s := range wf.Jobs[job].Steps {
			if imageTestRe.MatchString(s.Run) && built[s.Env["CODESPACES_ORG_SECRETS_IMAGE"]] {
				return ""
			}
			for _, m := range dockerBuildTagRe.FindAllStringSubmatch(s.Run, -1) {
				built[m[1]] = true
			}
		}
	}
	return name + ": no job runs docker build --tag T on the checkout and then go test -tags imagetest with CODESPACES_ORG_SECRETS_IMAGE: T, " +
		"so the Dockerfile is never run as the runner runs it"
}

func TestCheckBuildsAndRunsImage(t *testing.T) {
	t.Parallel()
	const (
		build = "      - run: docker build --build-arg VERSION=ci --tag img:ci .\n"
		test  = "      - run: go test -tags imagetest -run '^TestImage' .\n        env:\n          CODESPACES_ORG_SECRETS_IMAGE: img:ci\n"
	)
	job := func(steps ...string) string { return "jobs:\n  image:\n    steps:\n" + strings.Join(steps, "") }
	for name, tt := range map[string]struct {
		text string
		ok   bool
	}{
		"accepts a build, then the image tests on it": {job(build, test), true},
		"rejects a build that is never run":           {job(build, "      - run: docker image ls\n"), false},
		"rejects tests before the build":              {job(test, build), false},
		"rejects tests of another image":              {job(build, strings.Replace(test, "img:ci\n", "img:latest\n", 1)), false},
		"rejects the two in different jobs":           {"jobs:\n  a:\n    steps:\n" + build + "  b:\n    steps:\n" + test, false},
	} {
		if got := checkBuildsAndRunsImage("ci.yml", parseWorkflow(t, "ci.yml", tt.text)); (got == "") != tt.ok {
			t.Errorf("%s: checkBuildsAndRunsImage = %q", name, got)
		}
	}
}

// scriptRe finds a file of the checkout that a run: step executes: a
// script given to node, bash, sh or python3, or a package of go run ./...
var scriptRe = regexp.MustCompile(`(?:\b(?:node|bash|sh|python3)\s+((?:\./)?[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)|\bgo run\s+(\./[A-Za-z0-9_./-]+))`)

// TestWorkflowScriptsExist checks that every file a workflow step runs is
// in the repository, so the release cannot fail half-way (after the image
// push) on a script that has not landed.
func TestWorkflowScriptsExist(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for _, rel := range []string{".github/workflows/ci.yml", ".github/workflows/release.yml"} {
		scripts := runScripts(rel, parseWorkflow(t, rel, readRepoFile(t, rel)))
		for _, where := range slices.Sorted(maps.Keys(scripts)) {
			for _, path := range scriptPaths(scripts[where]) {
				if _, err := os.Stat(filepath.Join(root, path)); err != nil {
					t.Errorf("%s runs %s, which is not in the repository", where, path)
				}
			}
		}
	}
}

// scriptPaths returns the files of the checkout that script runs,
// leaving out comments.
func scriptPaths(script string) []string {
	var paths []string
	for _, line := range strings.Split(script, "\n") {
		line, _, _ = strings.Cut(line, "#")
		for _, m := range scriptRe.FindAllStringSubmatch(line, -1) {
			paths = append(paths, m[1]+m[2])
		}
	}
	return paths
}

func TestScriptPaths(t *testing.T) {
	t.Parallel()
	script := "node native/release/write-release-file.mjs --out x\n" +
		"go run ./tools/release pin-image --digest \"$DIGEST\"\n" +
		"go run golang.org/x/vuln/cmd/govulncheck@v1.9.0 ./...\n" +
		"bash tools/release/publish-release.sh notes.md a b\n" +
		"# node not/run.js\n" +
		"sha256sum --check x\n" +
		"git diff | go run ./tools/release check-commit && sh ./ci/x.sh\n"
	got := scriptPaths(script)
	want := []string{"native/release/write-release-file.mjs", "./tools/release", "tools/release/publish-release.sh", "./tools/release", "./ci/x.sh"}
	if !slices.Equal(got, want) {
		t.Errorf("scriptPaths found %q, want %q", got, want)
	}
}
