package dataworkstest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

func TestMemberLifecycle(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	ctx := context.Background()

	created, err := c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectDev})
	require.NoError(t, err)
	assert.NotEmpty(t, created.RequestID)
	_, err = c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1002"})
	require.NoError(t, err)
	roles, ok := srv.MemberRoles(27, "1002")
	assert.True(t, ok)
	assert.Empty(t, roles, "no RoleCode, no role")

	for range 2 { // a set: the second grant changes nothing
		_, err = c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectGuest})
		require.NoError(t, err)
	}
	roles, _ = srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectGuest}, roles)

	list, err := c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Equal(t, 1, list.PageNumber)
	assert.Equal(t, 10, list.PageSize)
	assert.Equal(t, 2, list.TotalCount)
	assert.Equal(t, []dataworks.ProjectMember{
		{UserID: "1001", Name: "1001", Nick: "1001", Type: dataworks.MemberTypeRAMUser, Status: dataworks.MemberStatusNormal, Roles: []dataworks.ProjectRole{
			{ID: 3, Code: dataworks.RoleProjectDev, Name: "Developer", Type: dataworks.RoleTypeSystem},
			{ID: 6, Code: dataworks.RoleProjectGuest, Name: "Visitor", Type: dataworks.RoleTypeSystem},
		}},
		{UserID: "1002", Name: "1002", Nick: "1002", Type: dataworks.MemberTypeRAMUser, Status: dataworks.MemberStatusNormal},
	}, list.Members)

	for range 2 { // removing an absent role is fine too
		_, err = c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectDev})
		require.NoError(t, err)
	}
	roles, _ = srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest}, roles)

	_, err = c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: "1001"})
	require.NoError(t, err)
	_, ok = srv.MemberRoles(27, "1001")
	assert.False(t, ok)
	list, err = c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Equal(t, 1, list.TotalCount)
	assert.Equal(t, "1002", list.Members[0].UserID)
}

func TestDocumentedErrors(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	srv.AddProjectMember(27, "in", dataworks.RoleProjectDev)
	ctx := context.Background()

	addRole := func(project int64, user string, role dataworks.RoleCode) error {
		_, err := c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: project, UserID: user, RoleCode: role})
		return err
	}
	removeRole := func(project int64, user string) error {
		_, err := c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: project, UserID: user, RoleCode: dataworks.RoleProjectDev})
		return err
	}
	create := func(project int64, user string) error {
		_, err := c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: project, UserID: user})
		return err
	}
	del := func(project int64, user string) error {
		_, err := c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: project, UserID: user})
		return err
	}
	listMembers := func(project int64) error {
		_, err := c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: project})
		return err
	}
	listRoles := func(project int64) error {
		_, err := c.ListProjectRoles(ctx, &dataworks.ListProjectRolesRequest{ProjectID: project})
		return err
	}

	for name, err := range map[string]error{
		"AddProjectMemberToRole":      addRole(99, "in", dataworks.RoleProjectDev),
		"RemoveProjectMemberFromRole": removeRole(99, "in"),
		"CreateProjectMember":         create(99, "in"),
		"DeleteProjectMember":         del(99, "in"),
		"ListProjectMembers":          listMembers(99),
		"ListProjectRoles":            listRoles(99),
	} {
		assert.ErrorIs(t, err, acserrors.ErrProjectNotFound, name)
		e := apiError(t, err)
		assert.Equal(t, 400, e.StatusCode, name)
		assert.Equal(t, "Invalid.Tenant.ProjectNotExists", e.Code, name)
		assert.Equal(t, "The project does not exist.", e.Message, name)
	}
	for name, err := range map[string]error{
		"AddProjectMemberToRole":      addRole(27, "out", dataworks.RoleProjectDev),
		"RemoveProjectMemberFromRole": removeRole(27, "out"),
		"DeleteProjectMember":         del(27, "out"),
	} {
		assert.ErrorIs(t, err, acserrors.ErrUserNotInProject, name)
		assert.Equal(t, 400, apiError(t, err).StatusCode, name)
	}
	err := create(27, "in")
	assert.ErrorIs(t, err, acserrors.ErrUserAlreadyInProject)
	assert.Equal(t, "The user already exists in the project.", apiError(t, err).Message)

	err = addRole(27, "in", "role_no_such")
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.Equal(t, "InvalidParameter", apiError(t, err).Code)
	_, ok := srv.MemberRoles(27, "out")
	assert.False(t, ok, "no error acted")
}

