// Package inputs defines the action's inputs and outputs once, reads them
// from a workflow (INPUT_* variables) or from a workstation's flags, and
// checks them all before anything is sent to GitHub.
//
// The table [Inputs] is the only definition of the inputs: the flags are
// built from it, --help is printed from it, and a test checks that
// action.yml declares exactly these inputs with these defaults.
package inputs

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
)

// Input describes one input of the action, which is also a flag of the
// command on a workstation (except the token, see FlagOnlyFromEnv).
type Input struct {
	// Name is the input's name in action.yml and, with "--" before it, the
	// flag's name.
	Name string
	// Description is the text of action.yml's description and of --help.
	Description string
	// ActionDefault is the default declared in action.yml, often an
	// expression such as ${{ github.api_url }}. Empty means none.
	ActionDefault string
	// FlagDefault is the flag's default on a workstation, where no
	// expression is evaluated.
	FlagDefault string
	// Metavar names the flag's argument in --help, such as URL.
	Metavar string
	// Required is action.yml's required.
	Required bool
	// Bool marks a true/false input; on a workstation it is a bool flag.
	Bool bool
	// ExactBytes marks an input read byte for byte, without the trimming
	// go-githubactions' GetInput does: a secret value may begin or end with
	// whitespace or a newline, and trimming it would silently store a
	// different secret.
	ExactBytes bool
	// FlagOnlyFromEnv marks the token: on a workstation it is not a flag,
	// since a command line leaks into shell history and process lists. It
	// is read from the first non-empty variable of WorkstationEnv.
	FlagOnlyFromEnv bool
	// WorkstationEnv lists, for a FlagOnlyFromEnv input, the environment
	// variables it is read from on a workstation, in order.
	WorkstationEnv []string
	// DashReadsStdin marks an input whose flag value "-" means: read the
	// value from standard input. The caller does the reading.
	DashReadsStdin bool
}

