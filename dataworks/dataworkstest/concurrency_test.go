package dataworkstest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
)

// Many goroutines share one client and one fake. Run with -race.
func TestConcurrentClients(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
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

	list, err := c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27, PageSize: 100})
	require.NoError(t, err)
	assert.Equal(t, n-n/4, list.TotalCount)
	for i := range n {
		roles, ok := srv.MemberRoles(27, fmt.Sprint("u-", i))
		if i%4 == 0 {
			assert.False(t, ok, i)
			continue
		}
		require.True(t, ok, i)
		want := []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectGuest}
		if i%2 == 1 {
			want = []dataworks.RoleCode{dataworks.RoleProjectGuest}
		}
		assert.Equal(t, want, roles, i)
	}
	assert.Equal(t, 2*n, srv.RequestCount("CreateProjectMember"), "each goroutine replays its token once")
}

func lifecycle(ctx context.Context, c *dataworks.Client, i int) error {
	user := fmt.Sprint("u-", i)
	create := &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: user, RoleCode: dataworks.RoleProjectDev, ClientToken: "create-" + user}
	for range 2 { // the replay answers from the token and does not fail
		if _, err := c.CreateProjectMember(ctx, create); err != nil {
			return err
		}
	}
	if _, err := c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: user, RoleCode: dataworks.RoleProjectGuest}); err != nil {
		return err
	}
	if _, err := c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27}); err != nil {
		return err
	}
	if _, err := c.ListProjectRoles(ctx, &dataworks.ListProjectRolesRequest{ProjectID: 27}); err != nil {
		return err
	}
	if i%2 == 1 {
		if _, err := c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: user, RoleCode: dataworks.RoleProjectDev}); err != nil {
			return err
		}
	}
	if i%4 == 0 {
		if _, err := c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: user}); err != nil {
			return err
		}
	}
	return nil
}
