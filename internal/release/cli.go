package release

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// Exit codes of Main.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitUsage  = 2
)

const usage = `usage: release COMMAND [flags]

The steps of .github/workflows/release.yml:
  plan --version vX.Y.Z < existing-tags     the tags of the release, for GITHUB_OUTPUT
  pin-image --digest sha256:... [--file F]  action.yml: image: Dockerfile -> the published image
  unpin-image [--file F]                    action.yml: the published image -> image: Dockerfile
  binaries --version vX.Y.Z [--out DIR]     the six release binaries and checksums.txt
  check-source --ref R [--file F] [--release-file F]
                                            the ref is main or release-*, and the source no release commit
  check-commit --digest --version --repository --source-action F [--action F]
      [--release-file F] [--checksums F] < git-diff-name-status
                                            the release commit is the source with only the image pinned
                                            and native/release.json holding checksums.txt's SHA-256
  notes --version --repository --commit --digest < plan-outputs
`

// Main runs the release command with args (args[0] is the program name)
// and returns its exit code. environ is the environment the go command of
// the binaries step runs with.
func Main(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	cmd, rest := args[1], args[2:]
	setup, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "release: unknown command %q\n%s", cmd, usage)
		return ExitUsage
	}
	fs := flag.NewFlagSet("release "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	run := setup(cmd, fs, cmdEnv{ctx: ctx, environ: environ, stdin: stdin, stdout: stdout, stderr: stderr})
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "release %s: unexpected argument %q\n", cmd, fs.Arg(0))
		return ExitUsage
	}
	if err := run(); err != nil {
		fmt.Fprintf(stderr, "release %s: %v\n", cmd, err)
		return ExitFailed
	}
	return ExitOK
}

// cmdEnv is what a command reads and writes besides its flags.
type cmdEnv struct {
	ctx            context.Context
	environ        []string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// commands holds, for each command, the function that defines its flags
// on fs and returns what runs it once they are parsed.
var commands = map[string]func(cmd string, fs *flag.FlagSet, e cmdEnv) func() error{
	"plan":         planCommand,
	"pin-image":    imageCommand,
	"unpin-image":  imageCommand,
	"binaries":     binariesCommand,
	"check-source": checkSourceCommand,
	"check-commit": checkCommitCommand,
	"notes":        notesCommand,
}

// planCommand writes the tags of a release for GITHUB_OUTPUT.
func planCommand(_ string, fs *flag.FlagSet, e cmdEnv) func() error {
	version := fs.String("version", "", "the version to release, vMAJOR.MINOR.PATCH")
	return func() error {
		p, err := NewPlan(*version, e.stdin)
		if err != nil {
			return err
		}
		return p.WriteOutputs(e.stdout)
	}
}

// imageCommand pins action.yml to the published image (pin-image), or
// back to the Dockerfile (unpin-image).
func imageCommand(cmd string, fs *flag.FlagSet, _ cmdEnv) func() error {
	file := fs.String("file", "action.yml", "the action.yml to rewrite in place")
	digest := new(string)
	if cmd == "pin-image" {
		fs.StringVar(digest, "digest", "", "the image's digest, sha256:...")
	}
	return func() error {
		return rewriteFile(*file, func(b []byte) ([]byte, error) {
			if cmd == "pin-image" {
				return PinImage(b, *digest)
			}
			return UnpinImage(b)
		})
	}
}

// binariesCommand builds the release binaries and checksums.txt.
func binariesCommand(_ string, fs *flag.FlagSet, e cmdEnv) func() error {
	version := fs.String("version", "", "the version the binaries report, vMAJOR.MINOR.PATCH")
	out := fs.String("out", "dist", "the directory to write the binaries and checksums.txt to")
	pkg := fs.String("package", ".", "the main package to build")
	return func() error {
		names, err := BuildBinaries(e.ctx, execGo(e.environ, e.stderr), *version, *pkg, *out)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, strings.Join(names, "\n"))
		return nil
	}
}

// checkSourceCommand checks that the release runs on main or release-*,
// from a source commit.
func checkSourceCommand(_ string, fs *flag.FlagSet, _ cmdEnv) func() error {
	ref := fs.String("ref", "", "the ref the release runs on (GITHUB_REF)")
	file := fs.String("file", "action.yml", "the source commit's action.yml")
	releaseFile := fs.String("release-file", ReleaseFile, "the release file a release commit has")
	return func() error {
		action, err := os.ReadFile(*file)
		if err != nil {
			return fmt.Errorf("reading the source's action.yml: %w", err)
		}
		_, err = os.Stat(*releaseFile)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("looking for %s: %w", *releaseFile, err)
		}
		return CheckSource(action, err == nil, *ref)
	}
}

