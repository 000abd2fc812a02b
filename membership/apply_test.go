package membership

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

// driftResult is the state driftSpec leaves seedDrift's targets in.
var (
	driftWorkspace = map[string][]string{
		"u0": {"PAI.WorkspaceOwner"},
		"u1": {"PAI.AlgoDeveloper", "PAI.WorkspaceAdmin"},
		"u3": {"PAI.AlgoDeveloper"},
		"u4": {"PAI.AlgoOperator"},
	}
	driftProject = map[string][]string{
		"p0": {"role_project_owner"},
		"p1": {"role_project_deploy", "role_project_dev"},
		"p2": {"role_project_guest"}, // not in the spec, but the project is not exclusive
		"p3": {"role_project_dev", "role_project_pe"},
	}
)

func TestApplyConvergesWithoutLeavingAnyoneRoleless(t *testing.T) {
	for _, v2024 := range []bool{false, true} {
		t.Run(fmt.Sprintf("dataworks2024=%v", v2024), func(t *testing.T) {
			f := newFakes(t, 0)
			if v2024 {
				f.use2024(t)
			}
			seedDrift(f)
			plan, err := f.syncer.Plan(context.Background(), driftSpec)
			require.NoError(t, err)

			res, err := f.syncer.Apply(context.Background(), plan)
			require.NoError(t, err)
			require.Len(t, res.Outcomes, len(plan.Changes))
			for i, o := range res.Outcomes {
				assert.Equal(t, plan.Changes[i], o.Change)
				assert.Equal(t, StatusDone, o.Status, o.Change.String())
				assert.NoError(t, o.Err)
			}
			assert.Equal(t, ResultSummary{Done: 6}, res.Summary())

			assert.Equal(t, driftWorkspace, f.workspace(t, "ws-1"))
			assert.Equal(t, driftProject, f.project(t, 27))
			assert.Empty(t, f.pai.ZeroRoleEvents(), "grants go before revokes")
			assert.Empty(t, f.dw.ZeroRoleEvents(), "new DataWorks members get a role as they are created")
			f.requireConverged(t, driftSpec)

			assert.Equal(t, 1, f.pai.RequestCount("CreateMember"))
			assert.Equal(t, 2, f.pai.RequestCount("AddMemberRole"))
			assert.Equal(t, 1, f.pai.RequestCount("RemoveMemberRole"))
			assert.Equal(t, 1, f.pai.RequestCount("DeleteMembers"))
			assert.Equal(t, 1, f.dw.RequestCount("CreateProjectMember"))
			if v2024 {
				// p3 created with both roles in one call, p1 granted in one.
				assert.Equal(t, 1, f.dw.RequestCount("GrantMemberProjectRoles"))
				assert.Zero(t, f.dw.RequestCount("AddProjectMemberToRole"))
			} else {
				// p3 created with its first role then granted the second; p1 granted one.
				assert.Equal(t, 2, f.dw.RequestCount("AddProjectMemberToRole"))
			}
		})
	}
}

func TestApplyResultEncodesAsJSON(t *testing.T) {
	f := newFakes(t, 1)
	f.pai.AddWorkspace("ws-1")
	f.pai.FailNext("CreateMember", 400, "InvalidParameter")
	plan, err := f.syncer.Plan(context.Background(), Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1",
		Members: map[string][]pai.Role{"u1": {pai.RoleAlgoDeveloper}}}}})
	require.NoError(t, err)
	res, err := f.syncer.Apply(context.Background(), plan)
	require.Error(t, err)
	var doc map[string][]map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, res)), &doc))
	require.Len(t, doc["outcomes"], 1)
	o := doc["outcomes"][0]
	assert.Equal(t, "failed", o["status"])
	assert.Equal(t, "u1", o["user_id"])
	assert.Contains(t, o["error"], "membership: pai workspace ws-1: add user u1 with PAI.AlgoDeveloper: pai CreateMember: HTTP 400 InvalidParameter")
}

func TestApplyAdditiveTargetsOnlyAdd(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	spec := driftSpec
	spec.Workspaces = []WorkspaceSpec{driftSpec.Workspaces[0]}
	spec.Workspaces[0].Exclusive = false
	f.sync(t, spec)
	assert.Equal(t, map[string][]string{
		"u0": {"PAI.WorkspaceOwner"},
		"u1": {"PAI.AlgoDeveloper", "PAI.WorkspaceAdmin"},
		"u2": {"PAI.WorkspaceGuest"},                    // kept
		"u3": {"PAI.AlgoDeveloper", "PAI.LabelManager"}, // granted, nothing revoked
		"u4": {"PAI.AlgoOperator"},
	}, f.workspace(t, "ws-1"))
	assert.Zero(t, f.pai.RequestCount("RemoveMemberRole"))
	assert.Zero(t, f.pai.RequestCount("DeleteMembers"))
	f.requireConverged(t, spec)
}

