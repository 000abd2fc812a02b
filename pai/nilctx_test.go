package pai

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilContext: every operation and iterator given a nil context returns
// an error, as net/http does, and looks up no credentials and sends nothing
// (noIO fails the test otherwise).
func TestNilContext(t *testing.T) {
	c := newNoIOClient(t)
	var nilCtx context.Context // a careless caller's
	calls := map[string]func() error{
		"CreateMember": func() error {
			_, err := c.CreateMember(nilCtx, &CreateMemberRequest{WorkspaceID: "ws", Members: []MemberSpec{{UserID: "u", Roles: []Role{RoleWorkspaceGuest}}}})
			return err
		},
		"GetMember": func() error {
			_, err := c.GetMember(nilCtx, &GetMemberRequest{WorkspaceID: "ws", UserID: "u"})
			return err
		},
		"ListMembers": func() error {
			_, err := c.ListMembers(nilCtx, &ListMembersRequest{WorkspaceID: "ws"})
			return err
		},
		"DeleteMembers": func() error {
			_, err := c.DeleteMembers(nilCtx, &DeleteMembersRequest{WorkspaceID: "ws", MemberIDs: []string{"m"}})
			return err
		},
		"AddMemberRole": func() error {
			_, err := c.AddMemberRole(nilCtx, &AddMemberRoleRequest{WorkspaceID: "ws", MemberID: "m", Role: RoleWorkspaceGuest})
			return err
		},
		"RemoveMemberRole": func() error {
			_, err := c.RemoveMemberRole(nilCtx, &RemoveMemberRoleRequest{WorkspaceID: "ws", MemberID: "m", Role: RoleWorkspaceGuest})
			return err
		},
		"ListWorkspaceUsers": func() error {
			_, err := c.ListWorkspaceUsers(nilCtx, &ListWorkspaceUsersRequest{WorkspaceID: "ws"})
			return err
		},
		"GetWorkspace": func() error {
			_, err := c.GetWorkspace(nilCtx, &GetWorkspaceRequest{WorkspaceID: "ws"})
			return err
		},
		"ListWorkspaces": func() error {
			_, err := c.ListWorkspaces(nilCtx, &ListWorkspacesRequest{})
			return err
		},
		"ListAllMembers": func() error {
			for _, err := range c.ListAllMembers(nilCtx, &ListMembersRequest{WorkspaceID: "ws"}) {
				return err
			}
			return nil
		},
		"ListAllWorkspaces": func() error {
			for _, err := range c.ListAllWorkspaces(nilCtx, &ListWorkspacesRequest{}) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		err := call()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "nil context", name)
	}
}
