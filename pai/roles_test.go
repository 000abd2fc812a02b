package pai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

func TestMemberRoleWire(t *testing.T) {
	type call func(c *Client, ws, member string, role Role) (string, error)
	add := func(c *Client, ws, member string, role Role) (string, error) {
		resp, err := c.AddMemberRole(t.Context(), &AddMemberRoleRequest{WorkspaceID: ws, MemberID: member, Role: role})
		if err != nil {
			return "", err
		}
		return resp.RequestID, nil
	}
	remove := func(c *Client, ws, member string, role Role) (string, error) {
		resp, err := c.RemoveMemberRole(t.Context(), &RemoveMemberRoleRequest{WorkspaceID: ws, MemberID: member, Role: role})
		if err != nil {
			return "", err
		}
		return resp.RequestID, nil
	}
	ops := []struct {
		action, method string
		call           call
	}{
		{"AddMemberRole", "POST", add},
		{"RemoveMemberRole", "DELETE", remove},
	}
	for _, op := range ops {
		t.Run(op.action, func(t *testing.T) {
			t.Run("plain", func(t *testing.T) {
				c := newGockClient(t)
				got := expect(t, 200, `{"RequestId":"req-5"}`)
				id, err := op.call(c, "ws1", "ws1-u1", RoleWorkspaceAdmin)
				require.NoError(t, err)
				assert.Equal(t, "req-5", id)
				got.assertWire(t, want{action: op.action, method: op.method,
					path: "/api/v1/workspaces/ws1/members/ws1-u1/roles/PAI.WorkspaceAdmin"})
			})
			t.Run("hostile", func(t *testing.T) {
				c := newGockClient(t)
				got := expect(t, 200, `{"RequestId":"r"}`)
				_, err := op.call(c, hostileWS, hostileMember, hostileRole)
				require.NoError(t, err)
				got.assertWire(t, want{action: op.action, method: op.method,
					path: "/api/v1/workspaces/" + hostileWSEscaped + "/members/" + hostileMemberEsc + "/roles/" + hostileRoleEscape})
			})
			t.Run("member not found", func(t *testing.T) {
				c := newGockClient(t)
				expect(t, 400, `{"RequestId":"r","Code":"100600006","Message":"member not found"}`)
				_, err := op.call(c, "ws1", "ws1-u1", RoleWorkspaceAdmin)
				assert.ErrorIs(t, err, acserrors.ErrMemberNotFound)
			})
		})
	}
}
