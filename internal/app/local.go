// The workstation's inputs: flags, the token from the environment or gh's
// login, --env-file and standard input.

package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// WithGHToken sets how a workstation run asks gh for the token of its login
// for a host (gh's name for it, such as github.com), when no environment
// variable holds one: "" when there is none, and whether gh was asked at
// all (false when it is not on PATH). By default it runs
// `gh auth token --hostname HOST` when gh is on PATH.
func WithGHToken(f func(ctx context.Context, host string) (token string, asked bool)) Option {
	return func(o *options) { o.ghToken = f }
}

// ghAuthToken asks gh, when it is on PATH, for the token of its login to
// host. Its errors (not logged in, another host) mean no token; what gh
// says on stderr is not shown, as it is gh's to word.
func ghAuthToken(ctx context.Context, host string) (string, bool) {
	gh, err := exec.LookPath("gh")
	if err != nil || host == "" {
		return "", false
	}
	out, err := exec.CommandContext(ctx, gh, "auth", "token", "--hostname", host).Output()
	if err != nil {
		return "", true
	}
	return strings.TrimSpace(string(out)), true
}

// localInputs reads a workstation's inputs. It returns false, with the
// exit code, when the run ends here: help, the version, the demo, a
// completion script, or a problem with the flags, the env file or stdin.
func localInputs(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, o options) (inputs.Raw, int, bool) {
	if len(args) < 2 { // the bare command: the usage, as a usage error
		inputs.PrintUsage(stderr)
		return nil, ExitUsage, false
	}
	if args[1] == "completion" {
		return nil, completion(args[2:], stdout, stderr), false
	}
	raw, err := inputs.FromFlags(args[1:], getenv, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, ExitOK, false
	case errors.Is(err, inputs.ErrVersion):
		fmt.Fprintf(stdout, "codespaces-org-secrets %s\n", o.version)
		return nil, ExitOK, false
	case errors.Is(err, inputs.ErrDemo):
		return nil, runDemo(ctx, stdout, stderr, o), false
	case err != nil:
		_, code, _ := localError(stderr, nil, err)
		fmt.Fprintln(stderr, "run with --help to see the flags")
		return nil, code, false
	}
	if err := readKeyFile(raw, getenv, o.readFile); err != nil {
		return localError(stderr, raw, err)
	}
	tokenFromGH(ctx, raw, stderr, o)
	if err := readEnvFile(raw, stdin, o); err != nil {
		return localError(stderr, raw, err)
	}
	if err := readStdin(ctx, raw, stdin, stderr); err != nil {
		return localError(stderr, raw, err)
	}
	return raw, ExitOK, true
}

// localError prints the problems of the workstation's inputs, one per
// line, in flag wording.
func localError(stderr io.Writer, raw inputs.Raw, err error) (inputs.Raw, int, bool) {
	for _, e := range inputs.Unjoin(err) {
		fmt.Fprintf(stderr, "error: %v\n", report.Neutralize(inputs.FlagWording(e.Error(), raw["org"])))
	}
	return nil, ExitUsage, false
}

// tokenFromGH fills in the token from gh's login when no variable held
// one and no App is given, and says so on stderr.
func tokenFromGH(ctx context.Context, raw inputs.Raw, stderr io.Writer, o options) {
	if raw["token"] != "" || strings.TrimSpace(raw["app-id"]) != "" || raw["private-key"] != "" { // an App makes its own token
		return
	}
	host := inputs.GHHost(raw["api-url"])
	tok, asked := o.ghToken(ctx, host)
	if tok != "" {
		raw["token"] = tok
		fmt.Fprintf(stderr, "using the token of gh's login to %s (gh auth token), as GH_TOKEN and GITHUB_TOKEN are not set\n", report.Neutralize(host))
		return
	}
	// The empty token's message follows; these say what it cannot know:
	// gh's part, and an Enterprise Server's own variable.
	h, env := report.Neutralize(host), "GH_TOKEN"
	if inputs.EnterpriseHost(host) {
		env = "GH_ENTERPRISE_TOKEN (GH_TOKEN and GITHUB_TOKEN, github.com's, are not read for a host GH_HOST names)"
	}
	switch {
	case asked:
		fmt.Fprintf(stderr, "gh gave no token for %s (`gh auth token --hostname %s` failed): log in with `gh auth login --hostname %s`, or export %s\n", h, h, h, env)
	case inputs.EnterpriseHost(host):
		fmt.Fprintf(stderr, "no token for the Enterprise Server %s: export %s, or log in with `gh auth login --hostname %s`\n", h, env, h)
	}
}

// readEnvFile reads the secrets of --env-file into the secrets input, in
// its syntax; --env-file - reads standard input, as gh's does, up to the
// limit of --secrets -. A file that cannot be read or parsed is an error
// naming it.
func readEnvFile(raw inputs.Raw, stdin io.Reader, o options) error {
	path := raw[inputs.EnvFileFlag]
	if path == "" {
		return nil
	}
	if op := inputs.Operation(strings.ToLower(strings.TrimSpace(raw["operation"]))); !inputs.Takes(op, inputs.EnvFileFlag) {
		return fmt.Errorf("--env-file: `%s` takes no secret values: remove --env-file", op)
	}
	var b []byte
	var err error
	switch {
	case path == "-" && raw["value"] == "-":
		return errors.New("--env-file - and --value - both read standard input, which can be read only once: " +
			"put the value in the env file with the others, and drop --name and --value")
	case path == "-":
		b, err = io.ReadAll(io.LimitReader(stdin, maxSecretsStdin+1))
		if err == nil && int64(len(b)) > maxSecretsStdin {
			return fmt.Errorf("--env-file -: standard input holds more than %d bytes, more than %d secrets of GitHub's largest value: pass fewer secrets", maxSecretsStdin, plan.MaxSecrets)
		}
	default:
		b, err = o.readFile(path)
		if err == nil && int64(len(b)) > maxSecretsStdin {
			return fmt.Errorf("--env-file %s holds more than %d bytes, more than %d secrets of GitHub's largest value: pass fewer secrets", path, maxSecretsStdin, plan.MaxSecrets)
		}
	}
	if err != nil {
		return fmt.Errorf("--env-file %s could not be read: check the path and that the file is readable: %w", path, err)
	}
	secrets, err := inputs.ParseDotenv(string(b))
	if err != nil {
		var errs []error
		for _, e := range inputs.Unjoin(err) {
			errs = append(errs, fmt.Errorf("--env-file %s: %w", path, e))
		}
		return errors.Join(errs...)
	}
	if len(secrets) == 0 {
		return fmt.Errorf("--env-file %s holds no NAME=value line: add the secrets to it", path)
	}
	raw["secrets"] = inputs.FormatSecrets(secrets)
	return nil
}

// localWording is the report's wording on a workstation: flags and
// commands, not inputs (see inputs.FlagWording). A workflow keeps its own.
func localWording(actions bool, raw inputs.Raw) report.Option {
	if actions {
		return nil
	}
	org := strings.TrimSpace(raw["org"])
	envFile := raw[inputs.EnvFileFlag] != "" // then the secrets came from it
	return report.WithWording(func(s string) string {
		s = inputs.FlagWording(s, org)
		if envFile {
			s = strings.ReplaceAll(s, "`--secrets`", "`--env-file`")
		}
		return s
	})
}

// completion prints the completion script of the shell args names.
func completion(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && inputs.Completion(stdout, args[0]) {
		return ExitOK
	}
	fmt.Fprintf(stderr, "error: completion takes one shell: %s, as in codespaces-org-secrets completion bash\n", strings.Join(inputs.Shells, ", "))
	return ExitUsage
}
