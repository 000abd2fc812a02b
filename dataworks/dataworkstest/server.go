// Package dataworkstest is an in-process fake of the DataWorks project-member
// API (DataWorks 2020-05-18 and 2024-05-18), for testing code that uses
// package dataworks or dataworks/v2024, or Alibaba's official Go SDK,
// without the network or an account.
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
// DataWorks is one service: the fake serves both API versions, chosen by
// x-acs-version, over the same projects and members, so a member added
// through one version is seen and changed through the other. Version
// 2024-05-18 sends its parameters as a form-encoded body, read as the
// gateway reads it (see handlers2024.go for its rules and codes). FailNext
// and RequestCount take an action name and cover both versions: a name both
// have (CreateProjectMember, DeleteProjectMember, ListProjectMembers,
// ListProjectRoles) is one action.
//
// Options to NewServer shape the service: WithCredentials sets the key pair
// it accepts (one pair, from the environment say, can then drive both
// fakes), WithLatency makes every answer wait as across a network,
// WithRateLimit throttles as the gateway does (ThrottledCount counts how
// often), and WithClock sets its clock. ZeroRoleEvents reports every time a
// request left a project member without a role.
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
// IDs 1 to 9 in the order of the dataworks.Role* constants; the 2024-only
// data analyst and data governance roles are IDs 10 and 11), and the custom
// roles AddProjectMember introduced (type "2", IDs from 1000). Members are
// listed in the order they joined, with ProjectMemberName and Nick equal to
// the user ID, ProjectMemberType "5" (RAM user) and Status "0" (normal);
// 2020-05-18 ListProjectMembers pages default to 1 and 10, and PageNumber
// above 30 is refused with 400 InvalidParameter, as documented.
//
// A Server is safe for concurrent use.
package dataworkstest

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
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

	// Guarded by the core's lock.
	projects  map[int64]*project
	zeroRoles []string // see ZeroRoleEvents
}

type project struct {
	members []*member            // in the order they joined
	custom  []dataworks.RoleCode // custom roles, from AddProjectMember
}

type member struct {
	userID string
	roles  []dataworks.RoleCode
}

// Option configures a Server; pass options to NewServer.
type Option struct{ core fake.Option }

// WithClock makes the server read the time from now instead of time.Now: for
// the x-acs-date check (requests more than 15 minutes away from it are
// refused), the nonce window and the rate limit of WithRateLimit.
func WithClock(now func() time.Time) Option { return Option{fake.WithClock(now)} }

// WithCredentials makes the server accept the key pair accessKeyID and
// accessKeySecret instead of a fresh random one, so that one set of
// credentials (read from the environment, say) can drive the fakes and the
// code under test alike. Credentials reports the pair. When either is empty
// the server keeps its random pair: a client signing with an empty ID or
// secret is refused, as the gateway would refuse it, and the server itself
// stays usable through Credentials.
func WithCredentials(accessKeyID, accessKeySecret string) Option {
	return Option{fake.WithKey(fake.KeyPair{AccessKeyID: accessKeyID, AccessKeySecret: accessKeySecret})}
}

// WithLatency makes every answer, errors included, wait d of wall time
// before it is written, as across a network. The request has acted by then:
// a client that gives up while waiting gets no answer, but its change
// stands, as a timed-out write may against the real service. Requests wait
// side by side, not one after another. d <= 0 means no wait.
func WithLatency(d time.Duration) Option { return Option{fake.WithLatency(d)} }

// WithRateLimit lets at most perSecond requests a second through, over the
// whole server, counted once they pass signature verification and name an
// operation. Above it the server answers as the gateway's flow control does:
// status 400, Code Throttling.User, Message "Request was denied due to user
// flow control.", and an x-ratelimit-user header whose TimeLeft says in
// milliseconds when the next request may pass; a throttled request does not
// act and does not use up a FailNext or a ClientToken. RequestCount counts
// throttled requests too, and ThrottledCount counts them alone. A full
// second's worth of requests may come at once after a quiet second. The
// limiter reads the server's clock, so with WithClock a clock that stands
// still never refills it: exactly perSecond requests pass until the clock
// moves. perSecond <= 0 means no limit.
func WithRateLimit(perSecond int) Option { return Option{fake.WithRateLimit(perSecond)} }

