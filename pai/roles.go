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

func (r *AddMemberRoleRequest) validate() error {
	v := internal.NewValidator("pai", "AddMemberRole")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	v.ID("MemberID", r.MemberID)
	validateRole(v, "Role", r.Role)
	return v.Err()
}

// AddMemberRole gives a member a role. Granting a role is a set-state change,
// so it is retried after a 5xx or a dropped connection.
func (c *Client) AddMemberRole(ctx context.Context, req *AddMemberRoleRequest) (*AddMemberRoleResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out internal.Envelope
	err := c.core.Do(ctx, &internal.Operation{
		Name: "AddMemberRole", Method: http.MethodPost,
		Path:   []string{"api", "v1", "workspaces", req.WorkspaceID, "members", req.MemberID, "roles", string(req.Role)},
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &AddMemberRoleResponse{RequestID: out.RequestID}, nil
}
