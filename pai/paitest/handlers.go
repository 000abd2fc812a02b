package paitest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/acsmembers/acsmembers-go/internal/fake"
	"github.com/acsmembers/acsmembers-go/pai"
)

// timeLayout is how PAI writes times: ISO 8601 UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

func isoTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// Default page of the list operations.
const (
	defaultPageNumber = 1
	defaultPageSize   = 20
)

// knownRoles are the role names PAI accepts.
var knownRoles = []pai.Role{
	pai.RoleAlgoDeveloper, pai.RoleAlgoOperator, pai.RoleLabelManager, pai.RoleMaxComputeDeveloper,
	pai.RoleWorkspaceAdmin, pai.RoleWorkspaceGuest, pai.RoleWorkspaceOwner,
}

// route maps a request to its operation by method and path:
// /api/v1/workspaces[/{WorkspaceId}[/members|/member|/users|/members/{MemberId}/roles/{RoleName}]].
func (s *Server) route(r *fake.Request) (*fake.Operation, error) {
	seg := r.Segments
	var h func(*fake.Request) (any, error)
	var name string
	if len(seg) >= 3 && seg[0] == "api" && seg[1] == "v1" && seg[2] == "workspaces" {
		key := r.Method
		switch {
		case len(seg) == 3:
		case len(seg) == 4:
			key += " {id}"
		case len(seg) == 5:
			key += " {id}/" + seg[4]
		case len(seg) == 8 && seg[4] == "members" && seg[6] == "roles":
			key += " {id}/members/{mid}/roles/{role}"
		default:
			key = ""
		}
		switch key {
		case "GET":
			name, h = "ListWorkspaces", s.listWorkspaces
		case "GET {id}":
			name, h = "GetWorkspace", s.getWorkspace
		case "POST {id}/members":
			name, h = "CreateMember", s.createMember
		case "GET {id}/members":
			name, h = "ListMembers", s.listMembers
		case "DELETE {id}/members":
			name, h = "DeleteMembers", s.deleteMembers
		case "GET {id}/member":
			name, h = "GetMember", s.getMember
		case "GET {id}/users":
			name, h = "ListWorkspaceUsers", s.listWorkspaceUsers
		case "POST {id}/members/{mid}/roles/{role}":
			name, h = "AddMemberRole", s.addMemberRole
		case "DELETE {id}/members/{mid}/roles/{role}":
			name, h = "RemoveMemberRole", s.removeMemberRole
		}
	}
	if h == nil {
		return nil, fake.Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"No AIWorkSpace %s operation is served at %s /%s.", pai.APIVersion, r.Method, strings.Join(seg, "/"))
	}
	return &fake.Operation{Name: name, Handle: h}, nil
}

// Errors shared by the handlers.

func workspaceNotFound(id string) error {
	return fake.Errorf(http.StatusNotFound, "100400008", "The workspace %q does not exist.", id)
}

func memberNotFound(ws, what, id string) error {
	return fake.Errorf(http.StatusNotFound, "100600006", "The member with %s %q is not found in workspace %q.", what, id, ws)
}

func missing(name string) error {
	return fake.Errorf(http.StatusBadRequest, "Missing"+name, "The parameter %s is required.", name)
}

func invalid(format string, args ...any) error {
	return fake.Errorf(http.StatusBadRequest, "InvalidParameter", format, args...)
}

// workspaceOf returns the workspace named by the path of r.
func (s *Server) workspaceOf(r *fake.Request) (*workspace, error) {
	id := r.Segments[3]
	ws := s.workspaces[id]
	if ws == nil {
		return nil, workspaceNotFound(id)
	}
	return ws, nil
}

func parseRole(name string) (pai.Role, error) {
	r := pai.Role(name)
	if !slices.Contains(knownRoles, r) {
		return "", invalid("The role %q is not a PAI workspace role.", name)
	}
	return r, nil
}

