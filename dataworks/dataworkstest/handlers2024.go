package dataworkstest

// DataWorks API 2024-05-18.
//
// The fake answers the 2024-05-18 member actions too, chosen by
// x-acs-version, over the same projects and members as 2020-05-18: a member
// added with AddProjectMemberToRole is read by GetProjectMember, and one
// created with CreateProjectMember (2024) is listed by ListProjectMembers
// (2020). Their parameters are read from a form-encoded body, as the gateway
// reads them (the query counts too); lists such as RoleCodes and UserIds
// arrive as one parameter holding a JSON array of strings.
//
//   - CreateProjectMember (ProjectId, UserId, RoleCodes), GetProjectMember,
//     DeleteProjectMember (ProjectId, UserId), GrantMemberProjectRoles and
//     RevokeMemberProjectRoles (ProjectId, UserId, RoleCodes).
//   - ListProjectMembers (ProjectId; UserIds, RoleCodes, PageNumber,
//     PageSize): a member matches RoleCodes when they hold any of them; an
//     empty list filters nothing. The page is in PagingInfo, ProjectMembers.
//   - ListProjectRoles (ProjectId; Codes, Names, Type, PageNumber, PageSize):
//     PagingInfo's numbers are strings, as in the reference's sample.
//   - GetProjectRole (ProjectId, Code), read from the query or the body.
//
// Members are listed with UserName equal to the user ID and Status "Normal";
// roles with Type "System" or "UserCustom" and no ModulePermissions. The
// roles are one catalogue for both versions: the built-in roles of 2020-05-18
// (role_project_tester included), then role_project_data_analyst and
// role_project_dg_admin (IDs 10 and 11), which only the 2024-05-18 reference
// lists, then the project's custom roles. 2020-05-18 calls show members
// holding the 2024-only roles, but ListProjectRoles and AddProjectMemberToRole
// of 2020-05-18 know only the roles 2020-05-18 documents.
//
// The 2024-05-18 reference lists no error codes; the fake answers as
// Terraform's provider expects: a user who is not a member gives 400
// 1101080166 (GetProjectMember, DeleteProjectMember, GrantMemberProjectRoles,
// RevokeMemberProjectRoles); otherwise the codes of 2020-05-18
// (Invalid.Tenant.ProjectNotExists, Invalid.Tenant.UserAlreadyInProject,
// Missing<Name>, InvalidParameter for a malformed value, an unknown role or an
// empty RoleCodes). No 2024-05-18 action carries a ClientToken.
//
// FailNext and RequestCount take the action name and cover both versions:
// ListProjectMembers counts (and FailNext fails) the next call of that name,
// whichever version it came with. The 2024-only actions are
// GetProjectMember, GrantMemberProjectRoles, RevokeMemberProjectRoles and
// GetProjectRole.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/v2024"
	"github.com/acsmembers/acsmembers-go/internal/fake"
)

// version2024 is the second x-acs-version the fake speaks.
const version2024 = v2024.APIVersion

// actions2024 are the actions only 2024-05-18 has. Its other actions share
// their name, and so their FailNext queue and RequestCount, with a
// 2020-05-18 action.
var actions2024 = []string{"GetProjectMember", "GrantMemberProjectRoles", "RevokeMemberProjectRoles", "GetProjectRole"}

// roles2024 are the built-in roles only the 2024-05-18 reference lists. Their
// IDs continue builtinRoles'.
var roles2024 = []role{
	{10, dataworks.RoleProjectDataAnalyst, "Data Analyst", dataworks.RoleTypeSystem},
	{11, dataworks.RoleProjectDGAdmin, "Data Governance Administrator", dataworks.RoleTypeSystem},
}

// catalogue is every role a member of p can hold, whichever version granted
// it: the 2020-05-18 built-in roles, the 2024-only ones, then p's custom
// roles.
func (p *project) catalogue() []role {
	all := p.roles()
	return slices.Insert(all, len(builtinRoles), roles2024...)
}

