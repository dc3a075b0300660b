package manifest

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// Parse parses and checks the manifest data read from path; path is used
// only in messages. It returns every problem it finds, joined with
// errors.Join; each is an *Error whose text is path:line:column: message.
// It returns a manifest only when there is no problem.
//
// Anchors, aliases, merge keys and custom tags are rejected: the manifest
// is meant to be read at a glance, with every secret written out in full.
func Parse(path string, data []byte) (*Manifest, error) {
	p := &parser{path: path}
	m := &Manifest{Path: path}
	if len(data) > MaxSize {
		p.errorf(1, 1, "the manifest is %d bytes, larger than the limit of %d bytes (1 MiB); make it smaller", len(data), MaxSize)
	} else if doc := p.decode(data); doc != nil {
		m.Secrets, m.Organizations = p.document(doc)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return m, nil
}

type parser struct {
	path string
	errs []*Error
}

func (p *parser) errorf(line, col int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: max(line, 1), Column: max(col, 1), Message: fmt.Sprintf(format, args...)})
}

func (p *parser) errorAt(n *yaml.Node, format string, args ...any) {
	p.errorf(n.Line, n.Column, format, args...)
}

// err returns the problems in file order, joined.
func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(p.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	errs := make([]error, len(p.errs))
	for i, e := range p.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// decode returns the file's only YAML document, or nil after recording why
// there is none.
func (p *parser) decode(data []byte) (doc *yaml.Node) {
	defer func() {
		// The YAML library reports its own errors as values; a panic would
		// be a bug in it, which must not take the action down with a trace.
		if r := recover(); r != nil {
			p.errorf(1, 1, "the YAML parser failed on this file (%v); simplify the file and report the problem", r)
			doc = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first yaml.Node
	if err := dec.Decode(&first); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(1, 1, "the manifest is empty; add a top-level \"secrets\" mapping, such as \"secrets: {}\" for no secrets")
		} else {
			p.syntaxError(err, data)
		}
		return nil
	}
	var second yaml.Node
	switch err := dec.Decode(&second); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.syntaxError(err, data)
		return nil
	default:
		p.errorAt(&second, "the manifest has more than one YAML document; keep one: remove this document and the \"---\" line before it, or merge the documents")
		return nil
	}
	return &first
}

var yamlErrorRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxError records a YAML syntax error. The YAML library names a line
// for some errors only, and for errors found while parsing it names the
// start of the enclosing block rather than the bad line, so the position
// is worked out here: the first character YAML does not allow, or else the
// line that first makes a prefix of the file fail with the same error.
func (p *parser) syntaxError(err error, data []byte) {
	msg := err.Error()
	line, col := 1, 1
	if m := yamlErrorRE.FindStringSubmatch(msg); m != nil {
		msg = m[2]
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
	}
	if l, c, ok := badCharPosition(data); ok {
		line, col = l, c
	} else if l, c, ok := failingLine(data, err.Error()); ok {
		line, col = l, c
	}
	fix := "fix the syntax on this line or the one before it"
	switch {
	case msg == "found incompatible YAML document":
		fix = "remove the \"%YAML\" line: the parser reads YAML without it"
	case strings.HasPrefix(msg, "unknown anchor"):
		fix = "aliases are not supported: write the value out in full"
	}
	p.errorf(line, col, "invalid YAML: %s; %s", msg, fix)
}

// yamlError returns the first error of the YAML library on data, reading
// at most two documents as Parse does.
func yamlError(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for range 2 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
	return nil
}

