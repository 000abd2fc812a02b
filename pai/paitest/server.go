// Package paitest is an in-process fake of the PAI workspace-member API
// (AIWorkSpace 2021-02-04), for testing code that uses package pai, or
// Alibaba's official Go SDK, without the network or an account.
//
//	srv := paitest.NewServer() // started; srv.URL is its base URL
//	defer srv.Close()
//	srv.AddWorkspace("ws-1")
//	srv.AddMember("ws-1", "user-1", pai.RoleWorkspaceAdmin)
//
//	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
//	...
//	srv.FailNext("CreateMember", 503, "ServiceUnavailable") // the next CreateMember fails so
//
// The fake is a real HTTP server on 127.0.0.1 that keeps real state
// (workspaces, members, roles) and checks requests as the gateway does:
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
//     path or method 404 InvalidAction.NotFound.
//   - Every reply carries a RequestId (in the body and the x-acs-request-id
//     header). Errors are the gateway's JSON document: RequestId, HostId,
//     Code, Message, Recommend.
//
// Options to NewServer shape the service: WithCredentials sets the key pair
// it accepts (one pair, from the environment say, can then drive both
// fakes), WithLatency makes every answer wait as across a network,
// WithRateLimit throttles as the gateway does (ThrottledCount counts how
// often), and WithClock sets its clock. ZeroRoleEvents reports every time a
// request left a member without a role.
//
// The operations behave as documented, with these codes:
//
//   - An unknown workspace: 404 100400008 (every operation under a workspace).
//   - GetMember, AddMemberRole, RemoveMemberRole and DeleteMembers naming a
//     member that does not exist: 404 100600006. DeleteMembers removes nothing
//     then.
//   - DeleteMembers including a member that holds PAI.WorkspaceOwner: status
//     200 with Code 100600017 and Message "Owner not allowed to delete" in the
//     body, as the documentation's sample shows; nothing is removed.
//   - CreateMember for a user who is already a member: 400
//     MemberAlreadyExists (the real code is not documented); nobody is added.
//   - A missing required parameter: 400 Missing<Name>, e.g. MissingMemberIds;
//     a malformed one (an unknown role name, a bad page number, both UserId
//     and MemberId on GetMember): 400 InvalidParameter.
//
// Member IDs are "<WorkspaceId>-<UserId>". Adding a role twice or removing
// one the member lacks succeeds without change. Roles keep the order they were
// given in; ListMembers lists in creation order. Members report MemberName,
// DisplayName and AccountName as the user's name (see AddUser; the user ID
// when none was given) and AccountType "5". ListWorkspaceUsers lists the
// users the fake knows (AddUser, and everyone ever added to a workspace) who
// are not members of the workspace. ListWorkspaces with Option
// GetResourceLimits returns an empty ResourceLimits object.
//
// A Server is safe for concurrent use.
package paitest

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/acsmembers/acsmembers-go/internal/fake"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/signer"
)

// operations are the operation names the fake serves.
var operations = []string{
	"CreateMember", "GetMember", "ListMembers", "DeleteMembers",
	"AddMemberRole", "RemoveMemberRole", "ListWorkspaceUsers",
	"GetWorkspace", "ListWorkspaces",
}

// Server is a running fake PAI service. URL (from the embedded
// httptest.Server) is its base URL, to use as pai.Options.Endpoint.
type Server struct {
	*httptest.Server
	core *fake.Core

	// Guarded by the core's lock.
	workspaces map[string]*workspace
	wsOrder    []*workspace
	users      map[string]string // user ID → user name
	userOrder  []string
	zeroRoles  []string // see ZeroRoleEvents
}

type workspace struct {
	id                string
	created, modified time.Time
	members           []*member // in creation order
}

type member struct {
	id, userID string
	roles      []pai.Role
	created    time.Time
}

// Option configures a Server; pass options to NewServer.
type Option struct{ core fake.Option }

// WithClock makes the server read the time from now instead of time.Now: for
// the x-acs-date check (requests more than 15 minutes away from it are
// refused), the nonce window, the rate limit of WithRateLimit and the
// creation times it reports.
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
// act and does not use up a FailNext. RequestCount counts throttled requests
// too, and ThrottledCount counts them alone. A full second's worth of
// requests may come at once after a quiet second. The limiter reads the
// server's clock, so with WithClock a clock that stands still never refills
// it: exactly perSecond requests pass until the clock moves. perSecond <= 0
// means no limit.
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

// NewServer starts a fake PAI service with no workspaces. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{workspaces: map[string]*workspace{}, users: map[string]string{}}
	s.core = fake.New(fake.Service{
		Name: "paitest", Product: "AIWorkSpace", Versions: []string{pai.APIVersion},
		Operations: operations, Route: s.route,
	}, coreOptions(opts)...)
	s.Server = s.core.Start()
	return s
}

// Credentials returns the only key pair the server accepts.
func (s *Server) Credentials() signer.CredentialsProvider { return s.core.Key().Provider() }