func TestApplyNeverRemovesOrDemotesOwners(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "owner", pai.RoleWorkspaceOwner, pai.RoleWorkspaceAdmin)
	f.pai.AddMember("ws-1", "u1", pai.RoleAlgoDeveloper)
	f.dw.AddProject(27)
	f.dw.AddProjectMember(27, "owner", dataworks.RoleProjectOwner)
	f.dw.AddProjectMember(27, "boss", dataworks.RoleProjectOwner, dataworks.RoleProjectAdmin)
	f.dw.AddProjectMember(27, "p1", dataworks.RoleProjectDev)
	spec := Spec{
		// The owner is not listed: an exclusive target would remove anyone else.
		Workspaces: []WorkspaceSpec{{ID: "ws-1", Exclusive: true, Members: map[string][]pai.Role{"u2": {pai.RoleWorkspaceGuest}}}},
		// One owner listed without the owner role, one not at all.
		Projects: []ProjectSpec{{ID: 27, Exclusive: true, Members: map[string][]dataworks.RoleCode{"boss": {dataworks.RoleProjectDev}}}},
	}
	plan := f.sync(t, spec)
	assert.Len(t, plan.Warnings, 3)

	assert.Equal(t, map[string][]string{"owner": {"PAI.WorkspaceAdmin", "PAI.WorkspaceOwner"}, "u2": {"PAI.WorkspaceGuest"}},
		f.workspace(t, "ws-1"), "the owner keeps every role: revoking is only for members the spec lists")
	assert.Equal(t, map[string][]string{
		"owner": {"role_project_owner"},
		"boss":  {"role_project_dev", "role_project_owner"},
	}, f.project(t, 27))
	f.requireConverged(t, spec)
}

func TestApplyCreatesPAIMembersInBatches(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	members := map[string][]pai.Role{}
	for i := range 120 {
		members[fmt.Sprintf("u%03d", i)] = []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest}
	}
	spec := Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1", Members: members}}}
	f.sync(t, spec)
	assert.Equal(t, 3, f.pai.RequestCount("CreateMember"), "120 members in batches of 50")
	assert.Zero(t, f.pai.RequestCount("AddMemberRole"), "created with all their roles")
	assert.Len(t, f.workspace(t, "ws-1"), 120)
	f.requireConverged(t, spec)
}

func TestApplyOfAnEmptyPlanSendsNothing(t *testing.T) {
	f := newFakes(t, 0)
	for _, p := range []*Plan{nil, {}, {Warnings: []Warning{{Message: "x"}}}} {
		res, err := f.syncer.Apply(context.Background(), p)
		require.NoError(t, err)
		assert.Empty(t, res.Outcomes)
	}
	res, err := (&Syncer{}).Apply(context.Background(), &Plan{})
	require.NoError(t, err)
	assert.Empty(t, res.Outcomes)
	assert.Zero(t, f.writes())
	assert.Zero(t, f.pai.RequestCount("ListMembers")+f.dw.RequestCount("ListProjectMembers"))
}

func TestApplyRefusesToRemoveMostOfATarget(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("big")
	f.pai.AddWorkspace("small")
	f.dw.AddProject(27)
	for i := range 10 {
		f.pai.AddMember("big", fmt.Sprint("u", i), pai.RoleAlgoDeveloper)
		f.dw.AddProjectMember(27, fmt.Sprint("p", i), dataworks.RoleProjectDev)
	}
	for i := range 6 {
		f.pai.AddMember("small", fmt.Sprint("s", i), pai.RoleAlgoDeveloper)
	}
	keep := func(user string) map[string][]pai.Role { return map[string][]pai.Role{user: {pai.RoleAlgoDeveloper}} }
	spec := Spec{
		Workspaces: []WorkspaceSpec{
			{ID: "big", Exclusive: true, Members: keep("u0")},   // removes 9 of 10: refused
			{ID: "small", Exclusive: true, Members: keep("s0")}, // removes 5 of 6: small, allowed
		},
		Projects: []ProjectSpec{{ID: 27, Exclusive: true, Members: map[string][]dataworks.RoleCode{
			"p0": {dataworks.RoleProjectDev}, "p1": {dataworks.RoleProjectDev}, "p2": {dataworks.RoleProjectDev}, "p3": {dataworks.RoleProjectDev},
		}}}, // removes 6 of 10: over half and more than 5: refused
	}
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)

	res, err := f.syncer.Apply(context.Background(), plan)
	assert.Nil(t, res)
	require.ErrorIs(t, err, ErrRemoveLimit)
	var limit *RemoveLimitError
	require.True(t, errors.As(err, &limit))
	assert.Equal(t, &RemoveLimitError{Service: ServicePAI, Target: "big", Remove: 9, Members: 10, Limit: 0.5}, limit)
	assert.Contains(t, err.Error(), "dataworks project 27: the plan removes 6 of 10 members")
	assert.NotContains(t, err.Error(), "small")
	assert.Zero(t, f.writes(), "a refused plan sends nothing")

	f.syncer.RemoveLimit = 0.9
	_, err = f.syncer.Apply(context.Background(), plan)
	require.NoError(t, err)
	assert.Len(t, f.workspace(t, "big"), 1)
	assert.Len(t, f.workspace(t, "small"), 1)
	assert.Len(t, f.project(t, 27), 4)
}

