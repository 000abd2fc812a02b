package membership

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// The first sync the benchmarks run: 4 workspaces of 400 users and 2
// projects of 200 users, two roles each, against fakes that answer in 40 ms
// and let 200 requests a second through, per service. The fakes' burst is
// a tenth of a second's worth, so no second sees more than 220 requests
// pass: the floor (minimum requests / 200) is one no client can beat by
// spending a full second's quota at once, and the Syncer has to find the
// rate by adapting to throttling.
const (
	benchWorkspaces, benchWorkspaceUsers = 4, 400
	benchProjects, benchProjectUsers     = 2, 200
	benchLatency                         = 40 * time.Millisecond
	benchRate                            = 200 // requests a second, per service
	benchBurst                           = benchRate / 10
)

var (
	benchPAIRoles = []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest}
	benchDWRoles  = []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}
)

func benchSpec() Spec {
	var spec Spec
	for w := range benchWorkspaces {
		ws := WorkspaceSpec{ID: fmt.Sprint("ws-", w), Members: map[string][]pai.Role{}}
		for u := range benchWorkspaceUsers {
			ws.Members[fmt.Sprintf("user-%04d", u)] = benchPAIRoles
		}
		spec.Workspaces = append(spec.Workspaces, ws)
	}
	for p := range benchProjects {
		pr := ProjectSpec{ID: int64(100 + p), Members: map[string][]dataworks.RoleCode{}}
		for u := range benchProjectUsers {
			pr.Members[fmt.Sprintf("user-%04d", u)] = benchDWRoles
		}
		spec.Projects = append(spec.Projects, pr)
	}
	return spec
}

// benchFakes starts throttling, slow fakes holding the spec's targets, each
// with an owner (whom the spec leaves alone).
func benchFakes(b *testing.B, spec Spec) *fakes {
	f := &fakes{
		pai: paitest.NewServer(paitest.WithLatency(benchLatency), paitest.WithRateLimit(benchRate), paitest.WithBurst(benchBurst)),
		dw:  dataworkstest.NewServer(dataworkstest.WithLatency(benchLatency), dataworkstest.WithRateLimit(benchRate), dataworkstest.WithBurst(benchBurst)),
	}
	b.Cleanup(f.pai.Close)
	b.Cleanup(f.dw.Close)
	for _, ws := range spec.Workspaces {
		f.pai.AddWorkspace(ws.ID)
		f.pai.AddMember(ws.ID, "owner", pai.RoleWorkspaceOwner)
	}
	for _, p := range spec.Projects {
		f.dw.AddProject(p.ID)
		f.dw.AddProjectMember(p.ID, "owner", dataworks.RoleProjectOwner)
	}
	pc, err := pai.New(pai.Options{Endpoint: f.pai.URL, Credentials: f.pai.Credentials()})
	require.NoError(b, err)
	dc, err := dataworks.New(dataworks.Options{Endpoint: f.dw.URL, Credentials: f.dw.Credentials()})
	require.NoError(b, err)
	f.syncer = &Syncer{PAI: pc, DataWorks: dc}
	return f
}

// requests counts every request the fakes received, throttled ones included.
func (f *fakes) requests() int {
	n := 0
	for _, op := range []string{"CreateMember", "GetMember", "ListMembers", "DeleteMembers", "AddMemberRole",
		"RemoveMemberRole", "ListWorkspaceUsers", "GetWorkspace", "ListWorkspaces"} {
		n += f.pai.RequestCount(op)
	}
	for _, op := range []string{"AddProjectMemberToRole", "RemoveProjectMemberFromRole", "CreateProjectMember",
		"DeleteProjectMember", "ListProjectMembers", "ListProjectRoles", "GetProjectMember",
		"GrantMemberProjectRoles", "RevokeMemberProjectRoles", "GetProjectRole"} {
		n += f.dw.RequestCount(op)
	}
	return n
}

// minimum is the fewest requests a first sync of spec needs, per service,
// for a tool that lists each target once (one page: only the owner is
// there), creates PAI members paiBatch at a time, and creates each DataWorks
// member with one call per role (2020-05-18) or one call (2024-05-18).
func minimum(spec Spec, dw2024 bool) (paiN, dwN int) {
	for _, ws := range spec.Workspaces {
		paiN += 1 + (len(ws.Members)+paiBatch-1)/paiBatch
	}
	for _, p := range spec.Projects {
		dwN++
		for _, roles := range p.Members {
			if dw2024 {
				dwN++
			} else {
				dwN += len(roles)
			}
		}
	}
	return paiN, dwN
}

