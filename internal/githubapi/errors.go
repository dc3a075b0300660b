package githubapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/ascii"
)

// Error is a response from GitHub with a status that the operation did not
// expect, such as 404 or 422. It carries what GitHub's JSON error body
// said (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
// Branch on it with errors.As, or on its status with StatusCode.
type Error struct {
	Method           string       // the request's method, such as "PUT"
	Path             string       // the request's escaped path below the API root, such as "/orgs/acme/codespaces/secrets/FOO"
	StatusCode       int          // the response's HTTP status
	Message          string       // GitHub's `message`, or the start of a body that is not JSON
	DocumentationURL string       // GitHub's `documentation_url`
	Errors           []FieldError // GitHub's `errors`, for a 422
	RateLimitReset   time.Time    // when the rate limit that stopped the request resets; zero if none did

	// What the answer said about the token's permissions (see Diagnosis).
	OAuthScopes         []string       // X-OAuth-Scopes: a classic token's scopes
	HasOAuthScopes      bool           // the answer carried X-OAuth-Scopes, even empty: a classic (or OAuth) token
	AcceptedOAuthScopes []string       // X-Accepted-OAuth-Scopes: the scopes the endpoint accepts
	AcceptedPermissions [][]Permission // X-Accepted-GitHub-Permissions: sets of permissions, any one of which is enough

	hint         string // what the client concluded, such as why it stopped retrying
	resetGuessed bool   // RateLimitReset is when to retry, not a time GitHub sent
}

// FieldError is one entry of the `errors` list in GitHub's validation
// error (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
type FieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

// Error returns, for example,
//
//	PUT /orgs/acme/codespaces/secrets/FOO: 422 Unprocessable Entity: "Validation Failed" (see https://docs.github.com/...)
//
// Everything GitHub wrote is quoted with %q, so that no part of it can start
// a line of its own (and so a workflow command) in a log.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	}
	for i, fe := range e.Errors {
		if i == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(fe.String())
		if i == len(e.Errors)-1 {
			b.WriteString("]")
		}
	}
	if e.DocumentationURL != "" {
		if safeURL(e.DocumentationURL) {
			fmt.Fprintf(&b, " (see %s)", e.DocumentationURL)
		} else {
			fmt.Fprintf(&b, " (see %q)", e.DocumentationURL)
		}
	}
	switch {
	case e.RateLimitReset.IsZero():
	case e.resetGuessed:
		fmt.Fprintf(&b, "; retry after %s UTC", e.RateLimitReset.UTC().Format(time.DateTime))
	default:
		fmt.Fprintf(&b, "; the rate limit resets at %s UTC", e.RateLimitReset.UTC().Format(time.DateTime))
	}
	if e.hint != "" {
		b.WriteString("; " + e.hint)
	}
	return b.String()
}

// String describes the field error with each of GitHub's words quoted.
func (fe FieldError) String() string {
	var parts []string
	if fe.Resource != "" {
		parts = append(parts, fmt.Sprintf("resource %q", fe.Resource))
	}
	if fe.Field != "" {
		parts = append(parts, fmt.Sprintf("field %q", fe.Field))
	}
	if fe.Code != "" {
		parts = append(parts, fmt.Sprintf("code %q", fe.Code))
	}
	if fe.Message != "" {
		parts = append(parts, fmt.Sprintf("%q", fe.Message))
	}
	return strings.Join(parts, " ")
}

// StatusCode returns the HTTP status of the *Error in err's chain, or 0
// when there is none (a network error, a cancelled context, a response
// that could not be decoded).
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// RateLimited reports whether a rate limit (primary or secondary) stopped
// the request that err is about: GitHub answered 429, or 403 with the
// signs of a limit. A plain 403 about permissions is not one.
func RateLimited(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.StatusCode == http.StatusTooManyRequests || !e.RateLimitReset.IsZero()
}

// safeURL reports whether s can be printed bare: an http(s) URL of
// printable ASCII without spaces or quotes.
func safeURL(s string) bool {
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return false
	}
	return ascii.IsPrint(s) && !strings.ContainsAny(s, " \"'`")
}

// maxMessage bounds the part of a non-JSON error body kept as the message.
const maxMessage = 200

// redactedValue stands in an error for an encrypted value GitHub repeated.
const redactedValue = "[encrypted value]"

// newError builds an *Error from the answer a call got last. An
// encrypted value the request carried is replaced wherever the answer
// repeats it, before anything is cut short, so no part of it shows.
func newError(method, path string, info *answer) *Error {
	e := &Error{Method: method, Path: path, StatusCode: info.status, RateLimitReset: info.reset, resetGuessed: info.resetGuessed, hint: info.hint}
	e.readRefusalHeaders(info.header)
	raw := info.body
	scrub := func(s string) string { return s }
	if info.sealed != "" {
		escaped := strings.ReplaceAll(info.sealed, "/", `\/`) // as some JSON encoders write it
		r := strings.NewReplacer(info.sealed, redactedValue, escaped, redactedValue)
		raw = []byte(r.Replace(string(raw)))
		scrub = r.Replace
	}
	var body struct {
		Message          string            `json:"message"`
		DocumentationURL string            `json:"documentation_url"`
		Errors           []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		msg := strings.TrimSpace(string(raw))
		if len(msg) > maxMessage {
			msg = strings.ToValidUTF8(msg[:maxMessage], "") + "…"
		}
		e.Message = msg
		return e
	}
	e.Message, e.DocumentationURL = scrub(body.Message), body.DocumentationURL
	for _, raw := range body.Errors {
		// GitHub writes each entry as an object, and sometimes as a string.
		var fe FieldError
		if err := json.Unmarshal(raw, &fe); err != nil {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				continue
			}
			fe = FieldError{Message: s}
		}
		fe.Resource, fe.Field, fe.Code, fe.Message = scrub(fe.Resource), scrub(fe.Field), scrub(fe.Code), scrub(fe.Message)
		e.Errors = append(e.Errors, fe)
	}
	return e
}
