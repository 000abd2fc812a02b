package v2024

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
)

// TestNilContext: every operation and iterator given a nil context returns
// an error, as net/http does, and sends nothing.
func TestNilContext(t *testing.T) {
	srv, c := newTestServer(t)
	var nilCtx context.Context // a careless caller's
	roles := []dataworks.RoleCode{dataworks.RoleProjectDev}
	calls := map[string]func() error{
		"CreateProjectMember": func() error {
			_, err := c.CreateProjectMember(nilCtx, &CreateProjectMemberRequest{ProjectID: 1, UserID: "u", RoleCodes: roles})
			return err
		},
		"GrantMemberProjectRoles": func() error {
			_, err := c.GrantMemberProjectRoles(nilCtx, &GrantMemberProjectRolesRequest{ProjectID: 1, UserID: "u", RoleCodes: roles})
			return err
		},
		"RevokeMemberProjectRoles": func() error {
			_, err := c.RevokeMemberProjectRoles(nilCtx, &RevokeMemberProjectRolesRequest{ProjectID: 1, UserID: "u", RoleCodes: roles})
			return err
		},
		"DeleteProjectMember": func() error {
			_, err := c.DeleteProjectMember(nilCtx, &DeleteProjectMemberRequest{ProjectID: 1, UserID: "u"})
			return err
		},
		"GetProjectMember": func() error {
			_, err := c.GetProjectMember(nilCtx, &GetProjectMemberRequest{ProjectID: 1, UserID: "u"})
			return err
		},
		"ListProjectMembers": func() error {
			_, err := c.ListProjectMembers(nilCtx, &ListProjectMembersRequest{ProjectID: 1})
			return err
		},
		"ListProjectRoles": func() error {
			_, err := c.ListProjectRoles(nilCtx, &ListProjectRolesRequest{ProjectID: 1})
			return err
		},
		"GetProjectRole": func() error {
			_, err := c.GetProjectRole(nilCtx, &GetProjectRoleRequest{ProjectID: 1, Code: dataworks.RoleProjectDev})
			return err
		},
		"ListAllProjectMembers": func() error {
			for _, err := range c.ListAllProjectMembers(nilCtx, &ListProjectMembersRequest{ProjectID: 1}) {
				return err
			}
			return nil
		},
		"ListAllProjectRoles": func() error {
			for _, err := range c.ListAllProjectRoles(nilCtx, &ListProjectRolesRequest{ProjectID: 1}) {
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
	assert.Empty(t, srv.all(), "nothing was sent")
}
