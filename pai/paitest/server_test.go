package paitest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

func TestMemberLifecycle(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Millisecond)
	srv, c := start(t, nil, paitest.WithClock(func() time.Time { return at }))
	srv.AddWorkspace("ws-1")
	srv.AddUser("u-2", "Bob")
	ctx := context.Background()

	created, err := c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "ws-1", Members: []pai.MemberSpec{
		{UserID: "u-1", Roles: []pai.Role{pai.RoleAlgoDeveloper}},
		{UserID: "u-2", Roles: []pai.Role{pai.RoleWorkspaceGuest, pai.RoleLabelManager}},
	}})
	require.NoError(t, err)
	assert.NotEmpty(t, created.RequestID)
	assert.Equal(t, []pai.Member{
		{MemberID: "ws-1-u-1", UserID: "u-1", DisplayName: "u-1", Roles: []pai.Role{pai.RoleAlgoDeveloper}},
		{MemberID: "ws-1-u-2", UserID: "u-2", DisplayName: "Bob", Roles: []pai.Role{pai.RoleWorkspaceGuest, pai.RoleLabelManager}},
	}, created.Members)

	byUser, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "u-2"})
	require.NoError(t, err)
	assert.Equal(t, pai.Member{
		MemberID: "ws-1-u-2", UserID: "u-2", MemberName: "Bob", DisplayName: "Bob", AccountType: "5",
		Roles: []pai.Role{pai.RoleWorkspaceGuest, pai.RoleLabelManager}, CreateTime: at,
	}, byUser.Member)
	byID, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", MemberID: "ws-1-u-2"})
	require.NoError(t, err)
	assert.Equal(t, byUser.Member, byID.Member)
	assert.NotEqual(t, byUser.RequestID, byID.RequestID)

	// Roles are a set: granting twice changes nothing, revoking an absent one neither.
	for range 2 {
		_, err = c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws-1", MemberID: "ws-1-u-1", Role: pai.RoleWorkspaceAdmin})
		require.NoError(t, err)
	}
	_, err = c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws-1", MemberID: "ws-1-u-1", Role: pai.RoleAlgoDeveloper})
	require.NoError(t, err)
	_, err = c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws-1", MemberID: "ws-1-u-1", Role: pai.RoleAlgoOperator})
	require.NoError(t, err)
	got, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "u-1"})
	require.NoError(t, err)
	assert.Equal(t, []pai.Role{pai.RoleWorkspaceAdmin}, got.Roles)

	list, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws-1"})
	require.NoError(t, err)
	assert.Equal(t, 2, list.TotalCount)
	require.Len(t, list.Members, 2)
	assert.Equal(t, "Bob", list.Members[1].AccountName, "ListMembers adds AccountName")
	m, ok := srv.Member("ws-1", "u-1")
	require.True(t, ok)
	assert.Equal(t, list.Members[0], m, "the helper sees what the API reports")

	_, err = c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws-1", MemberIDs: []string{"ws-1-u-1", "ws-1-u-2"}})
	require.NoError(t, err)
	_, err = c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws-1", UserID: "u-1"})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	_, ok = srv.Member("ws-1", "u-1")
	assert.False(t, ok)
	list, err = c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws-1"})
	require.NoError(t, err)
	assert.Zero(t, list.TotalCount)
	assert.Empty(t, list.Members)
}

func TestCreateMemberRefusals(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	srv.AddMember("ws", "old", pai.RoleWorkspaceGuest)
	ctx := context.Background()

	// One member already there: the whole request fails and adds nobody.
	_, err := c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "ws", Members: []pai.MemberSpec{
		{UserID: "new", Roles: []pai.Role{pai.RoleAlgoDeveloper}},
		{UserID: "old", Roles: []pai.Role{pai.RoleAlgoDeveloper}},
	}})
	e := apiError(t, err)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, "MemberAlreadyExists", e.Code)
	assert.ErrorIs(t, err, acserrors.ErrMemberAlreadyExists, "idempotent code can match it without comparing strings")
	_, ok := srv.Member("ws", "new")
	assert.False(t, ok)

	_, err = c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "ws", Members: []pai.MemberSpec{{UserID: "new", Roles: []pai.Role{"PAI.Superuser"}}}})
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.Equal(t, "InvalidParameter", apiError(t, err).Code)

	_, err = c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "nope", Members: []pai.MemberSpec{{UserID: "new", Roles: []pai.Role{pai.RoleAlgoDeveloper}}}})
	assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
	assert.Equal(t, 404, apiError(t, err).StatusCode)
}

