package v2024

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// membersPage is a ListProjectMembers reply claiming total and listing ids.
func membersPage(total int, ids ...string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = `{"ProjectId":27,"UserId":"` + id + `","Status":"Normal","Roles":[{"Code":"role_project_dev","Type":"System"}]}`
	}
	return fmt.Sprintf(`{"RequestId":"R","PagingInfo":{"TotalCount":%d,"ProjectMembers":[%s]}}`, total, strings.Join(items, ","))
}

// rolesPage is a ListProjectRoles reply claiming total (as a string, as the
// documented sample sends it) and listing codes.
func rolesPage(total int, codes ...string) string {
	items := make([]string, len(codes))
	for i, c := range codes {
		items[i] = `{"ProjectId":27,"Code":"` + c + `","Type":"System"}`
	}
	return fmt.Sprintf(`{"RequestId":"R","PagingInfo":{"TotalCount":"%d","ProjectRoles":[%s]}}`, total, strings.Join(items, ","))
}

// walk collects what a member iterator yields: IDs, and every error.
func walk(seq func(func(ProjectMember, error) bool)) (ids []string, errs []error) {
	for m, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, m.UserID)
	}
	return ids, errs
}

// pages returns the PageNumber/PageSize pairs the server received.
func pages(t *testing.T, srv *server) []string {
	t.Helper()
	var out []string
	for _, s := range srv.all() {
		f, err := url.ParseQuery(string(s.body))
		require.NoError(t, err)
		out = append(out, f.Get("PageNumber")+"/"+f.Get("PageSize"))
	}
	return out
}

// Every member once, in order, page after page, with the request's filters
// on every page; the caller's request is not modified.
func TestListAllProjectMembersPages(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(5, "u1", "u2"))
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(5, "u3", "u4"))
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(5, "u5"))
	req := &ListProjectMembersRequest{ProjectID: 27, RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}, PageSize: 2}
	ids, errs := walk(c.ListAllProjectMembers(context.Background(), req))
	require.Empty(t, errs)
	assert.Equal(t, []string{"u1", "u2", "u3", "u4", "u5"}, ids)
	assert.Equal(t, []string{"1/2", "2/2", "3/2"}, pages(t, srv))
	for i, s := range srv.all() {
		assertForm(t, s, "ListProjectMembers", fmt.Sprintf("PageNumber=%d&PageSize=2&ProjectId=27&RoleCodes=%%5B%%22role_project_dev%%22%%5D", i+1))
	}
	assert.Equal(t, &ListProjectMembersRequest{ProjectID: 27, RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}, PageSize: 2}, req)
}

// Unset paging walks from page 1 with the largest page.
func TestListAllProjectMembersDefaults(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(1, "u1"))
	ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27}))
	require.Empty(t, errs)
	assert.Equal(t, []string{"u1"}, ids)
	assert.Equal(t, []string{"1/100"}, pages(t, srv))
}

// However the service misreports, the walk ends.
func TestListAllProjectMembersTerminates(t *testing.T) {
	t.Run("empty page under a larger total", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectMembers", http.StatusOK, membersPage(1000, "u1", "u2"))
		srv.queue("ListProjectMembers", http.StatusOK, membersPage(1000))
		ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2}))
		require.Empty(t, errs)
		assert.Equal(t, []string{"u1", "u2"}, ids)
		assert.Len(t, srv.all(), 2, "stops at the empty page")
	})
	t.Run("total reached with more to come", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectMembers", http.StatusOK, membersPage(3, "u1", "u2"))
		srv.queue("ListProjectMembers", http.StatusOK, membersPage(3, "u3", "u4"))
		ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2}))
		require.Empty(t, errs)
		assert.Equal(t, []string{"u1", "u2", "u3", "u4"}, ids)
		assert.Len(t, srv.all(), 2, "stops once the claimed total is reached")
	})
	t.Run("total of zero", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectMembers", http.StatusOK, membersPage(0, "u1"))
		ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2}))
		require.Empty(t, errs)
		assert.Equal(t, []string{"u1"}, ids)
		assert.Len(t, srv.all(), 1)
	})
	t.Run("the same page again: PageNumber ignored", func(t *testing.T) {
		srv, c := newTestServer(t)
		for range 3 {
			srv.queue("ListProjectMembers", http.StatusOK, membersPage(1000, "u1", "u2"))
		}
		ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2}))
		assert.Equal(t, []string{"u1", "u2"}, ids, "the first page, once")
		require.Len(t, errs, 1)
		assert.EqualError(t, errs[0], "dataworks ListAllProjectMembers: page 2: the service sent page 1's items again: it ignores PageNumber")
		assert.Len(t, srv.all(), 2, "no request after the repeat")
	})
	t.Run("new pages forever", func(t *testing.T) {
		srv, c := newTestServer(t)
		for i := range 3 {
			srv.queue("ListProjectMembers", http.StatusOK, membersPage(1<<30, fmt.Sprint("u", i)))
		}
		ids, errs := walk(c.listAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 1}, 3))
		assert.Equal(t, []string{"u0", "u1", "u2"}, ids)
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "dataworks ListAllProjectMembers: stopped after 3 pages")
		assert.Len(t, srv.all(), 3)
	})
}

