// Package fake is the shared core of the in-process service fakes in
// pai/paitest and dataworks/dataworkstest. It does everything that is the same
// for both services: it serves HTTP on loopback, verifies every ACS3 signature
// with the signer package's exported steps (so the project has one
// implementation of signing), refuses replayed nonces and stale dates, routes
// a request to an operation, plays queued FailNext faults, honours ClientToken
// idempotency, and writes JSON replies and gateway-shaped error documents.
// Options make it accept a given key pair, answer slowly (WithLatency) and
// throttle as the gateway does (WithRateLimit).
//
// A service package describes itself with a Service (version, operations,
// router) and keeps its own state. Every operation handler runs under the
// Core's one mutex, and so do the service package's state helpers (through
// Locked), which makes a fake safe for concurrent use without a second lock.
package fake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

// MaxSkew is how far x-acs-date may be from the server clock, either way,
// as the gateway allows.
const MaxSkew = 15 * time.Minute

// maxBodyBytes bounds a request body; the largest real one (a CreateMember
// with many members) is a few kilobytes.
const maxBodyBytes = 1 << 20

// maxTokens bounds the remembered ClientTokens; the oldest are forgotten first.
const maxTokens = 10000

// Service describes the service a Core fakes.
type Service struct {
	Name       string   // "pai": names the fake in panics
	Product    string   // product code in Recommend links, e.g. "AIWorkSpace"
	Versions   []string // the x-acs-version values accepted; Request.Version says which came
	Operations []string // every operation name, to catch typos in FailNext and RequestCount

	// Route picks the operation for a verified request from its method, path
	// segments and action. An unknown one is an *Error (usually NotFound).
	// It runs without the lock, so it must only look at r.
	Route func(r *Request) (*Operation, error)
}

// Operation is one API operation of a Service.
type Operation struct {
	Name string

	// Handle acts on r and returns the JSON reply body (status 200) or an
	// *Error. It runs under the Core's lock and must not block.
	Handle func(r *Request) (any, error)

	// Idempotent makes a repeated ClientToken return the first successful
	// reply (same body and RequestId) without calling Handle again; the same
	// token with other parameters is refused with IdempotentParameterMismatch.
	Idempotent bool
}

// Request is a verified request as an operation sees it.
type Request struct {
	Method    string
	Action    string     // x-acs-action
	Version   string     // x-acs-version, one of Service.Versions
	Segments  []string   // path segments, each percent-decoded; none for "/"
	Params    url.Values // query, plus a form-encoded body's fields
	Body      []byte
	RequestID string    // the RequestId this request is answered with
	Now       time.Time // the server clock when the request arrived

	host string // the Host it was sent to, for HostId
}

// Error is an error answer: the HTTP status and the gateway-style code and
// message written in the JSON error document.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Errorf returns an *Error with a formatted message.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Option configures a Core.
type Option func(*Core)

// WithClock makes the Core read the time from now: the date-skew check, the
// nonce window, the rate limiter and Request.Now all use it. Tests use it to
// move time.
func WithClock(now func() time.Time) Option {
	return func(c *Core) {
		if now != nil {
			c.now = now
		}
	}
}

// WithKey makes the Core accept key instead of a fresh random pair, so that
// credentials a test already has (from the environment, say) drive the fake.
// A pair with an empty AccessKeyID or AccessKeySecret leaves the random pair
// in place: a client signing with an empty half would be refused anyway, and
// the fake stays usable through Key.
func WithKey(key KeyPair) Option {
	return func(c *Core) {
		if key.AccessKeyID != "" && key.AccessKeySecret != "" {
			c.key = key
		}
	}
}

// WithLatency holds every answer back d of wall time (not the Core's clock,
// which may stand still) before writing it, errors included. The request
// has acted by then, as a slow reply from a real service has; the wait holds
// no lock, so concurrent requests wait side by side, and it ends early,
// without an answer, when the client goes away. d <= 0 means no wait.
func WithLatency(d time.Duration) Option {
	return func(c *Core) { c.latency = max(d, 0) }
}

