package inputs

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
)

// EnvFileFlag is the workstation's --env-file flag: no input of the action,
// it names a dotenv file of secrets (see ParseDotenv). FromFlags returns its
// path as Raw[EnvFileFlag].
const EnvFileFlag = "env-file"

// envFileHelp is --env-file's line in --help.
var envFileHelp = "For " + operationsWhere(func(r opRule) bool { return r.values != valuesNone }) + " on a workstation: read NAME=value secrets from a dotenv file, as gh secret set --env-file does " +
	"(# comments, export prefixes, \"double\" quotes with \\n escapes, 'single' quotes taken literally; no $VAR is expanded). " +
	"--env-file - reads standard input. Not together with --secrets."

// Takes reports whether operation op takes the flag name (an input's name
// or EnvFileFlag), from the operation's rule. An input the rules do not
// know of, such as org or api-url, is taken by every operation; operation
// itself is not listed, as it is the command.
func Takes(op Operation, name string) bool {
	r, ok := rules[op]
	if !ok {
		return true
	}
	switch name {
	case "operation":
		return false
	case "name":
		return r.names != namesNone
	case "value", "secrets", "allow-empty", EnvFileFlag:
		return r.values != valuesNone
	case "visibility":
		return r.visibility != visibilityNone
	case "overwrite":
		return r.overwrite
	case "repositories":
		return r.repos != reposNone
	case "manifest":
		return r.manifest
	case "prune":
		return r.prune
	case "max-age":
		return r.maxAge
	case "dry-run":
		return r.dryRun
	}
	return true
}

// hostAPIURL is the API's URL for GH_HOST, as gh reads it: "" for none or
// github.com, https://api.SUB.ghe.com for GHE.com, otherwise an Enterprise
// Server's https://HOST/api/v3. A URL in GH_HOST (http or https, with a
// path or not) is read as its host, never as a host named "http".
func hostAPIURL(getenv func(string) string) string {
	host := strings.ToLower(strings.TrimSpace(getenv("GH_HOST")))
	if _, rest, isURL := strings.Cut(host, "://"); isURL { // a URL for a host: its host
		host = rest
	}
	host, _, _ = strings.Cut(host, "/")
	switch {
	case host == "" || host == "github.com":
		return ""
	case strings.HasSuffix(host, ".ghe.com"):
		return "https://api." + host
	}
	return "https://" + host + "/api/v3"
}

// given reports whether the flag name was given on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// GHHost returns gh's name for the host of an API URL, as `gh auth token
// --hostname` takes it: github.com for https://api.github.com, SUB.ghe.com
// for https://api.SUB.ghe.com, HOST for https://HOST/api/v3. It returns ""
// for a URL it cannot read.
func GHHost(apiURL string) string {
	u, err := url.Parse(strings.TrimSpace(apiURL))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Host)
	switch {
	case host == "api.github.com":
		return "github.com"
	case strings.HasPrefix(host, "api.") && strings.HasSuffix(host, ".ghe.com"):
		return strings.TrimPrefix(host, "api.")
	}
	return host
}

// EnterpriseHost reports whether gh would call host (as GHHost names it)
// an Enterprise Server, whose token comes from GH_ENTERPRISE_TOKEN.
func EnterpriseHost(host string) bool {
	return host != "" && host != "github.com" && !strings.HasSuffix(host, ".ghe.com")
}

// tokenFromEnv reads an input that is no flag (the token, the App's
// private key) on a workstation: the first variable of its WorkstationEnv
// that is set, and for the token of an Enterprise Server,
// GH_ENTERPRISE_TOKEN then GITHUB_ENTERPRISE_TOKEN before them, as gh does.
// GH_TOKEN and GITHUB_TOKEN, which earlier versions read for every host,
// still follow for a host of --api-url, but not for one of GH_HOST
// (fromGHHost): there, as for gh, they are github.com's tokens, not to be
// sent to another server. "" when none is set.
func tokenFromEnv(in Input, apiURL string, fromGHHost bool, getenv func(string) string) string {
	envs := in.WorkstationEnv
	if in.Name == "token" && EnterpriseHost(GHHost(apiURL)) {
		enterprise := []string{"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"}
		if !fromGHHost {
			enterprise = append(enterprise, envs...)
		}
		envs = enterprise
	}
	for _, env := range envs {
		if v := strings.TrimSpace(getenv(env)); v != "" {
			return v
		}
	}
	return ""
}

// parseInterspersed parses args with fs, allowing arguments between the
// flags, as gh does: it returns those arguments (all of them after a
// "--").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var stray []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return stray, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(stray, rest...), nil
		}
		stray, args = append(stray, rest[0]), rest[1:]
	}
}

