package v2024

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/internal"
)

// MemberStatus is the state of a project member. The documented values are
// the constants below; others decode unchanged.
type MemberStatus string

// The documented member states.
const (
	MemberStatusNormal    MemberStatus = "Normal"    // active
	MemberStatusForbidden MemberStatus = "Forbidden" // disabled
)

// RoleType says whether a project role is built in or custom. The documented
// values are the constants below; others decode unchanged.
type RoleType string

// The documented role types.
const (
	RoleTypeSystem     RoleType = "System"     // built-in role, e.g. dataworks.RoleProjectDev
	RoleTypeUserCustom RoleType = "UserCustom" // custom role of one project
)

// Role is a role a project member holds.
type Role struct {
	Code dataworks.RoleCode // what GrantMemberProjectRoles and friends take
	Name string             // localised display name, e.g. "Developer"
	Type RoleType
}

// ProjectMember is a member of a DataWorks project with its roles.
type ProjectMember struct {
	ProjectID int64
	UserID    string // Alibaba Cloud UID of the member
	UserName  string
	Status    MemberStatus
	Roles     []Role
}

// RoleCodes returns the codes of the member's roles, in the order the
// service listed them: what a membership comparison needs.
func (m ProjectMember) RoleCodes() []dataworks.RoleCode {
	if len(m.Roles) == 0 {
		return nil
	}
	codes := make([]dataworks.RoleCode, len(m.Roles))
	for i, r := range m.Roles {
		codes[i] = r.Code
	}
	return codes
}

// roleWire is a member's role as the API sends it.
type roleWire struct {
	Code dataworks.RoleCode  `json:"Code"`
	Name string              `json:"Name"`
	Type internal.FlexString `json:"Type"`
}

// memberWire is a member as the API sends it. IDs and enums decode from a
// string or a number: samples of this service show both.
type memberWire struct {
	ProjectID internal.FlexInt    `json:"ProjectId"`
	UserID    internal.FlexString `json:"UserId"`
	UserName  string              `json:"UserName"`
	Status    internal.FlexString `json:"Status"`
	Roles     []roleWire          `json:"Roles"`
}

func (w *memberWire) member() ProjectMember {
	m := ProjectMember{
		ProjectID: int64(w.ProjectID), UserID: string(w.UserID), UserName: w.UserName,
		Status: MemberStatus(w.Status),
	}
	if len(w.Roles) > 0 {
		m.Roles = make([]Role, len(w.Roles))
		for i, r := range w.Roles {
			m.Roles[i] = Role{Code: r.Code, Name: r.Name, Type: RoleType(r.Type)}
		}
	}
	return m
}

// memberRoles is the form of the three calls that name a member and roles.
func memberRoles(projectID int64, userID string, codes []dataworks.RoleCode) ([]internal.Param, error) {
	var f form
	f.setProject(projectID)
	f.set("UserId", userID)
	if err := setList(&f, "RoleCodes", codes); err != nil {
		return nil, err
	}
	return f, nil
}

// changeRoles runs one of the calls that name a member and roles.
func (c *Client) changeRoles(ctx context.Context, action string, repeat internal.Repeat, projectID int64, userID string, codes []dataworks.RoleCode) (string, error) {
	f, err := memberRoles(projectID, userID, codes)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", service.Name, action, err)
	}
	return c.core.DoAck(ctx, formOp(action, repeat, f))
}

// checkMemberRoles checks the fields of those calls.
func checkMemberRoles(v *internal.Validator, projectID int64, userID string, codes []dataworks.RoleCode) {
	v.Positive("ProjectID", projectID)
	v.ID("UserID", userID)
	validateList(v, "RoleCodes", codes, true)
}

// CreateProjectMemberRequest adds a user to a project with roles.
type CreateProjectMemberRequest struct {
	ProjectID int64
	UserID    string
	RoleCodes []dataworks.RoleCode // at least one
}

// CreateProjectMemberResponse acknowledges CreateProjectMember.
type CreateProjectMemberResponse struct {
	RequestID string
}

func (r *CreateProjectMemberRequest) validate() error {
	return validate("CreateProjectMember", r == nil, func(v *internal.Validator) {
		checkMemberRoles(v, r.ProjectID, r.UserID, r.RoleCodes)
	})
}

// CreateProjectMember adds a user to a project with all of their roles in one
// call. The call carries no ClientToken, so it is not repeated after a 5xx or
// a dropped connection, where the service may have acted: the error is
// returned instead, and GetProjectMember tells whether the member exists.
// Throttling and refused connections, where nothing was done, are retried.
func (c *Client) CreateProjectMember(ctx context.Context, req *CreateProjectMemberRequest) (*CreateProjectMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.changeRoles(ctx, "CreateProjectMember", internal.RepeatNever, req.ProjectID, req.UserID, req.RoleCodes)
	if err != nil {
		return nil, err
	}
	return &CreateProjectMemberResponse{RequestID: id}, nil
}

