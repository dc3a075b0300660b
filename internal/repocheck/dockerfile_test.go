package repocheck

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ---------------------------------------------------------------------------
// The repository's own files.

// TestDockerfileKeepsDockerActionRules checks the Dockerfile GitHub builds
// when it runs this action, and that the release workflow publishes.
func TestDockerfileKeepsDockerActionRules(t *testing.T) {
	t.Parallel()
	text := readRepoFile(t, "Dockerfile")
	for _, p := range checkDockerfile(text) {
		t.Errorf("Dockerfile: %s", p)
	}
}

// TestWorkflowsPinEveryAction checks every workflow under .github/workflows.
func TestWorkflowsPinEveryAction(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		matches, err := filepath.Glob(filepath.Join(root, ".github", "workflows", pattern))
		if err != nil {
			t.Fatalf("listing workflows: %v", err)
		}
		files = append(files, matches...)
	}
	if len(files) == 0 {
		t.Fatalf("found no workflow in %s; this test expects at least ci.yml", filepath.Join(root, ".github", "workflows"))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("reading workflow: %v", err)
		}
		rel := relSlash(t, root, file)
		problems, err := checkWorkflowUses(rel, data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, p := range problems {
			t.Error(p)
		}
	}
}

// TestDockerignoreKeepsBuildInputs checks that .dockerignore leaves in the
// build context every file `go build .` reads inside the image: go.mod,
// go.sum, the non-test Go files and whatever a //go:embed directive names.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	patterns := parseDockerignore(readRepoFile(t, ".dockerignore"))

	needed := map[string]string{ // path relative to root -> why it is needed
		"go.mod": "the module file",
		"go.sum": "the module checksums",
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// The go command ignores these directories, so they are never built.
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel := relSlash(t, root, path)
		needed[rel] = "a Go source file of the build"
		embeds, err := embedFiles(path)
		if err != nil {
			return err
		}
		for _, e := range embeds {
			needed[relSlash(t, root, e.file)] = fmt.Sprintf("embedded by %s:%d", rel, e.line)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking the repository: %v", err)
	}
	for _, rel := range slices.Sorted(maps.Keys(needed)) {
		if dockerignored(patterns, rel) {
			t.Errorf(".dockerignore leaves out %s (%s), so the image build cannot see it; narrow the pattern that matches it", rel, needed[rel])
		}
	}
}

// ---------------------------------------------------------------------------
// The checkers, proved against bad input.

// goodDockerfile keeps every rule; the table below breaks one at a time.
const goodDockerfile = `# syntax is not declared: the builder's own frontend is enough.
FROM --platform=$BUILDPLATFORM golang:1.26.8-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628 AS build
COPY . /src/
ARG VERSION=dev
RUN cd /src && \
    CGO_ENABLED=0 go build -trimpath \
      -ldflags="-s -w -X main.version=${VERSION}" \
      -o /out/app .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`

