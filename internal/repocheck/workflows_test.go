package repocheck

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ---------------------------------------------------------------------------
// The repository's own workflows and CI script.

// TestReleaseRunsTheChecksFirst checks that release.yml publishes nothing
// before a job of its own has run the tests and go vet.
func TestReleaseRunsTheChecksFirst(t *testing.T) {
	t.Parallel()
	wf := parseWorkflow(t, ".github/workflows/release.yml", readRepoFile(t, ".github/workflows/release.yml"))
	for _, p := range checkJobsNeedChecks(".github/workflows/release.yml", wf) {
		t.Error(p)
	}
}

// TestCIDryRunExercisesAWrite checks that ci.yml runs the action from the
// checkout only as a dry run, and that one of those runs plans a write.
func TestCIDryRunExercisesAWrite(t *testing.T) {
	t.Parallel()
	wf := parseWorkflow(t, ".github/workflows/ci.yml", readRepoFile(t, ".github/workflows/ci.yml"))
	for _, p := range checkLocalActionDryRuns(".github/workflows/ci.yml", wf) {
		t.Error(p)
	}
}

// TestGeneratedCodeChecksSeeNewFiles checks that every script that runs
// go generate, in the workflows and in .ci/run, also fails on new files.
func TestGeneratedCodeChecksSeeNewFiles(t *testing.T) {
	t.Parallel()
	scripts := map[string]string{".ci/run": readRepoFile(t, ".ci/run")}
	for _, rel := range []string{".github/workflows/ci.yml", ".github/workflows/release.yml"} {
		wf := parseWorkflow(t, rel, readRepoFile(t, rel))
		maps.Copy(scripts, runScripts(rel, wf))
	}
	generates := 0
	for _, where := range slices.Sorted(maps.Keys(scripts)) {
		if goGenerateRe.MatchString(scripts[where]) {
			generates++
		}
		if p := checkGenerateDrift(scripts[where]); p != "" {
			t.Errorf("%s: %s", where, p)
		}
		if goGenerateRe.MatchString(scripts[where]) && !generatedFilesStatusRe.MatchString(scripts[where]) {
			t.Errorf("%s: runs go generate but its git status --porcelain does not name gen/, action.yml and native/action.yml: "+
				"go generate writes the inputs: and outputs: blocks of both action.yml files too, so their drift must fail it as gen/'s does", where)
		}
	}
	if generates < 3 {
		t.Errorf("found go generate in %d scripts, want at least 3 (.ci/run, ci.yml's lint job, release.yml's checks job); "+
			"each of them must check that gen/ matches openapi/", generates)
	}
}

// TestWriteJobsBuildWithoutCredentials checks that no job that may push
// to the repository builds while a write credential is within reach.
func TestWriteJobsBuildWithoutCredentials(t *testing.T) {
	t.Parallel()
	for _, rel := range []string{".github/workflows/ci.yml", ".github/workflows/release.yml"} {
		wf := parseWorkflow(t, rel, readRepoFile(t, rel))
		for _, p := range checkCredentialsBeforeBuilds(rel, wf) {
			t.Error(p)
		}
	}
}

// ---------------------------------------------------------------------------
// The checkers, proved against bad input.

func TestCheckCredentialsBeforeBuilds(t *testing.T) {
	t.Parallel()
	const (
		checkout     = "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1\n"
		checkoutDrop = checkout + "        with:\n          persist-credentials: false\n"
		build        = "      - run: go build ./...\n"
		push         = "      - run: git push origin v1\n        env:\n          GH_TOKEN: ${{ github.token }}\n"
	)
	job := func(perms string, steps ...string) string {
		return "jobs:\n  release:\n    runs-on: ubuntu-latest\n" + perms + "    steps:\n" + strings.Join(steps, "")
	}
	const write = "    permissions:\n      contents: write\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "accepts a build in a read-only job", text: job("    permissions:\n      contents: read\n", checkout, build)},
		{name: "accepts a write job that drops the credential and gives the token only to the push", text: job(write, checkoutDrop, build, push)},
		{name: "accepts a write job that removes the credential before it builds",
			text: job(write, checkout, "      - run: git config --local --unset-all http.https://github.com/.extraheader\n", build)},
		{name: "accepts a write job that builds before any checkout", text: job(write, build, checkout)},
		{name: "rejects a build after a checkout that keeps its credential", text: job(write, checkout, build),
			want: []string{`job "release" may write to the repository, and step 2 builds while the write credential of step 1 is on disk`}},
		{name: "rejects an image build after such a checkout",
			text: job(write, checkout, "      - uses: docker/build-push-action@0123456789abcdef0123456789abcdef01234567 # v7.3.0\n"),
			want: []string{"step 2 builds while"}},
		{name: "rejects go test and go run too", text: job(write, checkout, "      - run: go test ./...\n", "      - run: |\n          go run ./tools/release plan\n"),
			want: []string{"step 2 builds", "step 3 builds"}},
		{name: "takes write-all for write", text: job("    permissions: write-all\n", checkout, build), want: []string{"step 2 builds"}},
		{name: "takes the workflow's permissions when the job has none",
			text: "permissions:\n  contents: write\n" + job("", checkout, build), want: []string{"step 2 builds"}},
		{name: "takes unset permissions for the default, which may write", text: job("", checkout, build), want: []string{"step 2 builds"}},
		{name: "rejects a build that is handed a token", text: job(write, checkoutDrop, "      - run: make\n        env:\n          TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"),
			want: []string{"step 2 builds with a token in its env"}},
		{name: "ignores a build named only in a comment", text: job(write, checkout, "      - run: |\n          # go build is done elsewhere\n          echo ok\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wf := parseWorkflow(t, "release.yml", tt.text)
			assertProblems(t, checkCredentialsBeforeBuilds("release.yml", wf), tt.want)
		})
	}
}