// GrantMemberProjectRolesRequest gives a project member roles.
type GrantMemberProjectRolesRequest struct {
	ProjectID int64
	UserID    string
	RoleCodes []dataworks.RoleCode // at least one
}

// GrantMemberProjectRolesResponse acknowledges GrantMemberProjectRoles.
type GrantMemberProjectRolesResponse struct {
	RequestID string
}

func (r *GrantMemberProjectRolesRequest) validate() error {
	return validate("GrantMemberProjectRoles", r == nil, func(v *internal.Validator) {
		checkMemberRoles(v, r.ProjectID, r.UserID, r.RoleCodes)
	})
}

// GrantMemberProjectRoles gives a project member several roles in one call;
// roles the member holds already stay. Granting is a set-state change, so it
// is retried after a 5xx or a dropped connection.
func (c *Client) GrantMemberProjectRoles(ctx context.Context, req *GrantMemberProjectRolesRequest) (*GrantMemberProjectRolesResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.changeRoles(ctx, "GrantMemberProjectRoles", internal.RepeatSafe, req.ProjectID, req.UserID, req.RoleCodes)
	if err != nil {
		return nil, err
	}
	return &GrantMemberProjectRolesResponse{RequestID: id}, nil
}

// RevokeMemberProjectRolesRequest takes roles away from a project member.
type RevokeMemberProjectRolesRequest struct {
	ProjectID int64
	UserID    string
	RoleCodes []dataworks.RoleCode // at least one
}

// RevokeMemberProjectRolesResponse acknowledges RevokeMemberProjectRoles.
type RevokeMemberProjectRolesResponse struct {
	RequestID string
}

func (r *RevokeMemberProjectRolesRequest) validate() error {
	return validate("RevokeMemberProjectRoles", r == nil, func(v *internal.Validator) {
		checkMemberRoles(v, r.ProjectID, r.UserID, r.RoleCodes)
	})
}

// RevokeMemberProjectRoles takes several roles away from a project member in
// one call; the member stays in the project. Revoking is a set-state change,
// so it is retried after a 5xx or a dropped connection.
func (c *Client) RevokeMemberProjectRoles(ctx context.Context, req *RevokeMemberProjectRolesRequest) (*RevokeMemberProjectRolesResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.changeRoles(ctx, "RevokeMemberProjectRoles", internal.RepeatSafe, req.ProjectID, req.UserID, req.RoleCodes)
	if err != nil {
		return nil, err
	}
	return &RevokeMemberProjectRolesResponse{RequestID: id}, nil
}

// DeleteProjectMemberRequest removes a user from a project.
type DeleteProjectMemberRequest struct {
	ProjectID int64
	UserID    string
}

// DeleteProjectMemberResponse acknowledges DeleteProjectMember.
type DeleteProjectMemberResponse struct {
	RequestID string
}

func (r *DeleteProjectMemberRequest) validate() error {
	return validate("DeleteProjectMember", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("UserID", r.UserID)
	})
}

// memberForm is the form of the calls that name a member only.
func memberForm(projectID int64, userID string) []internal.Param {
	var f form
	f.setProject(projectID)
	f.set("UserId", userID)
	return f
}

// DeleteProjectMember removes a user from a project. Like
// CreateProjectMember it is not repeated after a 5xx or a dropped
// connection. A user who is not a member gives an error matching
// errors.ErrUserNotInProject.
func (c *Client) DeleteProjectMember(ctx context.Context, req *DeleteProjectMemberRequest) (*DeleteProjectMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.core.DoAck(ctx, formOp("DeleteProjectMember", internal.RepeatNever, memberForm(req.ProjectID, req.UserID)))
	if err != nil {
		return nil, err
	}
	return &DeleteProjectMemberResponse{RequestID: id}, nil
}

// GetProjectMemberRequest names one member of a project.
type GetProjectMemberRequest struct {
	ProjectID int64
	UserID    string
}

// GetProjectMemberResponse is one project member with their roles.
type GetProjectMemberResponse struct {
	RequestID string
	Member    ProjectMember
}

func (r *GetProjectMemberRequest) validate() error {
	return validate("GetProjectMember", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("UserID", r.UserID)
	})
}

// GetProjectMember reads one member of a project with their roles, in one
// request whatever the size of the project. A user who is not a member gives
// an error matching errors.ErrUserNotInProject (the service's codes
// 1101080166 and 400010, the latter with HTTP 403; both are taken from
// Terraform's provider and unconfirmed by the API reference, which lists no
// codes). A 2xx reply without a member is an error, never an empty member.
func (c *Client) GetProjectMember(ctx context.Context, req *GetProjectMemberRequest) (*GetProjectMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out struct {
		internal.Envelope
		Member *memberWire `json:"ProjectMember"`
	}
	if err := c.core.Do(ctx, formOp("GetProjectMember", internal.RepeatSafe, memberForm(req.ProjectID, req.UserID)), &out); err != nil {
		return nil, err
	}
	if out.Member == nil {
		return nil, fmt.Errorf("%s GetProjectMember: the reply (RequestId %q) has no ProjectMember", service.Name, out.RequestID)
	}
	return &GetProjectMemberResponse{RequestID: out.RequestID, Member: out.Member.member()}, nil
}

