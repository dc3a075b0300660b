package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlBlock is one ```yaml block of the README, and the line it starts on.
type yamlBlock struct {
	line int
	text string
}

// readmeYAML returns the README's ```yaml blocks.
func readmeYAML(t *testing.T) []yamlBlock {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []yamlBlock
	var cur *yamlBlock
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```yaml":
			cur = &yamlBlock{line: i + 2}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += l + "\n"
		}
	}
	if cur != nil || len(blocks) == 0 {
		t.Fatalf("README.md: %d yaml blocks, the last one unclosed: %v", len(blocks), cur != nil)
	}
	return blocks
}

// workflow is the part of a workflow the recipes' checks look at.
type workflow struct {
	Concurrency *struct {
		Group string `yaml:"group"`
	} `yaml:"concurrency"`
	Jobs map[string]struct {
		Concurrency *struct {
			Group string `yaml:"group"`
		} `yaml:"concurrency"`
		Steps []struct {
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// readOnly reports whether every step of the workflow that runs this
// action only reads the organization's secrets.
func (w workflow) readOnly() bool {
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			if isThisAction(s.Uses) && !readsOnly(s.With) {
				return false
			}
		}
	}
	return true
}

// isThisAction reports whether a step's uses is this action, in either of
// its entry points.
func isThisAction(uses string) bool {
	return strings.HasPrefix(uses, "codespaces-org-secrets/codespaces-org-secrets@") ||
		strings.HasPrefix(uses, "codespaces-org-secrets/codespaces-org-secrets/native@")
}

// readsOnly reports whether a step of this action with these inputs only
// reads: a read operation, or dry-run: true.
func readsOnly(with map[string]string) bool {
	reads := map[string]bool{"get": true, "list": true, "list-repositories": true, "public-key": true, "export": true}
	return reads[with["operation"]] || with["dry-run"] == "true"
}

// The README's workflows are what users copy: each must parse, pass
// actionlint, and serialize its runs without cancelling a waiting write.
func TestTheReadmeWorkflowsAreValid(t *testing.T) {
	blocks := readmeYAML(t)
	lint := actionlintPath(t)
	workflows := 0
	for _, b := range blocks {
		var doc any
		if err := yaml.Unmarshal([]byte(b.text), &doc); err != nil {
			t.Errorf("README.md:%d: the yaml block does not parse: %v", b.line, err)
			continue
		}
		var w workflow
		if m, ok := doc.(map[string]any); !ok || m["jobs"] == nil || yaml.Unmarshal([]byte(b.text), &w) != nil {
			continue // a manifest, or a step to paste
		}
		workflows++
		var groups []string
		if w.Concurrency != nil {
			groups = append(groups, w.Concurrency.Group)
		}
		for _, j := range w.Jobs {
			if j.Concurrency != nil {
				groups = append(groups, j.Concurrency.Group)
			}
		}
		const writeGroup = "codespaces-secrets-${{ github.repository_owner }}"
		switch {
		case len(groups) == 0:
			t.Errorf("README.md:%d: the workflow has no concurrency group", b.line)
		case w.readOnly() && strings.Contains(strings.Join(groups, " "), writeGroup):
			t.Errorf("README.md:%d: the workflow only reads, but shares the group %q of the writes, so it could cancel a waiting write", b.line, writeGroup)
		}
		if lint != "" {
			runActionlint(t, lint, b)
		}
	}
	if workflows < 10 {
		t.Errorf("found %d workflows in README.md, want the 10 recipes at least", workflows)
	}
}

// actionlintPath finds actionlint where .ci/run installs it, or on PATH.
// Outside CI, a machine without it skips only the lint.
func actionlintPath(t *testing.T) string {
	t.Helper()
	if p, err := filepath.Abs(filepath.Join(".ci", "bin", "actionlint")); err == nil {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("actionlint"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("actionlint is not in .ci/bin or on PATH: run .ci/run, which installs it")
	}
	t.Log("actionlint is not installed (.ci/run installs it): the README's workflows are only parsed")
	return ""
}

func runActionlint(t *testing.T, lint string, b yamlBlock) {
	t.Helper()
	cmd := exec.Command(lint, "-no-color", "-stdin-filename", fmt.Sprintf("README.md:%d", b.line), "-")
	cmd.Stdin = strings.NewReader(b.text)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Errorf("actionlint on the workflow at README.md:%d: %v\n%s", b.line, err, out.String())
	}
}

// The two least-privilege rules of the README's recipes, checked on every
// workflow in it, so that a recipe added later is held to them too:
//   - every job that writes (a step of this action whose operation changes
//     secrets, without dry-run: true) runs in the environment
//     codespaces-secrets, whose branch rule keeps pull requests out, and
//     does not use the read-only token;
//   - no job outside that environment, in a workflow a pull_request or
//     pull_request_target event starts, refers to a secret that a writing
//     job uses (in the job or the workflow's env, in any case), or is given
//     every secret: a pull request can change the job and print it.
func TestTheReadmeRecipesKeepTheWriteTokenFromPullRequests(t *testing.T) {
	var texts []string
	for _, b := range readmeYAML(t) {
		texts = append(texts, b.text)
	}
	problems, workflows := privilegeProblems(t, texts)
	for _, p := range problems {
		t.Error("README.md: " + p)
	}
	if workflows < 11 {
		t.Errorf("checked %d workflows in README.md, want the 11 recipes at least", workflows)
	}
}

// The rules catch what they are for: the old sync recipe, which gave the
// write token to a job that pull requests run, and a writing job outside
// the environment.
func TestThePrivilegeRulesCatchAWriteTokenInAPullRequest(t *testing.T) {
	old := `on:
  push:
    branches: [main]
  pull_request:
permissions: {}
jobs:
  sync:
    runs-on: ubuntu-latest
    steps:
      - uses: codespaces-org-secrets/codespaces-org-secrets@v1
        with:
          token: ${{ secrets.ORG_ADMIN_TOKEN }}
          operation: sync
          dry-run: ${{ github.event_name == 'pull_request' }}
`
	readInWrite := `on: workflow_dispatch
jobs:
  set:
    runs-on: ubuntu-latest
    environment: {name: codespaces-secrets}
    steps:
      - uses: codespaces-org-secrets/codespaces-org-secrets/native@v1
        with:
          token: ${{ secrets.ORG_SECRETS_READ_TOKEN }}
          name: A
          value: ${{ secrets.A }}
`
	// The workflow's env reaches every job: the write token in it is the
	// pull request's too.
	workflowEnv := `on: pull_request
env:
  ADMIN: ${{ secrets.ORG_ADMIN_TOKEN }}
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: codespaces-org-secrets/codespaces-org-secrets@v1
        with:
          token: ${{ env.ADMIN }}
          operation: list
`
	// Secret names are case-insensitive, and the index syntax names one too.
	otherSpellings := `on: [pull_request]
jobs:
  lower:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ secrets.org_admin_token }}" | base64
  index:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ secrets['ORG_ADMIN_TOKEN'] }}" | base64
