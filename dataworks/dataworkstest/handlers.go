package dataworkstest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/internal/fake"
)

// role is a project role as ListProjectRoles describes it.
type role struct {
	ID   int                `json:"ProjectRoleId"`
	Code dataworks.RoleCode `json:"ProjectRoleCode"`
	Name string             `json:"ProjectRoleName"`
	Type dataworks.RoleType `json:"ProjectRoleType"`
}

// builtinRoles are the roles every project has. The IDs are the fake's own:
// the documentation does not list the real ones.
var builtinRoles = []role{
	{1, dataworks.RoleProjectOwner, "Workspace Owner", dataworks.RoleTypeSystem},
	{2, dataworks.RoleProjectAdmin, "Workspace Administrator", dataworks.RoleTypeSystem},
	{3, dataworks.RoleProjectDev, "Developer", dataworks.RoleTypeSystem},
	{4, dataworks.RoleProjectPE, "O&M", dataworks.RoleTypeSystem},
	{5, dataworks.RoleProjectDeploy, "Deployer", dataworks.RoleTypeSystem},
	{6, dataworks.RoleProjectGuest, "Visitor", dataworks.RoleTypeSystem},
	{7, dataworks.RoleProjectSecurity, "Security Administrator", dataworks.RoleTypeSystem},
	{8, dataworks.RoleProjectERD, "Model Designer", dataworks.RoleTypeSystem},
	{9, dataworks.RoleProjectTester, "Experiencer", dataworks.RoleTypeSystem},
}

// customRoleBase numbers the custom roles that AddProjectMember introduces.
const customRoleBase = 1000

// roles lists p's roles: the built-in ones, then the custom codes
// AddProjectMember introduced, in the order first seen.
func (p *project) roles() []role {
	out := slices.Clone(builtinRoles)
	for i, c := range p.custom {
		out = append(out, role{customRoleBase + i, c, string(c), dataworks.RoleTypeCustom})
	}
	return out
}

// isBuiltin reports whether c is a built-in role of either API version, so
// that AddProjectMember never turns one into a custom role.
func isBuiltin(c dataworks.RoleCode) bool {
	is := func(r role) bool { return r.Code == c }
	return slices.ContainsFunc(builtinRoles, is) || slices.ContainsFunc(roles2024, is)
}

// Default page of ListProjectMembers.
const (
	defaultPageNumber = 1
	defaultPageSize   = 10
)

// route maps an RPC request (POST or GET to "/") to its action.
func (s *Server) route(r *fake.Request) (*fake.Operation, error) {
	if len(r.Segments) > 0 || r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, fake.Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"DataWorks %s actions are served by POST or GET on \"/\", not %s %s.", r.Version, r.Method, "/"+strings.Join(r.Segments, "/"))
	}
	if r.Version == version2024 {
		return s.route2024(r)
	}
	op := &fake.Operation{Name: r.Action}
	switch r.Action {
	case "AddProjectMemberToRole":
		op.Handle, op.Idempotent = s.addProjectMemberToRole, true
	case "RemoveProjectMemberFromRole":
		op.Handle = s.removeProjectMemberFromRole
	case "CreateProjectMember":
		op.Handle, op.Idempotent = s.createProjectMember, true
	case "DeleteProjectMember":
		op.Handle = s.deleteProjectMember
	case "ListProjectMembers":
		op.Handle = s.listProjectMembers
	case "ListProjectRoles":
		op.Handle = s.listProjectRoles
	default:
		return nil, fake.Errorf(http.StatusNotFound, "InvalidAction.NotFound",
			"Specified api %q is not found in DataWorks %s.", r.Action, dataworks.APIVersion)
	}
	return op, nil
}

// Documented errors.

func projectNotExists() error {
	return fake.Errorf(http.StatusBadRequest, "Invalid.Tenant.ProjectNotExists", "The project does not exist.")
}

func userNotInProject() error {
	return fake.Errorf(http.StatusBadRequest, "Invalid.Tenant.UserNotInProject", "The user is not in the project.")
}

func userAlreadyInProject() error {
	return fake.Errorf(http.StatusBadRequest, "Invalid.Tenant.UserAlreadyInProject", "The user already exists in the project.")
}

func invalid(format string, args ...any) error {
	return fake.Errorf(http.StatusBadRequest, "InvalidParameter", format, args...)
}

// required reads a parameter that must be present and not empty.
func required(r *fake.Request, name string) (string, error) {
	v := r.Params.Get(name)
	if v == "" {
		return "", fake.Errorf(http.StatusBadRequest, "Missing"+name, "The parameter %s is required.", name)
	}
	return v, nil
}

// projectOf returns the project named by ProjectId.
func (s *Server) projectOf(r *fake.Request) (*project, error) {
	v, err := required(r, "ProjectId")
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, invalid("The parameter ProjectId %q must be a positive integer.", v)
	}
	p := s.projects[id]
	if p == nil {
		return nil, projectNotExists()
	}
	return p, nil
}

// call is the common shape of the four member actions: the project, the
// user, and (when the action takes one) a role code that must exist in the
// project.
type call struct {
	p    *project
	user string
	role dataworks.RoleCode
}

// parse checks the parameters in the order the service reports them: missing
// ones first, then the project, then the role.
func (s *Server) parse(r *fake.Request, roleRequired, roleAllowed bool) (call, error) {
	var c call
	var more []string
	if roleRequired {
		more = append(more, "RoleCode")
	}
	p, user, err := s.projectUser(r, more...)
	if err != nil {
		return c, err
	}
	c.p, c.user = p, user
	if code := r.Params.Get("RoleCode"); roleAllowed && code != "" {
		c.role = dataworks.RoleCode(code)
		if !slices.ContainsFunc(p.roles(), func(x role) bool { return x.Code == c.role }) {
			return c, invalid("The role %q does not exist in the project.", code)
		}
	}
	return c, nil
}

