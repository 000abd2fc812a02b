package dataworks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/acsmembers/acsmembers-go/internal"
)

// MaxPageSize is the largest PageSize ListProjectMembers accepts.
const MaxPageSize = 100

// MaxPageNumber is the last page ListProjectMembers serves: the 2020-05-18
// API documents PageNumber from 1 to 30, so at MaxPageSize it reaches 3 000
// members of a project and no further.
const MaxPageNumber = 30

// ErrPageLimit reports a listing that stopped at MaxPageNumber with members
// left unlisted: the 2020-05-18 API has no way to reach them. Match it with
// errors.Is and list such projects with package dataworks/v2024 (DataWorks
// API 2024-05-18), whose ListAllProjectMembers has no such cap.
var ErrPageLimit = errors.New("DataWorks API 2020-05-18 ListProjectMembers serves pages 1 to " + strconv.Itoa(MaxPageNumber) + " only")

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

// clientToken is the caller's token, or a fresh one. It is chosen once per
// call: the pipeline sends the same prepared query on every retry, so a
// repeated attempt carries the same token and the service acts only once.
func clientToken(t string) internal.Param {
	if t == "" {
		t = newClientToken()
	}
	return internal.Param{Name: "ClientToken", Value: t}
}

func projectParam(id int64) internal.Param {
	return internal.Param{Name: "ProjectId", Value: strconv.FormatInt(id, 10)}
}

func userParam(id string) internal.Param { return internal.Param{Name: "UserId", Value: id} }

func roleParam(code RoleCode) internal.Param {
	return internal.Param{Name: "RoleCode", Value: string(code)}
}

// rpc describes a DataWorks operation: every one is a POST to "/" with all
// parameters in the query and an empty body.
func rpc(action string, repeat internal.Repeat, params ...internal.Param) *internal.Operation {
	return &internal.Operation{Name: action, Method: http.MethodPost, Query: params, Repeat: repeat}
}

// validate checks a request of operation op (see internal.Validate).
func validate(op string, isNil bool, check func(v *internal.Validator)) error {
	return internal.Validate(service.Name, op, isNil, check)
}

// optionalID checks a value that may be left empty but, when given, ends up
// in the query like an ID.
func optionalID(v *internal.Validator, field, value string) {
	if value != "" {
		v.ID(field, value)
	}
}

// MemberType says what kind of identity a project member is. The documented
// values are the constants below; others decode unchanged.
type MemberType string

// The documented member types.
const (
	MemberTypeAlibabaCloudAccount MemberType = "1" // an Alibaba Cloud account (USER_ALIYUN)
	MemberTypeRAMUser             MemberType = "5" // a RAM user (USER_UBACCOUNT)
	MemberTypeRAMRole             MemberType = "6" // a RAM role (USER_STS_ROLE)
)

// String names the member type, e.g. "RAM user"; an undocumented value
// reads as MemberType(<value>).
func (t MemberType) String() string {
	switch t {
	case MemberTypeAlibabaCloudAccount:
		return "Alibaba Cloud account"
	case MemberTypeRAMUser:
		return "RAM user"
	case MemberTypeRAMRole:
		return "RAM role"
	}
	return "MemberType(" + string(t) + ")"
}

// MemberStatus is the state of a project member. The documented values are
// the constants below; others decode unchanged.
type MemberStatus string

// The documented member states.
const (
	MemberStatusNormal    MemberStatus = "0" // active (NORMAL)
	MemberStatusForbidden MemberStatus = "1" // disabled (FORBIDDEN)
	MemberStatusDeleted   MemberStatus = "2" // removed (DELETED)
)

// String names the status, e.g. "forbidden"; an undocumented value reads as
// MemberStatus(<value>).
func (s MemberStatus) String() string {
	switch s {
	case MemberStatusNormal:
		return "normal"
	case MemberStatusForbidden:
		return "forbidden"
	case MemberStatusDeleted:
		return "deleted"
	}
	return "MemberStatus(" + string(s) + ")"
}