// Inputs is the single table of the action's inputs, in the order of
// action.yml and --help.
var Inputs = []Input{
	{
		Name: "token",
		Description: "Token for GitHub's REST API: a classic personal access token with the `admin:org` scope, " +
			"or a fine-grained personal access token or GitHub App installation token with the organization permission " +
			"\"Organization codespaces secrets\" (read and write) and the repository permission \"Metadata\" (read). " +
			"Give it, or `app-id` and `private-key`. " +
			"On a workstation it is read from GH_TOKEN or GITHUB_TOKEN, never from a flag.",
		FlagOnlyFromEnv: true,
		WorkstationEnv:  []string{"GH_TOKEN", "GITHUB_TOKEN"},
	},
	{
		Name: "app-id",
		Description: "GitHub App authentication, instead of `token`: the App's id or client id. " +
			"The run mints one installation token per organization, with only the permissions the operation needs, " +
			"and revokes them all at the end.",
		Metavar: "ID",
	},
	{
		Name: "private-key",
		Description: "The GitHub App's private key (the .pem file's text), with `app-id`. " +
			"On a workstation it is read from GH_APP_PRIVATE_KEY, or from the file GH_APP_PRIVATE_KEY_FILE names, never from a flag.",
		FlagOnlyFromEnv: true,
		WorkstationEnv:  []string{"GH_APP_PRIVATE_KEY"},
	},
	{
		Name: "org",
		Description: "Login of the organization whose Codespaces secrets to manage. Several, newline- or comma-separated, " +
			"are worked on in one run; with `app-id`, * means every organization the App is installed in.",
		ActionDefault: "${{ github.repository_owner }}",
		Metavar:       "LOGIN",
	},
	{
		Name:          "operation",
		Description:   "What to do: " + operationChoices() + ". On a workstation it may also be the first argument.",
		ActionDefault: string(defaultOperation),
		FlagDefault:   string(defaultOperation),
		Metavar:       "OPERATION",
	},
	{
		Name: "name",
		Description: "Secret name. Several, newline- or comma-separated, for " + operationsWhere(func(r opRule) bool { return r.names == namesMany }) +
			"; one for " + operationsWhere(func(r opRule) bool { return r.names == namesOne }) +
			", and one with `value` for " + operationsWhere(func(r opRule) bool { return r.names == namesWithValue && r.values == valuesRequired }) + ".",
		Metavar: "NAME",
	},
	{
		Name: "value",
		Description: "Value for set with one `name`, taken byte for byte: a YAML block scalar (|) keeps its final newline, " +
			"|- drops it. An empty or whitespace-only value is an error unless `allow-empty` is true. " +
			"On a workstation, --value - reads the value from standard input.",
		Metavar:        "VALUE",
		ExactBytes:     true,
		DashReadsStdin: true,
	},
	{
		Name: "secrets",
		Description: "Several secrets for " + operationsWhere(func(r opRule) bool { return r.values != valuesNone }) + ", taken byte for byte: NAME=value lines, " +
			"or NAME<<DELIMITER blocks ended by a line holding only DELIMITER for multi-line values (the syntax of GITHUB_ENV). " +
			"On a workstation, --secrets - reads the lines from standard input.",
		Metavar:        "LINES",
		ExactBytes:     true,
		DashReadsStdin: true,
	},
	{
		Name: "visibility",
		Description: "Which repositories may use the secret: all, private or selected. " +
			"For set, empty keeps an existing secret's visibility and a new secret gets private; " +
			"set-visibility needs it, and changes only who can see existing secrets, never their values.",
		Metavar: "VISIBILITY",
	},
	{
		Name: "repositories",
		Description: "Repositories for a selected secret: names (repo or org/repo) or numeric ids, newline- or comma-separated. " +
			"Taken by " + operationsWhere(func(r opRule) bool { return r.repos == reposOptional }) +
			", and needed by " + operationsWhere(func(r opRule) bool { return r.repos == reposRequired }) + ". " +
			"set-visibility to selected without repositories keeps the list of a secret that is already selected.",
		Metavar: "REPOS",
	},
	{
		Name:          "allow-empty",
		Description:   "Allow an empty or whitespace-only value. Otherwise it is an error, since it usually means the secret passed in is unset.",
		ActionDefault: "false",
		FlagDefault:   "false",
		Bool:          true,
	},
	{
		Name: "overwrite",
		Description: "For " + operationsWhere(func(r opRule) bool { return r.overwrite }) + ": write the value of a secret that already exists. " +
			"With false, an existing secret keeps its value (set leaves it unchanged, sync still reconciles its visibility and repositories) " +
			"and only missing secrets are created with their values. On a workstation: --overwrite=false.",
		ActionDefault: "true",
		FlagDefault:   "true",
		Bool:          true,
	},
	{
		Name:          "dry-run",
		Description:   "Read, plan and report as usual, but send no write request.",
		ActionDefault: "false",
		FlagDefault:   "false",
		Bool:          true,
	},
	{
		Name:          "manifest",
		Description:   "Path of the manifest that operation sync reads and operation export writes.",
		ActionDefault: manifest.DefaultPath,
		FlagDefault:   manifest.DefaultPath,
		Metavar:       "PATH",
	},
	{
		Name:          "prune",
		Description:   "For " + operationsWhere(func(r opRule) bool { return r.prune }) + " only: delete the organization's Codespaces secrets that the manifest does not list. A manifest that lists no secret is then refused.",
		ActionDefault: "false",
		FlagDefault:   "false",
		Bool:          true,
	},
	{
		Name: "max-age",
		Description: "For list, get and sync: the longest a secret may go without a new value, in hours, days or weeks " +
			"(36h, 90d, 12w). list and get fail with exit code 3 when a secret is older; sync warns about the old secrets it does not rewrite.",
		Metavar: "AGE",
	},
	{
		Name: "api-url",
		Description: "Base URL of GitHub's REST API: https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, " +
			"or https://api.SUBDOMAIN.ghe.com.",
		ActionDefault: "${{ github.api_url }}",
		FlagDefault:   "https://api.github.com",
		Metavar:       "URL",
	},
}

