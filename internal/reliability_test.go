package internal

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// realSleep makes a testClient sleep with the pipeline's own timer.
func realSleep(cfg *Config) { cfg.Sleep = nil }

// TestDeadlineAgainstSlowServer: a caller's deadline ends a call whose
// server does not answer, on time, with an error matching
// context.DeadlineExceeded that says how many attempts were made.
func TestDeadlineAgainstSlowServer(t *testing.T) {
	const deadline = 200 * time.Millisecond
	cases := []struct {
		name     string
		script   []fault
		attempts int
	}{
		{"first attempt hangs", []fault{{kind: slow, delay: 10 * time.Second}}, 1},
		{"503, then a hanging attempt", []fault{{kind: unavail}, {kind: slow, delay: 10 * time.Second}}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFaultServer(t, tc.script...)
			c, _, doer := testClient(t, fs.URL, nil)
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			err := c.Do(ctx, opGet(), nil)
			elapsed := time.Since(start)

			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.GreaterOrEqual(t, elapsed, deadline-10*time.Millisecond)
			assert.Less(t, elapsed, deadline+300*time.Millisecond, "returned long after the deadline")
			assert.Contains(t, err.Error(), "pai GetMember")
			want := "(after 1 attempt)"
			if tc.attempts > 1 {
				want = fmt.Sprintf("(after %d attempts)", tc.attempts)
			}
			assert.Contains(t, err.Error(), want)
			assert.Equal(t, tc.attempts, int(doer.n.Load()))
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		})
	}
}

// TestCancelDuringBackoff: a call sleeping before its next attempt returns as
// soon as its context is cancelled, with the last service error reachable.
func TestCancelDuringBackoff(t *testing.T) {
	cases := []struct {
		name     string
		op       func() *Operation
		script   []fault
		mod      func(*Config)
		sentinel error
	}{
		{"throttled with Retry-After 10 s", opCreate, []fault{{kind: throttle, header: hdr("Retry-After", "10")}, {kind: serve}},
			realSleep, acserrors.ErrThrottled},
		{"503 with a 18 s backoff", opGet, []fault{{kind: unavail}, {kind: serve}},
			func(cfg *Config) {
				realSleep(cfg)
				cfg.BackoffBase, cfg.BackoffCap = 20*time.Second, 20*time.Second
				cfg.Rand = func() float64 { return 0.9 }
			}, acserrors.ErrServiceUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFaultServer(t, tc.script...)
			c, _, _ := testClient(t, fs.URL, tc.mod)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(50*time.Millisecond, cancel)
			start := time.Now()
			err := c.Do(ctx, tc.op(), nil)
			elapsed := time.Since(start)

			require.Error(t, err)
			assert.Less(t, elapsed, time.Second, "the backoff sleep ignored the cancellation")
			assert.ErrorIs(t, err, context.Canceled)
			assert.ErrorIs(t, err, tc.sentinel, "the last service error stays reachable")
			var apiErr *acserrors.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "req-1", apiErr.RequestID)
			assert.Regexp(t, `^pai \w+: HTTP \d+ .*; context canceled while waiting to retry$`, err.Error())
			assert.Equal(t, 1, fs.attempts(), "no attempt after the cancellation")
		})
	}
}

// TestRetryAfterBeyondDeadline: when the server asks for a wait longer than
// the caller has left, the call returns at once rather than sleep into the
// deadline, with DeadlineExceeded and the service's error both matchable.
func TestRetryAfterBeyondDeadline(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle, header: hdr("Retry-After", "10")}, fault{kind: serve})
	c, sl, _ := testClient(t, fs.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := c.Do(ctx, opCreate(), nil)
	elapsed := time.Since(start)

	require.Error(t, err)
	assert.Less(t, elapsed, 500*time.Millisecond)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, acserrors.ErrThrottled)
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 10*time.Second, apiErr.RetryAfter)
	assert.Equal(t, "Throttling.User", apiErr.Code)
	assert.Contains(t, err.Error(), "pai CreateMember")
	assert.Contains(t, err.Error(), "; context deadline exceeded: the retry wait of 10s would outlast the deadline")
	assert.Equal(t, 1, strings.Count(err.Error(), "pai CreateMember"), "one prefix")
	assert.Empty(t, sl.got(), "nothing slept")
	assert.Equal(t, 1, fs.attempts())
}