func TestMemberNotFound(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	ctx := context.Background()

	_, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws", UserID: "ghost"})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	assert.Equal(t, "100600006", apiError(t, err).Code)
	_, err = c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "ws", MemberID: "ws-ghost"})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	_, err = c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws", MemberID: "ws-ghost", Role: pai.RoleWorkspaceAdmin})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	_, err = c.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws", MemberID: "ws-ghost", Role: pai.RoleWorkspaceAdmin})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)

	id := srv.AddMember("ws", "u", pai.RoleAlgoDeveloper)
	_, err = c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws", MemberID: id, Role: "PAI.Nobody"})
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
}

func TestWorkspaceNotFound(t *testing.T) {
	_, c := start(t, nil)
	ctx := context.Background()
	calls := map[string]func() error{
		"GetWorkspace": func() error {
			_, err := c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "nope"})
			return err
		},
		"GetMember": func() error {
			_, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "nope", UserID: "u"})
			return err
		},
		"ListMembers": func() error {
			_, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "nope"})
			return err
		},
		"DeleteMembers": func() error {
			_, err := c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "nope", MemberIDs: []string{"m"}})
			return err
		},
		"AddMemberRole": func() error {
			_, err := c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "nope", MemberID: "m", Role: pai.RoleWorkspaceAdmin})
			return err
		},
		"ListWorkspaceUsers": func() error {
			_, err := c.ListWorkspaceUsers(ctx, &pai.ListWorkspaceUsersRequest{WorkspaceID: "nope"})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound, name)
		assert.Equal(t, "100400008", apiError(t, err).Code, name)
	}
}

func TestDeleteMembers(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	owner := srv.AddMember("ws", "boss", pai.RoleWorkspaceOwner)
	a := srv.AddMember("ws", "a", pai.RoleAlgoDeveloper)
	b := srv.AddMember("ws", "b", pai.RoleAlgoDeveloper)
	ctx := context.Background()

	// The owner: refused in a 200 body, and nobody is removed.
	_, err := c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{a, owner}})
	require.ErrorIs(t, err, acserrors.ErrOwnerNotDeletable)
	e := apiError(t, err)
	assert.Equal(t, 200, e.StatusCode)
	assert.Equal(t, "Owner not allowed to delete", e.Message)
	assert.NotEmpty(t, e.RequestID)

	// An unknown member: refused, nobody removed.
	_, err = c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{a, "ws-ghost"}})
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	for _, u := range []string{"boss", "a", "b"} {
		_, ok := srv.Member("ws", u)
		assert.True(t, ok, u)
	}

	_, err = c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{a, b}})
	require.NoError(t, err)
	list, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws"})
	require.NoError(t, err)
	require.Len(t, list.Members, 1)
	assert.Equal(t, owner, list.Members[0].MemberID)
}