// failingLine finds the first line such that the file up to and including
// it fails with the error want, by bisection: YAML is parsed as a stream,
// so every longer prefix fails the same way. It returns that line and the
// column of its first character that is not a space.
func failingLine(data []byte, want string) (line, col int, ok bool) {
	// ends[i] is the end of line i+1, after its newline.
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(i int) bool {
		err := yamlError(data[:ends[i]])
		return err != nil && err.Error() == want
	}
	// Bisect for the first failing prefix; the whole file fails.
	lo, hi := 0, len(ends)-1
	if !fails(hi) {
		return 0, 0, false
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	start := 0
	if lo > 0 {
		start = ends[lo-1]
	}
	col = 1
	for i := start; i < ends[lo] && data[i] == ' '; i++ {
		col++
	}
	return lo + 1, col, true
}

// badCharPosition returns the line and column of the first character that
// YAML does not allow in a file: invalid UTF-8 or a control character.
func badCharPosition(data []byte) (line, col int, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 || !yamlPrintable(r) {
			return line, col, true
		}
		i += size
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return 0, 0, false
}

// yamlPrintable reports whether YAML 1.2 allows r in a stream.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85, r == 0xFEFF:
		return true
	case 0x20 <= r && r <= 0x7E, 0xA0 <= r && r <= 0xD7FF, 0xE000 <= r && r <= 0xFFFD, 0x10000 <= r && r <= 0x10FFFF:
		return true
	}
	return false
}

// kindName names a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return "string"
		case "!!int":
			return "number"
		case "!!float":
			return "decimal number"
		case "!!bool":
			return "boolean"
		case "!!null":
			return "null"
		}
		return "single value"
	}
	return "document"
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// plain records the YAML features the manifest does not allow on n: an
// anchor, an alias or a custom tag. It reports whether n can still be
// checked.
func (p *parser) plain(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		p.errorAt(n, "alias %q is not supported; write the value out in full instead of referring to an anchor", "*"+n.Value)
		return false
	}
	if n.Anchor != "" {
		p.errorAt(n, "anchor %q is not supported; remove it and write values out in full (aliases and merge keys are not supported either)", "&"+n.Anchor)
	}
	if t := n.ShortTag(); !strings.HasPrefix(t, "!!") {
		p.errorAt(n, "tag %q is not supported; remove it", t)
		return false
	}
	return true
}

// key returns the text of a mapping key, or false after recording why it
// cannot be a key of the manifest.
func (p *parser) key(k *yaml.Node) (string, bool) {
	if !p.plain(k) {
		return "", false
	}
	if k.Kind != yaml.ScalarNode {
		p.errorAt(k, "a key must be a name, not a %s; write keys as plain names followed by \":\"", kindName(k))
		return "", false
	}
	if k.ShortTag() == "!!merge" {
		p.errorAt(k, "merge keys (\"<<\") are not supported; write the settings out in full")
		return "", false
	}
	return k.Value, true
}

// pairs calls f for each key of mapping m that can be checked, once per
// distinct key; a repeated key is recorded as a problem. where names the
// mapping for messages, such as ` in secret "NPM_TOKEN"`.
func (p *parser) pairs(m *yaml.Node, where string, f func(name string, k, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.key(k)
		if !ok {
			continue
		}
		if line, dup := seen[name]; dup {
			p.errorAt(k, "key %q is repeated%s (first at line %d); keep only one", name, where, line)
			continue
		}
		seen[name] = k.Line
		f(name, k, v)
	}
}

// document checks the file's document and returns its entries, or its
// organizations' sections in the organizations form.
func (p *parser) document(doc *yaml.Node) ([]Entry, []Organization) {
	if len(doc.Content) == 0 || isNull(doc.Content[0]) && doc.Content[0].Anchor == "" {
		p.errorAt(doc, "the manifest is empty; add a top-level \"secrets\" mapping, such as \"secrets: {}\" for no secrets")
		return nil, nil
	}
	root := doc.Content[0]
	if !p.plain(root) {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		p.errorAt(root, "the manifest must be a mapping with the key \"secrets\", not a %s; start the file with \"secrets:\"", kindName(root))
		return nil, nil
	}
	var key, value, orgsKey, orgsValue *yaml.Node
	p.pairs(root, " at the top level", func(name string, k, v *yaml.Node) {
		switch name {
		case "secrets":
			key, value = k, v
		case "organizations":
			orgsKey, orgsValue = k, v
		default:
			p.errorAt(k, "unknown top-level key %q; the valid keys are \"secrets\" (one organization) and \"organizations\" (several)", name)
		}
	})
	switch {
	case key != nil && orgsKey != nil:
		p.errorAt(orgsKey, "the manifest has both \"secrets\" and \"organizations\"; keep one: \"secrets\" for one organization, or \"organizations\" with a \"secrets\" mapping under each login")
		return nil, nil
	case orgsKey != nil:
		return nil, p.organizations(orgsKey, orgsValue)
	case key == nil:
		p.errorAt(root, "the manifest has no \"secrets\" key; add \"secrets:\" with one entry per secret, or \"secrets: {}\" for no secrets")
		return nil, nil
	}
	return p.secrets(key, value), nil
}

