package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures in testdata were written by the native entry point's own
// writer, as the release runs it:
//
//	node native/release/write-release-file.mjs --repository codespaces-org-secrets/codespaces-org-secrets \
//	  --version v1.2.3 --base-url https://github.com/codespaces-org-secrets/codespaces-org-secrets/releases/download/v1.2.3 \
//	  --checksums testdata/checksums.txt --out testdata/release.json
const (
	fixtureRepository = "codespaces-org-secrets/codespaces-org-secrets"
	fixtureVersion    = "v1.2.3"
)

// goodCommit returns the inputs of a release commit that passes: the
// repository's action.yml pinned to testDigest, and the fixtures.
func goodCommit(t *testing.T) CommitInput {
	t.Helper()
	source := []byte(readTestFile(t, filepath.Join("..", "..", "action.yml")))
	pinned, err := PinImage(source, testDigest)
	if err != nil {
		t.Fatal(err)
	}
	return CommitInput{
		NameStatus:    strings.NewReader("M\taction.yml\nA\tnative/release.json\n"),
		SourceAction:  source,
		ReleaseAction: pinned,
		Digest:        testDigest,
		ReleaseFile:   []byte(readTestFile(t, filepath.Join("testdata", "release.json"))),
		Checksums:     []byte(readTestFile(t, filepath.Join("testdata", "checksums.txt"))),
		Version:       fixtureVersion,
		Repository:    fixtureRepository,
	}
}

