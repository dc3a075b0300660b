// Package fakeclock is a clock for tests and benchmarks: time moves only
// when something sleeps, and every sleep is recorded, so retries, rate-limit
// waits and pacing can be asserted exactly without taking real time.
package fakeclock

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Clock is a fake clock. It implements githubapi.Clock. The zero value is
// not ready for use; call New.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// New returns a clock that reads start until something sleeps.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d and moves the clock on by it at once. It returns the
// context's error, without recording, when the context is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return nil
}

// Waits returns every duration slept so far, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// Total returns the sum of the waits.
func (c *Clock) Total() time.Duration {
	var sum time.Duration
	for _, w := range c.Waits() {
		sum += w
	}
	return sum
}
