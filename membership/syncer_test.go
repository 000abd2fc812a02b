package membership

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

func TestExportWritesASpecThatPlansNothing(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	f.dw.AddProjectMember(27, "p4", "role_ml_reviewer") // a custom role
	f.pai.AddWorkspace("ws-empty")

	spec, err := f.syncer.Export(context.Background(), []string{"ws-1", "ws-empty"}, []int64{27})
	require.NoError(t, err)
	assert.Zero(t, f.writes())
	assert.Equal(t, Spec{
		Workspaces: []WorkspaceSpec{
			{ID: "ws-1", Members: map[string][]pai.Role{
				"u0": {pai.RoleWorkspaceOwner}, "u1": {pai.RoleAlgoDeveloper},
				"u2": {pai.RoleWorkspaceGuest}, "u3": {pai.RoleLabelManager},
			}},
			{ID: "ws-empty", Members: map[string][]pai.Role{}},
		},
		Projects: []ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{
			"p0": {dataworks.RoleProjectOwner}, "p1": {dataworks.RoleProjectDev},
			"p2": {dataworks.RoleProjectGuest}, "p4": {"role_ml_reviewer"},
		}}},
	}, spec)

	var buf bytes.Buffer
	require.NoError(t, spec.WriteYAML(&buf))
	assert.Contains(t, buf.String(), `"p4": ['custom:role_ml_reviewer']`)
	loaded, err := Load(&buf)
	require.NoError(t, err, buf.String())
	// Adopting the export as an exclusive spec changes nothing either.
	for i := range loaded.Workspaces {
		loaded.Workspaces[i].Exclusive = true
	}
	loaded.Projects[0].Exclusive = true
	plan, err := f.syncer.Plan(context.Background(), loaded)
	require.NoError(t, err)
	assert.True(t, plan.Empty(), plan.String())
	assert.Empty(t, plan.Warnings, "the owners are listed with their owner role")

	_, err = f.syncer.Export(context.Background(), []string{"nope"}, nil)
	assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
	_, err = (&Syncer{}).Export(context.Background(), nil, []int64{27})
	assert.Error(t, err)
}