// ListProjectMembersRequest asks for one page of a project's members. The
// filters are optional.
type ListProjectMembersRequest struct {
	ProjectID  int64
	UserIDs    []string             // only these users
	RoleCodes  []dataworks.RoleCode // only members holding these roles
	PageNumber int                  // from 1; 0: the service default (1)
	PageSize   int                  // up to MaxPageSize; 0: the service default (10)
}

// ListProjectMembersResponse is one page of a project's members.
type ListProjectMembersResponse struct {
	RequestID                        string
	PageNumber, PageSize, TotalCount int
	Members                          []ProjectMember
}

type listProjectMembersWire struct {
	internal.Envelope
	PagingInfo struct {
		pagingWire
		Members []memberWire `json:"ProjectMembers"`
	} `json:"PagingInfo"`
}

func (r *ListProjectMembersRequest) validate() error {
	return validate("ListProjectMembers", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		validateList(v, "UserIDs", r.UserIDs, false)
		validateList(v, "RoleCodes", r.RoleCodes, false)
		v.Paging(r.PageNumber, r.PageSize, MaxPageSize)
	})
}

func (r *ListProjectMembersRequest) form() ([]internal.Param, error) {
	var f form
	f.setProject(r.ProjectID)
	if err := setList(&f, "UserIds", r.UserIDs); err != nil {
		return nil, err
	}
	if err := setList(&f, "RoleCodes", r.RoleCodes); err != nil {
		return nil, err
	}
	f.setPage("PageNumber", r.PageNumber)
	f.setPage("PageSize", r.PageSize)
	return f, nil
}

// ListProjectMembers returns one page of a project's members with their
// roles. ListAllProjectMembers walks every page.
func (c *Client) ListProjectMembers(ctx context.Context, req *ListProjectMembersRequest) (*ListProjectMembersResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	f, err := req.form()
	if err != nil {
		return nil, fmt.Errorf("%s ListProjectMembers: %w", service.Name, err)
	}
	var out listProjectMembersWire
	if err := c.core.Do(ctx, formOp("ListProjectMembers", internal.RepeatSafe, f), &out); err != nil {
		return nil, err
	}
	p := &out.PagingInfo
	resp := &ListProjectMembersResponse{
		RequestID:  out.RequestID,
		PageNumber: int(p.PageNumber), PageSize: int(p.PageSize), TotalCount: int(p.TotalCount),
	}
	if len(p.Members) > 0 {
		resp.Members = make([]ProjectMember, len(p.Members))
		for i := range p.Members {
			resp.Members[i] = p.Members[i].member()
		}
	}
	return resp, nil
}

// ListAllProjectMembers yields every member of a project that matches req's
// filters, fetching pages lazily from req.PageNumber (0: 1) with req.PageSize
// (0: MaxPageSize) items each; req itself is not modified. It stops at an
// empty page or once TotalCount is reached, and fails rather than loop when
// the service sends the same page again. On an error it yields
// (ProjectMember{}, err) once and stops; breaking out of the loop sends no
// further request.
//
//	for m, err := range client.ListAllProjectMembers(ctx, &v2024.ListProjectMembersRequest{ProjectID: 27}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(m.UserID, m.RoleCodes())
//	}
func (c *Client) ListAllProjectMembers(ctx context.Context, req *ListProjectMembersRequest) iter.Seq2[ProjectMember, error] {
	return c.listAllProjectMembers(ctx, req, maxPages)
}

func (c *Client) listAllProjectMembers(ctx context.Context, req *ListProjectMembersRequest, pageCap int) iter.Seq2[ProjectMember, error] {
	if err := req.validate(); err != nil {
		return internal.Failed[ProjectMember](err)
	}
	// Each page request is a copy, with its own copies of the filters: the
	// caller's request is never touched, nor read after this call.
	r := *req
	r.UserIDs, r.RoleCodes = slices.Clone(req.UserIDs), slices.Clone(req.RoleCodes)
	if r.PageSize == 0 {
		r.PageSize = MaxPageSize
	}
	return paginate(ctx, "dataworks ListAllProjectMembers", r.PageNumber, r.PageSize, pageCap,
		func(m ProjectMember) string { return m.UserID },
		func(ctx context.Context, number, size int) ([]ProjectMember, int, error) {
			page := r
			page.PageNumber, page.PageSize = number, size
			resp, err := c.ListProjectMembers(ctx, &page)
			if err != nil {
				return nil, 0, err
			}
			return resp.Members, resp.TotalCount, nil
		})
}
