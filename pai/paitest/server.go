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

// Option configures a Server.
type Option = fake.Option

// WithClock makes the server read the time from now instead of time.Now: for
// the x-acs-date check (requests more than 15 minutes away from it are
// refused), the nonce window and the creation times it reports.
func WithClock(now func() time.Time) Option { return fake.WithClock(now) }

// NewServer starts a fake PAI service with no workspaces. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{workspaces: map[string]*workspace{}, users: map[string]string{}}
	s.core = fake.New(fake.Service{
		Name: "paitest", Product: "AIWorkSpace", Versions: []string{pai.APIVersion},
		Operations: operations, Route: s.route,
	}, opts...)
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
// received, including those FailNext answered. It panics on an unknown name.
func (s *Server) RequestCount(operation string) int { return s.core.RequestCount(operation) }

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
