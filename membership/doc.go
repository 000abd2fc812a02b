// Package membership keeps the members of PAI workspaces and DataWorks
// projects in a declared state: write who must hold which roles (a Spec,
// usually loaded from YAML with Load), compare it with what the services
// hold (Syncer.Plan, which only reads), look at the changes, and carry them
// out (Syncer.Apply).
//
//	spec, err := membership.LoadFile("team.yaml")
//	...
//	s := &membership.Syncer{PAI: paiClient, DataWorks: dwClient}
//	plan, err := s.Plan(ctx, spec)
//	...
//	fmt.Print(plan) // + added, ~ changed, - removed members, then the counts
//	if !plan.Empty() {
//		res, err := s.Apply(ctx, plan)
//		...
//	}
//
// Apply is written to be safe to run on live workspaces:
//
//   - A member's new roles are granted before their old ones are revoked, so
//     nobody is left without a role, even for a moment.
//   - Owners (PAI.WorkspaceOwner, role_project_owner) are never removed or
//     demoted; the plan warns instead.
//   - A plan that would remove more than half of a target's members, when
//     that is more than five members, is refused unless Syncer.RemoveLimit
//     allows it: a typo in a spec must not empty a workspace.
//   - A failure stops nothing else: Apply does everything it can and returns
//     every failure, joined, each wrapping the SDK's typed error. A change
//     that had already happened (a member that exists, a role already held
//     or already gone) counts as done. Running Plan and Apply again finishes
//     the job.
//
// Apply sends requests concurrently (Syncer.Workers per service), and every
// target of a service shares that service's Client, so they share its
// adaptive rate limiter too.
package membership