// Parameters our client always sends, sent wrong by another client.
func TestParameterChecks(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	for _, tc := range []struct {
		action, query string
		status        int
		code          string
	}{
		{"AddProjectMemberToRole", "ProjectId=27&RoleCode=role_project_dev", 400, "MissingUserId"},
		{"AddProjectMemberToRole", "ProjectId=27&UserId=u", 400, "MissingRoleCode"},
		{"CreateProjectMember", "UserId=u", 400, "MissingProjectId"},
		{"ListProjectRoles", "", 400, "MissingProjectId"},
		{"ListProjectMembers", "ProjectId=abc", 400, "InvalidParameter"},
		{"ListProjectMembers", "ProjectId=-3", 400, "InvalidParameter"},
		{"ListProjectMembers", "ProjectId=27&PageSize=101", 400, "InvalidParameter"},
		{"ListProjectMembers", "ProjectId=27&PageNumber=0", 400, "InvalidParameter"},
		{"DescribeEverything", "ProjectId=27", 404, "InvalidAction.NotFound"},
	} {
		status, doc := do(t, signedRPC(t, srv, tc.action, tc.query, time.Now(), "", nil))
		assert.Equal(t, tc.status, status, "%s %s", tc.action, tc.query)
		assert.Equal(t, tc.code, doc["Code"], "%s %s: %v", tc.action, tc.query, doc)
	}
}

func TestRoutesOnlyRoot(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, "/api/ListProjectRoles?ProjectId=27"},
		{http.MethodPut, "/?ProjectId=27"},
		{http.MethodDelete, "/?ProjectId=27"},
	} {
		status, doc := do(t, signed(t, srv, tc.method, tc.path, "ListProjectRoles", time.Now(), "", nil))
		assert.Equal(t, 404, status, "%s %s", tc.method, tc.path)
		assert.Equal(t, "InvalidAction.NotFound", doc["Code"])
	}
	// RPC also takes GET.
	status, doc := do(t, signed(t, srv, http.MethodGet, "/?ProjectId=27", "ListProjectRoles", time.Now(), "", nil))
	assert.Equal(t, 200, status, "%v", doc)
	assert.Equal(t, 1, srv.RequestCount("ListProjectRoles"))
}

func TestListProjectRoles(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u", "custom_reviewer")
	got, err := c.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
	require.Len(t, got.Roles, 10)
	codes := []dataworks.RoleCode{
		dataworks.RoleProjectOwner, dataworks.RoleProjectAdmin, dataworks.RoleProjectDev, dataworks.RoleProjectPE,
		dataworks.RoleProjectDeploy, dataworks.RoleProjectGuest, dataworks.RoleProjectSecurity, dataworks.RoleProjectERD,
		dataworks.RoleProjectTester,
	}
	for i, code := range codes {
		assert.Equal(t, int64(i+1), got.Roles[i].ID)
		assert.Equal(t, code, got.Roles[i].Code)
		assert.Equal(t, dataworks.RoleTypeSystem, got.Roles[i].Type)
		assert.NotEmpty(t, got.Roles[i].Name)
	}
	assert.Equal(t, dataworks.ProjectRole{ID: 1000, Code: "custom_reviewer", Name: "custom_reviewer", Type: dataworks.RoleTypeCustom}, got.Roles[9])

	// A custom role of the project can be granted and revoked like a built-in one.
	srv.AddProjectMember(27, "v")
	_, err = c.AddProjectMemberToRole(context.Background(), &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "v", RoleCode: "custom_reviewer"})
	require.NoError(t, err)
	roles, _ := srv.MemberRoles(27, "v")
	assert.Equal(t, []dataworks.RoleCode{"custom_reviewer"}, roles)

	// The role belongs to the project, not to whoever holds it.
	_, err = c.DeleteProjectMember(context.Background(), &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: "u"})
	require.NoError(t, err)
	_, err = c.RemoveProjectMemberFromRole(context.Background(), &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "v", RoleCode: "custom_reviewer"})
	require.NoError(t, err)
	got, err = c.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Len(t, got.Roles, 10)
	_, err = c.AddProjectMemberToRole(context.Background(), &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "v", RoleCode: "custom_reviewer"})
	assert.NoError(t, err)
}

func TestListProjectMembersPages(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	for i := range 25 {
		srv.AddProjectMember(27, fmt.Sprintf("u-%02d", i), dataworks.RoleProjectDev)
	}
	ctx := context.Background()

	page, err := c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27, PageNumber: 3})
	require.NoError(t, err)
	assert.Equal(t, 25, page.TotalCount)
	assert.Equal(t, 3, page.PageNumber)
	require.Len(t, page.Members, 5)
	assert.Equal(t, "u-20", page.Members[0].UserID)

	page, err = c.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27, PageNumber: 4})
	require.NoError(t, err)
	assert.Empty(t, page.Members)

	var all []string
	for m, err := range c.ListAllProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27, PageSize: 6}) {
		require.NoError(t, err)
		all = append(all, m.UserID)
	}
	require.Len(t, all, 25)
	assert.Equal(t, "u-00", all[0])
	assert.Equal(t, "u-24", all[24])
	assert.Equal(t, 5, srv.RequestCount("ListProjectMembers")-2, "five pages of six")
}

