package githubapi

import "strings"

// ParseLink parses an HTTP Link header (RFC 8288) such as GitHub sends with
// every page of a list
// (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api),
// and returns the target URL of each relation type, lower-cased:
//
//	<https://api.github.com/orgs/acme/codespaces/secrets?page=2>; rel="next", <…?page=3>; rel="last"
//
// gives {"next": "https://…?page=2", "last": "https://…?page=3"}. A link
// with several relation types ("next last") counts for each; when a type
// appears twice the first link wins. Malformed parts are skipped; ParseLink
// never fails and never panics.
func ParseLink(header string) map[string]string {
	links := map[string]string{}
	s := header
	for {
		s = strings.TrimLeft(s, " \t\r\n,")
		if s == "" {
			return links
		}
		if s[0] != '<' {
			s = skipLinkValue(s)
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return links
		}
		target := s[1:end]
		s = s[end+1:]
		var rels []string
		relSeen := false
		for {
			s = strings.TrimLeft(s, " \t\r\n")
			if s == "" || s[0] == ',' {
				break
			}
			if s[0] != ';' {
				s = skipLinkValue(s)
				break
			}
			var name, value string
			name, value, s = linkParam(s[1:])
			if strings.EqualFold(name, "rel") && !relSeen {
				relSeen = true // RFC 8288: only the first rel counts
				rels = strings.Fields(strings.ToLower(value))
			}
		}
		for _, rel := range rels {
			if _, ok := links[rel]; !ok {
				links[rel] = target
			}
		}
	}
}

// linkParam reads one `name=value` or `name="quoted value"` parameter and
// returns the rest of the header after it.
func linkParam(s string) (name, value, rest string) {
	s = strings.TrimLeft(s, " \t\r\n")
	i := strings.IndexAny(s, "=;,")
	if i < 0 {
		return strings.TrimSpace(s), "", ""
	}
	name = strings.TrimSpace(s[:i])
	if s[i] != '=' {
		return name, "", s[i:]
	}
	s = strings.TrimLeft(s[i+1:], " \t\r\n")
	if s == "" || s[0] != '"' {
		j := strings.IndexAny(s, ";,")
		if j < 0 {
			return name, strings.TrimSpace(s), ""
		}
		return name, strings.TrimSpace(s[:j]), s[j:]
	}
	var b strings.Builder
	for k := 1; k < len(s); k++ {
		switch c := s[k]; c {
		case '\\':
			if k+1 < len(s) {
				k++
				b.WriteByte(s[k])
			}
		case '"':
			return name, b.String(), s[k+1:]
		default:
			b.WriteByte(c)
		}
	}
	return name, b.String(), "" // an unterminated quoted string runs to the end
}

// skipLinkValue skips to the next comma that is outside a quoted string
// and outside <…>.
func skipLinkValue(s string) string {
	inQuote, inAngle := false, false
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case inQuote && c == '\\':
			k++
		case c == '"' && !inAngle:
			inQuote = !inQuote
		case c == '<' && !inQuote:
			inAngle = true
		case c == '>' && !inQuote:
			inAngle = false
		case c == ',' && !inQuote && !inAngle:
			return s[k+1:]
		}
	}
	return ""
}
