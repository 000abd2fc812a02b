package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"

	"github.com/acsmembers/acsmembers-go/membership"
)

// specFlags are the flags of the commands that read a spec.
type specFlags struct {
	file string
}

func (f *specFlags) register(fs *flag.FlagSet, conn *connection) {
	fs.StringVar(&f.file, "f", "", "the spec file, YAML or JSON (required)")
	fs.Float64Var(&conn.removeLimit, "remove-limit", 0,
		"share of a target's members (0 to 1) a plan may remove when that is more than 5 members; 0 means the default, 0.5")
}

// load reads the spec named by -f.
func (f *specFlags) load() (membership.Spec, error) {
	if f.file == "" {
		return membership.Spec{}, errors.New("-f is required: name the spec file, e.g. -f team.yaml")
	}
	return membership.LoadFile(f.file)
}

// plan loads the spec and plans it.
func (f *specFlags) plan(ctx context.Context, conn *connection) (*membership.Syncer, *membership.Plan, error) {
	spec, err := f.load()
	if err != nil {
		return nil, nil, err
	}
	s, err := conn.syncer(ctx, len(spec.Workspaces) > 0, len(spec.Projects) > 0)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Plan(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var conn connection
	var sf specFlags
	fs := newFlagSet("plan", "-f team.yaml [flags]", stderr, &conn)
	sf.register(fs, &conn)
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when the plan has changes, 0 when it has none, 1 on error (for CI drift checks)")
	asJSON := fs.Bool("json", false, "print the plan as JSON, for machines")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}

	_, p, err := sf.plan(ctx, &conn)
	if err != nil {
		report(stderr, "plan", err)
		return exitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(p)
	} else {
		_, err = p.WriteTo(stdout)
	}
	if err != nil {
		report(stderr, "plan", err)
		return exitError
	}
	if *detailed && !p.Empty() {
		return exitChanges
	}
	return exitOK
}
