package membership

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/pai"
)

// The roles the random states and specs use. The DataWorks ones are those
// both API versions accept, plus a custom role the project defines.
var (
	propPAIRoles = []pai.Role{pai.RoleAlgoDeveloper, pai.RoleAlgoOperator, pai.RoleLabelManager,
		pai.RoleMaxComputeDeveloper, pai.RoleWorkspaceAdmin, pai.RoleWorkspaceGuest}
	propDWRoles = []dataworks.RoleCode{dataworks.RoleProjectAdmin, dataworks.RoleProjectDev, dataworks.RoleProjectPE,
		dataworks.RoleProjectDeploy, dataworks.RoleProjectGuest, "role_custom_reviewer"}
)

// pick returns 1 to max distinct elements of from.
func pick[T any](r *rand.Rand, from []T, maxN int) []T {
	n := 1 + r.IntN(maxN)
	out := slices.Clone(from)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:n]
}

// TestPropertyPlanApplyConverges runs random specs against random states:
// after Plan and Apply a new plan is empty, owners keep their owner role,
// every listed user holds its roles, an exclusive target holds no one else
// (owners aside), and no member was left without a role along the way. Some
// rounds inject a failure; a second Plan and Apply must then finish the job.
func TestPropertyPlanApplyConverges(t *testing.T) {
	const rounds = 40
	r := rand.New(rand.NewPCG(13, 2024)) // fixed: a failure can be replayed
	failedRounds := 0
	users := make([]string, 15)
	for i := range users {
		users[i] = fmt.Sprintf("user-%02d", i)
	}
	ctx := context.Background()
	for round := range rounds {
		// Fresh fakes: a fault injected below and never reached stays behind.
		f := newFakes(t, 0)
		f.syncer.RemoveLimit = 1 // random exclusive specs remove a lot; the limit has its own test
		if round%2 == 1 {
			f.use2024(t)
		}
		s := f.syncer
		wsID, projectID := fmt.Sprintf("ws-%d", round), int64(1000+round)
		owner := users[r.IntN(len(users))]

		// A random current state, with an owner.
		f.pai.AddWorkspace(wsID)
		f.pai.AddMember(wsID, owner, pai.RoleWorkspaceOwner)
		f.dw.AddProject(projectID)
		f.dw.AddProjectMember(projectID, owner, dataworks.RoleProjectOwner, "role_custom_reviewer")
		for _, u := range users {
			if r.IntN(2) == 0 {
				f.pai.AddMember(wsID, u, pick(r, propPAIRoles, 3)...)
			}
			if r.IntN(2) == 0 {
				f.dw.AddProjectMember(projectID, u, pick(r, propDWRoles, 3)...)
			}
		}

		// A random spec; now and then it lists the owner, or names an owner role.
		ws := WorkspaceSpec{ID: wsID, Exclusive: r.IntN(2) == 0, Members: map[string][]pai.Role{}}
		p := ProjectSpec{ID: projectID, Exclusive: r.IntN(2) == 0, Members: map[string][]dataworks.RoleCode{}}
		for _, u := range users {
			if r.IntN(3) > 0 {
				ws.Members[u] = pick(r, propPAIRoles, 3)
				if r.IntN(8) == 0 {
					ws.Members[u] = append(ws.Members[u], pai.RoleWorkspaceOwner)
				}
			}
			if r.IntN(3) > 0 {
				p.Members[u] = pick(r, propDWRoles, 3)
				if r.IntN(8) == 0 {
					p.Members[u] = append(p.Members[u], dataworks.RoleProjectOwner)
				}
			}
		}
		spec := Spec{Workspaces: []WorkspaceSpec{ws}, Projects: []ProjectSpec{p}}

		plan, err := s.Plan(ctx, spec)
		require.NoError(t, err, "round %d", round)
		if r.IntN(4) == 0 && !plan.Empty() {
			// A failure the client does not retry away.
			if r.IntN(2) == 0 {
				f.pai.FailNext([]string{"CreateMember", "AddMemberRole", "RemoveMemberRole", "DeleteMembers"}[r.IntN(4)], 400, "InvalidParameter")
			} else {
				f.dw.FailNext([]string{"CreateProjectMember", "DeleteProjectMember"}[r.IntN(2)], 400, "InvalidParameter")
			}
			if _, err := s.Apply(ctx, plan); err != nil { // or it never reached the failing operation
				failedRounds++
			}
			plan, err = s.Plan(ctx, spec)
			require.NoError(t, err, "round %d", round)
		}
		_, err = s.Apply(ctx, plan)
		require.NoError(t, err, "round %d:\n%s", round, plan)
		again, err := s.Plan(ctx, spec)
		require.NoError(t, err)
		require.True(t, again.Empty(), "round %d: the second plan is not empty:\n%s", round, again)

		checkState(t, round, owner, string(pai.RoleWorkspaceOwner), ws.Exclusive, untyped(ws.Members), f.workspace(t, wsID))
		checkState(t, round, owner, string(dataworks.RoleProjectOwner), p.Exclusive, untyped(p.Members), f.project(t, projectID))
		assert.Empty(t, f.pai.ZeroRoleEvents(), "round %d", round)
		assert.Empty(t, f.dw.ZeroRoleEvents(), "round %d", round)
	}
	assert.Positive(t, failedRounds, "some rounds recover from a failed Apply")
	t.Logf("%d of %d rounds recovered from a failed Apply", failedRounds, rounds)
}

// checkState checks one target after a sync, independently of the planner.
func checkState(t *testing.T, round int, owner, ownerRole string, exclusive bool, spec, got map[string][]string) {
	t.Helper()
	require.Contains(t, got[owner], ownerRole, "round %d: the owner lost its role", round)
	for user, roles := range spec {
		for _, role := range roles {
			if role == ownerRole && user != owner {
				assert.NotContains(t, got[user], ownerRole, "round %d: %s was made owner", round, user)
				continue
			}
			assert.Contains(t, got[user], role, "round %d: %s lacks %s", round, user, role)
		}
	}
	for user, roles := range got {
		assert.NotEmpty(t, roles, "round %d: %s has no role", round, user)
		if !exclusive || user == owner {
			continue
		}
		want := sortedRoles(minus(spec[user], []string{ownerRole}))
		assert.Equal(t, want, roles, "round %d: %s in an exclusive target", round, user)
	}
}
