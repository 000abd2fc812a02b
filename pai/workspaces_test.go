package pai

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

const workspaceReply = `{"RequestId":"req-7","WorkspaceId":"145883","WorkspaceName":"ws_name","DisplayName":"WS",
	"Description":"d","Creator":"c1","Status":"ENABLED","IsDefault":true,"EnvTypes":["dev","prod"],
	"AdminNames":["alice"],"ExtraInfos":{"TenantId":"t1"},"GmtCreateTime":"2021-01-21T17:12:35.232Z",
	"GmtModifiedTime":"2021-02-21T17:12:35Z","ResourceGroupId":"rg-upper",
	"Owner":{"UserId":"o1","UserKp":"kp1","UserName":"owner","DisplayName":"Owner"}}`

func TestGetWorkspaceWire(t *testing.T) {
	wantWS := Workspace{
		WorkspaceID: "145883", WorkspaceName: "ws_name", DisplayName: "WS", Description: "d", Creator: "c1",
		Status: WorkspaceEnabled, IsDefault: true, EnvTypes: []string{"dev", "prod"}, AdminNames: []string{"alice"},
		ResourceGroupID: "rg-upper", ExtraInfos: map[string]any{"TenantId": "t1"},
		CreateTime:   time.Date(2021, 1, 21, 17, 12, 35, 232e6, time.UTC),
		ModifiedTime: time.Date(2021, 2, 21, 17, 12, 35, 0, time.UTC),
	}
	t.Run("verbose", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, workspaceReply)
		resp, err := c.GetWorkspace(t.Context(), &GetWorkspaceRequest{WorkspaceID: "145883", Verbose: true})
		require.NoError(t, err)
		got.assertWire(t, want{action: "GetWorkspace", method: "GET", path: "/api/v1/workspaces/145883", query: "Verbose=true"})
		assert.Equal(t, &GetWorkspaceResponse{RequestID: "req-7", Workspace: wantWS,
			Owner: WorkspaceOwner{UserID: "o1", UserKp: "kp1", UserName: "owner", DisplayName: "Owner"}}, resp)
	})
	t.Run("not verbose sends no query", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"r","WorkspaceId":"x"}`)
		resp, err := c.GetWorkspace(t.Context(), &GetWorkspaceRequest{WorkspaceID: hostileWS})
		require.NoError(t, err)
		got.assertWire(t, want{action: "GetWorkspace", method: "GET", path: "/api/v1/workspaces/" + hostileWSEscaped})
		assert.Equal(t, &GetWorkspaceResponse{RequestID: "r", Workspace: Workspace{WorkspaceID: "x"}}, resp)
	})
}

func TestGetWorkspaceNotFound(t *testing.T) {
	for _, code := range []string{"100400008", "100700008", "100400027"} {
		t.Run(code, func(t *testing.T) {
			c := newGockClient(t)
			expect(t, 400, `{"RequestId":"r","Code":"`+code+`","Message":"workspace not exists"}`)
			resp, err := c.GetWorkspace(t.Context(), &GetWorkspaceRequest{WorkspaceID: "145883"})
			assert.Nil(t, resp)
			assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
			assert.NotErrorIs(t, err, acserrors.ErrMemberNotFound)
		})
	}
}

func TestListWorkspacesWire(t *testing.T) {
	t.Run("every filter", func(t *testing.T) {
		c := newGockClient(t)
		// List items spell the key resourceGroupId, with a lower-case r.
		got := expect(t, 200, `{"RequestId":"req-8","TotalCount":7,"Workspaces":[
			{"WorkspaceId":"1","WorkspaceName":"one","Status":"FROZEN","resourceGroupId":"rg-lower",
			 "GmtCreateTime":"2021-01-21T17:12:35Z","EnvTypes":["prod"]},
			{"WorkspaceId":"2","WorkspaceName":"two"}]}`)
		resp, err := c.ListWorkspaces(t.Context(), &ListWorkspacesRequest{
			WorkspaceName: "my ws", WorkspaceIDs: []string{"1", "2"}, Status: WorkspaceEnabled,
			ResourceGroupID: "rg-1", UserID: "u1", ModuleList: []string{"PAI", "DLC"}, Fields: []string{"Id"},
			Option: "GetWorkspaces", SortBy: "GmtModifiedTime", Order: "DESC", Verbose: true,
			PageNumber: 3, PageSize: 5,
		})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListWorkspaces", method: "GET", path: "/api/v1/workspaces",
			query: "Fields=Id&ModuleList=PAI%2CDLC&Option=GetWorkspaces&Order=DESC&PageNumber=3&PageSize=5" +
				"&ResourceGroupId=rg-1&SortBy=GmtModifiedTime&Status=ENABLED&UserId=u1&Verbose=true" +
				"&WorkspaceIds=1%2C2&WorkspaceName=my%20ws"})
		assert.Equal(t, &ListWorkspacesResponse{RequestID: "req-8", TotalCount: 7, Workspaces: []Workspace{
			{WorkspaceID: "1", WorkspaceName: "one", Status: WorkspaceFrozen, ResourceGroupID: "rg-lower",
				EnvTypes: []string{"prod"}, CreateTime: time.Date(2021, 1, 21, 17, 12, 35, 0, time.UTC)},
			{WorkspaceID: "2", WorkspaceName: "two"},
		}}, resp)
	})
	t.Run("no filters sends no query", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"r","TotalCount":0,"Workspaces":[]}`)
		resp, err := c.ListWorkspaces(t.Context(), &ListWorkspacesRequest{})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListWorkspaces", method: "GET", path: "/api/v1/workspaces"})
		assert.Equal(t, &ListWorkspacesResponse{RequestID: "r"}, resp)
	})
	t.Run("resource limits", func(t *testing.T) {
		c := newGockClient(t)
		got := expect(t, 200, `{"RequestId":"r","ResourceLimits":{"DLC_share":1,"PAI_share":"2"}}`)
		resp, err := c.ListWorkspaces(t.Context(), &ListWorkspacesRequest{Option: "GetResourceLimits"})
		require.NoError(t, err)
		got.assertWire(t, want{action: "ListWorkspaces", method: "GET", path: "/api/v1/workspaces", query: "Option=GetResourceLimits"})
		assert.Equal(t, map[string]any{"DLC_share": 1.0, "PAI_share": "2"}, resp.ResourceLimits)
		assert.Empty(t, resp.Workspaces)
	})
}
