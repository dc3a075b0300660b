package app

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// tokenBody is a transport that replaces the body of GitHub's 201 to the
// token request of one installation, as a proxy or a fault of GitHub's
// might: the token was minted all the same.
type tokenBody struct {
	path string // the request's path, such as /api/v3/app/installations/7000001/access_tokens
	body func(minted string) string
}

func (tb tokenBody) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.URL.Path != tb.path || resp.StatusCode != http.StatusCreated {
		return resp, err
	}
	return rewriteBody(resp, func(b string) string { return tb.body(tokenIn([]byte(b))) }), nil
}

// rewriteBody replaces resp's body with what change makes of it.
func rewriteBody(resp *http.Response, change func(string) string) *http.Response {
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(change(string(b))))
	resp.ContentLength = -1
	resp.Header.Del("Content-Length")
	return resp
}

// tokenIn is the token of the fake's answer.
func tokenIn(b []byte) string {
	_, after, _ := bytes.Cut(b, []byte(`"token":"`))
	tok, _, _ := bytes.Cut(after, []byte(`"`))
	return string(tok)
}

func TestATokenAnswerThatDoesNotDecodeIsMaskedAndRevokedOrExplained(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     func(minted string) string
		revoked  bool
		wantSays string
	}{
		{"a token still read", func(m string) string { return `{"token":"` + m + `","expires_at":5}` }, true,
			"the token it holds was masked, and is revoked at the end of this run"},
		{"no token read", func(m string) string { return `{"token":"` + m[:8] }, false,
			"could not be read, so it cannot be revoked: it expires by itself within an hour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newOrgs(t, []string{"alpha", "beta"}, []string{"alpha", "beta"})
			tr := tokenBody{path: "/api/v3/app/installations/7000001/access_tokens", body: tt.body}
			r := f.run(t, app(map[string]string{"org": "alpha,beta", "name": "A", "value": "v"}), WithHTTPClient(&http.Client{Transport: tr}))
			wantCode(t, r, ExitFailed)
			if f.Server("alpha").Writes() != 0 {
				t.Errorf("alpha, whose token could not be read, got %d writes", f.Server("alpha").Writes())
			}
			for _, tok := range f.Tokens() {
				wantNoLeak(t, r, tok.Token)
				want := tok.Org == "beta" || tt.revoked
				if tok.Revoked != want {
					t.Errorf("the token of %s: revoked %v, want %v", tok.Org, tok.Revoked, want)
				}
				if at := strings.Index(r.stdout, "::add-mask::"+tok.Token); tok.Revoked && at < 0 {
					t.Errorf("the token of %s, which was read, was not masked:\n%s", tok.Org, r.stdout)
				}
			}
			all := r.stdout + r.stderr
			for _, says := range []string{"organization alpha", "201 Created", "not shown", tt.wantSays, "run again"} {
				if !strings.Contains(all, says) {
					t.Errorf("the error does not say %q:\n%s", says, all)
				}
			}
			if strings.Contains(all, "expires_at") {
				t.Errorf("the log quotes GitHub's answer:\n%s", all)
			}
		})
	}
}
