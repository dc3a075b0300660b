package app

import (
	"runtime/debug"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	t.Parallel()
	withModule := func(version string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Path: "github.com/codespaces-org-secrets/codespaces-org-secrets", Version: version}}, true
		}
	}
	noBuildInfo := func() (*debug.BuildInfo, bool) { return nil, false }
	tests := []struct {
		name  string
		given string
		read  func() (*debug.BuildInfo, bool)
		want  string
	}{
		{"a version set at build time wins over the module version", "v1.4.0", withModule("v1.3.0"), "v1.4.0"},
		{"go install @latest reports the module version instead of dev", "dev", withModule("v1.3.0"), "v1.3.0"},
		{"an empty version falls back to the module version too", "", withModule("v1.3.0"), "v1.3.0"},
		{"a pseudo-version is reported as it is", "dev", withModule("v0.0.0-20260101120000-0123456789ab"), "v0.0.0-20260101120000-0123456789ab"},
		{"a build from a work tree stays dev", "dev", withModule("(devel)"), "dev"},
		{"a build with no module version stays dev", "dev", withModule(""), "dev"},
		{"a binary without build information stays dev", "dev", noBuildInfo, "dev"},
		{"an empty version without build information becomes dev", "", noBuildInfo, "dev"},
		{"build information that reports ok with nil is ignored", "dev", func() (*debug.BuildInfo, bool) { return nil, true }, "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := resolveVersion(tt.given, tt.read); got != tt.want {
				t.Errorf("resolveVersion(%q) = %q, want %q", tt.given, got, tt.want)
			}
		})
	}
}