// WithRateLimit lets at most perSecond requests a second through, counted
// over the whole Core once they pass signature verification and name an
// operation; the others get the gateway's answer, 400 Throttling.User.
// The limiter reads the Core's clock, so with WithClock a clock that stands
// still never refills it, which makes throttling tests exact.
// perSecond <= 0 means no limit.
func WithRateLimit(perSecond int) Option {
	return func(c *Core) {
		if perSecond <= 0 {
			c.limiter = nil
			return
		}
		// A token bucket holding one second's worth: after a quiet second a
		// burst of perSecond passes at once and the steady rate is perSecond,
		// which is what a per-second quota allows, without a fixed window's
		// edges. The kept golang.org/x/time/rate does exactly this.
		c.limiter = rate.NewLimiter(rate.Limit(perSecond), perSecond)
		if c.burst > 0 {
			c.limiter.SetBurst(c.burst)
		}
	}
}

// WithBurst sets how many requests WithRateLimit lets through at once after
// a quiet spell (default: one second's worth). A smaller burst is a stricter
// gateway: with WithRateLimit(200) and WithBurst(20), no second ever sees
// more than 220 requests pass. n <= 0 keeps the default. It works in either
// order with WithRateLimit.
func WithBurst(n int) Option {
	return func(c *Core) {
		c.burst = n
		if c.limiter != nil && n > 0 {
			c.limiter.SetBurst(n)
		}
	}
}

// Core is the HTTP handler of a fake service. It is safe for concurrent use.
type Core struct {
	svc     Service
	key     KeyPair
	now     func() time.Time
	ops     map[string]bool
	latency time.Duration
	limiter *rate.Limiter // nil: no rate limit
	burst   int           // WithBurst's n, 0 when not given

	mu        sync.Mutex // guards everything below, the limiter and the service's own state
	nonces    nonceStore
	failures  map[string][]Error
	counts    map[string]int
	throttled int
	tokens    map[string]tokenRecord
	tokenLog  []string // token keys in the order they were stored
}

// tokenRecord is the first successful reply to a ClientToken.
type tokenRecord struct {
	fingerprint string
	body        []byte
	requestID   string
}

