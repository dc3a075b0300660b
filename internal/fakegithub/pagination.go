package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Pagination defaults, as GitHub documents them for these endpoints.
const (
	// DefaultPerPage is per_page when it is absent or not a positive integer.
	DefaultPerPage = 30
	// MaxPerPage caps per_page; larger values get this many.
	MaxPerPage = 100
)

// page is a request's page and per_page.
type page struct {
	number  int
	perPage int
}

// parsePage reads page and per_page. Like GitHub, it falls back to the
// defaults for values that are absent or not positive integers, and caps
// per_page at MaxPerPage.
func parsePage(q url.Values) page {
	p := page{number: 1, perPage: DefaultPerPage}
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n >= 1 {
		p.perPage = min(n, MaxPerPage)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n >= 1 {
		p.number = n
	}
	return p
}

// bounds returns the slice of total items on this page; past the last
// page it is empty.
func (p page) bounds(total int) (start, end int) {
	if p.number-1 > total/p.perPage {
		return total, total
	}
	start = min((p.number-1)*p.perPage, total)
	return start, min(start+p.perPage, total)
}

// last is the number of the last page (1 when there are no items).
func (p page) last(total int) int {
	return max(1, (total+p.perPage-1)/p.perPage)
}

// setLink sets GitHub's Link header: absolute URLs that repeat the
// request's path and query with another page, with rel="prev", "next",
// "last" and "first" in GitHub's order. The first page has no prev or
// first, the last page no next or last, and a single page no Link at all.
// Past the last page there are prev (the page before) and first.
func setLink(h http.Header, c *call, total int, p page) {
	last := p.last(total)
	base := c.origin + c.r.URL.EscapedPath()
	var links []string
	link := func(n int, rel string) {
		links = append(links, fmt.Sprintf("<%s?%s>; rel=%q", base, withPage(c.r.URL.RawQuery, n), rel))
	}
	if p.number > 1 {
		link(p.number-1, "prev")
	}
	if p.number < last {
		link(p.number+1, "next")
		link(last, "last")
	}
	if p.number > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
}

// withPage returns the query with page set to n, keeping the other
// parameters in the client's order; page is appended when absent.
func withPage(rawQuery string, n int) string {
	var parts []string
	found := false
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil && k == "page" {
			if found {
				continue
			}
			found = true
			part = "page=" + strconv.Itoa(n)
		}
		parts = append(parts, part)
	}
	if !found {
		parts = append(parts, "page="+strconv.Itoa(n))
	}
	return strings.Join(parts, "&")
}

// paged answers a list endpoint the way GitHub does: the page of all that
// the request asks for, as {"total_count": len(all), key: [...]} in that
// order, with the Link header.
func paged[T, J any](c *call, all []T, key string, toJSON func(T) J) response {
	p := parsePage(c.r.URL.Query())
	start, end := p.bounds(len(all))
	items := make([]J, 0, end-start)
	for _, x := range all[start:end] {
		items = append(items, toJSON(x))
	}
	list, err := json.Marshal(items)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: encoding a list of %s: %v", key, err))
	}
	name, _ := json.Marshal(key) // a string always encodes
	body := fmt.Appendf(nil, `{"total_count":%d,%s:%s}`, len(all), name, list)
	resp := jsonResponse(http.StatusOK, json.RawMessage(body))
	setLink(resp.header, c, len(all), p)
	return resp
}
