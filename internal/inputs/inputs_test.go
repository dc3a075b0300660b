package inputs

import (
	"bytes"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"
)

func TestTheTableIsConsistent(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	var fromEnv []string
	for _, in := range Inputs {
		if !regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`).MatchString(in.Name) {
			t.Errorf("input %q: names are lower-case words joined by hyphens", in.Name)
		}
		if seen[in.Name] {
			t.Errorf("input %q is listed twice", in.Name)
		}
		seen[in.Name] = true
		if strings.TrimSpace(in.Description) == "" {
			t.Errorf("input %q has no description", in.Name)
		}
		wantDefault := "false"
		if in.Name == "overwrite" { // today's behaviour: set and sync write the values they are given
			wantDefault = "true"
		}
		if in.Bool && (in.ActionDefault != wantDefault || in.FlagDefault != wantDefault) {
			t.Errorf("bool input %q: defaults %q/%q, want %s/%s", in.Name, in.ActionDefault, in.FlagDefault, wantDefault, wantDefault)
		}
		if !in.Bool && !in.FlagOnlyFromEnv && in.Metavar == "" {
			t.Errorf("input %q has no Metavar for --help", in.Name)
		}
		if in.Required && in.ActionDefault != "" {
			t.Errorf("required input %q has a default", in.Name)
		}
		if in.FlagOnlyFromEnv {
			fromEnv = append(fromEnv, in.Name)
			wantEqual(t, in.WorkstationEnv, map[string][]string{"token": {"GH_TOKEN", "GITHUB_TOKEN"}, "private-key": {"GH_APP_PRIVATE_KEY"}}[in.Name])
		}
		if in.ExactBytes != (in.Name == "value" || in.Name == "secrets") {
			t.Errorf("input %q: ExactBytes is %v; only value and secrets are read byte for byte", in.Name, in.ExactBytes)
		}
	}
	wantEqual(t, fromEnv, []string{"token", "private-key"})
	for _, o := range Outputs {
		if strings.TrimSpace(o.Description) == "" {
			t.Errorf("output %q has no description", o.Name)
		}
	}
}

func TestEnvName(t *testing.T) {
	t.Parallel()
	wantEqual(t, EnvName("api-url"), "INPUT_API-URL")
	wantEqual(t, EnvName("dry-run"), "INPUT_DRY-RUN")
	wantEqual(t, EnvName("token"), "INPUT_TOKEN")
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	t.Run("reads every input from INPUT_ variables with hyphens kept", func(t *testing.T) {
		t.Parallel()
		env := map[string]string{}
		for _, in := range Inputs {
			env[EnvName(in.Name)] = "v-" + in.Name
		}
		raw := FromEnv(strictEnv(t, env))
		for _, in := range Inputs {
			wantEqual(t, raw[in.Name], "v-"+in.Name)
		}
		wantEqual(t, len(raw), len(Inputs))
	})
	t.Run("trims ordinary inputs", func(t *testing.T) {
		t.Parallel()
		raw := FromEnv(strictEnv(t, map[string]string{"INPUT_ORG": "  acme \n", "INPUT_TOKEN": "tok\n", "INPUT_API-URL": " https://api.github.com\n"}))
		wantEqual(t, raw["org"], "acme")
		wantEqual(t, raw["token"], "tok")
		wantEqual(t, raw["api-url"], "https://api.github.com")
	})
	t.Run("keeps value and secrets byte for byte", func(t *testing.T) {
		t.Parallel()
		raw := FromEnv(strictEnv(t, map[string]string{"INPUT_VALUE": "  v \n", "INPUT_SECRETS": "\nA= 1 \n"}))
		wantEqual(t, raw["value"], "  v \n")
		wantEqual(t, raw["secrets"], "\nA= 1 \n")
	})
	t.Run("gives empty strings for inputs that are not set", func(t *testing.T) {
		t.Parallel()
		raw := FromEnv(strictEnv(t, nil))
		for _, in := range Inputs {
			if v, ok := raw[in.Name]; !ok || v != "" {
				t.Errorf("raw[%q] = %q, %v", in.Name, v, ok)
			}
		}
	})
}

func TestFromFlags(t *testing.T) {
	t.Parallel()
	noEnv := func(t *testing.T) func(string) string {
		return strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST")
	}
	t.Run("gives the table's flag defaults", func(t *testing.T) {
		t.Parallel()
		raw, err := FromFlags(nil, noEnv(t), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range Inputs {
			wantEqual(t, raw[in.Name], in.FlagDefault)
		}
		wantEqual(t, raw["org"], "")
		wantEqual(t, raw["api-url"], "https://api.github.com")
		wantEqual(t, raw["operation"], "set")
		wantEqual(t, len(raw), len(Inputs))
	})
	t.Run("has a flag for every input but the token", func(t *testing.T) {
		t.Parallel()
		for _, in := range Inputs {
			if in.FlagOnlyFromEnv {
				continue
			}
			args := []string{"--" + in.Name, "x-" + in.Name}
			want := "x-" + in.Name
			if in.Bool {
				args, want = []string{"--" + in.Name}, "true"
			}
			raw, err := FromFlags(args, noEnv(t), &bytes.Buffer{})
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			wantEqual(t, raw[in.Name], want)
		}
	})
	t.Run("accepts -flag, --flag value and --flag=value", func(t *testing.T) {
		t.Parallel()
		raw, err := FromFlags([]string{"-org", "acme", "--name=A", "--operation", "get", "--dry-run", "--prune=false", "-allow-empty=true"}, noEnv(t), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, raw["org"], "acme")
		wantEqual(t, raw["name"], "A")
		wantEqual(t, raw["operation"], "get")
		wantEqual(t, raw["dry-run"], "true")
		wantEqual(t, raw["prune"], "false")
		wantEqual(t, raw["allow-empty"], "true")
	})
	t.Run("keeps a value byte for byte and leaves - to the caller", func(t *testing.T) {
		t.Parallel()
		raw, err := FromFlags([]string{"--value", " v \n", "--secrets", "A=1\n"}, noEnv(t), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, raw["value"], " v \n")
		wantEqual(t, raw["secrets"], "A=1\n")
		raw, err = FromFlags([]string{"--value", "-"}, noEnv(t), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, raw["value"], "-")
	})
	t.Run("takes the token from GH_TOKEN first", func(t *testing.T) {
		t.Parallel()
		raw, err := FromFlags(nil, strictEnv(t, map[string]string{"GH_TOKEN": "gh\n", "GITHUB_TOKEN": "github"}, "GH_HOST"), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, raw["token"], "gh")
	})
	t.Run("takes the token from GITHUB_TOKEN when GH_TOKEN is empty", func(t *testing.T) {
		t.Parallel()
		raw, err := FromFlags(nil, strictEnv(t, map[string]string{"GH_TOKEN": "", "GITHUB_TOKEN": "github"}, "GH_HOST"), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		wantEqual(t, raw["token"], "github")
	})
	t.Run("never reads an INPUT_ variable", func(t *testing.T) {
		t.Parallel()
		getenv := func(k string) string {
			if k != "GH_TOKEN" && k != "GITHUB_TOKEN" && k != "GH_HOST" && k != "GH_APP_PRIVATE_KEY" {
				t.Errorf("read %q", k)
			}
			return ""
		}
		if _, err := FromFlags([]string{"--org", "acme"}, getenv, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFromFlagsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"--token, without repeating it", []string{"--org", "acme", "--token", canary}, []string{"the token is not a flag", "GH_TOKEN"}},
		{"--token=value, without repeating it", []string{"--token=" + canary}, []string{"the token is not a flag"}},
		{"an unknown flag", []string{"--colour"}, []string{"unknown flag --colour"}},
		{"a flag cut short, with the one it starts", []string{"--repos", "web"}, []string{"unknown flag --repos: did you mean `--repositories`?"}},
		{"a misspelt flag, without repeating its value", []string{"--valeu=" + canary}, []string{"unknown flag --valeu: did you mean `--value`?"}},
		{"arguments that are not flags, without repeating them", []string{"--value", "two", canary}, []string{"1 argument(s) after the flags are not flags", "quote a value"}},
		{"a bool flag given a word", []string{"--dry-run=maybe"}, []string{"dry-run"}},
		{"a flag without its value", []string{"--org"}, []string{"flag needs an argument: -org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			raw, err := FromFlags(tt.args, strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST"), &stderr)
			wantMessages(t, err, tt.want...)
			if raw != nil {
				t.Errorf("inputs returned with an error: %v", raw)
			}
			if strings.Contains(err.Error(), "c4n4ry") {
				t.Errorf("the error repeats an argument: %v", err)
			}
			if stderr.Len() != 0 {
				t.Errorf("wrote to stderr, which is the caller's to do: %q", stderr.String())
			}
		})
	}
}

func TestHelpIsPrintedFromTheTable(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--help", "-h", "-help"} {
		t.Run(arg, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			raw, err := FromFlags([]string{"--org", "acme", arg}, strictEnv(t, nil, "GH_TOKEN", "GITHUB_TOKEN", "GH_HOST"), &stderr)
			if !errors.Is(err, flag.ErrHelp) || raw != nil {
				t.Fatalf("FromFlags(%s) = %v, %v; want nil, flag.ErrHelp", arg, raw, err)
			}
			help := stderr.String()
			for _, in := range Inputs {
				if in.FlagOnlyFromEnv {
					if strings.Contains(help, "--"+in.Name) {
						t.Errorf("help offers --%s", in.Name)
					}
					for _, env := range in.WorkstationEnv {
						if !strings.Contains(help, env) {
							t.Errorf("help does not mention %s", env)
						}
					}
					continue
				}
				if !strings.Contains(help, "\n  --"+in.Name) {
					t.Errorf("help lacks --%s", in.Name)
				}
				if in.FlagDefault != "" && !in.Bool && !strings.Contains(help, "--"+in.Name+" "+in.Metavar+"  (default "+in.FlagDefault+")") {
					t.Errorf("help lacks the default of --%s", in.Name)
				}
				firstWords := strings.Join(strings.Fields(in.Description)[:3], " ")
				if !strings.Contains(help, firstWords) {
					t.Errorf("help lacks the description of --%s (%q)", in.Name, firstWords)
				}
			}
			if !strings.Contains(help, "--org LOGIN  (required)") {
				t.Errorf("help does not say --org is required:\n%s", help)
			}
			for i, line := range strings.Split(help, "\n") {
				if len(line) > 80 && len(strings.Fields(line)) > 1 {
					t.Errorf("help line %d is %d columns wide: %q", i+1, len(line), line)
				}
			}
		})
	}
}

func TestEnvAndFlagsGiveTheSameConfig(t *testing.T) {
	t.Parallel()
	given := map[string]string{
		"org":          "acme",
		"operation":    "set",
		"name":         "NPM_TOKEN",
		"value":        " v\n",
		"secrets":      "B<<EOF\nx\nEOF\n",
		"visibility":   "selected",
		"repositories": "web,42",
		"allow-empty":  "true",
		"dry-run":      "true",
		"manifest":     "m.yml",
		"prune":        "false",
		"api-url":      "https://ghe.example.com/api/v3",
	}
	env := map[string]string{"INPUT_TOKEN": "tok"}
	var args []string
	for _, in := range Inputs {
		v, ok := given[in.Name]
		if !ok {
			continue
		}
		env[EnvName(in.Name)] = v
		if in.Bool {
			args = append(args, "--"+in.Name+"="+v)
		} else {
			args = append(args, "--"+in.Name, v)
		}
	}
	fromEnv, err := Parse(FromEnv(strictEnv(t, env)))
	if err != nil {
		t.Fatalf("from the environment: %v", err)
	}
	raw, err := FromFlags(args, strictEnv(t, map[string]string{"GH_TOKEN": "tok"}, "GH_HOST", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	fromFlags, err := Parse(raw)
	if err != nil {
		t.Fatalf("from flags: %v", err)
	}
	wantEqual(t, fromFlags, fromEnv)
	wantEqual(t, fromEnv.Secrets, []SecretValue{{"NPM_TOKEN", " v\n"}, {"B", "x"}})
}
