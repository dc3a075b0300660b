package inputs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// ParseDotenv reads the secrets of an --env-file, in the dotenv syntax that
// `gh secret set --env-file` reads:
//   - blank lines and lines starting with # are skipped, and a line may
//     start with "export ";
//   - NAME=value: an unquoted value is trimmed, and a " #" after it starts
//     a comment that is dropped;
//   - a "double-quoted" value takes the escapes \n, \r, \t, \" and \\, and
//     may span lines;
//   - a 'single-quoted' value is taken literally, and may span lines.
//
// Unlike gh, a "$" is kept as it is: no ${VAR} is expanded, since a secret
// value that holds one would otherwise be changed silently. For the same
// reason, where gh's parser (joho/godotenv) loses what the file says, this
// one keeps it, so a few values differ from gh's:
//   - in double quotes, \t is a tab and an unknown escape such as \q keeps
//     its backslash (gh drops every backslash but those of \n and \r, so
//     "C:\dir" is C:dir there), and \\ before the closing quote is a
//     backslash (gh reads on to the next quote);
//   - an unquoted value ends at its first " #" (gh: at its last);
//   - a name given twice is an error (gh keeps the last).
//
// Errors give the file's line numbers and never quote a line, which may be
// part of a value, nor a name that is not valid (the line of a value left
// unquoted, such as a PEM key's, may hold an =). All problems are
// reported, joined with errors.Join.
func ParseDotenv(text string) ([]SecretValue, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var (
		out  []SecretValue
		errs []error
		seen = map[secret.Name]int{}
	)
	line := 1
	for text != "" {
		start := line
		var raw string
		raw, text = cutLine(text)
		line++
		// Only the left is trimmed: a quoted value keeps its spaces.
		entry := strings.TrimLeft(raw, " \t")
		if strings.TrimSpace(entry) == "" || strings.HasPrefix(entry, "#") {
			continue
		}
		if e, ok := strings.CutPrefix(entry, "export"); ok && e != "" && (e[0] == ' ' || e[0] == '\t') {
			entry = strings.TrimLeft(e, " \t")
		}
		eq := strings.IndexByte(entry, '=')
		if eq < 0 {
			errs = append(errs, fmt.Errorf("line %d: expected NAME=value (the line is not shown: it may be part of a value)", start))
			continue
		}
		name := strings.TrimSpace(entry[:eq])
		value, rest, consumed, err := dotenvValue(strings.TrimLeft(entry[eq+1:], " \t"), text)
		text, line = rest, line+consumed
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", start, err))
			continue
		}
		key, err := secret.ParseName(name)
		if err != nil {
			// Not quoted: the line may be part of a value left unquoted.
			errs = append(errs, fmt.Errorf("line %d: the name before = is not valid: %w", start, err))
			continue
		}
		if prev, ok := seen[key]; ok {
			errs = append(errs, fmt.Errorf("line %d: secret %s is already given on line %d: give each secret once (names are case-insensitive)", start, key, prev))
			continue
		}
		seen[key] = start
		out = append(out, SecretValue{Name: key, Value: value})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// cutLine splits text after its first line, dropping the "\n".
func cutLine(text string) (line, rest string) {
	line, rest, _ = strings.Cut(text, "\n")
	return line, rest
}

// dotenvValue reads the value that starts at v (the rest of its line,
// trimmed on the left); a quoted value may go on in the lines of rest. It
// returns the value, what is left of the text and how many more lines the
// value took.
func dotenvValue(v, rest string) (value, left string, consumed int, err error) {
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		if i := strings.Index(v, " #"); i >= 0 {
			v = v[:i]
		}
		if i := strings.Index(v, "\t#"); i >= 0 {
			v = v[:i]
		}
		return strings.TrimSpace(v), rest, 0, nil
	}
	quote := v[0]
	body := v[1:]
	for {
		if end := closingQuote(body, quote); end >= 0 {
			if tail := strings.TrimSpace(body[end+1:]); tail != "" && !strings.HasPrefix(tail, "#") {
				return "", rest, consumed, errors.New("text after the closing quote: put a comment after \" #\", or quote the whole value")
			}
			body = body[:end]
			break
		}
		if rest == "" {
			return "", rest, consumed, fmt.Errorf("the value's opening %c is never closed: close it, or escape the quote", quote)
		}
		var next string
		next, rest = cutLine(rest)
		body += "\n" + next
		consumed++
	}
	if quote == '\'' {
		return body, rest, consumed, nil
	}
	return unescapeDouble(body), rest, consumed, nil
}

// closingQuote returns the index of the quote that ends s, or -1; in a
// double-quoted value a backslash escapes the next character.
func closingQuote(s string, quote byte) int {
	for i := 0; i < len(s); i++ {
		switch {
		case quote == '"' && s[i] == '\\':
			i++
		case s[i] == quote:
			return i
		}
	}
	return -1
}

// unescapeDouble turns the escapes of a double-quoted value into the
// characters they stand for; an unknown escape is kept as it is.
func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '"', '\\', '$':
			b.WriteByte(s[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
