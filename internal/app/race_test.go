package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// The race window of a rotation is the time from the read of a selected
// secret's repository list to the PUT that sends it again: a repository
// added or removed by someone else in that time is overwritten. The fake
// stamps each request with the moment it read or changed its state, so the
// window is the PUT's stamp minus the list read's.

// slowTransport makes every request cost d on a fake clock that the fake
// GitHub also reads: a model of an API d away, pacing waits included, that
// takes no real time.
type slowTransport struct {
	clock *fakeclock.Clock
	d     time.Duration
}

func (s slowTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := s.clock.Sleep(r.Context(), s.d); err != nil {
		return nil, err
	}
	return http.DefaultTransport.RoundTrip(r)
}

// raceWindows rotates n secrets, the first `selected` of them selected with
// two repositories, and returns each selected secret's window.
func raceWindows(tb testing.TB, n, selected int, real bool) []time.Duration {
	tb.Helper()
	clock := newFakeClock()
	opts := []fakegithub.Option{fakegithub.WithOrg(testOrg), fakegithub.WithToken(testToken), fakegithub.WithClock(clock.Now)}
	var hc *http.Client
	if real {
		opts = append(opts, fakegithub.WithLatency(latency), fakegithub.WithClock(time.Now))
	} else {
		hc = &http.Client{Transport: slowTransport{clock, latency}}
	}
	srv := fakegithubtest.New(opts...)
	base, stop, err := srv.Listen()
	if err != nil {
		tb.Fatal(err)
	}
	defer stop()
	web, api := srv.AddRepo("web").ID, srv.AddRepo("api").ID
	var in strings.Builder
	for i := range n {
		name := fmt.Sprintf("S_%03d", i)
		if i < selected {
			srv.AddSecret(name, "old", "selected", web, api)
		} else {
			srv.AddSecret(name, "old", "all")
		}
		fmt.Fprintf(&in, "%s=new-%d\n", name, i)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": testToken, "INPUT_ORG": testOrg, "INPUT_API-URL": base, "INPUT_OPERATION": "set",
		"INPUT_SECRETS": in.String(), "GITHUB_OUTPUT": filepath.Join(tb.TempDir(), "out"), "GITHUB_STEP_SUMMARY": filepath.Join(tb.TempDir(), "sum")}
	var out bytes.Buffer
	if code := Main(context.Background(), []string{"codespaces-org-secrets"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out,
		WithClock(clock), WithHTTPClient(hc)); code != ExitOK {
		tb.Fatalf("exit code %d\n%s", code, out.String())
	}
	reqs := srv.Requests()
	var windows []time.Duration
	for i, r := range reqs {
		name, ok := strings.CutSuffix(strings.TrimPrefix(r.Path, "/api/v3"+put), "/repositories")
		if r.Method != http.MethodGet || !ok {
			continue
		}
		for _, w := range reqs[i+1:] {
			if w.Method == http.MethodPut && w.Path == "/api/v3"+put+name {
				windows = append(windows, w.At.Sub(r.At))
				break
			}
		}
	}
	if len(windows) != selected {
		tb.Fatalf("%d windows for %d selected secrets", len(windows), selected)
	}
	return windows
}

// BenchmarkRaceWindow reports the longest and the mean window of a
// rotation at 50 ms a request: modelled on a fake clock (exact, with the
// pacing of writes), and with a fake GitHub that really answers 50 ms late.
//
//	go test -run '^$' -bench RaceWindow -benchtime 3x ./internal/app
func BenchmarkRaceWindow(b *testing.B) {
	for _, tt := range []struct {
		n, selected int
		real        bool
	}{{1, 1, false}, {5, 5, false}, {100, 50, false}, {100, 100, false}, {1, 1, true}, {5, 5, true}} {
		kind := "model"
		if tt.real {
			kind = "real-50ms"
		}
		b.Run(fmt.Sprintf("%s/rotate-%d-with-%d-selected", kind, tt.n, tt.selected), func(b *testing.B) {
			var longest, sum time.Duration
			var count int
			for b.Loop() {
				for _, w := range raceWindows(b, tt.n, tt.selected, tt.real) {
					longest = max(longest, w)
					sum += w
					count++
				}
			}
			b.ReportMetric(float64(longest)/float64(time.Millisecond), "max-window-ms")
			b.ReportMetric(float64(sum)/float64(count)/float64(time.Millisecond), "mean-window-ms")
		})
	}
}
