package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/appauth/appauthtest"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// BenchmarkOrganizations rotates 6 secrets in each of 1 and 3
// organizations against a fake GitHub that answers every request 50 ms
// late, with one token (the organizations one after another) and with an
// App (side by side, a token each). It reports the wall time of a run;
// "x1org" is its ratio to the same run on one organization, which the
// issue bounds at 1.8 for an App on three.
//
//	go test -run '^$' -bench Organizations -benchtime 5x ./internal/app/
func BenchmarkOrganizations(b *testing.B) {
	one := map[string]float64{}
	for _, auth := range []string{"token", "app"} {
		for _, n := range []int{1, 3} {
			b.Run(fmt.Sprintf("%s/%d-orgs", auth, n), func(b *testing.B) {
				logins := []string{"alpha", "beta", "gamma"}[:n]
				var theApp *fakegithub.App
				if auth == "app" {
					theApp = &fakegithub.App{ID: 12345, PublicKey: &appauthtest.Key().PublicKey, Installed: logins}
				}
				o, url := fakegithubtest.StartOrgs(b, theApp, logins, fakegithub.WithToken(testToken), fakegithub.WithLatency(latency))
				var lines []string
				for i := range 6 {
					name := fmt.Sprintf("SECRET_%d", i)
					lines = append(lines, name+"=rotated")
					for _, l := range logins {
						o.Server(l).AddSecret(name, "old", fakegithub.VisibilityPrivate)
					}
				}
				in := map[string]string{"token": testToken, "api-url": url, "org": strings.Join(logins, ","), "secrets": strings.Join(lines, "\n")}
				if auth == "app" {
					delete(in, "token")
					in = app(in)
				}
				counts := func() (int, int) { return 0, 0 }
				var wall time.Duration
				for b.Loop() {
					start := time.Now()
					r := runActionWith(b, in, counts, WithClock(nil))
					wall += time.Since(start)
					if r.code != ExitOK {
						b.Fatalf("exit %d\n%s", r.code, r.stdout)
					}
				}
				s := wall.Seconds() / float64(b.N)
				b.ReportMetric(s, "wall-s@50ms")
				if n == 1 {
					one[auth] = s
				} else if one[auth] > 0 {
					b.ReportMetric(s/one[auth], "x1org")
				}
			})
		}
	}
}
