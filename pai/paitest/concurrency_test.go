package paitest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/pai"
)

// Many goroutines share one client and one fake, each running its own
// member's lifecycle while reading the shared workspace. Run with -race.
func TestConcurrentClients(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	ctx := context.Background()
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- lifecycle(ctx, c, i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	list, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", PageSize: 100})
	require.NoError(t, err)
	assert.Equal(t, n-n/4, list.TotalCount)
	for i := range n {
		m, ok := srv.Member("ws", fmt.Sprint("u-", i))
		if i%4 == 0 {
			assert.False(t, ok, i)
			continue
		}
		require.True(t, ok, i)
		want := []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin}
		if i%2 == 1 {
			want = []pai.Role{pai.RoleWorkspaceAdmin}
		}
		assert.Equal(t, want, m.Roles, i)
	}
	assert.Equal(t, n, srv.RequestCount("CreateMember"))
	assert.Equal(t, n, srv.RequestCount("AddMemberRole"))
	assert.Equal(t, n/4, srv.RequestCount("DeleteMembers"))
}

func lifecycle(ctx context.Context, c *pai.Client, i int) error {
	user := fmt.Sprint("u-", i)
	created, err := c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "ws", Members: []pai.MemberSpec{{UserID: user, Roles: []pai.Role{pai.RoleAlgoDeveloper}}}})
	if err != nil {
		return err
	}
	id := created.Members[0].MemberID
	if _, err := c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws", MemberID: id, Role: pai.RoleWorkspaceAdmin}); err != nil {
		return err
	}
	if _, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", Roles: []pai.Role{pai.RoleWorkspaceAdmin}}); err != nil {
		return err
	}
	if _, err := c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{}); err != nil {
		return err
	}
	if i%2 == 1 {
		if _, err := c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws", MemberID: id, Role: pai.RoleAlgoDeveloper}); err != nil {
			return err
		}
	}
	if _, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws", UserID: user}); err != nil {
		return err
	}
	if i%4 == 0 {
		if _, err := c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{id}}); err != nil {
			return err
		}
	}
	return nil
}
