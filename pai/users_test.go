package pai

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListWorkspaceUsersWire(t *testing.T) {
	t.Run("filters", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"req-6","TotalCount":2,"Users":[{"UserId":"u1","UserName":"bob"},{"UserId":"u2","UserName":"bobby"}]}`)
		resp, err := c.ListWorkspaceUsers(t.Context(), &ListWorkspaceUsersRequest{WorkspaceID: "ws1", UserName: "bob é", UserID: "u/1"})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListWorkspaceUsers", method: "GET", path: "/api/v1/workspaces/ws1/users",
			query: "UserId=u%2F1&UserName=bob%20%C3%A9"})
		assert.Equal(t, &ListWorkspaceUsersResponse{RequestID: "req-6", TotalCount: 2, Users: []User{
			{UserID: "u1", UserName: "bob"}, {UserID: "u2", UserName: "bobby"},
		}}, resp)
	})
	t.Run("hostile workspace, no filters", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"r","TotalCount":0}`)
		resp, err := c.ListWorkspaceUsers(t.Context(), &ListWorkspaceUsersRequest{WorkspaceID: hostileWS})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListWorkspaceUsers", method: "GET", path: "/api/v1/workspaces/" + hostileWSEscaped + "/users"})
		assert.Equal(t, &ListWorkspaceUsersResponse{RequestID: "r"}, resp)
	})
}
