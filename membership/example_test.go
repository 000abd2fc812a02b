package membership_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/membership"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// A team's access, written once: a team, a workspace that holds exactly the
// listed members, and a project that is only added to.
const teamYAML = `
teams:
  ml: ["2001", "2002"]
workspaces:
  - id: "145883"
    exclusive: true
    members:
      "2003": [PAI.WorkspaceAdmin]
    teams:
      ml: [PAI.AlgoDeveloper]
projects:
  - id: 27
    teams:
      ml: [role_project_dev, "custom:role_ml_reviewer"]
`

func Example() {
	// Fakes stand in for the services here; real clients are made the same
	// way with a Region instead of an Endpoint.
	paiSrv, dwSrv := paitest.NewServer(), dataworkstest.NewServer()
	defer paiSrv.Close()
	defer dwSrv.Close()
	paiSrv.AddWorkspace("145883")
	paiSrv.AddMember("145883", "1000", pai.RoleWorkspaceOwner)
	paiSrv.AddMember("145883", "2001", pai.RoleWorkspaceGuest)
	paiSrv.AddMember("145883", "2999", pai.RoleAlgoDeveloper) // not in the spec
	dwSrv.AddProject(27)
	dwSrv.AddProjectMember(27, "1000", dataworks.RoleProjectOwner, "role_ml_reviewer")

	paiClient, err := pai.New(pai.Options{Endpoint: paiSrv.URL, Credentials: paiSrv.Credentials()})
	if err != nil {
		log.Fatal(err)
	}
	dwClient, err := dataworks.New(dataworks.Options{Endpoint: dwSrv.URL, Credentials: dwSrv.Credentials()})
	if err != nil {
		log.Fatal(err)
	}

	spec, err := membership.Load(strings.NewReader(teamYAML)) // or membership.LoadFile("team.yaml")
	if err != nil {
		log.Fatal(err) // e.g. "line 9: unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)"
	}
	s := &membership.Syncer{PAI: paiClient, DataWorks: dwClient}
	ctx := context.Background()
	plan, err := s.Plan(ctx, spec)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := plan.WriteTo(os.Stdout); err != nil {
		log.Fatal(err)
	}
	res, err := s.Apply(ctx, plan)
	if err != nil {
		log.Fatal(err) // every failure, joined; res says which change ended how
	}
	fmt.Printf("%+v\n", res.Summary())

	again, err := s.Plan(ctx, spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("second plan empty:", again.Empty())
	// Output:
	// PAI workspace 145883 (exclusive):
	//   + 2002  PAI.AlgoDeveloper
	//   + 2003  PAI.WorkspaceAdmin
	//   ~ 2001  +PAI.AlgoDeveloper -PAI.WorkspaceGuest
	//   - 2999  PAI.AlgoDeveloper
	//   ! 1000  owner, not in the spec: kept (owners are never removed)
	//
	// DataWorks project 27:
	//   + 2001  role_ml_reviewer, role_project_dev
	//   + 2002  role_ml_reviewer, role_project_dev
	//
	// Plan: 4 to add, 1 to change, 1 to remove.
	// {Done:6 Failed:0 Skipped:0}
	// second plan empty: true
}
