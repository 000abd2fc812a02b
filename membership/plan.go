package membership

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Service names the service a target belongs to.
type Service string

// The services a Syncer manages.
const (
	ServicePAI       Service = "pai"       // PAI workspaces
	ServiceDataWorks Service = "dataworks" // DataWorks projects
)

// noun is how a target of the service reads in text.
func (s Service) noun() string {
	if s == ServiceDataWorks {
		return "DataWorks project"
	}
	return "PAI workspace"
}

// Action is what a Change does to a member.
type Action string

// The actions, in the order a plan lists them within a target.
const (
	ActionAdd    Action = "add"    // make the user a member with the Grant roles
	ActionUpdate Action = "update" // grant the Grant roles, then revoke the Revoke roles
	ActionRemove Action = "remove" // remove the member, who holds the Revoke roles
)

func (a Action) rank() int {
	switch a {
	case ActionAdd:
		return 0
	case ActionUpdate:
		return 1
	}
	return 2
}

func (a Action) symbol() string {
	switch a {
	case ActionAdd:
		return "+"
	case ActionUpdate:
		return "~"
	}
	return "-"
}

// Change is what Apply does to one member of one target.
type Change struct {
	Service  Service  `json:"service"`
	Target   string   `json:"target"` // the workspace ID, or the project ID in decimal
	Action   Action   `json:"action"`
	UserID   string   `json:"user_id"`
	MemberID string   `json:"member_id,omitempty"` // PAI's ID of an existing member
	Grant    []string `json:"grant,omitempty"`     // roles to give, sorted
	Revoke   []string `json:"revoke,omitempty"`    // roles to take away (for a removal: those held), sorted
}

// String reads like "pai workspace 145883: add user 2151 with PAI.AlgoDeveloper".
func (c Change) String() string {
	where := (&Target{Service: c.Service, ID: c.Target}).name() + ": "
	switch c.Action {
	case ActionAdd:
		return where + "add user " + c.UserID + " with " + strings.Join(c.Grant, ", ")
	case ActionRemove:
		return where + "remove user " + c.UserID
	}
	var parts []string
	if len(c.Grant) > 0 {
		parts = append(parts, "grant "+strings.Join(c.Grant, ", "))
	}
	if len(c.Revoke) > 0 {
		parts = append(parts, "revoke "+strings.Join(c.Revoke, ", "))
	}
	return where + "user " + c.UserID + ": " + strings.Join(parts, "; ")
}

// Warning is something a plan leaves undone on purpose, such as an owner it
// will not remove, or a removal Apply will refuse.
type Warning struct {
	Service Service `json:"service"`
	Target  string  `json:"target"`
	UserID  string  `json:"user_id,omitempty"` // empty for a warning about the whole target
	Message string  `json:"message"`
}

// Target is one workspace or project a plan covers, as it was read.
type Target struct {
	Service   Service `json:"service"`
	ID        string  `json:"id"`
	Exclusive bool    `json:"exclusive"`
	Members   int     `json:"members"` // members before the plan: the base of the remove limit
}

// Plan is the difference between a spec and the services: what Apply will
// do. Changes are ordered by target (workspaces, then projects, in spec
// order), then added members, changed members and removed members, each by
// user ID; the same spec and state always give the same plan.
//
// Print it (String or WriteTo) for people, in the style of terraform plan;
// encode it with encoding/json for machines (it also decodes, so a plan can
// be saved and applied later).
type Plan struct {
	Targets  []Target  `json:"targets"`
	Changes  []Change  `json:"changes"`
	Warnings []Warning `json:"warnings"`
}

// Empty reports whether the plan changes nothing. A plan with only warnings
// is empty.
func (p *Plan) Empty() bool { return p == nil || len(p.Changes) == 0 }

// Summary counts a plan's changes by action.
type Summary struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
}