// projectUser checks what every member action of both versions starts
// with, in the order the service reports problems: a missing ProjectId,
// UserId or other required parameter first, then an unknown project.
func (s *Server) projectUser(r *fake.Request, more ...string) (*project, string, error) {
	for _, n := range append([]string{"ProjectId", "UserId"}, more...) {
		if _, err := required(r, n); err != nil {
			return nil, "", err
		}
	}
	p, err := s.projectOf(r)
	if err != nil {
		return nil, "", err
	}
	return p, r.Params.Get("UserId"), nil
}

func ack(r *fake.Request) any {
	return struct {
		RequestID string `json:"RequestId"`
	}{r.RequestID}
}

// AddProjectMemberToRole: ProjectId, RoleCode, UserId; ClientToken optional.
func (s *Server) addProjectMemberToRole(r *fake.Request) (any, error) {
	return s.changeRole(r, (*member).grant)
}

// RemoveProjectMemberFromRole: ProjectId, RoleCode, UserId.
func (s *Server) removeProjectMemberFromRole(r *fake.Request) (any, error) {
	return s.changeRole(r, (*member).revoke)
}

// changeRole applies change with the request's role to an existing member:
// granting and revoking differ only in that step.
func (s *Server) changeRole(r *fake.Request, change func(*member, dataworks.RoleCode)) (any, error) {
	c, err := s.parse(r, true, true)
	if err != nil {
		return nil, err
	}
	m := c.p.member(c.user)
	if m == nil {
		return nil, userNotInProject()
	}
	change(m, c.role)
	return ack(r), nil
}

// CreateProjectMember: ProjectId, UserId; RoleCode and ClientToken optional.
func (s *Server) createProjectMember(r *fake.Request) (any, error) {
	c, err := s.parse(r, false, true)
	if err != nil {
		return nil, err
	}
	if c.p.member(c.user) != nil {
		return nil, userAlreadyInProject()
	}
	m := c.p.add(c.user)
	if c.role != "" {
		m.grant(c.role)
	}
	return ack(r), nil
}

// DeleteProjectMember: ProjectId, UserId.
func (s *Server) deleteProjectMember(r *fake.Request) (any, error) {
	c, err := s.parse(r, false, false)
	if err != nil {
		return nil, err
	}
	if c.p.member(c.user) == nil {
		return nil, userNotInProject()
	}
	c.p.members = slices.DeleteFunc(c.p.members, func(m *member) bool { return m.userID == c.user })
	return ack(r), nil
}

// intParam reads an optional integer parameter within [lo, hi].
func intParam(r *fake.Request, name string, def, lo, hi int) (int, error) {
	v := r.Params.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalid("The parameter %s %q must be an integer from %d to %d.", name, v, lo, hi)
	}
	return n, nil
}

// ListProjectMembers: ProjectId; PageNumber and PageSize optional.
func (s *Server) listProjectMembers(r *fake.Request) (any, error) {
	p, err := s.projectOf(r)
	if err != nil {
		return nil, err
	}
	// The 2020-05-18 API documents PageNumber from 1 to 30, so a project
	// with more members than 30 pages hold cannot be listed in full here.
	number, err := intParam(r, "PageNumber", defaultPageNumber, 1, dataworks.MaxPageNumber)
	if err != nil {
		return nil, err
	}
	size, err := intParam(r, "PageSize", defaultPageSize, 1, dataworks.MaxPageSize)
	if err != nil {
		return nil, err
	}
	type memberWire struct {
		ID     string `json:"ProjectMemberId"`
		Name   string `json:"ProjectMemberName"`
		Nick   string `json:"Nick"`
		Type   string `json:"ProjectMemberType"`
		Status string `json:"Status"`
		Roles  []role `json:"ProjectRoleList"`
	}
	all := p.catalogue() // a member may hold a role only 2024-05-18 grants
	list := []memberWire{}
	start := (number - 1) * size
	for i, m := range p.members {
		if i < start || i >= start+size {
			continue
		}
		w := memberWire{ID: m.userID, Name: m.userID, Nick: m.userID,
			Type: string(dataworks.MemberTypeRAMUser), Status: string(dataworks.MemberStatusNormal), Roles: []role{}}
		for _, code := range m.roles {
			i := slices.IndexFunc(all, func(x role) bool { return x.Code == code })
			w.Roles = append(w.Roles, all[i])
		}
		list = append(list, w)
	}
	type data struct {
		PageNumber int          `json:"PageNumber"`
		PageSize   int          `json:"PageSize"`
		TotalCount int          `json:"TotalCount"`
		Members    []memberWire `json:"ProjectMemberList"`
	}
	return struct {
		RequestID string `json:"RequestId"`
		Data      data   `json:"Data"`
	}{r.RequestID, data{number, size, len(p.members), list}}, nil
}

// ListProjectRoles: ProjectId.
func (s *Server) listProjectRoles(r *fake.Request) (any, error) {
	p, err := s.projectOf(r)
	if err != nil {
		return nil, err
	}
	return struct {
		RequestID string `json:"RequestId"`
		Roles     []role `json:"ProjectRoleList"`
	}{r.RequestID, p.roles()}, nil
}