// ProjectMember is a member of a DataWorks project with its roles.
type ProjectMember struct {
	UserID string // Alibaba Cloud UID of the member (ProjectMemberId)
	Name   string // ProjectMemberName
	Nick   string
	Type   MemberType
	Status MemberStatus
	Roles  []ProjectRole
}

// memberWire is a member as the API sends it.
type memberWire struct {
	UserID string              `json:"ProjectMemberId"`
	Name   string              `json:"ProjectMemberName"`
	Nick   string              `json:"Nick"`
	Type   internal.FlexString `json:"ProjectMemberType"`
	Status internal.FlexString `json:"Status"`
	Roles  []roleWire          `json:"ProjectRoleList"`
}

func (w *memberWire) member() ProjectMember {
	return ProjectMember{
		UserID: w.UserID, Name: w.Name, Nick: w.Nick,
		Type: MemberType(w.Type), Status: MemberStatus(w.Status),
		Roles: roles(w.Roles),
	}
}

// CreateProjectMemberRequest adds a user to a project.
type CreateProjectMemberRequest struct {
	ProjectID   int64
	UserID      string
	RoleCode    RoleCode // optional: the role to give the new member
	ClientToken string   // empty: the SDK generates a UUID, reused on every retry of this call
}

// CreateProjectMemberResponse acknowledges CreateProjectMember.
type CreateProjectMemberResponse struct {
	RequestID string
}

func (r *CreateProjectMemberRequest) validate() error {
	return validate("CreateProjectMember", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.ID("UserID", r.UserID)
		optionalID(v, "RoleCode", string(r.RoleCode))
		optionalID(v, "ClientToken", r.ClientToken)
	})
}