func TestCheckJobsNeedChecks(t *testing.T) {
	t.Parallel()
	const checks = "  checks:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go vet ./...\n      - run: go test -race ./...\n"
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "accepts a publishing job that needs the checks",
			text: "jobs:\n" + checks + "  release:\n    needs: checks\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n",
		},
		{
			name: "accepts a publishing job that needs the checks through another job",
			text: "jobs:\n" + checks +
				"  image:\n    needs: [checks]\n    runs-on: ubuntu-latest\n    steps:\n      - run: make image\n" +
				"  release:\n    needs: image\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n",
		},
		{
			name: "accepts the tests and go vet run in one step with other flags",
			text: "jobs:\n  all:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          go vet ./...\n          go test -count=1 -race ./...\n",
		},
		{
			name: "rejects a publishing job that does not wait for the checks",
			text: "jobs:\n" + checks + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n",
			want: []string{`release.yml: job "release" does not need a job that runs go test -race ./... and go vet ./... (checks)`},
		},
		{
			name: "rejects a publishing job that needs a job unrelated to the checks",
			text: "jobs:\n" + checks +
				"  image:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make image\n" +
				"  release:\n    needs: image\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n",
			want: []string{`job "image" does not need`, `job "release" does not need`},
		},
		{
			name: "rejects a workflow whose tests run without the race detector",
			text: "jobs:\n  checks:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go vet ./...\n      - run: go test ./...\n" +
				"  release:\n    needs: checks\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n",
			want: []string{"no job runs both go test -race ./... and go vet ./..."},
		},
		{
			name: "rejects a workflow without go vet",
			text: "jobs:\n  checks:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test -race ./...\n",
			want: []string{"no job runs both"},
		},
		{
			name: "does not follow a cycle of needs forever",
			text: "jobs:\n" + checks +
				"  a:\n    needs: b\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo a\n" +
				"  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo b\n",
			want: []string{`job "a" does not need`, `job "b" does not need`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wf := parseWorkflow(t, "release.yml", tt.text)
			assertProblems(t, checkJobsNeedChecks("release.yml", wf), tt.want)
		})
	}
}

func TestCheckLocalActionDryRuns(t *testing.T) {
	t.Parallel()
	workflow := func(steps ...string) string {
		return "jobs:\n  dry-run:\n    runs-on: ubuntu-latest\n    steps:\n" + strings.Join(steps, "")
	}
	step := func(with string) string {
		return "      - uses: ./\n        with:\n" + with
	}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "accepts a dry run of set",
			text: workflow(step("          operation: set\n          name: X\n          value: v\n          dry-run: true\n")),
		},
		{
			name: "accepts a quoted true and a read beside the write",
			text: workflow(
				step("          operation: list\n          dry-run: 'true'\n"),
				step("          operation: sync\n          dry-run: \"true\"\n")),
		},
		{
			name: "takes a missing operation for the default, set",
			text: workflow(step("          name: X\n          value: v\n          dry-run: true\n")),
		},
		{
			name: "rejects a run of the action that writes for real",
			text: workflow(step("          operation: set\n          name: X\n          value: v\n")),
			want: []string{`ci.yml: job "dry-run", step 1 runs the action from the checkout without dry-run: true`, "no step runs a dry run"},
		},
		{
			name: "rejects dry-run false",
			text: workflow(step("          operation: delete\n          name: X\n          dry-run: false\n")),
			want: []string{"without dry-run: true", "no step runs a dry run"},
		},
		{
			name: "rejects a dry run computed by an expression",
			text: workflow(step("          operation: set\n          dry-run: ${{ github.event_name == 'push' }}\n")),
			want: []string{"without dry-run: true", "no step runs a dry run"},
		},
		{
			name: "rejects dry runs that only read",
			text: workflow(
				step("          operation: list\n          dry-run: true\n"),
				step("          operation: public-key\n          dry-run: true\n")),
			want: []string{"no step runs a dry run of an operation that writes"},
		},
		{
			name: "rejects a workflow that never runs the action",
			text: workflow("      - run: echo hi\n"),
			want: []string{"no step runs a dry run of an operation that writes"},
		},
		{
			name: "names the step by its name when it has one",
			text: workflow("      - name: Set it\n        uses: ./\n        with:\n          operation: set\n"),
			want: []string{`step "Set it" runs the action`, "no step runs a dry run"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wf := parseWorkflow(t, "ci.yml", tt.text)
			assertProblems(t, checkLocalActionDryRuns("ci.yml", wf), tt.want)
		})
	}
}

