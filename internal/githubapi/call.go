package githubapi

// The call loop: every operation sends its request through one loop above
// the transport, which decides retries, rate-limit waits and the pacing of
// writes, and hands back GitHub's last answer or a typed error, as
// go-github's bareDo does. Nothing travels through the context.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// answer is what a call sent and got: the last request sent, GitHub's
// answer to it (read in full), and what the call's attempts met. It is all
// an operation knows of its call.
type answer struct {
	method string   // the last request's method; "" when nothing was sent
	url    *url.URL // the last request's URL, after any redirect
	resp   *http.Response
	status int // 0 when there is no answer
	header http.Header
	body   []byte
	// transient says a network error, a time-out or a 5xx was retried: an
	// earlier attempt of a write may have been applied. failure names the
	// last of them, such as "a 502 response".
	transient bool
	failure   string
	hint      string    // why the call stopped retrying an answer it could have retried
	reset     time.Time // when a rate limit that stopped the call resets
	// resetGuessed says reset is when this client would retry, not a
	// time GitHub sent.
	resetGuessed bool
	// sealed is the encrypted value the request carried, if any: an error
	// that repeats it never shows it.
	sealed string
}

// call is one operation's request on its way: sent, and sent again after
// a wait while the network or GitHub's answer says a retry may succeed.
// Each attempt is a plain sequence, which an operation may extend (see
// PutSecretKeepingRepos): ready (the pacing of a write), then send with
// try, which waits before the next attempt when there is one.
type call struct {
	c     *Client
	write bool
	n     retries
	last  answer
}

// start begins a call of method, whose request carries the encrypted value
// sealed ("" for none).
func (c *Client) start(method, sealed string) *call {
	return &call{c: c, write: isWrite(method), last: answer{sealed: sealed}}
}

// do sends req through the call loop and returns what the call got; the
// error, when there is one, is why the call got no answer to use.
func (c *Client) do(ctx context.Context, req *http.Request, sealed string) (*answer, error) {
	ctx, cancel := c.bound(ctx)
	defer cancel()
	a := c.start(req.Method, sealed)
	for {
		if err := a.ready(ctx); err != nil {
			return &a.last, err
		}
		if done, err := a.try(ctx, req); done {
			return &a.last, err
		}
	}
}

// bound gives ctx the deadline of a call: the injected http.Client's
// Timeout bounds the whole call, its retries and waits included (a wait
// that would outlast it is refused), as it did when the transport retried.
func (c *Client) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.timeout)
}

// ready waits, before an attempt of a write, for the pacing of writes to
// allow it. It fails when ctx is done.
func (a *call) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !a.write {
		return nil
	}
	return a.c.retry.pace(ctx)
}

// try sends one attempt of req, each with the same body, and decides
// whether to send it again; when it will, it has waited already. done is
// true when the call is over: with its answer in a.last, or with err.
func (a *call) try(ctx context.Context, req *http.Request) (done bool, err error) {
	r := req.Clone(ctx)
	if req.GetBody != nil {
		if r.Body, err = req.GetBody(); err != nil {
			return true, fmt.Errorf("could not read the request body: %w", err)
		}
	}
	a.last.method, a.last.url = r.Method, r.URL
	resp, err := a.c.hc.Do(r)
	if err != nil {
		return a.failed(ctx, r, err)
	}
	return a.answered(ctx, r, resp)
}