// TestDefaultHTTPClientTimeouts inspects the default client: every phase of
// an exchange is bounded, redirects are not followed.
func TestDefaultHTTPClientTimeouts(t *testing.T) {
	hc := NewHTTPClient()
	t.Cleanup(hc.CloseIdleConnections)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok, "transport is %T", hc.Transport)

	assert.Positive(t, ConnectTimeout)
	assert.Equal(t, TLSHandshakeTimeout, tr.TLSHandshakeTimeout)
	assert.Equal(t, ResponseHeaderTimeout, tr.ResponseHeaderTimeout)
	assert.Positive(t, tr.IdleConnTimeout)
	require.NotNil(t, tr.TLSClientConfig)
	assert.GreaterOrEqual(t, tr.TLSClientConfig.MinVersion, uint16(tls.VersionTLS12))
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64)
	require.NotNil(t, tr.DialContext, "the dialer carries the connect timeout")
	require.NotNil(t, hc.CheckRedirect)
	assert.ErrorIs(t, hc.CheckRedirect(nil, nil), http.ErrUseLastResponse)
}

// silentServer accepts TCP connections and reads whatever arrives but never
// answers. It returns its URL and the number of connections accepted.
func silentServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var accepted atomic.Int32
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(io.Discard, conn)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + l.Addr().String(), &accepted
}

// TestSilentServerWithBackgroundContext: with no deadline from the caller, a
// server that accepts the connection and never answers still fails the call,
// through the default sender's connection deadline (shortened here).
func TestSilentServerWithBackgroundContext(t *testing.T) {
	url, accepted := silentServer(t)
	c, sl, _ := testClient(t, url, func(cfg *Config) {
		cfg.HTTPClient = nil // the default client
		cfg.AttemptTimeout = 200 * time.Millisecond
		cfg.MaxAttempts = 2
	})

	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- c.Do(context.Background(), opGet(), nil) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a call with context.Background hung on a silent server")
	}
	elapsed := time.Since(start)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "pai GetMember: attempt timed out after 200ms")
	assert.Contains(t, err.Error(), "(after 2 attempts)")
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.Len(t, sl.got(), 1, "a timeout of a GET is retried once with MaxAttempts 2")
	assert.GreaterOrEqual(t, elapsed, 370*time.Millisecond, "two attempts, each failing after 15/16 of the timeout or more")
	assert.Less(t, elapsed, 2*time.Second)
	assert.Equal(t, int32(2), accepted.Load(), "each attempt on a fresh connection")
}

// countingProvider counts fetches; each takes a while so that concurrent
// first calls overlap.
type countingProvider struct {
	n     atomic.Int32
	delay time.Duration
	creds signer.Credentials
}

func (p *countingProvider) Retrieve(ctx context.Context) (signer.Credentials, error) {
	p.n.Add(1)
	select {
	case <-time.After(p.delay):
		return p.creds, nil
	case <-ctx.Done():
		return signer.Credentials{}, ctx.Err()
	}
}