func TestApplyFailuresStopNothingElseAndARerunConverges(t *testing.T) {
	f := newFakes(t, 1) // one attempt: every injected failure sticks
	seedDrift(f)
	f.pai.AddWorkspace("ws-2")
	spec := driftSpec
	spec.Workspaces = append([]WorkspaceSpec{}, driftSpec.Workspaces...)
	spec.Workspaces = append(spec.Workspaces, WorkspaceSpec{ID: "ws-2", Members: map[string][]pai.Role{
		"a": {pai.RoleAlgoDeveloper}, "b": {pai.RoleAlgoDeveloper}, "c": {pai.RoleAlgoDeveloper},
	}})
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)

	f.pai.FailNext("AddMemberRole", 500, "InternalError")         // u1's or u3's grant
	f.dw.FailNext("CreateProjectMember", 400, "InvalidParameter") // p3
	f.pai.FailNext("DeleteMembers", 403, "Forbidden")             // u2
	res, err := f.syncer.Apply(context.Background(), plan)
	require.Error(t, err)
	assert.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.ErrorIs(t, err, acserrors.ErrAccessDenied)
	assert.Equal(t, ResultSummary{Done: 6, Failed: 3}, res.Summary())

	var failedUpdate string
	for _, o := range res.Outcomes {
		if o.Status == StatusFailed {
			assert.ErrorContains(t, o.Err, o.Change.String())
			if o.Action == ActionUpdate {
				failedUpdate = o.UserID
			}
		}
	}
	require.NotEmpty(t, failedUpdate)
	if failedUpdate == "u3" {
		// Its grant failed, so its old role was not revoked.
		assert.Equal(t, []string{"PAI.LabelManager"}, f.workspace(t, "ws-1")["u3"])
	}
	assert.Len(t, f.workspace(t, "ws-2"), 3, "another target is not held up")

	f.sync(t, spec)
	f.requireConverged(t, spec)
	assert.Empty(t, f.pai.ZeroRoleEvents())
	assert.Empty(t, f.dw.ZeroRoleEvents())
}

func TestApplyRecoversFromAFailedBatchOneByOne(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "b", pai.RoleWorkspaceGuest) // appears between plan and apply, below
	spec := Spec{Workspaces: []WorkspaceSpec{{ID: "ws-1", Members: map[string][]pai.Role{
		"a": {pai.RoleAlgoDeveloper}, "c": {pai.RoleAlgoDeveloper}, "d": {pai.RoleAlgoDeveloper},
	}}}}
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	// A 5xx on CreateMember is not retried by the client (it may have
	// acted); the batch is retried one member at a time instead.
	f.pai.FailNext("CreateMember", 500, "InternalError")
	_, err = f.syncer.Apply(context.Background(), plan)
	require.NoError(t, err)
	assert.Equal(t, 4, f.pai.RequestCount("CreateMember"))
	f.requireConverged(t, spec)
}