// route2024 maps a 2024-05-18 request to its action.
func (s *Server) route2024(r *fake.Request) (*fake.Operation, error) {
	op := &fake.Operation{Name: r.Action}
	switch r.Action {
	case "CreateProjectMember":
		op.Handle = s.createProjectMember2024
	case "DeleteProjectMember":
		op.Handle = s.deleteProjectMember2024
	case "GetProjectMember":
		op.Handle = s.getProjectMember2024
	case "ListProjectMembers":
		op.Handle = s.listProjectMembers2024
	case "GrantMemberProjectRoles":
		op.Handle = s.grantMemberProjectRoles2024
	case "RevokeMemberProjectRoles":
		op.Handle = s.revokeMemberProjectRoles2024
	case "ListProjectRoles":
		op.Handle = s.listProjectRoles2024
	case "GetProjectRole":
		op.Handle = s.getProjectRole2024
	default:
		return nil, fake.Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"Specified api %q is not found in DataWorks %s.", r.Action, version2024)
	}
	return op, nil
}

// notAMember is the answer Terraform's provider treats as "not a member".
func notAMember() error {
	return fake.Errorf(http.StatusBadRequest, "1101080166", "The user is not a member of the workspace.")
}

// jsonList reads a list parameter: one value holding a JSON array of
// strings. Absent, it is nil.
func jsonList(r *fake.Request, name string) ([]string, error) {
	if !r.Params.Has(name) {
		return nil, nil
	}
	v := r.Params.Get(name)
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil || out == nil {
		return nil, invalid("The parameter %s %q must be a JSON array of strings.", name, v)
	}
	return out, nil
}

// member2024 is the common shape of the member actions: the project, the
// user, and (when the action takes them) the role codes, every one of which
// must exist in the project.
type member2024 struct {
	p     *project
	user  string
	codes []dataworks.RoleCode
}

// parse2024 checks the parameters in the order the service reports them:
// missing ones first, then the project, then the roles.
func (s *Server) parse2024(r *fake.Request, takesRoles bool) (member2024, error) {
	var c member2024
	var more []string
	if takesRoles {
		more = append(more, "RoleCodes")
	}
	p, user, err := s.projectUser(r, more...)
	if err != nil {
		return c, err
	}
	c.p, c.user = p, user
	if !takesRoles {
		return c, nil
	}
	codes, err := jsonList(r, "RoleCodes")
	if err != nil {
		return c, err
	}
	if len(codes) == 0 {
		return c, invalid("The parameter RoleCodes must list at least one role.")
	}
	all := p.catalogue()
	for _, code := range codes {
		if !slices.ContainsFunc(all, func(x role) bool { return string(x.Code) == code }) {
			return c, invalid("The role %q does not exist in the project.", code)
		}
		c.codes = append(c.codes, dataworks.RoleCode(code))
	}
	return c, nil
}

// CreateProjectMember (2024): ProjectId, UserId, RoleCodes.
func (s *Server) createProjectMember2024(r *fake.Request) (any, error) {
	c, err := s.parse2024(r, true)
	if err != nil {
		return nil, err
	}
	if c.p.member(c.user) != nil {
		return nil, userAlreadyInProject()
	}
	m := c.p.add(c.user)
	for _, code := range c.codes {
		m.grant(code)
	}
	return ack(r), nil
}

// DeleteProjectMember (2024): ProjectId, UserId.
func (s *Server) deleteProjectMember2024(r *fake.Request) (any, error) {
	c, err := s.parse2024(r, false)
	if err != nil {
		return nil, err
	}
	if c.p.member(c.user) == nil {
		return nil, notAMember()
	}
	c.p.members = slices.DeleteFunc(c.p.members, func(m *member) bool { return m.userID == c.user })
	return ack(r), nil
}

// GrantMemberProjectRoles (2024): ProjectId, UserId, RoleCodes.
func (s *Server) grantMemberProjectRoles2024(r *fake.Request) (any, error) {
	return s.changeRoles2024(r, (*member).grant)
}

// RevokeMemberProjectRoles (2024): ProjectId, UserId, RoleCodes.
func (s *Server) revokeMemberProjectRoles2024(r *fake.Request) (any, error) {
	return s.changeRoles2024(r, (*member).revoke)
}