// A repeated ClientToken returns the first reply without acting again.
func TestClientTokenIdempotency(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	ctx := context.Background()
	req := &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "u", RoleCode: dataworks.RoleProjectDev, ClientToken: "token-1"}

	first, err := c.CreateProjectMember(ctx, req)
	require.NoError(t, err)
	again, err := c.CreateProjectMember(ctx, req)
	require.NoError(t, err, "not UserAlreadyInProject: the replay did not act")
	assert.Equal(t, first.RequestID, again.RequestID)
	assert.Equal(t, 2, srv.RequestCount("CreateProjectMember"))

	// Even after the member is gone, the token still names the first call.
	_, err = c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: "u"})
	require.NoError(t, err)
	again, err = c.CreateProjectMember(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, first.RequestID, again.RequestID)
	_, ok := srv.MemberRoles(27, "u")
	assert.False(t, ok, "acted once")

	other := *req
	other.UserID = "someone-else"
	_, err = c.CreateProjectMember(ctx, &other)
	e := apiError(t, err)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, "IdempotentParameterMismatch", e.Code)

	// AddProjectMemberToRole likewise.
	srv.AddProjectMember(27, "w")
	add := &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "w", RoleCode: dataworks.RoleProjectPE, ClientToken: "token-2"}
	a1, err := c.AddProjectMemberToRole(ctx, add)
	require.NoError(t, err)
	_, err = c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "w", RoleCode: dataworks.RoleProjectPE})
	require.NoError(t, err)
	a2, err := c.AddProjectMemberToRole(ctx, add)
	require.NoError(t, err)
	assert.Equal(t, a1.RequestID, a2.RequestID)
	roles, _ := srv.MemberRoles(27, "w")
	assert.Empty(t, roles, "the replay granted nothing")

	// Without a caller token, the SDK makes a new one per call: both act.
	b1, err := c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "w", RoleCode: dataworks.RoleProjectPE})
	require.NoError(t, err)
	b2, err := c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "w", RoleCode: dataworks.RoleProjectPE})
	require.NoError(t, err)
	assert.NotEqual(t, b1.RequestID, b2.RequestID)
}

func TestFailNext(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u")
	ctx := context.Background()
	srv.FailNext("AddProjectMemberToRole", 403, "Invalid.Tenant.UserIsNotProjectOwnerOrAdmin")
	srv.FailNext("AddProjectMemberToRole", 400, "Throttling.User")
	add := func() error {
		_, err := c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "u", RoleCode: dataworks.RoleProjectDev})
		return err
	}

	err := add()
	assert.ErrorIs(t, err, acserrors.ErrNotProjectOwnerOrAdmin)
	assert.ErrorIs(t, err, acserrors.ErrAccessDenied)
	assert.Equal(t, 403, apiError(t, err).StatusCode)
	roles, _ := srv.MemberRoles(27, "u")
	assert.Empty(t, roles, "a failed call does not act")
	assert.ErrorIs(t, add(), acserrors.ErrThrottled)
	require.NoError(t, add(), "each fault is used once")
	assert.Equal(t, 3, srv.RequestCount("AddProjectMemberToRole"))
	assert.Panics(t, func() { srv.FailNext("AddProjectMember", 500, "InternalError") })
}

// Our client retries a ClientToken call after a 5xx with the same token: the
// fault takes the first attempt and the second one acts.
func TestFailNextThenRetryWithToken(t *testing.T) {
	srv, c := start(t, func(o *dataworks.Options) { o.MaxAttempts = 3 })
	srv.AddProject(27)
	srv.FailNext("CreateProjectMember", 503, "ServiceUnavailable")
	_, err := c.CreateProjectMember(context.Background(), &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "u"})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.RequestCount("CreateProjectMember"))
	_, ok := srv.MemberRoles(27, "u")
	assert.True(t, ok)
}

func TestHostileUserIDs(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddProject(27)
	ctx := context.Background()
	for _, user := range []string{"a/b", "../x", "x?y#z&w+v", "with space", "名字", "%20", "a+b", "a=b&c", "*~"} {
		_, err := c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: user, RoleCode: dataworks.RoleProjectGuest})
		require.NoError(t, err, user)
		_, err = c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: user, RoleCode: dataworks.RoleProjectDev})
		require.NoError(t, err, user)
		roles, ok := srv.MemberRoles(27, user)
		require.True(t, ok, user)
		assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectDev}, roles, user)
	}
	var seen []string
	for m, err := range c.ListAllProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27}) {
		require.NoError(t, err)
		seen = append(seen, m.UserID)
	}
	assert.Equal(t, []string{"a/b", "../x", "x?y#z&w+v", "with space", "名字", "%20", "a+b", "a=b&c", "*~"}, seen)
	for _, user := range seen {
		_, err := c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: user})
		require.NoError(t, err, user)
	}
	_, ok := srv.MemberRoles(27, "a")
	assert.False(t, ok)
}
