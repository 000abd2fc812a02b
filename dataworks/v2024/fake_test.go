package v2024_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	dw2024 "github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// startFake runs a fake DataWorks with project 27 and a client of each API
// version pointed at it, built with the public New as users build theirs.
func startFake(t *testing.T) (*dataworkstest.Server, *dw2024.Client, *dataworks.Client) {
	t.Helper()
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	opts := dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 2}
	c24, err := dw2024.New(opts)
	require.NoError(t, err)
	c20, err := dataworks.New(opts) // the same Options type
	require.NoError(t, err)
	return srv, c24, c20
}

func TestFakeMemberLifecycle(t *testing.T) {
	srv, c, _ := startFake(t)
	ctx := context.Background()

	_, err := c.CreateProjectMember(ctx, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "1001",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst}})
	require.NoError(t, err)
	_, err = c.CreateProjectMember(ctx, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "1001", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}})
	assert.ErrorIs(t, err, acserrors.ErrUserAlreadyInProject)

	got, err := c.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "1001"})
	require.NoError(t, err)
	assert.NotEmpty(t, got.RequestID)
	assert.Equal(t, dw2024.ProjectMember{ProjectID: 27, UserID: "1001", UserName: "1001", Status: dw2024.MemberStatusNormal, Roles: []dw2024.Role{
		{Code: dataworks.RoleProjectDev, Name: "Developer", Type: dw2024.RoleTypeSystem},
		{Code: dataworks.RoleProjectDataAnalyst, Name: "Data Analyst", Type: dw2024.RoleTypeSystem},
	}}, got.Member)

	for range 2 { // a set: granting again changes nothing
		_, err = c.GrantMemberProjectRoles(ctx, &dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "1001",
			RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectPE, dataworks.RoleProjectDGAdmin}})
		require.NoError(t, err)
	}
	roles, _ := srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst, dataworks.RoleProjectPE, dataworks.RoleProjectDGAdmin}, roles)

	for range 2 { // revoking a role the member lacks is fine too
		_, err = c.RevokeMemberProjectRoles(ctx, &dw2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "1001",
			RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst}})
		require.NoError(t, err)
	}
	roles, _ = srv.MemberRoles(27, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectPE, dataworks.RoleProjectDGAdmin}, roles)

	_, err = c.DeleteProjectMember(ctx, &dw2024.DeleteProjectMemberRequest{ProjectID: 27, UserID: "1001"})
	require.NoError(t, err)
	for name, err := range map[string]error{
		"get":    getErr(c, 27, "1001"),
		"delete": deleteErr(c, 27, "1001"),
		"grant":  grantErr(c, 27, "1001", dataworks.RoleProjectDev),
		"revoke": revokeErr(c, 27, "1001", dataworks.RoleProjectDev),
	} {
		assert.ErrorIs(t, err, acserrors.ErrUserNotInProject, name)
		var apiErr *acserrors.APIError
		require.ErrorAs(t, err, &apiErr, name)
		assert.Equal(t, "1101080166", apiErr.Code, name)
	}
	for name, err := range map[string]error{
		"get":    getErr(c, 99, "1001"),
		"grant":  grantErr(c, 99, "1001", dataworks.RoleProjectDev),
		"delete": deleteErr(c, 99, "1001"),
	} {
		assert.ErrorIs(t, err, acserrors.ErrProjectNotFound, name)
	}
	srv.AddProjectMember(27, "1002")
	assert.ErrorIs(t, grantErr(c, 27, "1002", "no_such_role"), acserrors.ErrInvalidParameter)
}

func getErr(c *dw2024.Client, project int64, user string) error {
	_, err := c.GetProjectMember(context.Background(), &dw2024.GetProjectMemberRequest{ProjectID: project, UserID: user})
	return err
}

func deleteErr(c *dw2024.Client, project int64, user string) error {
	_, err := c.DeleteProjectMember(context.Background(), &dw2024.DeleteProjectMemberRequest{ProjectID: project, UserID: user})
	return err
}

