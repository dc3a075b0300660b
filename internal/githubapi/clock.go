package githubapi

import (
	"context"
	"time"
)

// Clock is the time source for retries, rate-limit waits and write pacing.
// Tests inject a fake that records each wait and advances without sleeping.
// A wait that would end after the context's deadline, by Now, is not
// started: the call fails at once instead.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d. It returns ctx.Err() as soon as ctx is cancelled,
	// and nil once d has passed.
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
