package pai

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/acsmembers/acsmembers-go/internal"
)

// Member is a member of a workspace.
type Member struct {
	// MemberID is the membership's own ID, "<WorkspaceID>-<UserID>" in the
	// API's examples: AddMemberRole, RemoveMemberRole and DeleteMembers take
	// it. UserID is the member's Alibaba Cloud user ID (UID). MemberName is
	// the member's user name, DisplayName the name the console shows, and
	// AccountName the account name (ListMembers only).
	//
	// AccountType says what kind of identity the member is, as the string
	// PAI sends. PAI does not document its values; its one example is "5".
	// DataWorks numbers member types the same way (dataworks.MemberType:
	// "1" Alibaba Cloud account, "5" RAM user, "6" RAM role), and PAI's "5"
	// likely means a RAM user too, but PAI has not confirmed it.
	//
	// A reply fills what it carries: CreateMember's only MemberID, UserID,
	// DisplayName and Roles; GetMember's all but AccountName.
	MemberID, UserID, MemberName, DisplayName, AccountName, AccountType string
	Roles                                                               []Role    // the roles the member holds in the workspace
	CreateTime                                                          time.Time // GmtCreateTime, parsed
}

// memberWire is a member as the API sends it.
type memberWire struct {
	MemberID      string              `json:"MemberId"`
	UserID        string              `json:"UserId"`
	MemberName    string              `json:"MemberName"`
	DisplayName   string              `json:"DisplayName"`
	AccountName   string              `json:"AccountName"`
	AccountType   internal.FlexString `json:"AccountType"`
	GmtCreateTime string              `json:"GmtCreateTime"`
	Roles         []Role              `json:"Roles"`
}

func (w *memberWire) member() Member {
	return Member{
		MemberID: w.MemberID, UserID: w.UserID, MemberName: w.MemberName, DisplayName: w.DisplayName,
		AccountName: w.AccountName, AccountType: string(w.AccountType), Roles: w.Roles,
		CreateTime: internal.ParseTime(w.GmtCreateTime),
	}
}

func members(ws []memberWire) []Member {
	if len(ws) == 0 {
		return nil
	}
	out := make([]Member, len(ws))
	for i := range ws {
		out[i] = ws[i].member()
	}
	return out
}

// validateRole checks a role that is sent on its own (path or query).
func validateRole(v *internal.Validator, field string, r Role) {
	if r == "" {
		v.Add(field, "required")
		return
	}
	v.ID(field, string(r))
}

// MemberSpec is one user to add, with the roles to give them.
type MemberSpec struct {
	UserID string
	Roles  []Role
}

// CreateMemberRequest adds users to a workspace.
type CreateMemberRequest struct {
	WorkspaceID string
	Members     []MemberSpec
}

// CreateMemberResponse lists the members created.
type CreateMemberResponse struct {
	RequestID string
	Members   []Member
}

func (r *CreateMemberRequest) validate() error {
	v := internal.NewValidator("pai", "CreateMember")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	if len(r.Members) == 0 {
		v.Add("Members", "at least one member is required")
	}
	for i, m := range r.Members {
		// Field names are built only for a bad member.
		if reason := internal.IDProblem(m.UserID); reason != "" {
			v.Add(memberField(i, ".UserID"), reason)
		}
		if len(m.Roles) == 0 {
			v.Add(memberField(i, ".Roles"), "at least one role is required")
		}
		for j, role := range m.Roles {
			if role == "" {
				v.Add(memberField(i, ".Roles["+strconv.Itoa(j)+"]"), "must not be empty")
			}
		}
	}
	return v.Err()
}

func memberField(i int, rest string) string { return "Members[" + strconv.Itoa(i) + "]" + rest }

// createMemberBody is CreateMember's JSON body. Fields are in the official
// models' alphabetical order, so encoding/json writes the same bytes (and the
// payload hash is the same) as the official client.
type createMemberBody struct {
	Members []createMemberBodyMember `json:"Members"`
}

type createMemberBodyMember struct {
	Roles  []Role `json:"Roles"`
	UserID string `json:"UserId"`
}

func newCreateMemberBody(req *CreateMemberRequest) createMemberBody {
	var b createMemberBody
	if req.Members != nil {
		b.Members = make([]createMemberBodyMember, len(req.Members))
		for i, m := range req.Members {
			b.Members[i] = createMemberBodyMember{Roles: m.Roles, UserID: m.UserID}
		}
	}
	return b
}

// createMemberWire is CreateMember's reply.
type createMemberWire struct {
	internal.Envelope
	Members []memberWire `json:"Members"`
}

// CreateMember adds users to a workspace with the given roles. It is not
// repeated after a 5xx or a dropped connection: a second copy could act twice.
func (c *Client) CreateMember(ctx context.Context, req *CreateMemberRequest) (*CreateMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out createMemberWire
	err := c.core.Do(ctx, &internal.Operation{
		Name: "CreateMember", Method: http.MethodPost,
		Path: []string{"api", "v1", "workspaces", req.WorkspaceID, "members"},
		Body: newCreateMemberBody(req),
	}, &out)
	if err != nil {
		return nil, err
	}
	return &CreateMemberResponse{RequestID: out.RequestID, Members: members(out.Members)}, nil
}

// GetMemberRequest names one member of a workspace by exactly one of UserID
// or MemberID.
type GetMemberRequest struct {
	WorkspaceID, UserID, MemberID string
}

// GetMemberResponse is the member found.
type GetMemberResponse struct {
	RequestID string
	Member
}

