package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakegithub/fakegithubtest"
)

// A run's time against GitHub is its number of requests times their
// latency, since requests are sent one at a time, as GitHub asks. These
// scenarios pin each one's request count to the minimum the work allows
// (TestRequestCountsAreMinimal), and the benchmarks report the counts next
// to ns/op, with the wall time a 50 ms API would give.

// scenario is one workload: it seeds a fake GitHub and returns the inputs
// of the run, and the requests and writes the run must need at the least.
type scenario struct {
	name  string
	setup func(srv *fakegithubtest.Server, repos []int64, dir string) (in map[string]string, minReads, minWrites int)
}

// pages is ⌈n/100⌉ with a minimum of one: a list costs one request even
// when it is empty.
func pages(n int) int { return max(1, (n+99)/100) }

func setNew(n int) scenario {
	return scenario{fmt.Sprintf("set/new/%d", n), func(srv *fakegithubtest.Server, _ []int64, _ string) (map[string]string, int, int) {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "NEW_%03d=value-%d\n", i, i)
		}
		// one list page, one public key, one PUT per secret
		return map[string]string{"secrets": b.String()}, pages(0) + 1, n
	}}
}

func rotate(n int) scenario {
	return scenario{fmt.Sprintf("set/rotate/%d", n), func(srv *fakegithubtest.Server, repos []int64, _ string) (map[string]string, int, int) {
		var b strings.Builder
		selected := 0
		for i := range n {
			name := fmt.Sprintf("OLD_%03d", i)
			if i%2 == 0 {
				srv.AddSecret(name, "old", "selected", repos[:5]...)
				selected++
			} else {
				srv.AddSecret(name, "old", "all")
			}
			fmt.Fprintf(&b, "%s=new-%d\n", name, i)
		}
		// list pages, one repository list per selected secret (kept and
		// sent again), one public key, one PUT per secret
		return map[string]string{"secrets": b.String()}, pages(n) + selected + 1, n
	}}
}

func syncScenario(n, changes int) scenario {
	return scenario{fmt.Sprintf("sync/%d-secrets/%d-changes", n, changes), func(srv *fakegithubtest.Server, repos []int64, dir string) (map[string]string, int, int) {
		var m strings.Builder
		m.WriteString("secrets:\n")
		selected := 0
		for i := range n {
			name := fmt.Sprintf("S_%03d", i)
			if i%2 == 0 {
				srv.AddSecret(name, "v", "selected", repos[:5]...)
				selected++
				list := "[r0, r1, r2, r3, r4]"
				if i < 2*changes {
					list = "[r0, r1, r2, r3, r5]" // a repository change: one set-repositories
				}
				fmt.Fprintf(&m, "  %s:\n    visibility: selected\n    repositories: %s\n", name, list)
			} else {
				srv.AddSecret(name, "v", "all")
				fmt.Fprintf(&m, "  %s:\n    visibility: all\n", name)
			}
		}
		path := filepath.Join(dir, "manifest.yml")
		if err := os.WriteFile(path, []byte(m.String()), 0o644); err != nil {
			panic(err)
		}
		lookups := 0 // r0…r4 are in the lists read anyway
		if changes > 0 {
			lookups = 1 // r5 is in no list: one look-up
		}
		// list pages, one repository list per selected secret, one look-up
		// per repository name no list holds; writes only for changes
		return map[string]string{"operation": "sync", "manifest": path}, pages(n) + selected + lookups, changes
	}}
}

func listScenario(n int) scenario {
	return scenario{fmt.Sprintf("list/%d", n), func(srv *fakegithubtest.Server, _ []int64, _ string) (map[string]string, int, int) {
		for i := range n {
			srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "private")
		}
		return map[string]string{"operation": "list"}, pages(n), 0
	}}
}

func exportScenario(n int) scenario {
	return scenario{fmt.Sprintf("export/%d", n), func(srv *fakegithubtest.Server, repos []int64, dir string) (map[string]string, int, int) {
		selected := 0
		for i := range n {
			if i%2 == 0 {
				srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "selected", repos[:5]...)
				selected++
			} else {
				srv.AddSecret(fmt.Sprintf("S_%03d", i), "v", "all")
			}
		}
		// list pages, one repository list per selected secret; no write
		return map[string]string{"operation": "export", "manifest": filepath.Join(dir, "m.yml")}, pages(n) + selected, 0
	}}
}

