package internal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// HTTPDoer sends one HTTP request; *http.Client implements it.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// Version is the SDK version reported in the User-Agent.
const Version = "0.1.0"

// DefaultMaxAttempts is the number of attempts when Config.MaxAttempts is 0.
const DefaultMaxAttempts = 3

// Config configures a Client. Service packages fill it from their Options.
type Config struct {
	Service     string // "pai" or "dataworks": names errors and log lines
	Version     string // API version, sent as x-acs-version
	Endpoint    string // base URL, "https://host[:port][/prefix]"
	Credentials signer.CredentialsProvider
	HTTPClient  HTTPDoer
	MaxAttempts int
	Logger      *slog.Logger
	UserAgent   string
	// AttemptTimeout bounds one attempt as a whole, from the first byte sent
	// to the last byte read; 0 means DefaultAttemptTimeout.
	AttemptTimeout time.Duration

	// Backoff bounds the full-jitter exponential backoff between attempts;
	// zero values mean the defaults (100 ms base, 5 s cap).
	BackoffBase, BackoffCap time.Duration
	// Sleep waits d or until ctx is done; nil means a timer. Tests inject an
	// instant one.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a uniform value in [0, 1) for backoff jitter; nil means
	// math/rand/v2.
	Rand func() float64
	// Now is the clock used for x-acs-date; nil means time.Now.
	Now func() time.Time
}