func TestCheckGenerateDrift(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script string
		want   string // substring of the problem; "" means it passes
	}{
		{
			name:   "accepts a script that does not generate",
			script: "go test ./...\n",
		},
		{
			name:   "accepts git status --porcelain after go generate",
			script: "go generate ./...\n[ -z \"$(git status --porcelain -- gen/)\" ]\n",
		},
		{
			name:   "accepts git status with more flags",
			script: "go generate ./...\ndrift=$(git status --porcelain --untracked-files=all -- gen/)\n",
		},
		{
			name:   "rejects git diff alone, which misses new files",
			script: "go generate ./...\ngit diff --exit-code -- gen/\n",
			want:   "runs go generate but not git status --porcelain",
		},
		{
			name:   "ignores a git status that is only in a comment",
			script: "go generate ./...\n# git status --porcelain would be better\ngit diff --exit-code\n",
			want:   "not git status --porcelain",
		},
		{
			name:   "rejects a git status that comes before go generate",
			script: "git status --porcelain -- gen/\ngo generate ./...\n",
			want:   "not git status --porcelain",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := checkGenerateDrift(tt.script)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("checkGenerateDrift reported %q, want no problem", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("checkGenerateDrift reported %q, want a problem containing %q", got, tt.want)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Workflow model and checkers.

// workflowFile is the part of a workflow file these checks read.
type workflowFile struct {
	Permissions *permissions           `yaml:"permissions"`
	Jobs        map[string]workflowJob `yaml:"jobs"`
}

// workflowJob is one job of a workflow.
type workflowJob struct {
	Needs       stringList     `yaml:"needs"`
	Permissions *permissions   `yaml:"permissions"`
	Steps       []workflowStep `yaml:"steps"`
}

// workflowStep is one step of a job.
type workflowStep struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// permissions is a permissions: block: read-all, write-all, or a map of
// scopes to read, write or none.
type permissions struct {
	all    string            // "read-all" or "write-all" when written so
	scopes map[string]string // otherwise
}

// UnmarshalYAML reads a permissions: value.
func (p *permissions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.all = n.Value
		return nil
	}
	if err := n.Decode(&p.scopes); err != nil {
		return fmt.Errorf("line %d: want read-all, write-all or a map of permissions: %w", n.Line, err)
	}
	return nil
}

// writesContents reports whether a job with these permissions (nil: not
// set) may push to the repository. Unset permissions get the repository's
// default, which may be write.
func (p *permissions) writesContents() bool {
	return p == nil || p.all == "write-all" || p.scopes["contents"] == "write"
}

// stringList is a YAML value written as one string or a list of strings,
// as `needs:` is.
type stringList []string

// UnmarshalYAML reads a string or a sequence of strings.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return fmt.Errorf("line %d: want a job name or a list of job names: %w", n.Line, err)
	}
	*l = list
	return nil
}

// parseWorkflow reads the workflow text (named name in failures).
func parseWorkflow(t *testing.T, name, text string) workflowFile {
	t.Helper()
	var wf workflowFile
	if err := yaml.Unmarshal([]byte(text), &wf); err != nil {
		t.Fatalf("%s: reading the workflow as YAML: %v", name, err)
	}
	return wf
}

// stepLabel names a step in messages: by its name, or by its position.
func stepLabel(i int, s workflowStep) string {
	if s.Name != "" {
		return fmt.Sprintf("step %q", s.Name)
	}
	return fmt.Sprintf("step %d", i+1)
}

// runScripts returns the run: scripts of the workflow, keyed by where they
// are: "file: job J, step S".
func runScripts(name string, wf workflowFile) map[string]string {
	out := map[string]string{}
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for i, s := range wf.Jobs[job].Steps {
			if s.Run != "" {
				out[fmt.Sprintf("%s: job %q, %s", name, job, stepLabel(i, s))] = s.Run
			}
		}
	}
	return out
}

