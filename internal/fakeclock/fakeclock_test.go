package fakeclock

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestSleepMovesTimeAndRecordsTheWait(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(start)
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		if err := c.Sleep(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Now(); !got.Equal(start.Add(3 * time.Second)) {
		t.Errorf("now = %v", got)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; !reflect.DeepEqual(c.Waits(), want) || c.Total() != 3*time.Second {
		t.Errorf("waits = %v, total %v", c.Waits(), c.Total())
	}
}

func TestSleepOnADoneContextReturnsItsErrorAndDoesNotWait(t *testing.T) {
	t.Parallel()
	c := New(time.Time{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if len(c.Waits()) != 0 || !c.Now().IsZero() {
		t.Errorf("the clock moved: %v %v", c.Waits(), c.Now())
	}
}
