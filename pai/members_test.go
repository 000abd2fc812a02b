package pai

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// Hostile path values and their only correct escaping: each stays one path
// segment, whatever it contains ("/", "..", "?", "#", "&", "+", space, "%",
// non-ASCII).
const (
	hostileWS         = "ws/../x?y#z&w+v 空%2F"
	hostileWSEscaped  = "ws%2F..%2Fx%3Fy%23z%26w%2Bv%20%E7%A9%BA%252F"
	hostileMember     = "a/../b"
	hostileMemberEsc  = "a%2F..%2Fb"
	hostileRole       = Role("PAI.x/y?z#é")
	hostileRoleEscape = "PAI.x%2Fy%3Fz%23%C3%A9"
)

func TestCreateMemberWire(t *testing.T) {
	c := newGockClient(t)
	got := expect(t, 200, `{"RequestId":"req-1","Members":[{"MemberId":"ws1-u1","UserId":"u1","DisplayName":"alice","Roles":["PAI.AlgoDeveloper"]}]}`)

	resp, err := c.CreateMember(t.Context(), &CreateMemberRequest{
		WorkspaceID: "ws1",
		Members:     []MemberSpec{{UserID: "u1", Roles: []Role{RoleAlgoDeveloper}}},
	})
	require.NoError(t, err)
	got.assertWire(t, want{
		action: "CreateMember", method: "POST", path: "/api/v1/workspaces/ws1/members",
		body: `{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"u1"}]}`,
	})
	assert.Equal(t, &CreateMemberResponse{RequestID: "req-1", Members: []Member{{
		MemberID: "ws1-u1", UserID: "u1", DisplayName: "alice", Roles: []Role{RoleAlgoDeveloper},
	}}}, resp)
}

func TestCreateMemberHostileWorkspace(t *testing.T) {
	c := newGockClient(t)
	got := expect(t, 200, `{"RequestId":"r"}`)
	_, err := c.CreateMember(t.Context(), &CreateMemberRequest{
		WorkspaceID: hostileWS,
		Members:     []MemberSpec{{UserID: "u<1>&", Roles: []Role{RoleAlgoDeveloper, RoleWorkspaceAdmin}}},
	})
	require.NoError(t, err)
	got.assertWire(t, want{
		action: "CreateMember", method: "POST", path: "/api/v1/workspaces/" + hostileWSEscaped + "/members",
		// Not HTML-escaped, as the official SDK sends it.
		body: `{"Members":[{"Roles":["PAI.AlgoDeveloper","PAI.WorkspaceAdmin"],"UserId":"u<1>&"}]}`,
	})
}

const memberReply = `{"RequestId":"req-2","MemberId":"ws1-u1","UserId":"u1","MemberName":"alice","DisplayName":"Alice",
	"AccountName":"acct","AccountType":5,"GmtCreateTime":"2021-01-21T17:12:35.232Z",
	"Roles":["PAI.AlgoDeveloper","PAI.WorkspaceAdmin"]}`

func TestGetMemberWire(t *testing.T) {
	tests := []struct {
		name  string
		req   GetMemberRequest
		path  string
		query string
	}{
		{"by user", GetMemberRequest{WorkspaceID: "ws1", UserID: "u1"}, "/api/v1/workspaces/ws1/member", "UserId=u1"},
		{"by member", GetMemberRequest{WorkspaceID: "ws1", MemberID: "ws1-u1"}, "/api/v1/workspaces/ws1/member", "MemberId=ws1-u1"},
		{"hostile", GetMemberRequest{WorkspaceID: hostileWS, MemberID: "m&x=1 /"},
			"/api/v1/workspaces/" + hostileWSEscaped + "/member", "MemberId=m%26x%3D1%20%2F"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newGockClient(t)
			got := expect(t, 200, memberReply)
			resp, err := c.GetMember(t.Context(), &tt.req)
			require.NoError(t, err)
			got.assertWire(t, want{action: "GetMember", method: "GET", path: tt.path, query: tt.query})
			assert.Equal(t, &GetMemberResponse{RequestID: "req-2", Member: Member{
				MemberID: "ws1-u1", UserID: "u1", MemberName: "alice", DisplayName: "Alice",
				AccountName: "acct", AccountType: "5", Roles: []Role{RoleAlgoDeveloper, RoleWorkspaceAdmin},
				CreateTime: time.Date(2021, 1, 21, 17, 12, 35, 232e6, time.UTC),
			}}, resp)
		})
	}
}

func TestGetMemberNotFound(t *testing.T) {
	c := newGockClient(t)
	expect(t, 404, `{"RequestId":"r-404","Code":"100600006","Message":"member not found"}`)
	resp, err := c.GetMember(t.Context(), &GetMemberRequest{WorkspaceID: "ws1", UserID: "u1"})
	require.Error(t, err)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
	assert.NotErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "GetMember", apiErr.Operation)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "r-404", apiErr.RequestID)
}