var (
	goTestRaceRe = regexp.MustCompile(`(?m)^[^#\n]*\bgo test\b[^\n#]*\s-race\b[^\n#]*\s\./\.\.\.`)
	goVetRe      = regexp.MustCompile(`(?m)^[^#\n]*\bgo vet\b[^\n#]*\s\./\.\.\.`)
	goGenerateRe = regexp.MustCompile(`(?m)^[^#\n]*\bgo generate\b`)
	gitStatusRe  = regexp.MustCompile(`(?m)^[^#\n]*\bgit status\b[^\n#]*--porcelain`)
)

// checkJobsNeedChecks returns a problem for each job of wf that can start
// before a job running go test -race ./... and go vet ./... has passed,
// directly or through the jobs it needs; and one when no job runs them.
func checkJobsNeedChecks(name string, wf workflowFile) []string {
	gates := map[string]bool{}
	for job, j := range wf.Jobs {
		var runs strings.Builder
		for _, s := range j.Steps {
			runs.WriteString(s.Run)
			runs.WriteString("\n")
		}
		if goTestRaceRe.MatchString(runs.String()) && goVetRe.MatchString(runs.String()) {
			gates[job] = true
		}
	}
	if len(gates) == 0 {
		return []string{fmt.Sprintf("%s: no job runs both go test -race ./... and go vet ./...; add one, as in ci.yml, "+
			"and make every publishing job need it", name)}
	}
	var problems []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		if gates[job] || needsAny(wf, job, gates, map[string]bool{}) {
			continue
		}
		problems = append(problems, fmt.Sprintf("%s: job %q does not need a job that runs go test -race ./... and go vet ./... (%s), "+
			"so it can publish untested code; add needs: to it",
			name, job, strings.Join(slices.Sorted(maps.Keys(gates)), ", ")))
	}
	return problems
}

// needsAny reports whether job needs one of targets, directly or through
// the jobs it needs. seen stops cycles, which GitHub rejects anyway.
func needsAny(wf workflowFile, job string, targets, seen map[string]bool) bool {
	if seen[job] {
		return false
	}
	seen[job] = true
	for _, n := range wf.Jobs[job].Needs {
		if targets[n] || needsAny(wf, n, targets, seen) {
			return true
		}
	}
	return false
}

// writeOperations are the operations of action.yml that send write
// requests when not in a dry run.
var writeOperations = map[string]bool{
	"set": true, "delete": true, "set-repositories": true, "add-repositories": true,
	"remove-repositories": true, "sync": true,
}

// checkLocalActionDryRuns returns a problem for each step of wf that runs
// the action from the checkout (uses: ./) without a literal dry-run: true,
// since CI must never change an organization's secrets; and one when no
// such step plans a write, so the dry-run path goes untested.
func checkLocalActionDryRuns(name string, wf workflowFile) []string {
	var problems []string
	writes := false
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for i, s := range wf.Jobs[job].Steps {
			if s.Uses != "./" {
				continue
			}
			if s.With["dry-run"] != "true" {
				problems = append(problems, fmt.Sprintf("%s: job %q, %s runs the action from the checkout without dry-run: true; "+
					"CI must never change the organization's secrets", name, job, stepLabel(i, s)))
				continue
			}
			op := s.With["operation"]
			if op == "" {
				op = "set" // action.yml's default
			}
			if writeOperations[op] {
				writes = true
			}
		}
	}
	if !writes {
		problems = append(problems, fmt.Sprintf("%s: no step runs a dry run of an operation that writes (%s), "+
			"so planning a write is never tried against GitHub; add one with dry-run: true",
			name, strings.Join(slices.Sorted(maps.Keys(writeOperations)), ", ")))
	}
	return problems
}

// checkGenerateDrift says why script, if it runs go generate, would miss a
// file the generator newly creates: git diff sees tracked files only, so
// the script must look at git status --porcelain after generating. It
// returns "" when the script is fine.
func checkGenerateDrift(script string) string {
	loc := goGenerateRe.FindStringIndex(script)
	if loc == nil {
		return ""
	}
	if !gitStatusRe.MatchString(script[loc[1]:]) {
		return "runs go generate but not git status --porcelain after it; git diff alone misses files the generator creates, " +
			"so fail when git status --porcelain -- gen/ prints anything"
	}
	return ""
}

// generatedFilesStatusRe finds a git status --porcelain that looks at
// every file go generate writes: gen/ and both action.yml files.
var generatedFilesStatusRe = regexp.MustCompile(`(?m)^[^#\n]*\bgit status --porcelain\b[^\n]*\s--\s+gen/\s+action\.yml\s+native/action\.yml\b`)