// intParam reads an optional integer parameter of at least lo.
func intParam(r *fake.Request, name string, def, lo int) (int, error) {
	v := r.Params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo {
		return 0, invalid("The parameter %s %q must be an integer of at least %d.", name, v, lo)
	}
	return n, nil
}

// paging reads PageNumber and PageSize.
func paging(r *fake.Request) (number, size int, err error) {
	if number, err = intParam(r, "PageNumber", defaultPageNumber, 1); err != nil {
		return 0, 0, err
	}
	if size, err = intParam(r, "PageSize", defaultPageSize, 1); err != nil {
		return 0, 0, err
	}
	return number, size, nil
}

// page returns page number (from 1) of items, size at a time.
func page[T any](items []T, number, size int) []T {
	start := (number - 1) * size
	if start >= len(items) {
		return items[:0]
	}
	return items[start:min(start+size, len(items))]
}

// list splits a comma-separated parameter, dropping empty elements.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// Wire shapes, with the JSON names the official models use.

type memberWire struct {
	MemberID      string     `json:"MemberId"`
	UserID        string     `json:"UserId"`
	MemberName    string     `json:"MemberName"`
	DisplayName   string     `json:"DisplayName"`
	GmtCreateTime string     `json:"GmtCreateTime"`
	Roles         []pai.Role `json:"Roles"`
	AccountName   string     `json:"AccountName"`
	AccountType   string     `json:"AccountType"`
}

func (s *Server) wire(m *member) memberWire {
	name := s.users[m.userID]
	return memberWire{
		MemberID: m.id, UserID: m.userID, MemberName: name, DisplayName: name,
		GmtCreateTime: isoTime(m.created), Roles: append([]pai.Role{}, m.roles...),
		AccountName: name, AccountType: "5",
	}
}

// CreateMember: POST /api/v1/workspaces/{WorkspaceId}/members
// with {"Members":[{"UserId":…,"Roles":[…]}]}.
func (s *Server) createMember(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	var in struct {
		Members []struct {
			UserID string   `json:"UserId"`
			Roles  []string `json:"Roles"`
		} `json:"Members"`
	}
	if len(r.Body) == 0 {
		return nil, missing("Members")
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, invalid("The request body is not the JSON CreateMember takes: %v.", err)
	}
	if len(in.Members) == 0 {
		return nil, missing("Members")
	}
	// Check everything first: a request that fails adds nobody.
	specs := make([][]pai.Role, len(in.Members))
	seen := map[string]bool{}
	for i, m := range in.Members {
		switch {
		case m.UserID == "":
			return nil, missing("Members.UserId")
		case len(m.Roles) == 0:
			return nil, missing("Members.Roles")
		case seen[m.UserID]:
			return nil, invalid("The user %q is listed twice.", m.UserID)
		case ws.memberByUser(m.UserID) != nil:
			return nil, fake.Errorf(http.StatusBadRequest, "MemberAlreadyExists",
				"The user %q is already a member of workspace %q.", m.UserID, ws.id)
		}
		seen[m.UserID] = true
		for _, name := range m.Roles {
			role, err := parseRole(name)
			if err != nil {
				return nil, err
			}
			specs[i] = append(specs[i], role)
		}
	}
	type created struct {
		MemberID    string     `json:"MemberId"`
		UserID      string     `json:"UserId"`
		DisplayName string     `json:"DisplayName"`
		Roles       []pai.Role `json:"Roles"`
	}
	out := struct {
		RequestID string    `json:"RequestId"`
		Members   []created `json:"Members"`
	}{RequestID: r.RequestID}
	for i, m := range in.Members {
		w := s.wire(s.addMember(ws, m.UserID, specs[i], r.Now))
		out.Members = append(out.Members, created{MemberID: w.MemberID, UserID: w.UserID, DisplayName: w.DisplayName, Roles: w.Roles})
	}
	return out, nil
}