// failed decides on an attempt that got no answer: a failure on the way
// (an *attemptError from the transport) is retried with backoff, unless it
// cannot succeed (a body too large, an untrusted certificate); anything
// else (a refused redirect, the HTTP client's redirect policy) ends the
// call.
func (a *call) failed(ctx context.Context, r *http.Request, err error) (bool, error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return true, ctxErr
	}
	var ae *attemptError
	if !errors.As(err, &ae) {
		return true, err
	}
	err = ae.err
	if errors.Is(err, errBodyTooLarge) || !retryableNetError(err) {
		return true, err
	}
	if a.n.transient >= maxRetries {
		return true, fmt.Errorf("gave up after %d retries: %w", maxRetries, err)
	}
	a.n.transient++
	a.last.transient, a.last.failure = true, "a network error"
	var te *timeoutError
	if errors.As(err, &te) {
		a.last.failure = te.short()
	}
	why := "a retry after " + a.last.failure
	d := a.c.retry.backoff(a.n.transient)
	if werr := a.c.retry.wait(ctx, d, why, announcement(r, d, fmt.Sprintf("%s (retry %d of %d)", why, a.n.transient, maxRetries))); werr != nil {
		return true, fmt.Errorf("%w; the request had failed with: %w", werr, err)
	}
	a.c.stats.retries.Add(1)
	return false, nil
}

// answered keeps GitHub's answer in a.last and decides whether to retry
// it. An answer that is not retried is the call's answer, even one that
// could have been had a wait not passed the deadline: the reason is then
// in the answer's hint.
func (a *call) answered(ctx context.Context, r *http.Request, resp *http.Response) (bool, error) {
	body := bodyOf(resp)
	if resp.Request != nil { // the last request, after any redirect
		a.last.method, a.last.url = resp.Request.Method, resp.Request.URL
	}
	a.last.resp, a.last.status, a.last.header, a.last.body = resp, resp.StatusCode, resp.Header, body
	a.last.hint, a.last.reset, a.last.resetGuessed = "", time.Time{}, false
	wait, why, retry := a.c.retry.decide(&a.last, &a.n)
	if !retry {
		return true, nil
	}
	if werr := a.c.retry.wait(ctx, wait, why, announcement(r, wait, why)); werr != nil {
		if errors.Is(werr, errPastDeadline) {
			a.last.hint = werr.Error()
			return true, nil
		}
		return true, werr
	}
	a.last.reset, a.last.resetGuessed = time.Time{}, false
	a.c.stats.retries.Add(1)
	return false, nil
}

// bodyOf returns the body of resp, which the transport has read into
// memory, leaving resp.Body to be read again.
func bodyOf(resp *http.Response) []byte {
	if rb, ok := resp.Body.(*readBody); ok {
		return rb.bytes
	}
	body, _ := io.ReadAll(resp.Body) // in memory already, behind a wrapper of the HTTP client
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

// announcement is the line that tells of a wait d before retrying r.
func announcement(r *http.Request, d time.Duration, why string) string {
	return fmt.Sprintf("%s %s: waiting %s for %s", r.Method, r.URL.Path, d.Round(time.Millisecond), why)
}

// request is what a generated request builder returns: the request, or
// why it could not be made.
type request struct {
	*http.Request
	err error
}

// built pairs the results of a generated request builder.
func built(r *http.Request, err error) request { return request{r, err} }

// send sends a request that a generated builder made through the call
// loop, and parses GitHub's answer with the generated parser. Its error
// says why there is no answer to parse (the request could not be made, the
// call got none) or why the answer could not be parsed; the answer's
// status is for the operation to check (see check).
func send[R any](ctx context.Context, c *Client, req request, sealed string, parse func(*http.Response) (R, error)) (R, *answer, error) {
	var zero R
	if req.err != nil {
		var ue *url.Error
		if errors.As(req.err, &ue) { // the URL could not be made
			return zero, &answer{}, c.transportError(&answer{}, ue.Err)
		}
		return zero, &answer{}, fmt.Errorf("could not build the request: %w", req.err)
	}
	res, err := c.do(ctx, req.Request, sealed)
	if err != nil {
		return zero, res, c.transportError(res, err)
	}
	rsp, err := parse(res.resp)
	return rsp, res, c.parseError(res, err)
}

// parseError words why GitHub's answer could not be parsed: a success
// that was to be decoded, or a failure whose body did not decode as the
// description says.
func (c *Client) parseError(res *answer, err error) error {
	switch {
	case err == nil:
		return nil
	case res.status >= 200 && res.status < 300:
		return c.decodeError(res, err)
	}
	return newError(res.method, c.path(res), res)
}
