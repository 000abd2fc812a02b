// Package dataworkstest is an in-process fake of the DataWorks project-member
// API (DataWorks 2020-05-18), for testing code that uses package dataworks,
// or Alibaba's official Go SDK, without the network or an account.
//
//	srv := dataworkstest.NewServer() // started; srv.URL is its base URL
//	defer srv.Close()
//	srv.AddProject(27)
//	srv.AddProjectMember(27, "user-1", dataworks.RoleProjectDev)
//
//	client, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
//	...
//	srv.FailNext("AddProjectMemberToRole", 503, "ServiceUnavailable") // the next call fails so
//
// The fake is a real HTTP server on 127.0.0.1 that keeps real state
// (projects, members, roles) and checks requests as the gateway does:
//
//   - Every request must carry a valid ACS3-HMAC-SHA256 signature made with
//     the key pair of Credentials (the only one accepted; its AccessKeyId and
//     secret can be read with Credentials().Retrieve to configure another
//     client). A wrong secret gives 400 SignatureDoesNotMatch, another
//     AccessKeyId 404 InvalidAccessKeyId.NotFound, a reused nonce 400
//     SignatureNonceUsed, an x-acs-date more than 15 minutes from the server
//     clock 400 InvalidTimeStamp.Expired, a missing or garbled Authorization
//     400 IncompleteSignature, another x-acs-version 400 InvalidVersion, an
//     STS token 400 InvalidSecurityToken.MismatchWithAccessKey, and an unknown
//     action (or a path other than "/") 404 InvalidAction.NotFound.
//   - The action is the x-acs-action header; parameters are read from the
//     query (and from a form-encoded body, should one be sent).
//   - Every reply carries a RequestId (in the body and the x-acs-request-id
//     header). Errors are the gateway's JSON document: RequestId, HostId,
//     Code, Message, Recommend.
//
// The operations behave as documented, with the documented codes:
//
//   - An unknown project: 400 Invalid.Tenant.ProjectNotExists.
//   - AddProjectMemberToRole, RemoveProjectMemberFromRole and
//     DeleteProjectMember for a user outside the project: 400
//     Invalid.Tenant.UserNotInProject.
//   - CreateProjectMember for a user already in the project: 400
//     Invalid.Tenant.UserAlreadyInProject.
//   - A missing required parameter: 400 Missing<Name>, e.g. MissingProjectId;
//     a malformed one (a ProjectId that is not a positive integer, an unknown
//     role code, a PageSize over 100): 400 InvalidParameter.
//   - AddProjectMemberToRole and CreateProjectMember honour ClientToken: the
//     same token with the same parameters returns the first successful reply,
//     RequestId included, without acting again; with other parameters it is
//     refused with 400 IdempotentParameterMismatch.
//
// Granting a role twice or removing one the member lacks succeeds without
// change. Every project has the built-in roles of ListProjectRoles (type "0",
// IDs 1 to 9 in the order of the dataworks.Role* constants), and the custom
// roles AddProjectMember introduced (type "2", IDs from 1000). Members are
// listed in the order they joined, with ProjectMemberName and Nick equal to
// the user ID, ProjectMemberType "5" (RAM user) and Status "0" (normal);
// ListProjectMembers pages default to 1 and 10.
//
// A Server is safe for concurrent use.
package dataworkstest

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/internal/fake"
	"github.com/acsmembers/acsmembers-go/signer"
)

// actions are the actions the fake serves.
var actions = []string{
	"AddProjectMemberToRole", "RemoveProjectMemberFromRole", "CreateProjectMember",
	"DeleteProjectMember", "ListProjectMembers", "ListProjectRoles",
}

// Server is a running fake DataWorks service. URL (from the embedded
// httptest.Server) is its base URL, to use as dataworks.Options.Endpoint.
type Server struct {
	*httptest.Server
	core *fake.Core

	projects map[int64]*project // guarded by the core's lock
}

