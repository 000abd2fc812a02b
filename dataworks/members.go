package dataworks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/acsmembers/acsmembers-go/internal"
)

// newClientToken returns a random UUID (version 4) for idempotent calls.
func newClientToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

func projectParam(id int64) internal.Param {
	return internal.Param{Name: "ProjectId", Value: strconv.FormatInt(id, 10)}
}

// rpc describes a DataWorks operation: every one is a POST to "/" with all
// parameters in the query and an empty body.
func rpc(action string, repeat internal.Repeat, params ...internal.Param) *internal.Operation {
	return &internal.Operation{Name: action, Method: http.MethodPost, Query: params, Repeat: repeat}
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
	v := internal.NewValidator("dataworks", "AddProjectMemberToRole")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.Positive("ProjectID", r.ProjectID)
	v.ID("UserID", r.UserID)
	v.ID("RoleCode", string(r.RoleCode))
	return v.Err()
}

// AddProjectMemberToRole gives a project member a role. The call carries a
// ClientToken, so it is retried after a 5xx or a dropped connection without
// risk of acting twice. A user outside the project gives an error matching
// errors.ErrUserNotInProject.
func (c *Client) AddProjectMemberToRole(ctx context.Context, req *AddProjectMemberToRoleRequest) (*AddProjectMemberToRoleResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	token := req.ClientToken
	if token == "" {
		token = newClientToken()
	}
	var out internal.Envelope
	err := c.core.Do(ctx, rpc("AddProjectMemberToRole", internal.RepeatSafe,
		internal.Param{Name: "ClientToken", Value: token},
		projectParam(req.ProjectID),
		internal.Param{Name: "RoleCode", Value: string(req.RoleCode)},
		internal.Param{Name: "UserId", Value: req.UserID},
	), &out)
	if err != nil {
		return nil, err
	}
	return &AddProjectMemberToRoleResponse{RequestID: out.RequestID}, nil
}