// organizations checks the value of the organizations key: a mapping from
// logins to mappings with one key, secrets.
func (p *parser) organizations(key, value *yaml.Node) []Organization {
	if !p.plain(value) {
		return nil
	}
	if value.Kind != yaml.MappingNode || len(value.Content) == 0 {
		p.errorAt(key, "\"organizations\" must map each organization's login to its \"secrets\", such as \"acme:\" with \"secrets: {}\" indented below it")
		return nil
	}
	orgs := []Organization{}
	seen := map[string]int{}
	for i := 0; i+1 < len(value.Content); i += 2 {
		k, v := value.Content[i], value.Content[i+1]
		login, ok := p.key(k)
		if !ok {
			continue
		}
		if !secret.ValidLogin(login) {
			p.errorAt(k, "%q is not an organization login: a login has 1 to 39 letters, digits or hyphens and does not start with a hyphen", login)
			continue
		}
		if line, dup := seen[strings.ToLower(login)]; dup {
			p.errorAt(k, "organization %q is already listed at line %d (GitHub ignores case in logins); keep one", login, line)
			continue
		}
		seen[strings.ToLower(login)] = k.Line
		if section, ok := p.organization(login, k, v); ok {
			orgs = append(orgs, section)
		}
	}
	return orgs
}

// organization checks one organization's section: a mapping with the key
// secrets.
func (p *parser) organization(login string, k, v *yaml.Node) (Organization, bool) {
	if !p.plain(v) {
		return Organization{}, false
	}
	if v.Kind != yaml.MappingNode {
		p.errorAt(k, "organization %q must be a mapping with the key \"secrets\", such as \"secrets: {}\" indented below it", login)
		return Organization{}, false
	}
	var key, value *yaml.Node
	p.pairs(v, fmt.Sprintf(" in organization %q", login), func(name string, kk, vv *yaml.Node) {
		if name != "secrets" {
			p.errorAt(kk, "unknown key %q in organization %q; the only valid key is \"secrets\"", name, login)
			return
		}
		key, value = kk, vv
	})
	if key == nil {
		p.errorAt(k, "organization %q has no \"secrets\" key; add \"secrets:\" below it, or \"secrets: {}\" for no secrets", login)
		return Organization{}, false
	}
	return Organization{Login: login, Secrets: p.secrets(key, value), Line: k.Line, Column: k.Column}, true
}

// secrets checks the value of the secrets key.
func (p *parser) secrets(key, value *yaml.Node) []Entry {
	if !p.plain(value) {
		return nil
	}
	if isNull(value) {
		p.errorAt(key, "\"secrets\" is empty; write \"secrets: {}\" for no secrets, or add one entry per secret below it")
		return nil
	}
	if value.Kind != yaml.MappingNode {
		p.errorAt(value, "\"secrets\" must be a mapping from secret names to their settings, not a %s; write each secret as \"NAME:\" with \"visibility:\" indented below it", kindName(value))
		return nil
	}
	entries := []Entry{}
	seen := map[secret.Name]*yaml.Node{} // name -> its key
	for i := 0; i+1 < len(value.Content); i += 2 {
		k, v := value.Content[i], value.Content[i+1]
		name, ok := p.key(k)
		if !ok {
			continue
		}
		ok = p.checkName(k, name)
		canonical := secret.NameOf(name)
		if first, dup := seen[canonical]; dup {
			ok = false
			if first.Value == name {
				p.errorAt(k, "secret %q is already defined at line %d; remove one of them", name, first.Line)
			} else {
				p.errorAt(k, "secret %q is already defined at line %d as %q, and GitHub ignores case in secret names; remove or rename one of them", name, first.Line, first.Value)
			}
		} else {
			seen[canonical] = k
		}
		if e, entryOK := p.entry(name, k, v); ok && entryOK {
			entries = append(entries, e)
		}
	}
	return entries
}

