package internal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// syncBuffer is a bytes.Buffer safe for a handler and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines parses the JSON log lines written so far.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), "log line %q", l)
		out = append(out, m)
	}
	return out
}

// stsLoggedClient is a test client signing with STS credentials and logging
// JSON at Debug into the returned buffer.
func stsLoggedClient(t *testing.T, endpoint string, mod func(*Config)) (*Client, *syncBuffer, Config) {
	t.Helper()
	buf := &syncBuffer{}
	var used Config
	c, _, _ := testClient(t, endpoint, func(cfg *Config) {
		cfg.Credentials = signer.StaticCredentials(testAK, testSecret, testToken)
		cfg.Logger = slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		if mod != nil {
			mod(cfg)
		}
		used = *cfg
	})
	return c, buf, used
}

// signatures returns the Signature values of the Authorization headers the
// server received.
func signatures(t *testing.T, fs *faultServer) []string {
	t.Helper()
	var sigs []string
	for _, s := range fs.requests() {
		_, sig, ok := strings.Cut(s.auth, "Signature=")
		require.True(t, ok, "authorization %q", s.auth)
		require.Len(t, sig, 64)
		sigs = append(sigs, sig)
	}
	return sigs
}

// requireNoSecrets fails if any text carries the secret, the token or one of
// the request signatures.
func requireNoSecrets(t *testing.T, sigs []string, texts ...string) {
	t.Helper()
	secrets := append([]string{testSecret, testToken}, sigs...)
	for i, text := range texts {
		for _, s := range secrets {
			require.NotContains(t, text, s, "text %d leaks a secret", i)
		}
	}
}

// dumps prints values every way a user might: %v, %+v, %#v, %s.
func dumps(values ...any) string {
	var b strings.Builder
	for _, v := range values {
		fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n", v, v, v, v)
	}
	return b.String()
}

// TestLogOneDebugLinePerAttempt: a throttled-then-served call logs one Debug
// line per attempt with the documented keys, and nothing secret.
func TestLogOneDebugLinePerAttempt(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle}, fault{kind: serve})
	c, buf, cfg := stsLoggedClient(t, fs.URL, nil)
	var out reply
	require.NoError(t, c.Do(context.Background(), opToken(), &out))

	reqs := fs.requireSigned(t)
	require.Len(t, reqs, 2)
	assert.Equal(t, testToken, reqs[0].token, "the token was sent, so the test can see a leak")

	lines := buf.lines(t)
	require.Len(t, lines, 2, buf.String())
	want := []struct {
		status float64
		code   string
		reqID  string
	}{{400, "Throttling.User", "req-1"}, {200, "", "req-2"}}
	for i, l := range lines {
		assert.Equal(t, "DEBUG", l["level"])
		assert.Equal(t, "acsmembers: attempt", l["msg"])
		assert.Equal(t, "pai", l["service"])
		assert.Equal(t, "AddProjectMemberToRole", l["operation"])
		assert.Equal(t, float64(i+1), l["attempt"])
		assert.Equal(t, want[i].status, l["status"])
		assert.Equal(t, want[i].code, l["code"])
		assert.Equal(t, want[i].reqID, l["request_id"])
		require.Contains(t, l, "latency")
		lat, ok := l["latency"].(float64)
		require.True(t, ok, "latency %#v", l["latency"])
		assert.Greater(t, lat, 0.0)
		assert.Less(t, time.Duration(lat), 5*time.Second)
	}
	assert.Contains(t, lines[0]["error"], "Throttling.User")
	assert.NotContains(t, lines[1], "error")

	requireNoSecrets(t, signatures(t, fs), buf.String(), dumps(c, cfg, cfg.Credentials))
}

