package inputs

import (
	"bytes"
	"errors"
	"flag"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestGHHostSetsTheAPIURLAndItsToken(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		env      map[string]string
		args     []string
		url, tok string
	}{
		{"no GH_HOST: github.com", map[string]string{"GH_TOKEN": "dotcom"}, nil, "https://api.github.com", "dotcom"},
		{"GH_HOST github.com", map[string]string{"GH_HOST": "github.com", "GH_TOKEN": "dotcom"}, nil, "https://api.github.com", "dotcom"},
		{"an Enterprise Server takes GH_ENTERPRISE_TOKEN first",
			map[string]string{"GH_HOST": "GHE.Example.com", "GH_TOKEN": "dotcom", "GH_ENTERPRISE_TOKEN": "ghes"}, nil, "https://ghe.example.com/api/v3", "ghes"},
		{"then GITHUB_ENTERPRISE_TOKEN",
			map[string]string{"GH_HOST": "ghe.example.com", "GITHUB_ENTERPRISE_TOKEN": "ghes2", "GH_TOKEN": "dotcom"}, nil, "https://ghe.example.com/api/v3", "ghes2"},
		// As gh: GH_TOKEN is github.com's, never sent to the Enterprise
		// Server GH_HOST names (the caller asks gh's login for it).
		{"never GH_TOKEN or GITHUB_TOKEN for GH_HOST's Enterprise Server",
			map[string]string{"GH_HOST": "ghe.example.com", "GH_TOKEN": "dotcom", "GITHUB_TOKEN": "dotcom2"}, nil, "https://ghe.example.com/api/v3", ""},
		{"GH_HOST as a URL", map[string]string{"GH_HOST": "https://ghe.example.com/", "GH_ENTERPRISE_TOKEN": "ghes"}, nil, "https://ghe.example.com/api/v3", "ghes"},
		{"GH_HOST as an http URL with a path", map[string]string{"GH_HOST": "http://ghe.example.com/api/v3", "GH_ENTERPRISE_TOKEN": "ghes"}, nil, "https://ghe.example.com/api/v3", "ghes"},
		{"then GH_TOKEN for an Enterprise Server given by --api-url, as before", map[string]string{"GH_TOKEN": "dotcom"},
			[]string{"--api-url", "https://ghe.example.com/api/v3"}, "https://ghe.example.com/api/v3", "dotcom"},
		{"GHE.com", map[string]string{"GH_HOST": "acme.ghe.com", "GH_TOKEN": "tenant", "GH_ENTERPRISE_TOKEN": "unused"}, nil, "https://api.acme.ghe.com", "tenant"},
		{"--api-url wins over GH_HOST", map[string]string{"GH_HOST": "ghe.example.com", "GH_TOKEN": "dotcom", "GH_ENTERPRISE_TOKEN": "ghes"},
			[]string{"--api-url", "https://api.github.com"}, "https://api.github.com", "dotcom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw, err := FromFlags(tt.args, strictEnv(t, tt.env, "GH_HOST", "GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_APP_PRIVATE_KEY"), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			wantEqual(t, raw["api-url"], tt.url)
			wantEqual(t, raw["token"], tt.tok)
			wantEqual(t, raw["private-key"], "") // never an enterprise token
		})
	}
}