func TestListMembersWire(t *testing.T) {
	t.Run("every filter", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"req-3","TotalCount":12,"Members":[
			{"MemberId":"ws1-u1","UserId":"u1","MemberName":"alice","DisplayName":"Alice","AccountName":"testAccount",
			 "AccountType":"5","GmtCreateTime":"2021-01-21T17:12:35Z","Roles":["PAI.AlgoDeveloper"]},
			{"MemberId":"ws1-u2","UserId":"u2","Roles":["PAI.WorkspaceAdmin","PAI.LabelManager"]}]}`)
		resp, err := c.ListMembers(t.Context(), &ListMembersRequest{
			WorkspaceID: "ws1", MemberName: "a&b=c d+é", UserID: "u1",
			Roles:      []Role{RoleAlgoDeveloper, RoleWorkspaceAdmin},
			PageNumber: 2, PageSize: 10,
		})
		require.NoError(t, err)
		got.assertWire(t, want{
			action: "ListMembers", method: "GET", path: "/api/v1/workspaces/ws1/members",
			query: "MemberName=a%26b%3Dc%20d%2B%C3%A9&PageNumber=2&PageSize=10&Roles=PAI.AlgoDeveloper%2CPAI.WorkspaceAdmin&UserId=u1",
		})
		assert.Equal(t, &ListMembersResponse{RequestID: "req-3", TotalCount: 12, Members: []Member{
			{MemberID: "ws1-u1", UserID: "u1", MemberName: "alice", DisplayName: "Alice", AccountName: "testAccount",
				AccountType: "5", Roles: []Role{RoleAlgoDeveloper}, CreateTime: time.Date(2021, 1, 21, 17, 12, 35, 0, time.UTC)},
			{MemberID: "ws1-u2", UserID: "u2", Roles: []Role{RoleWorkspaceAdmin, RoleLabelManager}},
		}}, resp)
	})
	t.Run("no filters sends no query", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"r","TotalCount":0,"Members":[]}`)
		resp, err := c.ListMembers(t.Context(), &ListMembersRequest{WorkspaceID: hostileWS})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListMembers", method: "GET", path: "/api/v1/workspaces/" + hostileWSEscaped + "/members"})
		assert.Equal(t, &ListMembersResponse{RequestID: "r"}, resp)
	})
}

func TestDeleteMembersWire(t *testing.T) {
	c := newGockClient(t)
	got := expect(t, 200, `{"RequestId":"req-4"}`)
	resp, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: "ws1", MemberIDs: []string{"ws1-u1", "ws1-u 2&"}})
	require.NoError(t, err)
	got.assertWire(t, want{
		action: "DeleteMembers", method: "DELETE", path: "/api/v1/workspaces/ws1/members",
		query: "MemberIds=ws1-u1%2Cws1-u%202%26",
	})
	assert.Equal(t, &DeleteMembersResponse{RequestID: "req-4"}, resp)
}

func TestDeleteMembersHostileWorkspace(t *testing.T) {
	c := newGockClient(t)
	got := expect(t, 200, `{"RequestId":"r"}`)
	_, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: hostileWS, MemberIDs: []string{hostileMember}})
	require.NoError(t, err)
	got.assertWire(t, want{
		action: "DeleteMembers", method: "DELETE", path: "/api/v1/workspaces/" + hostileWSEscaped + "/members",
		query: "MemberIds=" + hostileMemberEsc,
	})
}

// The owner cannot be removed, and the service says so in a 200 body: that
// must be an error, not a success.
func TestDeleteMembersOwnerInSuccessBody(t *testing.T) {
	c := newGockClient(t)
	expect(t, 200, `{"RequestId":"r","Code":"100600017","Message":"Owner not allowed to delete"}`)
	resp, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: "ws1", MemberIDs: []string{"ws1-owner"}})
	require.Error(t, err)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, acserrors.ErrOwnerNotDeletable)
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "DeleteMembers", apiErr.Operation)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, "100600017", apiErr.Code)
	assert.Equal(t, "r", apiErr.RequestID)
	assert.Equal(t, "Owner not allowed to delete", apiErr.Message)
}

// Removing the owner may also come back as a 4xx; the identity is the same.
func TestDeleteMembersOwnerAsClientError(t *testing.T) {
	c := newGockClient(t)
	expect(t, 400, `{"RequestId":"r","Code":"100600017","Message":"Owner not allowed to delete"}`)
	_, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: "ws1", MemberIDs: []string{"ws1-owner"}})
	assert.ErrorIs(t, err, acserrors.ErrOwnerNotDeletable)
}