func TestCheckDockerfile(t *testing.T) {
	t.Parallel()
	const image = "golang:1.26.8-alpine@sha256:ce864e7223ac17b1775e6fd0b4c0db580c2eb50e7953a427916379e4b92a1628"
	tests := []struct {
		name string
		text string
		want []string // one substring per expected problem; none means it passes
	}{
		{
			name: "accepts a multi-stage build that keeps every rule",
			text: goodDockerfile,
		},
		{
			name: "accepts a base image pinned by digest alone",
			text: strings.Replace(goodDockerfile, "FROM scratch",
				"FROM gcr.io/distroless/static-debian12@sha256:"+strings.Repeat("0f", 32), 1),
		},
		{
			name: "accepts lower-case instructions",
			text: strings.NewReplacer("FROM", "from", "ENTRYPOINT", "entrypoint", "RUN", "run").Replace(goodDockerfile),
		},
		{
			name: "ignores a rule broken only in a comment",
			text: strings.Replace(goodDockerfile, "FROM scratch", "# USER nobody\n# WORKDIR /app\nFROM scratch", 1),
		},
		{
			name: "rejects a USER",
			text: strings.Replace(goodDockerfile, `ENTRYPOINT`, "USER nobody\nENTRYPOINT", 1),
			want: []string{"line 13: USER nobody: a Docker action must run as the default user"},
		},
		{
			name: "rejects a WORKDIR",
			text: strings.Replace(goodDockerfile, "COPY . /src/", "WORKDIR /src\nCOPY . /src/", 1),
			want: []string{"line 3: WORKDIR /src: GitHub sets the working directory"},
		},
		{
			name: "rejects a shell-form ENTRYPOINT",
			text: strings.Replace(goodDockerfile, `ENTRYPOINT ["/app"]`, `ENTRYPOINT /app`, 1),
			want: []string{"is in shell form"},
		},
		{
			name: "rejects an ENTRYPOINT with a relative path",
			text: strings.Replace(goodDockerfile, `ENTRYPOINT ["/app"]`, `ENTRYPOINT ["app"]`, 1),
			want: []string{`starts with "app", a relative path`},
		},
		{
			name: "rejects an ENTRYPOINT that is only in the build stage",
			text: strings.Replace(
				strings.Replace(goodDockerfile, `ENTRYPOINT ["/app"]`, ``, 1),
				"COPY . /src/", "COPY . /src/\nENTRYPOINT [\"/out/app\"]", 1),
			want: []string{"the final stage has no ENTRYPOINT"},
		},
		{
			name: "rejects a base image pinned by an exact tag only",
			text: strings.Replace(goodDockerfile, image, "golang:1.26.8-alpine", 1),
			want: []string{`image "golang:1.26.8-alpine" is not pinned by digest`},
		},
		{
			name: "rejects a base image without a tag or digest",
			text: strings.Replace(goodDockerfile, image, "golang", 1),
			want: []string{`image "golang" is not pinned by digest`},
		},
		{
			name: "rejects a malformed digest",
			text: strings.Replace(goodDockerfile, image, "golang@sha256:1234", 1),
			want: []string{"has a malformed digest"},
		},
		{
			name: "rejects a base image chosen by a build argument",
			text: strings.Replace(goodDockerfile, image, "${BASE}", 1),
			want: []string{"comes from a build argument"},
		},
		{
			name: "rejects a stage name that no earlier stage defines",
			text: strings.Replace(
				strings.Replace(goodDockerfile, "FROM scratch", "FROM build", 1),
				"AS build", "", 1),
			want: []string{`image "build" is not pinned by digest`},
		},
		{
			name: "rejects a build without CGO_ENABLED=0",
			text: strings.Replace(goodDockerfile, "CGO_ENABLED=0 ", "", 1),
			want: []string{"CGO_ENABLED=0"},
		},
		{
			name: "rejects a build without -trimpath",
			text: strings.Replace(goodDockerfile, "-trimpath ", "", 1),
			want: []string{"-trimpath"},
		},
		{
			name: "rejects a file without FROM",
			text: "ENTRYPOINT [\"/app\"]\nRUN CGO_ENABLED=0 go build -trimpath .\n",
			want: []string{"no FROM instruction"},
		},
		{
			name: "reports every broken rule at once",
			text: "FROM golang:1 AS build\nWORKDIR /src\nRUN go build .\nFROM scratch\nUSER nobody\nENTRYPOINT app\n",
			want: []string{"not pinned by digest", "WORKDIR", "USER", "shell form", "CGO_ENABLED=0", "-trimpath"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkDockerfile(tt.text), tt.want)
		})
	}
}