// GetMember: GET /api/v1/workspaces/{WorkspaceId}/member?UserId=…|MemberId=….
func (s *Server) getMember(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	userID, memberID := r.Params.Get("UserId"), r.Params.Get("MemberId")
	var m *member
	switch {
	case userID == "" && memberID == "":
		return nil, fake.Errorf(http.StatusBadRequest, "MissingParameter", "One of the parameters UserId and MemberId is required.")
	case userID != "" && memberID != "":
		return nil, invalid("Only one of the parameters UserId and MemberId may be given.")
	case userID != "":
		if m = ws.memberByUser(userID); m == nil {
			return nil, memberNotFound(ws.id, "UserId", userID)
		}
	default:
		if m = ws.memberByID(memberID); m == nil {
			return nil, memberNotFound(ws.id, "MemberId", memberID)
		}
	}
	w := s.wire(m)
	return struct {
		RequestID     string     `json:"RequestId"`
		MemberID      string     `json:"MemberId"`
		UserID        string     `json:"UserId"`
		MemberName    string     `json:"MemberName"`
		DisplayName   string     `json:"DisplayName"`
		GmtCreateTime string     `json:"GmtCreateTime"`
		Roles         []pai.Role `json:"Roles"`
		AccountType   string     `json:"AccountType"`
	}{r.RequestID, w.MemberID, w.UserID, w.MemberName, w.DisplayName, w.GmtCreateTime, w.Roles, w.AccountType}, nil
}

// ListMembers: GET /api/v1/workspaces/{WorkspaceId}/members with optional
// MemberName (case-insensitive substring), UserId, Roles (any of a comma
// list), PageNumber and PageSize.
func (s *Server) listMembers(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	number, size, err := paging(r)
	if err != nil {
		return nil, err
	}
	var roles []pai.Role
	for _, name := range list(r.Params.Get("Roles")) {
		role, err := parseRole(name)
		if err != nil {
			return nil, err
		}
		roles = append(roles, role)
	}
	name, userID := r.Params.Get("MemberName"), r.Params.Get("UserId")
	matched := []memberWire{}
	for _, m := range ws.members {
		w := s.wire(m)
		if name != "" && !containsFold(w.MemberName, name) ||
			userID != "" && m.userID != userID ||
			len(roles) > 0 && !slices.ContainsFunc(roles, m.has) {
			continue
		}
		matched = append(matched, w)
	}
	return struct {
		RequestID  string       `json:"RequestId"`
		TotalCount int          `json:"TotalCount"`
		Members    []memberWire `json:"Members"`
	}{r.RequestID, len(matched), page(matched, number, size)}, nil
}

// DeleteMembers: DELETE /api/v1/workspaces/{WorkspaceId}/members?MemberIds=a,b.
func (s *Server) deleteMembers(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	ids := list(r.Params.Get("MemberIds"))
	if len(ids) == 0 {
		return nil, missing("MemberIds")
	}
	for _, id := range ids {
		m := ws.memberByID(id)
		if m == nil {
			return nil, memberNotFound(ws.id, "MemberId", id)
		}
		if m.has(pai.RoleWorkspaceOwner) {
			// Documented: the refusal comes in a success body.
			return struct {
				RequestID string `json:"RequestId"`
				Code      string `json:"Code"`
				Message   string `json:"Message"`
			}{r.RequestID, "100600017", "Owner not allowed to delete"}, nil
		}
	}
	ws.members = slices.DeleteFunc(ws.members, func(m *member) bool { return slices.Contains(ids, m.id) })
	ws.modified = r.Now.UTC()
	return ack(r), nil
}

func ack(r *fake.Request) any {
	return struct {
		RequestID string `json:"RequestId"`
	}{r.RequestID}
}