// flagNames are the workstation's flags, for suggestions and completion:
// every input's but the token's, then the flags of the command alone.
func flagNames() []string {
	var names []string
	for _, in := range Inputs {
		if !in.FlagOnlyFromEnv {
			names = append(names, in.Name)
		}
	}
	return append(names, EnvFileFlag, "help", "version", "demo")
}

// operationNames are the operations' names, in the order of Operations.
func operationNames() []string {
	names := make([]string, len(Operations))
	for i, op := range Operations {
		names[i] = string(op)
	}
	return names
}

// flagError words an error of the flag package: an unknown flag gets the
// nearest one suggested. The command adds the hint to run with --help.
func flagError(err error) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	name = strings.TrimPrefix(name, "-")
	if s := suggest(name, flagNames()); s != "" {
		return fmt.Errorf("unknown flag --%s: did you mean `--%s`?", name, s)
	}
	return fmt.Errorf("unknown flag --%s", name)
}

// suggest returns the candidate nearest to word: within two edits, or
// starting with it (for a word of three letters or more); "" when none is
// near.
func suggest(word string, candidates []string) string {
	word = strings.ToLower(word)
	best, bestDist := "", 3
	for _, c := range candidates {
		d := ascii.EditDistance(word, c)
		if len(word) >= 3 && strings.HasPrefix(c, word) {
			d = min(d, 1)
		}
		if d < bestDist && d < len(word) {
			best, bestDist = c, d
		}
	}
	return best
}

var (
	secretNameLike = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	repoLike       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
)

// strayError explains arguments that belong to no flag. One that reads as
// an operation, an upper-case secret name, an owner/repo or a visibility
// is named with the flag it belongs to; any other is only counted, since
// it may be part of a value that lost its quotes. When a value was typed
// (valueTyped: --value VALUE, not --value -), every one is only counted:
// any may be a word of it.
func strayError(stray []string, valueTyped bool) error {
	var errs []error
	unnamed := 0
	for _, a := range stray {
		switch {
		case valueTyped:
			unnamed++
		case slices.Contains(Operations, Operation(a)):
			errs = append(errs, fmt.Errorf("`%s` is an operation: put it first, as in `%s`", a, commandLine(a, "")))
		case secretNameLike.MatchString(a):
			errs = append(errs, fmt.Errorf("`%s` looks like a secret name: use `--name %s`", a, a))
		case repoLike.MatchString(a):
			errs = append(errs, fmt.Errorf("`%s` looks like a repository: use `--repositories %s`", a, a))
		case slices.Contains([]string{"all", "private", "selected"}, a):
			errs = append(errs, fmt.Errorf("`%s` looks like a visibility: use `--visibility %s`", a, a))
		default:
			unnamed++
		}
	}
	if unnamed > 0 {
		errs = append(errs, fmt.Errorf("%d argument(s) after the flags are not flags: every input is a flag, such as --name NAME "+
			"(only the operation may come first, as in %s list --org ORG); quote a value that holds spaces", unnamed, commandName))
	}
	return errors.Join(errs...)
}

// printHelpFor prints the help of the operation args names, or the whole
// usage when it names none.
func printHelpFor(w io.Writer, args []string) {
	if len(args) > 0 {
		if op := Operation(strings.ToLower(args[0])); slices.Contains(Operations, op) {
			PrintOperationUsage(w, op)
			return
		}
	}
	PrintUsage(w)
}

// PrintOperationUsage writes the help of one operation: its summary and
// only the flags it takes, from [Inputs] and the operation's rule.
func PrintOperationUsage(w io.Writer, op Operation) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s %s [flags]\n\n", commandName, op)
	spec, _ := SpecOf(op)
	wrap(&b, spec.Summary, "", 78)
	if note := spec.WorkstationNote; note != "" {
		b.WriteString("\n")
		wrap(&b, note, "", 78)
	}
	b.WriteString("\nFlags:\n")
	for _, in := range Inputs {
		if !in.FlagOnlyFromEnv && Takes(op, in.Name) {
			writeFlag(&b, in)
		}
	}
	if Takes(op, EnvFileFlag) {
		writeFlag(&b, envFileInput)
	}
	b.WriteString("  -h, --help\n      Print this help.\n")
	writeEnvironment(&b)
	_, _ = io.WriteString(w, b.String())
}

// envFileInput describes --env-file for --help, as the inputs are.
var envFileInput = Input{Name: EnvFileFlag, Description: envFileHelp, Metavar: "PATH"}
