package pai

import (
	"context"
	"net/http"

	"github.com/acsmembers/acsmembers-go/internal"
)

// AddMemberRoleRequest gives a member one more role.
type AddMemberRoleRequest struct {
	WorkspaceID, MemberID string
	Role                  Role
}

// AddMemberRoleResponse acknowledges AddMemberRole.
type AddMemberRoleResponse struct {
	RequestID string
}

// AddMemberRole gives a member a role. Granting a role is a set-state change,
// so it is retried after a 5xx or a dropped connection.
func (c *Client) AddMemberRole(ctx context.Context, req *AddMemberRoleRequest) (*AddMemberRoleResponse, error) {
	id, err := c.memberRole(ctx, "AddMemberRole", http.MethodPost, (*memberRoleRequest)(req))
	if err != nil {
		return nil, err
	}
	return &AddMemberRoleResponse{RequestID: id}, nil
}

// RemoveMemberRoleRequest takes one role away from a member.
type RemoveMemberRoleRequest struct {
	WorkspaceID, MemberID string
	Role                  Role
}

// RemoveMemberRoleResponse acknowledges RemoveMemberRole.
type RemoveMemberRoleResponse struct {
	RequestID string
}

// RemoveMemberRole takes a role away from a member. Removing a role is a
// set-state change, so it is retried after a 5xx or a dropped connection.
func (c *Client) RemoveMemberRole(ctx context.Context, req *RemoveMemberRoleRequest) (*RemoveMemberRoleResponse, error) {
	id, err := c.memberRole(ctx, "RemoveMemberRole", http.MethodDelete, (*memberRoleRequest)(req))
	if err != nil {
		return nil, err
	}
	return &RemoveMemberRoleResponse{RequestID: id}, nil
}

// memberRoleRequest has the fields of both role requests, which convert to
// it: the two operations share one resource, granted with POST and revoked
// with DELETE.
type memberRoleRequest struct {
	WorkspaceID, MemberID string
	Role                  Role
}

func (r *memberRoleRequest) validate(op string) error {
	v := internal.NewValidator("pai", op)
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	v.ID("MemberID", r.MemberID)
	validateRole(v, "Role", r.Role)
	return v.Err()
}

// memberRole validates r, sends op on its role resource and returns the
// request ID.
func (c *Client) memberRole(ctx context.Context, op, method string, r *memberRoleRequest) (string, error) {
	if err := r.validate(op); err != nil {
		return "", err
	}
	return c.core.DoAck(ctx, &internal.Operation{
		Name: op, Method: method,
		Path:   []string{"api", "v1", "workspaces", r.WorkspaceID, "members", r.MemberID, "roles", string(r.Role)},
		Repeat: internal.RepeatSafe,
	})
}