// memberRole resolves the workspace, member and role of
// /api/v1/workspaces/{WorkspaceId}/members/{MemberId}/roles/{RoleName}.
func (s *Server) memberRole(r *fake.Request) (*member, pai.Role, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, "", err
	}
	m := ws.memberByID(r.Segments[5])
	if m == nil {
		return nil, "", memberNotFound(ws.id, "MemberId", r.Segments[5])
	}
	role, err := parseRole(r.Segments[7])
	if err != nil {
		return nil, "", err
	}
	ws.modified = r.Now.UTC()
	return m, role, nil
}

// AddMemberRole: POST …/members/{MemberId}/roles/{RoleName}.
func (s *Server) addMemberRole(r *fake.Request) (any, error) {
	m, role, err := s.memberRole(r)
	if err != nil {
		return nil, err
	}
	m.grant(role)
	return ack(r), nil
}

// RemoveMemberRole: DELETE …/members/{MemberId}/roles/{RoleName}.
func (s *Server) removeMemberRole(r *fake.Request) (any, error) {
	m, role, err := s.memberRole(r)
	if err != nil {
		return nil, err
	}
	had := len(m.roles)
	m.revoke(role)
	if had > 0 && len(m.roles) == 0 {
		s.zeroRoles = append(s.zeroRoles, r.Segments[3]+"/"+m.userID)
	}
	return ack(r), nil
}

// ListWorkspaceUsers: GET /api/v1/workspaces/{WorkspaceId}/users with
// optional UserName (case-insensitive substring) and UserId.
func (s *Server) listWorkspaceUsers(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	type user struct {
		UserID   string `json:"UserId"`
		UserName string `json:"UserName"`
	}
	name, userID := r.Params.Get("UserName"), r.Params.Get("UserId")
	users := []user{}
	for _, id := range s.userOrder {
		if ws.memberByUser(id) != nil || userID != "" && id != userID || name != "" && !containsFold(s.users[id], name) {
			continue
		}
		users = append(users, user{id, s.users[id]})
	}
	return struct {
		RequestID  string `json:"RequestId"`
		TotalCount int    `json:"TotalCount"`
		Users      []user `json:"Users"`
	}{r.RequestID, len(users), users}, nil
}

// workspaceWire is a workspace as GetWorkspace sends it; ListWorkspaces items
// differ only in spelling resourceGroupId with a lower-case r.
type workspaceWire struct {
	RequestID       string         `json:"RequestId,omitempty"`
	WorkspaceID     string         `json:"WorkspaceId"`
	WorkspaceName   string         `json:"WorkspaceName"`
	DisplayName     string         `json:"DisplayName,omitempty"`
	Description     string         `json:"Description"`
	Creator         string         `json:"Creator"`
	Status          string         `json:"Status"`
	IsDefault       bool           `json:"IsDefault"`
	EnvTypes        []string       `json:"EnvTypes"`
	AdminNames      []string       `json:"AdminNames"`
	ExtraInfos      map[string]any `json:"ExtraInfos"`
	GmtCreateTime   string         `json:"GmtCreateTime"`
	GmtModifiedTime string         `json:"GmtModifiedTime"`
}

func (s *Server) workspaceWire(ws *workspace) workspaceWire {
	w := workspaceWire{
		WorkspaceID: ws.id, WorkspaceName: ws.id, Status: string(pai.WorkspaceEnabled),
		EnvTypes: []string{"prod"}, AdminNames: []string{}, ExtraInfos: map[string]any{},
		GmtCreateTime: isoTime(ws.created), GmtModifiedTime: isoTime(ws.modified),
	}
	if o := ws.owner(); o != nil {
		w.Creator = o.userID
	}
	for _, m := range ws.members {
		if m.has(pai.RoleWorkspaceAdmin) {
			w.AdminNames = append(w.AdminNames, s.users[m.userID])
		}
	}
	return w
}

