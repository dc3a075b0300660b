package inputs

import "strings"

// Operation is what a run does: the operation input.
type Operation string

// The operations: each is named by its entry in [OperationTable] and by its
// implementation in internal/app, and nowhere else.
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
	// OpSetVisibility changes who can see existing secrets (their
	// visibility and repositories) and never sends a value.
	OpSetVisibility Operation = "set-visibility"
	// OpSync makes the organization's secrets match the manifest.
	OpSync Operation = "sync"
	// OpExport writes the organization's secrets, without values, as a
	// manifest that sync would leave as it is.
	OpExport Operation = "export"
)

// defaultOperation is the operation of a run that names none.
const defaultOperation = OpSet

// OperationSpec is one entry of the operation table: what the inputs
// package knows of an operation. Its implementation is the entry of the
// same name in internal/app's table of operations.
type OperationSpec struct {
	// Name is the operation input's value.
	Name Operation
	// Summary is the one-line description --help, the shell completion and
	// action.yml's description of the operation input show.
	Summary string
	// WorkstationNote says what the operation does on a workstation only
	// (its --help), or "".
	WorkstationNote string
	// rule says which inputs the operation takes.
	rule opRule
}

// ReadOnly reports whether the operation never writes to GitHub: an App
// token for it needs only read permissions.
func (s OperationSpec) ReadOnly() bool { return s.rule.readOnly }

// ScopeFromManifest reports whether the operation takes each secret's
// visibility and repositories from the manifest.
func (s OperationSpec) ScopeFromManifest() bool { return s.rule.scopeFromManifest }

// OperationTable is every operation, in the order of the documentation.
// Adding an operation means adding its entry here and its implementation
// in internal/app's table.
var OperationTable = []OperationSpec{
	{Name: OpSet, Summary: "Create or update secrets, keeping their scope.",
		WorkstationNote: "--value - reads the value from standard input; on a terminal it prompts, and what you paste is not shown.",
		rule:            opRule{names: namesWithValue, values: valuesRequired, visibility: visibilityOptional, repos: reposOptional, overwrite: true, dryRun: true}},
	{Name: OpSetVisibility, Summary: "Change who can see secrets, never their values.",
		rule: opRule{names: namesMany, visibility: visibilityRequired, repos: reposOptional, dryRun: true}},
	{Name: OpDelete, Summary: "Delete secrets (one that is missing is unchanged).",
		rule: opRule{names: namesMany, dryRun: true}},
	{Name: OpGet, Summary: "Read secrets (never values) and their repositories.",
		rule: opRule{names: namesMany, maxAge: true, readOnly: true}},
	{Name: OpList, Summary: "List the organization's Codespaces secrets.",
		rule: opRule{names: namesNone, maxAge: true, readOnly: true, nameHint: ", or use operation get to read named secrets"}},
	{Name: OpPublicKey, Summary: "Print the organization's public key.",
		rule: opRule{names: namesNone, readOnly: true}},
	{Name: OpListRepositories, Summary: "List the repositories of one selected secret.",
		rule: opRule{names: namesOne, readOnly: true}},
	{Name: OpSetRepositories, Summary: "Replace the repositories of selected secrets.",
		rule: opRule{names: namesMany, repos: reposRequired, dryRun: true}},
	{Name: OpAddRepositories, Summary: "Give repositories access to selected secrets.",
		rule: opRule{names: namesMany, repos: reposRequired, dryRun: true}},
	{Name: OpRemoveRepositories, Summary: "Take repositories' access to selected secrets away.",
		rule: opRule{names: namesMany, repos: reposRequired, dryRun: true}},
	{Name: OpSync, Summary: "Make the organization match the manifest.",
		rule: opRule{names: namesWithValue, values: valuesOptional, manifest: true, prune: true, maxAge: true, overwrite: true, dryRun: true, scopeFromManifest: true}},
	{Name: OpExport, Summary: "Write the organization's secrets as a manifest.",
		WorkstationNote: "--manifest - writes the manifest to standard output; the JSON result is then left out (the summary still goes to stderr).",
		rule:            opRule{names: namesNone, manifest: true, readOnly: true, dryRun: true}},
}

// Operations lists every operation, in the order of the documentation.
var Operations = func() []Operation {
	ops := make([]Operation, len(OperationTable))
	for i, s := range OperationTable {
		ops[i] = s.Name
	}
	return ops
}()

// OperationSummaries gives each operation's one-line description, as --help
// lists the operations as commands.
var OperationSummaries = func() map[Operation]string {
	m := make(map[Operation]string, len(OperationTable))
	for _, s := range OperationTable {
		m[s.Name] = s.Summary
	}
	return m
}()

// rules are the table's rules by operation.
var rules = func() map[Operation]opRule {
	m := make(map[Operation]opRule, len(OperationTable))
	for _, s := range OperationTable {
		m[s.Name] = s.rule
	}
	return m
}()

// SpecOf returns the table's entry of op, and false when op is not an
// operation.
func SpecOf(op Operation) (OperationSpec, bool) {
	for _, s := range OperationTable {
		if s.Name == op {
			return s, true
		}
	}
	return OperationSpec{}, false
}

// operationChoices lists the operations for a sentence: "a, b or c".
func operationChoices() string { return joinWords(operationNames(), "or") }

// operationsWhere lists, for a sentence ("a, b and c"), the operations
// whose rule has the property.
func operationsWhere(property func(opRule) bool) string {
	var names []string
	for _, s := range OperationTable {
		if property(s.rule) {
			names = append(names, string(s.Name))
		}
	}
	return joinWords(names, "and")
}

// operationsTaking names, for a message, the operations whose rule has the
// property: "operation sync", "operations set and sync".
func operationsTaking(property func(opRule) bool) string {
	n := 0
	for _, s := range OperationTable {
		if property(s.rule) {
			n++
		}
	}
	if n == 1 {
		return "operation " + operationsWhere(property)
	}
	return "operations " + operationsWhere(property)
}

// joinWords joins words as a sentence lists them: "a, b and c".
func joinWords(words []string, and string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	last := len(words) - 1
	return strings.Join(words[:last], ", ") + " " + and + " " + words[last]
}
