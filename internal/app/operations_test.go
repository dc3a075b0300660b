package app

import (
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
)

func TestEveryOperationHasAnImplementation(t *testing.T) {
	for _, op := range inputs.Operations {
		if operations[op].run == nil {
			t.Errorf("operation %s of inputs.OperationTable has no entry in app's operations", op)
		}
	}
	if len(operations) != len(inputs.Operations) {
		t.Errorf("app's operations has %d entries, inputs.OperationTable %d: every implementation needs its table entry", len(operations), len(inputs.Operations))
	}
}