// checkName records why name cannot be a Codespaces secret's name (see
// secret.CheckName).
func (p *parser) checkName(k *yaml.Node, name string) bool {
	var e *secret.NameError
	if !errors.As(secret.CheckName(name), &e) {
		return true
	}
	switch e.Problem {
	case secret.NameEmpty:
		p.errorAt(k, "a secret name is empty; name the secret with letters, digits and underscores")
	case secret.NameLeadingDigit:
		p.errorAt(k, "secret name %q starts with a digit; start it with a letter or an underscore", name)
	case secret.NameBadChar:
		p.errorAt(k, "secret name %q contains %q; use only ASCII letters, digits and underscores", name, e.Char)
	default:
		p.errorAt(k, "secret name %q starts with GITHUB_, a prefix GitHub reserves; choose another name", name)
	}
	return false
}

// entry checks the settings of secret name.
func (p *parser) entry(name string, key, value *yaml.Node) (Entry, bool) {
	e := Entry{Name: secret.NameOf(name), Written: name, Line: key.Line, Column: key.Column}
	if !p.plain(value) {
		return e, false
	}
	if isNull(value) {
		p.errorAt(key, "secret %q has no settings; add %s on an indented line below it", name, secret.Choices(`"visibility: %s"`, " or "))
		return e, false
	}
	if value.Kind != yaml.MappingNode {
		p.errorAt(value, "the settings of secret %q must be a mapping, not a %s; write \"visibility:\" (and, for visibility selected, \"repositories:\") on indented lines below the name", name, kindName(value))
		return e, false
	}
	before := len(p.errs)
	var visKey, visValue, reposKey, reposValue *yaml.Node
	p.pairs(value, fmt.Sprintf(" in secret %q", name), func(field string, k, v *yaml.Node) {
		switch field {
		case "visibility":
			visKey, visValue = k, v
		case "repositories":
			reposKey, reposValue = k, v
		default:
			p.errorAt(k, "unknown key %q in secret %q; valid keys are \"visibility\" and \"repositories\"", field, name)
		}
	})
	if visKey == nil {
		p.errorAt(key, "secret %q has no \"visibility\"; add %s", name, secret.Choices(`"visibility: %s"`, " or "))
	} else {
		e.Visibility = p.visibility(name, visKey, visValue)
	}
	if reposKey != nil {
		e.RepositoriesSet = true
		e.Repositories = p.repositories(name, reposKey, reposValue)
		if e.Visibility != "" && e.Visibility != secret.Selected {
			p.errorAt(reposKey, "secret %q has \"repositories\" but visibility %q; repositories apply only to visibility \"selected\": remove \"repositories\" or set \"visibility: selected\"", name, e.Visibility)
		}
	}
	return e, len(p.errs) == before
}