// WithBurst sets how many requests WithRateLimit lets through at once after
// a quiet spell; the default is one second's worth (perSecond). A smaller
// burst is a stricter gateway: with WithRateLimit(200) and WithBurst(20), no
// second ever sees more than 220 requests pass, so code under test must
// really pace itself. n <= 0 keeps the default.
func WithBurst(n int) Option { return Option{fake.WithBurst(n)} }

// coreOptions unwraps opts for the core; a zero Option does nothing.
func coreOptions(opts []Option) []fake.Option {
	out := make([]fake.Option, 0, len(opts))
	for _, o := range opts {
		if o.core != nil {
			out = append(out, o.core)
		}
	}
	return out
}

// NewServer starts a fake DataWorks service with no projects. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{projects: map[int64]*project{}}
	s.core = fake.New(fake.Service{
		Name: "dataworkstest", Product: "dataworks-public", Versions: []string{dataworks.APIVersion, version2024},
		Operations: slices.Concat(actions, actions2024), Route: s.routeWatched,
	}, coreOptions(opts)...)
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
// ListProjectMembers, ListProjectRoles, and of 2024-05-18 GetProjectMember,
// GrantMemberProjectRoles, RevokeMemberProjectRoles or GetProjectRole) that passes
// signature verification answer status with an error document carrying code,
// instead of acting. Calls queue up: two FailNext fail the next two calls.
// It panics on an unknown action.
func (s *Server) FailNext(action string, status int, code string) {
	s.core.FailNext(action, status, code)
}

// RequestCount returns how many signed requests for action the server has
// received, including those FailNext answered, ClientToken replays and those
// WithRateLimit throttled. It panics on an unknown action.
func (s *Server) RequestCount(action string) int { return s.core.RequestCount(action) }

// ThrottledCount returns how many requests WithRateLimit has throttled, over
// all actions.
func (s *Server) ThrottledCount() int { return s.core.ThrottledCount() }

// ZeroRoleEvents returns, in order, one "<ProjectId>/<UserId>" for every time
// a request left a member of a project holding no role: removing its last
// one (RemoveProjectMemberFromRole, RevokeMemberProjectRoles), or creating it
// without a role (CreateProjectMember of 2020-05-18 without RoleCode).
// Membership-sync tests use it to check that nobody was ever left in a
// project without a role along the way. Set-up through AddProjectMember
// records nothing, and deleting a member is not such a moment.
func (s *Server) ZeroRoleEvents() []string {
	var out []string
	s.core.Locked(func() { out = slices.Clone(s.zeroRoles) })
	return out
}

// routeWatched routes r as route does and has the operation record the
// moments ZeroRoleEvents reports. Every member action, in both API versions,
// names its member by ProjectId and UserId, so comparing that member's roles
// before and after the action finds them all without the handlers taking
// part. It runs under the core's lock, as every handler does.
func (s *Server) routeWatched(r *fake.Request) (*fake.Operation, error) {
	op, err := s.route(r)
	if err != nil {
		return nil, err
	}
	handle := op.Handle
	op.Handle = func(r *fake.Request) (any, error) {
		before := s.roleCount(r)
		out, err := handle(r)
		if err == nil && before != 0 && s.roleCount(r) == 0 {
			s.zeroRoles = append(s.zeroRoles, r.Params.Get("ProjectId")+"/"+r.Params.Get("UserId"))
		}
		return out, err
	}
	return op, nil
}

// roleCount returns how many roles the member named by r's ProjectId and
// UserId holds, or -1 when there is no such member.
func (s *Server) roleCount(r *fake.Request) int {
	id, err := strconv.ParseInt(r.Params.Get("ProjectId"), 10, 64)
	if err != nil || s.projects[id] == nil {
		return -1
	}
	m := s.projects[id].member(r.Params.Get("UserId"))
	if m == nil {
		return -1
	}
	return len(m.roles)
}

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