// checkCommitCommand checks that the release commit is the source with
// only the image pinned and the release file added.
func checkCommitCommand(_ string, fs *flag.FlagSet, e cmdEnv) func() error {
	in := CommitInput{NameStatus: e.stdin}
	fs.StringVar(&in.Digest, "digest", "", "the pushed image's digest, sha256:...")
	fs.StringVar(&in.Version, "version", "", "the version released")
	fs.StringVar(&in.Repository, "repository", "", "owner/name of the repository")
	files := []struct {
		flag, def, usage string
		dst              *[]byte
	}{
		{"source-action", "", "the source commit's action.yml (git show \"$GITHUB_SHA:action.yml\")", &in.SourceAction},
		{"action", "action.yml", "the release commit's action.yml", &in.ReleaseAction},
		{"release-file", ReleaseFile, "the release commit's release file", &in.ReleaseFile},
		{"checksums", "dist/" + ChecksumsFile, "the binaries' checksums", &in.Checksums},
	}
	paths := make([]*string, len(files))
	for i, f := range files {
		paths[i] = fs.String(f.flag, f.def, f.usage)
	}
	return func() error {
		if _, err := ParseVersion(in.Version); err != nil {
			return err
		}
		if in.Repository == "" {
			return errors.New("--repository is required (owner/name, as GITHUB_REPOSITORY)")
		}
		for i, f := range files {
			if *paths[i] == "" {
				return fmt.Errorf("--%s is required", f.flag)
			}
			b, err := os.ReadFile(*paths[i])
			if err != nil {
				return fmt.Errorf("reading --%s: %w", f.flag, err)
			}
			*f.dst = b
		}
		return CheckReleaseCommit(in)
	}
}

// notesCommand writes the release notes.
func notesCommand(_ string, fs *flag.FlagSet, e cmdEnv) func() error {
	var in NotesInput
	version := fs.String("version", "", "the version released")
	fs.StringVar(&in.Repository, "repository", "", "owner/name of the repository")
	fs.StringVar(&in.Commit, "commit", "", "the release commit's SHA")
	fs.StringVar(&in.Digest, "digest", "", "the image's digest, sha256:...")
	return func() error {
		p, err := readPlan(*version, e.stdin)
		if err != nil {
			return err
		}
		in.Plan = p
		notes, err := Notes(in)
		if err != nil {
			return err
		}
		_, err = io.WriteString(e.stdout, notes)
		return err
	}
}

// rewriteFile replaces the file at path with what change makes of it,
// keeping its mode. Nothing is written when change errors.
func rewriteFile(path string, change func([]byte) ([]byte, error)) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	updated, err := change(old)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, updated, info.Mode().Perm()); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// readPlan reads the outputs of `release plan` (name=value lines) back
// into a Plan for version.
func readPlan(version string, r io.Reader) (Plan, error) {
	v, err := ParseVersion(version)
	if err != nil {
		return Plan{}, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return Plan{}, fmt.Errorf("reading the plan: %w", err)
	}
	p := Plan{Version: v}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		seen[name] = true
		switch name {
		case "version":
			if value != v.String() {
				return Plan{}, fmt.Errorf("the plan is for %q, not %s", value, v)
			}
		case "tags":
			p.Tags = strings.Fields(value)
		case "moving-tags":
			p.Moving = strings.Fields(value)
		case "latest":
			p.Latest = value == "true"
		}
	}
	for _, name := range []string{"version", "tags", "moving-tags", "latest"} {
		if !seen[name] {
			return Plan{}, fmt.Errorf("the plan on standard input has no %s= line; pipe in the output of release plan", name)
		}
	}
	return p, nil
}

// execGo returns a GoBuild that runs the real go command with environ and
// the extra variables, its output going to stderr.
func execGo(environ []string, stderr io.Writer) GoBuild {
	return func(ctx context.Context, env, args []string) error {
		c := exec.CommandContext(ctx, "go", args...)
		c.Env = append(append([]string(nil), environ...), env...)
		c.Stdout, c.Stderr = stderr, stderr
		if err := c.Run(); err != nil {
			return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
		}
		return nil
	}
}
