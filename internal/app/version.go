package app

import "runtime/debug"

// defaultVersion is the version of a build that was not given one with
// -ldflags "-X main.version=...".
const defaultVersion = "dev"

// ResolveVersion returns the version to report: v when the build set one,
// else the module version the Go toolchain recorded in the binary (such as
// v1.2.3 for `go install …@v1.2.3` or @latest), else "dev".
func ResolveVersion(v string) string {
	return resolveVersion(v, debug.ReadBuildInfo)
}

// resolveVersion is ResolveVersion with the build information injected.
func resolveVersion(v string, readBuildInfo func() (*debug.BuildInfo, bool)) string {
	if v != "" && v != defaultVersion {
		return v
	}
	if info, ok := readBuildInfo(); ok && info != nil {
		if mv := info.Main.Version; mv != "" && mv != "(devel)" {
			return mv
		}
	}
	return defaultVersion
}
