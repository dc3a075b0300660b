package app

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// The exit-code output lets a step under continue-on-error tell a finding
// (3) from a failure (1), even when a failed run still writes stale as [].
func TestTheExitCodeOutputTellsAFindingFromAFailure(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		in    map[string]string
		fault *fakegithubtest.Fault
		code  int
		stale string
	}{
		{"an audit that finds nothing", map[string]string{"operation": "list", "max-age": "90d"}, nil, ExitOK, "[]"},
		{"an audit that finds a stale secret", map[string]string{"operation": "list", "max-age": "30d"}, nil, ExitFindings, `["OLD"]`},
		{"a get of a name that does not exist", map[string]string{"operation": "get", "name": "FRESH,MISSING"}, nil, ExitFindings, "[]"},
		{"a get whose repository list GitHub fails", map[string]string{"operation": "get", "name": "SEL", "max-age": "90d"},
			&fakegithubtest.Fault{Method: http.MethodGet, Path: put + "SEL/repositories", Status: 500, Body: `{"message":"Server Error"}`, Times: 4},
			ExitFailed, "[]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := agedServer(t, map[string]time.Duration{"OLD": 60 * day, "FRESH": time.Hour})
			srv.AddSecret("SEL", "s", "selected")
			if tt.fault != nil {
				srv.Inject(*tt.fault)
			}
			r := runAction(t, srv, tt.in)
			wantCode(t, r, tt.code)
			if got := r.outputs["exit-code"]; got != strconv.Itoa(tt.code) {
				t.Errorf("exit-code output %q, want %d", got, tt.code)
			}
			if got := r.outputs["stale"]; got != tt.stale {
				t.Errorf("stale output %s, want %s", got, tt.stale)
			}
		})
	}
}
