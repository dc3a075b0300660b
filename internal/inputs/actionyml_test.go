package inputs

import (
	"bytes"
	"os"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionYML is the part of action.yml the tests check. Decoding it with
// KnownFields rejects a misspelt key, such as "defualt".
type actionYML struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    *bool   `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Image string `yaml:"image"`
		Main  string `yaml:"main"`
	} `yaml:"runs"`
}

// loadActionYML reads ../../action.yml, and the order of its inputs and
// outputs.
func loadActionYML(t *testing.T) (a actionYML, inputOrder, outputOrder []string) {
	t.Helper()
	return loadActionYMLFile(t, "../../action.yml")
}

// loadActionYMLFile reads the action metadata file at path, and the order of
// its inputs and outputs.
func loadActionYMLFile(t *testing.T, path string) (a actionYML, inputOrder, outputOrder []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var order struct {
		Inputs  yaml.Node `yaml:"inputs"`
		Outputs yaml.Node `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(b, &order); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	keys := func(n yaml.Node) []string {
		var out []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, n.Content[i].Value)
		}
		return out
	}
	return a, keys(order.Inputs), keys(order.Outputs)
}

func TestActionYMLDeclaresTheTablesInputs(t *testing.T) {
	t.Parallel()
	a, order, _ := loadActionYML(t)
	var want []string
	for _, in := range Inputs {
		want = append(want, in.Name)
	}
	if len(order) != len(want) {
		t.Errorf("action.yml declares the inputs %q, the table %q", order, want)
	}
	for i := range min(len(order), len(want)) {
		if order[i] != want[i] {
			t.Errorf("input %d is %q in action.yml and %q in the table (same set and order wanted): %q vs %q", i, order[i], want[i], order, want)
			break
		}
	}
	for _, in := range Inputs {
		got, ok := a.Inputs[in.Name]
		if !ok {
			t.Errorf("action.yml lacks input %q", in.Name)
			continue
		}
		if got.Description == "" {
			t.Errorf("input %q has no description", in.Name)
		}
		if got.Description != in.Description {
			t.Errorf("input %q: description in action.yml\n  %q\nin the table\n  %q", in.Name, got.Description, in.Description)
		}
		switch {
		case got.Required == nil:
			t.Errorf("input %q does not say whether it is required", in.Name)
		case *got.Required != in.Required:
			t.Errorf("input %q: required is %v, want %v", in.Name, *got.Required, in.Required)
		}
		switch {
		case in.ActionDefault == "" && got.Default != nil:
			t.Errorf("input %q has default %q, want none", in.Name, *got.Default)
		case in.ActionDefault != "" && got.Default == nil:
			t.Errorf("input %q has no default, want %q", in.Name, in.ActionDefault)
		case in.ActionDefault != "" && *got.Default != in.ActionDefault:
			t.Errorf("input %q has default %q, want %q", in.Name, *got.Default, in.ActionDefault)
		}
	}
}

func TestActionYMLDeclaresTheTablesOutputs(t *testing.T) {
	t.Parallel()
	a, _, order := loadActionYML(t)
	var want []string
	for _, o := range Outputs {
		want = append(want, o.Name)
	}
	wantEqual(t, order, want)
	for _, o := range Outputs {
		got, ok := a.Outputs[o.Name]
		if !ok {
			t.Errorf("action.yml lacks output %q", o.Name)
			continue
		}
		if got.Description != o.Description {
			t.Errorf("output %q: description in action.yml\n  %q\nin the table\n  %q", o.Name, got.Description, o.Description)
		}
	}
}

func TestActionYMLIsADockerActionWithMetadata(t *testing.T) {
	t.Parallel()
	a, _, _ := loadActionYML(t)
	wantEqual(t, a.Name, "Codespaces organization secrets")
	if a.Description == "" || len(a.Description) > 125 {
		t.Errorf("description is %d characters; the Marketplace wants 1 to 125", len(a.Description))
	}
	if a.Author == "" {
		t.Error("no author")
	}
	wantEqual(t, a.Branding.Icon, "lock")
	wantEqual(t, a.Branding.Color, "blue")
	wantEqual(t, a.Runs.Using, "docker")
	wantEqual(t, a.Runs.Image, "Dockerfile")
}
