package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/membership"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/signer"
)

// regionEnv is where the SDK finds the region when -region is not given.
const regionEnv = "ALIBABA_CLOUD_REGION_ID"

// userAgent marks the tool's requests in the services' logs.
const userAgent = "acsmembers-cli"

// connection is how every command reaches the services.
type connection struct {
	region            string
	endpointPAI       string
	endpointDataWorks string
	dataWorksAPI      string
	removeLimit       float64
}

// newFlagSet returns a flag set for one command that reports to stderr and
// carries the connection flags.
func newFlagSet(name, synopsis string, stderr io.Writer, conn *connection) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: acsmembers %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&conn.region, "region", "", "region ID of the services, e.g. cn-hangzhou (default $"+regionEnv+")")
	fs.StringVar(&conn.dataWorksAPI, "dataworks-api", "2024", "DataWorks API version: 2024 (2024-05-18, fewer calls) or 2020 (2020-05-18)")
	fs.StringVar(&conn.endpointPAI, "endpoint-pai", "", "PAI endpoint URL instead of the region's public one (a private endpoint, or a test fake)")
	fs.StringVar(&conn.endpointDataWorks, "endpoint-dataworks", "", "DataWorks endpoint URL instead of the region's public one")
	return fs
}

// parseFlags parses args and reports whether the command should go on; when
// it should not, code is the exit code (0 after -h).
func parseFlags(fs *flag.FlagSet, args []string) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, exitOK
		}
		return false, exitError // the flag package has printed the problem and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "acsmembers %s: unexpected argument %q: every input is a flag (see -h)\n", fs.Name(), fs.Arg(0))
		return false, exitError
	}
	return true, exitOK
}

// syncer builds a Syncer with the clients the work needs: PAI when
// workspaces are involved, DataWorks when projects are. It fetches the
// credentials first, so that a machine without any fails once, clearly,
// before a request is sent.
func (c *connection) syncer(ctx context.Context, workspaces, projects bool) (*membership.Syncer, error) {
	if c.dataWorksAPI != "2020" && c.dataWorksAPI != "2024" {
		return nil, fmt.Errorf("-dataworks-api must be 2020 or 2024, not %q", c.dataWorksAPI)
	}
	if c.removeLimit < 0 || c.removeLimit > 1 {
		return nil, fmt.Errorf("-remove-limit must be between 0 and 1, not %g", c.removeLimit)
	}
	creds, err := signer.DefaultCredentials()
	if err != nil {
		return nil, err
	}
	if _, err := creds.Retrieve(ctx); err != nil {
		return nil, err
	}
	s := &membership.Syncer{RemoveLimit: c.removeLimit}
	if workspaces {
		s.PAI, err = pai.New(pai.Options{Region: c.region, Endpoint: c.endpointPAI, Credentials: creds, UserAgent: userAgent})
		if err != nil {
			return nil, err
		}
	}
	if projects {
		opts := dataworks.Options{Region: c.region, Endpoint: c.endpointDataWorks, Credentials: creds, UserAgent: userAgent}
		if c.dataWorksAPI == "2024" {
			s.DataWorks2024, err = v2024.New(opts)
		} else {
			s.DataWorks, err = dataworks.New(opts)
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// report prints err for a person on stderr, with a hint for the failures
// that have an obvious next step. Spec problems print as a compiler's do,
// "team.yaml:12: unknown role ...", one a line.
func report(stderr io.Writer, cmd string, err error) {
	var spec membership.SpecErrors
	if errors.As(err, &spec) {
		for _, e := range spec {
			fmt.Fprintln(stderr, e)
		}
		return
	}
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(stderr, "acsmembers %s: %s\n", cmd, line)
	}
	for _, h := range hints(err) {
		fmt.Fprintln(stderr, "hint:", h)
	}
}

// hints are the next steps for the failures people run into first.
func hints(err error) []string {
	var out []string
	if errors.Is(err, acserrors.ErrNoCredentials) {
		out = append(out, "no credentials were found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "+
			"(and ALIBABA_CLOUD_SECURITY_TOKEN for an STS token), or write a profile to the credentials file "+
			"~/.alibabacloud/credentials (ALIBABA_CLOUD_CREDENTIALS_FILE names another one); "+
			"on ECS, an attached RAM role is used.")
	}
	if errors.Is(err, acserrors.ErrInvalidCredentials) {
		out = append(out, "the service does not know the AccessKey: check ALIBABA_CLOUD_ACCESS_KEY_ID or the credentials file.")
	}
	if errors.Is(err, acserrors.ErrWorkspaceNotFound) {
		out = append(out, "a PAI workspace named above does not exist in this region: check its ID and the region (-region or "+regionEnv+").")
	}
	if errors.Is(err, acserrors.ErrProjectNotFound) {
		out = append(out, "a DataWorks project named above does not exist in this region: check its ID and the region (-region or "+regionEnv+").")
	}
	if errors.Is(err, membership.ErrRemoveLimit) {
		out = append(out, "nothing was changed. If these removals are intended, run again with a higher -remove-limit (1 allows any).")
	}
	return out
}
