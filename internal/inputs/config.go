package inputs

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
)

// Operation is what a run does: the operation input.
type Operation string

// The operations.
const (
	// OpSet creates or updates secrets, keeping an existing secret's
	// visibility and repositories unless visibility or repositories is given.
	OpSet Operation = "set"
	// OpDelete deletes secrets.
	OpDelete Operation = "delete"
	// OpGet reads secrets (not their values).
	OpGet Operation = "get"
	// OpList lists the organization's Codespaces secrets.
	OpList Operation = "list"
	// OpPublicKey reads the organization's public key.
	OpPublicKey Operation = "public-key"
	// OpListRepositories lists the repositories of one selected secret.
	OpListRepositories Operation = "list-repositories"
	// OpSetRepositories replaces the repositories of selected secrets.
	OpSetRepositories Operation = "set-repositories"
	// OpAddRepositories adds repositories to selected secrets.
	OpAddRepositories Operation = "add-repositories"
	// OpRemoveRepositories removes repositories from selected secrets.
	OpRemoveRepositories Operation = "remove-repositories"
	// OpSync makes the organization's secrets match the manifest.
	OpSync Operation = "sync"
	// OpExport writes the organization's secrets, without values, as a
	// manifest that sync would leave as it is.
	OpExport Operation = "export"
)

// Operations lists every operation, in the order of the documentation.
var Operations = []Operation{
	OpSet, OpDelete, OpGet, OpList, OpPublicKey, OpListRepositories,
	OpSetRepositories, OpAddRepositories, OpRemoveRepositories, OpSync, OpExport,
}

// The visibilities of a secret.
const (
	VisibilityAll      = "all"
	VisibilityPrivate  = "private"
	VisibilitySelected = "selected"
)

// Config is the checked inputs of a run.
type Config struct {
	// Token is the token, trimmed; it is never printed.
	Token string
	// Org is the organization's login, as given.
	Org string
	// Operation is the operation, lower-cased.
	Operation Operation
	// Names are the names from the name input, as given.
	Names []string
	// Secrets are the values to write, for set and sync: the name input's
	// single name with the value input, then the secrets input's secrets.
	Secrets []SecretValue
	// Visibility is "", all, private or selected (lower-cased); "" keeps
	// an existing secret's visibility.
	Visibility string
	// Repositories are the repositories input's references.
	Repositories []RepoRef
	// RepositoriesGiven is true when the repositories input names at least
	// one repository; then Repositories replaces a secret's list.
	RepositoriesGiven bool
	// AllowEmpty lets a value be empty.
	AllowEmpty bool
	// DryRun plans and reports without sending a write request.
	DryRun bool
	// Prune lets sync delete the secrets the manifest does not list.
	Prune bool
	// Manifest is the path of the manifest sync reads and export writes.
	Manifest string
	// MaxAge is the max-age input: a secret last updated longer ago is
	// stale. 0 when it is not given.
	MaxAge time.Duration
	// MaxAgeText is the max-age input as given, trimmed, for messages.
	MaxAgeText string
	// APIURL is the REST API's base URL: absolute, https (or http for a
	// loopback host), scheme and host lower-cased, without user
	// information, query, fragment or a final slash.
	APIURL *url.URL
}

// badVisibility is the error for a visibility that is not one of the three.
const badVisibility = "`visibility`: %q is not a visibility: use all, private or selected, or leave it empty to keep an existing secret's visibility"

// opRule says which inputs an operation takes.
type opRule struct {
	names      nameRule
	values     valueRule
	visibility bool // takes visibility
	repos      repoRule
	manifest   bool // needs manifest
	prune      bool // takes prune
	maxAge     bool // takes max-age
}

type nameRule int

const (
	namesNone      nameRule = iota // no name
	namesOne                       // exactly one name
	namesMany                      // one or more names
	namesWithValue                 // at most one name, with value
)

type valueRule int

const (
	valuesNone     valueRule = iota // no value, no secrets
	valuesOptional                  // value (with name) or secrets may be given
	valuesRequired                  // name and value, or secrets, must be given
)

type repoRule int

const (
	reposNone repoRule = iota
	reposOptional
	reposRequired
)

