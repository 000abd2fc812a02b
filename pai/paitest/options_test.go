package paitest_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
	"github.com/acsmembers/acsmembers-go/signer"
)

// clientWith returns a client of srv that signs with creds and makes one
// attempt per call.
func clientWith(t *testing.T, srv *paitest.Server, creds signer.CredentialsProvider) *pai.Client {
	t.Helper()
	c, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: creds, MaxAttempts: 1})
	require.NoError(t, err)
	return c
}

func TestWithCredentialsAcceptsThatPairOnly(t *testing.T) {
	srv := paitest.NewServer(paitest.WithCredentials("LTAIfromenv", "secret-from-env"))
	t.Cleanup(srv.Close)
	srv.AddWorkspace("ws-1")
	ctx := t.Context()
	get := &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"}

	got, err := srv.Credentials().Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, signer.Credentials{AccessKeyID: "LTAIfromenv", AccessKeySecret: "secret-from-env"}, got)

	_, err = clientWith(t, srv, signer.StaticCredentials("LTAIfromenv", "secret-from-env", "")).GetWorkspace(ctx, get)
	require.NoError(t, err)
	_, err = clientWith(t, srv, signer.StaticCredentials("LTAIfromenv", "another-secret", "")).GetWorkspace(ctx, get)
	assert.True(t, errors.Is(err, acserrors.ErrSignatureMismatch), "%v", err)
	_, err = clientWith(t, srv, signer.StaticCredentials("LTAIanother", "secret-from-env", "")).GetWorkspace(ctx, get)
	assert.True(t, errors.Is(err, acserrors.ErrInvalidCredentials), "%v", err)
}

func TestWithCredentialsKeepsTheRandomPairWhenHalfIsEmpty(t *testing.T) {
	for _, pair := range [][2]string{{"", "secret"}, {"LTAIx", ""}, {"", ""}} {
		srv, c := start(t, nil, paitest.WithCredentials(pair[0], pair[1]))
		srv.AddWorkspace("ws-1")
		got, err := srv.Credentials().Retrieve(t.Context())
		require.NoError(t, err)
		assert.NotEmpty(t, got.AccessKeyID)
		assert.NotEmpty(t, got.AccessKeySecret)
		assert.NotEqual(t, pair[0], got.AccessKeyID)
		_, err = c.GetWorkspace(t.Context(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
		assert.NoError(t, err, "the server still works with Credentials")
	}
}

func TestZeroOptionDoesNothing(t *testing.T) {
	srv, c := start(t, nil, paitest.Option{})
	srv.AddWorkspace("ws-1")
	_, err := c.GetWorkspace(t.Context(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
	require.NoError(t, err)
}

func TestWithLatencyDelaysEveryAnswer(t *testing.T) {
	const d = 100 * time.Millisecond
	srv, c := start(t, nil, paitest.WithLatency(d))
	srv.AddWorkspace("ws-1")

	begin := time.Now()
	_, err := c.GetWorkspace(t.Context(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(begin), d)

	begin = time.Now()
	_, err = c.GetWorkspace(t.Context(), &pai.GetWorkspaceRequest{WorkspaceID: "nowhere"})
	require.True(t, errors.Is(err, acserrors.ErrWorkspaceNotFound), "%v", err)
	assert.GreaterOrEqual(t, time.Since(begin), d, "errors wait too")
}

// A client that gives up while the answer waits gets no answer, and the
// change it asked for has been made, as a timed-out write may have been.
func TestWithLatencyActsBeforeTheAnswer(t *testing.T) {
	srv, c := start(t, nil, paitest.WithLatency(time.Hour))
	srv.AddWorkspace("ws-1")
	id := srv.AddMember("ws-1", "user-1", pai.RoleAlgoDeveloper)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws-1", MemberID: id, Role: pai.RoleWorkspaceAdmin})
		done <- err
	}()
	// The request is counted and acts under one lock: once counted, it has acted.
	require.Eventually(t, func() bool { return srv.RequestCount("AddMemberRole") == 1 }, 10*time.Second, time.Millisecond)
	m, _ := srv.Member("ws-1", "user-1")
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin}, m.Roles)
	cancel()
	err := <-done
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestWithRateLimitThrottlesABurst(t *testing.T) {
	srv, _ := start(t, nil, paitest.WithRateLimit(5))
	srv.AddWorkspace("ws-1")
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		// A client each: one shared client would pace itself once throttled.
		c := clientWith(t, srv, srv.Credentials())
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
		}()
	}
	wg.Wait()

	throttled := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		throttled++
		require.True(t, errors.Is(err, acserrors.ErrThrottled), "%v", err)
		e := apiError(t, err)
		assert.Equal(t, http.StatusBadRequest, e.StatusCode)
		assert.Equal(t, "Throttling.User", e.Code)
		assert.Equal(t, "Request was denied due to user flow control.", e.Message)
		assert.NotEmpty(t, e.RequestID)
		// TimeLeft: at most the time one request's worth takes to refill.
		assert.Positive(t, e.RetryAfter)
		assert.LessOrEqual(t, e.RetryAfter, 200*time.Millisecond)
	}
	assert.Positive(t, throttled, "20 calls at once exceed 5 a second")
	assert.GreaterOrEqual(t, n-throttled, 5, "a full second's worth passes at once")
	assert.Equal(t, n, srv.RequestCount("GetWorkspace"), "throttled requests are counted")
	assert.Equal(t, throttled, srv.ThrottledCount())
}