// report adds the metrics both benchmarks share: wall time against the
// floor the rate limit sets (the busier service's minimum requests at 200 a
// second), requests sent against that minimum, and throttled requests.
func report(b *testing.B, wall time.Duration, sent, throttled, paiMin, dwMin int) {
	n := float64(b.N)
	minReq := paiMin + dwMin
	floor := float64(max(paiMin, dwMin)) / benchRate
	b.ReportMetric(wall.Seconds()/n, "wall-s")
	b.ReportMetric(floor, "floor-s")
	b.ReportMetric(wall.Seconds()/n/floor, "x-floor")
	b.ReportMetric(float64(sent)/n, "requests")
	b.ReportMetric(float64(minReq), "min-requests")
	b.ReportMetric(float64(sent)/n/float64(minReq), "x-min-requests")
	b.ReportMetric(float64(throttled)/n, "throttled")
}

// BenchmarkFirstSync is a first sync (Plan, then Apply) of 4 workspaces × 400
// users and 2 projects × 200 users, two roles each, against fakes with 40 ms
// latency and a limit of 200 requests a second per service; with the
// DataWorks API 2020-05-18 and with 2024-05-18. It takes seconds per
// iteration: run it on its own, e.g.
//
//	go test -run '^$' -bench FirstSync -benchtime 1x ./membership/
func BenchmarkFirstSync(b *testing.B) {
	spec := benchSpec()
	for _, dw2024 := range []bool{false, true} {
		name := "dataworks=2020-05-18"
		if dw2024 {
			name = "dataworks=2024-05-18"
		}
		b.Run(name, func(b *testing.B) {
			paiMin, dwMin := minimum(spec, dw2024)
			var wall time.Duration
			sent, throttled := 0, 0
			for range b.N {
				b.StopTimer()
				f := benchFakes(b, spec)
				if dw2024 {
					f.use2024(b)
				}
				ctx := context.Background()
				b.StartTimer()
				start := time.Now()
				plan, err := f.syncer.Plan(ctx, spec)
				require.NoError(b, err)
				_, err = f.syncer.Apply(ctx, plan)
				wall += time.Since(start)
				b.StopTimer()
				require.NoError(b, err)
				sent += f.requests()
				throttled += f.pai.ThrottledCount() + f.dw.ThrottledCount()
				f.pai.Close()
				f.dw.Close()
			}
			report(b, wall, sent, throttled, paiMin, dwMin)
		})
	}
}

// BenchmarkFirstSyncOneAtATime is the same first sync done the way a
// one-member-at-a-time tool does it: one request after another, one
// CreateMember per PAI member, and per DataWorks member a
// CreateProjectMember with the first role and an AddProjectMemberToRole
// for the second (2020-05-18). It takes well over a minute.
func BenchmarkFirstSyncOneAtATime(b *testing.B) {
	spec := benchSpec()
	paiMin, dwMin := minimum(spec, false)
	var wall time.Duration
	sent, throttled := 0, 0
	for range b.N {
		b.StopTimer()
		f := benchFakes(b, spec)
		ctx := context.Background()
		b.StartTimer()
		start := time.Now()
		for _, ws := range spec.Workspaces {
			for _, user := range slices.Sorted(maps.Keys(ws.Members)) {
				_, err := f.syncer.PAI.CreateMember(ctx, &pai.CreateMemberRequest{WorkspaceID: ws.ID,
					Members: []pai.MemberSpec{{UserID: user, Roles: ws.Members[user]}}})
				require.NoError(b, err)
			}
		}
		for _, p := range spec.Projects {
			for _, user := range slices.Sorted(maps.Keys(p.Members)) {
				roles := p.Members[user]
				_, err := f.syncer.DataWorks.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{
					ProjectID: p.ID, UserID: user, RoleCode: roles[0]})
				require.NoError(b, err)
				for _, r := range roles[1:] {
					_, err := f.syncer.DataWorks.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{
						ProjectID: p.ID, UserID: user, RoleCode: r})
					require.NoError(b, err)
				}
			}
		}
		wall += time.Since(start)
		b.StopTimer()
		sent += f.requests()
		throttled += f.pai.ThrottledCount() + f.dw.ThrottledCount()
		f.pai.Close()
		f.dw.Close()
	}
	report(b, wall, sent, throttled, paiMin, dwMin)
}