// Output describes one output of the action.
type Output struct {
	// Name is the output's name in action.yml and GITHUB_OUTPUT.
	Name string
	// Description is the text of action.yml's description.
	Description string
}

// Outputs is the table of the action's outputs, in the order of action.yml.
var Outputs = []Output{
	{
		Name: "result",
		Description: "The result as JSON: the secrets read (list, get), the public key (public-key), " +
			"the repositories (list-repositories), the manifest's path and the names written (export), " +
			"or the changes made or planned (the other operations).",
	},
	{
		Name:        "changed",
		Description: "true when the run changed something (in a dry run: when it would), otherwise false.",
	},
	{
		Name:        "stale",
		Description: "The names of the secrets older than max-age, as a JSON array; [] when there are none or max-age is not given.",
	},
	{
		Name: "summary",
		Description: "The job summary's Markdown: what changed or would change, each secret's visibility before → after, " +
			"the repositories added and removed, and whether a value is written; for a pull-request comment. It never holds a value.",
	},
	{
		Name: "exit-code",
		Description: "The step's exit code: 0 done, 1 GitHub refused or failed a request, 3 the run found what it was asked to flag " +
			"(secrets older than max-age, a get of a name that does not exist). With continue-on-error, a later step tells a finding from a failure by it.",
	},
	{
		Name:        "key-id",
		Description: "The ID of the organization's public key (operation public-key).",
	},
	{
		Name:        "key",
		Description: "The organization's public key, base64-encoded (operation public-key).",
	},
}

// Raw maps an input's name to its raw text, as the workflow or the flags
// gave it. [Parse] turns it into a [Config].
type Raw map[string]string

// EnvName returns the environment variable through which the Actions runner
// passes input name: INPUT_ and the name upper-cased, spaces turned into
// underscores and hyphens kept (api-url is INPUT_API-URL).
func EnvName(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

// FromEnv reads every input the way the Actions runner passes them. Inputs
// are trimmed of surrounding whitespace by go-githubactions' GetInput,
// except the ExactBytes ones (value, secrets), which are read byte for byte
// so that a secret is stored exactly as given. It reads only INPUT_*
// variables.
func FromEnv(getenv func(string) string) Raw {
	a := githubactions.New(githubactions.WithGetenv(getenv))
	raw := make(Raw, len(Inputs))
	for _, in := range Inputs {
		if in.ExactBytes {
			raw[in.Name] = getenv(EnvName(in.Name))
		} else {
			raw[in.Name] = a.GetInput(in.Name)
		}
	}
	return raw
}

// FromFlags reads every input from a workstation's command line: an
// optional operation as the first argument, then one flag per input of the
// table, a bool flag for each Bool input, --env-file, and the token from
// the environment (see tokenFromEnv). Without --api-url, GH_HOST picks the
// API's host, as for gh. Values are kept byte for byte; "--value -" and
// "--secrets -" are returned as "-" for the caller to read standard input,
// and the path of --env-file as Raw[EnvFileFlag] for the caller to read.
//
// It returns flag.ErrHelp, after printing the usage to stderr, for -h or
// --help (that operation's help after an operation); ErrVersion for
// --version and ErrDemo for --demo (these are flags like the others, so
// "--value --version" is a value, not a request for the version); an error
// for an unknown flag (suggesting the nearest), a --token flag, a first
// argument that is not an operation, an operation given both ways with
// different values, an argument that is not a flag's value, or both
// --env-file and --secrets. Its errors never repeat a flag's value, and
// repeat an argument only when it reads as an operation, a secret name, a
// repository or a visibility, and no --value was typed that it may be a
// word of (see strayError and leadingOperation).
func FromFlags(args []string, getenv func(string) string, stderr io.Writer) (Raw, error) {
	f := newFlags()
	if len(args) > 0 && args[0] == "help" { // as in git help, gh help
		printHelpFor(stderr, args[1:])
		return nil, flag.ErrHelp
	}
	positional, args, err := leadingOperation(args)
	if err != nil {
		return nil, err
	}
	stray, err := parseInterspersed(f.fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelpFor(stderr, []string{positional})
			return nil, flag.ErrHelp
		}
		return nil, flagError(err)
	}
	switch {
	case *f.version:
		return nil, ErrVersion
	case *f.demo:
		return nil, ErrDemo
	}
	if errs := f.problems(stray, positional); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f.raw(getenv), nil
}

