// Package openapi holds the trimmed OpenAPI description of GitHub's Codespaces
// organization secrets API that the client in package gen is generated from.
//
// Run `go generate ./...` to regenerate ../gen; CI fails when the committed
// code differs from what the generator writes.
package openapi

//go:generate go tool oapi-codegen -config oapi-codegen.yaml codespaces-org-secrets.yaml
