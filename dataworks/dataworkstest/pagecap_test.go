package dataworkstest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
)

// The 2020-05-18 ListProjectMembers documents PageNumber 1 to 30: the fake
// refuses 31 as the service does, and serves 30.
func TestListProjectMembersPageNumberCap(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	status, doc := do(t, signedRPC(t, srv, "ListProjectMembers", "PageNumber=31&ProjectId=27", time.Now(), "", nil))
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidParameter", doc["Code"], "%v", doc)
	status, doc = do(t, signedRPC(t, srv, "ListProjectMembers", "PageNumber=30&ProjectId=27", time.Now(), "", nil))
	assert.Equal(t, 200, status, "%v", doc)
}

// A project larger than 30 pages: ListAllProjectMembers yields the first 30
// pages' members and ends with dataworks.ErrPageLimit.
func TestListAllProjectMembersPastThePageCap(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	for i := range 61 {
		srv.AddProjectMember(27, fmt.Sprintf("u-%02d", i), dataworks.RoleProjectDev)
	}
	var n int
	var last error
	for _, err := range c.ListAllProjectMembers(context.Background(), &dataworks.ListProjectMembersRequest{ProjectID: 27, PageSize: 2}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	assert.Equal(t, 60, n)
	require.ErrorIs(t, last, dataworks.ErrPageLimit)
	assert.Equal(t, 30, srv.RequestCount("ListProjectMembers"))
}
