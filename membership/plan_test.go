package membership

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

// seedDrift gives the fakes a workspace and a project that differ from
// driftSpec in every way a plan handles.
func seedDrift(f *fakes) {
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "u0", pai.RoleWorkspaceOwner)
	f.pai.AddMember("ws-1", "u1", pai.RoleAlgoDeveloper)
	f.pai.AddMember("ws-1", "u2", pai.RoleWorkspaceGuest)
	f.pai.AddMember("ws-1", "u3", pai.RoleLabelManager)
	f.dw.AddProject(27)
	f.dw.AddProjectMember(27, "p0", dataworks.RoleProjectOwner)
	f.dw.AddProjectMember(27, "p1", dataworks.RoleProjectDev)
	f.dw.AddProjectMember(27, "p2", dataworks.RoleProjectGuest)
}

var driftSpec = Spec{
	Workspaces: []WorkspaceSpec{{ID: "ws-1", Exclusive: true, Members: map[string][]pai.Role{
		"u1": {pai.RoleWorkspaceAdmin, pai.RoleAlgoDeveloper},
		"u3": {pai.RoleAlgoDeveloper},
		"u4": {pai.RoleAlgoOperator},
	}}},
	Projects: []ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{
		"p1": {dataworks.RoleProjectDev, dataworks.RoleProjectDeploy},
		"p3": {dataworks.RoleProjectPE, dataworks.RoleProjectDev},
	}}},
}

const driftPlan = `PAI workspace ws-1 (exclusive):
  + u4  PAI.AlgoOperator
  ~ u1  +PAI.WorkspaceAdmin
  ~ u3  +PAI.AlgoDeveloper -PAI.LabelManager
  - u2  PAI.WorkspaceGuest
  ! u0  owner, not in the spec: kept (owners are never removed)

DataWorks project 27:
  + p3  role_project_dev, role_project_pe
  ~ p1  +role_project_deploy

Plan: 2 to add, 3 to change, 1 to remove.
`

func TestPlanReadsOnlyAndPrintsLikeTerraform(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)

	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)

	assert.Zero(t, f.writes(), "Plan must not send a single write")
	assert.Equal(t, 1, f.pai.RequestCount("ListMembers"))
	assert.Equal(t, 1, f.dw.RequestCount("ListProjectMembers"))
	assert.Equal(t, driftPlan, plan.String())
	assert.False(t, plan.Empty())
	assert.Equal(t, Summary{Add: 2, Change: 3, Remove: 1}, plan.Summary())
	assert.Equal(t, []Target{
		{Service: ServicePAI, ID: "ws-1", Exclusive: true, Members: 4},
		{Service: ServiceDataWorks, ID: "27", Members: 3},
	}, plan.Targets)
	assert.Equal(t, Change{Service: ServicePAI, Target: "ws-1", Action: ActionUpdate, UserID: "u3", MemberID: "ws-1-u3",
		Grant: []string{"PAI.AlgoDeveloper"}, Revoke: []string{"PAI.LabelManager"}}, plan.Changes[2])
	assert.Equal(t, "pai workspace ws-1: user u3: grant PAI.AlgoDeveloper; revoke PAI.LabelManager", plan.Changes[2].String())

	// The same state and spec give the same plan.
	again, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	assert.Equal(t, plan, again)
}

