package repocheck

import (
	"fmt"
	"go/version"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ---------------------------------------------------------------------------
// One Go version: go.mod and the Dockerfile's golang image. The official
// image sets GOTOOLCHAIN=local, so it never fetches the toolchain go.mod
// asks for: a go line above the image's Go breaks the image build (@main,
// uses: ./, forks and every release), and a toolchain line that differs
// from it makes the image and the native binaries (setup-go reads
// go.mod's toolchain) two different builds of one release.

// TestGoVersionsAgree checks go.mod against the Dockerfile: see
// checkGoVersions.
func TestGoVersionsAgree(t *testing.T) {
	t.Parallel()
	for _, p := range checkGoVersions(readRepoFile(t, "go.mod"), readRepoFile(t, "Dockerfile")) {
		t.Error(p)
	}
}

var (
	goLineRe        = regexp.MustCompile(`(?m)^go[ \t]+(\S+)[ \t]*(?://.*)?$`)
	toolchainLineRe = regexp.MustCompile(`(?m)^toolchain[ \t]+go(\S+)[ \t]*(?://.*)?$`)
	// golangImageRe reads the Go release of an official golang image:
	// golang:1.26.8-alpine@sha256:... gives 1.26.8.
	golangImageRe = regexp.MustCompile(`^(?:docker\.io/)?(?:library/)?golang:([^-@]+)`)
	exactGoRe     = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+\.[0-9]+$`)
)

// checkGoVersions returns a problem unless every golang image the
// Dockerfile builds with is an exact Go release (golang:X.Y.Z...) equal
// to go.mod's toolchain line (goX.Y.Z), or to its go line when it has no
// toolchain line, and go.mod's go line is not above it.
func checkGoVersions(goMod, dockerfile string) []string {
	m := goLineRe.FindStringSubmatch(goMod)
	if m == nil {
		return []string{"go.mod has no go line"}
	}
	goLine, want, from := m[1], m[1], "go line"
	if t := toolchainLineRe.FindStringSubmatch(goMod); t != nil {
		want, from = t[1], "toolchain line"
	}
	var problems []string
	images := 0
	for _, in := range parseDockerfile(dockerfile) {
		if in.cmd != "FROM" {
			continue
		}
		image, _, err := parseFrom(in.args)
		g := golangImageRe.FindStringSubmatch(image)
		if err != nil || g == nil {
			continue
		}
		images++
		switch got := g[1]; {
		case !exactGoRe.MatchString(got):
			problems = append(problems, fmt.Sprintf("Dockerfile line %d builds with %q, not an exact Go release; write golang:X.Y.Z-alpine, the version of go.mod's %s", in.line, image, from))
		case got != want:
			problems = append(problems, fmt.Sprintf("Dockerfile line %d builds with Go %s (%s), but go.mod's %s says %s; "+
				"the image sets GOTOOLCHAIN=local, so change both together (on a Dependabot pull request that raised only one: go get toolchain@goX.Y.Z, or the image, on its branch)", in.line, got, image, from, want))
		case version.Compare("go"+goLine, "go"+got) > 0:
			problems = append(problems, fmt.Sprintf("go.mod's go line %s is above the Dockerfile's Go %s (line %d), which then cannot build the module; "+
				"raise the image and the toolchain line together", goLine, got, in.line))
		}
	}
	if images == 0 {
		problems = append(problems, "the Dockerfile has no FROM golang:X.Y.Z image to compare with go.mod")
	}
	return problems
}

func TestCheckGoVersions(t *testing.T) {
	t.Parallel()
	const (
		goMod      = "module example.com/m\n\ngo 1.26.0\n\ntoolchain go1.26.8\n\nrequire example.com/x v1.0.0\n"
		dockerfile = "# a comment: golang:1.0.0\nFROM --platform=$BUILDPLATFORM golang:1.26.8-alpine@sha256:" +
			"ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628 AS build\nRUN go build .\nFROM scratch\n"
	)
	tests := []struct {
		name, goMod, dockerfile string
		want                    []string
	}{
		{name: "accepts the image of go.mod's toolchain", goMod: goMod, dockerfile: dockerfile},
		{name: "rejects a change of the Dockerfile's Go version alone",
			goMod: goMod, dockerfile: strings.Replace(dockerfile, "golang:1.26.8-alpine", "golang:1.26.9-alpine", 1),
			want: []string{"Dockerfile line 2 builds with Go 1.26.9 (golang:1.26.9-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628), but go.mod's toolchain line says 1.26.8; the image sets GOTOOLCHAIN=local"}},
		{name: "rejects a change of go.mod's toolchain line alone",
			goMod: strings.Replace(goMod, "go1.26.8", "go1.26.9", 1), dockerfile: dockerfile,
			want: []string{"builds with Go 1.26.8 (golang:1.26.8-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628), but go.mod's toolchain line says 1.26.9"}},
		{name: "rejects a go line raised above the image",
			goMod: strings.Replace(strings.Replace(goMod, "toolchain go1.26.8\n", "", 1), "go 1.26.0", "go 1.27.0", 1), dockerfile: dockerfile,
			want: []string{"builds with Go 1.26.8 (golang:1.26.8-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628), but go.mod's go line says 1.27.0"}},
		{name: "takes the go line when there is no toolchain line",
			goMod: strings.Replace(strings.Replace(goMod, "toolchain go1.26.8\n", "", 1), "go 1.26.0", "go 1.26.8", 1), dockerfile: dockerfile},
		{name: "rejects a go line above a toolchain line that matches the image",
			goMod: strings.Replace(goMod, "go 1.26.0", "go 1.27.0", 1), dockerfile: dockerfile,
			want: []string{"go.mod's go line 1.27.0 is above the Dockerfile's Go 1.26.8"}},
		{name: "rejects an image that is not an exact release",
			goMod: goMod, dockerfile: strings.Replace(dockerfile, "golang:1.26.8-alpine", "golang:1.26-alpine", 1),
			want: []string{`builds with "golang:1.26-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628", not an exact Go release`}},
		{name: "reads docker.io/library/golang as golang",
			goMod: goMod, dockerfile: strings.Replace(dockerfile, "golang:1.26.8", "docker.io/library/golang:1.26.7", 1),
			want: []string{"builds with Go 1.26.7"}},
		{name: "rejects a Dockerfile without a golang image",
			goMod: goMod, dockerfile: "FROM scratch\n", want: []string{"no FROM golang:X.Y.Z image"}},
		{name: "rejects a go.mod without a go line", goMod: "module example.com/m\n", dockerfile: dockerfile, want: []string{"go.mod has no go line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkGoVersions(tt.goMod, tt.dockerfile), tt.want)
		})
	}
}

// TestDependabotMovesGoAndItsImageTogether checks .github/dependabot.yml:
// see checkDependabotGoGroup.
func TestDependabotMovesGoAndItsImageTogether(t *testing.T) {
	t.Parallel()
	for _, p := range checkDependabotGoGroup(readRepoFile(t, ".github/dependabot.yml")) {
		t.Error(p)
	}
}

// dependabotFile is the part of .github/dependabot.yml this check reads.
type dependabotFile struct {
	MultiEcosystemGroups map[string]struct {
		Schedule struct {
			Interval string `yaml:"interval"`
		} `yaml:"schedule"`
	} `yaml:"multi-ecosystem-groups"`
	Updates []struct {
		Ecosystem string   `yaml:"package-ecosystem"`
		Directory string   `yaml:"directory"`
		Group     string   `yaml:"multi-ecosystem-group"`
		Patterns  []string `yaml:"patterns"`
	} `yaml:"updates"`
}

// checkDependabotGoGroup returns a problem unless the gomod and docker
// updates of the root directory are in one multi-ecosystem group that has
// a schedule, with patterns that take every Go module update (the
// toolchain line among them) and the golang image: so Dependabot raises
// go.mod and the Dockerfile in one pull request, which TestGoVersionsAgree
// then passes.
func checkDependabotGoGroup(text string) []string {
	var f dependabotFile
	if err := yaml.Unmarshal([]byte(text), &f); err != nil {
		return []string{fmt.Sprintf("dependabot.yml: reading it as YAML: %v", err)}
	}
	groups := map[string]string{} // ecosystem -> its multi-ecosystem group
	var problems []string
	for _, u := range f.Updates {
		if u.Directory != "/" || (u.Ecosystem != "gomod" && u.Ecosystem != "docker") {
			continue
		}
		groups[u.Ecosystem] = u.Group
		image := "golang"
		if u.Ecosystem == "gomod" {
			image = "*"
		}
		if u.Group != "" && !slices.Contains(u.Patterns, "*") && !slices.Contains(u.Patterns, image) {
			problems = append(problems, fmt.Sprintf("dependabot.yml: the %s updates' patterns %q leave out %q", u.Ecosystem, u.Patterns, image))
		}
	}
	g := groups["gomod"]
	switch {
	case g == "" || g != groups["docker"]:
		problems = append(problems, fmt.Sprintf("dependabot.yml: the gomod updates (multi-ecosystem-group %q) and the docker updates (%q) of / are not in one multi-ecosystem group, "+
			"so Go's toolchain line and the golang image move in two pull requests, each failing TestGoVersionsAgree", g, groups["docker"]))
	case f.MultiEcosystemGroups[g].Schedule.Interval == "":
		problems = append(problems, fmt.Sprintf("dependabot.yml: multi-ecosystem-groups has no %q with a schedule", g))
	}
	return problems
}

func TestCheckDependabotGoGroup(t *testing.T) {
	t.Parallel()
	const good = "version: 2\nmulti-ecosystem-groups:\n  go-toolchain:\n    schedule:\n      interval: weekly\nupdates:\n" +
		"  - package-ecosystem: gomod\n    directory: /\n    patterns: ['*']\n    multi-ecosystem-group: go-toolchain\n" +
		"  - package-ecosystem: docker\n    directory: /\n    patterns: [golang]\n    multi-ecosystem-group: go-toolchain\n" +
		"  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n"
	tests := []struct {
		name, text string
		want       []string
	}{
		{name: "accepts gomod and the golang image in one group", text: good},
		{name: "rejects docker updates in their own pull requests",
			text: strings.Replace(good, "    patterns: [golang]\n    multi-ecosystem-group: go-toolchain\n", "    schedule:\n      interval: weekly\n", 1),
			want: []string{`the gomod updates (multi-ecosystem-group "go-toolchain") and the docker updates ("") of / are not in one multi-ecosystem group`}},
		{name: "rejects two different groups",
			text: strings.Replace(good, "[golang]\n    multi-ecosystem-group: go-toolchain", "[golang]\n    multi-ecosystem-group: images", 1),
			want: []string{"are not in one multi-ecosystem group"}},
		{name: "rejects a group without a schedule",
			text: strings.Replace(good, "  go-toolchain:\n    schedule:\n      interval: weekly\n", "  other:\n    schedule:\n      interval: weekly\n", 1),
			want: []string{`multi-ecosystem-groups has no "go-toolchain" with a schedule`}},
		{name: "rejects docker patterns that leave out golang",
			text: strings.Replace(good, "[golang]", "[alpine]", 1), want: []string{`the docker updates' patterns ["alpine"] leave out "golang"`}},
		{name: "rejects gomod patterns that may leave out the toolchain",
			text: strings.Replace(good, "['*']", "[golang.org/x/*]", 1), want: []string{`the gomod updates' patterns ["golang.org/x/*"] leave out "*"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkDependabotGoGroup(tt.text), tt.want)
		})
	}
}
