// Package place says where in a file a problem is, so that a message can
// start with path:line:column and an annotation can point at the line.
package place

import (
	"errors"
	"fmt"
)

// Pos is a position in a file; Line and Column count from 1. The zero Pos
// is no position.
type Pos struct {
	Path         string
	Line, Column int
}

// IsZero reports whether p is no position.
func (p Pos) IsZero() bool { return p == Pos{} }

// String formats p as messages give it: path:line:column.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.Path, p.Line, p.Column) }

// Error is a problem at a position: its text is "path:line:column: " and
// the problem's.
type Error struct {
	Pos Pos
	Err error
}

// Error formats the problem as path:line:column: problem.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *Error) Unwrap() error { return e.Err }

// Place returns where the problem is.
func (e *Error) Place() Pos { return e.Pos }

// Wrap puts p in front of err. A zero p, or a nil err, leaves err as it is.
func Wrap(p Pos, err error) error {
	if p.IsZero() || err == nil {
		return err
	}
	return &Error{Pos: p, Err: err}
}

// Placed is an error that knows where in a file it is.
type Placed interface {
	error
	Place() Pos
}

// Of returns the position of err, or of the first error it wraps that has
// one, and the message without that position in front of it.
func Of(err error) (p Pos, msg string, ok bool) {
	var pl Placed
	if !errors.As(err, &pl) {
		return Pos{}, "", false
	}
	p = pl.Place()
	msg = err.Error()
	if prefix := p.String() + ": "; len(msg) >= len(prefix) && msg[:len(prefix)] == prefix {
		msg = msg[len(prefix):]
	}
	return p, msg, true
}
