package dataworkstest_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

func TestWithCredentialsAcceptsThatPairOnly(t *testing.T) {
	srv := dataworkstest.NewServer(dataworkstest.WithCredentials("LTAIfromenv", "secret-from-env"))
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	ctx := t.Context()
	list := func(creds signer.CredentialsProvider) error {
		c, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: creds, MaxAttempts: 1})
		require.NoError(t, err)
		_, err = c.ListProjectRoles(ctx, &dataworks.ListProjectRolesRequest{ProjectID: 27})
		return err
	}

	got, err := srv.Credentials().Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, signer.Credentials{AccessKeyID: "LTAIfromenv", AccessKeySecret: "secret-from-env"}, got)

	require.NoError(t, list(signer.StaticCredentials("LTAIfromenv", "secret-from-env", "")))
	err = list(signer.StaticCredentials("LTAIfromenv", "another-secret", ""))
	assert.True(t, errors.Is(err, acserrors.ErrSignatureMismatch), "%v", err)
	err = list(signer.StaticCredentials("LTAIanother", "secret-from-env", ""))
	assert.True(t, errors.Is(err, acserrors.ErrInvalidCredentials), "%v", err)
}

func TestWithCredentialsKeepsTheRandomPairWhenHalfIsEmpty(t *testing.T) {
	for _, pair := range [][2]string{{"", "secret"}, {"LTAIx", ""}, {"", ""}} {
		srv, c := start(t, nil, dataworkstest.WithCredentials(pair[0], pair[1]))
		srv.AddProject(27)
		got, err := srv.Credentials().Retrieve(t.Context())
		require.NoError(t, err)
		assert.NotEmpty(t, got.AccessKeyID)
		assert.NotEmpty(t, got.AccessKeySecret)
		assert.NotEqual(t, pair[0], got.AccessKeyID)
		_, err = c.ListProjectRoles(t.Context(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
		assert.NoError(t, err, "the server still works with Credentials")
	}
}

func TestZeroOptionDoesNothing(t *testing.T) {
	srv, c := start(t, nil, dataworkstest.Option{})
	srv.AddProject(27)
	_, err := c.ListProjectRoles(t.Context(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
}

func TestWithLatencyDelaysEveryAnswer(t *testing.T) {
	const d = 100 * time.Millisecond
	srv, c := start(t, nil, dataworkstest.WithLatency(d))
	srv.AddProject(27)

	begin := time.Now()
	_, err := c.ListProjectRoles(t.Context(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(begin), d)

	begin = time.Now()
	_, err = c.ListProjectRoles(t.Context(), &dataworks.ListProjectRolesRequest{ProjectID: 28})
	require.True(t, errors.Is(err, acserrors.ErrProjectNotFound), "%v", err)
	assert.GreaterOrEqual(t, time.Since(begin), d, "errors wait too")
}

func TestWithRateLimitThrottlesABurst(t *testing.T) {
	srv, _ := start(t, nil, dataworkstest.WithRateLimit(5))
	srv.AddProject(27)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		// A client each: one shared client would pace itself once throttled.
		c, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
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
		assert.Positive(t, e.RetryAfter)
		assert.LessOrEqual(t, e.RetryAfter, 200*time.Millisecond)
	}
	assert.Positive(t, throttled, "20 calls at once exceed 5 a second")
	assert.GreaterOrEqual(t, n-throttled, 5, "a full second's worth passes at once")
	assert.Equal(t, n, srv.RequestCount("ListProjectRoles"), "throttled requests are counted")
	assert.Equal(t, throttled, srv.ThrottledCount())
}

// A throttled request neither acts nor spends its ClientToken: the same
// call, retried once the clock has moved, acts.
func TestWithRateLimitLeavesClientTokensUnspent(t *testing.T) {
	var mu sync.Mutex
	at := time.Now()
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return at
	}
	srv, c := start(t, nil, dataworkstest.WithClock(now), dataworkstest.WithRateLimit(1))
	srv.AddProject(27)
	srv.AddProjectMember(27, "1001", dataworks.RoleProjectGuest)
	ctx := t.Context()

	_, err := c.ListProjectRoles(ctx, &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
	add := &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectDev, ClientToken: "token-1"}
	_, err = c.AddProjectMemberToRole(ctx, add)
	require.True(t, errors.Is(err, acserrors.ErrThrottled), "%v", err)
	roles, _ := srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest}, roles)

	mu.Lock()
	at = at.Add(time.Second)
	mu.Unlock()
	_, err = c.AddProjectMemberToRole(ctx, add)
	require.NoError(t, err)
	roles, _ = srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectDev}, roles)
	assert.Equal(t, 2, srv.RequestCount("AddProjectMemberToRole"))
	assert.Equal(t, 1, srv.ThrottledCount())
}

