package fake

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable time source for WithClock, safe to read from the
// server's goroutines while a test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// startWith serves a toy service with opts, its clock standing still at t0
// unless opts say otherwise.
func startWith(t *testing.T, opts ...Option) (*Core, string, *toy) {
	t.Helper()
	s := &toy{}
	c := New(s.service(), append([]Option{WithClock(func() time.Time { return t0 })}, opts...)...)
	srv := c.Start()
	t.Cleanup(srv.Close)
	return c, srv.URL, s
}

func echo(t *testing.T, c *Core, url string, key KeyPair, now time.Time) reply {
	t.Helper()
	return send(t, sign(t, build(t, http.MethodGet, url+"/echo", "Echo", "2000-01-01", nil), nil, key, now, ""))
}

func TestWithKeyAcceptsThatPairOnly(t *testing.T) {
	key := KeyPair{AccessKeyID: "LTAIfromenv", AccessKeySecret: "secret-from-env"}
	c, url, _ := startWith(t, WithKey(key))
	assert.Equal(t, key, c.Key())

	assert.Equal(t, http.StatusOK, echo(t, c, url, key, t0).status)
	got := echo(t, c, url, KeyPair{AccessKeyID: key.AccessKeyID, AccessKeySecret: "other"}, t0)
	assert.Equal(t, "SignatureDoesNotMatch", got.code())
	got = echo(t, c, url, NewKeyPair(), t0)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", got.code())
}

func TestWithKeyKeepsTheRandomPairForAnEmptyHalf(t *testing.T) {
	for _, key := range []KeyPair{{AccessKeyID: "LTAIx"}, {AccessKeySecret: "s"}, {}} {
		c, url, _ := startWith(t, WithKey(key))
		assert.NotEqual(t, key, c.Key())
		assert.NotEmpty(t, c.Key().AccessKeyID)
		assert.NotEmpty(t, c.Key().AccessKeySecret)
		assert.Equal(t, http.StatusOK, echo(t, c, url, c.Key(), t0).status, "the random pair still works")
	}
}

func TestRateLimitThrottlesAsTheGateway(t *testing.T) {
	clk := &clock{t: t0}
	c, url, s := startWith(t, WithClock(clk.Now), WithRateLimit(3))
	c.FailNext("Put", 503, "ServiceUnavailable")

	// The clock stands still, so the bucket holds exactly three requests.
	assert.Equal(t, 503, put(t, c, url, "X=1", t0).status, "FailNext plays on an allowed request")
	assert.Equal(t, 200, put(t, c, url, "ClientToken=T&X=1", t0).status)
	assert.Equal(t, 200, echo(t, c, url, c.Key(), t0).status)
	c.FailNext("Put", 500, "InternalError")
	for range 2 {
		for _, got := range []reply{put(t, c, url, "ClientToken=T&X=1", t0), echo(t, c, url, c.Key(), t0)} {
			assert.Equal(t, http.StatusBadRequest, got.status)
			assert.Equal(t, "Throttling.User", got.code())
			assert.Equal(t, "Request was denied due to user flow control.", got.doc["Message"])
			assert.Equal(t, got.header.Get("X-Acs-Request-Id"), got.doc["RequestId"])
			// A third of a second until the next token, rounded up to a millisecond.
			assert.Equal(t, "Limit:3,Remain:0,TimeLeft:334", got.header.Get("X-Ratelimit-User"))
		}
	}
	// Refused signatures never reach the limiter.
	bad := echo(t, c, url, KeyPair{AccessKeyID: c.Key().AccessKeyID, AccessKeySecret: "guess"}, t0)
	assert.Equal(t, "SignatureDoesNotMatch", bad.code())

	assert.Equal(t, 4, c.RequestCount("Put"), "throttled requests are counted")
	assert.Equal(t, 3, c.RequestCount("Echo"))
	assert.Equal(t, 4, c.ThrottledCount())
	assert.Equal(t, 1, s.count(), "throttled requests do not act")

	// A second later the bucket is full again, and holds no more than a
	// second's worth however long the wait; the queued fault plays now.
	clk.Add(time.Hour)
	assert.Equal(t, 500, put(t, c, url, "X=2", clk.Now()).status)
	for range 2 {
		assert.Equal(t, 200, echo(t, c, url, c.Key(), clk.Now()).status)
	}
	assert.Equal(t, "Throttling.User", echo(t, c, url, c.Key(), clk.Now()).code())
	assert.Equal(t, 5, c.ThrottledCount())
}

