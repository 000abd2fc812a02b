package pai

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// membersPage answers ListMembers from a workspace of n members (user IDs
// u1..un), claiming total, honouring PageNumber and PageSize.
func membersPage(n, total int) func(int, *http.Request) (int, string) {
	return func(_ int, r *http.Request) (int, string) {
		q := r.URL.Query()
		number, _ := strconv.Atoi(q.Get("PageNumber"))
		size, _ := strconv.Atoi(q.Get("PageSize"))
		var items []string
		for i := (number-1)*size + 1; i <= min(number*size, n); i++ {
			items = append(items, fmt.Sprintf(`{"MemberId":"ws-u%d","UserId":"u%d","Roles":["PAI.AlgoDeveloper"],"GmtCreateTime":"2021-01-21T17:12:35.232Z"}`, i, i))
		}
		return http.StatusOK, fmt.Sprintf(`{"RequestId":"p%d","TotalCount":%d,"Members":[%s]}`, number, total, strings.Join(items, ","))
	}
}

func userIDs(t *testing.T, seq func(func(Member, error) bool)) ([]string, error) {
	t.Helper()
	var ids []string
	for m, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, m.UserID)
	}
	return ids, nil
}

func seqIDs(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, "u"+strconv.Itoa(i))
	}
	return out
}

func TestListAllMembersPages(t *testing.T) {
	srv, c := newPagedServer(t, membersPage(5, 5))
	req := &ListMembersRequest{WorkspaceID: "ws", Roles: []Role{RoleAlgoDeveloper, RoleWorkspaceAdmin}, PageSize: 2}
	before := *req
	ids, err := userIDs(t, c.ListAllMembers(context.Background(), req))
	require.NoError(t, err)
	assert.Equal(t, seqIDs(1, 5), ids, "every member once, in order")
	assert.Equal(t, []string{
		"PageNumber=1&PageSize=2&Roles=PAI.AlgoDeveloper%2CPAI.WorkspaceAdmin",
		"PageNumber=2&PageSize=2&Roles=PAI.AlgoDeveloper%2CPAI.WorkspaceAdmin",
		"PageNumber=3&PageSize=2&Roles=PAI.AlgoDeveloper%2CPAI.WorkspaceAdmin",
	}, srv.Queries())
	assert.Equal(t, before, *req, "the caller's request is not modified")
}

func TestListAllMembersDefaultPageSize(t *testing.T) {
	srv, c := newPagedServer(t, membersPage(3, 3))
	ids, err := userIDs(t, c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws"}))
	require.NoError(t, err)
	assert.Equal(t, seqIDs(1, 3), ids)
	assert.Equal(t, []string{"PageNumber=1&PageSize=" + strconv.Itoa(DefaultPageSize)}, srv.Queries())
}

func TestListAllMembersServerLiesAboutTotal(t *testing.T) {
	t.Run("claims more than it has", func(t *testing.T) {
		srv, c := newPagedServer(t, membersPage(3, 1000))
		ids, err := userIDs(t, c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws", PageSize: 2}))
		require.NoError(t, err)
		assert.Equal(t, seqIDs(1, 3), ids)
		assert.Len(t, srv.Queries(), 3, "stops at the first empty page")
	})
	t.Run("claims fewer than it has", func(t *testing.T) {
		srv, c := newPagedServer(t, membersPage(10, 3))
		ids, err := userIDs(t, c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws", PageSize: 2}))
		require.NoError(t, err)
		assert.Equal(t, seqIDs(1, 4), ids, "stops once the claimed total is reached")
		assert.Len(t, srv.Queries(), 2)
	})
	t.Run("repeats the same full page forever", func(t *testing.T) {
		srv, c := newPagedServer(t, func(int, *http.Request) (int, string) {
			return http.StatusOK, `{"RequestId":"r","TotalCount":999999999,"Members":[{"UserId":"same"}]}`
		})
		n := 0
		var last error
		for _, err := range c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws", PageSize: 1}) {
			n++
			last = err
		}
		require.Error(t, last, "an endless listing ends with an error, not a hang")
		assert.Contains(t, last.Error(), "pai ListAllMembers: stopped after")
		assert.Equal(t, maxPages+1, n)
		assert.Len(t, srv.Queries(), maxPages)
	})
}

func TestListAllMembersFailsMidway(t *testing.T) {
	page := membersPage(6, 6)
	srv, c := newPagedServer(t, func(n int, r *http.Request) (int, string) {
		if n == 2 {
			return http.StatusNotFound, `{"RequestId":"bad","Code":"100400008","Message":"workspace not found"}`
		}
		return page(n, r)
	})
	var ids []string
	var errs []error
	for m, err := range c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws", PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, m.UserID)
	}
	assert.Equal(t, seqIDs(1, 2), ids, "the first page is yielded before the failure")
	require.Len(t, errs, 1, "the error is yielded once")
	assert.ErrorIs(t, errs[0], acserrors.ErrWorkspaceNotFound)
	assert.Contains(t, errs[0].Error(), "pai ListAllMembers: page 2")
	assert.Len(t, srv.Queries(), 2, "no request after the failure")
}

func TestListAllMembersBreak(t *testing.T) {
	srv, c := newPagedServer(t, membersPage(10, 10))
	for m, err := range c.ListAllMembers(context.Background(), &ListMembersRequest{WorkspaceID: "ws", PageSize: 3}) {
		require.NoError(t, err)
		if m.UserID == "u2" {
			break
		}
	}
	assert.Len(t, srv.Queries(), 1, "break sends no further request")
}

func TestListAllWorkspacesPages(t *testing.T) {
	srv, c := newPagedServer(t, func(_ int, r *http.Request) (int, string) {
		number, _ := strconv.Atoi(r.URL.Query().Get("PageNumber"))
		body := map[int]string{
			1: `{"RequestId":"a","TotalCount":3,"Workspaces":[{"WorkspaceId":"1","resourceGroupId":"rg-1"},{"WorkspaceId":"2"}]}`,
			2: `{"RequestId":"b","TotalCount":3,"Workspaces":[{"WorkspaceId":"3","GmtCreateTime":"2021-01-21T17:12:35.232Z"}]}`,
		}[number]
		return http.StatusOK, body
	})
	req := &ListWorkspacesRequest{WorkspaceIDs: []string{"1", "2", "3"}, PageSize: 2}
	var got []Workspace
	for w, err := range c.ListAllWorkspaces(context.Background(), req) {
		require.NoError(t, err)
		got = append(got, w)
	}
	require.Len(t, got, 3)
	assert.Equal(t, []string{"1", "2", "3"}, []string{got[0].WorkspaceID, got[1].WorkspaceID, got[2].WorkspaceID})
	assert.Equal(t, "rg-1", got[0].ResourceGroupID)
	assert.Equal(t, 2021, got[2].CreateTime.Year())
	assert.Equal(t, []string{
		"PageNumber=1&PageSize=2&WorkspaceIds=1%2C2%2C3",
		"PageNumber=2&PageSize=2&WorkspaceIds=1%2C2%2C3",
	}, srv.Queries())
	assert.Equal(t, []string{"1", "2", "3"}, req.WorkspaceIDs)
}
