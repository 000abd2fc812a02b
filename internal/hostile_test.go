package internal

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// drippingServer answers every request one byte at a time, a byte every
// interval, for as long as the client listens: in the headers when
// inHeaders, otherwise after complete headers, in the body.
func drippingServer(t *testing.T, interval time.Duration, inHeaders bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				head := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
				drip := head + `{"RequestId":"` + strings.Repeat("a", 999980)
				if !inHeaders {
					if _, err := conn.Write([]byte(head)); err != nil {
						return
					}
					drip = drip[len(head):]
				}
				// Bounded: at most 10 s of dripping, then the server gives up.
				for i := 0; i < len(drip) && i < int(10*time.Second/interval); i++ {
					select {
					case <-stop:
						return
					case <-time.After(interval):
					}
					if _, err := conn.Write([]byte{drip[i]}); err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { close(stop); l.Close(); <-done })
	return "http://" + l.Addr().String()
}

// TestAttemptTimeoutBoundsDrippingServer: a server that keeps sending a byte
// now and then, in its headers or in its body, cannot hold a call made with
// context.Background: AttemptTimeout ends each attempt.
func TestAttemptTimeoutBoundsDrippingServer(t *testing.T) {
	for _, inHeaders := range []bool{true, false} {
		t.Run(fmt.Sprintf("in headers %v", inHeaders), func(t *testing.T) {
			url := drippingServer(t, 20*time.Millisecond, inHeaders)
			c, _, _ := testClient(t, url, func(cfg *Config) {
				cfg.HTTPClient = nil // the default client
				cfg.AttemptTimeout = 300 * time.Millisecond
				cfg.MaxAttempts = 2
			})
			start := time.Now()
			err := c.Do(context.Background(), opGet(), nil)
			elapsed := time.Since(start)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Contains(t, err.Error(), "pai GetMember: attempt timed out after 300ms")
			assert.Contains(t, err.Error(), "(after 2 attempts)", "a timed-out GET is retried")
			assert.GreaterOrEqual(t, elapsed, 600*time.Millisecond)
			assert.Less(t, elapsed, 3*time.Second)
		})
	}
}

// TestRedirectsAreNeverFollowed: any 3xx from the endpoint is an error naming
// the status and the Location, and nothing reaches the host it names: with
// the default client, with a caller's plain *http.Client (left unmodified),
// and with a caller's HTTPDoer that is not an *http.Client.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, 200, `{"RequestId":"other","Value":"stolen"}`)
	}))
	t.Cleanup(other.Close)
	target := other.URL + "/collect?x=1"

	callers := map[string]func() (HTTPDoer, func(*testing.T)){
		"default client": func() (HTTPDoer, func(*testing.T)) { return nil, func(*testing.T) {} },
		"plain http.Client": func() (HTTPDoer, func(*testing.T)) {
			hc := &http.Client{}
			return hc, func(t *testing.T) { assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified") }
		},
		"following http.Client": func() (HTTPDoer, func(*testing.T)) {
			follow := func(*http.Request, []*http.Request) error { return nil }
			hc := &http.Client{CheckRedirect: follow}
			return hc, func(t *testing.T) { assert.NotNil(t, hc.CheckRedirect) }
		},
		"custom doer": func() (HTTPDoer, func(*testing.T)) {
			return doerFunc(http.DefaultTransport.RoundTrip), func(*testing.T) {}
		},
	}
	for _, code := range []int{301, 302, 303, 307, 308} {
		for name, mk := range callers {
			t.Run(fmt.Sprintf("%d %s", code, name), func(t *testing.T) {
				var hits atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					http.Redirect(w, r, target, code)
				}))
				t.Cleanup(srv.Close)
				doer, check := mk()
				c, _, _ := testClient(t, srv.URL, func(cfg *Config) { cfg.HTTPClient = doer })
				for _, op := range []*Operation{opCreate(), opGet()} {
					var out reply
					err := c.Do(context.Background(), op, &out)
					require.Error(t, err)
					var apiErr *acserrors.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, code, apiErr.StatusCode)
					assert.Contains(t, err.Error(), fmt.Sprintf("HTTP %d", code))
					assert.Contains(t, err.Error(), target)
					assert.Contains(t, err.Error(), "redirects are not followed")
					assert.Empty(t, out.Value)
				}
				assert.Equal(t, int32(2), hits.Load(), "one attempt each: a 3xx is not retried")
				assert.Zero(t, elsewhere.Load(), "nothing reached the redirect target")
				check(t)
			})
		}
	}
}

// TestServerWaitsThatOverflow: waits too large for time.Duration, or for
// any integer, are long waits: the call returns at once with ErrThrottled
// and a positive, clamped RetryAfter, rather than retrying immediately.
func TestServerWaitsThatOverflow(t *testing.T) {
	cases := []http.Header{
		hdr("Retry-After", "18446744074"),
		hdr("Retry-After", "99999999999999999999"),
		hdr("Retry-After", "9223372036854775807"),
		hdr("X-Acs-Retry-After", "9223372036854775807"),
		hdr("X-Acs-Retry-After", "99999999999999999999999999"),
		hdr("X-Ratelimit-User-Api", "Limit:1,Remain:0,TimeLeft:9223372036854775807,Reset:1"),
		hdr("X-Ratelimit-User", "Limit:1,Remain:0,TimeLeft:99999999999999999999,Reset:1"),
		hdr("Retry-After", "31"),
	}
	for _, h := range cases {
		t.Run(fmt.Sprint(h), func(t *testing.T) {
			fs := newFaultServer(t, fault{kind: throttle, header: h}, fault{kind: serve})
			c, sl, _ := testClient(t, fs.URL, nil)
			err := c.Do(context.Background(), opGet(), nil)
			require.ErrorIs(t, err, acserrors.ErrThrottled)
			var apiErr *acserrors.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Greater(t, apiErr.RetryAfter, MaxRetryAfter)
			assert.LessOrEqual(t, apiErr.RetryAfter, maxServerWait)
			assert.Equal(t, 1, fs.attempts(), "not retried")
			assert.Empty(t, sl.got(), "nothing slept")
		})
	}
}

