package fake

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var requestIDRE = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

func TestServeAnswersWithDecodedRequest(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	r := sign(t, build(t, http.MethodGet, srv.URL+"/echo/a%2Fb/%E5%90%8D%E5%AD%97/x%3Fy%23z%26w%2Bv/..?Q=a%20b%2Bc&Z=", "Echo", "2000-01-01", nil),
		nil, c.Key(), now, "")
	got := send(t, r)

	require.Equal(t, http.StatusOK, got.status, "%s", got.raw)
	assert.Equal(t, ContentType, got.header.Get("Content-Type"))
	id := got.header.Get("X-Acs-Request-Id")
	assert.Regexp(t, requestIDRE, id)
	assert.Equal(t, id, got.doc["RequestId"])
	assert.Equal(t, []any{"echo", "a/b", "名字", "x?y#z&w+v", ".."}, got.doc["Segments"])
	assert.Equal(t, map[string]any{"Q": []any{"a b+c"}, "Z": []any{""}}, got.doc["Params"])
	assert.Equal(t, now.Format(time.RFC3339), got.doc["Now"])
	assert.Equal(t, 1, c.RequestCount("Echo"))
}

func TestServeReadsFormBodies(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	body := []byte("UserId=a+b&ProjectId=27")
	r := build(t, http.MethodPost, srv.URL+"/echo?Q=1", "Echo", "2000-01-01", body)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got := send(t, sign(t, r, body, c.Key(), now, ""))
	require.Equal(t, http.StatusOK, got.status, "%s", got.raw)
	assert.Equal(t, map[string]any{"Q": []any{"1"}, "UserId": []any{"a b"}, "ProjectId": []any{"27"}}, got.doc["Params"])
}

func TestServeErrorDocument(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	r := sign(t, build(t, http.MethodGet, srv.URL+"/nowhere", "Echo", "2000-01-01", nil), nil, c.Key(), now, "")
	got := send(t, r)

	assert.Equal(t, http.StatusNotFound, got.status)
	assert.Equal(t, ContentType, got.header.Get("Content-Type"))
	id := got.header.Get("X-Acs-Request-Id")
	assert.Regexp(t, requestIDRE, id)
	host := strings.TrimPrefix(srv.URL, "http://")
	assert.Equal(t, map[string]any{
		"RequestId": id, "HostId": host, "Code": "InvalidAction.NotFound", "Message": "no such operation",
		"Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=Toy&requestId=" + id,
	}, got.doc)
	// The keys come in the gateway's order.
	assert.True(t, bytes.HasPrefix(got.raw, []byte(`{"RequestId":"`+id+`","HostId":"`+host+`","Code":`)), "%s", got.raw)
}

func TestServeRefusesBeforeRouting(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	for _, tc := range []struct {
		name, path, action, version string
		status                      int
		code                        string
	}{
		{"other version", "/echo", "Echo", "1999-01-01", 400, "InvalidVersion"},
		{"action not matching the path", "/echo", "Put", "2000-01-01", 404, "InvalidAction.NotFound"},
		{"unknown action", "/", "Nothing", "2000-01-01", 404, "InvalidAction.NotFound"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := send(t, sign(t, build(t, http.MethodGet, srv.URL+tc.path, tc.action, tc.version, nil), nil, c.Key(), now, ""))
			assert.Equal(t, tc.status, got.status)
			assert.Equal(t, tc.code, got.code(), "%s", got.raw)
		})
	}
	assert.Equal(t, 0, c.RequestCount("Echo"), "refused requests reach no operation")
}

func TestServeRefusesBadSignatures(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	wrong := KeyPair{AccessKeyID: c.Key().AccessKeyID, AccessKeySecret: "guess"}
	got := send(t, sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, wrong, now, ""))
	assert.Equal(t, 400, got.status)
	assert.Equal(t, "SignatureDoesNotMatch", got.code())
	assert.NotContains(t, string(got.raw), c.Key().AccessKeySecret)
	assert.Equal(t, 0, c.RequestCount("Echo"))
}

