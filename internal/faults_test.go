package internal

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// TestFaultMatrix runs every fault against every kind of operation and checks
// how many attempts reach the wire, which waits the pipeline asks for and
// what the caller gets back. The table is the retry policy of DESIGN.md.
func TestFaultMatrix(t *testing.T) {
	const ms = time.Millisecond
	var (
		ok      = fault{kind: serve}
		thr     = fault{kind: throttle}
		s503    = fault{kind: unavail}
		dropped = fault{kind: drop}
		reset   = fault{kind: dropEarly}
	)
	type row struct {
		name       string
		op         func() *Operation
		script     []fault
		refused    bool // no server: the port is closed
		attempts   int  // requests handed to the HTTP client
		replays    int  // copies the HTTP transport re-sent on its own (same nonce)
		sleeps     []time.Duration
		wantErr    func(error) bool // nil: success
		errHas     []string
		retryAfter time.Duration // APIError.RetryAfter of the final error
	}
	rows := []row{
		// Throttling: nothing was executed, so every kind of operation retries.
		{name: "throttled twice then served", op: opToken, script: []fault{thr, thr, ok}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms}},
		{name: "throttled twice then served", op: opCreate, script: []fault{thr, thr, ok}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms}},
		{name: "throttled twice then served", op: opGet, script: []fault{thr, thr, ok}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms}},
		{name: "throttled always", op: opCreate, script: []fault{thr}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: errIs(acserrors.ErrThrottled), errHas: []string{"pai CreateMember", "(after 3 attempts)", "Throttling.User"}},
		{name: "429 without a code", op: opCreate, script: []fault{{kind: status, code: 429, body: "slow down"}, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},

		// Server-requested waits are honoured exactly, for every header form.
		{name: "x-acs-retry-after 1500 ms", op: opCreate, script: []fault{{kind: throttle, header: hdr("X-Acs-Retry-After", "1500")}, ok}, attempts: 2, sleeps: []time.Duration{1500 * ms}},
		{name: "Retry-After 2 s", op: opCreate, script: []fault{{kind: throttle, header: hdr("Retry-After", "2")}, ok}, attempts: 2, sleeps: []time.Duration{2 * time.Second}},
		{name: "x-ratelimit-user-api TimeLeft", op: opCreate, script: []fault{{kind: throttle, header: hdr("X-Ratelimit-User-Api", "Limit:1,Remain:0,TimeLeft:2000,Reset:1")}, ok}, attempts: 2, sleeps: []time.Duration{2 * time.Second}},
		{name: "larger TimeLeft of both ratelimit headers", op: opCreate, script: []fault{{kind: throttle, header: hdr("X-Ratelimit-User-Api", "Limit:1,Remain:0,TimeLeft:700,Reset:1", "X-Ratelimit-User", "Limit:9,Remain:0,TimeLeft:1200,Reset:1")}, ok}, attempts: 2, sleeps: []time.Duration{1200 * ms}},
		{name: "Retry-After beyond MaxRetryAfter", op: opCreate, script: []fault{{kind: throttle, header: hdr("X-Acs-Retry-After", "60000")}, ok}, attempts: 1,
			wantErr: errIs(acserrors.ErrThrottled), errHas: []string{"pai CreateMember", "Throttling.User"}, retryAfter: time.Minute},
		{name: "503 with Retry-After", op: opGet, script: []fault{{kind: unavail, header: hdr("Retry-After", "1")}, ok}, attempts: 2, sleeps: []time.Duration{time.Second}},

		// 5xx and broken connections: only operations safe to repeat retry.
		{name: "503 then served", op: opGet, script: []fault{s503, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "503 then served", op: opToken, script: []fault{s503, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "503", op: opCreate, script: []fault{s503, ok}, attempts: 1,
			wantErr: errIs(acserrors.ErrServiceUnavailable), errHas: []string{"pai CreateMember", "HTTP 503", "ServiceUnavailable"}},
		{name: "500 InternalError then served", op: opToken, script: []fault{{kind: status, code: 500, body: `{"Code":"InternalError","Message":"x"}`}, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "503 always", op: opGet, script: []fault{s503}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: errIs(acserrors.ErrServiceUnavailable), errHas: []string{"pai GetMember", "(after 3 attempts)"}},
		{name: "dropped connection then served", op: opGet, script: []fault{dropped, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "dropped connection then served", op: opToken, script: []fault{dropped, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "dropped connection", op: opCreate, script: []fault{dropped, ok}, attempts: 1,
			wantErr: isNetErr, errHas: []string{"pai CreateMember", "(after 1 attempt)"}},
		{name: "reset after headers then served", op: opGet, script: []fault{reset, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "reset after headers then served", op: opToken, script: []fault{reset, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "reset after headers", op: opCreate, script: []fault{reset, ok}, attempts: 1,
			wantErr: isNetErr, errHas: []string{"pai CreateMember", "(after 1 attempt)"}},
		// net/http silently re-sends a GET whose reused connection closed
		// before a response, with the same nonce; the gateway rejects that
		// copy as SignatureNonceUsed, which the pipeline re-signs and retries.
		{name: "503, dropped, served", op: opGet, script: []fault{s503, dropped, ok}, attempts: 3, replays: 1, sleeps: []time.Duration{50 * ms, 100 * ms}},
		{name: "SignatureNonceUsed then served", op: opCreate, script: []fault{{kind: status, code: 400, body: `{"Code":"SignatureNonceUsed","Message":"used"}`}, ok}, attempts: 2, sleeps: []time.Duration{50 * ms}},
		{name: "dropped always", op: opToken, script: []fault{dropped}, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: isNetErr, errHas: []string{"pai AddProjectMemberToRole", "(after 3 attempts)"}},

		// Errors a repeat cannot fix are returned at once.
		{name: "400 InvalidParameter", op: opToken, script: []fault{{kind: status, code: 400, body: `{"Code":"InvalidParameter","Message":"bad"}`}, ok}, attempts: 1,
			wantErr: errIs(acserrors.ErrInvalidParameter), errHas: []string{"pai AddProjectMemberToRole", "InvalidParameter"}},
		{name: "403 Forbidden.RAM", op: opGet, script: []fault{{kind: status, code: 403, body: `{"Code":"Forbidden.RAM","Message":"no"}`}, ok}, attempts: 1,
			wantErr: errIs(acserrors.ErrAccessDenied), errHas: []string{"pai GetMember", "Forbidden.RAM"}},

		// A refused connection sent nothing: every operation retries.
		{name: "connection refused", op: opGet, refused: true, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: isNetErr, errHas: []string{"pai GetMember", "(after 3 attempts)", "refused"}},
		{name: "connection refused", op: opToken, refused: true, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: isNetErr, errHas: []string{"pai AddProjectMemberToRole", "(after 3 attempts)", "refused"}},
		{name: "connection refused", op: opCreate, refused: true, attempts: 3, sleeps: []time.Duration{50 * ms, 100 * ms},
			wantErr: isNetErr, errHas: []string{"pai CreateMember", "(after 3 attempts)", "refused"}},
	}

	var matrix strings.Builder
	fmt.Fprintf(&matrix, "\n%-42s %-24s %-6s %-8s %-7s %-18s %s\n", "fault", "operation", "repeat", "attempts", "replays", "waits", "outcome")
	for _, r := range rows {
		op := r.op()
		t.Run(r.name+"/"+op.Name, func(t *testing.T) {
			var fs *faultServer
			endpoint := ""
			if r.refused {
				endpoint = closedAddr(t)
			} else {
				fs = newFaultServer(t, r.script...)
				endpoint = fs.URL
			}
			c, sl, doer := testClient(t, endpoint, nil)
			var out reply
			err := c.Do(context.Background(), op, &out)

			assert.Equal(t, r.attempts, int(doer.n.Load()), "attempts handed to the HTTP client")
			if fs != nil {
				assert.Equal(t, r.attempts+r.replays, fs.attempts(), "requests that reached the server")
				assert.Equal(t, r.replays, fs.replays(), "requests re-sent by the transport with a used nonce")
				reqs := fs.requireSigned(t)
				assert.Len(t, reqs, r.attempts, "every pipeline attempt has a fresh nonce")
				for _, s := range reqs[1:] {
					assert.Equal(t, reqs[0].query, s.query, "every attempt sends the same query")
					assert.Equal(t, reqs[0].body, s.body, "every attempt sends the same body")
					assert.Equal(t, reqs[0].clientToken, s.clientToken)
				}
			}
			assert.Equal(t, r.sleeps, sl.got(), "requested waits")

			outcome := "ok"
			if r.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, "ok", out.Value)
				assert.Equal(t, fmt.Sprintf("req-%d", r.attempts), out.RequestID)
			} else {
				require.Error(t, err)
				assert.True(t, r.wantErr(err), "unexpected error identity: %v", err)
				for _, s := range r.errHas {
					assert.Contains(t, err.Error(), s)
				}
				var apiErr *acserrors.APIError
				if errors.As(err, &apiErr) {
					assert.Equal(t, r.retryAfter, apiErr.RetryAfter)
					outcome = fmt.Sprintf("APIError %d %s", apiErr.StatusCode, apiErr.Code)
				} else {
					outcome = "net.Error"
				}
			}
			repeat := map[Repeat]string{RepeatNever: "never", RepeatSafe: "safe"}[op.Repeat]
			fmt.Fprintf(&matrix, "%-42s %-24s %-6s %-8d %-7d %-18s %s\n", r.name, op.Name, repeat, r.attempts, r.replays, fmt.Sprint(r.sleeps), outcome)
		})
	}
	t.Log(matrix.String())
}

// TestThrottledRetryKeepsClientTokenAndResigns checks the idempotency
// contract in detail: the same ClientToken and body on every attempt, each
// attempt signed afresh with a new nonce and its own date.
func TestThrottledRetryKeepsClientTokenAndResigns(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle}, fault{kind: throttle}, fault{kind: serve})
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c, _, _ := testClient(t, fs.URL, func(cfg *Config) {
		cfg.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	})
	var out reply
	require.NoError(t, c.Do(context.Background(), opToken(), &out))
	reqs := fs.requireSigned(t)
	require.Len(t, reqs, 3)
	dates := map[string]bool{}
	for _, s := range reqs {
		assert.Equal(t, "3f0e4a44-6a1b-4c1e-9a7e-1f2d3c4b5a69", s.clientToken)
		assert.Equal(t, "ClientToken=3f0e4a44-6a1b-4c1e-9a7e-1f2d3c4b5a69&ProjectId=7&RoleCode=role_project_dev&UserId=u1", s.query)
		assert.Equal(t, http.MethodPost, s.method)
		assert.Equal(t, "/", s.path)
		dates[s.date] = true
	}
	assert.Len(t, dates, 3, "each attempt carries its own x-acs-date")
	assert.Equal(t, "req-3", out.RequestID)
}

// TestBackoffFullJitter checks the backoff schedule with injected Rand:
// rand × min(cap, base·2^(n-1)).
func TestBackoffFullJitter(t *testing.T) {
	const ms = time.Millisecond
	cases := []struct {
		name       string
		rand       float64
		base, cap_ time.Duration
		want       []time.Duration
	}{
		{"defaults, half", 0.5, 0, 0, []time.Duration{50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms}},
		{"capped", 0.5, 100 * ms, 300 * ms, []time.Duration{50 * ms, 100 * ms, 150 * ms, 150 * ms, 150 * ms}},
		{"zero jitter retries at once", 0, 0, 0, []time.Duration{0, 0, 0, 0, 0}},
		{"near one stays below the ceiling", 0.999, 100 * ms, 5 * time.Second, []time.Duration{99900 * time.Microsecond, 199800 * time.Microsecond, 399600 * time.Microsecond, 799200 * time.Microsecond, 1598400 * time.Microsecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFaultServer(t, fault{kind: throttle})
			c, sl, _ := testClient(t, fs.URL, func(cfg *Config) {
				cfg.MaxAttempts = 6
				cfg.Rand = func() float64 { return tc.rand }
				cfg.BackoffBase, cfg.BackoffCap = tc.base, tc.cap_
			})
			err := c.Do(context.Background(), opGet(), nil)
			require.ErrorIs(t, err, acserrors.ErrThrottled)
			assert.Equal(t, 6, fs.attempts())
			assert.Equal(t, tc.want, sl.got())
		})
	}
	t.Run("default cap is 5s", func(t *testing.T) {
		fs := newFaultServer(t, fault{kind: throttle})
		c, sl, _ := testClient(t, fs.URL, func(cfg *Config) {
			cfg.MaxAttempts = 10
			cfg.Rand = func() float64 { return 0.5 }
		})
		require.Error(t, c.Do(context.Background(), opGet(), nil))
		waits := sl.got()
		require.Len(t, waits, 9)
		assert.Equal(t, 2500*time.Millisecond, waits[8])
	})
}

// TestMaxAttemptsOne: no retry at all, even for throttling.
func TestMaxAttemptsOne(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle}, fault{kind: serve})
	c, sl, _ := testClient(t, fs.URL, func(cfg *Config) { cfg.MaxAttempts = 1 })
	err := c.Do(context.Background(), opGet(), nil)
	require.ErrorIs(t, err, acserrors.ErrThrottled)
	assert.Equal(t, 1, fs.attempts())
	assert.Empty(t, sl.got())
}