func TestNoRateLimitOrLatencyBelowOne(t *testing.T) {
	c, url, _ := startWith(t, WithRateLimit(0), WithLatency(-time.Second))
	for range 20 {
		require.Equal(t, http.StatusOK, echo(t, c, url, c.Key(), t0).status)
	}
	c, url, _ = startWith(t, WithRateLimit(1), WithRateLimit(-1))
	for range 5 {
		require.Equal(t, http.StatusOK, echo(t, c, url, c.Key(), t0).status, "the later option wins")
	}
	assert.Equal(t, 0, c.ThrottledCount())
}

func TestLatencyDelaysEveryAnswer(t *testing.T) {
	const d = 50 * time.Millisecond
	c, url, _ := startWith(t, WithLatency(d))
	for _, key := range []KeyPair{c.Key(), NewKeyPair()} {
		start := time.Now()
		echo(t, c, url, key, t0)
		assert.GreaterOrEqual(t, time.Since(start), d, "answers and errors alike wait")
	}
}

// With a latency far longer than the test, requests act, wait side by side
// (the wait holds no lock, or the second could not act), and stop waiting
// when their client goes away (or Close, which waits for every request,
// would hang).
func TestLatencyHoldsNoLockAndEndsWithTheClient(t *testing.T) {
	acted := make(chan string)
	svc := Service{
		Name: "slow", Product: "Slow", Versions: []string{"2000-01-01"}, Operations: []string{"Put"},
		Route: func(r *Request) (*Operation, error) {
			return &Operation{Name: "Put", Handle: func(r *Request) (any, error) {
				acted <- r.Params.Get("N")
				return map[string]any{"RequestId": r.RequestID}, nil
			}}, nil
		},
	}
	c := New(svc, WithLatency(time.Hour))
	srv := c.Start()
	ctx, cancel := context.WithCancel(t.Context())
	errs := make(chan error, 2)
	for _, n := range []string{"1", "2"} {
		r := sign(t, build(t, http.MethodPost, srv.URL+"/?N="+n, "Put", "2000-01-01", nil), nil, c.Key(), time.Now(), "")
		go func() {
			resp, err := http.DefaultClient.Do(r.WithContext(ctx))
			if err == nil {
				resp.Body.Close()
			}
			errs <- err
		}()
		require.Equal(t, n, <-acted)
	}
	cancel()
	for range 2 {
		assert.True(t, errors.Is(<-errs, context.Canceled))
	}

	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("requests kept waiting after their clients went away")
	}
}

// TestBurst: WithBurst narrows what passes at once, in either order with
// WithRateLimit; on a stopped clock exactly the burst passes.
func TestBurst(t *testing.T) {
	for name, opts := range map[string][]Option{
		"limit first": {WithRateLimit(10), WithBurst(2)},
		"burst first": {WithBurst(2), WithRateLimit(10)},
	} {
		t.Run(name, func(t *testing.T) {
			clk := &clock{t: t0}
			c, url, _ := startWith(t, append(opts, WithClock(clk.Now))...)
			assert.Equal(t, 200, echo(t, c, url, c.Key(), t0).status)
			assert.Equal(t, 200, echo(t, c, url, c.Key(), t0).status)
			assert.Equal(t, "Throttling.User", echo(t, c, url, c.Key(), t0).code())
			clk.Add(100 * time.Millisecond) // one token at 10/s
			assert.Equal(t, 200, echo(t, c, url, c.Key(), clk.Now()).status)
			assert.Equal(t, "Throttling.User", echo(t, c, url, c.Key(), clk.Now()).code())
		})
	}
}