var rules = map[Operation]opRule{
	OpSet:                {names: namesWithValue, values: valuesRequired, visibility: true, repos: reposOptional},
	OpDelete:             {names: namesMany},
	OpGet:                {names: namesMany, maxAge: true},
	OpList:               {names: namesNone, maxAge: true},
	OpPublicKey:          {names: namesNone},
	OpListRepositories:   {names: namesOne},
	OpSetRepositories:    {names: namesMany, repos: reposRequired},
	OpAddRepositories:    {names: namesMany, repos: reposRequired},
	OpRemoveRepositories: {names: namesMany, repos: reposRequired},
	OpSync:               {names: namesWithValue, values: valuesOptional, manifest: true, prune: true, maxAge: true},
	OpExport:             {names: namesNone, manifest: true},
}

// Parse checks the inputs and returns the run's Config. It checks
// everything that can be checked without GitHub, and reports every
// problem: the error joins one error per problem (errors.Join), each
// naming its input in backquotes and saying how to fix it. No error
// contains the token or a secret value.
//
// A missing input counts as empty; Parse applies no defaults (the runner
// applies action.yml's, the flags their own), except that an empty bool
// input is false.
func Parse(raw Raw) (Config, error) {
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	cfg := Config{}

	// token
	cfg.Token = strings.TrimSpace(raw["token"])
	switch {
	case cfg.Token == "":
		fail("`token` is empty: in a workflow pass a token, such as `token: ${{ secrets.ORG_ADMIN_TOKEN }}`; " +
			"on a workstation export GH_TOKEN or GITHUB_TOKEN. It needs the `admin:org` scope (classic), " +
			"or \"Organization codespaces secrets\" read and write (fine-grained token, GitHub App)")
	case !ascii.IsPrint(cfg.Token) || strings.Contains(cfg.Token, " "):
		fail("`token` contains a space, a line break or another character a token cannot hold: check how it was copied (the token is not shown)")
	}

	// org
	cfg.Org = strings.TrimSpace(raw["org"])
	orgOK := false
	switch {
	case cfg.Org == "":
		fail("`org` is empty: give the organization's login, such as `org: acme` (on a workstation: --org acme)")
	case strings.Contains(cfg.Org, "/"):
		fail("`org`: %q is not an organization login: give the login alone, such as acme, not a URL or owner/repo", cfg.Org)
	case !validLogin(cfg.Org):
		fail("`org`: %q is not a valid organization login: a login has 1 to 39 letters, digits or hyphens and does not start with a hyphen", cfg.Org)
	default:
		orgOK = true
	}

	// bools
	bools := map[string]*bool{"allow-empty": &cfg.AllowEmpty, "dry-run": &cfg.DryRun, "prune": &cfg.Prune}
	for _, in := range Inputs {
		if !in.Bool {
			continue
		}
		v, err := parseBool(raw[in.Name])
		if err != nil {
			fail("`%s`: %w", in.Name, err)
		}
		*bools[in.Name] = v
	}

	// api-url
	if u, err := checkAPIURL(raw["api-url"]); err != nil {
		errs = append(errs, err)
	} else {
		cfg.APIURL = u
	}

	// max-age
	cfg.MaxAgeText = strings.TrimSpace(raw["max-age"])
	if cfg.MaxAgeText != "" {
		if d, err := ParseMaxAge(cfg.MaxAgeText); err != nil {
			fail("`max-age`: %w", err)
		} else {
			cfg.MaxAge = d
		}
	}

	// visibility
	cfg.Visibility = strings.ToLower(strings.TrimSpace(raw["visibility"]))
	visibilityOK := true
	switch cfg.Visibility {
	case "", VisibilityAll, VisibilityPrivate, VisibilitySelected:
	default:
		visibilityOK = false
	}

	// operation
	opText := strings.ToLower(strings.TrimSpace(raw["operation"]))
	cfg.Operation = Operation(opText)
	rule, opOK := rules[cfg.Operation]
	switch {
	case opText == "":
		fail("`operation` is empty: use one of %s", operationList())
	case !opOK:
		fail("`operation`: %q is not an operation: use one of %s", strings.TrimSpace(raw["operation"]), operationList())
	}

	names := ParseList(raw["name"])
	value := raw["value"]
	secretsText := raw["secrets"]
	secretsGiven := strings.TrimSpace(secretsText) != ""
	reposText := raw["repositories"]
	cfg.RepositoriesGiven = len(ParseList(reposText)) > 0
	cfg.Manifest = strings.TrimSpace(raw["manifest"])
	op := cfg.Operation

	if !opOK {
		// Without an operation only the inputs' own syntax can be checked.
		errs = append(errs, checkNames(names)...)
		if !visibilityOK {
			fail(badVisibility, raw["visibility"])
		}
		return Config{}, errors.Join(errs...)
	}

	// name
	switch {
	case len(names) > 0 && rule.names == namesNone:
		hint := ""
		if op == OpList {
			hint = ", or use operation get to read named secrets"
		}
		fail("`name`: operation %s does not take a name: remove it%s", op, hint)
	case len(names) == 0 && rule.names == namesOne:
		fail("`name` is empty: operation %s needs the secret's name", op)
	case len(names) == 0 && rule.names == namesMany:
		fail("`name` is empty: operation %s needs the secret's name (several: newline- or comma-separated)", op)
	case len(names) > 1 && rule.names == namesOne:
		fail("`name`: operation %s takes exactly one name, not %d: run it once per secret", op, len(names))
	case len(names) > 1 && rule.names == namesWithValue:
		fail("`name`: operation %s takes one name, with `value`, not %d: give several secrets in `secrets` as NAME=value lines", op, len(names))
	default:
		if errs2 := checkNames(names); len(errs2) > 0 {
			errs = append(errs, errs2...)
		} else if rule.names != namesNone {
			cfg.Names = names
		}
	}

	// value and secrets
	if rule.values == valuesNone {
		if value != "" {
			fail("`value`: operation %s does not take a value: remove it", op)
		}
		if secretsGiven {
			fail("`secrets`: operation %s does not take secrets: remove it", op)
		}
	} else {
		var verrs []error
		cfg.Secrets, verrs = checkValues(rule, op, names, value, secretsText, cfg.AllowEmpty)
		errs = append(errs, verrs...)
	}

	// visibility
	switch {
	case cfg.Visibility != "" && !rule.visibility:
		if op == OpSync {
			fail("`visibility`: operation sync takes each secret's visibility from the manifest: remove it")
		} else {
			fail("`visibility`: operation %s does not take a visibility: remove it (operation set changes a secret's visibility)", op)
		}
	case !visibilityOK:
		fail(badVisibility, raw["visibility"])
	}

	// repositories
	switch {
	case cfg.RepositoriesGiven && rule.repos == reposNone:
		if op == OpSync {
			fail("`repositories`: operation sync takes each secret's repositories from the manifest: remove it")
		} else {
			fail("`repositories`: operation %s does not take repositories: remove it", op)
		}
	case !cfg.RepositoriesGiven && rule.repos == reposRequired:
		fail("`repositories` is empty: operation %s needs the repositories, as names (repo or org/repo) or numeric ids, newline- or comma-separated", op)
	case cfg.RepositoriesGiven:
		if rule.visibility && (cfg.Visibility == VisibilityAll || cfg.Visibility == VisibilityPrivate) {
			fail("`repositories` can only be given for a secret with visibility selected, not %s: add `visibility: selected`, or drop `repositories`", cfg.Visibility)
		}
		org := ""
		if orgOK {
			org = cfg.Org
		}
		refs, rerrs := parseRepositories(reposText, org)
		for _, err := range rerrs {
			errs = append(errs, fmt.Errorf("`repositories`: %w", err))
		}
		if len(rerrs) == 0 {
			cfg.Repositories = refs
		}
	}

	// manifest and prune
	if rule.manifest && cfg.Manifest == "" {
		fail("`manifest` is empty: operation %s needs the manifest's path, such as .github/codespaces-secrets.yml", op)
	}
	if cfg.Prune && !rule.prune {
		fail("`prune` applies only to operation sync: remove it, or set it to false")
	}

	// max-age
	if cfg.MaxAgeText != "" && !rule.maxAge {
		fail("`max-age` applies only to operations list, get and sync: remove it")
	}

	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// checkNames checks the name input's names: each valid, and unique
// ignoring case. Names from the name input are not secret, so the errors
// quote them.
func checkNames(names []string) []error {
	var errs []error
	seen := map[string]string{}
	for _, n := range names {
		if err := ValidateName(n); err != nil {
			errs = append(errs, fmt.Errorf("`name`: %q is not a valid secret name: %w", n, err))
			continue
		}
		key := strings.ToUpper(n)
		if prev, ok := seen[key]; ok {
			errs = append(errs, fmt.Errorf("`name`: %q and %q are the same secret (names are case-insensitive): give it once", prev, n))
			continue
		}
		seen[key] = n
	}
	return errs
}

// checkValues checks value and secrets for set and sync, and returns the
// secrets to write. No error repeats a value or a line of secrets.
func checkValues(rule opRule, op Operation, names []string, value, secretsText string, allowEmpty bool) ([]SecretValue, []error) {
	var (
		out  []SecretValue
		errs []error
	)
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	secretsGiven := strings.TrimSpace(secretsText) != ""

	switch {
	case len(names) == 0 && value != "":
		fail("`value` needs a `name`: give the secret's name in `name`, or give NAME=value lines in `secrets` instead")
	case len(names) == 0 && !secretsGiven && rule.values == valuesRequired:
		fail("`name` is empty: operation %s needs `name` and `value`, or `secrets`", op)
	case len(names) == 1:
		name := names[0]
		switch {
		case strings.TrimSpace(value) == "" && !allowEmpty:
			fail("`value` is empty (or only whitespace) for secret %q: the secret you passed is probably unset in this repository; "+
				"set `allow-empty: true` if an empty value is what you mean", name)
		case len(value) > MaxValueBytes:
			fail("`value` of secret %q is %d bytes, over GitHub's limit of %d bytes (48 KB): store a smaller value", name, len(value), MaxValueBytes)
		case ValidateName(name) == nil: // else checkNames reported it
			out = append(out, SecretValue{Name: name, Value: value})
		}
	}

	if !secretsGiven {
		return out, errs
	}
	parsed, err := ParseSecrets(secretsText)
	if err != nil {
		for _, e := range Unjoin(err) {
			errs = append(errs, fmt.Errorf("`secrets`: %w", e))
		}
		return out, errs
	}
	for _, s := range parsed {
		switch {
		case len(names) == 1 && strings.EqualFold(s.Name, names[0]):
			fail("`secrets`: %q is also given in `name`: give each secret once (names are case-insensitive)", names[0])
		case strings.TrimSpace(s.Value) == "" && !allowEmpty:
			fail("`secrets`: the value of secret %q is empty (or only whitespace): the secret you passed is probably unset in this repository; "+
				"set `allow-empty: true` if an empty value is what you mean", s.Name)
		case len(s.Value) > MaxValueBytes:
			fail("`secrets`: the value of secret %q is %d bytes, over GitHub's limit of %d bytes (48 KB): store a smaller value", s.Name, len(s.Value), MaxValueBytes)
		default:
			out = append(out, s)
		}
	}
	return out, errs
}

// parseBool reads a bool input the way the runner's YAML 1.2 core schema
// does: true, True, TRUE, false, False, FALSE. Empty is false.
func parseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean: use true or false", s)
}

