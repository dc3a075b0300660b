package report

import (
	"bytes"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/place"
)

// TestAnAnnotationPointsAtItsLine: the file is relative to the workspace,
// and its properties and message are escaped as the runner reads them, so
// that neither can end the command early or start another.
func TestAnAnnotationPointsAtItsLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, msg, want string
	}{
		{"a relative path", ".github/codespaces-secrets.yml", "bad", "::error file=.github/codespaces-secrets.yml,line=3,col=17::bad\n"},
		{"a path in the workspace", "/ws/.github/x.yml", "bad", "::error file=.github/x.yml,line=3,col=17::bad\n"},
		{"a path outside the workspace", "/elsewhere/x.yml", "bad", "::error file=/elsewhere/x.yml,line=3,col=17::bad\n"},
		{"./ in front", "./x.yml", "bad", "::error file=x.yml,line=3,col=17::bad\n"},
		{"a comma, a colon and a percent sign in the path", "a,b:c%d.yml", "bad", "::error file=a%2Cb%3Ac%25d.yml,line=3,col=17::bad\n"},
		{"a line break in the message", "x.yml", "one\n::warning::two 100%", "::error file=x.yml,line=3,col=17::one%0A::warning::two 100%25\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			r := New(true, env(t, map[string]string{"GITHUB_WORKSPACE": "/ws"}), &out, &out)
			r.ErrorAt(place.Pos{Path: tt.path, Line: 3, Column: 17}, tt.msg)
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestAWarningAtAPlaceOnAWorkstation(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	r := New(false, env(t, nil), &out, &errOut)
	r.WarnAt(place.Pos{Path: "m.yml", Line: 2, Column: 3}, "careful")
	if out.Len() != 0 || errOut.String() != "warning: m.yml:2:3: careful\n" {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
}