func TestCheckWorkflowUses(t *testing.T) {
	t.Parallel()
	const sha = "0123456789abcdef0123456789abcdef01234567"
	workflow := func(uses string) string {
		return "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n      - uses: " + uses + "\n"
	}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "accepts a full SHA with a version comment",
			text: workflow("actions/checkout@" + sha + " # v4.2.2"),
		},
		{
			name: "accepts an action in a subdirectory of its repository",
			text: workflow("github/codeql-action/init@" + sha + " # v3.28.1"),
		},
		{
			name: "accepts a quoted reference",
			text: workflow(`"actions/checkout@` + sha + `"  #  v4.2.2`),
		},
		{
			name: "accepts the action in this checkout",
			text: workflow("./"),
		},
		{
			name: "accepts a docker image pinned by digest",
			text: workflow("docker://alpine@sha256:" + strings.Repeat("c0", 32)),
		},
		{
			name: "accepts a workflow without jobs",
			text: "on: push\n",
		},
		{
			name: "rejects a version tag",
			text: workflow("actions/checkout@v4 # v4.2.2"),
			want: []string{`ci.yml:7: "actions/checkout@v4" is pinned to "v4", which can move`},
		},
		{
			name: "rejects a branch",
			text: workflow("actions/checkout@main"),
			want: []string{`pinned to "main"`},
		},
		{
			name: "rejects a short SHA",
			text: workflow("actions/checkout@" + sha[:7] + " # v4.2.2"),
			want: []string{`pinned to "0123456"`},
		},
		{
			name: "rejects an upper-case SHA, which GitHub never prints",
			text: workflow("actions/checkout@" + strings.ToUpper(sha) + " # v4.2.2"),
			want: []string{"which can move"},
		},
		{
			name: "rejects an action without a ref",
			text: workflow("actions/checkout"),
			want: []string{`"actions/checkout" names no ref`},
		},
		{
			name: "rejects a SHA without a version comment",
			text: workflow("actions/checkout@" + sha),
			want: []string{"has no version comment"},
		},
		{
			name: "rejects a comment that is not a version",
			text: workflow("actions/checkout@" + sha + " # main"),
			want: []string{"has no version comment"},
		},
		{
			name: "rejects a comment with only the major version",
			text: workflow("actions/checkout@" + sha + " # v4"),
			want: []string{"has no version comment"},
		},
		{
			name: "rejects a docker image by tag",
			text: workflow("docker://alpine:3.20"),
			want: []string{`docker image "docker://alpine:3.20" is not pinned by digest`},
		},
		{
			name: "checks a reusable workflow called by a job",
			text: "on: push\njobs:\n  call:\n    uses: acme/workflows/.github/workflows/build.yml@main\n",
			want: []string{"ci.yml:4: \"acme/workflows/.github/workflows/build.yml@main\" is pinned to \"main\""},
		},
		{
			name: "reports every step",
			text: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/cache@v4\n",
			want: []string{"ci.yml:6:", "ci.yml:7:", "ci.yml:11:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			problems, err := checkWorkflowUses(".github/workflows/ci.yml", []byte(tt.text))
			if err != nil {
				t.Fatalf("checkWorkflowUses: %v", err)
			}
			assertProblems(t, problems, tt.want)
		})
	}
}

