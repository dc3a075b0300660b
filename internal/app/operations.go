package app

import (
	"context"
	"fmt"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/inputs"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/report"
)

// operation is an operation's implementation: the other half of its entry
// in [inputs.OperationTable], which holds its name, summary and inputs.
type operation struct {
	// run reads GitHub's state, plans and (unless the runner holds them)
	// applies the writes, in one organization.
	run func(r *opRun, ctx context.Context) (result, error)
	// finishOrgs, when not nil, finishes a run on several organizations
	// from what run returned in each, instead of applying and reporting
	// each organization's result.
	finishOrgs func(rep *report.Reporter, cfg inputs.Config, runs []*orgRun, o options) int
}

// operations are the implementations of the operations of
// [inputs.OperationTable], by name; TestEveryOperationHasAnImplementation
// holds the two tables to the same operations.
var operations = map[inputs.Operation]operation{
	inputs.OpSet:                {run: (*opRun).set},
	inputs.OpSetVisibility:      {run: (*opRun).setVisibility},
	inputs.OpDelete:             {run: (*opRun).delete},
	inputs.OpGet:                {run: (*opRun).get},
	inputs.OpList:               {run: (*opRun).list},
	inputs.OpPublicKey:          {run: (*opRun).publicKey},
	inputs.OpListRepositories:   {run: (*opRun).listRepositories},
	inputs.OpSetRepositories:    {run: repositories(plan.SetRepositories)},
	inputs.OpAddRepositories:    {run: repositories(plan.AddRepository)},
	inputs.OpRemoveRepositories: {run: repositories(plan.RemoveRepository)},
	inputs.OpSync:               {run: (*opRun).sync},
	inputs.OpExport:             {run: (*opRun).export, finishOrgs: exportOrgs},
}

// repositories runs an operation that changes selected secrets'
// repositories by action.
func repositories(action plan.Action) func(*opRun, context.Context) (result, error) {
	return func(r *opRun, ctx context.Context) (result, error) { return r.repositories(ctx, action) }
}

// operation runs the run's operation, from the table.
func (r *opRun) operation(ctx context.Context) (result, error) {
	op, ok := operations[r.cfg.Operation]
	if !ok {
		return nil, usageError{fmt.Errorf("`operation`: %q is not supported", r.cfg.Operation)}
	}
	return op.run(r, ctx)
}