// AddWorkspace creates an empty workspace; adding an existing one does nothing.
func (s *Server) AddWorkspace(id string) {
	s.core.Locked(func() {
		if s.workspaces[id] != nil {
			return
		}
		now := s.core.Now().UTC()
		ws := &workspace{id: id, created: now, modified: now}
		s.workspaces[id] = ws
		s.wsOrder = append(s.wsOrder, ws)
	})
}

// AddUser makes a user known to the fake under a name: ListWorkspaceUsers
// offers them for workspaces they are not in, and their member records show
// the name. Users added as members are known without it, named by their ID.
func (s *Server) AddUser(userID, userName string) {
	s.core.Locked(func() { s.learnUser(userID, userName) })
}

// AddMember makes userID a member of the workspace with roles (added to those
// it has when it is a member already) and returns its member ID. Give it
// pai.RoleWorkspaceOwner to make the user the owner. It panics when the
// workspace does not exist.
func (s *Server) AddMember(workspaceID, userID string, roles ...pai.Role) (memberID string) {
	s.core.Locked(func() {
		ws := s.workspaces[workspaceID]
		if ws == nil {
			panic(fmt.Sprintf("paitest: AddMember: workspace %q does not exist; call AddWorkspace first", workspaceID))
		}
		m := ws.memberByUser(userID)
		if m == nil {
			m = s.addMember(ws, userID, nil, s.core.Now())
		}
		for _, r := range roles {
			m.grant(r)
		}
		memberID = m.id
	})
	return memberID
}

// FailNext makes the next call of operation (CreateMember, GetMember,
// ListMembers, DeleteMembers, AddMemberRole, RemoveMemberRole,
// ListWorkspaceUsers, GetWorkspace or ListWorkspaces) that passes
// signature verification answer status with an error document carrying code,
// instead of acting. Calls queue up: two FailNext fail the next two calls.
// It panics on an unknown operation name.
func (s *Server) FailNext(operation string, status int, code string) {
	s.core.FailNext(operation, status, code)
}

// RequestCount returns how many signed requests for operation the server has
// received, including those FailNext answered and those WithRateLimit
// throttled. It panics on an unknown name.
func (s *Server) RequestCount(operation string) int { return s.core.RequestCount(operation) }

// ThrottledCount returns how many requests WithRateLimit has throttled, over
// all operations.
func (s *Server) ThrottledCount() int { return s.core.ThrottledCount() }

// ZeroRoleEvents returns, in order, one "<WorkspaceId>/<UserId>" for every
// time a request left a member holding no role: RemoveMemberRole taking away
// its last one. Membership-sync tests use it to check that nobody was ever
// left in a workspace without a role along the way. Set-up through AddMember
// records nothing, and deleting a member is not such a moment.
func (s *Server) ZeroRoleEvents() []string {
	var out []string
	s.core.Locked(func() { out = slices.Clone(s.zeroRoles) })
	return out
}

// Member returns the current record of userID in the workspace, for
// assertions, and whether there is one.
func (s *Server) Member(workspaceID, userID string) (pai.Member, bool) {
	var out pai.Member
	var ok bool
	s.core.Locked(func() {
		ws := s.workspaces[workspaceID]
		if ws == nil {
			return
		}
		if m := ws.memberByUser(userID); m != nil {
			w := s.wire(m)
			out = pai.Member{
				MemberID: w.MemberID, UserID: w.UserID, MemberName: w.MemberName, DisplayName: w.DisplayName,
				AccountName: w.AccountName, AccountType: w.AccountType, Roles: slices.Clone(m.roles),
				CreateTime: m.created,
			}
			ok = true
		}
	})
	return out, ok
}

// learnUser records a user; a name given later replaces the default.
func (s *Server) learnUser(userID, name string) {
	if _, ok := s.users[userID]; !ok {
		s.userOrder = append(s.userOrder, userID)
	}
	if name != "" || s.users[userID] == "" {
		if name == "" {
			name = userID
		}
		s.users[userID] = name
	}
}

func (s *Server) addMember(ws *workspace, userID string, roles []pai.Role, now time.Time) *member {
	now = now.UTC().Truncate(time.Millisecond)
	m := &member{id: ws.id + "-" + userID, userID: userID, created: now}
	for _, r := range roles {
		m.grant(r)
	}
	ws.members = append(ws.members, m)
	ws.modified = now
	s.learnUser(userID, "")
	return m
}

func (ws *workspace) memberByUser(userID string) *member {
	for _, m := range ws.members {
		if m.userID == userID {
			return m
		}
	}
	return nil
}

func (ws *workspace) memberByID(id string) *member {
	for _, m := range ws.members {
		if m.id == id {
			return m
		}
	}
	return nil
}

func (ws *workspace) owner() *member {
	for _, m := range ws.members {
		if m.has(pai.RoleWorkspaceOwner) {
			return m
		}
	}
	return nil
}

func (m *member) has(r pai.Role) bool { return slices.Contains(m.roles, r) }

func (m *member) grant(r pai.Role) {
	if !m.has(r) {
		m.roles = append(m.roles, r)
	}
}

func (m *member) revoke(r pai.Role) {
	m.roles = slices.DeleteFunc(m.roles, func(x pai.Role) bool { return x == r })
}
