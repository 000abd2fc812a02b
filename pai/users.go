package pai

import (
	"context"
	"net/http"

	"github.com/acsmembers/acsmembers-go/internal"
)

// User is an account that can be added to a workspace.
type User struct {
	UserID, UserName string
}

// ListWorkspaceUsersRequest looks for users who are not yet members of a
// workspace and can be added to it. UserName and UserID are optional filters.
type ListWorkspaceUsersRequest struct {
	WorkspaceID, UserName, UserID string
}

// ListWorkspaceUsersResponse lists the users found.
type ListWorkspaceUsersResponse struct {
	RequestID  string
	TotalCount int
	Users      []User
}

func (r *ListWorkspaceUsersRequest) validate() error {
	v := internal.NewValidator("pai", "ListWorkspaceUsers")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	return v.Err()
}

// ListWorkspaceUsers lists users who can be added to a workspace, for
// example to find the UserID that CreateMember needs.
func (c *Client) ListWorkspaceUsers(ctx context.Context, req *ListWorkspaceUsersRequest) (*ListWorkspaceUsersResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var q params
	q.str("UserId", req.UserID)
	q.str("UserName", req.UserName)
	var out struct {
		internal.Envelope
		TotalCount int `json:"TotalCount"`
		Users      []struct {
			UserID   string `json:"UserId"`
			UserName string `json:"UserName"`
		} `json:"Users"`
	}
	err := c.core.Do(ctx, &internal.Operation{
		Name: "ListWorkspaceUsers", Method: http.MethodGet,
		Path:   []string{"api", "v1", "workspaces", req.WorkspaceID, "users"},
		Query:  q,
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	resp := &ListWorkspaceUsersResponse{RequestID: out.RequestID, TotalCount: out.TotalCount}
	if len(out.Users) > 0 {
		resp.Users = make([]User, len(out.Users))
		for i, u := range out.Users {
			resp.Users[i] = User(u)
		}
	}
	return resp, nil
}