func TestGHHostIsGhsNameOfTheAPIHost(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{
		"https://api.github.com":           "github.com",
		"https://API.GitHub.com/":          "github.com",
		"https://ghe.example.com/api/v3":   "ghe.example.com",
		"https://api.acme.ghe.com":         "acme.ghe.com",
		"http://127.0.0.1:8080/api/v3":     "127.0.0.1:8080",
		"::not a url":                      "",
		"https://ghe.example.com:8443/api": "ghe.example.com:8443",
	} {
		if got := GHHost(url); got != want {
			t.Errorf("GHHost(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestOperationHelpListsOnlyItsFlags(t *testing.T) {
	t.Parallel()
	help := func(args ...string) string {
		var stderr bytes.Buffer
		if _, err := FromFlags(args, strictEnv(t, nil, "GH_HOST"), &stderr); !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("FromFlags(%q) = %v, want flag.ErrHelp", args, err)
		}
		return stderr.String()
	}
	set := help("set", "--help")
	if set != help("help", "set") {
		t.Errorf("help set and set --help differ")
	}
	for _, want := range []string{"Usage: codespaces-org-secrets set [flags]", OperationSummaries[OpSet], "--name NAME", "--value VALUE",
		"--secrets LINES", "--env-file PATH", "--visibility VISIBILITY", "--repositories REPOS", "--allow-empty", "--dry-run", "--org LOGIN", "--api-url URL", "GH_TOKEN"} {
		if !strings.Contains(set, want) {
			t.Errorf("set --help lacks %q:\n%s", want, set)
		}
	}
	for _, not := range []string{"--prune", "--max-age", "--manifest", "--operation", "Operations", OperationSummaries[OpList], "--token"} {
		if strings.Contains(set, not) {
			t.Errorf("set --help shows %q:\n%s", not, set)
		}
	}
	list := help("list", "-h")
	for _, not := range []string{"--name", "--value", "--env-file", "--dry-run", "--visibility"} {
		if strings.Contains(list, not) {
			t.Errorf("list --help shows %q:\n%s", not, list)
		}
	}
	if !strings.Contains(list, "--max-age AGE") {
		t.Errorf("list --help lacks --max-age:\n%s", list)
	}
}

func TestEnvFileIsAFlagNotAnInput(t *testing.T) {
	t.Parallel()
	env := func(t *testing.T) func(string) string {
		return strictEnv(t, nil, "GH_HOST", "GH_TOKEN", "GITHUB_TOKEN")
	}
	raw, err := FromFlags([]string{"set", "--env-file", "prod.env"}, env(t), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, raw[EnvFileFlag], "prod.env")
	_, err = FromFlags([]string{"set", "--env-file", "prod.env", "--secrets", "-"}, env(t), &bytes.Buffer{})
	wantMessages(t, err, "--env-file and --secrets both give several secrets")
}

func TestFlagWordingNamesFlagsAndCommands(t *testing.T) {
	t.Parallel()
	for msg, want := range map[string]string{
		"`visibility`: \"x\" is not a visibility":                      "`--visibility`: \"x\" is not a visibility",
		"check the `org` input; if it is right":                        "check `--org`; if it is right",
		"add `visibility: selected`, or drop `repositories`":           "add `--visibility selected`, or drop `--repositories`",
		"set `allow-empty: true` if an empty value is what you mean":   "set `--allow-empty` if an empty value is what you mean",
		"check its name with `operation: list`":                        "check its name with `codespaces-org-secrets list --org acme`",
		"first (operation: set)":                                       "first (`codespaces-org-secrets set --org acme`)",
		"`name`: operation list does not take a name":                  "`--name`: `list` does not take a name",
		"check that the `token` input holds a valid token":             "check that the token (from GH_TOKEN, GITHUB_TOKEN or `gh auth login`) holds a valid token",
		"a manifest's \"visibility\" and `admin:org` stay as they are": "a manifest's \"visibility\" and `admin:org` stay as they are",
		"operations list, get and sync":                                "operations list, get and sync",
		"give `app-id` and the `private-key` input":                    "give `--app-id` and the private-key (from GH_APP_PRIVATE_KEY)",
		"pass a token, such as `token: ${{ secrets.T }}`":              "pass a token, such as `token: ${{ secrets.T }}`",
	} {
		if got := FlagWording(msg, "acme"); got != want {
			t.Errorf("FlagWording(%q)\n got %q\nwant %q", msg, got, want)
		}
	}
}

func TestFlagWordingShowsSeveralOrganizationsAsORG(t *testing.T) {
	t.Parallel()
	for _, org := range []string{"acme,acme-labs", "acme\nacme-labs"} {
		if got, want := FlagWording("check it with `operation: list`", org), "check it with `codespaces-org-secrets list --org ORG`"; got != want {
			t.Errorf("FlagWording(..., %q) = %q, want %q", org, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	ops := []string{"set", "delete", "get", "list", "sync", "export"}
	for word, want := range map[string]string{"lst": "list", "LIST": "list", "sinc": "sync", "delet": "delete", "exp": "export", "zq-c4n4ry": "", "x": ""} {
		if got := suggest(word, ops); got != want {
			t.Errorf("suggest(%q) = %q, want %q", word, got, want)
		}
	}
}

// After "--" nothing is a flag: what follows is named or counted as
// arguments that belong to no flag, never read as flags.
func TestNothingAfterDoubleDashIsAFlag(t *testing.T) {
	t.Parallel()
	_, err := FromFlags([]string{"list", "--org", "acme", "--", "x", "--name", "A"}, strictEnv(t, map[string]string{"GH_TOKEN": "t"}, "GH_HOST"), &bytes.Buffer{})
	if err == nil {
		t.Fatal("the flags after -- were read")
	}
	for _, want := range []string{"`A` looks like a secret name", "2 argument(s) after the flags are not flags"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no %q in: %v", want, err)
		}
	}
}

// --help says what GH_HOST does to GH_TOKEN, as tokenFromEnv reads it.
func TestHelpSaysGHHostsServerGetsNoGHToken(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	PrintUsage(&b)
	if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), "for one GH_HOST names, GH_TOKEN and GITHUB_TOKEN are not read") {
		t.Errorf("--help:\n%s", b.String())
	}
}

// An operation's help says what it does on a workstation only: where
// export --manifest - puts the manifest and the result (the issue asks for
// --help to say), and how set --value - prompts.
func TestOperationHelpHasItsWorkstationNote(t *testing.T) {
	t.Parallel()
	for op, want := range map[Operation]string{
		OpExport: "--manifest - writes the manifest to standard output; the JSON result is then left out",
		OpSet:    "on a terminal it prompts, and what you paste is not shown",
	} {
		var b bytes.Buffer
		PrintOperationUsage(&b, op)
		if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), want) {
			t.Errorf("%s --help lacks %q:\n%s", op, want, b.String())
		}
	}
}

