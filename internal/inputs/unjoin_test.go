package inputs

import (
	"errors"
	"fmt"
	"testing"
)

func TestUnjoinGivesOneErrorPerProblem(t *testing.T) {
	t.Parallel()
	a, b, c := errors.New("a"), errors.New("b"), errors.New("c")
	wrapped := fmt.Errorf("context: %w", errors.Join(b, c))
	tests := []struct {
		name string
		err  error
		want []error
	}{
		{"keeps an error that joins nothing", a, []error{a}},
		{"splits a join in order", errors.Join(a, b, c), []error{a, b, c}},
		{"splits a join inside a join", errors.Join(a, errors.Join(b, c)), []error{a, b, c}},
		{"keeps a wrapped join whole, with its context", errors.Join(a, wrapped), []error{a, wrapped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Unjoin(tt.err)
			if len(got) != len(tt.want) {
				t.Fatalf("Unjoin = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("Unjoin[%d] = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}