func grantErr(c *dw2024.Client, project int64, user string, codes ...dataworks.RoleCode) error {
	_, err := c.GrantMemberProjectRoles(context.Background(), &dw2024.GrantMemberProjectRolesRequest{ProjectID: project, UserID: user, RoleCodes: codes})
	return err
}

func revokeErr(c *dw2024.Client, project int64, user string, codes ...dataworks.RoleCode) error {
	_, err := c.RevokeMemberProjectRoles(context.Background(), &dw2024.RevokeMemberProjectRolesRequest{ProjectID: project, UserID: user, RoleCodes: codes})
	return err
}

// DataWorks is one service: a member added through 2020-05-18 is read and
// changed through 2024-05-18, and the other way round.
func TestFakeOneStateForBothVersions(t *testing.T) {
	_, c24, c20 := startFake(t)
	ctx := context.Background()

	// 2020 → 2024.
	_, err := c20.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "u20", RoleCode: dataworks.RoleProjectGuest})
	require.NoError(t, err)
	_, err = c20.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "u20", RoleCode: dataworks.RoleProjectDev})
	require.NoError(t, err)
	got, err := c24.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	require.NoError(t, err)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectDev}, got.Member.RoleCodes())

	// 2024 changes it; 2020 sees the change, 2024-only roles included.
	_, err = c24.GrantMemberProjectRoles(ctx, &dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "u20",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDGAdmin}})
	require.NoError(t, err)
	_, err = c24.RevokeMemberProjectRoles(ctx, &dw2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "u20",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectGuest}})
	require.NoError(t, err)
	list20, err := c20.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	require.Len(t, list20.Members, 1)
	assert.Equal(t, "u20", list20.Members[0].UserID)
	assert.Equal(t, []dataworks.ProjectRole{
		{ID: 3, Code: dataworks.RoleProjectDev, Name: "Developer", Type: dataworks.RoleTypeSystem},
		{ID: 11, Code: dataworks.RoleProjectDGAdmin, Name: "Data Governance Administrator", Type: dataworks.RoleTypeSystem},
	}, list20.Members[0].Roles)

	// 2024 → 2020, and back: created in 2024, changed in 2020, read in 2024.
	_, err = c24.CreateProjectMember(ctx, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "u24",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectPE}})
	require.NoError(t, err)
	_, err = c20.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "u24", RoleCode: dataworks.RoleProjectPE})
	require.NoError(t, err)
	_, err = c20.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "u24", RoleCode: dataworks.RoleProjectAdmin})
	require.NoError(t, err)
	got, err = c24.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u24"})
	require.NoError(t, err)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectAdmin}, got.Member.RoleCodes())

	// Deleted in 2024, gone for 2020.
	_, err = c24.DeleteProjectMember(ctx, &dw2024.DeleteProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	require.NoError(t, err)
	_, err = c20.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "u20", RoleCode: dataworks.RoleProjectDev})
	assert.ErrorIs(t, err, acserrors.ErrUserNotInProject)
	list24, err := c24.ListProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Equal(t, 1, list24.TotalCount)
	assert.Equal(t, "u24", list24.Members[0].UserID)
}

