package dataworks

import (
	"context"

	"github.com/acsmembers/acsmembers-go/internal"
)

// RoleType says whether a project role is built in or custom. The documented
// values are the constants below; others decode unchanged.
type RoleType string

// The documented role types.
const (
	RoleTypeSystem RoleType = "0" // built-in role (SYSTEM), e.g. RoleProjectDev
	RoleTypeCustom RoleType = "2" // custom role of one project (USER_CUSTOM)
)

// String names the role type, "system" or "custom"; an undocumented value
// reads as RoleType(<value>).
func (t RoleType) String() string {
	switch t {
	case RoleTypeSystem:
		return "system"
	case RoleTypeCustom:
		return "custom"
	}
	return "RoleType(" + string(t) + ")"
}

// ProjectRole is a role of a DataWorks project.
type ProjectRole struct {
	ID   int64    // ProjectRoleId
	Code RoleCode // what AddProjectMemberToRole and friends take
	Name string   // localised display name, e.g. "Visitor"
	Type RoleType
}

// roleWire is a role as the API sends it. Samples show ProjectRoleId and
// ProjectRoleType both as numbers and as strings.
type roleWire struct {
	ID   internal.FlexInt    `json:"ProjectRoleId"`
	Code RoleCode            `json:"ProjectRoleCode"`
	Name string              `json:"ProjectRoleName"`
	Type internal.FlexString `json:"ProjectRoleType"`
}

func roles(ws []roleWire) []ProjectRole {
	if len(ws) == 0 {
		return nil
	}
	out := make([]ProjectRole, len(ws))
	for i, w := range ws {
		out[i] = ProjectRole{ID: int64(w.ID), Code: w.Code, Name: w.Name, Type: RoleType(w.Type)}
	}
	return out
}

// AddProjectMemberToRoleRequest gives a project member a role.
type AddProjectMemberToRoleRequest struct {
	ProjectID   int64
	UserID      string
	RoleCode    RoleCode
	ClientToken string // empty: the SDK generates a UUID, reused on every retry of this call
}

// AddProjectMemberToRoleResponse acknowledges AddProjectMemberToRole.
type AddProjectMemberToRoleResponse struct {
	RequestID string
}

func (r *AddProjectMemberToRoleRequest) validate() error {
	return validate("AddProjectMemberToRole", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("UserID", r.UserID)
		v.ID("RoleCode", string(r.RoleCode))
		optionalID(v, "ClientToken", r.ClientToken)
	})
}

// AddProjectMemberToRole gives a project member a role. The call carries a
// ClientToken, so it is retried after a 5xx or a dropped connection without
// risk of acting twice. A user outside the project gives an error matching
// errors.ErrUserNotInProject.
func (c *Client) AddProjectMemberToRole(ctx context.Context, req *AddProjectMemberToRoleRequest) (*AddProjectMemberToRoleResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.core.DoAck(ctx, rpc("AddProjectMemberToRole", internal.RepeatSafe,
		clientToken(req.ClientToken), projectParam(req.ProjectID), roleParam(req.RoleCode), userParam(req.UserID)))
	if err != nil {
		return nil, err
	}
	return &AddProjectMemberToRoleResponse{RequestID: id}, nil
}

// RemoveProjectMemberFromRoleRequest takes a role away from a project member.
type RemoveProjectMemberFromRoleRequest struct {
	ProjectID int64
	UserID    string
	RoleCode  RoleCode
}

// RemoveProjectMemberFromRoleResponse acknowledges RemoveProjectMemberFromRole.
type RemoveProjectMemberFromRoleResponse struct {
	RequestID string
}

func (r *RemoveProjectMemberFromRoleRequest) validate() error {
	return validate("RemoveProjectMemberFromRole", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("UserID", r.UserID)
		v.ID("RoleCode", string(r.RoleCode))
	})
}

// RemoveProjectMemberFromRole takes a role away from a project member; the
// member stays in the project. Removing a role is a set-state change, so it
// is retried after a 5xx or a dropped connection.
func (c *Client) RemoveProjectMemberFromRole(ctx context.Context, req *RemoveProjectMemberFromRoleRequest) (*RemoveProjectMemberFromRoleResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.core.DoAck(ctx, rpc("RemoveProjectMemberFromRole", internal.RepeatSafe,
		projectParam(req.ProjectID), roleParam(req.RoleCode), userParam(req.UserID)))
	if err != nil {
		return nil, err
	}
	return &RemoveProjectMemberFromRoleResponse{RequestID: id}, nil
}

// ListProjectRolesRequest asks for the roles of a project.
type ListProjectRolesRequest struct {
	ProjectID int64
}

// ListProjectRolesResponse lists the roles of a project, built-in and custom.
type ListProjectRolesResponse struct {
	RequestID string
	Roles     []ProjectRole
}

type listProjectRolesWire struct {
	internal.Envelope
	Roles []roleWire `json:"ProjectRoleList"`
}

func (r *ListProjectRolesRequest) validate() error {
	return validate("ListProjectRoles", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
	})
}

// ListProjectRoles returns every role of a project: the built-in ones and the
// project's custom roles, whose codes can only be discovered this way.
func (c *Client) ListProjectRoles(ctx context.Context, req *ListProjectRolesRequest) (*ListProjectRolesResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out listProjectRolesWire
	if err := c.core.Do(ctx, rpc("ListProjectRoles", internal.RepeatSafe, projectParam(req.ProjectID)), &out); err != nil {
		return nil, err
	}
	return &ListProjectRolesResponse{RequestID: out.RequestID, Roles: roles(out.Roles)}, nil
}
