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
	}
	if generates < 3 {
		t.Errorf("found go generate in %d scripts, want at least 3 (.ci/run, ci.yml's lint job, release.yml's checks job); "+
			"each of them must check that gen/ matches openapi/", generates)
	}
}

// ---------------------------------------------------------------------------
// The checkers, proved against bad input.

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
	Jobs map[string]workflowJob `yaml:"jobs"`
}

// workflowJob is one job of a workflow.
type workflowJob struct {
	Needs stringList     `yaml:"needs"`
	Steps []workflowStep `yaml:"steps"`
}

// workflowStep is one step of a job.
type workflowStep struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
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