func TestServeRefusesReplayedNonce(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	first := sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, c.Key(), now, "nonce-1")
	again := first.Clone(first.Context())

	assert.Equal(t, http.StatusOK, send(t, first).status)
	got := send(t, again)
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Equal(t, "SignatureNonceUsed", got.code())
	assert.Equal(t, 1, c.RequestCount("Echo"), "the replay never ran")

	// A refused signature does not spend its nonce.
	bad := sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil,
		KeyPair{AccessKeyID: c.Key().AccessKeyID, AccessKeySecret: "guess"}, now, "nonce-2")
	assert.Equal(t, "SignatureDoesNotMatch", send(t, bad).code())
	good := sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, c.Key(), now, "nonce-2")
	assert.Equal(t, http.StatusOK, send(t, good).status)
}

func TestNonceStoreForgetsAfterTheWindow(t *testing.T) {
	s := newNonceStore(100)
	exp := t0.Add(MaxSkew)
	assert.True(t, s.use("n", exp, t0))
	assert.False(t, s.use("n", exp, t0.Add(time.Minute)))
	assert.False(t, s.use("n", exp, exp), "still inside the window at its edge")
	assert.True(t, s.use("other", t0.Add(40*time.Minute), t0.Add(16*time.Minute)), "expired entries are purged on the way")
	assert.Equal(t, 1, s.len(), "n was forgotten once its window passed")
	assert.True(t, s.use("n", t0.Add(40*time.Minute), t0.Add(16*time.Minute)), "n may be used again after its window")
	assert.False(t, s.use("n", t0.Add(40*time.Minute), t0.Add(17*time.Minute)))
}

func TestNonceStoreIsBounded(t *testing.T) {
	s := newNonceStore(3)
	exp := t0.Add(MaxSkew)
	for i := range 10 {
		require.True(t, s.use(fmt.Sprint("n", i), exp, t0))
		assert.LessOrEqual(t, s.len(), 3)
	}
	assert.False(t, s.use("n9", exp, t0), "the newest are remembered")
	assert.Less(t, len(s.queue), 10, "the queue is compacted")
}

func TestFailNextQueuesPerOperation(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	c.FailNext("Echo", 503, "ServiceUnavailable")
	c.FailNext("Echo", 400, "Throttling.User")
	echo := func() reply {
		return send(t, sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, c.Key(), now, ""))
	}

	got := echo()
	assert.Equal(t, 503, got.status)
	assert.Equal(t, "ServiceUnavailable", got.code())
	assert.Equal(t, got.header.Get("X-Acs-Request-Id"), got.doc["RequestId"])
	got = echo()
	assert.Equal(t, 400, got.status)
	assert.Equal(t, "Throttling.User", got.code())
	assert.Equal(t, 200, echo().status, "each fault is used once")
	assert.Equal(t, 3, c.RequestCount("Echo"))
	assert.Equal(t, 0, c.RequestCount("Put"))
}

func TestFailNextRejectsTypos(t *testing.T) {
	now := t0
	c, _, _ := startToy(t, now)
	assert.PanicsWithValue(t, `toy: FailNext: unknown operation "Ecco" (known: Echo, Put, Broken)`, func() { c.FailNext("Ecco", 500, "InternalError") })
	assert.Panics(t, func() { c.FailNext("Echo", 42, "X") })
	assert.Panics(t, func() { c.RequestCount("Ecco") })
}

func TestServeReportsHandlerFailures(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	got := send(t, sign(t, build(t, http.MethodPost, srv.URL+"/", "Broken", "2000-01-01", nil), nil, c.Key(), now, ""))
	assert.Equal(t, 500, got.status)
	assert.Equal(t, "InternalError", got.code())
}

func TestServeRefusesHugeBodies(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	body := bytes.Repeat([]byte("x"), maxBodyBytes+1)
	got := send(t, sign(t, build(t, http.MethodPost, srv.URL+"/echo", "Echo", "2000-01-01", body), body, c.Key(), now, ""))
	assert.Equal(t, http.StatusRequestEntityTooLarge, got.status)
}

// put sends the toy's idempotent Put with the given query.
func put(t *testing.T, c *Core, url, query string, now time.Time) reply {
	t.Helper()
	return send(t, sign(t, build(t, http.MethodPost, url+"/?"+query, "Put", "2000-01-01", nil), nil, c.Key(), now, ""))
}