// TestConcurrentCallsShareClient: 64 goroutines share one Client and one
// cached credentials provider against a server that throttles some
// requests. Every call succeeds, every request is signed with its own nonce,
// and the credentials are fetched once. Run with -race.
func TestConcurrentCallsShareClient(t *testing.T) {
	const callers = 64
	var script []fault
	throttles := 0
	for i := range 48 {
		if i%3 == 0 {
			script = append(script, fault{kind: throttle})
			throttles++
		} else {
			script = append(script, fault{kind: serve})
		}
	}
	script = append(script, fault{kind: serve})
	fs := newFaultServer(t, script...)
	src := &countingProvider{delay: 30 * time.Millisecond, creds: signer.Credentials{AccessKeyID: testAK, AccessKeySecret: testSecret}}
	c, sl, _ := testClient(t, fs.URL, func(cfg *Config) {
		cfg.Credentials = signer.CacheCredentials(src, time.Minute)
		cfg.MaxAttempts = throttles + 1 // even one caller meeting every throttle succeeds
	})

	ops := []func() *Operation{opGet, opCreate, opToken}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, callers)
	outs := make([]reply, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = c.Do(context.Background(), ops[i%len(ops)](), &outs[i])
		}()
	}
	close(start)
	wg.Wait()

	ids := map[string]bool{}
	for i := range callers {
		require.NoError(t, errs[i], "caller %d", i)
		assert.Equal(t, "ok", outs[i].Value)
		ids[outs[i].RequestID] = true
	}
	assert.Len(t, ids, callers, "every caller got its own reply")
	assert.Equal(t, int32(1), src.n.Load(), "concurrent first calls fetch the credentials once")

	reqs := fs.requireSigned(t)
	assert.Len(t, reqs, callers+throttles, "one request per call plus one per throttle")
	assert.Equal(t, callers+throttles, fs.attempts())
	assert.Zero(t, fs.replays())
	nonces := map[string]bool{}
	for _, s := range fs.requests() {
		nonces[s.nonce] = true
	}
	assert.Len(t, nonces, callers+throttles, "every request has a unique nonce")
	assert.Len(t, sl.got(), throttles, "one backoff per throttle")
}

// TestNoGoroutineLeaks: served, cancelled, dropped, timed-out and
// throttled-then-cancelled calls leave no goroutine behind once the idle
// connections are closed.
func TestNoGoroutineLeaks(t *testing.T) {
	ignore := goleak.IgnoreCurrent()

	fs := newFaultServer(t,
		fault{kind: serve},
		fault{kind: slow, delay: 10 * time.Second},
		fault{kind: drop},
		fault{kind: throttle, header: hdr("Retry-After", "10")},
		fault{kind: slow, delay: 10 * time.Second},
		fault{kind: serve},
	)
	c, _, doer := testClient(t, fs.URL, func(cfg *Config) {
		realSleep(cfg)
		cfg.Credentials = signer.CacheCredentials(signer.StaticCredentials(testAK, testSecret, ""), time.Minute)
	})
	cancelled := func(op *Operation) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		time.AfterFunc(50*time.Millisecond, cancel)
		return c.Do(ctx, op, nil)
	}

	require.NoError(t, c.Do(context.Background(), opGet(), nil), "served")
	require.ErrorIs(t, cancelled(opGet()), context.Canceled, "cancelled while the server is silent")
	err := c.Do(context.Background(), opCreate(), nil)
	require.True(t, isNetErr(err), "dropped connection: %v", err)
	require.ErrorIs(t, cancelled(opCreate()), context.Canceled, "cancelled during the backoff")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	require.ErrorIs(t, c.Do(ctx, opGet(), nil), context.DeadlineExceeded, "deadline while the server is silent")
	cancel()
	require.NoError(t, c.Do(context.Background(), opGet(), nil), "served after all that")
	assert.Equal(t, 6, int(doer.n.Load()))

	doer.hc.CloseIdleConnections()
	fs.Close()
	goleak.VerifyNone(t, ignore)
}

// TestCredentialsErrorIsNotRetried: a provider that fails ends the call at
// once, wrapped with the operation, and no request is sent.
func TestCredentialsErrorIsNotRetried(t *testing.T) {
	fs := newFaultServer(t)
	boom := errors.New("no credentials configured")
	c, sl, doer := testClient(t, fs.URL, func(cfg *Config) {
		cfg.Credentials = failingProvider{boom}
	})
	err := c.Do(context.Background(), opGet(), nil)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, "pai GetMember: credentials: no credentials configured (nothing was sent)", err.Error())
	assert.Zero(t, doer.n.Load())
	assert.Zero(t, fs.attempts())
	assert.Empty(t, sl.got())
}

type failingProvider struct{ err error }

func (p failingProvider) Retrieve(context.Context) (signer.Credentials, error) {
	return signer.Credentials{}, p.err
}
