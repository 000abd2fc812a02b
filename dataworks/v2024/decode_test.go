package v2024

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

// A member decodes into typed values whether IDs and enums come as strings
// or numbers; undocumented values come through unchanged; an empty role
// list is nil.
func TestGetProjectMemberDecodes(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want ProjectMember
	}{
		"documented": {
			`{"RequestId":"R1","ProjectMember":{"ProjectId":27,"UserId":"123","UserName":"alice","Status":"Normal",
				"Roles":[{"Code":"role_project_dev","Name":"Developer","Type":"System"},{"Code":"etl","Name":"ETL","Type":"UserCustom"}]}}`,
			ProjectMember{ProjectID: 27, UserID: "123", UserName: "alice", Status: MemberStatusNormal, Roles: []Role{
				{Code: dataworks.RoleProjectDev, Name: "Developer", Type: RoleTypeSystem},
				{Code: "etl", Name: "ETL", Type: RoleTypeUserCustom},
			}},
		},
		"numbers as strings, strings as numbers": {
			`{"RequestId":"R1","ProjectMember":{"ProjectId":"9007199254740993","UserId":205998477617405434,"Status":"Forbidden","Roles":[]}}`,
			ProjectMember{ProjectID: 9007199254740993, UserID: "205998477617405434", Status: MemberStatusForbidden},
		},
		"undocumented values, extra fields, nulls": {
			`{"RequestId":"R1","ProjectMember":{"ProjectId":null,"UserId":"u","Status":"Deleted","Roles":null,"Extra":{"a":[1]}}}`,
			ProjectMember{UserID: "u", Status: "Deleted"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue("GetProjectMember", http.StatusOK, tc.body)
			resp, err := c.GetProjectMember(context.Background(), &GetProjectMemberRequest{ProjectID: 27, UserID: "123"})
			require.NoError(t, err)
			assert.Equal(t, &GetProjectMemberResponse{RequestID: "R1", Member: tc.want}, resp)
		})
	}
}

func TestRoleCodes(t *testing.T) {
	assert.Nil(t, ProjectMember{}.RoleCodes())
	m := ProjectMember{Roles: []Role{{Code: dataworks.RoleProjectPE}, {Code: "custom"}}}
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectPE, "custom"}, m.RoleCodes())
}

