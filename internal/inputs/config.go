package inputs

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/manifest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// Config is the checked inputs of a run.
type Config struct {
	// Token is the token, trimmed; it is never printed.
	Token string
	// Org is the organization's login, as given, when the run has exactly
	// one; "" when it has several (see Orgs).
	Org string
	// Orgs are the organizations' logins, as given, without repeats (one
	// for a single organization); nil for AllOrgs.
	Orgs []string
	// AllOrgs is org "*": every organization the App is installed in.
	AllOrgs bool
	// AppID is the GitHub App's id or client id, for App authentication
	// (then Token is ""); "" with a token.
	AppID string
	// PrivateKey is the App's private key; it is never printed.
	PrivateKey *rsa.PrivateKey
	// Operation is the operation, lower-cased.
	Operation Operation
	// Names are the names from the name input.
	Names []secret.Name
	// Secrets are the values to write, for set and sync: the name input's
	// single name with the value input, then the secrets input's secrets.
	Secrets []SecretValue
	// Visibility is "", all, private or selected (lower-cased); "" keeps
	// an existing secret's visibility.
	Visibility secret.Visibility
	// Repositories are the repositories input's references.
	Repositories []secret.RepoRef
	// RepositoriesGiven is true when the repositories input names at least
	// one repository; then Repositories replaces a secret's list.
	RepositoriesGiven bool
	// AllowEmpty lets a value be empty.
	AllowEmpty bool
	// Overwrite is false when set and sync write a value only to create
	// a secret: one that exists keeps its value (overwrite: false).
	Overwrite bool
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
var badVisibility = "`visibility`: %q is not a visibility: use " + secret.Choices("%s", " or ") + ", or leave it empty to keep an existing secret's visibility"

// opRule says which inputs an operation takes.
type opRule struct {
	names      nameRule
	values     valueRule
	visibility visibilityRule
	repos      repoRule
	manifest   bool // needs manifest
	prune      bool // takes prune
	maxAge     bool // takes max-age
	overwrite  bool // takes overwrite
	dryRun     bool // takes dry-run
	readOnly   bool // never writes to GitHub
	// scopeFromManifest: each secret's visibility and repositories come
	// from the manifest, so the inputs of their own are refused.
	scopeFromManifest bool
	nameHint          string // what the error for a name adds, for an operation without names
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

type visibilityRule int

const (
	visibilityNone     visibilityRule = iota // no visibility
	visibilityOptional                       // visibility may be given
	visibilityRequired                       // visibility must be given
)

type repoRule int

const (
	reposNone repoRule = iota
	reposOptional
	reposRequired
)

// Parse checks the inputs and returns the run's Config. It checks
// everything that can be checked without GitHub, and reports every
// problem: the error joins one error per problem (errors.Join), each
// naming its input in backquotes and saying how to fix it. No error
// contains the token or a secret value.
//
// A missing input counts as empty; Parse applies no defaults (the runner
// applies action.yml's, the flags their own), except that an empty bool
// input takes its default: false, or true for overwrite.
func Parse(raw Raw) (Config, error) {
	var cfg Config
	var errs []error
	for _, check := range checks {
		errs = append(errs, check(raw, &cfg)...)
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// checks are Parse's steps, in the order of their messages. Each reads
// the raw inputs and the Config the steps before it filled in, fills in
// its own part and returns its problems. A step that needs the operation
// finds it in cfg.Operation, which is empty when the operation is not
// valid: then only the inputs' own syntax is checked.
var checks = []func(Raw, *Config) []error{
	checkToken,
	checkOrg,
	checkBools,
	checkURL,
	checkMaxAge,
	checkOperation,
	checkName,
	checkValues,
	checkVisibility,
	checkRepositories,
	checkManifest,
	checkMaxAgeApplies,
	checkOverwrite,
}

// ruleOf returns the rule of cfg's operation, and false when the operation
// is not valid.
func ruleOf(cfg *Config) (opRule, bool) {
	r, ok := rules[cfg.Operation]
	return r, ok
}

func errorf(format string, a ...any) []error { return []error{fmt.Errorf(format, a...)} }

func checkToken(raw Raw, cfg *Config) []error {
	cfg.Token = strings.TrimSpace(raw["token"])
	appID, key := strings.TrimSpace(raw["app-id"]), strings.TrimSpace(raw["private-key"])
	switch {
	case cfg.Token != "" && (appID != "" || key != ""):
		return errorf("`token` and `app-id`/`private-key` are both given: authenticate one way, with a token or with a GitHub App, and remove the other")
	case cfg.Token == "" && (appID != "" || key != ""):
		return checkApp(appID, key, cfg)
	case cfg.Token == "":
		return errorf("`token` is empty: in a workflow pass a token, such as `token: ${{ secrets.ORG_ADMIN_TOKEN }}`; " +
			"on a workstation export GH_TOKEN or GITHUB_TOKEN. It needs the `admin:org` scope (classic), " +
			"or \"Organization codespaces secrets\" read and write (fine-grained token, GitHub App). " +
			"Or authenticate as a GitHub App with `app-id` and `private-key`")
	case !ascii.IsPrint(cfg.Token) || strings.Contains(cfg.Token, " "):
		return errorf("`token` contains a space, a line break or another character a token cannot hold: check how it was copied (the token is not shown)")
	}
	return nil
}

// appIDPattern is an App's numeric id or its client id (Iv1.…, Iv23…).
var appIDPattern = regexp.MustCompile(`^([1-9][0-9]{0,18}|Iv[0-9A-Za-z.]{4,60})$`)

// tokenPrefix starts GitHub's tokens (ghp_, gho_, ghu_, ghs_, ghr_,
// github_pat_).
var tokenPrefix = regexp.MustCompile(`^(gh[pousr]_|github_pat_)`)

// checkApp checks GitHub App authentication: both inputs, an id that is an
// App id or client id, and a key that parses. No message repeats the key.
func checkApp(appID, key string, cfg *Config) []error {
	var errs []error
	switch {
	case appID == "":
		errs = errorf("`app-id` is empty: GitHub App authentication needs the App's id or client id with `private-key`, such as `app-id: ${{ vars.SECRETS_APP_CLIENT_ID }}`")
	case !appIDPattern.MatchString(appID) && (len(appID) > 64 || strings.ContainsAny(appID, "\r\n") || tokenPrefix.MatchString(appID)):
		// Longer than any id, several lines or a token's prefix: maybe
		// the private key or a token given in the wrong input, so never
		// shown.
		errs = errorf("`app-id` is neither a GitHub App's numeric id nor its client id (Iv…), and the value is not shown: it is %d characters long, so it may be a key or a token given in the wrong input; copy the id from the App's settings page", len(appID))
	case !appIDPattern.MatchString(appID):
		errs = errorf("`app-id`: %q is neither a GitHub App's numeric id nor its client id (Iv…): copy it from the App's settings page", appID)
	}
	if key == "" {
		return append(errs, errorf("`private-key` is empty: GitHub App authentication needs the App's private key with `app-id`, such as `private-key: ${{ secrets.SECRETS_APP_PRIVATE_KEY }}`")...)
	}
	k, err := appauth.ParsePrivateKey(key)
	if err != nil {
		return append(errs, fmt.Errorf("`private-key`: %w", err))
	}
	if len(errs) == 0 {
		cfg.AppID, cfg.PrivateKey = appID, k
	}
	return errs
}

// checkOrg reads the org input: one login, several (newline- or
// comma-separated, repeats dropped), or * with an App. It leaves cfg.Org
// empty unless exactly one valid login is given, so that the repositories
// of several organizations, or of an invalid one, are checked for their
// syntax only.
func checkOrg(raw Raw, cfg *Config) []error {
	text := strings.TrimSpace(raw["org"])
	if text == "*" {
		if cfg.Token != "" {
			return errorf("`org`: * (every organization the App is installed in) needs GitHub App authentication: give `app-id` and `private-key` instead of `token`, or name the organizations")
		}
		cfg.AllOrgs = true
		return nil
	}
	logins := ParseList(text)
	if len(logins) == 0 {
		return errorf("`org` is empty: give the organization's login, such as `org: acme` (on a workstation: --org acme)")
	}
	var errs []error
	seen := map[string]bool{}
	for _, org := range logins {
		switch {
		case org == "*":
			errs = append(errs, errors.New("`org`: * means every organization the App is installed in, so it stands alone: remove the other logins"))
			continue
		case strings.Contains(org, "/"):
			errs = append(errs, fmt.Errorf("`org`: %q is not an organization login: give the login alone, such as acme, not a URL or owner/repo", org))
			continue
		case !secret.ValidLogin(org):
			errs = append(errs, fmt.Errorf("`org`: %q is not a valid organization login: a login has 1 to 39 letters, digits or hyphens and does not start with a hyphen", org))
			continue
		case seen[strings.ToLower(org)]:
			continue
		}
		seen[strings.ToLower(org)] = true
		cfg.Orgs = append(cfg.Orgs, org)
	}
	if len(errs) > 0 {
		cfg.Orgs = nil
		return errs
	}
	if len(cfg.Orgs) == 1 {
		cfg.Org = cfg.Orgs[0]
	}
	return nil
}

// Several reports whether the run works on more than one organization
// (or on every installation of an App, which may be one).
func (c Config) Several() bool { return c.AllOrgs || len(c.Orgs) > 1 }

func checkBools(raw Raw, cfg *Config) []error {
	var errs []error
	bools := map[string]*bool{"allow-empty": &cfg.AllowEmpty, "dry-run": &cfg.DryRun, "prune": &cfg.Prune, "overwrite": &cfg.Overwrite}
	for _, in := range Inputs {
		if !in.Bool {
			continue
		}
		v, err := parseBool(raw[in.Name])
		if err != nil {
			errs = append(errs, fmt.Errorf("`%s`: %w", in.Name, err))
		}
		if strings.TrimSpace(raw[in.Name]) == "" {
			v = in.FlagDefault == "true" // as action.yml's default
		}
		*bools[in.Name] = v
	}
	return errs
}

// checkOverwrite refuses overwrite: false for an operation that writes
// no value, where it would silently mean nothing.
func checkOverwrite(_ Raw, cfg *Config) []error {
	if rule, ok := ruleOf(cfg); ok && !cfg.Overwrite && !rule.overwrite {
		return errorf("`overwrite` applies only to %s: remove it, or set it to true", operationsTaking(func(r opRule) bool { return r.overwrite }))
	}
	return nil
}

func checkURL(raw Raw, cfg *Config) []error {
	u, err := checkAPIURL(raw["api-url"])
	if err != nil {
		return []error{err}
	}
	cfg.APIURL = u
	return nil
}

func checkMaxAge(raw Raw, cfg *Config) []error {
	cfg.MaxAgeText = strings.TrimSpace(raw["max-age"])
	if cfg.MaxAgeText == "" {
		return nil
	}
	d, err := ParseMaxAge(cfg.MaxAgeText)
	if err != nil {
		return errorf("`max-age`: %w", err)
	}
	cfg.MaxAge = d
	return nil
}

func checkOperation(raw Raw, cfg *Config) []error {
	text := strings.ToLower(strings.TrimSpace(raw["operation"]))
	if _, ok := rules[Operation(text)]; ok {
		cfg.Operation = Operation(text)
		return nil
	}
	if text == "" {
		return errorf("`operation` is empty: use one of %s", operationList())
	}
	return errorf("`operation`: %q is not an operation: use one of %s", strings.TrimSpace(raw["operation"]), operationList())
}

func checkName(raw Raw, cfg *Config) []error {
	names := ParseList(raw["name"])
	rule, ok := ruleOf(cfg)
	op := cfg.Operation
	switch {
	case !ok:
	case len(names) > 0 && rule.names == namesNone:
		return errorf("`name`: operation %s does not take a name: remove it%s", op, rule.nameHint)
	case len(names) == 0 && rule.names == namesOne:
		return errorf("`name` is empty: operation %s needs the secret's name", op)
	case len(names) == 0 && rule.names == namesMany:
		return errorf("`name` is empty: operation %s needs the secret's name (several: newline- or comma-separated)", op)
	case len(names) > 1 && rule.names == namesOne:
		return errorf("`name`: operation %s takes exactly one name, not %d: run it once per secret", op, len(names))
	case len(names) > 1 && rule.names == namesWithValue:
		return errorf("`name`: operation %s takes one name, with `value`, not %d: give several secrets in `secrets` as NAME=value lines", op, len(names))
	}
	parsed, errs := checkNames(names)
	if ok && len(errs) == 0 && rule.names != namesNone {
		cfg.Names = parsed
	}
	return errs
}

// checkNames checks the name input's names: each valid, and unique
// ignoring case. Names from the name input are not secret, so the errors
// quote them.
func checkNames(names []string) ([]secret.Name, []error) {
	var (
		out  []secret.Name
		errs []error
		seen = map[secret.Name]string{}
	)
	for _, n := range names {
		name, err := secret.ParseName(n)
		if err != nil {
			errs = append(errs, fmt.Errorf("`name`: %q is not a valid secret name: %w", n, err))
			continue
		}
		if prev, ok := seen[name]; ok {
			errs = append(errs, fmt.Errorf("`name`: %q and %q are the same secret (names are case-insensitive): give it once", prev, n))
			continue
		}
		seen[name] = n
		out = append(out, name)
	}
	return out, errs
}

// checkValues checks value and secrets for set and sync, and keeps the
// secrets to write. No error repeats a value or a line of secrets.
func checkValues(raw Raw, cfg *Config) []error {
	rule, ok := ruleOf(cfg)
	if !ok {
		return nil
	}
	var errs []error
	fail := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	op := cfg.Operation
	names, value, secretsText := ParseList(raw["name"]), raw["value"], raw["secrets"]
	secretsGiven := strings.TrimSpace(secretsText) != ""

	if rule.values == valuesNone {
		if value != "" {
			fail("`value`: operation %s does not take a value: remove it", op)
		}
		if secretsGiven {
			fail("`secrets`: operation %s does not take secrets: remove it", op)
		}
		return errs
	}
	switch {
	case len(names) == 0 && value != "":
		fail("`value` needs a `name`: give the secret's name in `name`, or give NAME=value lines in `secrets` instead")
	case len(names) == 0 && !secretsGiven && rule.values == valuesRequired:
		fail("`name` is empty: operation %s needs `name` and `value`, or `secrets`", op)
	case len(names) == 1:
		name := names[0]
		key, nameErr := secret.ParseName(name)
		switch problem := ValueProblem(value, cfg.AllowEmpty); {
		case problem != "":
			errs = append(errs, valueError("value", name, problem, raw))
		case nameErr == nil: // else checkName reported it
			cfg.Secrets = append(cfg.Secrets, SecretValue{Name: key, Value: value})
		}
	}

	if !secretsGiven {
		return errs
	}
	parsed, err := ParseSecrets(secretsText)
	if err != nil {
		for _, e := range Unjoin(err) {
			errs = append(errs, fmt.Errorf("`secrets`: %w", e))
		}
		return errs
	}
	for _, s := range parsed {
		switch problem := ValueProblem(s.Value, cfg.AllowEmpty); {
		case len(names) == 1 && s.Name == secret.NameOf(names[0]):
			fail("`secrets`: %q is also given in `name`: give each secret once (names are case-insensitive)", names[0])
		case problem != "":
			errs = append(errs, valueError("secrets", string(s.Name), problem, raw))
		default:
			cfg.Secrets = append(cfg.Secrets, s)
		}
	}
	return errs
}

// valueError is the error of a value that breaks [ValueProblem]'s rule,
// from input: an empty one says what to do about it.
func valueError(input, name, problem string, raw Raw) error {
	err := fmt.Errorf("`%s`: the value of secret %q %s", input, name, problem)
	if problem == valueEmpty {
		err = fmt.Errorf("%w: %s", err, emptyValueHint(raw))
	}
	return err
}

// emptyValueHint says what to do about an empty value. With a visibility
// or repositories, the user most likely wants to change who can see the
// secret, which set-visibility does without touching the value; an empty
// value would replace it.
func emptyValueHint(raw Raw) string {
	if strings.TrimSpace(raw["visibility"]) != "" || len(ParseList(raw["repositories"])) > 0 {
		return "to change only who can see a secret, keeping its value, use `operation: set-visibility` " +
			"with `name`, `visibility` and (for selected) `repositories`: it sends no value"
	}
	return "the secret you passed is probably unset in this repository; set `allow-empty: true` if an empty value is what you mean"
}

// checkVisibility reads the input leniently: white space around it and
// its case do not matter. Empty is no visibility.
func checkVisibility(raw Raw, cfg *Config) []error {
	text := strings.ToLower(strings.TrimSpace(raw["visibility"]))
	rule, ok := ruleOf(cfg)
	if text == "" {
		if ok && rule.visibility == visibilityRequired {
			return errorf("`visibility` is empty: operation %s needs the new visibility: %s", cfg.Operation, secret.Choices("%s", " or "))
		}
		return nil
	}
	v, err := secret.ParseVisibility(text)
	switch {
	case ok && rule.visibility == visibilityNone:
		if rule.scopeFromManifest {
			return errorf("`visibility`: operation %s takes each secret's visibility from the manifest: remove it", cfg.Operation)
		}
		return errorf("`visibility`: operation %s does not take a visibility: remove it (operation set-visibility changes who can see a secret)", cfg.Operation)
	case err != nil:
		return errorf(badVisibility, raw["visibility"])
	}
	cfg.Visibility = v
	return nil
}

func checkRepositories(raw Raw, cfg *Config) []error {
	rule, ok := ruleOf(cfg)
	if !ok {
		return nil
	}
	op := cfg.Operation
	text := raw["repositories"]
	cfg.RepositoriesGiven = len(ParseList(text)) > 0
	switch {
	case cfg.RepositoriesGiven && rule.repos == reposNone:
		if rule.scopeFromManifest {
			return errorf("`repositories`: operation %s takes each secret's repositories from the manifest: remove it", op)
		}
		return errorf("`repositories`: operation %s does not take repositories: remove it", op)
	case !cfg.RepositoriesGiven && rule.repos == reposRequired:
		return errorf("`repositories` is empty: operation %s needs the repositories, as names (repo or org/repo) or numeric ids, newline- or comma-separated", op)
	case !cfg.RepositoriesGiven:
		return nil
	}
	var errs []error
	if v := cfg.Visibility; rule.visibility != visibilityNone && (v == secret.All || v == secret.Private) {
		errs = errorf("`repositories` can only be given for a secret with visibility selected, not %s: add `visibility: selected`, or drop `repositories`", v)
	}
	refs, rerrs := parseRepositories(text, cfg.Org)
	for _, err := range rerrs {
		errs = append(errs, fmt.Errorf("`repositories`: %w", err))
	}
	if cfg.Several() {
		for _, ref := range refs {
			if ref.Owner != "" || ref.ID != 0 {
				rerrs = append(rerrs, fmt.Errorf("`repositories`: %q belongs to one organization, and this run works on several: give bare repository names, which are looked up in each organization", ref.String()))
				errs = append(errs, rerrs[len(rerrs)-1])
			}
		}
	}
	if len(rerrs) == 0 {
		cfg.Repositories = refs
	}
	return errs
}

func checkManifest(raw Raw, cfg *Config) []error {
	rule, ok := ruleOf(cfg)
	if !ok {
		return nil
	}
	var errs []error
	cfg.Manifest = strings.TrimSpace(raw["manifest"])
	if rule.manifest && cfg.Manifest == "" {
		errs = errorf("`manifest` is empty: operation %s needs the manifest's path, such as %s", cfg.Operation, manifest.DefaultPath)
	}
	if cfg.Prune && !rule.prune {
		errs = append(errs, errorf("`prune` applies only to %s: remove it, or set it to false", operationsTaking(func(r opRule) bool { return r.prune }))...)
	}
	return errs
}

func checkMaxAgeApplies(_ Raw, cfg *Config) []error {
	if rule, ok := ruleOf(cfg); ok && cfg.MaxAgeText != "" && !rule.maxAge {
		return errorf("`max-age` applies only to %s: remove it", operationsTaking(func(r opRule) bool { return r.maxAge }))
	}
	return nil
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
	return strings.Join(operationNames(), ", ")
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