// checkAPIURL checks the api-url input and returns it parsed, as
// Config.APIURL describes it. It accepts https, and http only for a
// loopback host.
func checkAPIURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("`api-url` is empty: use https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, or https://api.SUBDOMAIN.ghe.com")
	}
	if strings.Contains(raw, "@") {
		// Not repeated: it may hold a password or a token.
		return nil, errors.New("`api-url` must not contain a user name or password: give the token in `token`")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("`api-url`: %q is not an absolute URL: use https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, or https://api.SUBDOMAIN.ghe.com", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("`api-url`: %q uses plain http, which would send the token unencrypted: use https (http is accepted only for localhost, 127.0.0.1 or ::1)", raw)
		}
	default:
		return nil, fmt.Errorf("`api-url`: %q has scheme %q: use https", raw, u.Scheme)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("`api-url`: %q has a query or a fragment: give only the API's base URL, such as https://HOST/api/v3", raw)
	}
	if h := strings.ToLower(u.Hostname()); h == "github.com" || h == "www.github.com" {
		return nil, fmt.Errorf("`api-url`: %q is GitHub's website, not its API: use https://api.github.com", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host is localhost or a loopback IP address
// (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func operationList() string {
	names := make([]string, len(Operations))
	for i, op := range Operations {
		names[i] = string(op)
	}
	return strings.Join(names, ", ")
}

// Unjoin returns the problems err holds, one error each: the errors that
// errors.Join joined, at any depth, or err alone. Parse's error is such a
// join, and so is ParseSecrets'.
func Unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Unjoin(e)...)
		}
		return out
	}
	return []error{err}
}
