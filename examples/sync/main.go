// Command sync shows membership as code with package membership: it loads
// the spec team.yaml (teams, an exclusive workspace, a custom role), prints
// the plan that brings a PAI workspace and a DataWorks project in line with
// it, applies the plan, and shows that a second plan is empty.
//
// By default it starts the in-process fakes (pai/paitest,
// dataworks/dataworkstest), seeds them with drift (a member with a wrong
// role, a member the spec does not list, the owners) and runs against them,
// so it works on a fresh machine with no account and sends nothing over the
// network. Its first line says so:
//
//	go run ./examples/sync
//
// It reads a real account only when asked to with -live, and then only the
// targets of the spec named with -f (the example's team.yaml names IDs that
// exist only on the fakes). A live run prints the plan and stops; it changes
// the account only when -apply is given too:
//
//	go run ./examples/sync -live -region cn-hangzhou -f my-team.yaml          # plan only
//	go run ./examples/sync -live -region cn-hangzhou -f my-team.yaml -apply   # plan and apply
//
// Live runs take credentials from the default chain (for example
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET) and the
// region from -region or ALIBABA_CLOUD_REGION_ID. Without -live an exported
// ALIBABA_CLOUD_REGION_ID changes nothing. For day-to-day use, the
// command-line tool cmd/acsmembers does the same with a confirmation prompt.
package main

import (
	"bytes"
	"context"
	_ "embed" // team.yaml
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	"github.com/acsmembers/acsmembers-go/membership"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// teamYAML is team.yaml beside this file, built in so that `go run
// ./examples/sync` works from any directory.
//
//go:embed team.yaml
var teamYAML []byte

// firstLineFakes is what a run on the fakes prints first, so nobody has to
// guess whether their account was touched.
const firstLineFakes = "Running against in-process fakes (no account, no network); pass -live to use your account."

// regionEnv is the variable the SDK reads for a region; here it counts only
// with -live.
const regionEnv = "ALIBABA_CLOUD_REGION_ID"

// The targets and users the fakes are seeded with; team.yaml names them.
const (
	workspaceID = "145883"
	projectID   = 27
	owner       = "215139260000000001" // owns both; team.yaml does not list them
	mlLead      = "215139260000000011"
	mlEngineer  = "215139260000000012"
	dataEng     = "215139260000000021"
	leaver      = "215139260000000099" // left the team; still in the workspace
	reviewer    = "215139260000000031" // holds the custom role in the project
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, errFlags):
		os.Exit(2) // the flag package has already said what was wrong
	case err != nil:
		fmt.Fprintln(os.Stderr, "sync:", err)
		os.Exit(1)
	}
}

// errFlags reports flags the flag package has already complained about.
var errFlags = errors.New("bad command-line flags")

// run parses args (without the program name), sets up the fakes or the real
// services, and runs the walk-through, printing to stdout. Nothing reaches
// the network unless args hold -live, and nothing changes on it without
// -apply.
func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	live := fs.Bool("live", false, "use your account through the real services (needs -f and a region); only plans unless -apply is given")
	file := fs.String("f", "", "spec file (required with -live; default on the fakes: the example's team.yaml)")
	region := fs.String("region", "", "region of the real services, with -live (default $"+regionEnv+")")
	apply := fs.Bool("apply", false, "with -live, apply the plan to your account")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errFlags
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every input is a flag (see -h)", fs.Arg(0))
	}

	var s *membership.Syncer
	if *live {
		if *file == "" {
			return errors.New("-live reads your account, so name the spec to compare it with: -f my-team.yaml (the example's team.yaml is only for the fakes)")
		}
		r := *region
		if r == "" {
			r = os.Getenv(regionEnv)
		}
		if r == "" {
			return fmt.Errorf("-live needs a region: pass -region or set %s", regionEnv)
		}
		var err error
		if s, err = liveSyncer(r); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Running against the real services in %s with your account (credentials from the default chain).\n", r)
	} else {
		if *region != "" {
			return errors.New("-region is used only with -live; without -live the example runs on the in-process fakes")
		}
		var stop func()
		var err error
		if s, stop, err = fakeSyncer(); err != nil {
			return err
		}
		defer stop()
		*apply = true // the fakes are there to be changed
		fmt.Fprintln(stdout, firstLineFakes)
		fmt.Fprintf(stdout, "Seeded PAI workspace %s and DataWorks project %d with drift from team.yaml.\n", workspaceID, projectID)
	}

	name, spec, err := loadSpec(*file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Loaded %s: %d workspace(s), %d project(s).\n", name, len(spec.Workspaces), len(spec.Projects))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	return walkThrough(ctx, s, spec, *apply, stdout)
}