// Summary counts the plan's changes.
func (p *Plan) Summary() Summary {
	var s Summary
	if p == nil {
		return s
	}
	for _, c := range p.Changes {
		switch c.Action {
		case ActionAdd:
			s.Add++
		case ActionUpdate:
			s.Change++
		default:
			s.Remove++
		}
	}
	return s
}

// String is the plan as WriteTo prints it.
func (p *Plan) String() string {
	var b strings.Builder
	_, _ = p.WriteTo(&b)
	return b.String()
}

// MarshalJSON encodes the plan with its summary, e.g.
// {"targets":[...],"changes":[...],"warnings":[],"summary":{"add":3,"change":2,"remove":1}}.
func (p *Plan) MarshalJSON() ([]byte, error) {
	type plain Plan // without this method
	out := struct {
		*plain
		Summary Summary `json:"summary"`
	}{(*plain)(p), p.Summary()}
	if out.Targets == nil || out.Changes == nil || out.Warnings == nil {
		cp := *p // lists as [], never null, for the machines that read it
		cp.Targets, cp.Changes, cp.Warnings = nonNil(cp.Targets), nonNil(cp.Changes), nonNil(cp.Warnings)
		out.plain = (*plain)(&cp)
	}
	return json.Marshal(out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// WriteTo prints the plan for people, one block per target that changes or
// has warnings:
//
//	PAI workspace 145883 (exclusive):
//	  + 2151  PAI.AlgoDeveloper, PAI.LabelManager
//	  ~ 2152  +PAI.WorkspaceAdmin -PAI.WorkspaceGuest
//	  - 2153  PAI.AlgoOperator
//	  ! 2150  owner, not in the spec: kept (owners are never removed)
//
//	Plan: 1 to add, 1 to change, 1 to remove.
//
// An empty plan ends with "No changes. ..." instead of the counts.
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: bufio.NewWriter(w)}
	if p == nil {
		p = &Plan{}
	}
	for _, t := range p.targetOrder() {
		changes := filter(p.Changes, func(c Change) bool { return c.Service == t.Service && c.Target == t.ID })
		warnings := filter(p.Warnings, func(x Warning) bool { return x.Service == t.Service && x.Target == t.ID })
		if len(changes) == 0 && len(warnings) == 0 {
			continue
		}
		head := t.Service.noun() + " " + t.ID
		if t.Exclusive {
			head += " (exclusive)"
		}
		fmt.Fprintf(cw, "%s:\n", head)
		width := 0
		for _, c := range changes {
			width = max(width, len(c.UserID))
		}
		for _, x := range warnings {
			width = max(width, len(x.UserID))
		}
		for _, c := range changes {
			var roles string
			switch c.Action {
			case ActionAdd:
				roles = strings.Join(c.Grant, ", ")
			case ActionRemove:
				roles = strings.Join(c.Revoke, ", ")
			default:
				var parts []string
				for _, r := range c.Grant {
					parts = append(parts, "+"+r)
				}
				for _, r := range c.Revoke {
					parts = append(parts, "-"+r)
				}
				roles = strings.Join(parts, " ")
			}
			fmt.Fprintf(cw, "  %s %-*s  %s\n", c.Action.symbol(), width, c.UserID, roles)
		}
		for _, x := range warnings {
			if x.UserID == "" {
				fmt.Fprintf(cw, "  ! %s\n", x.Message)
			} else {
				fmt.Fprintf(cw, "  ! %-*s  %s\n", width, x.UserID, x.Message)
			}
		}
		fmt.Fprintln(cw)
	}
	if p.Empty() {
		fmt.Fprintln(cw, "No changes. Every target matches the spec.")
	} else {
		s := p.Summary()
		fmt.Fprintf(cw, "Plan: %d to add, %d to change, %d to remove.\n", s.Add, s.Change, s.Remove)
	}
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	return cw.n, cw.err
}

