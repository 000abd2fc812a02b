package membership_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/membership"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// exportFakes starts both fakes with existing members (owners, several
// roles, a DataWorks custom role) and returns them with a Syncer on them,
// using the DataWorks 2024-05-18 API when v2024 is set.
func exportFakes(t *testing.T, v2024API bool) (*paitest.Server, *dataworkstest.Server, *membership.Syncer) {
	t.Helper()
	ps, ds := paitest.NewServer(), dataworkstest.NewServer()
	t.Cleanup(ps.Close)
	t.Cleanup(ds.Close)
	ps.AddWorkspace("ws-1")
	ps.AddMember("ws-1", "owner", pai.RoleWorkspaceOwner, pai.RoleWorkspaceAdmin)
	ps.AddMember("ws-1", "u1", pai.RoleWorkspaceGuest, pai.RoleAlgoDeveloper)
	ps.AddMember("ws-1", "u2", pai.RoleLabelManager)
	ps.AddWorkspace("ws-empty")
	ds.AddProject(27)
	ds.AddProjectMember(27, "owner", dataworks.RoleProjectOwner)
	ds.AddProjectMember(27, "p1", dataworks.RoleProjectDev, "role_project_ml_reviewer")

	pc, err := pai.New(pai.Options{Endpoint: ps.URL, Credentials: ps.Credentials()})
	require.NoError(t, err)
	s := &membership.Syncer{PAI: pc}
	opts := dataworks.Options{Endpoint: ds.URL, Credentials: ds.Credentials()}
	if v2024API {
		s.DataWorks2024, err = v2024.New(opts)
	} else {
		s.DataWorks, err = dataworks.New(opts)
	}
	require.NoError(t, err)
	return ps, ds, s
}

// A spec written by Export and WriteYAML loads back with Load and plans as
// empty against the state it was read from: as exported (additive), and
// also when every target is made exclusive, since it lists every member
// with every role, owners included.
func TestExportWritesASpecThatPlansEmpty(t *testing.T) {
	for _, v2024API := range []bool{false, true} {
		t.Run(fmt.Sprintf("dataworks2024=%v", v2024API), func(t *testing.T) {
			ctx := context.Background()
			ps, ds, s := exportFakes(t, v2024API)

			spec, err := s.Export(ctx, []string{"ws-1", "ws-empty"}, []int64{27})
			require.NoError(t, err)
			assert.Equal(t, membership.Spec{
				Workspaces: []membership.WorkspaceSpec{
					{ID: "ws-1", Members: map[string][]pai.Role{
						"owner": {pai.RoleWorkspaceAdmin, pai.RoleWorkspaceOwner},
						"u1":    {pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest},
						"u2":    {pai.RoleLabelManager},
					}},
					{ID: "ws-empty", Members: map[string][]pai.Role{}},
				},
				Projects: []membership.ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{
					"owner": {dataworks.RoleProjectOwner},
					"p1":    {dataworks.RoleProjectDev, "role_project_ml_reviewer"},
				}}},
			}, spec)

			var buf bytes.Buffer
			require.NoError(t, spec.WriteYAML(&buf))
			text := buf.String()
			assert.Contains(t, text, `"owner": [PAI.WorkspaceAdmin, PAI.WorkspaceOwner]`)
			assert.Contains(t, text, `"p1": [role_project_dev, 'custom:role_project_ml_reviewer']`, "a custom role is written so Load takes it")

			for _, exclusive := range []bool{false, true} {
				src := text
				if exclusive {
					src = strings.ReplaceAll(text, "exclusive: false", "exclusive: true")
				}
				loaded, err := membership.Load(strings.NewReader(src))
				require.NoError(t, err, src)
				for _, ws := range loaded.Workspaces {
					assert.Equal(t, exclusive, ws.Exclusive)
				}
				plan, err := s.Plan(ctx, loaded)
				require.NoError(t, err)
				assert.True(t, plan.Empty(), "exclusive=%v:\n%s", exclusive, plan)
				assert.Empty(t, plan.Warnings, "the owners are listed with their owner role: nothing to warn about")
			}

			for _, op := range []string{"CreateMember", "DeleteMembers", "AddMemberRole", "RemoveMemberRole"} {
				assert.Zero(t, ps.RequestCount(op), "export and plan only read")
			}
			for _, op := range []string{"CreateProjectMember", "DeleteProjectMember", "AddProjectMemberToRole",
				"RemoveProjectMemberFromRole", "GrantMemberProjectRoles", "RevokeMemberProjectRoles"} {
				assert.Zero(t, ds.RequestCount(op), "export and plan only read")
			}
		})
	}
}

func TestExportOfAMissingTargetFails(t *testing.T) {
	ctx := context.Background()
	_, _, s := exportFakes(t, true)

	_, err := s.Export(ctx, []string{"ws-1", "ws-nope"}, nil)
	require.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
	assert.Contains(t, err.Error(), "pai workspace ws-nope")

	_, err = s.Export(ctx, nil, []int64{27, 404})
	require.ErrorIs(t, err, acserrors.ErrProjectNotFound)
	assert.Contains(t, err.Error(), "dataworks project 404")

	_, err = (&membership.Syncer{}).Export(ctx, []string{"ws-1"}, nil)
	require.Error(t, err, "no PAI client")
	_, err = (&membership.Syncer{}).Export(ctx, nil, []int64{27})
	require.Error(t, err, "no DataWorks client")

	spec, err := (&membership.Syncer{}).Export(ctx, nil, nil)
	require.NoError(t, err, "nothing to export needs no client")
	assert.Equal(t, membership.Spec{}, spec)
}