func TestApplyCountsChangesThatAlreadyHappenedAsDone(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	f.pai.AddMember("ws-1", "u5", pai.RoleAlgoDeveloper)
	f.pai.AddMember("ws-1", "u6", pai.RoleAlgoDeveloper)
	spec := driftSpec
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	require.Equal(t, Summary{Add: 2, Change: 3, Remove: 3}, plan.Summary())

	// Someone else does part of the work between plan and apply.
	ctx := context.Background()
	f.pai.AddMember("ws-1", "u4", pai.RoleWorkspaceGuest) // to add: already a member, other role
	_, err = f.syncer.PAI.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws-1", MemberIDs: []string{"ws-1-u5"}})
	require.NoError(t, err) // one of the three to remove is gone already
	_, err = f.syncer.PAI.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws-1", MemberID: "ws-1-u3", Role: pai.RoleLabelManager})
	require.NoError(t, err)                                   // a role to revoke is gone already
	f.dw.AddProjectMember(27, "p3", dataworks.RoleProjectDev) // to add: already in the project

	res, err := f.syncer.Apply(ctx, plan)
	require.NoError(t, err)
	assert.Equal(t, ResultSummary{Done: 8}, res.Summary())
	// u4 was given its planned role on top of the one it had, which the
	// next plan of the exclusive workspace revokes.
	assert.Equal(t, []string{"PAI.AlgoOperator", "PAI.WorkspaceGuest"}, f.workspace(t, "ws-1")["u4"])
	f.sync(t, spec)
	f.requireConverged(t, spec)
	assert.Equal(t, driftWorkspace, f.workspace(t, "ws-1"))
	assert.Equal(t, driftProject, f.project(t, 27))
}

func TestApplyReportsProgress(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	var seen []Progress
	f.syncer.Progress = func(p Progress) { seen = append(seen, p) } // called one at a time
	f.sync(t, driftSpec)
	require.Len(t, seen, 6)
	for i, p := range seen {
		assert.Equal(t, Progress{Done: i + 1, Total: 6}, p)
	}
}

func TestApplyWithAnEndedContextSendsNothing(t *testing.T) {
	f := newFakes(t, 0)
	seedDrift(f)
	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := f.syncer.Apply(ctx, plan)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ResultSummary{Skipped: 6}, res.Summary())
	assert.Zero(t, f.writes())
}

func TestApplyNeedsTheClientsOfItsChanges(t *testing.T) {
	_, err := (&Syncer{}).Apply(context.Background(), &Plan{Changes: []Change{{Service: ServiceDataWorks, Target: "27", Action: ActionAdd, UserID: "u", Grant: []string{"role_project_dev"}}}})
	assert.ErrorContains(t, err, "neither Syncer.DataWorks nor Syncer.DataWorks2024")
}

func TestApplyLooksUpMemberIDsAHandWrittenPlanLacks(t *testing.T) {
	f := newFakes(t, 0)
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "u1", pai.RoleWorkspaceGuest)
	f.pai.AddMember("ws-1", "u2", pai.RoleWorkspaceGuest)
	plan := &Plan{Changes: []Change{
		{Service: ServicePAI, Target: "ws-1", Action: ActionUpdate, UserID: "u1", Grant: []string{"PAI.AlgoDeveloper"}, Revoke: []string{"PAI.WorkspaceGuest"}},
		{Service: ServicePAI, Target: "ws-1", Action: ActionRemove, UserID: "u2"},
	}}
	_, err := f.syncer.Apply(context.Background(), plan)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"u1": {"PAI.AlgoDeveloper"}}, f.workspace(t, "ws-1"))
}

func TestApplyCallsAgainWhenStillThrottled(t *testing.T) {
	f := newFakes(t, 1) // the client gives up at the first throttled answer
	seedDrift(f)
	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	for range 3 {
		f.dw.FailNext("AddProjectMemberToRole", 400, "Throttling.User")
		f.pai.FailNext("DeleteMembers", 400, "Throttling.User")
	}
	_, err = f.syncer.Apply(context.Background(), plan)
	require.NoError(t, err, "a throttled request did nothing: calling again is safe")
	f.requireConverged(t, driftSpec)

	// Not forever: after throttledRounds more calls the change fails, typed.
	f.pai.AddMember("ws-1", "u9", pai.RoleWorkspaceGuest)
	plan, err = f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	for range throttledRounds + 1 {
		f.pai.FailNext("DeleteMembers", 400, "Throttling.User")
	}
	before := f.pai.RequestCount("DeleteMembers")
	_, err = f.syncer.Apply(context.Background(), plan)
	require.ErrorIs(t, err, acserrors.ErrThrottled)
	assert.Equal(t, throttledRounds+1, f.pai.RequestCount("DeleteMembers")-before)
}

func TestPlanCallsAgainWhenStillThrottled(t *testing.T) {
	f := newFakes(t, 1)
	seedDrift(f)
	f.pai.FailNext("ListMembers", 400, "Throttling.User")
	plan, err := f.syncer.Plan(context.Background(), driftSpec)
	require.NoError(t, err)
	assert.Equal(t, driftPlan, plan.String())
}