func TestFakeListings(t *testing.T) {
	srv, c, _ := startFake(t)
	ctx := context.Background()
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("u%02d", i)
		role := dataworks.RoleProjectDev
		if i%5 == 0 {
			role = dataworks.RoleProjectAdmin
		}
		srv.AddProjectMember(27, id, role)
		want = append(want, id)
	}

	page, err := c.ListProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Equal(t, 1, page.PageNumber)
	assert.Equal(t, 10, page.PageSize, "the documented default")
	assert.Equal(t, 25, page.TotalCount)
	assert.Len(t, page.Members, 10)

	var ids []string
	for m, err := range c.ListAllProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27, PageSize: 7}) {
		require.NoError(t, err)
		ids = append(ids, m.UserID)
	}
	assert.Equal(t, want, ids)
	assert.Equal(t, 1+4, srv.RequestCount("ListProjectMembers"), "one page, then four of seven")

	// Filters.
	ids = nil
	for m, err := range c.ListAllProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27,
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectAdmin}, PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, m.UserID)
	}
	assert.Equal(t, []string{"u00", "u05", "u10", "u15", "u20"}, ids)
	page, err = c.ListProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{"u07", "u03", "nobody"}})
	require.NoError(t, err)
	assert.Equal(t, 2, page.TotalCount)
	assert.Equal(t, "u03", page.Members[0].UserID)
	assert.Equal(t, "u07", page.Members[1].UserID)

	// Roles: eleven built-in, then the project's custom one; the paging
	// numbers arrive as strings and decode all the same.
	srv.AddProjectMember(27, "u00", "custom_etl")
	roles, err := c.ListProjectRoles(ctx, &dw2024.ListProjectRolesRequest{ProjectID: 27, PageSize: 5})
	require.NoError(t, err)
	assert.Equal(t, 12, roles.TotalCount)
	assert.Equal(t, 5, roles.PageSize)
	assert.Len(t, roles.Roles, 5)
	var codes []dataworks.RoleCode
	for r, err := range c.ListAllProjectRoles(ctx, &dw2024.ListProjectRolesRequest{ProjectID: 27, PageSize: 5}) {
		require.NoError(t, err)
		codes = append(codes, r.Code)
	}
	require.Len(t, codes, 12)
	assert.Equal(t, dataworks.RoleProjectOwner, codes[0])
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDataAnalyst, dataworks.RoleProjectDGAdmin, "custom_etl"}, codes[9:])

	custom, err := c.ListProjectRoles(ctx, &dw2024.ListProjectRolesRequest{ProjectID: 27, Type: dw2024.RoleTypeUserCustom})
	require.NoError(t, err)
	assert.Equal(t, []dw2024.ProjectRole{{ProjectID: 27, Code: "custom_etl", Name: "custom_etl", Type: dw2024.RoleTypeUserCustom}}, custom.Roles)

	role, err := c.GetProjectRole(ctx, &dw2024.GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleProjectGuest})
	require.NoError(t, err)
	assert.Equal(t, dw2024.ProjectRole{ProjectID: 27, Code: dataworks.RoleProjectGuest, Name: "Visitor", Type: dw2024.RoleTypeSystem}, role.Role)
	_, err = c.GetProjectRole(ctx, &dw2024.GetProjectRoleRequest{ProjectID: 27, Code: "nope"})
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
}

// FailNext and RequestCount key on the action name, whichever version
// calls it. A safe call is retried past a 503; Create is not, and did not
// act.
func TestFakeFaultsAcrossVersions(t *testing.T) {
	srv, c24, c20 := startFake(t)
	ctx := context.Background()

	srv.FailNext("ListProjectMembers", 400, "Throttling.User")
	srv.FailNext("ListProjectMembers", 400, "Invalid.Tenant.ProjectNotExists")
	_, err := c20.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27})
	assert.ErrorIs(t, err, acserrors.ErrProjectNotFound, "2020 retried the throttled call and met the second fault")
	_, err = c24.ListProjectMembers(ctx, &dw2024.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Equal(t, 3, srv.RequestCount("ListProjectMembers"), "both versions counted")

	srv.AddProjectMember(27, "u")
	srv.FailNext("GrantMemberProjectRoles", 503, "ServiceUnavailable")
	require.NoError(t, grantErr(c24, 27, "u", dataworks.RoleProjectDev))
	assert.Equal(t, 2, srv.RequestCount("GrantMemberProjectRoles"))

	srv.FailNext("CreateProjectMember", 503, "ServiceUnavailable")
	_, err = c24.CreateProjectMember(ctx, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "v", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}})
	assert.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.Equal(t, 1, srv.RequestCount("CreateProjectMember"), "not repeated")
	_, ok := srv.MemberRoles(27, "v")
	assert.False(t, ok)
	assert.ErrorIs(t, getErr(c24, 27, "v"), acserrors.ErrUserNotInProject)

	for _, a := range []string{"RevokeMemberProjectRoles", "GetProjectRole"} {
		assert.Zero(t, srv.RequestCount(a), a)
	}
}
