package inputs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// MaxValueBytes is the largest secret value GitHub accepts: 48 KB.
const MaxValueBytes = 48 * 1024

// OverValueLimit ends the message of a value over [MaxValueBytes], as
// ValueProblem words it.
var OverValueLimit = fmt.Sprintf("over GitHub's limit of %d bytes (48 KB): store a smaller value", MaxValueBytes)

// valueEmpty is ValueProblem's problem of an empty value.
const valueEmpty = "is empty (or only whitespace)"

// ValueProblem is the one rule of a secret's value, from the value input,
// the secrets input or standard input: it is not empty or only whitespace
// (unless allowEmpty), and it has at most MaxValueBytes bytes. It returns
// what is wrong, worded to follow "the value of secret NAME", or "" for a
// good value. It never quotes the value.
func ValueProblem(value string, allowEmpty bool) string {
	switch {
	case strings.TrimSpace(value) == "" && !allowEmpty:
		return valueEmpty
	case len(value) > MaxValueBytes:
		return fmt.Sprintf("is %d bytes, %s", len(value), OverValueLimit)
	}
	return ""
}

// SecretValue is a secret's name, in its canonical form, and its
// plaintext value.
type SecretValue struct {
	Name  secret.Name
	Value string
}

// ParseSecrets parses the secrets input, which has the syntax of
// GITHUB_ENV: NAME=value lines (the value is everything after the first
// '=', byte for byte), and NAME<<DELIMITER blocks for multi-line values,
// ended by a line that is exactly DELIMITER. A block's value is its lines
// joined with "\n", without a final newline.
//
// Lines may end with "\r\n": one "\r" before each "\n" is dropped, in a
// block's lines too. A lone "\r" is not a line break. Blank lines between
// secrets are skipped. Names are checked with [secret.CheckName] and must be
// unique ignoring case.
//
// Errors give line numbers (1-based) and never quote a line, nor a name:
// any line may be part of a value. All problems are reported, joined with
// errors.Join, except that parsing stops at a block that cannot be ended.
func ParseSecrets(s string) ([]SecretValue, error) {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	var (
		out  []SecretValue
		errs []error
		seen = map[secret.Name]int{} // name -> its line
	)
	for i := 0; i < len(lines); i++ {
		n, line := i+1, lines[i]
		if strings.TrimSpace(line) == "" {
			continue
		}
		eq, hd := strings.Index(line, "="), strings.Index(line, "<<")
		var name, value, sep string
		switch {
		case eq >= 0 && (hd < 0 || eq < hd):
			name, value, sep = line[:eq], line[eq+1:], "="
		case hd >= 0:
			name, sep = line[:hd], "<<"
			delim := line[hd+2:]
			if delim == "" {
				errs = append(errs, fmt.Errorf("line %d: the delimiter after << is missing: write NAME<<EOF, the value's lines, then a line holding only EOF", n))
				return nil, errors.Join(errs...)
			}
			end := -1
			for j := i + 1; j < len(lines); j++ {
				if lines[j] == delim {
					end = j
					break
				}
			}
			if end < 0 {
				errs = append(errs, fmt.Errorf("line %d: the NAME<<DELIMITER block that starts here is never ended: "+
					"end it with a line holding only the delimiter, with no spaces around it", n))
				return nil, errors.Join(errs...)
			}
			value = strings.Join(lines[i+1:end], "\n")
			i = end
		default:
			errs = append(errs, fmt.Errorf("line %d: expected NAME=value or NAME<<DELIMITER: "+
				"a value of several lines needs a NAME<<DELIMITER block (the line is not shown: it may be part of a value)", n))
			continue
		}
		if name == "" {
			errs = append(errs, fmt.Errorf("line %d: the secret name before %s is missing", n, sep))
			continue
		}
		key, err := secret.ParseName(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: the name before %s is not valid: %w", n, sep, err))
			continue
		}
		if prev, ok := seen[key]; ok {
			errs = append(errs, fmt.Errorf("line %d: the secret on line %d has the same name (names are case-insensitive): give each secret once", n, prev))
			continue
		}
		seen[key] = n
		out = append(out, SecretValue{Name: key, Value: value})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