func (s *Server) changeRoles2024(r *fake.Request, change func(*member, dataworks.RoleCode)) (any, error) {
	c, err := s.parse2024(r, true)
	if err != nil {
		return nil, err
	}
	m := c.p.member(c.user)
	if m == nil {
		return nil, notAMember()
	}
	for _, code := range c.codes {
		change(m, code)
	}
	return ack(r), nil
}

// The 2024-05-18 reply shapes.
type (
	role2024 struct {
		Code dataworks.RoleCode `json:"Code"`
		Name string             `json:"Name"`
		Type v2024.RoleType     `json:"Type"`
	}
	member2024Wire struct {
		ProjectID int64              `json:"ProjectId"`
		UserID    string             `json:"UserId"`
		UserName  string             `json:"UserName"`
		Status    v2024.MemberStatus `json:"Status"`
		Roles     []role2024         `json:"Roles"`
	}
	modulePermission2024 struct {
		ModuleID       int64  `json:"ModuleId"`
		ModuleName     string `json:"ModuleName"`
		PermissionType string `json:"PermissionType"`
	}
	projectRole2024 struct {
		ProjectID         int64                  `json:"ProjectId"`
		Code              dataworks.RoleCode     `json:"Code"`
		Name              string                 `json:"Name"`
		Type              v2024.RoleType         `json:"Type"`
		ModulePermissions []modulePermission2024 `json:"ModulePermissions"`
	}
)

// type2024 names a role type as 2024-05-18 does.
func type2024(t dataworks.RoleType) v2024.RoleType {
	if t == dataworks.RoleTypeCustom {
		return v2024.RoleTypeUserCustom
	}
	return v2024.RoleTypeSystem
}

// wire2024 describes m, a member of project id whose roles are all, as
// 2024-05-18 does.
func wire2024(all []role, id int64, m *member) member2024Wire {
	w := member2024Wire{ProjectID: id, UserID: m.userID, UserName: m.userID, Status: v2024.MemberStatusNormal, Roles: []role2024{}}
	for _, code := range m.roles {
		x := all[slices.IndexFunc(all, func(x role) bool { return x.Code == code })]
		w.Roles = append(w.Roles, role2024{x.Code, x.Name, type2024(x.Type)})
	}
	return w
}

// projectID reads ProjectId once projectOf has accepted it.
func projectID(r *fake.Request) int64 {
	id, _ := strconv.ParseInt(r.Params.Get("ProjectId"), 10, 64)
	return id
}

// GetProjectMember (2024): ProjectId, UserId.
func (s *Server) getProjectMember2024(r *fake.Request) (any, error) {
	c, err := s.parse2024(r, false)
	if err != nil {
		return nil, err
	}
	m := c.p.member(c.user)
	if m == nil {
		return nil, notAMember()
	}
	return struct {
		RequestID string         `json:"RequestId"`
		Member    member2024Wire `json:"ProjectMember"`
	}{r.RequestID, wire2024(c.p.catalogue(), projectID(r), m)}, nil
}

// page2024 reads PageNumber and PageSize and returns the bounds of that page
// in a listing of n items.
func page2024(r *fake.Request, n int) (number, size, from, to int, err error) {
	if number, err = intParam(r, "PageNumber", defaultPageNumber, 1, 1<<30); err != nil {
		return
	}
	if size, err = intParam(r, "PageSize", defaultPageSize, 1, v2024.MaxPageSize); err != nil {
		return
	}
	from = min((number-1)*size, n)
	return number, size, from, min(from+size, n), nil
}