// TestLogWarnOnGivingUp: a call that runs out of attempts logs a Warn line,
// and neither the log nor the error, however printed, reveals a secret.
func TestLogWarnOnGivingUp(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle})
	c, buf, cfg := stsLoggedClient(t, fs.URL, func(cfg *Config) { cfg.MaxAttempts = 2 })
	err := c.Do(context.Background(), opCreate(), nil)
	require.ErrorIs(t, err, acserrors.ErrThrottled)

	lines := buf.lines(t)
	require.Len(t, lines, 3, buf.String())
	for i, l := range lines[:2] {
		assert.Equal(t, "DEBUG", l["level"])
		assert.Equal(t, float64(i+1), l["attempt"])
		assert.Equal(t, "Throttling.User", l["code"])
	}
	warn := lines[2]
	assert.Equal(t, "WARN", warn["level"])
	assert.Equal(t, "acsmembers: giving up after retries", warn["msg"])
	assert.Equal(t, "pai", warn["service"])
	assert.Equal(t, "CreateMember", warn["operation"])
	assert.Equal(t, float64(2), warn["attempts"])
	assert.Contains(t, warn["error"], "Throttling.User")

	var apiErr *acserrors.APIError
	require.True(t, errors.As(err, &apiErr))
	requireNoSecrets(t, signatures(t, fs), buf.String(), err.Error(), dumps(err, apiErr, c, cfg, cfg.Credentials))
}

// TestLogWarnWhenRetryWaitExceedsDeadline: giving up early because of the
// deadline is logged too.
func TestLogWarnWhenRetryWaitExceedsDeadline(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle, header: hdr("X-Acs-Retry-After", "5000")}, fault{kind: serve})
	c, buf, _ := stsLoggedClient(t, fs.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := c.Do(ctx, opGet(), nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	lines := buf.lines(t)
	require.Len(t, lines, 2, buf.String())
	assert.Equal(t, "DEBUG", lines[0]["level"])
	assert.Equal(t, "WARN", lines[1]["level"])
	assert.Equal(t, "acsmembers: giving up, retry wait exceeds deadline", lines[1]["msg"])
	assert.Equal(t, "GetMember", lines[1]["operation"])
	assert.Equal(t, float64(5*time.Second), lines[1]["wait"])
	requireNoSecrets(t, signatures(t, fs), buf.String(), dumps(err))
}

// TestLogTransportFailureHasNoSecrets: a dropped connection's error (which
// carries the URL) reveals nothing either.
func TestLogTransportFailureHasNoSecrets(t *testing.T) {
	fs := newFaultServer(t, fault{kind: drop})
	c, buf, _ := stsLoggedClient(t, fs.URL, nil)
	err := c.Do(context.Background(), opCreate(), nil)
	require.True(t, isNetErr(err), "%v", err)
	lines := buf.lines(t)
	require.Len(t, lines, 1, buf.String())
	assert.Equal(t, float64(0), lines[0]["status"])
	assert.NotEmpty(t, lines[0]["error"])
	requireNoSecrets(t, signatures(t, fs), buf.String(), dumps(err))
}

// TestLoggerNilIsSilent: without a Logger the pipeline writes nothing, and
// does not fall back to slog's default logger.
func TestLoggerNilIsSilent(t *testing.T) {
	oldLogger, oldOut, oldFlags := slog.Default(), log.Writer(), log.Flags()
	t.Cleanup(func() {
		slog.SetDefault(oldLogger)
		log.SetOutput(oldOut)
		log.SetFlags(oldFlags)
	})
	global := &syncBuffer{}
	slog.SetDefault(slog.New(slog.NewJSONHandler(global, &slog.HandlerOptions{Level: slog.LevelDebug})))

	fs := newFaultServer(t, fault{kind: throttle}, fault{kind: serve}, fault{kind: throttle})
	c, _, _ := testClient(t, fs.URL, func(cfg *Config) { cfg.MaxAttempts = 2 })
	require.NoError(t, c.Do(context.Background(), opGet(), nil))
	require.ErrorIs(t, c.Do(context.Background(), opGet(), nil), acserrors.ErrThrottled)
	assert.Equal(t, 4, fs.attempts())
	assert.Empty(t, global.String())
	assert.False(t, c.log.Enabled(context.Background(), slog.LevelError))
}