// setVisibilityScenario grants a secret that is visible to all to one
// repository, by name: the value is never sent.
func setVisibilityScenario() scenario {
	return scenario{"set-visibility/all-to-selected", func(srv *fakegithubtest.Server, _ []int64, _ string) (map[string]string, int, int) {
		srv.AddSecret("SENTRY_DSN", "v", "all")
		// one list page, one look-up of the name; one PUT without a value
		return map[string]string{"operation": "set-visibility", "name": "SENTRY_DSN", "visibility": "selected", "repositories": "r0"}, pages(1) + 1, 1
	}}
}

// syncNoOverwrite is a push-triggered sync given every value, with
// overwrite: false, of an organization already in step: reads only.
func syncNoOverwrite(n int) scenario {
	return scenario{fmt.Sprintf("sync/%d-in-step/overwrite-false", n), func(srv *fakegithubtest.Server, repos []int64, dir string) (map[string]string, int, int) {
		var m, values strings.Builder
		m.WriteString("secrets:\n")
		for i := range n {
			name := fmt.Sprintf("S_%03d", i)
			srv.AddSecret(name, "v", "all")
			fmt.Fprintf(&m, "  %s:\n    visibility: all\n", name)
			fmt.Fprintf(&values, "%s=v\n", name)
		}
		path := filepath.Join(dir, "manifest.yml")
		if err := os.WriteFile(path, []byte(m.String()), 0o644); err != nil {
			panic(err)
		}
		// list pages; no key, no write
		return map[string]string{"operation": "sync", "manifest": path, "secrets": values.String(), "overwrite": "false"}, pages(n), 0
	}}
}

var scenarios = []scenario{
	setNew(1), setNew(10), setNew(100),
	rotate(10), rotate(100),
	syncScenario(100, 0), syncScenario(100, 10),
	syncNoOverwrite(100),
	setVisibilityScenario(),
	listScenario(250),
	exportScenario(100),
}

// runScenario seeds a fresh fake GitHub and runs the scenario once through
// Main, in process, with a fake clock (pacing waits cost no real time).
func runScenario(tb testing.TB, sc scenario, opts ...fakegithub.Option) (reads, writes, minReads, minWrites int, paced time.Duration) {
	tb.Helper()
	srv := fakegithubtest.New(append([]fakegithub.Option{fakegithub.WithOrg(testOrg), fakegithub.WithToken(testToken)}, opts...)...)
	_, stop, err := srv.Listen() // not fakegithubtest.Start: a benchmark starts one per iteration
	if err != nil {
		tb.Fatal(err)
	}
	defer stop()
	var repos []int64
	for i := range 6 {
		repos = append(repos, srv.AddRepo(fmt.Sprintf("r%d", i)).ID)
	}
	in, minReads, minWrites := sc.setup(srv, repos, tb.TempDir())
	clock := newFakeClock()
	if r := runAction(tb, srv, in, WithClock(clock)); r.code != ExitOK {
		tb.Fatalf("%s: exit code %d\n%s\n%s", sc.name, r.code, r.stdout, r.stderr)
	}
	paced = clock.Total()
	return srv.Count("GET"), srv.Writes(), minReads, minWrites, paced
}

func TestRequestCountsAreMinimal(t *testing.T) {
	t.Parallel()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			reads, writes, minReads, minWrites, _ := runScenario(t, sc)
			if reads != minReads || writes != minWrites {
				t.Errorf("%d reads and %d writes, want the minimum: %d and %d", reads, writes, minReads, minWrites)
			}
		})
	}
}

// latency is the API latency the wall-time metric assumes.
const latency = 50 * time.Millisecond

func BenchmarkScenarios(b *testing.B) {
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			var reads, writes int
			var paced time.Duration
			for b.Loop() {
				reads, writes, _, _, paced = runScenario(b, sc)
			}
			b.ReportMetric(float64(reads+writes), "requests/op")
			b.ReportMetric(float64(writes), "writes/op")
			// Serial requests at 50 ms each, plus the waits of the write
			// pacer (a burst of 20, then one a second).
			wall := time.Duration(reads+writes)*latency + paced
			b.ReportMetric(wall.Seconds(), "wall-s@50ms")
		})
	}
}

// BenchmarkWallTimeWithLatency checks the wall-time model above against a
// fake GitHub that really answers 50 ms late: the measured wall-s comes
// out at requests × 50 ms, since nothing runs in parallel.
func BenchmarkWallTimeWithLatency(b *testing.B) {
	for _, sc := range []scenario{setNew(10), listScenario(250)} {
		b.Run(sc.name, func(b *testing.B) {
			var reads, writes int
			for b.Loop() {
				reads, writes, _, _, _ = runScenario(b, sc, fakegithub.WithLatency(latency))
			}
			b.ReportMetric(float64(reads+writes), "requests/op")
			b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "wall-s")
		})
	}
}