func TestZeroRoleEvents(t *testing.T) {
	srv, c := start(t, nil)
	ctx := t.Context()
	srv.AddProject(27)
	srv.AddProject(28)
	srv.AddProjectMember(27, "a", dataworks.RoleProjectDev, dataworks.RoleProjectGuest)
	srv.AddProjectMember(28, "b", dataworks.RoleProjectDev)
	srv.AddProjectMember(27, "nobody") // set-up without roles records nothing
	remove := func(project int64, user string, role dataworks.RoleCode) {
		t.Helper()
		_, err := c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: project, UserID: user, RoleCode: role})
		require.NoError(t, err)
	}

	remove(27, "a", dataworks.RoleProjectDev)
	assert.Empty(t, srv.ZeroRoleEvents(), "a still holds a role")
	remove(28, "b", dataworks.RoleProjectGuest)
	assert.Empty(t, srv.ZeroRoleEvents(), "removing a role b lacks changes nothing")

	srv.FailNext("RemoveProjectMemberFromRole", 503, "ServiceUnavailable")
	_, err := c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 28, UserID: "b", RoleCode: dataworks.RoleProjectDev})
	require.Error(t, err)
	assert.Empty(t, srv.ZeroRoleEvents(), "a failed request changes nothing")

	remove(28, "b", dataworks.RoleProjectDev)
	remove(27, "a", dataworks.RoleProjectGuest)
	remove(27, "a", dataworks.RoleProjectGuest) // no roles before, none after: not a new moment
	assert.Equal(t, []string{"28/b", "27/a"}, srv.ZeroRoleEvents())

	// A member created without a role holds none from the start; with one, never.
	_, err = c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "c"})
	require.NoError(t, err)
	_, err = c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "d", RoleCode: dataworks.RoleProjectDev})
	require.NoError(t, err)
	_, err = c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: "d"})
	require.NoError(t, err)
	assert.Equal(t, []string{"28/b", "27/a", "27/c"}, srv.ZeroRoleEvents(), "deleting a member is not such a moment")

	events := srv.ZeroRoleEvents()
	events[0] = "changed"
	assert.Equal(t, "28/b", srv.ZeroRoleEvents()[0], "callers get a copy")
}

// The 2024-05-18 actions name their member as 2020-05-18's do, and are
// watched alike.
func TestZeroRoleEvents2024(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	srv.AddProjectMember(27, "a", dataworks.RoleProjectDev, dataworks.RoleProjectGuest)
	c, err := v2024.New(v2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	require.NoError(t, err)
	ctx := t.Context()

	_, err = c.RevokeMemberProjectRoles(ctx, &v2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "a", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}})
	require.NoError(t, err)
	assert.Empty(t, srv.ZeroRoleEvents())
	_, err = c.GrantMemberProjectRoles(ctx, &v2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "a", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectPE}})
	require.NoError(t, err)
	_, err = c.RevokeMemberProjectRoles(ctx, &v2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "a", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectPE}})
	require.NoError(t, err)
	assert.Equal(t, []string{"27/a"}, srv.ZeroRoleEvents())
}
