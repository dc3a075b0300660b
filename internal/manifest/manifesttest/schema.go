// Package manifesttest checks manifests against the published JSON Schema
// in tests. It lives apart from package manifest so that the JSON Schema
// library is linked only into tests, never into the action's binary.
package manifesttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// ValidateAgainstSchema reports whether the YAML document yamlDoc is valid
// under the JSON Schema in the file schemaPath. It errors when the schema
// cannot be read or compiled, when yamlDoc is not YAML that maps to JSON
// (a syntax error, a key that is not a string, a repeated key, a number JSON
// cannot hold), or when the document breaks the schema; the last error
// lists every violation.
//
// YAML becomes JSON as YAML 1.2's core schema reads it: strings, integers,
// decimals, booleans and null keep their types, timestamps and other
// scalars stay strings, and aliases are expanded.
func ValidateAgainstSchema(schemaPath string, yamlDoc []byte) error {
	schemaFile, err := os.Open(schemaPath)
	if err != nil {
		return fmt.Errorf("failed to open the schema: %w", err)
	}
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		return fmt.Errorf("schema %s is not valid JSON: %w", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaPath, schemaDoc); err != nil {
		return fmt.Errorf("failed to add schema %s: %w", schemaPath, err)
	}
	sch, err := c.Compile(schemaPath)
	if err != nil {
		return fmt.Errorf("schema %s does not compile: %w", schemaPath, err)
	}

	var doc yaml.Node
	if err := yaml.Unmarshal(yamlDoc, &doc); err != nil {
		return fmt.Errorf("the document is not valid YAML: %w", err)
	}
	value, err := toJSON(&doc, 0)
	if err != nil {
		return fmt.Errorf("the document cannot be read as JSON: %w", err)
	}
	// A round trip through encoding/json gives the instance the types the
	// validator expects (json.Number for numbers).
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("the document cannot be encoded as JSON: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("the document's JSON cannot be decoded: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("the document does not match schema %s: %w", schemaPath, err)
	}
	return nil
}

// maxDepth bounds the nesting, which aliases could otherwise make endless.
const maxDepth = 100

// toJSON converts a YAML node to the values encoding/json encodes.
func toJSON(n *yaml.Node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("the document nests too deeply")
	}
	switch n.Kind {
	case 0:
		return nil, nil // an empty stream
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toJSON(n.Content[0], depth+1)
	case yaml.AliasNode:
		return toJSON(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := toJSON(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key is a %v, which JSON cannot hold", k.Line, k.Kind)
			}
			if _, dup := out[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q is repeated", k.Line, k.Value)
			}
			v, err := toJSON(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	}
	return scalar(n)
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return i, nil
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			return u, nil
		}
		return nil, fmt.Errorf("line %d: integer %s does not fit in 64 bits", n.Line, n.Value)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: JSON has no number %s", n.Line, n.Value)
		}
		return f, nil
	}
	return n.Value, nil
}