`
	// A job that is given every secret is given the write token.
	everySecret := `on: pull_request_target
jobs:
  call:
    uses: ./.github/workflows/plan.yml
    secrets: inherit
  dump:
    runs-on: ubuntu-latest
    steps:
      - run: echo '${{ toJSON(secrets) }}' | base64
`
	problems, _ := privilegeProblems(t, []string{old, readInWrite, workflowEnv, otherSpellings, everySecret})
	want := []string{
		`job "sync" writes, but does not run in the environment "codespaces-secrets"`,
		`job "sync" can run for a pull request, and refers to secrets.ORG_ADMIN_TOKEN`,
		`job "set" writes with the read-only token`,
		`workflow 3, job "plan" can run for a pull request, and refers to secrets.ORG_ADMIN_TOKEN`,
		`workflow 4, job "lower" can run for a pull request, and refers to secrets.ORG_ADMIN_TOKEN`,
		`workflow 4, job "index" can run for a pull request, and refers to secrets.ORG_ADMIN_TOKEN`,
		`workflow 5, job "call" can run for a pull request, and is given every secret`,
		`workflow 5, job "dump" can run for a pull request, and is given every secret`,
	}
	for _, w := range want {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("no problem says %q; problems:\n%s", w, strings.Join(problems, "\n"))
		}
	}
}

// writeEnvironment is the environment that holds the write token.
const writeEnvironment = "codespaces-secrets"

// recipe is what the privilege rules read of a workflow.
type recipe struct {
	On   any                  `yaml:"on"`
	Jobs map[string]recipeJob `yaml:"jobs"`
}

type recipeJob struct {
	Environment any `yaml:"environment"` // a name, or {name, url}
	Steps       []struct {
		Uses string            `yaml:"uses"`
		With map[string]string `yaml:"with"`
	} `yaml:"steps"`
	secrets    []string // the secrets.NAME the job refers to anywhere, or the workflow's env does
	allSecrets bool     // the job is given every secret: secrets: inherit, or the whole secrets context in an expression
}

// secretRef finds secrets.NAME and secrets['NAME'], in any case: GitHub's
// secret names are case-insensitive.
var secretRef = regexp.MustCompile(`(?i)\bsecrets\s*(?:\.\s*([a-z_][a-z0-9_]*)|\[\s*'([a-z_][a-z0-9_]*)'\s*\])`)

// expression finds the ${{ }} expressions; wholeSecrets, in one, the
// secrets context not followed by a name (toJSON(secrets), say).
var (
	expression   = regexp.MustCompile(`(?s)\$\{\{(.*?)\}\}`)
	wholeSecrets = regexp.MustCompile(`(?i)\bsecrets\b\s*([.\[]?)`)
)

// privilegeProblems checks the rules on the workflows among texts (the
// other YAML is skipped) and returns one line per broken rule, and how
// many workflows it checked.
func privilegeProblems(t *testing.T, texts []string) ([]string, int) {
	t.Helper()
	var recipes []recipe
	writeSecrets := map[string]bool{}
	for _, text := range texts {
		r, ok := parseRecipe(t, text)
		if !ok {
			continue
		}
		recipes = append(recipes, r)
		for _, j := range r.Jobs {
			if j.writes() {
				for _, s := range j.secrets {
					writeSecrets[s] = true
				}
			}
		}
	}
	var problems []string
	for i, r := range recipes {
		for _, name := range slices.Sorted(maps.Keys(r.Jobs)) {
			j := r.Jobs[name]
			at := fmt.Sprintf("workflow %d, job %q", i+1, name)
			switch {
			case j.writes() && j.environment() != writeEnvironment:
				problems = append(problems, fmt.Sprintf("%s writes, but does not run in the environment %q", at, writeEnvironment))
			case j.writes() && slices.Contains(j.secrets, "ORG_SECRETS_READ_TOKEN"):
				problems = append(problems, at+" writes with the read-only token ORG_SECRETS_READ_TOKEN")
			}
			if !r.pullRequest() || j.environment() == writeEnvironment {
				continue
			}
			if j.allSecrets {
				problems = append(problems, at+" can run for a pull request, and is given every secret, the write token's too: give it only ORG_SECRETS_READ_TOKEN")
			}
			for _, s := range j.secrets {
				if writeSecrets[s] {
					problems = append(problems, fmt.Sprintf("%s can run for a pull request, and refers to secrets.%s, which a writing job uses: give it ORG_SECRETS_READ_TOKEN", at, s))
				}
			}
		}
	}
	return problems, len(recipes)
}

// parseRecipe reads a workflow; ok is false for YAML that is not one.
func parseRecipe(t *testing.T, text string) (recipe, bool) {
	t.Helper()
	var raw struct {
		Env  any            `yaml:"env"` // reaches every job
		Jobs map[string]any `yaml:"jobs"`
	}
	var r recipe
	if yaml.Unmarshal([]byte(text), &raw) != nil || len(raw.Jobs) == 0 || yaml.Unmarshal([]byte(text), &r) != nil {
		return recipe{}, false
	}
	env, err := yaml.Marshal(raw.Env)
	if err != nil {
		t.Fatal(err)
	}
	for name, job := range raw.Jobs {
		b, err := yaml.Marshal(job)
		if err != nil {
			t.Fatal(err)
		}
		j := r.Jobs[name]
		for _, m := range secretRef.FindAllStringSubmatch(string(env)+string(b), -1) {
			ref := strings.ToUpper(m[1] + m[2])
			if ref != "GITHUB_TOKEN" && !slices.Contains(j.secrets, ref) {
				j.secrets = append(j.secrets, ref)
			}
		}
		if m, ok := job.(map[string]any); ok && m["secrets"] == "inherit" {
			j.allSecrets = true
		}
		for _, e := range expression.FindAllStringSubmatch(string(env)+string(b), -1) {
			for _, m := range wholeSecrets.FindAllStringSubmatch(e[1], -1) {
				j.allSecrets = j.allSecrets || m[1] == ""
			}
		}
		r.Jobs[name] = j
	}
	return r, true
}

// writes reports whether a step of the job runs this action with an
// operation that changes secrets, and no dry-run: true.
func (j recipeJob) writes() bool {
	for _, s := range j.Steps {
		if isThisAction(s.Uses) && !readsOnly(s.With) {
			return true
		}
	}
	return false
}

// environment is the name of the job's environment, or "".
func (j recipeJob) environment() string {
	switch e := j.Environment.(type) {
	case string:
		return e
	case map[string]any:
		name, _ := e["name"].(string)
		return name
	}
	return ""
}

// pullRequest reports whether a pull_request or pull_request_target
// event starts the workflow.
func (r recipe) pullRequest() bool {
	var events []string
	switch on := r.On.(type) {
	case string:
		events = []string{on}
	case []any:
		for _, e := range on {
			events = append(events, fmt.Sprint(e))
		}
	case map[string]any:
		events = slices.Collect(maps.Keys(on))
	}
	return slices.Contains(events, "pull_request") || slices.Contains(events, "pull_request_target")
}

// TestPushTriggeredSyncsDoNotRewriteValues: a sync that a push starts,
// given values, must not write them on every push: that would move every
// secret's updated_at, so that the README's max-age audit could never find
// a stale one, and say "changed" every time. The recipes set overwrite:
// false there, and leave new values to rotation.
func TestPushTriggeredSyncsDoNotRewriteValues(t *testing.T) {
	checked := 0
	for _, b := range readmeYAML(t) {
		var w struct {
			On   any `yaml:"on"`
			Jobs map[string]struct {
				Steps []struct {
					Uses string            `yaml:"uses"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if yaml.Unmarshal([]byte(b.text), &w) != nil || w.Jobs == nil {
			continue
		}
		on, ok := w.On.(map[string]any)
		if _, push := on["push"]; !ok || !push {
			continue
		}
		for _, j := range w.Jobs {
			for _, s := range j.Steps {
				if !strings.HasPrefix(s.Uses, "codespaces-org-secrets/codespaces-org-secrets") || s.With["operation"] != "sync" || s.With["secrets"] == "" {
					continue
				}
				checked++
				if s.With["overwrite"] != "false" {
					t.Errorf("README.md:%d: a push-triggered sync with values has overwrite %q: set `overwrite: false`, and leave new values to rotation", b.line, s.With["overwrite"])
				}
			}
		}
	}
	if checked == 0 {
		t.Error("README.md has no push-triggered sync with values: the rule checked nothing")
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	audit := string(b)[strings.Index(string(b), "### Audit"):]
	if !strings.Contains(audit[:strings.Index(audit, "## Concurrent")], "overwrite: false") {
		t.Error("README.md: the audit recipe does not say why a sync does not keep every secret young (overwrite: false)")
	}
}
