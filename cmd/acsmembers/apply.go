package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/acsmembers/acsmembers-go/membership"
)

// progressMin is the number of changes from which apply reports progress:
// a short apply is over before a progress line would help.
const progressMin = 20

func runApply(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var conn connection
	var sf specFlags
	fs := newFlagSet("apply", "-f team.yaml [flags]", stderr, &conn)
	sf.register(fs, &conn)
	autoApprove := fs.Bool("auto-approve", false, "apply without asking for confirmation (needed when standard input is not a terminal, as in CI)")
	if ok, code := parseFlags(fs, args); !ok {
		return code
	}

	s, p, err := sf.plan(ctx, &conn)
	if err != nil {
		report(stderr, "apply", err)
		return exitError
	}
	if _, err := p.WriteTo(stdout); err != nil {
		report(stderr, "apply", err)
		return exitError
	}
	if p.Empty() {
		return exitOK
	}
	if !*autoApprove {
		if !interactive(stdin) {
			fmt.Fprintln(stderr, "acsmembers apply: refusing to apply: standard input is not a terminal, so nobody can confirm the plan; "+
				"nothing was changed. Pass -auto-approve to apply without confirmation.")
			return exitError
		}
		fmt.Fprint(stderr, "\nApply these changes? Only 'yes' is accepted: ")
		if answer(ctx, stdin) != "yes" {
			fmt.Fprintln(stdout, "Apply cancelled: nothing was changed.")
			return exitError
		}
	}

	prog := &progress{w: stderr}
	s.Progress = prog.report
	res, err := s.Apply(ctx, p)
	if res != nil {
		printResult(stdout, res)
	}
	if err != nil {
		report(stderr, "apply", err)
		if res != nil {
			fmt.Fprintln(stderr, "Run apply again to finish: it plans afresh, and changes already made are not repeated.")
		}
		return exitError
	}
	return exitOK
}

// interactive reports whether r is a terminal someone can answer on: an
// *os.File that is a character device. A reader with an IsTerminal method
// (tests use one) answers for itself.
func interactive(r io.Reader) bool {
	switch v := r.(type) {
	case interface{ IsTerminal() bool }:
		return v.IsTerminal()
	case *os.File:
		info, err := v.Stat()
		return err == nil && info.Mode()&os.ModeCharDevice != 0
	}
	return false
}

// answer reads one line from r, trimmed; "" when ctx ends first (an
// interrupt at the prompt) or r has nothing.
func answer(ctx context.Context, r io.Reader) string {
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		return s
	case <-ctx.Done():
		return ""
	}
}

// progress prints how far a long apply has got on stderr, at every tenth of
// the way, so that a run of thousands of changes prints ten lines.
type progress struct {
	w    io.Writer
	step int // the last tenth printed
}

// report is the Syncer's Progress callback; Apply calls it one call at a time.
func (p *progress) report(pr membership.Progress) {
	if pr.Total < progressMin {
		return
	}
	step := pr.Done * 10 / pr.Total
	if step == p.step {
		return
	}
	p.step = step
	fmt.Fprintf(p.w, "progress: %d/%d changes done, %d failed, %d throttled requests\n", pr.Done, pr.Total, pr.Failed, pr.Throttled)
}

// printResult sums up what Apply did, and lists what failed.
func printResult(w io.Writer, res *membership.Result) {
	var added, changed, removed int
	for _, o := range res.Outcomes {
		if o.Status != membership.StatusDone {
			continue
		}
		switch o.Action {
		case membership.ActionAdd:
			added++
		case membership.ActionUpdate:
			changed++
		default:
			removed++
		}
	}
	sum := res.Summary()
	if sum.Failed == 0 && sum.Skipped == 0 {
		fmt.Fprintf(w, "\nApply complete: %d added, %d changed, %d removed.\n", added, changed, removed)
		return
	}
	fmt.Fprintf(w, "\nApply incomplete: %d added, %d changed, %d removed; %d failed, %d not tried.\n",
		added, changed, removed, sum.Failed, sum.Skipped)
}
