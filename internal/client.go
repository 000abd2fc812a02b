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
	log          *slog.Logger
	signer       *signer.Signer
	userAgentHdr []string
	backoffBase  time.Duration
	backoffCap   time.Duration
	sleep        func(context.Context, time.Duration) error
	rand         func() float64
	now          func() time.Time
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
	c := &Client{
		service:     cfg.Service,
		basePath:    strings.TrimSuffix(signer.CanonicalURI(u.EscapedPath()), "/"),
		creds:       cfg.Credentials,
		http:        cfg.HTTPClient,
		maxAttempts: cfg.MaxAttempts,
		log:         cfg.Logger,
		signer:      signer.NewSigner(),
		version:     cfg.Version,
		backoffBase: cfg.BackoffBase,
		backoffCap:  cfg.BackoffCap,
		sleep:       cfg.Sleep,
		rand:        cfg.Rand,
		now:         cfg.Now,
	}
	c.base = u.Scheme + "://" + u.Host + c.basePath
	ua := "acsmembers-go/" + Version + " (" + runtime.GOOS + "; " + runtime.GOARCH + ") Go/" + strings.TrimPrefix(runtime.Version(), "go")
	if cfg.UserAgent != "" {
		ua += " " + cfg.UserAgent
	}
	c.userAgentHdr = []string{ua}
	if c.http == nil {
		c.http = transportDoer{newTransport(IOIdleTimeout)}
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
	return c, nil
}

// Do runs op and decodes a successful JSON reply into out (a pointer, or nil
// to discard it).
func (c *Client) Do(ctx context.Context, op *Operation, out any) error {
	p, err := c.prepare(op)
	if err != nil {
		return fmt.Errorf("%s %s: encode request: %w", c.service, op.Name, err)
	}
	for attempt := 1; ; attempt++ {
		start := time.Now()
		res := c.attempt(ctx, op, &p, out)
		c.logAttempt(ctx, op, attempt, res, time.Since(start))
		if res.err == nil {
			return nil
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return c.contextError(op, attempt, ctxErr, res.err)
		}
		wait, retry := c.retryable(op, &res)
		if !retry || attempt >= c.maxAttempts {
			return c.finalError(ctx, op, attempt, res.err, retry)
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			// Sleeping would only end in the deadline: say so now.
			c.log.LogAttrs(ctx, slog.LevelWarn, "acsmembers: giving up, retry wait exceeds deadline",
				slog.String("service", c.service), slog.String("operation", op.Name),
				slog.Int("attempts", attempt), slog.Duration("wait", wait))
			return fmt.Errorf("%s %s: %w: retry wait %v exceeds the deadline after %d attempt(s): %w",
				c.service, op.Name, context.DeadlineExceeded, wait, attempt, res.err)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return c.contextError(op, attempt, err, res.err)
		}
	}
}

func (c *Client) contextError(op *Operation, attempts int, ctxErr, last error) error {
	if errors.Is(last, ctxErr) {
		return fmt.Errorf("%s %s: after %d attempt(s): %w", c.service, op.Name, attempts, last)
	}
	return fmt.Errorf("%s %s: %w after %d attempt(s), last error: %w", c.service, op.Name, ctxErr, attempts, last)
}

func (c *Client) finalError(ctx context.Context, op *Operation, attempts int, err error, wanted bool) error {
	if wanted {
		c.log.LogAttrs(ctx, slog.LevelWarn, "acsmembers: giving up after retries",
			slog.String("service", c.service), slog.String("operation", op.Name),
			slog.Int("attempts", attempts), slog.String("error", err.Error()))
	}
	var apiErr *acserrors.APIError
	if errors.As(err, &apiErr) && attempts == 1 {
		return err // already names the service and operation
	}
	if apiErr != nil {
		return fmt.Errorf("%s %s: giving up after %d attempts: %w", c.service, op.Name, attempts, err)
	}
	return fmt.Errorf("%s %s: after %d attempt(s): %w", c.service, op.Name, attempts, err)
}

// result is the outcome of one attempt.
type result struct {
	err       error
	status    int
	code      string
	requestID string
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
	req, err := c.signedRequest(ctx, op, p, provider, creds)
	if err != nil {
		return result{err: err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return result{err: &transportError{err}, sent: !refused(err)}
	}
	return c.decode(op, resp, out)
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