// New returns a Core for svc with a fresh random key pair.
func New(svc Service, opts ...Option) *Core {
	c := &Core{
		svc: svc, key: NewKeyPair(), now: time.Now,
		ops:      make(map[string]bool, len(svc.Operations)),
		nonces:   newNonceStore(defaultMaxNonces),
		failures: map[string][]Error{},
		counts:   map[string]int{},
		tokens:   map[string]tokenRecord{},
	}
	for _, op := range svc.Operations {
		c.ops[op] = true
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Start serves c on a loopback httptest server, already listening.
func (c *Core) Start() *httptest.Server { return httptest.NewServer(c) }

// Key returns the only key pair c accepts.
func (c *Core) Key() KeyPair { return c.key }

// Now reads c's clock.
func (c *Core) Now() time.Time { return c.now() }

// Locked runs fn under c's lock, the one operation handlers run under: service
// packages guard their state with it.
func (c *Core) Locked(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn()
}

// checkOp panics on an operation name the service does not have: a typo in a
// test would otherwise queue a fault that never fires.
func (c *Core) checkOp(method, op string) {
	if !c.ops[op] {
		panic(fmt.Sprintf("%s: %s: unknown operation %q (known: %s)", c.svc.Name, method, op, strings.Join(c.svc.Operations, ", ")))
	}
}

// FailNext makes the next call of op that passes signature verification fail
// with status and code instead of acting. Calls queue up per operation.
func (c *Core) FailNext(op string, status int, code string) {
	c.checkOp("FailNext", op)
	if status < 200 || status > 599 {
		panic(fmt.Sprintf("%s: FailNext: status %d is not an HTTP status", c.svc.Name, status))
	}
	c.Locked(func() {
		c.failures[op] = append(c.failures[op], Error{Status: status, Code: code,
			Message: "The " + op + " call failed as the test asked (FailNext)."})
	})
}

// RequestCount returns how many requests for op passed signature
// verification, including those throttled, answered by FailNext or replayed
// from a ClientToken.
func (c *Core) RequestCount(op string) int {
	c.checkOp("RequestCount", op)
	n := 0
	c.Locked(func() { n = c.counts[op] })
	return n
}

// ThrottledCount returns how many requests the rate limit has refused.
func (c *Core) ThrottledCount() int {
	n := 0
	c.Locked(func() { n = c.throttled })
	return n
}

// throttledError is the answer to a request over the rate limit: the
// gateway's per-user flow control, with its status, code and message
// (reference/API.md §6).
func throttledError() *Error {
	return &Error{Status: http.StatusBadRequest, Code: "Throttling.User", Message: "Request was denied due to user flow control."}
}

// answer is a reply ready to be written.
type answer struct {
	status    int
	requestID string
	body      []byte
	header    http.Header // headers beyond those every reply has; may be nil
}

// ServeHTTP answers one request, after the configured latency.
func (c *Core) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	out := c.handle(r)
	if c.latency > 0 && !sleep(r.Context(), c.latency) {
		return // the client went away: there is nobody to answer
	}
	for k, v := range out.header {
		w.Header()[k] = v
	}
	writeJSON(w, out.status, out.requestID, out.body)
}

// sleep waits d, or until ctx is done; it reports whether it waited d.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// handle works out the answer to one request: verify, route, then run.
func (c *Core) handle(r *http.Request) answer {
	reqID := NewRequestID()
	now := c.now()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return c.errorAnswer(r.Host, reqID, Errorf(http.StatusBadRequest, "InvalidParameter", "The request body could not be read: %v.", err))
	}
	if len(body) > maxBodyBytes {
		return c.errorAnswer(r.Host, reqID, Errorf(http.StatusRequestEntityTooLarge, "InvalidParameter", "The request body exceeds %d bytes.", maxBodyBytes))
	}
	if e := c.authenticate(r, body, now); e != nil {
		return c.errorAnswer(r.Host, reqID, e)
	}
	if v := r.Header.Get("X-Acs-Version"); !slices.Contains(c.svc.Versions, v) {
		return c.errorAnswer(r.Host, reqID, Errorf(http.StatusBadRequest, "InvalidVersion",
			"Specified parameter Version %q is not valid: this service speaks %s.", v, strings.Join(c.svc.Versions, ", ")))
	}
	req, e := newRequest(r, body, reqID, now)
	if e != nil {
		return c.errorAnswer(r.Host, reqID, e)
	}
	op, err := c.svc.Route(req)
	if err != nil {
		return c.errorAnswer(r.Host, reqID, asError(err))
	}
	if op.Name != req.Action {
		return c.errorAnswer(r.Host, reqID, Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"Specified action %q does not match %s %s, which is %s.", req.Action, r.Method, r.URL.EscapedPath(), op.Name))
	}
	return c.run(op, req)
}

// run does the locked part of a request: count, throttle, fault, replay or
// act.
func (c *Core) run(op *Operation, req *Request) answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[op.Name]++
	fail := func(e *Error) answer { return c.errorAnswer(req.host, req.RequestID, e) }
	if c.limiter != nil && !c.limiter.AllowN(req.Now, 1) {
		c.throttled++
		out := fail(throttledError())
		out.header = http.Header{"X-Ratelimit-User": {c.rateLimitHeader(req.Now)}}
		return out
	}
	if q := c.failures[op.Name]; len(q) > 0 {
		f := q[0]
		c.failures[op.Name] = q[1:]
		return fail(&f)
	}
	var key, fp string
	if op.Idempotent {
		if token := req.Params.Get("ClientToken"); token != "" {
			key, fp = op.Name+"\x00"+token, fingerprint(req.Params)
			if rec, ok := c.tokens[key]; ok {
				if rec.fingerprint != fp {
					return fail(Errorf(http.StatusBadRequest, "IdempotentParameterMismatch",
						"The ClientToken %q was used before with other parameters.", token))
				}
				return answer{status: http.StatusOK, requestID: rec.requestID, body: rec.body}
			}
		}
	}
	res, err := op.Handle(req)
	if err != nil {
		return fail(asError(err))
	}
	b, err := internal.MarshalJSON(res)
	if err != nil {
		return fail(Errorf(http.StatusInternalServerError, "InternalError", "The fake could not encode its reply: %v.", err))
	}
	if key != "" {
		c.remember(key, tokenRecord{fingerprint: fp, body: b, requestID: req.RequestID})
	}
	return answer{status: http.StatusOK, requestID: req.RequestID, body: b}
}