// With a clock that stands still the bucket never refills: exactly the
// limit passes, whatever the timing.
func TestWithRateLimitIsExactOnAStoppedClock(t *testing.T) {
	at := time.Now()
	srv, c := start(t, nil, paitest.WithClock(func() time.Time { return at }), paitest.WithRateLimit(3))
	srv.AddWorkspace("ws-1")
	id := srv.AddMember("ws-1", "user-1", pai.RoleAlgoDeveloper)
	ctx := t.Context()

	for range 3 {
		_, err := c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
		require.NoError(t, err)
	}
	_, err := c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws-1", MemberID: id, Role: pai.RoleAlgoDeveloper})
	require.True(t, errors.Is(err, acserrors.ErrThrottled), "%v", err)
	m, _ := srv.Member("ws-1", "user-1")
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper}, m.Roles, "a throttled request does not act")
	assert.Equal(t, 1, srv.ThrottledCount())
	assert.Equal(t, 1, srv.RequestCount("RemoveMemberRole"))
}

func TestZeroRoleEvents(t *testing.T) {
	srv, c := start(t, nil)
	ctx := t.Context()
	srv.AddWorkspace("ws-1")
	srv.AddWorkspace("ws-2")
	a := srv.AddMember("ws-1", "a", pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin)
	b := srv.AddMember("ws-2", "b", pai.RoleAlgoDeveloper)
	srv.AddMember("ws-1", "nobody") // set-up without roles records nothing
	remove := func(ws, id string, role pai.Role) {
		t.Helper()
		_, err := c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: ws, MemberID: id, Role: role})
		require.NoError(t, err)
	}

	remove("ws-1", a, pai.RoleAlgoDeveloper)
	assert.Empty(t, srv.ZeroRoleEvents(), "a still holds a role")
	remove("ws-2", b, pai.RoleWorkspaceAdmin)
	assert.Empty(t, srv.ZeroRoleEvents(), "removing a role b lacks changes nothing")
	remove("ws-2", b, pai.RoleAlgoDeveloper)
	remove("ws-1", a, pai.RoleWorkspaceAdmin)
	remove("ws-1", a, pai.RoleWorkspaceAdmin) // no roles before, none after: not a new moment
	assert.Equal(t, []string{"ws-2/b", "ws-1/a"}, srv.ZeroRoleEvents())

	_, err := c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws-1", MemberID: a, Role: pai.RoleAlgoOperator})
	require.NoError(t, err)
	_, err = c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws-1", MemberIDs: []string{a}})
	require.NoError(t, err)
	assert.Equal(t, []string{"ws-2/b", "ws-1/a"}, srv.ZeroRoleEvents(), "deleting a member is not such a moment")

	events := srv.ZeroRoleEvents()
	events[0] = "changed"
	assert.Equal(t, "ws-2/b", srv.ZeroRoleEvents()[0], "callers get a copy")
}