func TestListMembersFiltersAndPages(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	srv.AddUser("u-00", "Alice Admin")
	for i := range 25 {
		role := pai.RoleAlgoDeveloper
		if i%5 == 0 {
			role = pai.RoleWorkspaceAdmin
		}
		srv.AddMember("ws", fmt.Sprintf("u-%02d", i), role)
	}
	ctx := context.Background()

	first, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws"})
	require.NoError(t, err)
	assert.Equal(t, 25, first.TotalCount)
	require.Len(t, first.Members, 20, "default page size")
	assert.Equal(t, "u-00", first.Members[0].UserID, "creation order")
	second, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", PageNumber: 2})
	require.NoError(t, err)
	require.Len(t, second.Members, 5)
	assert.Equal(t, "u-20", second.Members[0].UserID)
	beyond, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", PageNumber: 9, PageSize: 10})
	require.NoError(t, err)
	assert.Equal(t, 25, beyond.TotalCount)
	assert.Empty(t, beyond.Members)

	var all []string
	for m, err := range c.ListAllMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", PageSize: 7}) {
		require.NoError(t, err)
		all = append(all, m.UserID)
	}
	assert.Len(t, all, 25)
	assert.Equal(t, "u-24", all[24])

	admins, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", Roles: []pai.Role{pai.RoleWorkspaceAdmin, pai.RoleLabelManager}})
	require.NoError(t, err)
	assert.Equal(t, 5, admins.TotalCount)
	for _, m := range admins.Members {
		assert.Equal(t, []pai.Role{pai.RoleWorkspaceAdmin}, m.Roles)
	}

	byName, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", MemberName: "alice"})
	require.NoError(t, err)
	require.Equal(t, 1, byName.TotalCount, "fuzzy, case-insensitive")
	assert.Equal(t, "Alice Admin", byName.Members[0].MemberName)
	byName, err = c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", MemberName: "u-1"})
	require.NoError(t, err)
	assert.Equal(t, 10, byName.TotalCount, "u-10 … u-19")

	byUser, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", UserID: "u-07"})
	require.NoError(t, err)
	require.Len(t, byUser.Members, 1)
	assert.Equal(t, "ws-u-07", byUser.Members[0].MemberID)

	_, err = c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: "ws", Roles: []pai.Role{"PAI.Nobody"}})
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
}

func TestListWorkspaceUsers(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	srv.AddWorkspace("other")
	srv.AddUser("1001", "alice")
	srv.AddUser("1002", "bob")
	srv.AddMember("ws", "1001", pai.RoleAlgoDeveloper)
	srv.AddMember("other", "1003", pai.RoleAlgoDeveloper)
	ctx := context.Background()

	got, err := c.ListWorkspaceUsers(ctx, &pai.ListWorkspaceUsersRequest{WorkspaceID: "ws"})
	require.NoError(t, err)
	assert.Equal(t, 2, got.TotalCount)
	assert.Equal(t, []pai.User{{UserID: "1002", UserName: "bob"}, {UserID: "1003", UserName: "1003"}}, got.Users)

	got, err = c.ListWorkspaceUsers(ctx, &pai.ListWorkspaceUsersRequest{WorkspaceID: "ws", UserName: "BO"})
	require.NoError(t, err)
	assert.Equal(t, []pai.User{{UserID: "1002", UserName: "bob"}}, got.Users)
	got, err = c.ListWorkspaceUsers(ctx, &pai.ListWorkspaceUsersRequest{WorkspaceID: "ws", UserID: "1001"})
	require.NoError(t, err)
	assert.Empty(t, got.Users, "members are not offered")
}

