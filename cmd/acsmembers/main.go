// Command acsmembers keeps the members of PAI workspaces and DataWorks
// projects as a spec file says: membership as code, in the style of
// terraform plan and apply.
//
//	acsmembers plan   -f team.yaml                  # what would change; reads only
//	acsmembers apply  -f team.yaml                  # show the plan, ask for "yes", apply it
//	acsmembers export -workspace 145883 -project 27 # today's members as a spec to start from
//
// The spec format is package membership's (see membership.Load). Region and
// credentials come as the SDK takes them: -region or ALIBABA_CLOUD_REGION_ID,
// and the default credential chain (ALIBABA_CLOUD_ACCESS_KEY_ID and
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, ~/.alibabacloud/credentials, an ECS RAM
// role, ...).
//
// Exit codes: 0 success, 1 error (bad flags included), and 2 from
// plan -detailed-exitcode when the plan has changes, for CI drift checks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// The exit codes. A usage error exits 1, not 2 as the flag package would:
// 2 means "changes pending" to a CI job running plan -detailed-exitcode.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first interrupt cancels the work in flight (Apply stops
		// starting changes and reports what it did); a second one ends
		// the process at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command: args without the program name, stdin for the
// confirmation of apply, stdout for plans and specs, stderr for progress and
// errors. It returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitError
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "plan":
		return runPlan(ctx, rest, stdout, stderr)
	case "apply":
		return runApply(ctx, rest, stdin, stdout, stderr)
	case "export":
		return runExport(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	default:
		fmt.Fprintf(stderr, "acsmembers: unknown command %q\n\n", cmd)
		usage(stderr)
		return exitError
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `acsmembers keeps the members of PAI workspaces and DataWorks projects as a spec file says.

Usage:
  acsmembers plan   -f team.yaml [-detailed-exitcode] [-json]
  acsmembers apply  -f team.yaml [-auto-approve] [-remove-limit 0.5]
  acsmembers export -workspace ID[,ID...] -project ID[,ID...] [-o team.yaml]

  plan     compares the spec with the services and prints the changes; it only reads.
  apply    prints the plan, asks for "yes" on the terminal, and applies it.
  export   writes the current members of existing workspaces and projects as a spec.

Every command also takes:
  -region ID                 region of the services (default $ALIBABA_CLOUD_REGION_ID)
  -dataworks-api 2020|2024   DataWorks API version to use (default 2024: fewer calls)
  -endpoint-pai URL          PAI endpoint instead of the region's (private endpoints, test fakes)
  -endpoint-dataworks URL    DataWorks endpoint instead of the region's

Credentials come from the default chain: ALIBABA_CLOUD_ACCESS_KEY_ID and
ALIBABA_CLOUD_ACCESS_KEY_SECRET, the credentials file ~/.alibabacloud/credentials,
an OIDC/RRSA role, the aliyun CLI profile or the ECS RAM role.

Exit codes: 0 success; 1 error; 2 plan -detailed-exitcode found changes.
Run "acsmembers <command> -h" for a command's flags.
`)
}
