package githubapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/fakeclock"
	"github.com/jarcoal/httpmock"
)

// BenchmarkListSecrets lists 250 secrets in three pages of 100, 100 and 50
// through the whole stack: generated client, transport, Link parsing.
func BenchmarkListSecrets(b *testing.B) {
	const total, perPage = 250, 100
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewNotFoundResponder(b.Fatal))
	pageURL := func(n int) string { return fmt.Sprintf("%s%s?per_page=100&page=%d", testBase, secretsPath, n) }
	for page := 1; page <= 3; page++ {
		var names []string
		for i := (page - 1) * perPage; i < min(page*perPage, total); i++ {
			names = append(names, fmt.Sprintf("SECRET_%03d", i))
		}
		body := []byte(secretsPage(total, names...))
		header := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		if page < 3 {
			header.Set("Link", link("next", pageURL(page+1), "last", pageURL(3)))
		}
		query := "per_page=100"
		if page > 1 {
			query += fmt.Sprintf("&page=%d", page)
		}
		mock.RegisterResponderWithQuery("GET", testBase+secretsPath, query, httpmock.NewBytesResponder(200, body).HeaderSet(header))
	}
	c, err := New(parseURL(b, testBase), testToken, WithHTTPClient(&http.Client{Transport: mock}), WithClock(fakeclock.New(testEpoch)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		got, err := c.ListSecrets(ctx, testOrg)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != total || !strings.HasPrefix(string(got[total-1].Name), "SECRET_249") {
			b.Fatalf("listed %d secrets, want %d", len(got), total)
		}
	}
	if n := mock.GetTotalCallCount(); n%3 != 0 || n == 0 {
		b.Errorf("requests = %d, want 3 per listing", n)
	}
}