func TestWorkspaces(t *testing.T) {
	t0 := time.Now().UTC().Truncate(time.Millisecond)
	clk := &clock{t: t0}
	srv, c := start(t, nil, paitest.WithClock(clk.Now))
	srv.AddWorkspace("ws-a")
	srv.AddWorkspace("ws-b")
	srv.AddWorkspace("other")
	srv.AddUser("boss", "The Boss")
	srv.AddMember("ws-a", "boss", pai.RoleWorkspaceOwner)
	srv.AddMember("ws-a", "adm", pai.RoleWorkspaceAdmin)
	ctx := context.Background()

	got, err := c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "ws-a"})
	require.NoError(t, err)
	assert.Equal(t, pai.Workspace{
		WorkspaceID: "ws-a", WorkspaceName: "ws-a", DisplayName: "ws-a", Creator: "boss",
		Status: pai.WorkspaceEnabled, EnvTypes: []string{"prod"}, AdminNames: []string{"adm"},
		ExtraInfos: map[string]any{}, CreateTime: t0, ModifiedTime: t0,
	}, got.Workspace)
	assert.Zero(t, got.Owner, "Owner only when verbose")
	got, err = c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "ws-a", Verbose: true})
	require.NoError(t, err)
	assert.Equal(t, pai.WorkspaceOwner{UserID: "boss", UserKp: "boss", UserName: "The Boss", DisplayName: "The Boss"}, got.Owner)

	list, err := c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{})
	require.NoError(t, err)
	assert.Equal(t, 3, list.TotalCount)
	assert.Equal(t, []string{"ws-a", "ws-b", "other"}, workspaceIDs(list.Workspaces))
	assert.Equal(t, "boss", list.Workspaces[0].Creator)

	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{WorkspaceName: "WS-", Order: "DESC", PageSize: 1, PageNumber: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, list.TotalCount)
	assert.Equal(t, []string{"ws-b"}, workspaceIDs(list.Workspaces))

	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{WorkspaceIDs: []string{"other", "ws-b", "missing"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"ws-b", "other"}, workspaceIDs(list.Workspaces))

	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{UserID: "adm", Fields: []string{"Id"}})
	require.NoError(t, err)
	require.Len(t, list.Workspaces, 1)
	assert.Equal(t, pai.Workspace{WorkspaceID: "ws-a"}, list.Workspaces[0], "Fields=Id sends only the ID")

	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{Status: pai.WorkspaceFrozen})
	require.NoError(t, err)
	assert.Zero(t, list.TotalCount)

	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{Option: "GetResourceLimits"})
	require.NoError(t, err)
	assert.NotNil(t, list.ResourceLimits)
	assert.Empty(t, list.Workspaces)

	_, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{SortBy: "Name"})
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)

	// Membership changes move GmtModifiedTime, which SortBy can use.
	clk.Set(t0.Add(time.Second))
	srv.AddMember("ws-b", "x", pai.RoleWorkspaceGuest)
	list, err = c.ListWorkspaces(ctx, &pai.ListWorkspacesRequest{SortBy: "GmtModifiedTime", Order: "DESC"})
	require.NoError(t, err)
	assert.Equal(t, "ws-b", list.Workspaces[0].WorkspaceID)
	assert.Equal(t, t0.Add(time.Second), list.Workspaces[0].ModifiedTime)
}

func workspaceIDs(ws []pai.Workspace) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.WorkspaceID
	}
	return out
}

func TestFailNext(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("ws")
	ctx := context.Background()
	srv.FailNext("CreateMember", 503, "ServiceUnavailable")
	srv.FailNext("CreateMember", 400, "Throttling.User")
	create := func() error {
		_, err := c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: "ws", Members: []pai.MemberSpec{{UserID: "u", Roles: []pai.Role{pai.RoleAlgoDeveloper}}}})
		return err
	}

	err := create()
	assert.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.Equal(t, 503, apiError(t, err).StatusCode)
	_, ok := srv.Member("ws", "u")
	assert.False(t, ok, "a failed call does not act")
	assert.ErrorIs(t, create(), acserrors.ErrThrottled, "faults queue up")
	require.NoError(t, create(), "each fault is used once")
	assert.Equal(t, 3, srv.RequestCount("CreateMember"))
	assert.Zero(t, srv.RequestCount("GetMember"))

	assert.Panics(t, func() { srv.FailNext("CreateMembers", 500, "InternalError") }, "a typo is caught")
}

// Our client retries a GET after a 5xx: the fault is consumed by the first
// attempt and the second one succeeds.
func TestFailNextWithRetries(t *testing.T) {
	srv, c := start(t, func(o *pai.Options) { o.MaxAttempts = 3 })
	srv.AddWorkspace("ws")
	srv.AddMember("ws", "u", pai.RoleAlgoDeveloper)
	srv.FailNext("GetMember", 500, "InternalError")

	got, err := c.GetMember(context.Background(), &pai.GetMemberRequest{WorkspaceID: "ws", UserID: "u"})
	require.NoError(t, err)
	assert.Equal(t, "ws-u", got.MemberID)
	assert.Equal(t, 2, srv.RequestCount("GetMember"))
}

