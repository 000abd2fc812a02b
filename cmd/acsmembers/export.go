package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// exportHeader starts every exported spec: what it is and what to do next.
const exportHeader = `# Current members, written by "acsmembers export".
# Every target is additive (exclusive: false): apply only adds what is missing.
# Set exclusive: true on a target to remove members and roles not listed here;
# owners are never removed.
`

// idList is a flag that may be repeated and takes comma-separated lists;
// repeats are dropped, the first order kept.
type idList []string

func (l *idList) String() string { return strings.Join(*l, ",") }

func (l *idList) Set(v string) error {
	for id := range strings.SplitSeq(v, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			return errors.New("empty ID")
		}
		if !slices.Contains(*l, id) {
			*l = append(*l, id)
		}
	}
	return nil
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var conn connection
	fs := newFlagSet("export", "-workspace ID[,ID...] -project ID[,ID...] [-o file]", stderr, &conn)
	var workspaces, projectArgs idList
	fs.Var(&workspaces, "workspace", "PAI workspace `ID` to export; repeat the flag or separate IDs with commas")
	fs.Var(&projectArgs, "project", "DataWorks project `ID` to export; repeat the flag or separate IDs with commas")
	out := fs.String("o", "", "write the spec to this `file` instead of standard output")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}
	projects := make([]int64, 0, len(projectArgs))
	for _, a := range projectArgs {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			report(stderr, "export", fmt.Errorf("-project %q is not a DataWorks project ID (a positive integer)", a))
			return exitError
		}
		projects = append(projects, id)
	}
	if len(workspaces) == 0 && len(projects) == 0 {
		report(stderr, "export", errors.New("name what to export: -workspace ID and/or -project ID"))
		return exitError
	}

	s, err := conn.syncer(ctx, len(workspaces) > 0, len(projects) > 0)
	if err != nil {
		report(stderr, "export", err)
		return exitError
	}
	spec, err := s.Export(ctx, workspaces, projects)
	if err != nil {
		report(stderr, "export", err)
		return exitError
	}
	var buf bytes.Buffer
	buf.WriteString(exportHeader)
	if err := spec.WriteYAML(&buf); err != nil {
		report(stderr, "export", err)
		return exitError
	}
	if *out == "" {
		_, err = stdout.Write(buf.Bytes())
	} else {
		err = os.WriteFile(*out, buf.Bytes(), 0o644)
	}
	if err != nil {
		report(stderr, "export", err)
		return exitError
	}
	if *out != "" {
		fmt.Fprintf(stderr, "Wrote %d workspace(s) and %d project(s) to %s.\n", len(spec.Workspaces), len(spec.Projects), *out)
	}
	return exitOK
}
