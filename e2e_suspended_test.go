package main_test

import (
	"strings"
	"testing"
)

func TestBinaryStopsOnASuspendedInstallationBeforeAnyWrite(t *testing.T) {
	f := newOrgsFixture(t, "alpha", "beta")
	f.Suspend("beta")
	r := f.action(t, withApp(map[string]string{"org": "alpha,beta", "name": "A", "value": "v"}))
	wantExit(t, r, 2)
	if !strings.Contains(r.stdout, "the App 4242 is suspended in organization beta") || strings.Contains(r.stdout, "permission") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if f.writes() != 0 {
		t.Error("a write was sent")
	}
}