// GetWorkspace: GET /api/v1/workspaces/{WorkspaceId}[?Verbose=true].
func (s *Server) getWorkspace(r *fake.Request) (any, error) {
	ws, err := s.workspaceOf(r)
	if err != nil {
		return nil, err
	}
	type owner struct {
		UserID      string `json:"UserId"`
		UserKp      string `json:"UserKp"`
		UserName    string `json:"UserName"`
		DisplayName string `json:"DisplayName"`
	}
	out := struct {
		workspaceWire
		ResourceGroupID string `json:"ResourceGroupId"`
		Owner           *owner `json:"Owner,omitempty"`
	}{workspaceWire: s.workspaceWire(ws)}
	out.RequestID, out.DisplayName = r.RequestID, ws.id
	if o := ws.owner(); o != nil && r.Params.Get("Verbose") == "true" {
		name := s.users[o.userID]
		out.Owner = &owner{UserID: o.userID, UserKp: o.userID, UserName: name, DisplayName: name}
	}
	return out, nil
}

// ListWorkspaces: GET /api/v1/workspaces with optional WorkspaceName
// (case-insensitive substring), WorkspaceIds, Status, ResourceGroupId, UserId
// (workspaces the user is a member of), Option, SortBy, Order, Fields,
// PageNumber and PageSize.
func (s *Server) listWorkspaces(r *fake.Request) (any, error) {
	p := r.Params
	switch p.Get("Option") {
	case "", "GetWorkspaces":
	case "GetResourceLimits":
		return struct {
			RequestID      string         `json:"RequestId"`
			ResourceLimits map[string]any `json:"ResourceLimits"`
		}{r.RequestID, map[string]any{}}, nil
	default:
		return nil, invalid("The parameter Option %q must be GetWorkspaces or GetResourceLimits.", p.Get("Option"))
	}
	number, size, err := paging(r)
	if err != nil {
		return nil, err
	}
	sortBy := p.Get("SortBy")
	if sortBy != "" && sortBy != "GmtCreateTime" && sortBy != "GmtModifiedTime" {
		return nil, invalid("The parameter SortBy %q must be GmtCreateTime or GmtModifiedTime.", sortBy)
	}
	order := strings.ToUpper(p.Get("Order"))
	if order != "" && order != "ASC" && order != "DESC" {
		return nil, invalid("The parameter Order %q must be ASC or DESC.", p.Get("Order"))
	}
	ids := list(p.Get("WorkspaceIds"))
	name, status, rg, userID := p.Get("WorkspaceName"), p.Get("Status"), p.Get("ResourceGroupId"), p.Get("UserId")
	var matched []*workspace
	for _, ws := range s.wsOrder {
		if name != "" && !containsFold(ws.id, name) ||
			len(ids) > 0 && !slices.Contains(ids, ws.id) ||
			status != "" && status != string(pai.WorkspaceEnabled) ||
			rg != "" || // no fake workspace is in a resource group
			userID != "" && ws.memberByUser(userID) == nil {
			continue
		}
		matched = append(matched, ws)
	}
	if sortBy == "GmtModifiedTime" {
		slices.SortStableFunc(matched, func(a, b *workspace) int { return a.modified.Compare(b.modified) })
	}
	if order == "DESC" {
		slices.Reverse(matched)
	}
	type item struct {
		workspaceWire
		ResourceGroupID string `json:"resourceGroupId"`
	}
	idsOnly := slices.Contains(list(p.Get("Fields")), "Id")
	var items []any
	for _, ws := range page(matched, number, size) {
		if idsOnly {
			items = append(items, map[string]string{"WorkspaceId": ws.id})
		} else {
			items = append(items, item{workspaceWire: s.workspaceWire(ws)})
		}
	}
	if items == nil {
		items = []any{}
	}
	return struct {
		RequestID  string `json:"RequestId"`
		TotalCount int    `json:"TotalCount"`
		Workspaces []any  `json:"Workspaces"`
	}{r.RequestID, len(matched), items}, nil
}