var (
	// buildRe finds a step that runs code of the checkout or of its
	// dependencies: a build, a test, a generator, a package script.
	buildRe = regexp.MustCompile(`(?m)^[^#\n]*(\bgo\s+(build|run|test|generate|install|vet|tool)\b|\bdocker\s+(buildx\s+)?build\b|\bmake\b|\b(npm|yarn|pnpm)\s+(ci|install|run|test)\b)`)
	// dropCredentialsRe finds a step that removes the credentials
	// actions/checkout left in the repository's git config.
	dropCredentialsRe = regexp.MustCompile(`(?m)^[^#\n]*\bgit\s+config\b[^\n#]*--unset(-all)?\b[^\n#]*extraheader`)
	// tokenRe finds an expression handing a step a token.
	tokenRe = regexp.MustCompile(`\$\{\{\s*(secrets\.|github\.token\b)`)
)

// checkCredentialsBeforeBuilds returns a problem for each step of a job
// that may write to the repository (contents: write, write-all, or unset
// permissions) and runs a build while a write credential is within its
// reach: after an actions/checkout that kept its credentials in the git
// config (persist-credentials is not false) and before a step drops
// them, or with a token in the step's own env or with. Code run by a build
// could otherwise push to the repository; the token belongs only to the
// step that pushes.
func checkCredentialsBeforeBuilds(name string, wf workflowFile) []string {
	var problems []string
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		j := wf.Jobs[job]
		perms := j.Permissions
		if perms == nil {
			perms = wf.Permissions
		}
		if !perms.writesContents() {
			continue
		}
		onDisk := "" // the step whose checkout left credentials in the git config
		for i, s := range j.Steps {
			label := stepLabel(i, s)
			if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["persist-credentials"] != "false" {
				onDisk = label
			}
			if dropCredentialsRe.MatchString(s.Run) {
				onDisk = ""
			}
			if !buildRe.MatchString(s.Run) && !strings.HasPrefix(s.Uses, "docker/build-push-action@") {
				continue
			}
			if onDisk != "" {
				problems = append(problems, fmt.Sprintf("%s: job %q may write to the repository, and %s builds while the write credential "+
					"of %s is on disk; give that checkout persist-credentials: false, and the token only to the step that pushes",
					name, job, label, onDisk))
			}
			for _, v := range slices.Sorted(maps.Values(s.Env)) {
				if tokenRe.MatchString(v) {
					problems = append(problems, fmt.Sprintf("%s: job %q may write to the repository, and %s builds with a token in its env; "+
						"build in a step without it, or in a job without write permissions", name, job, label))
					break
				}
			}
			for _, v := range slices.Sorted(maps.Values(s.With)) {
				if tokenRe.MatchString(v) {
					problems = append(problems, fmt.Sprintf("%s: job %q may write to the repository, and %s builds with a token in its with; "+
						"build in a step without it, or in a job without write permissions", name, job, label))
					break
				}
			}
		}
	}
	return problems
}

// TestReleaseWorkflowKeepsItsPromises checks the release workflow's own
// wiring: see checkReleaseWiring.
func TestReleaseWorkflowKeepsItsPromises(t *testing.T) {
	t.Parallel()
	const rel = ".github/workflows/release.yml"
	for _, p := range checkReleaseWiring(rel, parseWorkflow(t, rel, readRepoFile(t, rel))) {
		t.Error(p)
	}
}

var (
	pinImageRe    = regexp.MustCompile(`(?m)^[^#\n]*\bgo run \./tools/release pin-image --digest "\$DIGEST"`)
	checkCommitRe = regexp.MustCompile(`(?m)^[^#\n]*\bgit diff --name-status "\$GITHUB_SHA" HEAD \| go run \./tools/release check-commit --digest "\$DIGEST"[^#]*--source-action\b`)
	checkSourceRe = regexp.MustCompile(`(?m)^[^#\n]*\bgo run \./tools/release check-source --ref "\$GITHUB_REF"`)
	imageTestRe   = regexp.MustCompile(`(?m)^[^#\n]*\bgo test -tags imagetest\b`)
	moveTagRe     = regexp.MustCompile(`(?m)^[^#\n]*\bgit tag -f\b`)
	publishRe     = regexp.MustCompile(`(?m)^[^#\n]*\bbash tools/release/publish-release\.sh\b`)
	tagImageRe    = regexp.MustCompile(`(?m)^[^#\n]*\bdocker buildx imagetools create\b`)
	tagLoopRe     = regexp.MustCompile(`(?m)^[^#\n]*\bfor tag in \$TAGS; do\n[^#\n]*--tag "\$IMAGE:\$tag"`)
	buildsBinRe   = regexp.MustCompile(`(?m)^[^#\n]*\bgo run \./tools/release binaries\b`)
)

// pushesImage reports whether s pushes an image: build-push-action with
// push: true, or with outputs that push.
func pushesImage(s workflowStep) bool {
	return strings.HasPrefix(s.Uses, "docker/build-push-action@") &&
		(s.With["push"] == "true" || strings.Contains(s.With["outputs"], "push=true"))
}

