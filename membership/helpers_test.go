package membership

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// fakes is a fake PAI and a fake DataWorks with real clients pointed at
// them, and a Syncer using those clients.
type fakes struct {
	pai    *paitest.Server
	dw     *dataworkstest.Server
	syncer *Syncer
}

// paiWrites and dwWrites are the operations that change state.
var (
	paiWrites = []string{"CreateMember", "DeleteMembers", "AddMemberRole", "RemoveMemberRole"}
	dwWrites  = []string{"AddProjectMemberToRole", "RemoveProjectMemberFromRole", "CreateProjectMember",
		"DeleteProjectMember", "GrantMemberProjectRoles", "RevokeMemberProjectRoles"}
)

// newFakes starts both fakes; maxAttempts 0 keeps the clients' default.
func newFakes(t testing.TB, maxAttempts int) *fakes {
	t.Helper()
	f := &fakes{pai: paitest.NewServer(), dw: dataworkstest.NewServer()}
	t.Cleanup(f.pai.Close)
	t.Cleanup(f.dw.Close)
	pc, err := pai.New(pai.Options{Endpoint: f.pai.URL, Credentials: f.pai.Credentials(), MaxAttempts: maxAttempts})
	require.NoError(t, err)
	dc, err := dataworks.New(dataworks.Options{Endpoint: f.dw.URL, Credentials: f.dw.Credentials(), MaxAttempts: maxAttempts})
	require.NoError(t, err)
	f.syncer = &Syncer{PAI: pc, DataWorks: dc}
	return f
}

// use2024 makes the syncer use the DataWorks 2024-05-18 API.
func (f *fakes) use2024(t testing.TB) {
	t.Helper()
	c, err := v2024.New(v2024.Options{Endpoint: f.dw.URL, Credentials: f.dw.Credentials()})
	require.NoError(t, err)
	f.syncer.DataWorks2024 = c
}

// writes counts the requests of both fakes that change state.
func (f *fakes) writes() int {
	n := 0
	for _, op := range paiWrites {
		n += f.pai.RequestCount(op)
	}
	for _, op := range dwWrites {
		n += f.dw.RequestCount(op)
	}
	return n
}

// workspace returns a workspace's members as user → sorted roles, read
// through the client.
func (f *fakes) workspace(t testing.TB, id string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for m, err := range f.syncer.PAI.ListAllMembers(context.Background(), &pai.ListMembersRequest{WorkspaceID: id}) {
		require.NoError(t, err)
		out[m.UserID] = sortedRoles(strs(m.Roles))
	}
	return out
}

// project returns a project's members as user → sorted roles.
func (f *fakes) project(t testing.TB, id int64) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for m, err := range f.syncer.DataWorks.ListAllProjectMembers(context.Background(), &dataworks.ListProjectMembersRequest{ProjectID: id}) {
		require.NoError(t, err)
		roles := make([]string, len(m.Roles))
		for i, r := range m.Roles {
			roles[i] = string(r.Code)
		}
		out[m.UserID] = sortedRoles(roles)
	}
	return out
}

// want is the state a spec target should produce, from role lists.
func want[R ~string](m map[string][]R) map[string][]string {
	out := map[string][]string{}
	for _, user := range slices.Sorted(maps.Keys(m)) {
		out[user] = sortedRoles(strs(m[user]))
	}
	return out
}

// sync plans and applies spec, requiring both to succeed, and returns the plan.
func (f *fakes) sync(t testing.TB, spec Spec) *Plan {
	t.Helper()
	ctx := context.Background()
	plan, err := f.syncer.Plan(ctx, spec)
	require.NoError(t, err)
	_, err = f.syncer.Apply(ctx, plan)
	require.NoError(t, err)
	return plan
}

// requireConverged requires that a new plan for spec is empty.
func (f *fakes) requireConverged(t testing.TB, spec Spec) {
	t.Helper()
	plan, err := f.syncer.Plan(context.Background(), spec)
	require.NoError(t, err)
	require.True(t, plan.Empty(), "a second plan should be empty, got:\n%s", plan)
}