// visibility returns the checked visibility, or "" after recording why it
// is not valid.
func (p *parser) visibility(name string, key, value *yaml.Node) secret.Visibility {
	valid := secret.Choices("%q", " or ")
	if !p.plain(value) {
		return ""
	}
	switch {
	case isNull(value):
		p.errorAt(key, "\"visibility\" of secret %q is empty; set it to %s", name, valid)
	case value.Kind != yaml.ScalarNode:
		p.errorAt(value, "\"visibility\" of secret %q must be %s, not a %s", name, valid, kindName(value))
	default: // strict: exactly as written, with the lower-case spelling suggested
		v, err := secret.ParseVisibility(value.Value)
		var bad *secret.VisibilityError
		switch {
		case err == nil:
			return v
		case errors.As(err, &bad) && bad.Lower != "":
			p.errorAt(value, "visibility %q of secret %q is not valid; write it in lower case: %q", value.Value, name, bad.Lower)
		default:
			p.errorAt(value, "visibility %q of secret %q is not valid; valid values are %s", value.Value, name, secret.Choices("%q", " and "))
		}
	}
	return ""
}

// repositories returns the checked repository list, recording each bad
// item.
func (p *parser) repositories(name string, key, value *yaml.Node) []Repository {
	if !p.plain(value) {
		return nil
	}
	if isNull(value) {
		p.errorAt(key, "\"repositories\" of secret %q is empty; write \"repositories: []\" for no repository, or list them, such as \"repositories: [web, api]\"", name)
		return nil
	}
	if value.Kind != yaml.SequenceNode {
		p.errorAt(value, "\"repositories\" of secret %q must be a list, not a %s; write it in brackets, such as \"repositories: [web, api]\"", name, kindName(value))
		return nil
	}
	repos := make([]Repository, 0, len(value.Content))
	seen := map[string]*yaml.Node{} // reference's key -> its item
	for _, item := range value.Content {
		repo, ok := p.repository(name, item)
		if !ok {
			continue
		}
		if first, dup := seen[repo.Ref.Key()]; dup {
			p.errorAt(item, "repository %q is listed twice in secret %q (first at line %d, column %d); remove one", repo.Text, name, first.Line, first.Column)
			continue
		}
		seen[repo.Ref.Key()] = item
		repos = append(repos, repo)
	}
	return repos
}

// repository checks one item of a repository list, with
// secret.ParseRepoRef for a string.
func (p *parser) repository(name string, item *yaml.Node) (Repository, bool) {
	const (
		fix   = "give a repository's name (repo or org/repo) or its numeric id"
		idFix = "an id is a whole number from 1 to 9223372036854775807: give the repository's id or its name (repo or org/repo)"
	)
	if !p.plain(item) {
		return Repository{}, false
	}
	if item.Kind != yaml.ScalarNode {
		p.errorAt(item, "an item in \"repositories\" of secret %q is a %s; %s", name, kindName(item), fix)
		return Repository{}, false
	}
	repo := Repository{Text: item.Value, Line: item.Line, Column: item.Column}
	switch item.ShortTag() {
	case "!!null":
		p.errorAt(item, "\"repositories\" of secret %q has an empty item; remove it or %s", name, fix)
		return Repository{}, false
	case "!!int":
		var id int64
		if err := item.Decode(&id); err != nil || id < 1 {
			p.errorAt(item, "repository id %q in secret %q is not valid; %s", item.Value, name, idFix)
			return Repository{}, false
		}
		repo.Ref = secret.RepoRef{ID: id}
		repo.Text = repo.Ref.String()
		return repo, true
	case "!!str", "!!timestamp":
		// A date-like name reads as a timestamp; as a string it is valid.
		ref, err := secret.ParseRepoRef(item.Value, "")
		var e *secret.RefError
		switch {
		case err == nil:
			repo.Ref = ref
			return repo, true
		case errors.As(err, &e) && e.Problem == secret.RefBadID:
			p.errorAt(item, "repository id %q in secret %q is not valid; %s", item.Value, name, idFix)
		default:
			p.errorAt(item, "repository %q in secret %q is not a valid reference; %s (a name has 1 to 100 letters, digits, '.', '-' or '_')", item.Value, name, fix)
		}
		return Repository{}, false
	default:
		p.errorAt(item, "repository %q in secret %q is read by YAML as a %s, not a name or an id; if it is a repository's name, put it in quotes", item.Value, name, kindName(item))
		return Repository{}, false
	}
}