func TestCheckWorkflowUsesRejectsBrokenYAML(t *testing.T) {
	t.Parallel()
	_, err := checkWorkflowUses("bad.yml", []byte("jobs: [\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.yml") {
		t.Fatalf("checkWorkflowUses on broken YAML returned %v, want an error naming bad.yml", err)
	}
}

func TestDockerignored(t *testing.T) {
	t.Parallel()
	patterns := parseDockerignore("# comment\n\n/app\n*.md\n**/testdata\n**/*_test.go\n.github\ndocs/\n!docs/keep.go\n")
	tests := []struct {
		name string
		path string
		want bool
	}{
		{name: "a root pattern with a slash excludes the root file", path: "app", want: true},
		{name: "a root pattern leaves a nested file of the same name", path: "internal/app", want: false},
		{name: "a star pattern excludes root markdown", path: "README.md", want: true},
		{name: "a star pattern leaves nested markdown", path: "internal/app/usage.md", want: false},
		{name: "a double-star pattern excludes a nested fixture directory's files", path: "internal/report/testdata/summary.out", want: true},
		{name: "a double-star pattern excludes a root fixture directory", path: "testdata/x", want: true},
		{name: "a double-star pattern excludes nested tests", path: "internal/plan/plan_test.go", want: true},
		{name: "a directory pattern excludes what it holds", path: ".github/workflows/ci.yml", want: true},
		{name: "a trailing slash still names the directory", path: "docs/guide.txt", want: true},
		{name: "a negated pattern brings a file back", path: "docs/keep.go", want: false},
		{name: "source files stay", path: "internal/plan/plan.go", want: false},
		{name: "the module file stays", path: "go.mod", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := dockerignored(patterns, tt.path); got != tt.want {
				t.Errorf("dockerignored(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestEmbedFilesFindsWhatADirectiveNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "usage.txt"), "usage")
	writeFile(t, filepath.Join(dir, "assets", "a.json"), "{}")
	writeFile(t, filepath.Join(dir, "assets", "b.json"), "{}")
	src := filepath.Join(dir, "embed.go")
	writeFile(t, src, "package x\n\nimport _ \"embed\"\n\n//go:embed usage.txt\nvar usage string\n\n//go:embed \"assets/*.json\"\nvar assets string\n")

	got, err := embedFiles(src)
	if err != nil {
		t.Fatalf("embedFiles: %v", err)
	}
	var lines []string
	for _, e := range got {
		lines = append(lines, fmt.Sprintf("%s:%d", relSlash(t, dir, e.file), e.line))
	}
	want := "usage.txt:5 assets/a.json:8 assets/b.json:8"
	if strings.Join(lines, " ") != want {
		t.Errorf("embedFiles found %q, want %q", strings.Join(lines, " "), want)
	}
}

// ---------------------------------------------------------------------------
// Dockerfile checker.

// instruction is one Dockerfile instruction, its continuation lines joined.
type instruction struct {
	line int    // 1-based line the instruction starts on
	cmd  string // upper-case keyword: FROM, RUN, ...
	args string // everything after the keyword
}

// parseDockerfile splits a Dockerfile into instructions. It drops comment
// lines (parser directives included) and joins lines ending in a backslash.
// Heredoc bodies are not understood: their lines read as instructions, which
// can only make the check stricter.
func parseDockerfile(text string) []instruction {
	var out []instruction
	var cur *instruction
	var parts []string
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue // comments and blank lines are dropped, even inside a continuation
		}
		cont := strings.HasSuffix(line, `\`)
		line = strings.TrimSuffix(line, `\`)
		if cur == nil {
			keyword, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
			cur = &instruction{line: i + 1, cmd: strings.ToUpper(keyword)}
			parts = []string{rest}
		} else {
			parts = append(parts, line)
		}
		if !cont {
			cur.args = strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil { // a continuation at the very end of the file
		cur.args = strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
		out = append(out, *cur)
	}
	return out
}

var (
	digestRe   = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	trimpathRe = regexp.MustCompile(`(^|\s)-trimpath($|\s)`)
	cgoOffRe   = regexp.MustCompile(`(^|\s)CGO_ENABLED=0($|\s)`)
)

// checkDockerfile returns what breaks GitHub's rules for a Docker action's
// Dockerfile, or the project's own rules for its build, one problem a
// string; none when the file keeps them all.
func checkDockerfile(text string) []string {
	var problems []string
	stages := map[string]bool{}   // lower-case names of the stages so far
	var entrypoint *instruction   // the final stage's ENTRYPOINT, if any
	var buildText strings.Builder // RUN, ENV and ARG arguments, for the build flags
	froms := 0
	for _, in := range parseDockerfile(text) {
		switch in.cmd {
		case "FROM":
			froms++
			entrypoint = nil
			image, stage, err := parseFrom(in.args)
			if err != nil {
				problems = append(problems, fmt.Sprintf("line %d: FROM %s: %v", in.line, in.args, err))
				continue
			}
			if p := checkImage(image, stages); p != "" {
				problems = append(problems, fmt.Sprintf("line %d: FROM %s: %s", in.line, in.args, p))
			}
			if stage != "" {
				stages[strings.ToLower(stage)] = true
			}
		case "USER":
			problems = append(problems, fmt.Sprintf("line %d: USER %s: a Docker action must run as the default user (root), "+
				"or it cannot write to the workspace and to the files GitHub passes in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY; remove it",
				in.line, in.args))
		case "WORKDIR":
			problems = append(problems, fmt.Sprintf("line %d: WORKDIR %s: GitHub sets the working directory of a Docker action "+
				"to the workspace and asks Dockerfiles not to use WORKDIR; use absolute paths (RUN cd /src && ...) instead",
				in.line, in.args))
		case "ENTRYPOINT":
			e := in
			entrypoint = &e
		case "RUN", "ENV", "ARG":
			buildText.WriteString(in.args)
			buildText.WriteString("\n")
		}
	}
	if froms == 0 {
		problems = append(problems, "there is no FROM instruction; a Dockerfile starts with the image it builds on")
	}
	switch {
	case entrypoint == nil:
		problems = append(problems, `the final stage has no ENTRYPOINT; end it with ENTRYPOINT ["/codespaces-org-secrets"], `+
			"so GitHub runs the binary with the action's arguments")
	default:
		problems = append(problems, checkEntrypoint(*entrypoint)...)
	}
	build := buildText.String()
	if !cgoOffRe.MatchString(build) {
		problems = append(problems, "no RUN, ENV or ARG sets CGO_ENABLED=0; without it the binary may link libc, "+
			"which the final image does not have")
	}
	if !trimpathRe.MatchString(build) {
		problems = append(problems, "no go build uses -trimpath; add it so the binary holds no paths of the build machine")
	}
	return problems
}

// parseFrom splits the arguments of FROM into the image and the stage name.
func parseFrom(args string) (image, stage string, err error) {
	fields := strings.Fields(args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		fields = fields[1:] // --platform=...
	}
	switch {
	case len(fields) == 1:
		return fields[0], "", nil
	case len(fields) == 3 && strings.EqualFold(fields[1], "AS"):
		return fields[0], fields[2], nil
	default:
		return "", "", fmt.Errorf("cannot read it; write FROM [--platform=...] IMAGE [AS NAME]")
	}
}

// checkImage says why image is not pinned, or returns "" when it is: an
// earlier stage, scratch, or an image pinned by digest (a tag may come
// before the digest, for readers and Dependabot). A tag alone, even an
// exact version, can be pushed again, so it does not pin the bytes.
func checkImage(image string, stages map[string]bool) string {
	if stages[strings.ToLower(image)] || image == "scratch" {
		return ""
	}
	if strings.Contains(image, "$") {
		return fmt.Sprintf("image %q comes from a build argument, which this check cannot verify; write the pinned image literally", image)
	}
	name, digest, ok := strings.Cut(image, "@")
	if !ok {
		return fmt.Sprintf("image %q is not pinned by digest, so a push to its tag changes what runs; "+
			"write IMAGE:TAG@sha256:<index digest>, taking the digest from docker-library/repo-info or the registry", image)
	}
	if !digestRe.MatchString(digest) {
		return fmt.Sprintf("image %q has a malformed digest; a digest is sha256: and 64 lower-case hex digits", name)
	}
	return ""
}

// checkEntrypoint says what keeps the ENTRYPOINT from being exec form with
// an absolute path.
func checkEntrypoint(in instruction) []string {
	var argv []string
	if err := json.Unmarshal([]byte(in.args), &argv); err != nil {
		return []string{fmt.Sprintf("line %d: ENTRYPOINT %s is in shell form; GitHub passes the action's arguments only to the exec form, "+
			`a JSON array such as ["/codespaces-org-secrets"]`, in.line, in.args)}
	}
	if len(argv) == 0 || argv[0] == "" {
		return []string{fmt.Sprintf("line %d: ENTRYPOINT %s names no program; give the binary's absolute path", in.line, in.args)}
	}
	if !strings.HasPrefix(argv[0], "/") {
		return []string{fmt.Sprintf("line %d: ENTRYPOINT starts with %q, a relative path; GitHub runs the container in the workspace, "+
			"so give the binary's absolute path", in.line, argv[0])}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Workflow checker.

var (
	commitSHARe      = regexp.MustCompile(`^[0-9a-f]{40}$`)
	versionCommentRe = regexp.MustCompile(`^#\s*v[0-9]+\.[0-9]+\.[0-9]+\b`)
	dockerDigestRe   = regexp.MustCompile(`@sha256:[0-9a-f]{64}$`)
)

// checkWorkflowUses returns a problem for each `uses:` of the workflow in
// data (named name in the messages) that is not pinned: actions and
// reusable workflows to a full commit SHA with a `# vX.Y.Z` comment, docker
// images to a digest. Local actions (./) are the checkout's own. The error
// is for YAML that cannot be read.
func checkWorkflowUses(name string, data []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: reading the workflow as YAML: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	var problems []string
	check := func(key, value *yaml.Node) {
		if p := checkUses(key, value); p != "" {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", name, value.Line, p))
		}
	}
	_, jobs := mapEntry(doc.Content[0], "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 1; i < len(jobs.Content); i += 2 {
		job := jobs.Content[i]
		if key, value := mapEntry(job, "uses"); value != nil {
			check(key, value)
		}
		_, steps := mapEntry(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			if key, value := mapEntry(step, "uses"); value != nil {
				check(key, value)
			}
		}
	}
	return problems, nil
}

// checkUses says why one `uses:` is not pinned, or returns "" when it is.
func checkUses(key, value *yaml.Node) string {
	ref := value.Value
	comment := strings.TrimSpace(value.LineComment)
	if comment == "" {
		comment = strings.TrimSpace(key.LineComment)
	}
	switch {
	case strings.HasPrefix(ref, "./"):
		return ""
	case strings.HasPrefix(ref, "docker://"):
		if dockerDigestRe.MatchString(ref) {
			return ""
		}
		return fmt.Sprintf("docker image %q is not pinned by digest; use docker://IMAGE@sha256:<digest>", ref)
	}
	at := strings.LastIndex(ref, "@")
	if at < 0 {
		return fmt.Sprintf("%q names no ref; pin the full commit SHA of a release: uses: OWNER/REPO@<40-hex SHA> # vX.Y.Z", ref)
	}
	if !commitSHARe.MatchString(ref[at+1:]) {
		return fmt.Sprintf("%q is pinned to %q, which can move; pin the full 40-character commit SHA of a release "+
			"and name the release in a comment: uses: OWNER/REPO@<SHA> # vX.Y.Z", ref, ref[at+1:])
	}
	if !versionCommentRe.MatchString(comment) {
		return fmt.Sprintf("%q has no version comment; add # vX.Y.Z naming the release the SHA belongs to, "+
			"so readers and Dependabot know what it is", ref)
	}
	return ""
}

// mapEntry returns the key and value nodes of key in the mapping node m, or
// nils when m is not a mapping or lacks the key.
func mapEntry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// ---------------------------------------------------------------------------
// .dockerignore and //go:embed.

// ignorePattern is one .dockerignore line compiled to a regular expression.
type ignorePattern struct {
	negate bool
	re     *regexp.Regexp
}

// parseDockerignore reads .dockerignore the way Docker does: one pattern a
// line, # comments, a leading ! re-includes, a leading / is the context
// root, * and ? stay within a path element and ** spans several.
func parseDockerignore(text string) []ignorePattern {
	var out []ignorePattern
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := ignorePattern{}
		if strings.HasPrefix(line, "!") {
			p.negate = true
			line = strings.TrimSpace(line[1:])
		}
		line = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(line)), "/")
		var re strings.Builder
		re.WriteString("^")
		for i := 0; i < len(line); i++ {
			switch c := line[i]; {
			case strings.HasPrefix(line[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(line[i:], "**"):
				re.WriteString(".*")
				i++
			case c == '*':
				re.WriteString("[^/]*")
			case c == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("$")
		p.re = regexp.MustCompile(re.String())
		out = append(out, p)
	}
	return out
}

// dockerignored reports whether patterns leave path (slash-separated,
// relative to the context root) out of the build context. A pattern that
// matches a directory leaves out everything in it; the last pattern that
// matches decides.
func dockerignored(patterns []ignorePattern, path string) bool {
	elems := strings.Split(path, "/")
	ignored := false
	for _, p := range patterns {
		for n := len(elems); n >= 1; n-- {
			if p.re.MatchString(strings.Join(elems[:n], "/")) {
				ignored = !p.negate
				break
			}
		}
	}
	return ignored
}

// embedded is one file a //go:embed directive names.
type embedded struct {
	file string // path of the embedded file
	line int    // line of the directive
}

// embedFiles returns the files the //go:embed directives of the Go file at
// path name, directories expanded.
func embedFiles(path string) ([]embedded, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s for //go:embed directives: %w", path, err)
	}
	defer f.Close()
	dir := filepath.Dir(path)
	var out []embedded
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "//go:embed ")
		if !ok {
			continue
		}
		for _, pattern := range strings.Fields(rest) {
			pattern = strings.TrimPrefix(strings.Trim(pattern, "\"`"), "all:")
			matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: //go:embed pattern %q: %w", path, n, pattern, err)
			}
			for _, m := range matches {
				err := filepath.WalkDir(m, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						out = append(out, embedded{file: p, line: n})
					}
					return err
				})
				if err != nil {
					return nil, fmt.Errorf("%s:%d: //go:embed %q: %w", path, n, pattern, err)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s for //go:embed directives: %w", path, err)
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Helpers.

// assertProblems fails unless problems holds exactly one entry per want,
// each containing its substring, in any order.
func assertProblems(t *testing.T, problems, want []string) {
	t.Helper()
	if len(problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(problems), len(want), strings.Join(problems, "\n"))
	}
	used := make([]bool, len(problems))
	for _, w := range want {
		found := false
		for i, p := range problems {
			if !used[i] && strings.Contains(p, w) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("no problem mentions %q; got:\n%s", w, strings.Join(problems, "\n"))
		}
	}
}

// repoRoot returns the directory holding go.mod, searched upwards from the
// test's working directory (the package directory).
func repoRoot(t *testing.T) string {
	t.Helper()
	start, err := os.Getwd()
	if err != nil {
		t.Fatalf("finding the working directory: %v", err)
	}
	for dir := start; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod in %s or any directory above it; run the test inside the repository", start)
		}
		dir = parent
	}
}

// readRepoFile returns the text of the file at rel in the repository root.
func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatalf("reading %s of the repository: %v", rel, err)
	}
	return string(data)
}

// relSlash returns path relative to root, with forward slashes.
func relSlash(t *testing.T, root, path string) string {
	t.Helper()
	rel, err := filepath.Rel(root, path)
	if err != nil {
		t.Fatalf("making %s relative to %s: %v", path, root, err)
	}
	return filepath.ToSlash(rel)
}

// writeFile creates path, and its directories, holding text.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("creating %s: %v", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
}
