// Command quickstart shows the SDK's everyday calls: it adds a user to a PAI
// workspace, reads the member back, grants a second role, and puts the same
// user into a DataWorks project role, handling the "not in the project yet"
// case with errors.Is.
//
// By default it starts the in-process fakes (pai/paitest,
// dataworks/dataworkstest) and runs against them, so it works on a fresh
// machine with no account and sends nothing over the network. Its first line
// says so:
//
//	go run ./examples/quickstart
//
// It acts on a real account only when asked to with -live, and then only on
// the IDs given on the command line (it refuses to run without them, so the
// example IDs can never reach a real workspace):
//
//	go run ./examples/quickstart -live -region cn-hangzhou \
//		-workspace 145883 -user 215139260000088039 -project 27
//
// Live runs take credentials from the default chain (for example
// ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET) and the
// region from -region or ALIBABA_CLOUD_REGION_ID. Without -live an exported
// ALIBABA_CLOUD_REGION_ID changes nothing.
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

// The IDs the quickstart uses against the fakes when none are given.
const (
	exampleWorkspace = "145883"
	exampleUser      = "215139260000088039"
	exampleProject   = 27
)

// firstLineFakes is what a run on the fakes prints first, so nobody has to
// guess whether their account was touched.
const firstLineFakes = "Running against in-process fakes (no account, no network); pass -live to use your account."

// config is what one run works on.
type config struct {
	pai       pai.Options
	dataworks dataworks.Options
	workspace string
	user      string
	project   int64
}

func main() {
	err := run(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, errFlags):
		os.Exit(2) // the flag package has already said what was wrong, as flag.Parse would exit
	case err != nil:
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// errFlags reports flags the flag package has already complained about,
// with the usage, on standard error.
var errFlags = errors.New("bad command-line flags")

// run parses args (without the program name), sets up the fakes or the real
// services, and does the walk-through, printing to stdout. Nothing reaches
// the network unless args hold -live and every ID.
func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	live := fs.Bool("live", false, "act on your account through the real services (needs -workspace, -user and -project)")
	region := fs.String("region", "", "region of the real services, with -live (default $"+regionEnv+")")
	workspace := fs.String("workspace", "", "PAI workspace ID (required with -live; default "+exampleWorkspace+" on the fakes)")
	user := fs.String("user", "", "Alibaba Cloud user ID (UID) to add (required with -live; default "+exampleUser+" on the fakes)")
	project := fs.Int64("project", 0, fmt.Sprintf("DataWorks project ID (required with -live; default %d on the fakes)", exampleProject))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h: the usage is all that was asked for
		}
		return errFlags
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: every input is a flag (see -h)", fs.Arg(0))
	}

	cfg := config{workspace: *workspace, user: *user, project: *project}
	if *live {
		var missing []string
		if cfg.workspace == "" {
			missing = append(missing, "-workspace")
		}
		if cfg.user == "" {
			missing = append(missing, "-user")
		}
		if cfg.project <= 0 {
			missing = append(missing, "-project")
		}
		if len(missing) > 0 {
			return fmt.Errorf("-live changes a real account, so name what to change: missing %s (the example IDs are used only on the fakes)", strings.Join(missing, ", "))
		}
		r := *region
		if r == "" {
			r = os.Getenv(regionEnv)
		}
		if r == "" {
			return fmt.Errorf("-live needs a region: pass -region or set %s", regionEnv)
		}
		cfg.pai = pai.Options{Region: r}
		cfg.dataworks = dataworks.Options{Region: r}
		fmt.Fprintf(stdout, "Running against the real services in %s with your account (credentials from the default chain).\n", r)
	} else {
		if *region != "" {
			return errors.New("-region is used only with -live; without -live the quickstart runs on the in-process fakes")
		}
		if cfg.workspace == "" {
			cfg.workspace = exampleWorkspace
		}
		if cfg.user == "" {
			cfg.user = exampleUser
		}
		if cfg.project == 0 {
			cfg.project = exampleProject
		}
		stop := useFakes(&cfg)
		defer stop()
		fmt.Fprintln(stdout, firstLineFakes)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return walkThrough(ctx, cfg, stdout)
}

// regionEnv is the variable the SDK reads for a region; here it counts only
// with -live.
const regionEnv = "ALIBABA_CLOUD_REGION_ID"

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

// walkThrough does the calls and prints one line per step to out.
func walkThrough(ctx context.Context, cfg config, out io.Writer) error {
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
