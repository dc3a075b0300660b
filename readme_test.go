package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	reads := map[string]bool{"get": true, "list": true, "list-repositories": true, "public-key": true, "export": true}
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			if !strings.HasPrefix(s.Uses, "codespaces-org-secrets/codespaces-org-secrets@") &&
				!strings.HasPrefix(s.Uses, "codespaces-org-secrets/codespaces-org-secrets/native@") {
				continue // not a step of this action, in either of its entry points
			}
			if !reads[s.With["operation"]] && s.With["dry-run"] != "true" {
				return false
			}
		}
	}
	return true
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
