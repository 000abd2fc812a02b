package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// projectAPI is what a sync needs from a DataWorks API version. Each method
// treats a change that has already happened as done: a user already in the
// project, a role already held or already gone, a member already gone.
type projectAPI interface {
	members(ctx context.Context, project int64) (map[string]member, error)
	// add makes user a member holding roles (at least one).
	add(ctx context.Context, project int64, user string, roles []string) error
	grant(ctx context.Context, project int64, user string, roles []string) error
	revoke(ctx context.Context, project int64, user string, roles []string) error
	remove(ctx context.Context, project int64, user string) error
}

// dataWorks2020 syncs through the DataWorks API 2020-05-18: one role per call.
type dataWorks2020 struct{ c *dataworks.Client }

func (d dataWorks2020) members(ctx context.Context, project int64) (map[string]member, error) {
	out := map[string]member{}
	for m, err := range d.c.ListAllProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: project}) {
		if err != nil {
			return nil, err
		}
		roles := make([]string, len(m.Roles))
		for i, r := range m.Roles {
			roles[i] = string(r.Code)
		}
		out[m.UserID] = member{roles: roles}
	}
	return out, nil
}

// add creates the member with its first role, then grants the others: 2020-05-18
// creates a member with one role at most.
func (d dataWorks2020) add(ctx context.Context, project int64, user string, roles []string) error {
	_, err := d.c.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{
		ProjectID: project, UserID: user, RoleCode: dataworks.RoleCode(roles[0]),
	})
	switch {
	case errors.Is(err, acserrors.ErrUserAlreadyInProject):
		// Added since the plan (an earlier run that was cut short, say):
		// granting every role makes sure it holds them; a role it has is
		// granted again without harm.
		return d.grant(ctx, project, user, roles)
	case err != nil:
		return err
	}
	return d.grant(ctx, project, user, roles[1:])
}

func (d dataWorks2020) grant(ctx context.Context, project int64, user string, roles []string) error {
	for _, r := range roles {
		_, err := d.c.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{
			ProjectID: project, UserID: user, RoleCode: dataworks.RoleCode(r),
		})
		if err != nil {
			return fmt.Errorf("grant %s: %w", r, err)
		}
	}
	return nil
}

func (d dataWorks2020) revoke(ctx context.Context, project int64, user string, roles []string) error {
	for _, r := range roles {
		_, err := d.c.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{
			ProjectID: project, UserID: user, RoleCode: dataworks.RoleCode(r),
		})
		if alreadyGone(err) {
			return nil // the member left: none of its roles remain
		}
		if err != nil {
			return fmt.Errorf("revoke %s: %w", r, err)
		}
	}
	return nil
}

func (d dataWorks2020) remove(ctx context.Context, project int64, user string) error {
	_, err := d.c.DeleteProjectMember(ctx, &dataworks.DeleteProjectMemberRequest{ProjectID: project, UserID: user})
	if alreadyGone(err) {
		return nil
	}
	return err
}

// dataWorks2024 syncs through the DataWorks API 2024-05-18: one call per
// member and change, whatever the number of roles.
type dataWorks2024 struct{ c *v2024.Client }

func (d dataWorks2024) members(ctx context.Context, project int64) (map[string]member, error) {
	out := map[string]member{}
	for m, err := range d.c.ListAllProjectMembers(ctx, &v2024.ListProjectMembersRequest{ProjectID: project}) {
		if err != nil {
			return nil, err
		}
		out[m.UserID] = member{roles: strs(m.RoleCodes())}
	}
	return out, nil
}

func (d dataWorks2024) add(ctx context.Context, project int64, user string, roles []string) error {
	_, err := d.c.CreateProjectMember(ctx, &v2024.CreateProjectMemberRequest{
		ProjectID: project, UserID: user, RoleCodes: typedRoles[dataworks.RoleCode](roles),
	})
	if errors.Is(err, acserrors.ErrUserAlreadyInProject) {
		// Added since the plan, or by a first attempt whose answer was lost.
		return d.grant(ctx, project, user, roles)
	}
	return err
}

func (d dataWorks2024) grant(ctx context.Context, project int64, user string, roles []string) error {
	if len(roles) == 0 {
		return nil
	}
	_, err := d.c.GrantMemberProjectRoles(ctx, &v2024.GrantMemberProjectRolesRequest{
		ProjectID: project, UserID: user, RoleCodes: typedRoles[dataworks.RoleCode](roles),
	})
	return err
}

func (d dataWorks2024) revoke(ctx context.Context, project int64, user string, roles []string) error {
	if len(roles) == 0 {
		return nil
	}
	_, err := d.c.RevokeMemberProjectRoles(ctx, &v2024.RevokeMemberProjectRolesRequest{
		ProjectID: project, UserID: user, RoleCodes: typedRoles[dataworks.RoleCode](roles),
	})
	if alreadyGone(err) {
		return nil
	}
	return err
}

func (d dataWorks2024) remove(ctx context.Context, project int64, user string) error {
	_, err := d.c.DeleteProjectMember(ctx, &v2024.DeleteProjectMemberRequest{ProjectID: project, UserID: user})
	if alreadyGone(err) {
		return nil
	}
	return err
}