// TestParseWait pins the header arithmetic.
func TestParseWait(t *testing.T) {
	for _, tc := range []struct {
		v    string
		unit time.Duration
		want time.Duration
		ok   bool
	}{
		{"1500", time.Millisecond, 1500 * time.Millisecond, true},
		{" 2 ", time.Second, 2 * time.Second, true},
		{"0", time.Second, 0, false},
		{"-5", time.Second, 0, false},
		{"1e9", time.Second, 0, false},
		{"", time.Second, 0, false},
		{"86400", time.Second, maxServerWait, true},
		{"86401", time.Second, maxServerWait, true},
		{"18446744074", time.Second, maxServerWait, true},
		{"184467440740000000000000", time.Millisecond, maxServerWait, true},
	} {
		got, ok := parseWait(tc.v, tc.unit)
		assert.Equal(t, tc.ok, ok, tc.v)
		assert.Equal(t, tc.want, got, tc.v)
	}
}

// TestServerStringsAreCleaned: whatever a server puts in a request ID, code,
// message, host ID or recommendation reaches errors as one short line with
// no control characters, on every status path.
func TestServerStringsAreCleaned(t *testing.T) {
	forged := strings.Repeat("x", 100<<10) + "\n2026-01-01 level=INFO msg=forged\x1b[31m\u202e\r\x00"
	js := func(s string) string { b, _ := MarshalJSON(s); return string(b) }
	errorDoc := `{"RequestId":` + js(forged) + `,"HostId":` + js(forged) + `,"Code":` + js("Bad\nCode\x1b") +
		`,"Message":` + js(forged) + `,"Recommend":` + js(forged) + `}`
	cases := map[string]fault{
		"2xx with an error code": {kind: status, code: 200, body: `{"RequestId":` + js(forged) + `,"Code":"100600017","Message":` + js(forged) + `}`},
		"4xx JSON document":      {kind: status, code: 400, body: errorDoc},
		"5xx JSON document":      {kind: status, code: 500, body: errorDoc},
		"4xx text body":          {kind: status, code: 403, body: forged},
		"header request id":      {kind: status, code: 404, body: "", header: hdr("X-Acs-Request-Id", "id\u202e"+strings.Repeat("y", 5000)+"\u0085")},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			fs := newFaultServer(t, f)
			c, _, _ := testClient(t, fs.URL, nil)
			op := opGet()
			op.ErrorInBody = true
			err := c.Do(context.Background(), op, nil)
			require.Error(t, err)
			msg := err.Error()
			assert.Less(t, len(msg), 2000, "bounded")
			assert.NotContains(t, msg, "\n")
			assert.NotContains(t, msg, "\r")
			assert.NotContains(t, msg, "\x1b")
			assert.NotContains(t, msg, "\x00")
			assert.NotContains(t, msg, "\u202e")
			var apiErr *acserrors.APIError
			require.ErrorAs(t, err, &apiErr)
			for field, v := range map[string]string{"RequestID": apiErr.RequestID, "HostID": apiErr.HostID, "Code": apiErr.Code,
				"Message": apiErr.Message, "Recommend": apiErr.Recommend} {
				assert.LessOrEqual(t, len(v), 1024, field)
				assert.Equal(t, clean(v, 1<<20), v, "%s is clean", field)
			}
		})
	}
}

// TestNilContext: a nil context is an error, as net/http makes it, and
// nothing is sent.
func TestNilContext(t *testing.T) {
	fs := newFaultServer(t)
	c, _, doer := testClient(t, fs.URL, nil)
	//lint:ignore SA1012 the point is a careless caller's nil context
	err := c.Do(nil, opGet(), nil) //nolint:staticcheck
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pai GetMember: nil context")
	var n int
	//lint:ignore SA1012 the point is a careless caller's nil context
	for _, err := range Paginate(nil, "pai ListAllMembers", 1, 10, 5, func(ctx context.Context, number, size int) ([]int, int, error) { //nolint:staticcheck
		return nil, 0, c.Do(ctx, opGet(), nil)
	}) {
		n++
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nil context")
	}
	assert.Equal(t, 1, n)
	assert.Zero(t, doer.n.Load())
	assert.Zero(t, fs.attempts())
}

// TestUserAgentMustBeAHeaderValue: a User-Agent that cannot be sent is
// refused by New, not by every call.
func TestUserAgentMustBeAHeaderValue(t *testing.T) {
	for _, ua := range []string{"app\r\nX-Evil: 1", "app\n", "app\x00", "app\x7f", "a\x1b[31m"} {
		_, err := New(Config{Service: "pai", Endpoint: "http://127.0.0.1:1", Credentials: failingProvider{}, UserAgent: ua})
		require.Error(t, err, "%q", ua)
		assert.Contains(t, err.Error(), "UserAgent")
	}
	for _, ua := range []string{"", "my-app/1.2 (team\tx)", "café/1"} {
		_, err := New(Config{Service: "pai", Endpoint: "http://127.0.0.1:1", Credentials: failingProvider{}, UserAgent: ua})
		require.NoError(t, err, "%q", ua)
	}
}