// flags are FromFlags' flag set and the values its flags parse into.
type flags struct {
	fs                 *flag.FlagSet
	strs               map[string]*string
	bools              map[string]*bool
	tokenFlag, keyFlag refusedFlag
	version, demo      *bool
	envFile            *string
}

// newFlags defines a flag per input of the table, and the workstation's
// own flags.
func newFlags() *flags {
	f := &flags{fs: flag.NewFlagSet(commandName, flag.ContinueOnError), strs: map[string]*string{}, bools: map[string]*bool{}}
	// The flag package prints its errors and the usage on every error; the
	// caller prints the error once, and the usage only on request.
	f.fs.SetOutput(io.Discard)
	f.fs.Usage = func() {}
	for _, in := range Inputs {
		switch {
		case in.FlagOnlyFromEnv && in.Name == "private-key":
			f.fs.Var(&f.keyFlag, in.Name, "")
		case in.FlagOnlyFromEnv:
			f.fs.Var(&f.tokenFlag, in.Name, "")
		case in.Bool:
			f.bools[in.Name] = f.fs.Bool(in.Name, in.FlagDefault == "true", in.Description)
		default:
			f.strs[in.Name] = f.fs.String(in.Name, in.FlagDefault, in.Description)
		}
	}
	f.version = f.fs.Bool("version", false, "print the version")
	f.demo = f.fs.Bool("demo", false, "run the demo")
	f.envFile = f.fs.String(EnvFileFlag, "", envFileHelp)
	return f
}

// problems returns what is wrong with the parsed flags: a refused flag,
// stray arguments, two sources of several secrets, or an operation given
// both ways with different values. An operation given only as the first
// argument becomes the operation flag's value.
func (f *flags) problems(stray []string, positional string) []error {
	var errs []error
	if f.tokenFlag.set {
		errs = append(errs, errors.New("the token is not a flag, since a command line leaks into shell history and process lists: "+
			"remove --token and export GH_TOKEN (or GITHUB_TOKEN) instead, e.g. GH_TOKEN=\"$(gh auth token)\""))
	}
	if f.keyFlag.set {
		errs = append(errs, errors.New("the private key is not a flag, since a command line leaks into shell history and process lists: "+
			"remove --private-key and export GH_APP_PRIVATE_KEY_FILE with the path of the App's .pem file (or GH_APP_PRIVATE_KEY with its text) instead"))
	}
	if len(stray) > 0 {
		errs = append(errs, strayError(stray, given(f.fs, "value") && *f.strs["value"] != "-"))
	}
	if *f.envFile != "" && *f.strs["secrets"] != "" {
		errs = append(errs, errors.New("--env-file and --secrets both give several secrets: give them in one of the two"))
	}
	if positional != "" {
		flagOp := strings.ToLower(strings.TrimSpace(*f.strs["operation"]))
		switch {
		case !given(f.fs, "operation"):
			*f.strs["operation"] = positional
		case flagOp != positional:
			errs = append(errs, fmt.Errorf("`operation` is given twice, as the first argument (%s) and as --operation (%q): give it once", positional, *f.strs["operation"]))
		}
	}
	return errs
}

// raw returns the inputs the flags give, with the token from the
// environment and, without --api-url, the API's URL from GH_HOST.
func (f *flags) raw(getenv func(string) string) Raw {
	fromGHHost := false
	if u := hostAPIURL(getenv); !given(f.fs, "api-url") && u != "" {
		*f.strs["api-url"], fromGHHost = u, true
	}
	raw := make(Raw, len(Inputs)+1)
	for _, in := range Inputs {
		switch {
		case in.FlagOnlyFromEnv:
			raw[in.Name] = tokenFromEnv(in, *f.strs["api-url"], fromGHHost, getenv)
		case in.Bool:
			raw[in.Name] = strconv.FormatBool(*f.bools[in.Name])
		default:
			raw[in.Name] = *f.strs[in.Name]
		}
	}
	if *f.envFile != "" {
		raw[EnvFileFlag] = *f.envFile
	}
	return raw
}

