package place

import (
	"errors"
	"fmt"
	"testing"
)

func TestOfFindsThePositionUnderWrapsAndDropsItFromTheMessage(t *testing.T) {
	t.Parallel()
	p := Pos{Path: "m.yml", Line: 3, Column: 17}
	err := Wrap(p, errors.New("bad visibility"))
	if err.Error() != "m.yml:3:17: bad visibility" {
		t.Errorf("Error() = %q", err.Error())
	}
	got, msg, ok := Of(fmt.Errorf("wrapped: %w", err))
	if !ok || got != p || msg != "wrapped: m.yml:3:17: bad visibility" {
		t.Errorf("Of(wrapped) = %v, %q, %v: the message keeps what comes before the position", got, msg, ok)
	}
	if got, msg, ok = Of(err); !ok || got != p || msg != "bad visibility" {
		t.Errorf("Of = %v, %q, %v", got, msg, ok)
	}
	if _, _, ok := Of(errors.New("no place")); ok {
		t.Error("an error with no position has one")
	}
}

func TestWrapWithNoPositionKeepsTheError(t *testing.T) {
	t.Parallel()
	base := errors.New("x")
	if Wrap(Pos{}, base) != base || Wrap(Pos{Path: "a", Line: 1, Column: 1}, nil) != nil {
		t.Error("Wrap changed an error it had nothing to add to")
	}
}
