package membership

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

// paiBatch is the number of members one CreateMember or DeleteMembers call
// carries. Both take a list and PAI documents no maximum; 50 members cut a
// first sync of a large workspace to a few calls while a request stays a few
// kilobytes (and a DeleteMembers URL well under any gateway's limit). When a
// batch fails, Apply retries its members one at a time to find the one at
// fault, so a larger batch would also make a failure costlier.
const paiBatch = 50

// Status is how a change ended.
type Status string

// The statuses of an Outcome.
const (
	StatusDone    Status = "done"    // the member is as planned (perhaps already was)
	StatusFailed  Status = "failed"  // see Outcome.Err
	StatusSkipped Status = "skipped" // not tried: the context ended first
)

// Outcome is how one change of a plan ended.
type Outcome struct {
	Change
	Status Status `json:"status"`
	Error  string `json:"error,omitempty"` // Err's text, for JSON
	Err    error  `json:"-"`               // nil when done; wraps the SDK's typed error
}

// Result is what Apply did: one outcome per change of the plan, in the
// plan's order.
type Result struct {
	Outcomes []Outcome `json:"outcomes"`
}

// ResultSummary counts a result's outcomes by status.
type ResultSummary struct {
	Done    int `json:"done"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// Summary counts the outcomes by status.
func (r *Result) Summary() ResultSummary {
	var s ResultSummary
	if r == nil {
		return s
	}
	for _, o := range r.Outcomes {
		switch o.Status {
		case StatusDone:
			s.Done++
		case StatusFailed:
			s.Failed++
		default:
			s.Skipped++
		}
	}
	return s
}

// Progress is how far an Apply has got, as Syncer.Progress receives it.
type Progress struct {
	Done  int // changes finished, failed ones included
	Total int // changes in the plan
	// Failed counts the finished changes that failed.
	Failed int
	// Throttled counts the throttled answers the Syncer's clients have
	// received during this Apply, retries included. A Client slows down
	// once throttled, so it stays low.
	Throttled int
}

// throttled sums the throttled answers of the Syncer's clients.
func (s *Syncer) throttled() int {
	n := 0
	if s.PAI != nil {
		n += s.PAI.ThrottledCount()
	}
	if s.DataWorks != nil {
		n += s.DataWorks.ThrottledCount()
	}
	if s.DataWorks2024 != nil {
		n += s.DataWorks2024.ThrottledCount()
	}
	return n
}

// Apply carries out a plan made by Plan (or decoded from its JSON).
//
// Per member, new roles are granted before old ones are revoked, so no
// member ever holds no role. New PAI members are created in batches;
// DataWorks users are created with their first role and then granted the
// rest (all at once with the 2024-05-18 API). Changes run concurrently,
// Syncer.Workers at a time per service.
//
// A plan that removes more of a target's members than Syncer.RemoveLimit
// allows is refused before anything is sent: the error matches
// ErrRemoveLimit and the result is nil. Otherwise a failure stops nothing
// else: Apply does everything it can and returns a result with every
// change's outcome, and every failure joined into one error, each naming its
// change and wrapping the SDK's typed error. A change that had already
// happened counts as done. An empty plan sends nothing.
func (s *Syncer) Apply(ctx context.Context, p *Plan) (*Result, error) {
	if p.Empty() {
		return &Result{Outcomes: []Outcome{}}, nil
	}
	if over := s.overLimit(p); len(over) > 0 {
		errs := make([]error, len(over))
		for i, e := range over {
			errs[i] = fmt.Errorf("membership: apply refused: %w", e)
		}
		return nil, errors.Join(errs...)
	}
	var hasWS, hasProject bool
	for _, c := range p.Changes {
		hasWS = hasWS || c.Service == ServicePAI
		hasProject = hasProject || c.Service == ServiceDataWorks
	}
	if err := s.checkClients(hasWS, hasProject); err != nil {
		return nil, err
	}
	rec := &recorder{changes: p.Changes, outcomes: make([]Outcome, len(p.Changes)), report: s.Progress,
		throttled: s.throttled, throttledBefore: s.throttled()}
	rec.progress.Total = len(p.Changes)
	for i, c := range p.Changes {
		rec.outcomes[i] = Outcome{Change: c, Status: StatusSkipped}
	}
	var paiJobs, dwJobs []func(context.Context)
	for _, group := range groups(p.Changes) {
		switch group.service {
		case ServicePAI:
			paiJobs = append(paiJobs, s.paiJobs(group, rec)...)
		case ServiceDataWorks:
			dwJobs = append(dwJobs, s.projectJobs(group, rec)...)
		default:
			for _, i := range group.all() {
				rec.finish(i, fmt.Errorf("unknown service %q", group.service))
			}
		}
	}
	var wg sync.WaitGroup
	for _, jobs := range [][]func(context.Context){paiJobs, dwJobs} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(ctx, s.workers(), jobs)
		}()
	}
	wg.Wait()

	res := &Result{Outcomes: rec.outcomes}
	var errs []error
	for _, o := range res.Outcomes {
		if o.Status == StatusFailed {
			errs = append(errs, o.Err)
		}
	}
	if n := res.Summary().Skipped; n > 0 {
		errs = append(errs, fmt.Errorf("membership: %d change(s) not tried: %w", n, context.Cause(ctx)))
	}
	return res, errors.Join(errs...)
}

// group is the changes of one target, by action, as indexes into the plan.
type group struct {
	service             Service
	target              string
	adds, updates, dels []int
}

func (g *group) all() []int {
	return append(append(append([]int(nil), g.adds...), g.updates...), g.dels...)
}

// groups splits changes by target, in first-seen order.
func groups(changes []Change) []*group {
	var out []*group
	byKey := map[Target]*group{}
	for i, c := range changes {
		key := Target{Service: c.Service, ID: c.Target}
		g := byKey[key]
		if g == nil {
			g = &group{service: c.Service, target: c.Target}
			byKey[key] = g
			out = append(out, g)
		}
		switch c.Action {
		case ActionAdd:
			g.adds = append(g.adds, i)
		case ActionUpdate:
			g.updates = append(g.updates, i)
		default:
			g.dels = append(g.dels, i)
		}
	}
	return out
}

// recorder keeps the outcomes of one Apply and reports progress.
type recorder struct {
	changes []Change // the plan's, read only

	throttled       func() int // the clients' count of throttled answers
	throttledBefore int        // that count when Apply started

	mu       sync.Mutex
	outcomes []Outcome
	progress Progress
	report   func(Progress)
}

// finish records the end of change i: done when err is nil.
func (r *recorder) finish(i int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o := &r.outcomes[i]
	if err != nil {
		o.Status, o.Err = StatusFailed, fmt.Errorf("membership: %s: %w", o.Change, err)
		o.Error = o.Err.Error()
		r.progress.Failed++
	} else {
		o.Status = StatusDone
	}
	r.progress.Done++
	if r.report != nil {
		r.progress.Throttled = r.throttled() - r.throttledBefore
		r.report(r.progress)
	}
}

// throttledRounds is how many more times Apply and Plan call again when a
// call comes back throttled even after the Client's own retries. A throttled
// request did nothing, so calling again is always safe, and the Client
// paces the new attempts to what the service allows; giving up after the
// Client's few attempts would fail changes of a large sync for no reason.
const throttledRounds = 5

// maxThrottleWait bounds the wait a throttled answer asks for before the
// next round.
const maxThrottleWait = 5 * time.Second

// untilNotThrottled runs fn (a step that may be repeated: every step of a
// sync counts what is already done as done) until it ends other than
// throttled, at most throttledRounds more times.
func untilNotThrottled(ctx context.Context, fn func() error) error {
	for round := 0; ; round++ {
		err := fn()
		if err == nil || round == throttledRounds || ctx.Err() != nil || !errors.Is(err, acserrors.ErrThrottled) {
			return err
		}
		var apiErr *acserrors.APIError
		if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
			t := time.NewTimer(min(apiErr.RetryAfter, maxThrottleWait))
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return err
			}
		}
	}
}

// chunks splits idx into runs of at most n.
func chunks(idx []int, n int) [][]int {
	var out [][]int
	for len(idx) > n {
		out = append(out, idx[:n])
		idx = idx[n:]
	}
	if len(idx) > 0 {
		out = append(out, idx)
	}
	return out
}

// paiJobs turns one workspace's changes into jobs: batches of new members,
// one job per changed member, batches of removals.
func (s *Syncer) paiJobs(g *group, rec *recorder) []func(context.Context) {
	ws := g.target
	var jobs []func(context.Context)
	for _, batch := range chunks(g.adds, paiBatch) {
		jobs = append(jobs, func(ctx context.Context) {
			if ctx.Err() == nil {
				s.paiCreate(ctx, ws, batch, rec)
			}
		})
	}
	for _, i := range g.updates {
		jobs = append(jobs, func(ctx context.Context) {
			if ctx.Err() == nil {
				rec.finish(i, untilNotThrottled(ctx, func() error { return s.paiUpdate(ctx, ws, rec.changes[i]) }))
			}
		})
	}
	for _, batch := range chunks(g.dels, paiBatch) {
		jobs = append(jobs, func(ctx context.Context) {
			if ctx.Err() == nil {
				s.paiDelete(ctx, ws, batch, rec)
			}
		})
	}
	return jobs
}

// shared reports an error that would fail every member of a batch alike, so
// trying them one at a time would only repeat it.
func shared(err error) bool {
	for _, target := range []error{
		context.Canceled, context.DeadlineExceeded,
		acserrors.ErrWorkspaceNotFound, acserrors.ErrAccessDenied, acserrors.ErrInvalidCredentials,
		acserrors.ErrSignatureMismatch, acserrors.ErrClockSkew, acserrors.ErrThrottled,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// paiCreate adds a batch of new members in one call. When the call fails for
// a reason that may concern only some of them (one already a member, one
// with a role PAI refuses, an answer lost to a 5xx), the members are added
// one at a time instead.
func (s *Syncer) paiCreate(ctx context.Context, ws string, batch []int, rec *recorder) {
	if len(batch) > 1 {
		req := &pai.CreateMemberRequest{WorkspaceID: ws, Members: make([]pai.MemberSpec, len(batch))}
		for k, i := range batch {
			c := rec.changes[i]
			req.Members[k] = pai.MemberSpec{UserID: c.UserID, Roles: typedRoles[pai.Role](c.Grant)}
		}
		err := untilNotThrottled(ctx, func() error {
			_, err := s.PAI.CreateMember(ctx, req)
			return err
		})
		if err == nil || shared(err) {
			for _, i := range batch {
				rec.finish(i, err)
			}
			return
		}
	}
	for _, i := range batch {
		if ctx.Err() != nil {
			return
		}
		rec.finish(i, untilNotThrottled(ctx, func() error { return s.paiCreateOne(ctx, ws, rec.changes[i]) }))
	}
}

// paiCreateOne adds one member. A user who is a member already (added since
// the plan, or by a batch whose answer was lost) is given the planned roles
// it lacks.
func (s *Syncer) paiCreateOne(ctx context.Context, ws string, c Change) error {
	_, err := s.PAI.CreateMember(ctx, &pai.CreateMemberRequest{
		WorkspaceID: ws, Members: []pai.MemberSpec{{UserID: c.UserID, Roles: typedRoles[pai.Role](c.Grant)}},
	})
	if !errors.Is(err, acserrors.ErrMemberAlreadyExists) {
		return err
	}
	m, err := s.PAI.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: ws, UserID: c.UserID})
	if err != nil {
		return err
	}
	return s.paiGrant(ctx, ws, m.MemberID, minus(c.Grant, strs(m.Roles)))
}

func (s *Syncer) paiGrant(ctx context.Context, ws, memberID string, roles []string) error {
	for _, r := range roles {
		_, err := s.PAI.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: ws, MemberID: memberID, Role: pai.Role(r)})
		if err != nil {
			return fmt.Errorf("grant %s: %w", r, err)
		}
	}
	return nil
}

// memberID is c's member ID, looked up when the plan lacks it (a plan
// written by hand).
func (s *Syncer) memberID(ctx context.Context, ws string, c Change) (string, error) {
	if c.MemberID != "" {
		return c.MemberID, nil
	}
	m, err := s.PAI.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: ws, UserID: c.UserID})
	if err != nil {
		return "", err
	}
	return m.MemberID, nil
}

// paiUpdate grants, then revokes. Should a grant fail, nothing is revoked:
// the member keeps the roles it had.
func (s *Syncer) paiUpdate(ctx context.Context, ws string, c Change) error {
	id, err := s.memberID(ctx, ws, c)
	if err != nil {
		if alreadyGone(err) && len(c.Grant) == 0 {
			return nil // only revokes planned, and the member is gone
		}
		return err
	}
	if err := s.paiGrant(ctx, ws, id, c.Grant); err != nil {
		return err
	}
	for _, r := range c.Revoke {
		_, err := s.PAI.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: ws, MemberID: id, Role: pai.Role(r)})
		if alreadyGone(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("revoke %s: %w", r, err)
		}
	}
	return nil
}

// paiDelete removes a batch of members in one call. DeleteMembers refuses
// the whole batch when one member is gone already or has become the owner
// since the plan; the members are then removed one at a time, so only that
// one is left out.
func (s *Syncer) paiDelete(ctx context.Context, ws string, batch []int, rec *recorder) {
	if len(batch) > 1 {
		ids := make([]string, 0, len(batch))
		for _, i := range batch {
			id, err := s.memberID(ctx, ws, rec.changes[i])
			if err != nil {
				ids = nil // one at a time, below, says which failed
				break
			}
			ids = append(ids, id)
		}
		if ids != nil {
			err := untilNotThrottled(ctx, func() error {
				_, err := s.PAI.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: ws, MemberIDs: ids})
				return err
			})
			if err == nil || !alreadyGone(err) && !errors.Is(err, acserrors.ErrOwnerNotDeletable) {
				for _, i := range batch {
					rec.finish(i, err)
				}
				return
			}
		}
	}
	for _, i := range batch {
		if ctx.Err() != nil {
			return
		}
		rec.finish(i, untilNotThrottled(ctx, func() error { return s.paiDeleteOne(ctx, ws, rec.changes[i]) }))
	}
}

func (s *Syncer) paiDeleteOne(ctx context.Context, ws string, c Change) error {
	id, err := s.memberID(ctx, ws, c)
	if err == nil {
		_, err = s.PAI.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: ws, MemberIDs: []string{id}})
	}
	if alreadyGone(err) {
		return nil
	}
	return err
}

// projectJobs turns one project's changes into jobs, one per member.
func (s *Syncer) projectJobs(g *group, rec *recorder) []func(context.Context) {
	api := s.projects()
	project, err := parseProjectID(g.target)
	var jobs []func(context.Context)
	for _, i := range g.all() {
		c := rec.changes[i]
		jobs = append(jobs, func(ctx context.Context) {
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				rec.finish(i, err)
				return
			}
			rec.finish(i, untilNotThrottled(ctx, func() error { return projectChange(ctx, api, project, c) }))
		})
	}
	return jobs
}

func projectChange(ctx context.Context, api projectAPI, project int64, c Change) error {
	switch c.Action {
	case ActionAdd:
		if len(c.Grant) == 0 {
			return errors.New("no role to add the member with")
		}
		return api.add(ctx, project, c.UserID, c.Grant)
	case ActionUpdate:
		// Grants first: should one fail, nothing is revoked.
		if err := api.grant(ctx, project, c.UserID, c.Grant); err != nil {
			return err
		}
		return api.revoke(ctx, project, c.UserID, c.Revoke)
	case ActionRemove:
		return api.remove(ctx, project, c.UserID)
	}
	return fmt.Errorf("unknown action %q", c.Action)
}