func (r *GetMemberRequest) validate() error {
	v := internal.NewValidator("pai", "GetMember")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	switch {
	case r.UserID == "" && r.MemberID == "":
		v.Add("UserID", "exactly one of UserID and MemberID is required")
	case r.UserID != "" && r.MemberID != "":
		v.Add("MemberID", "exactly one of UserID and MemberID may be set")
	case r.UserID != "":
		v.ID("UserID", r.UserID)
	default:
		v.ID("MemberID", r.MemberID)
	}
	return v.Err()
}

// GetMember reads one member. A member that does not exist gives an error
// matching errors.ErrMemberNotFound.
func (c *Client) GetMember(ctx context.Context, req *GetMemberRequest) (*GetMemberResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	q := make([]internal.Param, 0, 1)
	if req.MemberID != "" {
		q = append(q, internal.Param{Name: "MemberId", Value: req.MemberID})
	} else {
		q = append(q, internal.Param{Name: "UserId", Value: req.UserID})
	}
	var out struct {
		internal.Envelope
		memberWire
	}
	err := c.core.Do(ctx, &internal.Operation{
		Name: "GetMember", Method: http.MethodGet,
		Path:   []string{"api", "v1", "workspaces", req.WorkspaceID, "member"},
		Query:  q,
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &GetMemberResponse{RequestID: out.RequestID, Member: out.member()}, nil
}

// ListMembersRequest selects members of a workspace, one page at a time.
// Every filter is optional.
type ListMembersRequest struct {
	WorkspaceID string
	MemberName  string // fuzzy match on the member name
	UserID      string
	Roles       []Role // members holding any of these roles
	PageNumber  int    // from 1; 0: the first page
	PageSize    int    // 0: the service default (20), or DefaultPageSize for ListAllMembers
}

// ListMembersResponse is one page of members.
type ListMembersResponse struct {
	RequestID  string
	TotalCount int // members matching the filters, across all pages
	Members    []Member
}

func (r *ListMembersRequest) validate() error {
	v := internal.NewValidator("pai", "ListMembers")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	validateList(v, "Roles", r.Roles)
	validatePaging(v, r.PageNumber, r.PageSize)
	return v.Err()
}

// ListMembers reads one page of a workspace's members. Use ListAllMembers to
// walk every page.
func (c *Client) ListMembers(ctx context.Context, req *ListMembersRequest) (*ListMembersResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var q params
	q.str("MemberName", req.MemberName)
	q.int("PageNumber", req.PageNumber)
	q.int("PageSize", req.PageSize)
	q.str("Roles", join(req.Roles))
	q.str("UserId", req.UserID)
	var out struct {
		internal.Envelope
		TotalCount int          `json:"TotalCount"`
		Members    []memberWire `json:"Members"`
	}
	err := c.core.Do(ctx, &internal.Operation{
		Name: "ListMembers", Method: http.MethodGet,
		Path:   []string{"api", "v1", "workspaces", req.WorkspaceID, "members"},
		Query:  q,
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &ListMembersResponse{RequestID: out.RequestID, TotalCount: out.TotalCount, Members: members(out.Members)}, nil
}

// ListAllMembers yields every member matching req, from page req.PageNumber
// (default 1) on, req.PageSize (default DefaultPageSize) at a time, fetching
// each page only when the loop gets to it. req is copied: changing it later
// does not affect the iteration.
//
// An error (including an invalid or nil req) is yielded once as (Member{},
// err) and ends the iteration; breaking out of the loop sends no further
// request.
func (c *Client) ListAllMembers(ctx context.Context, req *ListMembersRequest) iter.Seq2[Member, error] {
	if err := req.validate(); err != nil {
		return internal.Failed[Member](err)
	}
	base := *req
	base.Roles = slices.Clone(req.Roles)
	return internal.Paginate(ctx, "pai ListAllMembers", base.PageNumber, pageSize(base.PageSize), maxPages, func(ctx context.Context, number, size int) ([]Member, int, error) {
		page := base
		page.PageNumber, page.PageSize = number, size
		out, err := c.ListMembers(ctx, &page)
		if err != nil {
			return nil, 0, err
		}
		return out.Members, out.TotalCount, nil
	})
}

// DeleteMembersRequest removes members from a workspace.
type DeleteMembersRequest struct {
	WorkspaceID string
	MemberIDs   []string // as returned in Member.MemberID
}

// DeleteMembersResponse acknowledges DeleteMembers.
type DeleteMembersResponse struct {
	RequestID string
}

func (r *DeleteMembersRequest) validate() error {
	v := internal.NewValidator("pai", "DeleteMembers")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	if len(r.MemberIDs) == 0 {
		v.Add("MemberIDs", "at least one member ID is required")
	}
	validateList(v, "MemberIDs", r.MemberIDs)
	return v.Err()
}

// DeleteMembers removes members from a workspace. Removing is a set-state
// change (a member already gone stays gone), so it is retried after a 5xx or
// a dropped connection; should the lost attempt have been carried out, the
// repeat can only report members that are already gone.
//
// The service answers an attempt to remove the workspace owner with a
// success status whose body carries code 100600017; that is returned as an
// *errors.APIError matching errors.ErrOwnerNotDeletable, never as success.
func (c *Client) DeleteMembers(ctx context.Context, req *DeleteMembersRequest) (*DeleteMembersResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	id, err := c.core.DoAck(ctx, &internal.Operation{
		Name: "DeleteMembers", Method: http.MethodDelete,
		Path:        []string{"api", "v1", "workspaces", req.WorkspaceID, "members"},
		Query:       []internal.Param{{Name: "MemberIds", Value: join(req.MemberIDs)}},
		Repeat:      internal.RepeatSafe,
		ErrorInBody: true,
	})
	if err != nil {
		return nil, err
	}
	return &DeleteMembersResponse{RequestID: id}, nil
}
