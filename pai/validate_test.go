package pai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every invalid request is rejected with a ValidationError naming each bad
// field, before credentials are looked up or anything is sent (noIO fails
// the test otherwise).
func TestValidationBeforeIO(t *testing.T) {
	tests := []struct {
		name   string
		op     string
		call   func(c *Client) error
		fields []string
	}{
		{"CreateMember nil", "CreateMember", func(c *Client) error { _, err := c.CreateMember(t.Context(), nil); return err }, []string{"request"}},
		{"CreateMember dot, no members", "CreateMember", func(c *Client) error {
			_, err := c.CreateMember(t.Context(), &CreateMemberRequest{WorkspaceID: "."})
			return err
		}, []string{"WorkspaceID", "Members"}},
		{"CreateMember bad members", "CreateMember", func(c *Client) error {
			_, err := c.CreateMember(t.Context(), &CreateMemberRequest{WorkspaceID: "..", Members: []MemberSpec{
				{UserID: ""}, {UserID: ".", Roles: []Role{RoleAlgoDeveloper, ""}}}})
			return err
		}, []string{"WorkspaceID", "Members[0].UserID", "Members[0].Roles", "Members[1].UserID", "Members[1].Roles[1]"}},

		{"GetMember nil", "GetMember", func(c *Client) error { _, err := c.GetMember(t.Context(), nil); return err }, []string{"request"}},
		{"GetMember neither", "GetMember", func(c *Client) error {
			_, err := c.GetMember(t.Context(), &GetMemberRequest{WorkspaceID: "ws"})
			return err
		}, []string{"UserID"}},
		{"GetMember both", "GetMember", func(c *Client) error {
			_, err := c.GetMember(t.Context(), &GetMemberRequest{WorkspaceID: "ws", UserID: "u", MemberID: "m"})
			return err
		}, []string{"MemberID"}},
		{"GetMember dots and control", "GetMember", func(c *Client) error {
			_, err := c.GetMember(t.Context(), &GetMemberRequest{WorkspaceID: "..", UserID: "u\x00"})
			return err
		}, []string{"WorkspaceID", "UserID"}},

		{"AddMemberRole nil", "AddMemberRole", func(c *Client) error { _, err := c.AddMemberRole(t.Context(), nil); return err }, []string{"request"}},
		{"AddMemberRole empty", "AddMemberRole", func(c *Client) error {
			_, err := c.AddMemberRole(t.Context(), &AddMemberRoleRequest{})
			return err
		}, []string{"WorkspaceID", "MemberID", "Role"}},
		{"AddMemberRole dots", "AddMemberRole", func(c *Client) error {
			_, err := c.AddMemberRole(t.Context(), &AddMemberRoleRequest{WorkspaceID: ".", MemberID: "..", Role: "."})
			return err
		}, []string{"WorkspaceID", "MemberID", "Role"}},

		{"RemoveMemberRole nil", "RemoveMemberRole", func(c *Client) error { _, err := c.RemoveMemberRole(t.Context(), nil); return err }, []string{"request"}},
		{"RemoveMemberRole empty", "RemoveMemberRole", func(c *Client) error {
			_, err := c.RemoveMemberRole(t.Context(), &RemoveMemberRoleRequest{})
			return err
		}, []string{"WorkspaceID", "MemberID", "Role"}},
		{"RemoveMemberRole dots", "RemoveMemberRole", func(c *Client) error {
			_, err := c.RemoveMemberRole(t.Context(), &RemoveMemberRoleRequest{WorkspaceID: "..", MemberID: ".", Role: ".."})
			return err
		}, []string{"WorkspaceID", "MemberID", "Role"}},

		{"ListMembers nil", "ListMembers", func(c *Client) error { _, err := c.ListMembers(t.Context(), nil); return err }, []string{"request"}},
		{"ListMembers bad", "ListMembers", func(c *Client) error {
			_, err := c.ListMembers(t.Context(), &ListMembersRequest{WorkspaceID: "..",
				Roles: []Role{RoleAlgoDeveloper, "", "PAI.A,PAI.B"}, PageNumber: -1, PageSize: -1})
			return err
		}, []string{"WorkspaceID", "Roles[1]", "Roles[2]", "PageNumber", "PageSize"}},

		{"DeleteMembers nil", "DeleteMembers", func(c *Client) error { _, err := c.DeleteMembers(t.Context(), nil); return err }, []string{"request"}},
		{"DeleteMembers no IDs", "DeleteMembers", func(c *Client) error {
			_, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: "."})
			return err
		}, []string{"WorkspaceID", "MemberIDs"}},
		{"DeleteMembers bad IDs", "DeleteMembers", func(c *Client) error {
			_, err := c.DeleteMembers(t.Context(), &DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{"a,b", "", "..", "ok"}})
			return err
		}, []string{"MemberIDs[0]", "MemberIDs[1]", "MemberIDs[2]"}},

		{"ListWorkspaceUsers nil", "ListWorkspaceUsers", func(c *Client) error { _, err := c.ListWorkspaceUsers(t.Context(), nil); return err }, []string{"request"}},
		{"ListWorkspaceUsers dot", "ListWorkspaceUsers", func(c *Client) error {
			_, err := c.ListWorkspaceUsers(t.Context(), &ListWorkspaceUsersRequest{WorkspaceID: "."})
			return err
		}, []string{"WorkspaceID"}},

		{"GetWorkspace nil", "GetWorkspace", func(c *Client) error { _, err := c.GetWorkspace(t.Context(), nil); return err }, []string{"request"}},
		{"GetWorkspace dotdot", "GetWorkspace", func(c *Client) error {
			_, err := c.GetWorkspace(t.Context(), &GetWorkspaceRequest{WorkspaceID: "..", Verbose: true})
			return err
		}, []string{"WorkspaceID"}},
		{"GetWorkspace empty", "GetWorkspace", func(c *Client) error {
			_, err := c.GetWorkspace(t.Context(), &GetWorkspaceRequest{})
			return err
		}, []string{"WorkspaceID"}},

		{"ListWorkspaces nil", "ListWorkspaces", func(c *Client) error { _, err := c.ListWorkspaces(t.Context(), nil); return err }, []string{"request"}},
		{"ListWorkspaces bad", "ListWorkspaces", func(c *Client) error {
			_, err := c.ListWorkspaces(t.Context(), &ListWorkspacesRequest{WorkspaceIDs: []string{"1,2"},
				ModuleList: []string{""}, Fields: []string{"."}, PageNumber: -2, PageSize: -5})
			return err
		}, []string{"WorkspaceIDs[0]", "ModuleList[0]", "Fields[0]", "PageNumber", "PageSize"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireValidation(t, tt.call(newNoIOClient(t)), tt.op, tt.fields...)
		})
	}
}

// The iterators report an invalid or nil request as one yielded error and
// send nothing.
func TestIteratorsValidateBeforeIO(t *testing.T) {
	c := newNoIOClient(t)
	t.Run("ListAllMembers nil", func(t *testing.T) {
		var errs []error
		for m, err := range c.ListAllMembers(t.Context(), nil) {
			assert.Zero(t, m)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		requireValidation(t, errs[0], "ListMembers", "request")
	})
	t.Run("ListAllMembers invalid", func(t *testing.T) {
		var errs []error
		for _, err := range c.ListAllMembers(t.Context(), &ListMembersRequest{WorkspaceID: ".", PageSize: -1}) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		requireValidation(t, errs[0], "ListMembers", "WorkspaceID", "PageSize")
	})
	t.Run("ListAllWorkspaces nil", func(t *testing.T) {
		var errs []error
		for w, err := range c.ListAllWorkspaces(t.Context(), nil) {
			assert.Zero(t, w)
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		requireValidation(t, errs[0], "ListWorkspaces", "request")
	})
}