// A --value typed without its quotes spills its words into arguments: none
// is repeated, however much it looks like a name, a repository or an
// operation. With --value - nothing can spill, so they are named.
func TestStrayWordsOfAValueAreNotRepeated(t *testing.T) {
	t.Parallel()
	env := strictEnv(t, map[string]string{"GH_TOKEN": "t"}, "GH_HOST")
	_, err := FromFlags([]string{"set", "--org", "acme", "--name", "A", "--value", "correct", "HORSE_ZQ", "acme/zq", "list"}, env, &bytes.Buffer{})
	if err == nil || strings.Contains(err.Error(), "zq") || strings.Contains(err.Error(), "`list`") || !strings.Contains(err.Error(), "3 argument(s) after the flags are not flags") {
		t.Errorf("error: %v", err)
	}
	_, err = FromFlags([]string{"set", "NPM_TOKEN", "--org", "acme", "--value", "-"}, env, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "`NPM_TOKEN` looks like a secret name: use `--name NPM_TOKEN`") {
		t.Errorf("error: %v", err)
	}
}

// Each operation's --help and its line of the bash completion offer exactly
// the flags it takes, written out here rather than read from the rules: a
// rule that lost dry-run (export, set-visibility) or gained a flag shows.
func TestEachOperationOffersExactlyItsFlags(t *testing.T) {
	t.Parallel()
	common := []string{"--app-id", "--org", "--api-url"}
	want := map[Operation][]string{
		OpSet:                {"--name", "--value", "--secrets", "--visibility", "--repositories", "--allow-empty", "--overwrite", "--dry-run", "--env-file"},
		OpSetVisibility:      {"--name", "--visibility", "--repositories", "--dry-run"},
		OpDelete:             {"--name", "--dry-run"},
		OpGet:                {"--name", "--max-age"},
		OpList:               {"--max-age"},
		OpPublicKey:          {},
		OpListRepositories:   {"--name"},
		OpSetRepositories:    {"--name", "--repositories", "--dry-run"},
		OpAddRepositories:    {"--name", "--repositories", "--dry-run"},
		OpRemoveRepositories: {"--name", "--repositories", "--dry-run"},
		OpSync:               {"--name", "--value", "--secrets", "--allow-empty", "--overwrite", "--dry-run", "--manifest", "--prune", "--max-age", "--env-file"},
		OpExport:             {"--dry-run", "--manifest"},
	}
	if len(want) != len(OperationTable) {
		t.Fatalf("the test knows %d operations, the table has %d", len(want), len(OperationTable))
	}
	var bash strings.Builder
	Completion(&bash, "bash")
	flagLine := regexp.MustCompile(`(?m)^  (--[a-z-]+)`)
	for op, flags := range want {
		wantSet := append(slices.Clone(common), flags...)
		slices.Sort(wantSet)
		var stderr bytes.Buffer
		if _, err := FromFlags([]string{string(op), "--help"}, strictEnv(t, nil, "GH_HOST"), &stderr); !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("%s --help: %v", op, err)
		}
		var help []string
		for _, m := range flagLine.FindAllStringSubmatch(stderr.String(), -1) {
			help = append(help, m[1])
		}
		slices.Sort(help)
		if !slices.Equal(help, wantSet) {
			t.Errorf("%s --help lists %v, want %v", op, help, wantSet)
		}
		line := regexp.MustCompile(`(?m)^ +` + regexp.QuoteMeta(string(op)) + `\) flags="([^"]*)"`).FindStringSubmatch(bash.String())
		if line == nil {
			t.Errorf("the bash completion has no line for %s", op)
			continue
		}
		completed := slices.DeleteFunc(strings.Fields(line[1]), func(f string) bool { return f == "--help" })
		slices.Sort(completed)
		if !slices.Equal(completed, wantSet) {
			t.Errorf("the bash completion of %s offers %v, want %v", op, completed, wantSet)
		}
	}
}