// CreateProjectMember adds a user to a project, optionally with a role. The
// call carries a ClientToken, so it is retried after a 5xx or a dropped
// connection without risk of acting twice. A user already in the project
// gives an error matching errors.ErrUserAlreadyInProject; one outside the
// tenant, errors.ErrUserNotInTenant.
func (c *Client) CreateProjectMember(ctx context.Context, req *CreateProjectMemberRequest) (*CreateProjectMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	q := []internal.Param{clientToken(req.ClientToken), projectParam(req.ProjectID), userParam(req.UserID)}
	if req.RoleCode != "" {
		q = append(q, roleParam(req.RoleCode))
	}
	id, err := c.core.DoAck(ctx, rpc("CreateProjectMember", internal.RepeatSafe, q...))
	if err != nil {
		return nil, err
	}
	return &CreateProjectMemberResponse{RequestID: id}, nil
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

// DeleteProjectMember removes a user from a project. Removal is a set-state
// change, so it is retried after a 5xx or a dropped connection (a retry that
// finds the user already gone may then report errors.ErrUserNotInProject).
func (c *Client) DeleteProjectMember(ctx context.Context, req *DeleteProjectMemberRequest) (*DeleteProjectMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.core.DoAck(ctx, rpc("DeleteProjectMember", internal.RepeatSafe,
		projectParam(req.ProjectID), userParam(req.UserID)))
	if err != nil {
		return nil, err
	}
	return &DeleteProjectMemberResponse{RequestID: id}, nil
}

// ListProjectMembersRequest asks for one page of a project's members.
type ListProjectMembersRequest struct {
	ProjectID  int64
	PageNumber int // from 1 to MaxPageNumber; 0: the service default (1)
	PageSize   int // up to MaxPageSize; 0: the service default (10)
}

// ListProjectMembersResponse is one page of a project's members.
type ListProjectMembersResponse struct {
	RequestID                        string
	PageNumber, PageSize, TotalCount int
	Members                          []ProjectMember
}

type listProjectMembersWire struct {
	internal.Envelope
	Data struct {
		PageNumber int          `json:"PageNumber"`
		PageSize   int          `json:"PageSize"`
		TotalCount int          `json:"TotalCount"`
		Members    []memberWire `json:"ProjectMemberList"`
	} `json:"Data"`
}

func (r *ListProjectMembersRequest) validate() error {
	return validate("ListProjectMembers", r == nil, func(v *internal.Validator) {
		v.Positive("ProjectID", r.ProjectID)
		v.Paging(r.PageNumber, r.PageSize, MaxPageSize)
		if r.PageNumber > MaxPageNumber {
			v.Add("PageNumber", "must be at most "+strconv.Itoa(MaxPageNumber)+" (the API's documented limit)")
		}
	})
}

// ListProjectMembers returns one page of a project's members with their
// roles. ListAllProjectMembers walks every page.
func (c *Client) ListProjectMembers(ctx context.Context, req *ListProjectMembersRequest) (*ListProjectMembersResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	q := []internal.Param{projectParam(req.ProjectID)}
	// Zero means the service default: leave it out, as the official SDK
	// leaves out unset fields.
	if req.PageNumber != 0 {
		q = append(q, internal.Param{Name: "PageNumber", Value: strconv.Itoa(req.PageNumber)})
	}
	if req.PageSize != 0 {
		q = append(q, internal.Param{Name: "PageSize", Value: strconv.Itoa(req.PageSize)})
	}
	var out listProjectMembersWire
	if err := c.core.Do(ctx, rpc("ListProjectMembers", internal.RepeatSafe, q...), &out); err != nil {
		return nil, err
	}
	resp := &ListProjectMembersResponse{
		RequestID:  out.RequestID,
		PageNumber: out.Data.PageNumber, PageSize: out.Data.PageSize, TotalCount: out.Data.TotalCount,
	}
	if len(out.Data.Members) > 0 {
		resp.Members = make([]ProjectMember, len(out.Data.Members))
		for i := range out.Data.Members {
			resp.Members[i] = out.Data.Members[i].member()
		}
	}
	return resp, nil
}

// ListAllProjectMembers yields every member of a project, fetching pages
// lazily from req.PageNumber (0: 1) with req.PageSize (0: MaxPageSize) items
// each; req itself is not modified. On an error it yields (ProjectMember{},
// err) once and stops; breaking out of the loop sends no further request.
//
// The 2020-05-18 API serves pages up to MaxPageNumber only. When a project
// has more members than those pages hold (more than 3 000 at MaxPageSize),
// the iterator yields the members it could reach and then an error matching
// ErrPageLimit, so a partial listing is never taken for the whole; package
// dataworks/v2024 lists such projects in full.
//
//	for m, err := range client.ListAllProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(m.UserID, m.Roles)
//	}
func (c *Client) ListAllProjectMembers(ctx context.Context, req *ListProjectMembersRequest) iter.Seq2[ProjectMember, error] {
	if err := req.validate(); err != nil {
		return internal.Failed[ProjectMember](err)
	}
	r := *req // each page request is a copy: the caller's is never touched
	if r.PageSize == 0 {
		r.PageSize = MaxPageSize
	}
	return func(yield func(ProjectMember, error) bool) {
		// listed and total describe this walk so far, for the ErrPageLimit
		// message: members before the next page, and the TotalCount last seen.
		listed, total := 0, 0
		if r.PageNumber > 1 {
			listed = (r.PageNumber - 1) * r.PageSize
		}
		// Paginate asks for the page after MaxPageNumber only when the last
		// page was not empty and the listing is not complete: where the
		// 2020-05-18 API cannot go on.
		fetch := func(ctx context.Context, number, size int) ([]ProjectMember, int, error) {
			if number > MaxPageNumber {
				return nil, 0, fmt.Errorf("%w: stopped after %d of %d members; package dataworks/v2024 (API 2024-05-18) lists them all", ErrPageLimit, listed, total)
			}
			page := r
			page.PageNumber, page.PageSize = number, size
			resp, err := c.ListProjectMembers(ctx, &page)
			if err != nil {
				return nil, 0, err
			}
			listed += len(resp.Members)
			total = resp.TotalCount
			return resp.Members, resp.TotalCount, nil
		}
		internal.Paginate(ctx, "dataworks ListAllProjectMembers", r.PageNumber, r.PageSize, maxPages, fetch)(yield)
	}
}

// maxPages is Paginate's last-resort bound on one walk. A walk never
// reaches it: it ends by page MaxPageNumber+1 at the latest, with
// ErrPageLimit.
const maxPages = MaxPageNumber + 1