// ListProjectMembers (2024): ProjectId; UserIds, RoleCodes, PageNumber,
// PageSize optional.
func (s *Server) listProjectMembers2024(r *fake.Request) (any, error) {
	p, err := s.projectOf(r)
	if err != nil {
		return nil, err
	}
	users, err := jsonList(r, "UserIds")
	if err != nil {
		return nil, err
	}
	codes, err := jsonList(r, "RoleCodes")
	if err != nil {
		return nil, err
	}
	var matched []*member
	for _, m := range p.members {
		if len(users) > 0 && !slices.Contains(users, m.userID) {
			continue
		}
		if len(codes) > 0 && !slices.ContainsFunc(m.roles, func(c dataworks.RoleCode) bool { return slices.Contains(codes, string(c)) }) {
			continue
		}
		matched = append(matched, m)
	}
	number, size, from, to, err := page2024(r, len(matched))
	if err != nil {
		return nil, err
	}
	id, all := projectID(r), p.catalogue()
	list := []member2024Wire{}
	for _, m := range matched[from:to] {
		list = append(list, wire2024(all, id, m))
	}
	type paging struct {
		PageNumber int              `json:"PageNumber"`
		PageSize   int              `json:"PageSize"`
		TotalCount int              `json:"TotalCount"`
		Members    []member2024Wire `json:"ProjectMembers"`
	}
	return struct {
		RequestID string `json:"RequestId"`
		Paging    paging `json:"PagingInfo"`
	}{r.RequestID, paging{number, size, len(matched), list}}, nil
}

// roleWire2024 describes x, a role of project id, as 2024-05-18 does.
func roleWire2024(id int64, x role) projectRole2024 {
	return projectRole2024{ProjectID: id, Code: x.Code, Name: x.Name, Type: type2024(x.Type), ModulePermissions: []modulePermission2024{}}
}

// ListProjectRoles (2024): ProjectId; Codes, Names, Type, PageNumber,
// PageSize optional.
func (s *Server) listProjectRoles2024(r *fake.Request) (any, error) {
	p, err := s.projectOf(r)
	if err != nil {
		return nil, err
	}
	codes, err := jsonList(r, "Codes")
	if err != nil {
		return nil, err
	}
	names, err := jsonList(r, "Names")
	if err != nil {
		return nil, err
	}
	typ := v2024.RoleType(r.Params.Get("Type"))
	if typ != "" && typ != v2024.RoleTypeSystem && typ != v2024.RoleTypeUserCustom {
		return nil, invalid("The parameter Type %q must be System or UserCustom.", typ)
	}
	var matched []role
	for _, x := range p.catalogue() {
		if len(codes) > 0 && !slices.Contains(codes, string(x.Code)) ||
			len(names) > 0 && !slices.Contains(names, x.Name) ||
			typ != "" && type2024(x.Type) != typ {
			continue
		}
		matched = append(matched, x)
	}
	number, size, from, to, err := page2024(r, len(matched))
	if err != nil {
		return nil, err
	}
	id := projectID(r)
	list := []projectRole2024{}
	for _, x := range matched[from:to] {
		list = append(list, roleWire2024(id, x))
	}
	// The reference's sample sends the paging numbers as strings.
	type paging struct {
		PageNumber string            `json:"PageNumber"`
		PageSize   string            `json:"PageSize"`
		TotalCount string            `json:"TotalCount"`
		Roles      []projectRole2024 `json:"ProjectRoles"`
	}
	return struct {
		RequestID string `json:"RequestId"`
		Paging    paging `json:"PagingInfo"`
	}{r.RequestID, paging{strconv.Itoa(number), strconv.Itoa(size), strconv.Itoa(len(matched)), list}}, nil
}

// GetProjectRole (2024): Code, ProjectId.
func (s *Server) getProjectRole2024(r *fake.Request) (any, error) {
	for _, n := range []string{"ProjectId", "Code"} {
		if _, err := required(r, n); err != nil {
			return nil, err
		}
	}
	p, err := s.projectOf(r)
	if err != nil {
		return nil, err
	}
	code := dataworks.RoleCode(r.Params.Get("Code"))
	all := p.catalogue()
	i := slices.IndexFunc(all, func(x role) bool { return x.Code == code })
	if i < 0 {
		return nil, invalid("The role %q does not exist in the project.", code)
	}
	return struct {
		RequestID string          `json:"RequestId"`
		Role      projectRole2024 `json:"ProjectRole"`
	}{r.RequestID, roleWire2024(projectID(r), all[i])}, nil
}