// checkReleaseWiring returns what breaks the release's promises in wf:
//   - every checkout drops its credentials;
//   - the plan job checks, with tools/release check-source, that the ref
//     is main or release-* and the source is no release commit, and every
//     job that builds what is published needs it;
//   - the image is run as the runner runs it before it is pushed, pushed
//     by digest only (no tag, push-by-digest), then run again from that
//     digest;
//   - the release commit's action.yml is rewritten by tools/release with
//     the pushed image's digest, and check-commit compares it, with that
//     digest, to the source's;
//   - the GitHub release is made by publish-release.sh (a draft, then
//     published; safe to run again) with the plan's latest;
//   - git tags move only as tools/release plan says (never to a lower
//     version), and the image gets its tags only in the job that
//     publishes, after the release is published, all from the plan's tags.
func checkReleaseWiring(name string, wf workflowFile) []string {
	var problems []string
	var pins, checks, publishes int
	sourceCheckers := map[string]bool{}
	for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
		tested, published := false, false
		pushed := "" // the id of this job's step that pushed the image
		for i, s := range wf.Jobs[job].Steps {
			where := fmt.Sprintf("%s: job %q, %s", name, job, stepLabel(i, s))
			if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["persist-credentials"] != "false" {
				problems = append(problems, where+" checks out with persist-credentials left on; set it to false")
			}
			if checkSourceRe.MatchString(s.Run) {
				sourceCheckers[job] = true
			}
			if pinImageRe.MatchString(s.Run) {
				pins++
				if s.Env["DIGEST"] != "${{ needs.image.outputs.digest }}" {
					problems = append(problems, where+" pins a DIGEST that is not the pushed image's (needs.image.outputs.digest)")
				}
			}
			if checkCommitRe.MatchString(s.Run) {
				checks++
				if s.Env["DIGEST"] != "${{ needs.image.outputs.digest }}" {
					problems = append(problems, where+" checks the release commit against a DIGEST that is not the pushed image's (needs.image.outputs.digest)")
				}
			}
			if imageTestRe.MatchString(s.Run) {
				tested = true
				if pushed != "" {
					want := "${{ env.IMAGE }}@${{ steps." + pushed + ".outputs.digest }}"
					if got := s.Env["CODESPACES_ORG_SECRETS_IMAGE"]; got != want {
						problems = append(problems, fmt.Sprintf("%s tests the image %q after the push, want the pushed bytes, %s", where, got, want))
					} else {
						pushed = "tested"
					}
				}
			}
			if strings.HasPrefix(s.Uses, "docker/build-push-action@") && s.With["tags"] != "" && (pushesImage(s) || s.With["load"] != "true") {
				problems = append(problems, where+" pushes an image with tags; push by digest only, and tag it in the publish job once the release is out")
			}
			if pushesImage(s) {
				if !tested {
					problems = append(problems, where+" pushes an image before this job ran go test -tags imagetest on it")
				}
				if !strings.Contains(s.With["outputs"], "push-by-digest=true") {
					problems = append(problems, where+" pushes the image without outputs: ...,push-by-digest=true, so it may be tagged before the release is checked")
				}
				if s.ID == "" {
					problems = append(problems, where+" pushes the image but has no id, so no step can name its digest")
				}
				pushed = s.ID
			}
			if moveTagRe.MatchString(s.Run) && s.Env["MOVING"] != "${{ needs.plan.outputs.moving-tags }}" {
				problems = append(problems, where+" moves tags that tools/release plan did not choose; take them from needs.plan.outputs.moving-tags")
			}
			if publishRe.MatchString(s.Run) {
				publishes++
				published = true
				if s.Env["LATEST"] != "${{ needs.plan.outputs.latest }}" {
					problems = append(problems, where+" publishes with a LATEST that tools/release plan did not choose; take it from needs.plan.outputs.latest")
				}
			}
			if tagImageRe.MatchString(s.Run) {
				switch {
				case !published:
					problems = append(problems, where+" tags the image before this job published the release with tools/release/publish-release.sh")
				case s.Env["TAGS"] != "${{ needs.plan.outputs.tags }}" || !tagLoopRe.MatchString(s.Run):
					problems = append(problems, where+" tags the image with tags tools/release plan did not choose; "+
						"give it TAGS: ${{ needs.plan.outputs.tags }} (vX.Y.Z and the moving-tags) and --tag \"$IMAGE:$tag\" for each")
				case s.Env["DIGEST"] != "${{ needs.image.outputs.digest }}":
					problems = append(problems, where+" tags a DIGEST that is not the pushed image's (needs.image.outputs.digest)")
				}
			}
		}
		if pushed != "" && pushed != "tested" {
			problems = append(problems, fmt.Sprintf("%s: job %q pushes the image but never pulls it back by digest and runs go test -tags imagetest on it "+
				"(CODESPACES_ORG_SECRETS_IMAGE: ${{ env.IMAGE }}@${{ steps.%s.outputs.digest }})", name, job, pushed))
		}
	}
	if len(sourceCheckers) == 0 {
		problems = append(problems, fmt.Sprintf(`%s: no job runs go run ./tools/release check-source --ref "$GITHUB_REF", `+
			"so a branch made off a release tag fails only after its image is pushed", name))
	} else {
		for _, job := range slices.Sorted(maps.Keys(wf.Jobs)) {
			builds := false
			for _, s := range wf.Jobs[job].Steps {
				builds = builds || strings.HasPrefix(s.Uses, "docker/build-push-action@") || buildsBinRe.MatchString(s.Run)
			}
			if builds && !sourceCheckers[job] && !needsAny(wf, job, sourceCheckers, map[string]bool{}) {
				problems = append(problems, fmt.Sprintf("%s: job %q builds what the release publishes without needing the job that runs check-source (%s)",
					name, job, strings.Join(slices.Sorted(maps.Keys(sourceCheckers)), ", ")))
			}
		}
	}
	for _, need := range []struct {
		n    int
		what string
	}{
		{pins, `step that runs go run ./tools/release pin-image --digest "$DIGEST"`},
		{checks, `step that runs git diff --name-status "$GITHUB_SHA" HEAD | go run ./tools/release check-commit --digest "$DIGEST" ... --source-action`},
		{publishes, "step that publishes the release with bash tools/release/publish-release.sh (a draft, then published)"},
	} {
		if need.n == 0 {
			problems = append(problems, fmt.Sprintf("%s: no %s", name, need.what))
		}
	}
	return problems
}