// IDs that would change a path if they were not escaped per segment.
func TestHostileIDs(t *testing.T) {
	srv, c := start(t, nil)
	ctx := context.Background()
	ids := []string{"a/b", "../up", "x?y#z&w+v", "with space", "名字", "%2F", "a*b~c", "semi;colon=eq"}
	for _, ws := range ids {
		srv.AddWorkspace(ws)
		for _, user := range ids {
			t.Run(ws+" "+user, func(t *testing.T) {
				created, err := c.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: ws, Members: []pai.MemberSpec{{UserID: user, Roles: []pai.Role{pai.RoleAlgoDeveloper}}}})
				require.NoError(t, err)
				id := created.Members[0].MemberID
				assert.Equal(t, ws+"-"+user, id)

				_, err = c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: ws, MemberID: id, Role: pai.RoleWorkspaceAdmin})
				require.NoError(t, err)
				got, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: ws, MemberID: id})
				require.NoError(t, err)
				assert.Equal(t, user, got.UserID)
				assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin}, got.Roles)

				list, err := c.ListMembers(ctx, &pai.ListMembersRequest{WorkspaceID: ws, UserID: user, MemberName: user})
				require.NoError(t, err)
				require.Len(t, list.Members, 1)
				assert.Equal(t, id, list.Members[0].MemberID)

				_, err = c.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: ws, MemberIDs: []string{id}})
				require.NoError(t, err)
				_, ok := srv.Member(ws, user)
				assert.False(t, ok)
			})
		}
		w, err := c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: ws})
		require.NoError(t, err)
		assert.Equal(t, ws, w.WorkspaceID)
	}
	// Nothing leaked into another workspace through a path mix-up.
	_, ok := srv.Member("a", "b")
	assert.False(t, ok)
}

// Our client refuses "." and ".." as IDs before sending; the fake itself
// does not normalise paths, so another client sending them is served right.
func TestDotDotSegment(t *testing.T) {
	srv, c := start(t, nil)
	srv.AddWorkspace("..")
	srv.AddMember("..", "u", pai.RoleAlgoDeveloper)

	_, err := c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: ".."})
	var ve *acserrors.ValidationError
	assert.ErrorAs(t, err, &ve)

	status, doc := do(t, signedRequest(t, srv, "GET", "/api/v1/workspaces/../member?UserId=u", "GetMember", time.Now(), "", nil))
	require.Equal(t, 200, status, "%v", doc)
	assert.Equal(t, "..-u", doc["MemberId"])
}

func TestUnknownPaths(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws")
	for _, tc := range []struct{ method, path, action string }{
		{"GET", "/api/v1/workspaces/ws/members/ws-u", "GetMember"},
		{"PUT", "/api/v1/workspaces/ws/members", "CreateMember"},
		{"POST", "/api/v1/workspaces", "ListWorkspaces"},
		{"GET", "/", "ListWorkspaces"},
		{"GET", "/api/v2/workspaces", "ListWorkspaces"},
	} {
		status, doc := do(t, signedRequest(t, srv, tc.method, tc.path, tc.action, time.Now(), "", nil))
		assert.Equal(t, 404, status, tc.path)
		assert.Equal(t, "InvalidAction.NotFound", doc["Code"], tc.path)
	}
	// The action must match the path.
	status, doc := do(t, signedRequest(t, srv, "GET", "/api/v1/workspaces/ws", "DeleteMembers", time.Now(), "", nil))
	assert.Equal(t, 404, status)
	assert.Equal(t, "InvalidAction.NotFound", doc["Code"])
}

// Errors carry what the gateway sends: request and host IDs, and a link.
func TestErrorFields(t *testing.T) {
	srv, c := start(t, nil)
	_, err := c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "nope"})
	e := apiError(t, err)
	assert.Regexp(t, `^[0-9A-F-]{36}$`, e.RequestID)
	assert.Equal(t, strings.TrimPrefix(srv.URL, "http://"), e.HostID)
	assert.Equal(t, "https://api.aliyun.com/troubleshoot?q=100400008&product=AIWorkSpace&requestId="+e.RequestID, e.Recommend)
	assert.Contains(t, e.Message, `"nope"`)
}
