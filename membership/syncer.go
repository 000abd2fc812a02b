package membership

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

// DefaultWorkers is the number of requests a Syncer keeps in flight per
// service when Syncer.Workers is 0. At a few tens of milliseconds a request
// that is several hundred requests a second, above the rate a service
// usually grants one account: the Client's adaptive limiter, not the worker
// count, then sets the pace.
const DefaultWorkers = 16

// DefaultRemoveLimit is the share of a target's members Apply removes at
// most when Syncer.RemoveLimit is 0.
const DefaultRemoveLimit = 0.5

// SmallRemoval is the number of members Apply always removes from a target
// when the plan says so, whatever the target's size: the remove limit only
// guards against larger removals.
const SmallRemoval = 5

// Syncer plans and applies specs. Set the client of each service the specs
// name; a Syncer is safe for concurrent use once set up.
type Syncer struct {
	PAI       *pai.Client       // for workspaces
	DataWorks *dataworks.Client // for projects, through the DataWorks API 2020-05-18

	// DataWorks2024, when set, is used for projects instead of DataWorks:
	// the 2024-05-18 API creates a member with all of their roles in one
	// call and grants or revokes several roles at once, so a sync sends
	// fewer requests.
	DataWorks2024 *v2024.Client

	// Workers bounds the requests in flight per service, for Plan and Apply
	// alike; 0 means DefaultWorkers. All targets of a service share them,
	// as they share the service's Client and its rate limiter.
	Workers int

	// RemoveLimit is the share of a target's members (0 to 1) that Apply
	// may remove; 0 means DefaultRemoveLimit, 1 allows any removal. Removing
	// SmallRemoval members or fewer is never refused. A plan over the limit
	// is refused as a whole, before anything is sent, with an error matching
	// ErrRemoveLimit.
	RemoveLimit float64

	// Progress, when set, is called after each change Apply finishes, one
	// call at a time, so a command-line tool can show how far it got.
	Progress func(Progress)
}

func (s *Syncer) workers() int {
	if s.Workers > 0 {
		return s.Workers
	}
	return DefaultWorkers
}

func (s *Syncer) removeLimit() float64 {
	if s.RemoveLimit > 0 {
		return s.RemoveLimit
	}
	return DefaultRemoveLimit
}

// projects is the DataWorks API in use: the 2024-05-18 one when configured.
func (s *Syncer) projects() projectAPI {
	switch {
	case s.DataWorks2024 != nil:
		return dataWorks2024{s.DataWorks2024}
	case s.DataWorks != nil:
		return dataWorks2020{s.DataWorks}
	}
	return nil
}

// checkClients reports a service the work needs but has no client for.
func (s *Syncer) checkClients(workspaces, projects bool) error {
	if workspaces && s.PAI == nil {
		return errors.New("membership: workspaces to sync but Syncer.PAI is nil")
	}
	if projects && s.projects() == nil {
		return errors.New("membership: projects to sync but neither Syncer.DataWorks nor Syncer.DataWorks2024 is set")
	}
	return nil
}

// Plan compares spec with the members the services hold and returns the
// changes that make them match. It only reads: one listing per target,
// every target of a service at once within Syncer.Workers.
//
// A target that does not exist fails the plan with an error matching
// errors.ErrWorkspaceNotFound or errors.ErrProjectNotFound; every target's
// error is returned, joined.
func (s *Syncer) Plan(ctx context.Context, spec Spec) (*Plan, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkClients(len(spec.Workspaces) > 0, len(spec.Projects) > 0); err != nil {
		return nil, err
	}
	targets := make([]*target, 0, len(spec.Workspaces)+len(spec.Projects))
	for _, ws := range spec.Workspaces {
		targets = append(targets, &target{
			Target: Target{Service: ServicePAI, ID: ws.ID, Exclusive: ws.Exclusive},
			owner:  string(pai.RoleWorkspaceOwner), desired: untyped(ws.Members),
		})
	}
	for _, p := range spec.Projects {
		targets = append(targets, &target{
			Target: Target{Service: ServiceDataWorks, ID: projectKey(p.ID), Exclusive: p.Exclusive},
			owner:  string(dataworks.RoleProjectOwner), desired: untyped(p.Members),
		})
	}
	if err := s.read(ctx, targets); err != nil {
		return nil, err
	}
	plan := &Plan{Targets: []Target{}, Changes: []Change{}, Warnings: []Warning{}}
	for _, t := range targets {
		changes, warnings := t.diff()
		plan.Targets = append(plan.Targets, t.Target)
		plan.Changes = append(plan.Changes, changes...)
		plan.Warnings = append(plan.Warnings, warnings...)
	}
	for _, e := range s.overLimit(plan) {
		plan.Warnings = append(plan.Warnings, Warning{Service: e.Service, Target: e.Target, Message: "Apply will refuse: " + e.reason()})
	}
	return plan, nil
}

