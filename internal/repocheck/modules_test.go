package repocheck

import (
	"fmt"
	"io/fs"
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

// TestActionOnMainBuildsTheDockerfile checks that action.yml on main runs
// the Dockerfile of the checkout, so uses: ./, @main and forks run their
// own source; only a release commit names the published image.
func TestActionOnMainBuildsTheDockerfile(t *testing.T) {
	t.Parallel()
	var action struct {
		Runs map[string]string `yaml:"runs"`
	}
	if err := yaml.Unmarshal([]byte(readRepoFile(t, "action.yml")), &action); err != nil {
		t.Fatalf("reading action.yml: %v", err)
	}
	if action.Runs["using"] != "docker" || action.Runs["image"] != "Dockerfile" {
		t.Errorf("action.yml runs using %q with image %q; on main it must be using: docker with image: Dockerfile "+
			"(only the release commit pins the published image; go run ./tools/release unpin-image restores it)",
			action.Runs["using"], action.Runs["image"])
	}
}

// TestImageBuildDownloadsOnlyTheModulesItNeeds checks that the image build
// fetches exactly the modules the binary imports, not every module of
// go.mod (the code generator's among them): the Dockerfile runs no
// `go mod download`, and a `go build` like the Dockerfile's, with an empty
// module cache, downloads the modules of `go list -deps` and nothing else.
// It reads modules from the local module cache (GOPROXY=file://), so it
// runs offline.
func TestImageBuildDownloadsOnlyTheModulesItNeeds(t *testing.T) {
	root := repoRoot(t)
	for _, p := range checkModuleDownloads(readRepoFile(t, "Dockerfile")) {
		t.Errorf("Dockerfile: %s", p)
	}

	// What the binary needs, for the image's platform. This also puts any
	// missing module into the local cache the build below reads from.
	env := append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOWORK=off")
	list := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}{{end}}{{end}}", ".")
	list.Dir, list.Env = root, env
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list -deps .: %v", err)
	}
	needed := map[string]bool{}
	for _, m := range strings.Fields(string(out)) {
		needed[m] = true
	}
	cache := goEnv(t, root, "GOMODCACHE")

	empty := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(t.TempDir(), "bin"), ".")
	build.Dir = root
	build.Env = append(env,
		"GOMODCACHE="+empty,
		"GOFLAGS=-mod=readonly -modcacherw", // -modcacherw: so t.TempDir can remove the cache
		"GOPROXY=file://"+filepath.ToSlash(filepath.Join(cache, "cache", "download")),
		"GOSUMDB=off", // go.sum still checks every download; nothing to look up offline
		"GOTOOLCHAIN=local",
	)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build with an empty module cache: %v\n%s", err, out)
	}
	fetched := downloadedModules(t, filepath.Join(empty, "cache", "download"))
	got, want := slices.Sorted(maps.Keys(fetched)), slices.Sorted(maps.Keys(needed))
	if !slices.Equal(got, want) {
		t.Errorf("a build from an empty module cache downloaded %d modules:\n  %s\nwant the %d the binary imports:\n  %s",
			len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
	}
	t.Logf("the image build downloads %d modules: %s", len(got), strings.Join(got, " "))
}

var (
	// goModDownloadRe finds a go mod download in a RUN, with or without
	// arguments: it would fetch modules the build may not need.
	goModDownloadRe = regexp.MustCompile(`\bgo\s+(mod\s+download|get)\b`)
	goBuildRe       = regexp.MustCompile(`\bgo\s+build\b`)
)

// checkModuleDownloads returns a problem when the Dockerfile downloads
// modules itself instead of letting go build fetch what it imports, or
// when no RUN builds.
func checkModuleDownloads(text string) []string {
	var problems []string
	builds := false
	for _, in := range parseDockerfile(text) {
		if in.cmd != "RUN" {
			continue
		}
		if m := goModDownloadRe.FindString(in.args); m != "" {
			problems = append(problems, fmt.Sprintf("line %d: RUN %s downloads modules the binary may not import "+
				"(go.mod also lists the code generator's); drop it and let go build fetch what it needs", in.line, m))
		}
		builds = builds || goBuildRe.MatchString(in.args)
	}
	if !builds {
		problems = append(problems, "no RUN runs go build")
	}
	return problems
}

func TestCheckModuleDownloads(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "accepts a build that fetches what it imports", text: goodDockerfile},
		{
			name: "rejects go mod download of everything",
			text: strings.Replace(goodDockerfile, "COPY . /src/", "COPY go.mod go.sum /src/\nRUN cd /src && go mod download && go mod verify\nCOPY . /src/", 1),
			want: []string{"line 4: RUN go mod download downloads modules"},
		},
		{
			name: "rejects go mod download of a list, which drifts from the imports",
			text: strings.Replace(goodDockerfile, "COPY . /src/", "RUN go mod download golang.org/x/crypto\nCOPY . /src/", 1),
			want: []string{"go mod download"},
		},
		{
			name: "rejects go get",
			text: strings.Replace(goodDockerfile, "COPY . /src/", "RUN go get ./...\nCOPY . /src/", 1),
			want: []string{"RUN go get"},
		},
		{
			name: "rejects a Dockerfile that never builds",
			text: "FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n",
			want: []string{"no RUN runs go build"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertProblems(t, checkModuleDownloads(tt.text), tt.want)
		})
	}
}

// downloadedModules returns module@version for every module zip under a
// module cache's download directory.
func downloadedModules(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".zip") {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, dir+string(filepath.Separator)))
		mod, zip, ok := strings.Cut(rel, "/@v/")
		if ok {
			out[unescapeModulePath(mod)+"@"+strings.TrimSuffix(zip, ".zip")] = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing the downloaded modules: %v", err)
	}
	return out
}

// unescapeModulePath undoes the module cache's case encoding: !x is X.
func unescapeModulePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '!' && i+1 < len(p) {
			i++
			b.WriteString(strings.ToUpper(p[i : i+1]))
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// goEnv returns the value of `go env name` in dir.
func goEnv(t *testing.T, dir, name string) string {
	t.Helper()
	c := exec.Command("go", "env", name)
	c.Dir = dir
	out, err := c.Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
