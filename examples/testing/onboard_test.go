package onboarding

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// newFake starts a fake PAI with one workspace and a client that talks to it.
// The client is the real one: requests are signed, sent over loopback,
// verified by the fake and decoded, exactly as in production.
func newFake(t *testing.T) (*paitest.Server, *pai.Client) {
	t.Helper()
	srv := paitest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddWorkspace("ws-1")
	c, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	require.NoError(t, err)
	return srv, c
}

func TestOnboardAddsANewUser(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()

	changed, err := Onboard(ctx, c, "ws-1", "user-1", pai.RoleAlgoDeveloper)
	require.NoError(t, err)
	assert.True(t, changed)

	got, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "user-1"})
	require.NoError(t, err)
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper}, got.Roles)
}

func TestOnboardGrantsAMissingRoleOnce(t *testing.T) {
	srv, c := newFake(t)
	srv.AddMember("ws-1", "user-1", pai.RoleWorkspaceGuest)
	ctx := context.Background()

	changed, err := Onboard(ctx, c, "ws-1", "user-1", pai.RoleAlgoDeveloper)
	require.NoError(t, err)
	assert.True(t, changed)

	changed, err = Onboard(ctx, c, "ws-1", "user-1", pai.RoleAlgoDeveloper)
	require.NoError(t, err)
	assert.False(t, changed, "a second run changes nothing")

	got, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "user-1"})
	require.NoError(t, err)
	assert.ElementsMatch(t, []pai.Role{pai.RoleWorkspaceGuest, pai.RoleAlgoDeveloper}, got.Roles)
}

func TestOnboardReportsServiceFailures(t *testing.T) {
	srv, c := newFake(t)
	// The fake answers the next CreateMember with this error instead of acting.
	srv.FailNext("CreateMember", 503, "ServiceUnavailable")

	_, err := Onboard(context.Background(), c, "ws-1", "user-1", pai.RoleAlgoDeveloper)
	require.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.Contains(t, err.Error(), "onboard user-1: add to workspace ws-1")

	_, err = c.GetMember(context.Background(), &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "user-1"})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound, "the failed call added nobody")
}

func TestOnboardUnknownWorkspace(t *testing.T) {
	_, c := newFake(t)
	_, err := Onboard(context.Background(), c, "no-such-ws", "user-1", pai.RoleAlgoDeveloper)
	assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
}