func TestPlanEncodesAsJSON(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)

	data, err := json.Marshal(plan)
	require.NoError(t, err)
	var doc struct {
		Summary Summary `json:"summary"`
		Changes []struct {
			Service, Target, Action, UserID string
			Grant, Revoke                   []string
		} `json:"changes"`
		Warnings []map[string]string `json:"warnings"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, Summary{Add: 2, Change: 3, Remove: 1}, doc.Summary)
	assert.Len(t, doc.Changes, 6)
	assert.JSONEq(t, `{"service":"pai","target":"ws-1","action":"add","user_id":"u4","grant":["PAI.AlgoOperator"]}`,
		mustJSON(t, plan.Changes[0]))
	assert.Equal(t, []map[string]string{{"service": "pai", "target": "ws-1", "user_id": "u0",
		"message": "owner, not in the spec: kept (owners are never removed)"}}, doc.Warnings)

	// A saved plan decodes back to the same plan.
	var back Plan
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, plan, &back)

	empty, err := json.Marshal(&Plan{})
	require.NoError(t, err)
	assert.JSONEq(t, `{"targets":[],"changes":[],"warnings":[],"summary":{"add":0,"change":0,"remove":0}}`, string(empty))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestPlanOfAMatchingStateIsEmpty(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "u1", pai.RoleAlgoDeveloper)
	plan, err := f.syncer.Plan(context.Background(), Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1", Exclusive: true,
		Members: map[string][]pai.Role{"u1": {pai.RoleAlgoDeveloper}}}}})
	require.NoError(t, err)
	assert.True(t, plan.Empty())
	assert.Equal(t, "No changes. Every target matches the spec.\n", plan.String())
	assert.True(t, (*Plan)(nil).Empty())
}

func TestPlanNamesMissingTargetsWithTypedErrors(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	_, err := f.syncer.Plan(context.Background(), Spec{
		Workspaces: []WorkspaceSpec{{ID: "ws-1"}, {ID: "nope"}},
		Projects:   []ProjectSpec{{ID: 99}},
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, acserrors.ErrWorkspaceNotFound)
	assert.ErrorIs(t, err, acserrors.ErrProjectNotFound)
	assert.Contains(t, err.Error(), "membership: pai workspace nope: ")
	assert.Contains(t, err.Error(), "membership: dataworks project 99: ")
	assert.NotContains(t, err.Error(), "ws-1")
}

func TestPlanRefusesAnInvalidSpecOrMissingClients(t *testing.T) {
	f := newFakes(t, 0)
	_, err := f.syncer.Plan(context.Background(), Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1", Members: map[string][]pai.Role{"u1": nil}}}})
	assert.ErrorContains(t, err, "user u1 has no roles")

	_, err = (&Syncer{}).Plan(context.Background(), Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1"}}})
	assert.ErrorContains(t, err, "Syncer.PAI is nil")
	_, err = (&Syncer{}).Plan(context.Background(), Spec{Projects: []ProjectSpec{{ID: 1}}})
	assert.ErrorContains(t, err, "neither Syncer.DataWorks nor Syncer.DataWorks2024")
	assert.Zero(t, f.writes())
}

func TestDiffNeverRemovesOrDemotesOwners(t *testing.T) {
	owner := string(pai.RoleWorkspaceOwner)
	tg := &target{
		Target: Target{Service: ServicePAI, ID: "ws", Exclusive: true},
		owner:  owner,
		desired: map[string][]string{
			"boss":  {"PAI.WorkspaceAdmin"},             // the owner, listed without the owner role
			"heir":  {owner, "PAI.AlgoDeveloper"},       // not the owner: cannot be made one
			"ghost": {owner},                            // new, and only the owner role: not added
			"dev":   {owner},                            // a member asked for the owner role only
			"kept":  {"PAI.AlgoDeveloper", "PAI.Extra"}, // ordinary: grant
		},
		current: map[string]member{
			"boss":  {id: "m-boss", roles: []string{owner}},
			"boss2": {id: "m-boss2", roles: []string{owner, "PAI.WorkspaceGuest"}},
			"heir":  {id: "m-heir", roles: []string{"PAI.WorkspaceGuest"}},
			"dev":   {id: "m-dev", roles: []string{"PAI.AlgoDeveloper"}},
			"kept":  {id: "m-kept", roles: []string{"PAI.AlgoDeveloper"}},
			"gone":  {id: "m-gone", roles: []string{"PAI.LabelManager"}},
		},
	}
	changes, warnings := tg.diff()
	assert.Equal(t, []Change{
		{Service: ServicePAI, Target: "ws", Action: ActionUpdate, UserID: "boss", MemberID: "m-boss", Grant: []string{"PAI.WorkspaceAdmin"}},
		{Service: ServicePAI, Target: "ws", Action: ActionUpdate, UserID: "heir", MemberID: "m-heir",
			Grant: []string{"PAI.AlgoDeveloper"}, Revoke: []string{"PAI.WorkspaceGuest"}},
		{Service: ServicePAI, Target: "ws", Action: ActionUpdate, UserID: "kept", MemberID: "m-kept", Grant: []string{"PAI.Extra"}},
		{Service: ServicePAI, Target: "ws", Action: ActionRemove, UserID: "gone", MemberID: "m-gone", Revoke: []string{"PAI.LabelManager"}},
	}, changes)
	assert.Equal(t, []Warning{
		{ServicePAI, "ws", "boss", "owner: keeps PAI.WorkspaceOwner (owners are never demoted)"},
		{ServicePAI, "ws", "dev", "cannot be given PAI.WorkspaceOwner: a sync never changes who owns a pai workspace"},
		{ServicePAI, "ws", "dev", "keeps PAI.AlgoDeveloper: revoking would leave no role"},
		{ServicePAI, "ws", "ghost", "cannot be given PAI.WorkspaceOwner: a sync never changes who owns a pai workspace"},
		{ServicePAI, "ws", "heir", "cannot be given PAI.WorkspaceOwner: a sync never changes who owns a pai workspace"},
		{ServicePAI, "ws", "boss2", "owner, not in the spec: kept (owners are never removed)"},
	}, warnings)

	// Not exclusive: nothing is revoked or removed, so owners need no warning.
	tg.Exclusive = false
	changes, warnings = tg.diff()
	for _, c := range changes {
		assert.Empty(t, c.Revoke, c.UserID)
		assert.NotEqual(t, ActionRemove, c.Action)
	}
	assert.Len(t, warnings, 3, "only the refused owner grants")
}

func TestPlanWarnsWhenApplyWouldRefuse(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	for _, u := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		f.pai.AddMember("ws-1", u, pai.RoleAlgoDeveloper)
	}
	spec := Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1", Exclusive: true, Members: map[string][]pai.Role{"a": {pai.RoleAlgoDeveloper}}}}}
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	require.Len(t, plan.Warnings, 1)
	assert.Equal(t, "Apply will refuse: the plan removes 7 of 8 members, more than the remove limit of 50% allows "+
		"(up to 5 may always be removed; raise the limit to remove more)", plan.Warnings[0].Message)
	assert.Contains(t, plan.String(), "  - h  PAI.AlgoDeveloper\n  ! Apply will refuse: the plan removes 7 of 8 members")

	f.syncer.RemoveLimit = 1
	plan, err = f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	assert.Empty(t, plan.Warnings)
}

func TestPlanWithDataWorks2024ReadsOnly(t *testing.T) {
	f := newFakes(t, 0)
	f.use2024(t)
	seedDrift(f)
	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	assert.Zero(t, f.writes())
	assert.Equal(t, driftPlan, plan.String(), "both API versions see the same members")
}

func TestPlanOfAHugeProjectPointsToThe2024API(t *testing.T) {
	f := newFakes(t, 0)
	f.dw.AddProject(27)
	for i := range dataworks.MaxPageNumber*dataworks.MaxPageSize + 1 {
		f.dw.AddProjectMember(27, fmt.Sprint("u", i), dataworks.RoleProjectGuest)
	}
	spec := Spec{Projects: []ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{"u0": {dataworks.RoleProjectGuest}}}}}
	_, err := f.syncer.Plan(context.Background(), spec)
	require.ErrorIs(t, err, dataworks.ErrPageLimit)
	assert.ErrorContains(t, err, "set Syncer.DataWorks2024")

	f.use2024(t)
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	assert.True(t, plan.Empty())
}
