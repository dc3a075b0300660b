package repocheck

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// RELEASING.md, the maintainers' checklist, and the README's statements
// that depend on the release workflow and the Dockerfile.

// TestReleasingChecklistKeepsUp checks RELEASING.md against release.yml
// and the README against the Dockerfile: see checkReleasing and
// checkBuildKitNote.
func TestReleasingChecklistKeepsUp(t *testing.T) {
	t.Parallel()
	const rel = ".github/workflows/release.yml"
	readme := readRepoFile(t, "README.md")
	problems := checkReleasing(readRepoFile(t, "RELEASING.md"), readme, parseWorkflow(t, rel, readRepoFile(t, rel)))
	problems = append(problems, checkBuildKitNote(readRepoFile(t, "Dockerfile"), readme)...)
	for _, p := range problems {
		t.Error(p)
	}
}

// releasingSteps are the one-time steps RELEASING.md lists, in this
// order, each as the bold text that starts it.
var releasingSteps = []string{
	"**Make the repository public**",
	"**Let the organization publish public packages**",
	"**Create the `release` environment**",
	"**Admit the pinned actions**",
	"**Protect the release tags with a ruleset**",
	"**Turn on immutable releases**",
	"**Accept the GitHub Marketplace Developer Agreement**",
}

var actionNameRe = regexp.MustCompile(`^([^/@\s]+/[^/@\s]+)`)

// checkReleasing returns a problem unless RELEASING.md has each of
// releasingSteps in order, each followed by what breaks when it is
// skipped; names, for the allowed-actions policy, every action release.yml
// uses; and the README links to it.
func checkReleasing(releasing, readme string, wf workflowFile) []string {
	var problems []string
	pos := make([]int, len(releasingSteps))
	for i, step := range releasingSteps {
		pos[i] = strings.Index(releasing, step)
	}
	prev := -1
	for i, step := range releasingSteps {
		switch {
		case pos[i] < 0:
			problems = append(problems, fmt.Sprintf("RELEASING.md: step %d, %s, is missing", i+1, step))
			continue
		case pos[i] < prev:
			problems = append(problems, fmt.Sprintf("RELEASING.md: step %d, %s, comes before the step above it in releasingSteps", i+1, step))
		}
		prev = max(prev, pos[i])
		end := len(releasing) // the section of the step ends where the next one starts
		for _, p := range pos {
			if p > pos[i] && p < end {
				end = p
			}
		}
		if !strings.Contains(releasing[pos[i]:end], "If skipped:") {
			problems = append(problems, fmt.Sprintf("RELEASING.md: step %s does not say what breaks (If skipped: ...)", step))
		}
	}
	actions := map[string]bool{}
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			if m := actionNameRe.FindStringSubmatch(s.Uses); m != nil && !strings.HasPrefix(s.Uses, "./") {
				actions[m[1]] = true
			}
		}
	}
	for _, a := range slices.Sorted(maps.Keys(actions)) {
		if !strings.Contains(releasing, "`"+a+"`") {
			problems = append(problems, fmt.Sprintf("RELEASING.md does not list `%s`, which release.yml uses, among the actions the organization's policy must admit", a))
		}
	}
	if !strings.Contains(readme, "(RELEASING.md)") {
		problems = append(problems, "README.md does not link to RELEASING.md")
	}
	return problems
}

// checkBuildKitNote returns a problem when the Dockerfile needs BuildKit
// ($BUILDPLATFORM, which Docker's classic builder leaves empty) and the
// README does not say so with the error users see and the fix.
func checkBuildKitNote(dockerfile, readme string) []string {
	if !strings.Contains(dockerfile, "$BUILDPLATFORM") && !strings.Contains(dockerfile, "${BUILDPLATFORM}") {
		return nil
	}
	var problems []string
	for _, want := range []string{"failed to parse platform", "docker-buildx", "self-hosted"} {
		if !strings.Contains(readme, want) {
			problems = append(problems, fmt.Sprintf("README.md: the Dockerfile uses $BUILDPLATFORM, which the classic builder fails on, "+
				"but the README does not say %q", want))
		}
	}
	return problems
}

func TestCheckReleasing(t *testing.T) {
	t.Parallel()
	var good strings.Builder
	for _, s := range releasingSteps {
		good.WriteString("1. " + s + " (where).\n   If skipped: what breaks.\n")
	}
	good.WriteString("Actions: `actions/checkout`, `docker/login-action`.\n")
	wf := "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567 # v7.0.1\n" +
		"      - uses: docker/login-action@0123456789abcdef0123456789abcdef01234567 # v4.1.0\n      - uses: ./\n"
	const readme = "See [RELEASING.md](RELEASING.md).\n"
	tests := []struct {
		name, releasing, wf, readme string
		want                        []string
	}{
		{name: "accepts every step in order, each with what breaks", releasing: good.String(), wf: wf, readme: readme},
		{name: "rejects a missing step", releasing: strings.Replace(good.String(), releasingSteps[5], "", 1), wf: wf, readme: readme,
			want: []string{"step 6, **Turn on immutable releases**, is missing"}},
		{name: "rejects a step that does not say what breaks",
			releasing: strings.Replace(good.String(), releasingSteps[0]+" (where).\n   If skipped: what breaks.", releasingSteps[0], 1), wf: wf, readme: readme,
			want: []string{"step **Make the repository public** does not say what breaks"}},
		{name: "rejects steps out of order",
			releasing: strings.NewReplacer(releasingSteps[0], releasingSteps[1], releasingSteps[1], releasingSteps[0]).Replace(good.String()),
			wf:        wf, readme: readme,
			want: []string{"step 2, **Let the organization publish public packages**, comes before the step above it"}},
		{name: "rejects an action the release uses that the policy step does not name",
			releasing: good.String(), wf: strings.Replace(wf, "      - uses: ./\n", "      - uses: actions/attest@0123456789abcdef0123456789abcdef01234567 # v4.2.2\n", 1), readme: readme,
			want: []string{"RELEASING.md does not list `actions/attest`"}},
		{name: "rejects a README without the link", releasing: good.String(), wf: wf, readme: "nothing\n",
			want: []string{"README.md does not link to RELEASING.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkReleasing(tt.releasing, tt.readme, parseWorkflow(t, "release.yml", tt.wf)), tt.want)
		})
	}
}

func TestCheckBuildKitNote(t *testing.T) {
	t.Parallel()
	const (
		cross = "FROM --platform=$BUILDPLATFORM golang:1.26.8-alpine AS build\nFROM scratch\n"
		note  = "On a self-hosted runner without docker-buildx: failed to parse platform : \"\"\n"
	)
	assertProblems(t, checkBuildKitNote(cross, note), nil)
	assertProblems(t, checkBuildKitNote("FROM golang:1.26.8-alpine AS build\n", "nothing"), nil)
	assertProblems(t, checkBuildKitNote(cross, "nothing"),
		[]string{`does not say "failed to parse platform"`, `does not say "docker-buildx"`, `does not say "self-hosted"`})
	assertProblems(t, checkBuildKitNote(strings.Replace(cross, "$BUILDPLATFORM", "${BUILDPLATFORM}", 1), strings.Replace(note, "docker-buildx", "buildx", 1)),
		[]string{`does not say "docker-buildx"`})
}