func TestCheckReleaseWiring(t *testing.T) {
	t.Parallel()
	const (
		checkout = "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1\n        with:\n          persist-credentials: false\n"
		source   = "      - run: go run ./tools/release check-source --ref \"$GITHUB_REF\"\n"
		test     = "      - run: go test -tags imagetest -run '^TestImage' .\n"
		push     = "      - id: push\n        uses: docker/build-push-action@0123456789abcdef0123456789abcdef01234567 # v7.3.0\n        with:\n" +
			"          outputs: type=image,name=${{ env.IMAGE }},push-by-digest=true,name-canonical=true,push=true\n"
		retest = "      - run: go test -tags imagetest -run '^TestImage' .\n        env:\n          CODESPACES_ORG_SECRETS_IMAGE: ${{ env.IMAGE }}@${{ steps.push.outputs.digest }}\n"
		bins   = "      - run: go run ./tools/release binaries --version \"$VERSION\" --out dist\n"
		pin    = "      - run: go run ./tools/release pin-image --digest \"$DIGEST\"\n        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n"
		check  = "      - run: git diff --name-status \"$GITHUB_SHA\" HEAD | go run ./tools/release check-commit --digest \"$DIGEST\" --source-action s.yml\n" +
			"        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n"
		publish = "      - run: bash tools/release/publish-release.sh release/notes.md dist/*\n        env:\n          LATEST: ${{ needs.plan.outputs.latest }}\n"
		move    = "      - run: git tag -f \"$tag\" \"$VERSION\"\n        env:\n          MOVING: ${{ needs.plan.outputs.moving-tags }}\n"
		tag     = "      - run: |\n          for tag in $TAGS; do\n            args+=(--tag \"$IMAGE:$tag\")\n          done\n" +
			"          docker buildx imagetools create \"${args[@]}\" \"$IMAGE@$DIGEST\"\n" +
			"        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n          TAGS: ${{ needs.plan.outputs.tags }}\n"
	)
	wf := func(image, commit, release string) string {
		return "jobs:\n  plan:\n    steps:\n" + checkout + source +
			"  image:\n    needs: plan\n    steps:\n" + image +
			"  binaries:\n    needs: plan\n    steps:\n" + checkout + bins +
			"  commit:\n    needs: [image, binaries]\n    steps:\n" + commit +
			"  publish:\n    needs: commit\n    steps:\n" + release
	}
	good := wf(checkout+test+push+retest, checkout+pin+check, checkout+publish+move+tag)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "accepts the release as it should be", text: good},
		{name: "rejects a checkout that keeps its credentials",
			text: strings.Replace(good, "        with:\n          persist-credentials: false\n", "", 1), want: []string{`job "plan", step 1 checks out with persist-credentials left on`}},
		{name: "rejects a release that does not check its source", text: strings.Replace(good, source, "", 1),
			want: []string{"no job runs go run ./tools/release check-source"}},
		{name: "rejects a build that does not wait for the check of the source", text: strings.Replace(good, "  binaries:\n    needs: plan\n", "  binaries:\n", 1),
			want: []string{`job "binaries" builds what the release publishes without needing the job that runs check-source (plan)`}},
		{name: "rejects a push before the image test", text: wf(checkout+push+test+retest, checkout+pin+check, checkout+publish+move+tag),
			want: []string{"pushes an image before this job ran go test -tags imagetest", `step 3 tests the image "" after the push`}},
		{name: "rejects a push with push: true, which pushes the tags",
			text: strings.Replace(good, "          outputs: type=image,name=${{ env.IMAGE }},push-by-digest=true,name-canonical=true,push=true\n",
				"          push: true\n          tags: ${{ steps.meta.outputs.tags }}\n", 1),
			want: []string{"pushes an image with tags", "without outputs: ...,push-by-digest=true"}},
		{name: "rejects tags beside a push by digest",
			text: strings.Replace(good, "name-canonical=true,push=true\n", "name-canonical=true,push=true\n          tags: ghcr.io/o/r:v1.2.3\n", 1),
			want: []string{"pushes an image with tags"}},
		{name: "rejects a job that never runs the pushed bytes", text: strings.Replace(good, retest, "", 1),
			want: []string{`job "image" pushes the image but never pulls it back by digest`}},
		{name: "rejects a second test of the local build instead of the pushed one",
			text: strings.Replace(good, "${{ env.IMAGE }}@${{ steps.push.outputs.digest }}", "codespaces-org-secrets:release-check", 1),
			want: []string{`tests the image "codespaces-org-secrets:release-check" after the push`, "never pulls it back"}},
		{name: "rejects pinning another digest", text: strings.Replace(good, "needs.image.outputs.digest", "inputs.digest", 1),
			want: []string{"pins a DIGEST that is not the pushed image's"}},
		{name: "rejects a release without the rewrite", text: strings.Replace(good, pin, "      - run: sed -i 's|Dockerfile|docker://x|' action.yml\n", 1),
			want: []string{"no step that runs go run ./tools/release pin-image"}},
		{name: "rejects a release commit that is not checked", text: strings.Replace(good, check, "", 1),
			want: []string{"check-commit"}},
		{name: "rejects a check of the file names only",
			text: strings.Replace(good, ` --digest "$DIGEST" --source-action s.yml`, "", 1), want: []string{"no step that runs git diff"}},
		{name: "rejects a check against another digest",
			text: strings.Replace(good, "        env:\n          DIGEST: ${{ needs.image.outputs.digest }}\n  publish", "        env:\n          DIGEST: ${{ inputs.digest }}\n  publish", 1),
			want: []string{"checks the release commit against a DIGEST that is not the pushed image's"}},
		{name: "rejects moving tags the plan did not choose", text: strings.Replace(good, "needs.plan.outputs.moving-tags", "needs.plan.outputs.tags", 1),
			want: []string{"moves tags that tools/release plan did not choose"}},
		{name: "rejects a release not made by publish-release.sh",
			text: strings.Replace(good, publish, "      - run: gh release create \"$VERSION\" dist/*\n", 1),
			want: []string{"no step that publishes the release with bash tools/release/publish-release.sh", "tags the image before this job published"}},
		{name: "rejects a latest the plan did not choose",
			text: strings.Replace(good, "LATEST: ${{ needs.plan.outputs.latest }}", "LATEST: true", 1), want: []string{"publishes with a LATEST"}},
		{name: "rejects image tags the plan did not choose",
			text: strings.Replace(good, "TAGS: ${{ needs.plan.outputs.tags }}", "TAGS: v1 latest", 1),
			want: []string{"tags the image with tags tools/release plan did not choose"}},
		{name: "rejects image tags written into the step",
			text: strings.Replace(good, `args+=(--tag "$IMAGE:$tag")`, `args+=(--tag "$IMAGE:v1")`, 1),
			want: []string{"tags the image with tags tools/release plan did not choose"}},
		{name: "rejects tagging another digest",
			text: strings.Replace(good, "          DIGEST: ${{ needs.image.outputs.digest }}\n          TAGS", "          DIGEST: ${{ inputs.digest }}\n          TAGS", 1),
			want: []string{"tags a DIGEST that is not the pushed image's"}},
		{name: "rejects tagging the image before the release is published",
			text: wf(checkout+test+push+retest, checkout+pin+check, checkout+tag+publish+move),
			want: []string{"tags the image before this job published the release"}},
		{name: "rejects tagging the image in the image job",
			text: wf(checkout+test+push+retest+tag, checkout+pin+check, checkout+publish+move),
			want: []string{`job "image", step 5 tags the image before this job published`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkReleaseWiring("release.yml", parseWorkflow(t, "release.yml", tt.text)), tt.want)
		})
	}
}
