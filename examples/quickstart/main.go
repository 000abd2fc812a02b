// Command quickstart shows the SDK's everyday calls: it adds a user to a PAI
// workspace, reads the member back, grants a second role, and puts the same
// user into a DataWorks project role, handling the "not in the project yet"
// case with errors.Is.
//
// With no region configured (or with -fakes) it starts the in-process
// fakes (pai/paitest, dataworks/dataworkstest) and runs against them, so it
// works on a fresh machine with no account:
//
//	go run ./examples/quickstart
//
// With a region set (ALIBABA_CLOUD_REGION_ID or -region) it calls the real
// services with credentials from the default chain (for example
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET); then
// -workspace, -user and -project name what to change.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// config is what one run works on.
type config struct {
	pai       pai.Options
	dataworks dataworks.Options
	workspace string
	user      string
	project   int64
}

func main() {
	region := flag.String("region", os.Getenv("ALIBABA_CLOUD_REGION_ID"), "region of the real services (default $ALIBABA_CLOUD_REGION_ID); empty: use the in-process fakes")
	workspace := flag.String("workspace", "145883", "PAI workspace ID")
	user := flag.String("user", "215139260000088039", "Alibaba Cloud user ID (UID) to add")
	project := flag.Int64("project", 27, "DataWorks project ID")
	fakes := flag.Bool("fakes", false, "use the in-process fakes even when a region is set")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cfg := config{workspace: *workspace, user: *user, project: *project}
	if *region == "" || *fakes {
		stop := useFakes(&cfg)
		defer stop()
		fmt.Println("No region set: running against the in-process fakes (nothing leaves this machine).")
	} else {
		cfg.pai = pai.Options{Region: *region}
		cfg.dataworks = dataworks.Options{Region: *region}
		fmt.Printf("Running against the real services in %s (credentials from the default chain).\n", *region)
	}
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// useFakes starts both fakes with the workspace and project cfg names, points
// cfg at them and returns the function that stops them.
func useFakes(cfg *config) (stop func()) {
	ps := paitest.NewServer()
	ps.AddWorkspace(cfg.workspace)
	ds := dataworkstest.NewServer()
	ds.AddProject(cfg.project)
	cfg.pai = pai.Options{Endpoint: ps.URL, Credentials: ps.Credentials()}
	cfg.dataworks = dataworks.Options{Endpoint: ds.URL, Credentials: ds.Credentials()}
	return func() { ps.Close(); ds.Close() }
}

// run does the walk-through and prints one line per step to out.
func run(ctx context.Context, cfg config, out io.Writer) error {
	pc, err := pai.New(cfg.pai)
	if err != nil {
		return err
	}
	dw, err := dataworks.New(cfg.dataworks)
	if err != nil {
		return err
	}

	created, err := pc.CreateMember(ctx, &pai.CreateMemberRequest{
		WorkspaceID: cfg.workspace,
		Members:     []pai.MemberSpec{{UserID: cfg.user, Roles: []pai.Role{pai.RoleAlgoDeveloper}}},
	})
	if err != nil {
		return err
	}
	if len(created.Members) == 0 {
		return fmt.Errorf("CreateMember returned no member (request %s)", created.RequestID)
	}
	memberID := created.Members[0].MemberID
	fmt.Fprintf(out, "PAI: added user %s to workspace %s as member %s\n", cfg.user, cfg.workspace, memberID)

	got, err := pc.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: cfg.workspace, UserID: cfg.user})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "PAI: read it back: roles %s, created %s\n", roles(got.Roles), got.CreateTime.Format(time.RFC3339))

	if _, err := pc.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: cfg.workspace, MemberID: memberID, Role: pai.RoleWorkspaceAdmin}); err != nil {
		return err
	}
	if got, err = pc.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: cfg.workspace, MemberID: memberID}); err != nil {
		return err
	}
	fmt.Fprintf(out, "PAI: granted %s; roles now %s\n", pai.RoleWorkspaceAdmin, roles(got.Roles))

	add := &dataworks.AddProjectMemberToRoleRequest{ProjectID: cfg.project, UserID: cfg.user, RoleCode: dataworks.RoleProjectDev}
	_, err = dw.AddProjectMemberToRole(ctx, add)
	switch {
	case errors.Is(err, acserrors.ErrUserNotInProject):
		// Roles are granted to project members only: add the user with the role.
		fmt.Fprintf(out, "DataWorks: user %s is not in project %d yet (ErrUserNotInProject); adding them\n", cfg.user, cfg.project)
		if _, err := dw.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: cfg.project, UserID: cfg.user, RoleCode: add.RoleCode}); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "DataWorks: user %s is in project %d with role %s\n", cfg.user, cfg.project, add.RoleCode)
	return nil
}

func roles(rs []pai.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