type project struct {
	members []*member            // in the order they joined
	custom  []dataworks.RoleCode // custom roles, from AddProjectMember
}

type member struct {
	userID string
	roles  []dataworks.RoleCode
}

// Option configures a Server.
type Option = fake.Option

// WithClock makes the server read the time from now instead of time.Now: for
// the x-acs-date check (requests more than 15 minutes away from it are
// refused) and the nonce window.
func WithClock(now func() time.Time) Option { return fake.WithClock(now) }

// NewServer starts a fake DataWorks service with no projects. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{projects: map[int64]*project{}}
	s.core = fake.New(fake.Service{
		Name: "dataworkstest", Product: "dataworks-public", Versions: []string{dataworks.APIVersion},
		Operations: actions, Route: s.route,
	}, opts...)
	s.Server = s.core.Start()
	return s
}

// Credentials returns the only key pair the server accepts.
func (s *Server) Credentials() signer.CredentialsProvider { return s.core.Key().Provider() }

// AddProject creates a project with no members; adding an existing one does
// nothing.
func (s *Server) AddProject(id int64) {
	s.core.Locked(func() {
		if s.projects[id] == nil {
			s.projects[id] = &project{}
		}
	})
}

// AddProjectMember makes userID a member of the project with roles (added to
// those it has when it is a member already). A code that is not a built-in
// role becomes a custom role of the project: ListProjectRoles lists it (type
// "2") and the API can grant and revoke it. It panics when the project does
// not exist.
func (s *Server) AddProjectMember(projectID int64, userID string, roles ...dataworks.RoleCode) {
	s.core.Locked(func() {
		p := s.projects[projectID]
		if p == nil {
			panic(fmt.Sprintf("dataworkstest: AddProjectMember: project %d does not exist; call AddProject first", projectID))
		}
		m := p.member(userID)
		if m == nil {
			m = p.add(userID)
		}
		for _, r := range roles {
			if !isBuiltin(r) && !slices.Contains(p.custom, r) {
				p.custom = append(p.custom, r)
			}
			m.grant(r)
		}
	})
}

// FailNext makes the next call of action (AddProjectMemberToRole,
// RemoveProjectMemberFromRole, CreateProjectMember, DeleteProjectMember,
// ListProjectMembers or ListProjectRoles) that passes
// signature verification answer status with an error document carrying code,
// instead of acting. Calls queue up: two FailNext fail the next two calls.
// It panics on an unknown action.
func (s *Server) FailNext(action string, status int, code string) {
	s.core.FailNext(action, status, code)
}

// RequestCount returns how many signed requests for action the server has
// received, including those FailNext answered and ClientToken replays. It
// panics on an unknown action.
func (s *Server) RequestCount(action string) int { return s.core.RequestCount(action) }

// MemberRoles returns the roles userID holds in the project, for assertions,
// and whether the user is a member at all.
func (s *Server) MemberRoles(projectID int64, userID string) ([]dataworks.RoleCode, bool) {
	var roles []dataworks.RoleCode
	var ok bool
	s.core.Locked(func() {
		if p := s.projects[projectID]; p != nil {
			if m := p.member(userID); m != nil {
				roles, ok = slices.Clone(m.roles), true
			}
		}
	})
	return roles, ok
}

func (p *project) member(userID string) *member {
	for _, m := range p.members {
		if m.userID == userID {
			return m
		}
	}
	return nil
}

func (p *project) add(userID string) *member {
	m := &member{userID: userID}
	p.members = append(p.members, m)
	return m
}

func (m *member) grant(r dataworks.RoleCode) {
	if !slices.Contains(m.roles, r) {
		m.roles = append(m.roles, r)
	}
}

func (m *member) revoke(r dataworks.RoleCode) {
	m.roles = slices.DeleteFunc(m.roles, func(x dataworks.RoleCode) bool { return x == r })
}