// commandName is the program's name in --help.
const commandName = "codespaces-org-secrets"

// refusedFlag is the --token flag: it only records that it was given, and
// keeps no value, so that FromFlags can explain why the token is not a flag.
type refusedFlag struct{ set bool }

func (f *refusedFlag) String() string { return "" }

func (f *refusedFlag) Set(string) error {
	f.set = true
	return nil
}

// PrintUsage writes the --help text, built from [Inputs], to w.
func PrintUsage(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s [OPERATION] [flags]\n\n", commandName)
	wrap(&b, "Manages the Codespaces secrets of a GitHub organization. Each flag is an input of the action; "+
		"every input is checked before the first request is sent.", "", 78)
	writeOperations(&b)
	b.WriteString("\nFlags:\n")
	for _, in := range Inputs {
		if !in.FlagOnlyFromEnv {
			writeFlag(&b, in)
		}
	}
	writeFlag(&b, envFileInput)
	b.WriteString("  -h, --help\n      Print this help.\n")
	b.WriteString("  --version\n      Print the version.\n")
	b.WriteString("  --demo\n")
	wrap(&b, "Run a short scripted session against a built-in fake GitHub; needs no token.", "      ", 78)
	b.WriteString("\n")
	wrap(&b, "Exit codes: 0 done, 1 GitHub refused or failed a request, 2 invalid input, such as a repository that does not exist (nothing was changed), 3 the run worked and found what it was asked to flag: a secret older than --max-age (list, get), or a get of a name that does not exist.", "", 78)
	writeEnvironment(&b)
	_, _ = io.WriteString(w, b.String()) // best effort, like flag.PrintDefaults
}

// writeFlag writes one flag of --help: its name, argument and default,
// then its description.
func writeFlag(b *strings.Builder, in Input) {
	b.WriteString("  --" + in.Name)
	if !in.Bool {
		b.WriteString(" " + in.Metavar)
	}
	switch {
	case in.Bool:
	case in.FlagDefault != "":
		fmt.Fprintf(b, "  (default %s)", in.FlagDefault)
	case in.ActionDefault != "":
		// A default only a workflow can evaluate, such as the
		// repository's owner: a workstation has to give it.
		b.WriteString("  (required)")
	}
	b.WriteString("\n")
	wrap(b, FlagWording(in.Description, ""), "      ", 78)
}

// writeEnvironment writes the Environment section of --help: where the
// token comes from on a workstation.
func writeEnvironment(b *strings.Builder) {
	b.WriteString("\nEnvironment:\n")
	for _, in := range Inputs {
		if !in.FlagOnlyFromEnv {
			continue
		}
		fmt.Fprintf(b, "  %s\n", strings.Join(in.WorkstationEnv, ", "))
		wrap(b, "The first one set is the "+in.Name+". "+FlagWording(in.Description, ""), "      ", 78)
	}
	b.WriteString("  GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN\n")
	wrap(b, "For a GitHub Enterprise Server host, read before GH_TOKEN and GITHUB_TOKEN, as gh does; for one GH_HOST names, GH_TOKEN and GITHUB_TOKEN are not read (as for gh, they are github.com's).", "      ", 78)
	b.WriteString("  GH_HOST\n")
	wrap(b, "The host when --api-url is not given, as for gh: github.com, HOST (GitHub Enterprise Server) or SUBDOMAIN.ghe.com.", "      ", 78)
	wrap(b, "When no variable holds a token and gh is on PATH, the token of gh's login (gh auth token --hostname HOST) is used, and a line on stderr says so.", "  ", 78)
}

// wrap writes text to b in lines of at most width columns (longer words
// stay whole), each starting with indent.
func wrap(b *strings.Builder, text, indent string, width int) {
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}