// rateLimitHeader describes the refused request's quota as the gateway's
// x-ratelimit-user header does: the limit a second, none remaining, and the
// milliseconds until the next request may pass, which clients wait before
// retrying. It runs under c.mu, after the limiter refused a request at now.
func (c *Core) rateLimitHeader(now time.Time) string {
	missing := 1 - c.limiter.TokensAt(now)
	ms := max(int64(math.Ceil(missing/float64(c.limiter.Limit())*1000)), 1)
	return fmt.Sprintf("Limit:%d,Remain:0,TimeLeft:%d", c.limiter.Burst(), ms)
}

func (c *Core) remember(key string, rec tokenRecord) {
	if len(c.tokenLog) >= maxTokens {
		delete(c.tokens, c.tokenLog[0])
		c.tokenLog = slices.Delete(c.tokenLog, 0, 1)
	}
	c.tokens[key] = rec
	c.tokenLog = append(c.tokenLog, key)
}

// fingerprint identifies a request's parameters other than its ClientToken,
// whatever their order.
func fingerprint(p url.Values) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "ClientToken" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range p[k] {
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
			b.WriteByte('&')
		}
	}
	return b.String()
}

// asError turns a handler's error into an answer: an *Error as it is,
// anything else as a 500.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Errorf(http.StatusInternalServerError, "InternalError", "The fake failed: %v.", err)
}

// newRequest decodes the path and parameters of a verified request.
func newRequest(r *http.Request, body []byte, reqID string, now time.Time) (*Request, *Error) {
	req := &Request{
		Method: r.Method, Action: r.Header.Get("X-Acs-Action"), Version: r.Header.Get("X-Acs-Version"), Body: body,
		RequestID: reqID, Now: now, host: r.Host,
	}
	p := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	if p != "" {
		for _, seg := range strings.Split(p, "/") {
			s, err := url.PathUnescape(seg)
			if err != nil {
				return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The path segment %q is not validly escaped.", seg)
			}
			req.Segments = append(req.Segments, s)
		}
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The query is malformed: %v.", err)
	}
	// RPC parameters may also arrive as a form body; both count.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, Errorf(http.StatusBadRequest, "InvalidParameter", "The form body is malformed: %v.", err)
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	req.Params = params
	return req, nil
}

// ContentType is the content type of every reply.
const ContentType = "application/json;charset=utf-8"

// errorDoc is the gateway's error document.
type errorDoc struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

func errorBody(reqID, host, product string, e *Error) []byte {
	b, _ := internal.MarshalJSON(errorDoc{
		RequestID: reqID, HostID: host, Code: e.Code, Message: e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.Code) +
			"&product=" + url.QueryEscape(product) + "&requestId=" + url.QueryEscape(reqID),
	})
	return b
}

// errorAnswer is the error document answering a request sent to host.
func (c *Core) errorAnswer(host, reqID string, e *Error) answer {
	return answer{status: e.Status, requestID: reqID, body: errorBody(reqID, host, c.svc.Product, e)}
}

// writeJSON sends an encoded body with the RequestId header every reply has.
func writeJSON(w http.ResponseWriter, status int, reqID string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("X-Acs-Request-Id", reqID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// KeyPair is an AccessKey pair the fake accepts.
type KeyPair struct {
	AccessKeyID, AccessKeySecret string
}

// Provider returns k as static credentials for a client.
func (k KeyPair) Provider() signer.CredentialsProvider {
	return signer.StaticCredentials(k.AccessKeyID, k.AccessKeySecret, "")
}

// String shows the AccessKeyID only.
func (k KeyPair) String() string { return "KeyPair{" + k.AccessKeyID + "}" }

// GoString keeps %#v from printing the secret too.
func (k KeyPair) GoString() string { return k.String() }