// loadSpec reads the spec file, or the built-in team.yaml when file is "".
func loadSpec(file string) (string, membership.Spec, error) {
	if file != "" {
		spec, err := membership.LoadFile(file)
		return file, spec, err
	}
	spec, err := membership.Load(bytes.NewReader(teamYAML))
	var errs membership.SpecErrors
	if errors.As(err, &errs) {
		errs.SetFile("examples/sync/team.yaml")
	}
	return "team.yaml", spec, err
}

// liveSyncer is a Syncer on the real services of region, with credentials
// from the default chain. It uses the DataWorks 2024-05-18 API, which needs
// fewer calls than 2020-05-18.
func liveSyncer(region string) (*membership.Syncer, error) {
	pc, err := pai.New(pai.Options{Region: region})
	if err != nil {
		return nil, err
	}
	dc, err := v2024.New(v2024.Options{Region: region})
	if err != nil {
		return nil, err
	}
	return &membership.Syncer{PAI: pc, DataWorks2024: dc}, nil
}

// fakeSyncer starts both fakes, seeds them with drift from team.yaml, and
// returns a Syncer on them and the function that stops them.
func fakeSyncer() (*membership.Syncer, func(), error) {
	ps := paitest.NewServer()
	ds := dataworkstest.NewServer()
	stop := func() { ps.Close(); ds.Close() }

	ps.AddWorkspace(workspaceID)
	ps.AddMember(workspaceID, owner, pai.RoleWorkspaceOwner)
	ps.AddMember(workspaceID, mlEngineer, pai.RoleWorkspaceAdmin) // wrong role: an AlgoDeveloper
	ps.AddMember(workspaceID, dataEng, pai.RoleWorkspaceGuest)    // as the spec says
	ps.AddMember(workspaceID, leaver, pai.RoleAlgoOperator)       // not in the spec
	ds.AddProject(projectID)
	ds.AddProjectMember(projectID, owner, dataworks.RoleProjectOwner)
	ds.AddProjectMember(projectID, dataEng, dataworks.RoleProjectGuest)  // lacks role_project_dev
	ds.AddProjectMember(projectID, reviewer, "role_project_ml_reviewer") // not in the spec; the project is additive
	ds.AddProjectMember(projectID, mlLead, dataworks.RoleProjectGuest)   // as the spec says

	pc, err := pai.New(pai.Options{Endpoint: ps.URL, Credentials: ps.Credentials()})
	if err != nil {
		stop()
		return nil, nil, err
	}
	dc, err := v2024.New(v2024.Options{Endpoint: ds.URL, Credentials: ds.Credentials()})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return &membership.Syncer{PAI: pc, DataWorks2024: dc}, stop, nil
}

// walkThrough plans, applies when asked to, and plans again.
func walkThrough(ctx context.Context, s *membership.Syncer, spec membership.Spec, apply bool, out io.Writer) error {
	plan, err := s.Plan(ctx, spec)
	if err != nil {
		return err
	}
	fmt.Fprint(out, "\nPlan:\n", plan)
	if plan.Empty() {
		return nil
	}
	if !apply {
		fmt.Fprintln(out, "\nNot applied: pass -apply to apply this plan to your account.")
		return nil
	}

	res, err := s.Apply(ctx, plan)
	if res != nil {
		sum := res.Summary()
		fmt.Fprintf(out, "\nApplied: %d change(s) done, %d failed, %d not tried.\n", sum.Done, sum.Failed, sum.Skipped)
	}
	if err != nil {
		return err
	}

	again, err := s.Plan(ctx, spec)
	if err != nil {
		return err
	}
	fmt.Fprint(out, "\nSecond plan:\n", again)
	if !again.Empty() {
		return errors.New("the second plan is not empty: something changed the members while the example ran")
	}
	return nil
}