func TestCheckReleaseCommit(t *testing.T) {
	t.Parallel()
	const someSum = "6f980940a62c10a47f4dabb6b919e33b71e45458c0f3ccc49539643ddf1f663b" // linux_amd64's
	tests := []struct {
		name   string
		change func(*CommitInput)
		want   []string // substrings of the error; none means it passes
	}{
		{name: "accepts the pinned action.yml and the release file of the binaries", change: func(*CommitInput) {}},
		{name: "accepts an updated release file",
			change: func(in *CommitInput) { in.NameStatus = strings.NewReader("M\tnative/release.json\nM\taction.yml\n") }},
		{name: "refuses a change of code",
			change: func(in *CommitInput) {
				in.NameStatus = strings.NewReader("M\taction.yml\nA\tnative/release.json\nM\tmain.go\n")
			}, want: []string{`changes "M\tmain.go"`}},
		{name: "refuses a commit without the release file",
			change: func(in *CommitInput) { in.NameStatus = strings.NewReader("M\taction.yml\n") },
			want:   []string{"must change exactly action.yml and native/release.json"}},
		{name: "refuses an empty commit", change: func(in *CommitInput) { in.NameStatus = strings.NewReader("") }, want: []string{"must change exactly"}},
		{name: "refuses deleting action.yml",
			change: func(in *CommitInput) { in.NameStatus = strings.NewReader("D\taction.yml\nA\tnative/release.json\n") },
			want:   []string{`changes "D\taction.yml"`}},
		{name: "refuses a commit that adds action.yml, as if the source had none",
			change: func(in *CommitInput) { in.NameStatus = strings.NewReader("A\taction.yml\nA\tnative/release.json\n") },
			want:   []string{`changes "A\taction.yml"`}},
		{name: "refuses a rename",
			change: func(in *CommitInput) {
				in.NameStatus = strings.NewReader("R100\tDockerfile\taction.yml\nA\tnative/release.json\n")
			}, want: []string{"R100"}},
		{name: "refuses an extra line in action.yml",
			change: func(in *CommitInput) {
				in.ReleaseAction = []byte(strings.Replace(string(in.ReleaseAction), "  using: docker\n", "  using: docker\n  args: [\"--org\", \"evil\"]\n", 1))
			}, want: []string{"is not the source's with only its image pinned", `is "  args: [\"--org\", \"evil\"]\n"`}},
		{name: "refuses a changed input default, beside the pinned image",
			change: func(in *CommitInput) {
				in.ReleaseAction = []byte(strings.Replace(string(in.ReleaseAction), "default: 'set'", "default: 'delete'", 1))
			}, want: []string{"default: 'delete'"}},
		{name: "refuses an image pinned to another digest",
			change: func(in *CommitInput) { in.Digest = "sha256:" + strings.Repeat("cd", 32) },
			want:   []string{"is not the source's with only its image pinned to sha256:cdcd"}},
		{name: "refuses an action.yml left on the Dockerfile",
			change: func(in *CommitInput) { in.ReleaseAction = in.SourceAction },
			want:   []string{"is not the source's with only its image pinned", `"  image: Dockerfile\n"`}},
		{name: "refuses a malformed digest", change: func(in *CommitInput) { in.Digest = "sha256:1" }, want: []string{"is not an image digest"}},
		{name: "refuses a source that is already pinned",
			change: func(in *CommitInput) { in.SourceAction = in.ReleaseAction }, want: []string{"pin only a checkout of main"}},
		{name: "refuses a checksum of the release file that checksums.txt does not have",
			change: func(in *CommitInput) {
				in.ReleaseFile = []byte(strings.Replace(string(in.ReleaseFile), someSum, strings.Repeat("0", 64), 1))
			}, want: []string{"the sha256 of codespaces-org-secrets_linux_amd64 is \"0000", "but checksums.txt says \"6f98"}},
		{name: "refuses a binary the release file lacks",
			change: func(in *CommitInput) {
				in.ReleaseFile = []byte(strings.Replace(string(in.ReleaseFile), "    \"codespaces-org-secrets_linux_amd64\": \""+someSum+"\",\n", "", 1))
			}, want: []string{"native/release.json has no sha256 for codespaces-org-secrets_linux_amd64"}},
		{name: "refuses a release file of another version",
			change: func(in *CommitInput) { in.Version = "v1.2.4" },
			want: []string{`version is "v1.2.3", want "v1.2.4"`,
				`download is "https://github.com/codespaces-org-secrets/codespaces-org-secrets/releases/download/v1.2.3", want "https://github.com/codespaces-org-secrets/codespaces-org-secrets/releases/download/v1.2.4"`}},
		{name: "refuses a release file of another repository",
			change: func(in *CommitInput) { in.Repository = "fork/codespaces-org-secrets" }, want: []string{`repository is "codespaces-org-secrets/codespaces-org-secrets", want "fork/`}},
		{name: "refuses a release file that does not parse",
			change: func(in *CommitInput) { in.ReleaseFile = []byte("{}\n{}") }, want: []string{"holds more than one JSON value"}},
		{name: "refuses an empty release file",
			change: func(in *CommitInput) { in.ReleaseFile = []byte("{}") }, want: []string{`repository is ""`, "has no sha256 for"}},
		{name: "refuses a release file with a key the shim does not know",
			change: func(in *CommitInput) {
				in.ReleaseFile = []byte(strings.Replace(string(in.ReleaseFile), "{\n", "{\n  \"extra\": 1,\n", 1))
			},
			want: []string{`unknown field "extra"`}},
		{name: "refuses a release file with a digest for an asset no release ships, which the shim refuses for every user",
			change: func(in *CommitInput) {
				in.ReleaseFile = []byte(strings.Replace(string(in.ReleaseFile), "  \"sha256\": {\n",
					"  \"sha256\": {\n    \"codespaces-org-secrets_linux_386\": \""+someSum+"\",\n", 1))
			},
			want: []string{`native/release.json has a sha256 for "codespaces-org-secrets_linux_386", which checksums.txt does not list`}},
		{name: "refuses a checksums file without every binary",
			change: func(in *CommitInput) { in.Checksums = []byte(strings.SplitAfter(string(in.Checksums), "\n")[0]) },
			want:   []string{"checksums.txt has no line for"}},
		{name: "lists every problem at once",
			change: func(in *CommitInput) {
				in.NameStatus = strings.NewReader("M\tmain.go\n")
				in.Digest = "sha256:" + strings.Repeat("cd", 32)
				in.Version = "v9.9.9"
			}, want: []string{"main.go", "pinned to sha256:cdcd", "want \"v9.9.9\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := goodCommit(t)
			tt.change(&in)
			err := CheckReleaseCommit(in)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("CheckReleaseCommit refused a good release commit: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckReleaseCommit accepted it, want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("CheckReleaseCommit = %v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestParseChecksumsReadsWhatWriteChecksumsWrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var names []string
	for _, p := range Platforms {
		names = append(names, p.AssetName())
		writeTestFile(t, filepath.Join(dir, p.AssetName()), "bytes of "+p.AssetName())
	}
	if err := WriteChecksums(dir, names); err != nil {
		t.Fatal(err)
	}
	sums, err := ParseChecksums([]byte(readTestFile(t, filepath.Join(dir, ChecksumsFile))))
	if err != nil {
		t.Fatalf("ParseChecksums: %v", err)
	}
	if got, want := len(sums), len(Platforms); got != want {
		t.Errorf("ParseChecksums gave %d sums, want %d", got, want)
	}
	sum, err := fileSHA256(filepath.Join(dir, Platforms[0].AssetName()))
	if err != nil {
		t.Fatal(err)
	}
	if sums[Platforms[0].AssetName()] != sum {
		t.Errorf("ParseChecksums gave %q for %s, want %q", sums[Platforms[0].AssetName()], Platforms[0].AssetName(), sum)
	}
	for name, text := range map[string]string{
		"a line without two spaces":   strings.Repeat("a", 64) + " codespaces-org-secrets_linux_amd64\n",
		"an upper-case digest":        strings.Repeat("A", 64) + "  codespaces-org-secrets_linux_amd64\n",
		"a path instead of a name":    strings.Repeat("a", 64) + "  dist/codespaces-org-secrets_linux_amd64\n",
		"a binary listed twice":       strings.Repeat(strings.Repeat("a", 64)+"  codespaces-org-secrets_linux_amd64\n", 2),
		"an empty file":               "",
		"one binary of six":           strings.Repeat("a", 64) + "  codespaces-org-secrets_linux_amd64\n",
		"a line of something else":    "checksums.txt\n",
		"a blank line between sums":   strings.Repeat("a", 64) + "  codespaces-org-secrets_linux_amd64\n\n",
		"a checksum of checksums.txt": strings.Repeat("a", 64) + "  checksums.txt\n",
	} {
		if _, err := ParseChecksums([]byte(text)); err == nil {
			t.Errorf("ParseChecksums accepted %s: %q", name, text)
		}
	}
}

func TestCheckSourceRefusesAReleaseCommit(t *testing.T) {
	t.Parallel()
	source := []byte(readTestFile(t, filepath.Join("..", "..", "action.yml")))
	pinned, err := PinImage(source, testDigest)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckSource(source, false, "refs/heads/main"); err != nil {
		t.Errorf("CheckSource refused main's action.yml: %v", err)
	}
	if err := CheckSource(source, false, "refs/heads/release-1.0"); err != nil {
		t.Errorf("CheckSource refused a release-* branch: %v", err)
	}
	advice := []string{
		"this is a release commit, not a source commit",
		"git switch -c release-1.0 v1.0.0^",
		"go run ./tools/release unpin-image && git rm native/release.json",
	}
	for name, tt := range map[string]struct {
		action     []byte
		hasRelease bool
		ref        string
		want       []string
	}{
		"a branch made off a release tag": {pinned, true, "refs/heads/release-1.0",
			append(advice, `action.yml runs "docker://ghcr.io/codespaces-org-secrets/codespaces-org-secrets@`+testDigest+`"`, "native/release.json exists")},
		"an action.yml unpinned but a release file left": {source, true, "refs/heads/main", append(advice, "native/release.json exists")},
		"a pinned action.yml alone":                      {pinned, false, "refs/heads/main", append(advice, "native/release.json is absent")},
		"a tag":                                          {source, false, "refs/tags/v1.0.0", []string{`the release runs on "refs/tags/v1.0.0": run it on main, or on a release-* branch`}},
		"a feature branch":                               {source, false, "refs/heads/feature", []string{`"refs/heads/feature"`}},
	} {
		err := CheckSource(tt.action, tt.hasRelease, tt.ref)
		if err == nil {
			t.Errorf("CheckSource accepted %s", name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("CheckSource of %s = %v\nwant it to contain %q", name, err, w)
			}
		}
	}
}

// TestMainCheckCommitReadsTheFiles runs check-commit as the release's
// commit job does, with the files on disk.
func TestMainCheckCommitReadsTheFiles(t *testing.T) {
	t.Parallel()
	in := goodCommit(t)
	dir := t.TempDir()
	files := map[string][]byte{"source-action.yml": in.SourceAction, "action.yml": in.ReleaseAction,
		"release.json": in.ReleaseFile, "checksums.txt": in.Checksums}
	for name, b := range files {
		writeTestFile(t, filepath.Join(dir, name), string(b))
	}
	args := func(digest string) []string {
		return []string{"check-commit", "--digest", digest, "--version", fixtureVersion, "--repository", fixtureRepository,
			"--source-action", filepath.Join(dir, "source-action.yml"), "--action", filepath.Join(dir, "action.yml"),
			"--release-file", filepath.Join(dir, "release.json"), "--checksums", filepath.Join(dir, "checksums.txt")}
	}
	const diff = "M\taction.yml\nA\tnative/release.json\n"
	if code, _, errOut := run(t, diff, args(testDigest)...); code != ExitOK {
		t.Errorf("check-commit of a good commit: exit %d: %s", code, errOut)
	}
	code, _, errOut := run(t, diff, args("sha256:"+strings.Repeat("cd", 32))...)
	if code != ExitFailed || !strings.Contains(errOut, "release check-commit: the release commit's action.yml is not the source's") {
		t.Errorf("check-commit of another digest: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = run(t, diff, "check-commit", "--digest", testDigest, "--version", fixtureVersion, "--repository", fixtureRepository)
	if code != ExitFailed || !strings.Contains(errOut, "--source-action is required") {
		t.Errorf("check-commit without --source-action: exit %d, stderr %q", code, errOut)
	}
}

// TestMainCheckSourceLooksForTheReleaseFile runs check-source on a
// checkout made off a release tag.
func TestMainCheckSourceLooksForTheReleaseFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	action, releaseFile := filepath.Join(dir, "action.yml"), filepath.Join(dir, "release.json")
	writeTestFile(t, action, smallAction)
	if code, _, errOut := run(t, "", "check-source", "--ref", "refs/heads/main", "--file", action, "--release-file", releaseFile); code != ExitOK {
		t.Errorf("check-source of a source commit: exit %d: %s", code, errOut)
	}
	writeTestFile(t, releaseFile, "{}\n")
	code, _, errOut := run(t, "", "check-source", "--ref", "refs/heads/main", "--file", action, "--release-file", releaseFile)
	if code != ExitFailed || !strings.Contains(errOut, "release check-source: this is a release commit") {
		t.Errorf("check-source with a release file: exit %d, stderr %q", code, errOut)
	}
	if err := os.Remove(action); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "", "check-source", "--ref", "refs/heads/main", "--file", action); code != ExitFailed || !strings.Contains(errOut, "reading the source's action.yml") {
		t.Errorf("check-source without action.yml: exit %d, stderr %q", code, errOut)
	}
}

// TestTheFixtureIsWhatTheReleaseFileWriterWrites runs the native entry
// point's writer on testdata/checksums.txt, as the commit job does, and
// compares its output with testdata/release.json: when the writer's
// format changes, the check of the release commit must change with it.
func TestTheFixtureIsWhatTheReleaseFileWriterWrites(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "release.json")
	writer := filepath.Join("..", "..", "native", "release", "write-release-file.mjs")
	trackFiles(t, writer, filepath.Join("..", "..", "native", "release-file.js"))
	cmd := exec.Command("node", writer,
		"--repository", fixtureRepository, "--version", fixtureVersion,
		"--base-url", "https://github.com/"+fixtureRepository+"/releases/download/"+fixtureVersion,
		"--checksums", filepath.Join("testdata", "checksums.txt"), "--out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node write-release-file.mjs: %v\n%s", err, b)
	}
	if got, want := readTestFile(t, out), readTestFile(t, filepath.Join("testdata", "release.json")); got != want {
		t.Fatalf("the writer wrote\n%s\nbut testdata/release.json is\n%s\nupdate the fixture and CheckReleaseCommit together", got, want)
	}
	in := goodCommit(t)
	in.ReleaseFile = []byte(readTestFile(t, out))
	if err := CheckReleaseCommit(in); err != nil {
		t.Errorf("CheckReleaseCommit refused what the writer wrote: %v", err)
	}
}