// read lists the current members of every target, the targets of each
// service at once within the worker limit, and returns every target's
// error, joined, each naming its target.
func (s *Syncer) read(ctx context.Context, targets []*target) error {
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for _, svc := range []Service{ServicePAI, ServiceDataWorks} {
		var jobs []func(context.Context)
		for i, t := range targets {
			if t.Service != svc {
				continue
			}
			jobs = append(jobs, func(ctx context.Context) {
				err := untilNotThrottled(ctx, func() error {
					var err error
					t.current, err = s.members(ctx, t.Service, t.ID)
					return err
				})
				switch {
				case errors.Is(err, dataworks.ErrPageLimit):
					errs[i] = fmt.Errorf("membership: %s: %w (set Syncer.DataWorks2024 to read it through the 2024-05-18 API)", t.name(), err)
				case err != nil:
					errs[i] = fmt.Errorf("membership: %s: %w", t.name(), err)
				}
				t.Members = len(t.current)
			})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx, s.workers(), jobs)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (t *Target) name() string {
	if t.Service == ServiceDataWorks {
		return "dataworks project " + t.ID
	}
	return "pai workspace " + t.ID
}

// members lists the current members of one target, by user ID.
func (s *Syncer) members(ctx context.Context, svc Service, id string) (map[string]member, error) {
	if svc == ServiceDataWorks {
		pid, err := parseProjectID(id)
		if err != nil {
			return nil, err
		}
		return s.projects().members(ctx, pid)
	}
	out := map[string]member{}
	for m, err := range s.PAI.ListAllMembers(ctx, &pai.ListMembersRequest{WorkspaceID: id}) {
		if err != nil {
			return nil, err
		}
		out[m.UserID] = member{id: m.MemberID, roles: strs(m.Roles)}
	}
	return out, nil
}

func parseProjectID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("project ID %q is not a positive integer", id)
	}
	return n, nil
}

// Export reads the current members of the named workspaces and projects as a
// Spec, every target non-exclusive: the starting point for a team adopting
// specs on existing targets (write it out with Spec.WriteYAML). Owners are
// listed with their owner role, which a plan then leaves alone. A target
// that does not exist fails as in Plan.
func (s *Syncer) Export(ctx context.Context, workspaceIDs []string, projectIDs []int64) (Spec, error) {
	if err := s.checkClients(len(workspaceIDs) > 0, len(projectIDs) > 0); err != nil {
		return Spec{}, err
	}
	var targets []*target
	for _, id := range workspaceIDs {
		targets = append(targets, &target{Target: Target{Service: ServicePAI, ID: id}})
	}
	for _, id := range projectIDs {
		targets = append(targets, &target{Target: Target{Service: ServiceDataWorks, ID: projectKey(id)}})
	}
	if err := s.read(ctx, targets); err != nil {
		return Spec{}, err
	}
	var spec Spec
	for _, t := range targets {
		if t.Service == ServicePAI {
			spec.Workspaces = append(spec.Workspaces, WorkspaceSpec{ID: t.ID, Members: exported[pai.Role](t.current)})
		} else {
			id, _ := parseProjectID(t.ID) // made by projectKey above
			spec.Projects = append(spec.Projects, ProjectSpec{ID: id, Members: exported[dataworks.RoleCode](t.current)})
		}
	}
	return spec, nil
}

// exported is the members of a target as a spec lists them; a member with no
// role (which a spec cannot express) is left out.
func exported[R ~string](current map[string]member) map[string][]R {
	out := map[string][]R{}
	for _, user := range slices.Sorted(maps.Keys(current)) {
		if roles := current[user].roles; len(roles) > 0 {
			out[user] = typedRoles[R](sortedRoles(roles))
		}
	}
	return out
}

func typedRoles[R ~string](roles []string) []R {
	out := make([]R, len(roles))
	for i, r := range roles {
		out[i] = R(r)
	}
	return out
}

func strs[R ~string](roles []R) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

func untyped[R ~string](m map[string][]R) map[string][]string {
	out := make(map[string][]string, len(m))
	for user, roles := range m {
		out[user] = strs(roles)
	}
	return out
}

// ErrRemoveLimit is matched by the error Apply returns when a plan would
// remove more of a target's members than Syncer.RemoveLimit allows.
var ErrRemoveLimit = errors.New("membership: the plan removes too many members")

// RemoveLimitError is a target whose planned removals exceed the remove
// limit. It matches ErrRemoveLimit.
type RemoveLimitError struct {
	Service Service
	Target  string
	Remove  int     // members the plan removes
	Members int     // members the target had when planned
	Limit   float64 // the share allowed
}

// Error says what would be removed and how to allow it.
func (e *RemoveLimitError) Error() string {
	return (&Target{Service: e.Service, ID: e.Target}).name() + ": " + e.reason()
}

func (e *RemoveLimitError) reason() string {
	return fmt.Sprintf("the plan removes %d of %d members, more than the remove limit of %g%% allows "+
		"(up to %d may always be removed; raise the limit to remove more)", e.Remove, e.Members, e.Limit*100, SmallRemoval)
}

// Is matches ErrRemoveLimit.
func (e *RemoveLimitError) Is(target error) bool { return target == ErrRemoveLimit }

// overLimit returns the targets of p whose removals exceed the limit.
func (s *Syncer) overLimit(p *Plan) []*RemoveLimitError {
	limit := s.removeLimit()
	members := map[Target]int{}
	for _, t := range p.Targets {
		members[Target{Service: t.Service, ID: t.ID}] = t.Members
	}
	removals := p.removals()
	var out []*RemoveLimitError
	for _, t := range p.targetOrder() {
		key := Target{Service: t.Service, ID: t.ID}
		n := removals[key]
		if n <= SmallRemoval || float64(n) <= limit*float64(members[key]) {
			continue
		}
		out = append(out, &RemoveLimitError{Service: t.Service, Target: t.ID, Remove: n, Members: members[key], Limit: limit})
	}
	return out
}

// run runs jobs with at most n at a time, in order of the slice, and returns
// when all have finished. A job that has not started when ctx ends still
// runs, and is expected to see ctx.Err itself.
func run(ctx context.Context, n int, jobs []func(context.Context)) {
	next := make(chan func(context.Context))
	var wg sync.WaitGroup
	for range min(n, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				job(ctx)
			}
		}()
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
}

// alreadyGone reports an error that means the member is no longer there, so
// removing it (or a role of it) is done.
func alreadyGone(err error) bool {
	return errors.Is(err, acserrors.ErrMemberNotFound) || errors.Is(err, acserrors.ErrUserNotInProject)
}
