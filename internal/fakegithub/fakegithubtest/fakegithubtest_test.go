package fakegithubtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
)

// recorder is a test that records its failures and cleanups instead of
// acting on them, so Start's checks can be watched from the outside.
type recorder struct {
	testing.TB // only to satisfy the interface; every method used is below
	errors     []string
	cleanups   []func()
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

// end runs the cleanups as the testing package does: last registered first.
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func get(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestStartFailsTheTestOnWhatTheFakeWasNotAskedFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		use  func(t *testing.T, srv *Server, base string)
		want []string
	}{
		{"a strict run passes", func(t *testing.T, srv *Server, base string) {
			get(t, base+"/orgs/acme/codespaces/secrets", srv.Token())
		}, nil},
		{"a request without the base path fails", func(t *testing.T, srv *Server, base string) {
			get(t, strings.TrimSuffix(base, fakegithub.DefaultBasePath)+"/orgs/acme/codespaces/secrets", srv.Token())
		}, []string{"fake GitHub: unmatched request: GET /orgs/acme/codespaces/secrets"}},
		{"a fault nothing used fails", func(t *testing.T, srv *Server, _ string) {
			srv.Inject(Fault{Method: http.MethodPut, Path: "/orgs/acme/codespaces/secrets/A", Status: 502, Times: 2})
		}, []string{"fake GitHub: 2 injected faults were never used"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			srv, base := Start(rec)
			if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, fakegithub.DefaultBasePath) || srv.URL() != base {
				t.Errorf("Start returned %q, URL() %q", base, srv.URL())
			}
			tt.use(t, srv, base)
			rec.end()
			if diff := cmp.Diff(tt.want, rec.errors); diff != "" {
				t.Errorf("failures of the test (-want +got):\n%s", diff)
			}
			if _, err := http.Get(base + "/orgs/acme/codespaces/secrets"); err == nil {
				t.Error("the fake still answers after the test ended")
			}
		})
	}
}