func TestClientTokenReplaysTheFirstReply(t *testing.T) {
	now := t0
	c, srv, s := startToy(t, now)

	first := put(t, c, srv.URL, "ClientToken=T1&X=1", now)
	require.Equal(t, 200, first.status)
	again := put(t, c, srv.URL, "X=1&ClientToken=T1", now)
	assert.Equal(t, 200, again.status)
	assert.Equal(t, first.raw, again.raw, "same body, same RequestId")
	assert.Equal(t, first.header.Get("X-Acs-Request-Id"), again.header.Get("X-Acs-Request-Id"))
	assert.Equal(t, 1, s.count(), "acted once")
	assert.Equal(t, 2, c.RequestCount("Put"))

	mismatch := put(t, c, srv.URL, "ClientToken=T1&X=2", now)
	assert.Equal(t, 400, mismatch.status)
	assert.Equal(t, "IdempotentParameterMismatch", mismatch.code())

	put(t, c, srv.URL, "X=1", now)
	put(t, c, srv.URL, "X=1", now)
	assert.Equal(t, 3, s.count(), "without a token every call acts")
}

// Only success is remembered: a call that failed (by FailNext or by the
// handler) can be retried with its token and then acts.
func TestClientTokenRetriesAfterFailure(t *testing.T) {
	now := t0
	c, srv, s := startToy(t, now)
	c.FailNext("Put", 503, "ServiceUnavailable")
	assert.Equal(t, 503, put(t, c, srv.URL, "ClientToken=T2", now).status)
	assert.Equal(t, 200, put(t, c, srv.URL, "ClientToken=T2", now).status)
	assert.Equal(t, 1, s.count())

	assert.Equal(t, "Nope", put(t, c, srv.URL, "ClientToken=T3&Fail=1", now).code())
	assert.Equal(t, 200, put(t, c, srv.URL, "ClientToken=T3", now).status)
	assert.Equal(t, 2, s.count())
}

func TestClientTokensAreBounded(t *testing.T) {
	c := New((&toy{}).service())
	for i := range maxTokens + 5 {
		c.remember(fmt.Sprint("k", i), tokenRecord{})
	}
	assert.Len(t, c.tokens, maxTokens)
	assert.NotContains(t, c.tokens, "k0", "the oldest token is forgotten first")
	assert.Contains(t, c.tokens, fmt.Sprint("k", maxTokens+4))
}

// Many clients at once: one token sent concurrently acts once and every
// caller sees the same RequestId; distinct tokens all act. Run with -race.
func TestServeConcurrently(t *testing.T) {
	now := t0
	c, srv, s := startToy(t, now)
	const n = 32
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := put(t, c, srv.URL, "ClientToken=shared", now)
			ids[i] = got.header.Get("X-Acs-Request-Id")
			put(t, c, srv.URL, fmt.Sprint("ClientToken=own-", i), now)
			send(t, sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, c.Key(), now, ""))
		}()
	}
	wg.Wait()
	for _, id := range ids {
		assert.Equal(t, ids[0], id)
	}
	assert.Equal(t, 1+n, s.count())
	assert.Equal(t, 2*n, c.RequestCount("Put"))
	assert.Equal(t, n, c.RequestCount("Echo"))
}

func TestKeysAndRequestIDs(t *testing.T) {
	a, b := NewKeyPair(), NewKeyPair()
	assert.NotEqual(t, a, b)
	assert.True(t, strings.HasPrefix(a.AccessKeyID, "LTAI"))
	assert.Len(t, a.AccessKeySecret, 30)
	assert.NotContains(t, fmt.Sprint(a), a.AccessKeySecret)
	assert.NotContains(t, fmt.Sprintf("%#v %+v", a, a), a.AccessKeySecret)

	creds, err := a.Provider().Retrieve(t.Context())
	require.NoError(t, err)
	assert.Equal(t, a.AccessKeyID, creds.AccessKeyID)
	assert.Equal(t, a.AccessKeySecret, creds.AccessKeySecret)

	id := NewRequestID()
	assert.Regexp(t, requestIDRE, id)
	assert.NotEqual(t, id, NewRequestID())
}

func TestWithClockFeedsRequests(t *testing.T) {
	now := t0
	c, srv, _ := startToy(t, now)
	assert.Equal(t, t0, c.Now())
	// A request signed with the real clock is years away from the fake's.
	got := send(t, sign(t, build(t, http.MethodGet, srv.URL+"/echo", "Echo", "2000-01-01", nil), nil, c.Key(), time.Now(), ""))
	assert.Equal(t, "InvalidTimeStamp.Expired", got.code())
}