// targetOrder is the plan's targets, plus any that only its changes or
// warnings name (a plan built or edited by hand), in first-seen order.
func (p *Plan) targetOrder() []Target {
	out := slices.Clone(p.Targets)
	has := func(s Service, id string) bool {
		return slices.ContainsFunc(out, func(t Target) bool { return t.Service == s && t.ID == id })
	}
	for _, c := range p.Changes {
		if !has(c.Service, c.Target) {
			out = append(out, Target{Service: c.Service, ID: c.Target})
		}
	}
	for _, x := range p.Warnings {
		if !has(x.Service, x.Target) {
			out = append(out, Target{Service: x.Service, ID: x.Target})
		}
	}
	return out
}

func filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// countWriter counts what it writes and keeps the first error.
type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

// member is a member as read from a service.
type member struct {
	id    string // PAI's member ID; empty for DataWorks
	roles []string
}

// target is one target being planned: what the spec wants and what is there.
type target struct {
	Target
	owner   string              // the service's owner role
	desired map[string][]string // user → roles
	current map[string]member   // user → member
}

// diff works out the changes and warnings of one target.
func (t *target) diff() ([]Change, []Warning) {
	var changes []Change
	var warnings []Warning
	warn := func(user, format string, args ...any) {
		warnings = append(warnings, Warning{Service: t.Service, Target: t.ID, UserID: user, Message: fmt.Sprintf(format, args...)})
	}
	for _, user := range slices.Sorted(maps.Keys(t.desired)) {
		want := sortedRoles(t.desired[user])
		cur, exists := t.current[user]
		isOwner := exists && slices.Contains(cur.roles, t.owner)
		if slices.Contains(want, t.owner) && !isOwner {
			warn(user, "cannot be given %s: a sync never changes who owns a %s", t.owner, strings.ToLower(t.Service.noun()))
			want = minus(want, []string{t.owner})
		}
		if !exists {
			if len(want) > 0 {
				changes = append(changes, Change{Service: t.Service, Target: t.ID, Action: ActionAdd, UserID: user, Grant: want})
			}
			continue
		}
		have := sortedRoles(cur.roles)
		grant := minus(want, have)
		var revoke []string
		if t.Exclusive {
			revoke = minus(have, want)
			if slices.Contains(revoke, t.owner) {
				warn(user, "owner: keeps %s (owners are never demoted)", t.owner)
				revoke = minus(revoke, []string{t.owner})
			}
			if len(revoke) > 0 && len(minus(append(slices.Clone(have), grant...), revoke)) == 0 {
				// Only when every wanted role was an owner role it cannot
				// have: revoking would leave the member with none.
				warn(user, "keeps %s: revoking would leave no role", strings.Join(revoke, ", "))
				revoke = nil
			}
		}
		if len(grant) > 0 || len(revoke) > 0 {
			changes = append(changes, Change{Service: t.Service, Target: t.ID, Action: ActionUpdate, UserID: user, MemberID: cur.id, Grant: grant, Revoke: revoke})
		}
	}
	if t.Exclusive {
		for _, user := range slices.Sorted(maps.Keys(t.current)) {
			if _, listed := t.desired[user]; listed {
				continue
			}
			cur := t.current[user]
			if slices.Contains(cur.roles, t.owner) {
				warn(user, "owner, not in the spec: kept (owners are never removed)")
				continue
			}
			changes = append(changes, Change{Service: t.Service, Target: t.ID, Action: ActionRemove, UserID: user, MemberID: cur.id, Revoke: sortedRoles(cur.roles)})
		}
	}
	slices.SortStableFunc(changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Action.rank(), b.Action.rank()), strings.Compare(a.UserID, b.UserID))
	})
	return changes, warnings
}

// minus returns the elements of a not in b, in a's order, once each; nil
// when there are none.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// removals counts the members each target of p would lose.
func (p *Plan) removals() map[Target]int {
	out := map[Target]int{}
	for _, c := range p.Changes {
		if c.Action == ActionRemove {
			out[Target{Service: c.Service, ID: c.Target}]++
		}
	}
	return out
}

func projectKey(id int64) string { return strconv.FormatInt(id, 10) }
