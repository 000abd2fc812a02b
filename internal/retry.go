package internal

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// MaxRetryAfter is the longest server-requested wait the pipeline will sleep;
// beyond it the error is returned (with its RetryAfter) for the caller to decide.
const MaxRetryAfter = 30 * time.Second

// retryable decides whether a failed attempt is tried again and after how long
// (0: use backoff).
func (c *Client) retryable(op *Operation, res *result) (time.Duration, bool) {
	var apiErr *acserrors.APIError
	if errors.As(res.err, &apiErr) {
		switch {
		case isThrottle(apiErr):
			// Throttled calls were not executed: safe to repeat for every operation.
			return apiErr.RetryAfter, apiErr.RetryAfter <= MaxRetryAfter
		case apiErr.Code == "SignatureNonceUsed":
			// The gateway refused a copy it had seen (net/http re-sends an
			// idempotent request on a reused connection that closed, with
			// the same nonce). Nothing ran: re-sign and send again.
			return 0, true
		case strings.HasPrefix(apiErr.Code, "InvalidSecurityToken.Expired"):
			// Rejected before execution; a fresh token may fix it.
			if inv, ok := c.creds.(interface{ Invalidate() }); ok {
				inv.Invalidate()
				return 0, true
			}
			return 0, false
		case errors.Is(apiErr, acserrors.ErrServiceUnavailable):
			return apiErr.RetryAfter, op.Repeat == RepeatSafe && apiErr.RetryAfter <= MaxRetryAfter
		}
		return 0, false
	}
	var te *transportError
	if !errors.As(res.err, &te) {
		return 0, false // credentials, encoding, oversized or invalid 2xx body
	}
	if !res.sent {
		return 0, true // connection refused: nothing reached the server
	}
	return 0, op.Repeat == RepeatSafe && !permanent(res.err)
}

func isThrottle(e *acserrors.APIError) bool {
	return errors.Is(e, acserrors.ErrThrottled) || e.StatusCode == http.StatusTooManyRequests
}

// permanent reports transport failures that a retry cannot fix.
func permanent(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) || errors.As(err, &invalid)
}

func refused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// backoff is full-jitter exponential: uniform in [0, min(cap, base·2^(n-1))).
func (c *Client) backoff(attempt int) time.Duration {
	ceil := float64(c.backoffCap)
	if exp := float64(c.backoffBase) * math.Pow(2, float64(attempt-1)); exp < ceil {
		ceil = exp
	}
	return time.Duration(c.rand() * ceil)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// maxServerWait caps what a server may ask for. A longer wait is not slept
// anyway (see MaxRetryAfter); the cap keeps absurd values from overflowing
// time.Duration into tiny or negative waits.
const maxServerWait = 24 * time.Hour

// retryAfter reads the server's requested wait: x-acs-retry-after
// (milliseconds), Retry-After (seconds or an HTTP date), or the larger
// TimeLeft (milliseconds) of x-ratelimit-user-api / x-ratelimit-user.
// The result is in [0, maxServerWait].
func retryAfter(h http.Header) time.Duration {
	if d, ok := parseWait(h.Get("X-Acs-Retry-After"), time.Millisecond); ok {
		return d
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if d, ok := parseWait(v, time.Second); ok {
			return d
		}
		if t, err := http.ParseTime(v); err == nil {
			return min(max(time.Until(t), 0), maxServerWait)
		}
	}
	var best time.Duration
	for _, name := range []string{"X-Ratelimit-User-Api", "X-Ratelimit-User"} {
		if d := timeLeft(h.Get(name)); d > best {
			best = d
		}
	}
	return best
}

// parseWait reads a positive whole number of units. Values too large for
// any integer type are still waits, and long ones: they give maxServerWait
// rather than an overflow.
func parseWait(v string, unit time.Duration) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	switch {
	case err != nil: // only range errors remain: all digits
		return maxServerWait, true
	case n == 0:
		return 0, false
	case n > uint64(maxServerWait/unit):
		return maxServerWait, true
	}
	return time.Duration(n) * unit, true
}

// timeLeft parses "Limit:1,Remain:0,TimeLeft:2000,Reset:1234".
func timeLeft(v string) time.Duration {
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(part, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), "TimeLeft") {
			if d, ok := parseWait(val, time.Millisecond); ok {
				return d
			}
		}
	}
	return 0
}