func TestListProjectMembersDecodes(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectMembers", http.StatusOK, `{"RequestId":"R2","PagingInfo":{"PageNumber":2,"PageSize":"2","TotalCount":5,"ProjectMembers":[
		{"ProjectId":27,"UserId":"a","UserName":"A","Status":"Normal","Roles":[{"Code":"role_project_admin","Name":"Admin","Type":"System"}]},
		{"ProjectId":27,"UserId":"b","UserName":"B","Status":"Normal","Roles":[]}]}}`)
	resp, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageNumber: 2, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, &ListProjectMembersResponse{RequestID: "R2", PageNumber: 2, PageSize: 2, TotalCount: 5, Members: []ProjectMember{
		{ProjectID: 27, UserID: "a", UserName: "A", Status: MemberStatusNormal, Roles: []Role{{Code: dataworks.RoleProjectAdmin, Name: "Admin", Type: RoleTypeSystem}}},
		{ProjectID: 27, UserID: "b", UserName: "B", Status: MemberStatusNormal},
	}}, resp)
}

// ListProjectRoles' paging numbers arrive as strings in the documented
// sample and as numbers elsewhere: both decode.
func TestListProjectRolesDecodes(t *testing.T) {
	role := `{"ProjectId":"27","Code":"role_project_guest","Name":"Visitor","Type":"System",
		"ModulePermissions":[{"ModuleId":"3","ModuleName":"DataStudio","PermissionType":"Read"},{"ModuleId":4,"ModuleName":"Operation Center","PermissionType":"Write"}]}`
	want := ProjectRole{ProjectID: 27, Code: dataworks.RoleProjectGuest, Name: "Visitor", Type: RoleTypeSystem, ModulePermissions: []ModulePermission{
		{ModuleID: 3, ModuleName: "DataStudio", PermissionType: "Read"},
		{ModuleID: 4, ModuleName: "Operation Center", PermissionType: "Write"},
	}}
	for name, paging := range map[string]string{
		"strings": `"PageNumber":"1","PageSize":"10","TotalCount":"12"`,
		"numbers": `"PageNumber":1,"PageSize":10,"TotalCount":12`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue("ListProjectRoles", http.StatusOK, `{"RequestId":"R3","PagingInfo":{`+paging+`,"ProjectRoles":[`+role+`]}}`)
			resp, err := c.ListProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27})
			require.NoError(t, err)
			assert.Equal(t, &ListProjectRolesResponse{RequestID: "R3", PageNumber: 1, PageSize: 10, TotalCount: 12, Roles: []ProjectRole{want}}, resp)
		})
	}
	t.Run("GetProjectRole", func(t *testing.T) {
		srv, c := newTestServer(t)
		srv.queue("GetProjectRole", http.StatusOK, `{"RequestId":"R4","ProjectRole":`+role+`}`)
		resp, err := c.GetProjectRole(context.Background(), &GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleProjectGuest})
		require.NoError(t, err)
		assert.Equal(t, &GetProjectRoleResponse{RequestID: "R4", Role: want}, resp)
	})
}

// A 2xx reply that cannot be fully understood is an error naming the
// operation, never a half-filled response: HTML, truncated JSON, values of
// the wrong type, and a Get without the thing it reads.
func TestHostileSuccessReplies(t *testing.T) {
	generic := map[string]string{
		"HTML":            `<html><body>gateway</body></html>`,
		"truncated":       `{"RequestId":"R","PagingInfo":{"ProjectMembers":[`,
		"empty":           ``,
		"array":           `[]`,
		"string":          `"ok"`,
		"RequestId array": `{"RequestId":[]}`,
	}
	specific := map[string]map[string]string{
		"GetProjectMember": {
			"no member":        `{"RequestId":"R"}`,
			"null member":      `{"RequestId":"R","ProjectMember":null}`,
			"member is a list": `{"RequestId":"R","ProjectMember":[]}`,
			"user id object":   `{"RequestId":"R","ProjectMember":{"UserId":{}}}`,
			"project id word":  `{"RequestId":"R","ProjectMember":{"ProjectId":"abc"}}`,
			"project id float": `{"RequestId":"R","ProjectMember":{"ProjectId":1.5}}`,
			"roles a string":   `{"RequestId":"R","ProjectMember":{"Roles":"role_project_dev"}}`,
			"role code number": `{"RequestId":"R","ProjectMember":{"Roles":[{"Code":7}]}}`,
			"status object":    `{"RequestId":"R","ProjectMember":{"Status":{"v":1}}}`,
		},
		"ListProjectMembers": {
			"total a word":      `{"RequestId":"R","PagingInfo":{"TotalCount":"many"}}`,
			"total huge":        `{"RequestId":"R","PagingInfo":{"TotalCount":1e400}}`,
			"members an object": `{"RequestId":"R","PagingInfo":{"ProjectMembers":{}}}`,
			"paging a list":     `{"RequestId":"R","PagingInfo":[]}`,
		},
		"ListProjectRoles": {
			"module id fractional": `{"RequestId":"R","PagingInfo":{"ProjectRoles":[{"ModulePermissions":[{"ModuleId":1.5}]}]}}`,
			"page size bool":       `{"RequestId":"R","PagingInfo":{"PageSize":true}}`,
		},
		"GetProjectRole": {
			"no role":         `{"RequestId":"R"}`,
			"permissions map": `{"RequestId":"R","ProjectRole":{"ModulePermissions":{}}}`,
		},
	}
	for _, op := range allOps() {
		cases := map[string]string{}
		for k, v := range generic {
			cases[k] = v
		}
		for k, v := range specific[op.action] {
			cases[k] = v
		}
		for name, body := range cases {
			t.Run(op.action+"/"+name, func(t *testing.T) {
				srv, c := newTestServer(t)
				srv.queue(op.action, http.StatusOK, body)
				id, err := op.call(context.Background(), c, "123")
				require.Error(t, err, "body %s", body)
				assert.Empty(t, id)
				assert.Contains(t, err.Error(), op.action)
				assert.Len(t, srv.all(), 1, "a malformed success is not repeated")
			})
		}
	}
}

// Error replies whatever their body: HTML from a proxy, an empty body, a
// truncated document. Each is an *APIError with the status; a 5xx is
// ErrServiceUnavailable and, for the safe operations, retried up to
// MaxAttempts.
func TestHostileErrorReplies(t *testing.T) {
	for _, op := range allOps() {
		for name, body := range map[string]string{
			"HTML":      `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`,
			"empty":     ``,
			"truncated": `{"RequestId":"R","Code":"Internal`,
		} {
			t.Run(op.action+"/"+name, func(t *testing.T) {
				srv, c := newTestServer(t)
				for range internal.DefaultMaxAttempts {
					srv.queue(op.action, http.StatusBadGateway, body)
				}
				_, err := op.call(context.Background(), c, "123")
				require.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
				var apiErr *acserrors.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
				assert.Equal(t, op.action, apiErr.Operation)
				assert.Empty(t, apiErr.Code, "no code invented")
				want := 1
				if op.safe {
					want = internal.DefaultMaxAttempts
				}
				assert.Len(t, srv.all(), want)
			})
		}
	}
}

// A success body beyond internal.MaxBodyBytes is refused, not read whole
// and not decoded: an error, never a truncated listing.
func TestHugeSuccessBody(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// A valid start, then members until past the limit.
		n, _ := io.WriteString(w, `{"RequestId":"R","PagingInfo":{"TotalCount":1,"ProjectMembers":[`)
		written := int64(n)
		item := `{"UserId":"` + strings.Repeat("x", 1000) + `"},`
		for written <= internal.MaxBodyBytes {
			n, err := io.WriteString(w, item)
			written += int64(n)
			if err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `{"UserId":"y"}]}}`)
	}))
	t.Cleanup(hs.Close)
	c, err := New(Options{Endpoint: hs.URL, Credentials: signer.StaticCredentials(testKeyID, testSecret, ""), HTTPClient: hs.Client()})
	require.NoError(t, err)
	resp, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27})
	require.Error(t, err)
	assert.Nil(t, resp)
	assert.Contains(t, err.Error(), fmt.Sprint(internal.MaxBodyBytes))
	assert.Contains(t, err.Error(), "ListProjectMembers")
}