// The repeat check starts afresh for every range loop: ranging a one-page
// listing twice is two good walks, not a "repeated page".
func TestListAllProjectMembersRangedTwice(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(2, "u1", "u2"))
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(2, "u1", "u2"))
	seq := c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2})
	for range 2 {
		ids, errs := walk(seq)
		require.Empty(t, errs)
		assert.Equal(t, []string{"u1", "u2"}, ids)
	}
	assert.Equal(t, []string{"1/2", "1/2"}, pages(t, srv))
}

// A failing page is yielded once, after the items before it, wrapped so
// errors.Is still finds its sentinel; nothing is sent after it.
func TestListAllProjectMembersFailsMidway(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(6, "u1", "u2"))
	srv.queue("ListProjectMembers", http.StatusBadRequest, `{"RequestId":"bad","Code":"Invalid.Tenant.ProjectNotExists","Message":"gone"}`)
	ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 2}))
	assert.Equal(t, []string{"u1", "u2"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], acserrors.ErrProjectNotFound)
	assert.Contains(t, errs[0].Error(), "dataworks ListAllProjectMembers: page 2")
	assert.Len(t, srv.all(), 2)
}

func TestListAllProjectMembersBreak(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(10, "u1", "u2", "u3"))
	for m, err := range c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageSize: 3}) {
		require.NoError(t, err)
		if m.UserID == "u2" {
			break
		}
	}
	assert.Len(t, srv.all(), 1, "break sends no further request")
}

// A walk may start at a later page; the total is compared with the position
// in the whole listing.
func TestListAllProjectMembersFromPage(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(5, "u3", "u4"))
	srv.queue("ListProjectMembers", http.StatusOK, membersPage(5, "u5"))
	ids, errs := walk(c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageNumber: 2, PageSize: 2}))
	require.Empty(t, errs)
	assert.Equal(t, []string{"u3", "u4", "u5"}, ids)
	assert.Equal(t, []string{"2/2", "3/2"}, pages(t, srv))
}

// The role iterator has the same guarantees, with TotalCount sent as a
// string.
func TestListAllProjectRoles(t *testing.T) {
	codes := func(seq func(func(ProjectRole, error) bool)) (out []string, errs []error) {
		for r, err := range seq {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, string(r.Code))
		}
		return out, errs
	}
	t.Run("pages", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(3, "a", "b"))
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(3, "c"))
		req := &ListProjectRolesRequest{ProjectID: 27, Type: RoleTypeSystem, Names: []string{"x"}, PageSize: 2}
		got, errs := codes(c.ListAllProjectRoles(context.Background(), req))
		require.Empty(t, errs)
		assert.Equal(t, []string{"a", "b", "c"}, got)
		reqs := srv.all()
		require.Len(t, reqs, 2)
		assertForm(t, reqs[1], "ListProjectRoles", "Names=%5B%22x%22%5D&PageNumber=2&PageSize=2&ProjectId=27&Type=System")
		assert.Equal(t, &ListProjectRolesRequest{ProjectID: 27, Type: RoleTypeSystem, Names: []string{"x"}, PageSize: 2}, req)
	})
	t.Run("defaults and empty page", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(50, "a"))
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(50))
		got, errs := codes(c.ListAllProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27}))
		require.Empty(t, errs)
		assert.Equal(t, []string{"a"}, got)
		assert.Equal(t, []string{"1/100", "2/100"}, pages(t, srv))
	})
	t.Run("the same page again", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(9, "a", "b"))
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(9, "a", "b"))
		got, errs := codes(c.ListAllProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27, PageSize: 2}))
		assert.Equal(t, []string{"a", "b"}, got)
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "dataworks ListAllProjectRoles: page 2: the service sent page 1's items again")
	})
	t.Run("new pages forever", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(1<<30, "a"))
		srv.queue("ListProjectRoles", http.StatusOK, rolesPage(1<<30, "b"))
		got, errs := codes(c.listAllProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27, PageSize: 1}, 2))
		assert.Equal(t, []string{"a", "b"}, got)
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "stopped after 2 pages")
		assert.Len(t, srv.all(), 2)
	})
}
