package v2024

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/internal"
)

// ModulePermission is what a role may do in one DataWorks module.
type ModulePermission struct {
	ModuleID       int64
	ModuleName     string
	PermissionType string // as the service names it; the reference lists no values
}

// ProjectRole is a role of a DataWorks project, built in or custom.
type ProjectRole struct {
	ProjectID         int64
	Code              dataworks.RoleCode // what GrantMemberProjectRoles and friends take
	Name              string             // localised display name, e.g. "Visitor"
	Type              RoleType
	ModulePermissions []ModulePermission
}

type modulePermissionWire struct {
	ModuleID       internal.FlexInt `json:"ModuleId"`
	ModuleName     string           `json:"ModuleName"`
	PermissionType string           `json:"PermissionType"`
}

type projectRoleWire struct {
	ProjectID         internal.FlexInt       `json:"ProjectId"`
	Code              dataworks.RoleCode     `json:"Code"`
	Name              string                 `json:"Name"`
	Type              internal.FlexString    `json:"Type"`
	ModulePermissions []modulePermissionWire `json:"ModulePermissions"`
}

func (w *projectRoleWire) role() ProjectRole {
	r := ProjectRole{ProjectID: int64(w.ProjectID), Code: w.Code, Name: w.Name, Type: RoleType(w.Type)}
	if len(w.ModulePermissions) > 0 {
		r.ModulePermissions = make([]ModulePermission, len(w.ModulePermissions))
		for i, p := range w.ModulePermissions {
			r.ModulePermissions[i] = ModulePermission{ModuleID: int64(p.ModuleID), ModuleName: p.ModuleName, PermissionType: p.PermissionType}
		}
	}
	return r
}

// ListProjectRolesRequest asks for one page of a project's roles. The
// filters are optional.
type ListProjectRolesRequest struct {
	ProjectID  int64
	Codes      []dataworks.RoleCode // only these roles
	Names      []string             // only roles with these names
	Type       RoleType             // only built-in (RoleTypeSystem) or custom (RoleTypeUserCustom) roles
	PageNumber int                  // from 1; 0: the service default (1)
	PageSize   int                  // up to MaxPageSize; 0: the service default (10)
}

// ListProjectRolesResponse is one page of a project's roles.
type ListProjectRolesResponse struct {
	RequestID                        string
	PageNumber, PageSize, TotalCount int
	Roles                            []ProjectRole
}

// listProjectRolesWire is the reply; the documented sample sends the paging
// numbers as strings, which internal.FlexInt reads as well as numbers.
type listProjectRolesWire struct {
	internal.Envelope
	PagingInfo struct {
		pagingWire
		Roles []projectRoleWire `json:"ProjectRoles"`
	} `json:"PagingInfo"`
}

func (r *ListProjectRolesRequest) validate() error {
	return validate("ListProjectRoles", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		validateList(v, "Codes", r.Codes, false)
		validateList(v, "Names", r.Names, false)
		optionalID(v, "Type", string(r.Type))
		v.Paging(r.PageNumber, r.PageSize, MaxPageSize)
	})
}

func (r *ListProjectRolesRequest) form() ([]internal.Param, error) {
	var f form
	f.setProject(r.ProjectID)
	if err := setList(&f, "Codes", r.Codes); err != nil {
		return nil, err
	}
	if err := setList(&f, "Names", r.Names); err != nil {
		return nil, err
	}
	if r.Type != "" {
		f.set("Type", string(r.Type))
	}
	f.setPage("PageNumber", r.PageNumber)
	f.setPage("PageSize", r.PageSize)
	return f, nil
}

// ListProjectRoles returns one page of a project's roles: the built-in ones
// and the project's custom roles, whose codes can only be discovered this
// way. ListAllProjectRoles walks every page.
func (c *Client) ListProjectRoles(ctx context.Context, req *ListProjectRolesRequest) (*ListProjectRolesResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	f, err := req.form()
	if err != nil {
		return nil, fmt.Errorf("%s ListProjectRoles: %w", service.Name, err)
	}
	var out listProjectRolesWire
	if err := c.core.Do(ctx, formOp("ListProjectRoles", internal.RepeatSafe, f), &out); err != nil {
		return nil, err
	}
	p := &out.PagingInfo
	resp := &ListProjectRolesResponse{
		RequestID:  out.RequestID,
		PageNumber: int(p.PageNumber), PageSize: int(p.PageSize), TotalCount: int(p.TotalCount),
	}
	if len(p.Roles) > 0 {
		resp.Roles = make([]ProjectRole, len(p.Roles))
		for i := range p.Roles {
			resp.Roles[i] = p.Roles[i].role()
		}
	}
	return resp, nil
}

// ListAllProjectRoles yields every role of a project that matches req's
// filters, fetching pages lazily as ListAllProjectMembers does, with the same
// guarantees: req is not modified, the walk ends, an error is yielded once,
// and breaking out of the loop sends no further request.
func (c *Client) ListAllProjectRoles(ctx context.Context, req *ListProjectRolesRequest) iter.Seq2[ProjectRole, error] {
	return c.listAllProjectRoles(ctx, req, maxPages)
}

func (c *Client) listAllProjectRoles(ctx context.Context, req *ListProjectRolesRequest, pageCap int) iter.Seq2[ProjectRole, error] {
	if err := req.validate(); err != nil {
		return internal.Failed[ProjectRole](err)
	}
	r := *req
	r.Codes, r.Names = slices.Clone(req.Codes), slices.Clone(req.Names)
	if r.PageSize == 0 {
		r.PageSize = MaxPageSize
	}
	return paginate(ctx, "dataworks ListAllProjectRoles", r.PageNumber, r.PageSize, pageCap,
		func(role ProjectRole) string { return string(role.Code) },
		func(ctx context.Context, number, size int) ([]ProjectRole, int, error) {
			page := r
			page.PageNumber, page.PageSize = number, size
			resp, err := c.ListProjectRoles(ctx, &page)
			if err != nil {
				return nil, 0, err
			}
			return resp.Roles, resp.TotalCount, nil
		})
}

// GetProjectRoleRequest names one role of a project.
type GetProjectRoleRequest struct {
	ProjectID int64
	Code      dataworks.RoleCode
}

// GetProjectRoleResponse is one role of a project.
type GetProjectRoleResponse struct {
	RequestID string
	Role      ProjectRole
}

func (r *GetProjectRoleRequest) validate() error {
	return validate("GetProjectRole", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("Code", string(r.Code))
	})
}

// GetProjectRole reads one role of a project with its module permissions.
// Unlike the other operations of this version, the official client sends
// its parameters in the query, with no body; so does this one. A 2xx reply
// without a role is an error, never an empty role.
func (c *Client) GetProjectRole(ctx context.Context, req *GetProjectRoleRequest) (*GetProjectRoleResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out struct {
		internal.Envelope
		Role *projectRoleWire `json:"ProjectRole"`
	}
	op := &internal.Operation{
		Name: "GetProjectRole", Method: http.MethodPost, Repeat: internal.RepeatSafe,
		Query: []internal.Param{
			{Name: "Code", Value: string(req.Code)},
			{Name: "ProjectId", Value: strconv.FormatInt(req.ProjectID, 10)},
		},
	}
	if err := c.core.Do(ctx, op, &out); err != nil {
		return nil, err
	}
	if out.Role == nil {
		return nil, fmt.Errorf("%s GetProjectRole: the reply (RequestId %q) has no ProjectRole", service.Name, out.RequestID)
	}
	return &GetProjectRoleResponse{RequestID: out.RequestID, Role: out.Role.role()}, nil
}