// Client runs operations for one service. It is safe for concurrent use and
// holds no state that changes after New.
type Client struct {
	service      string
	base         string // scheme://host and the canonical base path: the start of every URL
	basePath     string // canonical base path without its trailing '/', often ""
	version      string
	creds        signer.CredentialsProvider
	http         HTTPDoer
	maxAttempts  int
	attemptLimit time.Duration
	log          *slog.Logger
	signer       *signer.Signer
	userAgentHdr []string
	backoffBase  time.Duration
	backoffCap   time.Duration
	sleep        func(context.Context, time.Duration) error
	rand         func() float64
	now          func() time.Time
	pace         *pacer
	throttled    atomic.Int64
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s: endpoint %q must be an http:// or https:// URL without query or fragment", cfg.Service, cfg.Endpoint)
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("%s: no credentials provider", cfg.Service)
	}
	if cfg.MaxAttempts < 0 {
		return nil, fmt.Errorf("%s: MaxAttempts must not be negative", cfg.Service)
	}
	if cfg.AttemptTimeout < 0 {
		return nil, fmt.Errorf("%s: AttemptTimeout must not be negative", cfg.Service)
	}
	if !validHeaderValue(cfg.UserAgent) {
		return nil, fmt.Errorf("%s: UserAgent %q has bytes not allowed in an HTTP header (control characters such as CR, LF or NUL)", cfg.Service, cfg.UserAgent)
	}
	c := &Client{
		service:      cfg.Service,
		basePath:     strings.TrimSuffix(signer.CanonicalURI(u.EscapedPath()), "/"),
		creds:        cfg.Credentials,
		http:         cfg.HTTPClient,
		maxAttempts:  cfg.MaxAttempts,
		attemptLimit: cfg.AttemptTimeout,
		log:          cfg.Logger,
		signer:       signer.NewSigner(),
		version:      cfg.Version,
		backoffBase:  cfg.BackoffBase,
		backoffCap:   cfg.BackoffCap,
		sleep:        cfg.Sleep,
		rand:         cfg.Rand,
		now:          cfg.Now,
	}
	c.base = u.Scheme + "://" + u.Host + c.basePath
	ua := "acsmembers-go/" + Version + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") Go/" + strings.TrimPrefix(runtime.Version(), "go")
	if cfg.UserAgent != "" {
		ua += " " + cfg.UserAgent
	}
	c.userAgentHdr = []string{ua}
	if c.http == nil {
		c.http = transportDoer{newTransport()}
	} else {
		c.http = withoutRedirects(c.http)
	}
	if c.attemptLimit == 0 {
		c.attemptLimit = DefaultAttemptTimeout
	}
	if c.maxAttempts == 0 {
		c.maxAttempts = DefaultMaxAttempts
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.backoffBase <= 0 {
		c.backoffBase = 100 * time.Millisecond
	}
	if c.backoffCap <= 0 {
		c.backoffCap = 5 * time.Second
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.pace = newPacer(time.Now)
	return c, nil
}

// Do runs op and decodes a successful JSON reply into out (a pointer, or nil
// to discard it).
func (c *Client) Do(ctx context.Context, op *Operation, out any) error {
	if ctx == nil {
		return fmt.Errorf("%s %s: nil context", c.service, op.Name)
	}
	p, err := c.prepare(op)
	if err != nil {
		return fmt.Errorf("%s %s: encode request: %w", c.service, op.Name, err)
	}
	sent := 0 // attempts that reached the network
	for attempt := 1; ; attempt++ {
		if err := c.pace.wait(ctx); err != nil {
			return c.contextError(op, sent, err, err)
		}
		start := time.Now()
		res := c.attempt(ctx, op, &p, out)
		c.adapt(&res)
		c.logAttempt(ctx, op, attempt, res, time.Since(start))
		if res.err == nil {
			return nil
		}
		if res.tried {
			sent++
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return c.contextError(op, sent, ctxErr, res.err)
		}
		wait, retry := c.retryable(op, &res)
		if !retry || attempt >= c.maxAttempts {
			return c.finalError(ctx, op, sent, res.err, retry)
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Sleeping would only end in the deadline: say so now.
			c.log.LogAttrs(ctx, slog.LevelWarn, "acsmembers: giving up, retry wait exceeds deadline",
				slog.String("service", c.service), slog.String("operation", op.Name),
				slog.Int("attempts", attempt), slog.Duration("wait", wait))
			return &attemptsError{service: c.service, op: op.Name, sent: sent, err: fmt.Errorf(
				"%w; %w: the retry wait of %v would outlast the deadline", res.err, context.DeadlineExceeded, wait)}
		}
		if err := c.sleep(ctx, wait); err != nil {
			return c.contextError(op, sent, err, res.err)
		}
	}
}

// adapt tells the pacer how an answered attempt went.
func (c *Client) adapt(res *result) {
	var apiErr *acserrors.APIError
	switch {
	case errors.As(res.err, &apiErr) && isThrottle(apiErr):
		c.throttled.Add(1)
		c.pace.throttled()
	case res.status != 0:
		c.pace.succeeded()
	}
}

// ThrottledCount is how many throttled answers the Client has received,
// retried ones included.
func (c *Client) ThrottledCount() int { return int(c.throttled.Load()) }

// RateLimit is the Client's current self-imposed rate in requests per
// second, or 0 while the service has not throttled it.
func (c *Client) RateLimit() float64 { return c.pace.limit() }

func (c *Client) contextError(op *Operation, sent int, ctxErr, last error) error {
	if !errors.Is(last, ctxErr) {
		last = fmt.Errorf("%w; %w while waiting to retry", last, ctxErr)
	}
	return &attemptsError{service: c.service, op: op.Name, sent: sent, err: last}
}

func (c *Client) finalError(ctx context.Context, op *Operation, sent int, err error, wanted bool) error {
	if wanted {
		c.log.LogAttrs(ctx, slog.LevelWarn, "acsmembers: giving up after retries",
			slog.String("service", c.service), slog.String("operation", op.Name),
			slog.Int("attempts", sent), slog.String("error", err.Error()))
	}
	return &attemptsError{service: c.service, op: op.Name, sent: sent, err: err}
}

// attemptsError is a failed call: one prefix naming the service and the
// operation, what went wrong, and how many requests were sent when that
// is more than one (or none, when the failure came before sending).
type attemptsError struct {
	service, op string
	sent        int
	err         error
}

func (e *attemptsError) Error() string {
	msg := e.err.Error()
	if prefix := e.service + " " + e.op + ": "; !strings.HasPrefix(msg, prefix) {
		msg = prefix + msg // an APIError names the service and operation itself
	}
	var apiErr *acserrors.APIError
	errors.As(e.err, &apiErr)
	switch {
	case e.sent > 1:
		msg += fmt.Sprintf(" (after %d attempts)", e.sent)
	case e.sent == 1 && apiErr == nil:
		msg += " (after 1 attempt)"
	case e.sent == 0:
		msg += " (nothing was sent)"
	}
	return msg
}

func (e *attemptsError) Unwrap() error { return e.err }

// result is the outcome of one attempt.
type result struct {
	err       error
	status    int
	code      string
	requestID string
	tried     bool // a request went to the network
	sent      bool // false when the request certainly never reached the server
}

func (c *Client) attempt(ctx context.Context, op *Operation, p *prepared, out any) result {
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return result{err: fmt.Errorf("credentials: %w", err)}
	}
	provider := ""
	if n, ok := c.creds.(signer.ProviderNamer); ok {
		provider = n.ProviderName()
	}
	// The attempt's own deadline bounds it whole, headers and body: a
	// server that trickles bytes cannot hold the call.
	actx, cancel := context.WithTimeout(ctx, c.attemptLimit)
	defer cancel()
	req, err := c.signedRequest(actx, op, p, provider, creds)
	if err != nil {
		return result{err: err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return result{err: c.timedOut(ctx, actx, &transportError{err}), tried: true, sent: !refused(err)}
	}
	res := c.decode(op, resp, out)
	res.tried = true
	if res.err != nil {
		res.err = c.timedOut(ctx, actx, res.err)
	}
	return res
}

// timedOut says so when the attempt's own deadline, not the caller's, ended
// an attempt.
func (c *Client) timedOut(ctx, actx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("attempt timed out after %v: %w", c.attemptLimit, err)
	}
	return err
}

func (c *Client) logAttempt(ctx context.Context, op *Operation, attempt int, res result, d time.Duration) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("service", c.service), slog.String("operation", op.Name),
		slog.Int("attempt", attempt), slog.Int("status", res.status),
		slog.String("code", res.code), slog.String("request_id", res.requestID),
		slog.Duration("latency", d),
	}
	if res.err != nil {
		attrs = append(attrs, slog.String("error", res.err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "acsmembers: attempt", attrs...)
}

// Format keeps %v of a Client from walking into its credentials provider.
func (c *Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "internal.Client{service: %s, endpoint: %s}", c.service, c.base)
}

// validHeaderValue reports whether v may be sent as an HTTP header value:
// no control characters other than tab (RFC 9110 field-value).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// DoAck runs op, whose reply is only a RequestId, and returns that ID.
func (c *Client) DoAck(ctx context.Context, op *Operation) (string, error) {
	var out Envelope
	if err := c.Do(ctx, op, &out); err != nil {
		return "", err
	}
	return out.RequestID, nil
}
