package compat

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	credentials "github.com/aliyun/credentials-go/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/signer"
)

const (
	testAK     = "LTAI5tCompatTestKey"
	testSecret = "compat-secret-0123456789"
	testToken  = "compat-sts-token/with+odd=chars"
)

// hostileIDs are identifiers that break a naively built URL: a path
// separator, query and fragment delimiters, a space, non-ASCII text, a bare
// percent sign and the characters that url.PathEscape and RFC 3986 disagree
// on. ".." is tested on its own (TestDotSegmentIDs): our SDK refuses it.
var hostileIDs = []string{"a/b", "x?y#z&w+v", "a b", "名字", "100%", "~*'()"}

// recorded is one request as the server received it.
type recorded struct {
	Method     string
	RequestURI string // escaped path and raw query, exactly as sent
	Host       string
	Header     http.Header
	Body       []byte
}

func (r recorded) rawPath() string {
	p, _, _ := strings.Cut(r.RequestURI, "?")
	return p
}

func (r recorded) rawQuery() string {
	_, q, _ := strings.Cut(r.RequestURI, "?")
	return q
}

// recorder is an httptest handler that keeps every request and answers with a
// small success body that both stacks can decode.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

// replies holds the success bodies, per action; "RequestId":"r" is in each.
var replies = map[string]string{
	"CreateMember":       `{"RequestId":"r","Members":[{"MemberId":"1-u","UserId":"u","DisplayName":"d","Roles":["PAI.AlgoDeveloper"]}]}`,
	"GetMember":          `{"RequestId":"r","MemberId":"1-u","UserId":"u","GmtCreateTime":"2021-01-21T17:12:35.232Z","Roles":["PAI.WorkspaceAdmin"]}`,
	"ListMembers":        `{"RequestId":"r","TotalCount":1,"Members":[{"MemberId":"1-u","UserId":"u"}]}`,
	"ListWorkspaceUsers": `{"RequestId":"r","TotalCount":1,"Users":[{"UserId":"u","UserName":"n"}]}`,
	"GetWorkspace":       `{"RequestId":"r","WorkspaceId":"1","ResourceGroupId":"rg","Owner":{"UserId":"u"}}`,
	"ListWorkspaces":     `{"RequestId":"r","TotalCount":1,"Workspaces":[{"WorkspaceId":"1","resourceGroupId":"rg"}]}`,
	"ListProjectMembers": `{"RequestId":"r","Data":{"PageNumber":1,"PageSize":10,"TotalCount":1,"ProjectMemberList":[{"ProjectMemberId":"u","ProjectRoleList":[{"ProjectRoleId":1,"ProjectRoleCode":"role_project_dev"}]}]}}`,
	"ListProjectRoles":   `{"RequestId":"r","ProjectRoleList":[{"ProjectRoleId":1,"ProjectRoleCode":"role_project_dev","ProjectRoleType":"0"}]}`,
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{
		Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: body,
	})
	rec.mu.Unlock()
	reply, ok := replies[r.Header.Get("x-acs-action")]
	if !ok {
		reply = `{"RequestId":"r"}`
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = io.WriteString(w, reply)
}

// take returns the one request received since the last take.
func (rec *recorder) take(t *testing.T) recorded {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.reqs, 1, "requests received")
	r := rec.reqs[0]
	rec.reqs = nil
	return r
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.reqs)
}

// harness runs one logical request through both stacks against one server.
type harness struct {
	rec      *recorder
	srv      *httptest.Server
	pai      *pai.Client
	dw       *dataworks.Client
	official *openapi.Client
	secrets  map[string]string // AccessKeyID → secret, for the verifier
}

func newHarness(t *testing.T, token string) *harness {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)

	creds := signer.StaticCredentials(testAK, testSecret, token)
	pc, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: creds, HTTPClient: srv.Client(), MaxAttempts: 1})
	require.NoError(t, err)
	dc, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: creds, HTTPClient: srv.Client(), MaxAttempts: 1})
	require.NoError(t, err)

	// The official client gets its credential from credentials-go, as
	// applications configure it: type access_key, or sts with a token.
	cc := &credentials.Config{Type: dara.String("access_key"), AccessKeyId: dara.String(testAK), AccessKeySecret: dara.String(testSecret)}
	if token != "" {
		cc.Type = dara.String("sts")
		cc.SecurityToken = dara.String(token)
	}
	cred, err := credentials.NewCredential(cc)
	require.NoError(t, err)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	oc, err := openapi.NewClient(&openapiutil.Config{
		Credential:     cred,
		Endpoint:       dara.String(u.Host), // host:port; the scheme comes from Protocol
		Protocol:       dara.String("http"),
		ReadTimeout:    dara.Int(10000),
		ConnectTimeout: dara.Int(5000),
	})
	require.NoError(t, err)
	return &harness{rec: rec, srv: srv, pai: pc, dw: dc, official: oc, secrets: map[string]string{testAK: testSecret}}
}

// callOurs sends req through our SDK and returns the RequestID it decoded.
func (h *harness) callOurs(ctx context.Context, req any) (string, error) {
	switch r := req.(type) {
	case *pai.CreateMemberRequest:
		out, err := h.pai.CreateMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.GetMemberRequest:
		out, err := h.pai.GetMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.ListMembersRequest:
		out, err := h.pai.ListMembers(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.DeleteMembersRequest:
		out, err := h.pai.DeleteMembers(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.AddMemberRoleRequest:
		out, err := h.pai.AddMemberRole(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.RemoveMemberRoleRequest:
		out, err := h.pai.RemoveMemberRole(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.ListWorkspaceUsersRequest:
		out, err := h.pai.ListWorkspaceUsers(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.GetWorkspaceRequest:
		out, err := h.pai.GetWorkspace(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *pai.ListWorkspacesRequest:
		out, err := h.pai.ListWorkspaces(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.AddProjectMemberToRoleRequest:
		out, err := h.dw.AddProjectMemberToRole(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.RemoveProjectMemberFromRoleRequest:
		out, err := h.dw.RemoveProjectMemberFromRole(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.CreateProjectMemberRequest:
		out, err := h.dw.CreateProjectMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.DeleteProjectMemberRequest:
		out, err := h.dw.DeleteProjectMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.ListProjectMembersRequest:
		out, err := h.dw.ListProjectMembers(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dataworks.ListProjectRolesRequest:
		out, err := h.dw.ListProjectRoles(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	}
	return "", fmt.Errorf("no SDK call for %T", req)
}

func reqID[T any](out *T, err error, id func() string) (string, error) {
	if err != nil {
		return "", err
	}
	return id(), nil
}

// callOfficial sends req through openapi.Client.CallApi as the generated
// client would.
func (h *harness) callOfficial(req any) (map[string]interface{}, error) {
	call, err := officialFor(req)
	if err != nil {
		return nil, err
	}
	return h.official.CallApi(call.params, call.req, &dara.RuntimeOptions{})
}

type wireCase struct {
	name string
	req  any
}

// wireCases lists every operation with ordinary inputs, then every
// operation again with each hostile ID in every string field that reaches
// the path, the query or the body.
func wireCases() []wireCase {
	cases := []wireCase{
		{"pai/CreateMember", &pai.CreateMemberRequest{WorkspaceID: "145883", Members: []pai.MemberSpec{
			{UserID: "215139260000088039", Roles: []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin}},
			{UserID: "215139260000088040", Roles: []pai.Role{pai.RoleWorkspaceGuest}},
		}}},
		{"pai/GetMember/UserId", &pai.GetMemberRequest{WorkspaceID: "145883", UserID: "215139260000088039"}},
		{"pai/GetMember/MemberId", &pai.GetMemberRequest{WorkspaceID: "145883", MemberID: "145883-215139260000088039"}},
		{"pai/ListMembers/none", &pai.ListMembersRequest{WorkspaceID: "145883"}},
		{"pai/ListMembers/all", &pai.ListMembersRequest{WorkspaceID: "145883", MemberName: "alice", UserID: "2151",
			Roles: []pai.Role{pai.RoleWorkspaceAdmin, pai.RoleAlgoOperator}, PageNumber: 3, PageSize: 50}},
		{"pai/DeleteMembers", &pai.DeleteMembersRequest{WorkspaceID: "145883", MemberIDs: []string{"145883-1", "145883-2"}}},
		{"pai/AddMemberRole", &pai.AddMemberRoleRequest{WorkspaceID: "145883", MemberID: "145883-1", Role: pai.RoleWorkspaceAdmin}},
		{"pai/RemoveMemberRole", &pai.RemoveMemberRoleRequest{WorkspaceID: "145883", MemberID: "145883-1", Role: pai.RoleLabelManager}},
		{"pai/ListWorkspaceUsers/none", &pai.ListWorkspaceUsersRequest{WorkspaceID: "145883"}},
		{"pai/ListWorkspaceUsers/all", &pai.ListWorkspaceUsersRequest{WorkspaceID: "145883", UserName: "bob", UserID: "2151"}},
		{"pai/GetWorkspace/verbose", &pai.GetWorkspaceRequest{WorkspaceID: "145883", Verbose: true}},
		{"pai/GetWorkspace/plain", &pai.GetWorkspaceRequest{WorkspaceID: "145883"}},
		{"pai/ListWorkspaces/none", &pai.ListWorkspacesRequest{}},
		{"pai/ListWorkspaces/status+paging", &pai.ListWorkspacesRequest{Status: pai.WorkspaceEnabled, PageNumber: 2, PageSize: 20}},
		{"pai/ListWorkspaces/limits", &pai.ListWorkspacesRequest{Option: "GetResourceLimits", ModuleList: []string{"PAI", "MaxCompute"}}},
		{"pai/ListWorkspaces/all", &pai.ListWorkspacesRequest{
			WorkspaceName: "ws", WorkspaceIDs: []string{"1", "2", "3"}, Status: pai.WorkspaceFrozen,
			ResourceGroupID: "rg-acfmwp7rky", UserID: "2151", ModuleList: []string{"PAI"}, Fields: []string{"Id"},
			Option: "GetWorkspaces", SortBy: "GmtModifiedTime", Order: "DESC", Verbose: true, PageNumber: 4, PageSize: 100,
		}},
		{"dw/AddProjectMemberToRole", &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1234", RoleCode: dataworks.RoleProjectGuest, ClientToken: "0f8e1c5a-2b7d-4c33-9a61-7d2e0c4b9f10"}},
		{"dw/RemoveProjectMemberFromRole", &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "1234", RoleCode: dataworks.RoleProjectDev}},
		{"dw/CreateProjectMember/role", &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1234", RoleCode: dataworks.RoleProjectAdmin, ClientToken: "tok-1"}},
		{"dw/CreateProjectMember/norole", &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1234", ClientToken: "tok-2"}},
		{"dw/DeleteProjectMember", &dataworks.DeleteProjectMemberRequest{ProjectID: 9007199254740993, UserID: "1234"}},
		{"dw/ListProjectMembers/none", &dataworks.ListProjectMembersRequest{ProjectID: 27}},
		{"dw/ListProjectMembers/paging", &dataworks.ListProjectMembersRequest{ProjectID: 27, PageNumber: 30, PageSize: 100}},
		{"dw/ListProjectRoles", &dataworks.ListProjectRolesRequest{ProjectID: 27}},
	}
	for _, h := range hostileIDs {
		cases = append(cases,
			wireCase{"pai/CreateMember/" + h, &pai.CreateMemberRequest{WorkspaceID: h, Members: []pai.MemberSpec{
				{UserID: h, Roles: []pai.Role{pai.Role(h), pai.RoleAlgoDeveloper}},
			}}},
			wireCase{"pai/GetMember/UserId/" + h, &pai.GetMemberRequest{WorkspaceID: h, UserID: h}},
			wireCase{"pai/GetMember/MemberId/" + h, &pai.GetMemberRequest{WorkspaceID: h, MemberID: h}},
			wireCase{"pai/ListMembers/" + h, &pai.ListMembersRequest{WorkspaceID: h, MemberName: h, UserID: h,
				Roles: []pai.Role{pai.Role(h), pai.RoleWorkspaceGuest}, PageNumber: 1, PageSize: 10}},
			wireCase{"pai/DeleteMembers/" + h, &pai.DeleteMembersRequest{WorkspaceID: h, MemberIDs: []string{h, "1-" + h}}},
			wireCase{"pai/AddMemberRole/" + h, &pai.AddMemberRoleRequest{WorkspaceID: h, MemberID: h, Role: pai.Role(h)}},
			wireCase{"pai/RemoveMemberRole/" + h, &pai.RemoveMemberRoleRequest{WorkspaceID: h, MemberID: h, Role: pai.Role(h)}},
			wireCase{"pai/ListWorkspaceUsers/" + h, &pai.ListWorkspaceUsersRequest{WorkspaceID: h, UserName: h, UserID: h}},
			wireCase{"pai/GetWorkspace/verbose/" + h, &pai.GetWorkspaceRequest{WorkspaceID: h, Verbose: true}},
			wireCase{"pai/GetWorkspace/plain/" + h, &pai.GetWorkspaceRequest{WorkspaceID: h}},
			wireCase{"pai/ListWorkspaces/" + h, &pai.ListWorkspacesRequest{WorkspaceName: h, WorkspaceIDs: []string{h, "7"},
				ResourceGroupID: h, UserID: h, Option: h, SortBy: h, Order: h, Status: pai.WorkspaceStatus(h)}},
			wireCase{"dw/AddProjectMemberToRole/" + h, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: h, RoleCode: dataworks.RoleCode(h), ClientToken: h}},
			wireCase{"dw/RemoveProjectMemberFromRole/" + h, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: h, RoleCode: dataworks.RoleCode(h)}},
			wireCase{"dw/CreateProjectMember/role/" + h, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: h, RoleCode: dataworks.RoleCode(h), ClientToken: h}},
			wireCase{"dw/CreateProjectMember/norole/" + h, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: h, ClientToken: h}},
			wireCase{"dw/DeleteProjectMember/" + h, &dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: h}},
		)
	}
	return cases
}

// TestWireMatchesOfficial sends each case through our SDK and through the
// official openapi.Client, and requires the two requests to be the same on
// the wire (method, path segments, query, body, signed x-acs headers,
// content-type) and both to carry a valid ACS3 signature.
func TestWireMatchesOfficial(t *testing.T) {
	for _, token := range []string{"", testToken} {
		name := "access_key"
		if token != "" {
			name = "sts"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, token)
			for _, tc := range wireCases() {
				t.Run(tc.name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					id, err := h.callOurs(ctx, tc.req)
					require.NoError(t, err, "our SDK")
					assert.Equal(t, "r", id, "our SDK decoded the RequestId")
					ours := h.rec.take(t)

					_, err = h.callOfficial(tc.req)
					require.NoError(t, err, "official stack")
					official := h.rec.take(t)

					compareWire(t, ours, official)
					assert.NoError(t, verifyACS3(ours, h.secrets, time.Now()), "our signature")
					assert.NoError(t, verifyACS3(official, h.secrets, time.Now()), "official signature")
				})
			}
		})
	}
}

// compareWire requires ours and official to be the same request for a server.
func compareWire(t *testing.T, ours, official recorded) {
	t.Helper()
	assert.Equal(t, official.Method, ours.Method, "method")
	assert.Equal(t, official.Host, ours.Host, "host")

	// Each ID must land in the same segment, whichever escaping was used.
	assert.Equal(t, pathSegments(t, official.rawPath()), pathSegments(t, ours.rawPath()), "decoded path segments")
	assert.Equal(t, official.rawPath(), ours.rawPath(), "escaped path")

	// The official stack sends url.Values form (space as "+"); we send the
	// canonical query. What the server decodes must be the same multiset.
	assert.Equal(t, decodedQuery(t, official.rawQuery()), decodedQuery(t, ours.rawQuery()), "decoded query")
	assert.Equal(t, signer.CanonicalQuery(ours.rawQuery()), ours.rawQuery(), "our query is sent in canonical form")

	assert.Equal(t, string(official.Body), string(ours.Body), "body")
	assert.Equal(t, official.Header.Values("Content-Type"), ours.Header.Values("Content-Type"), "content-type")

	// Every x-acs-* header by name; by value too except those that are
	// per-request (date, nonce).
	on, oo := acsHeaders(official.Header), acsHeaders(ours.Header)
	assert.Equal(t, slices.Sorted(maps.Keys(on)), slices.Sorted(maps.Keys(oo)), "x-acs-* header names")
	for k, v := range on {
		if k == "x-acs-date" || k == "x-acs-signature-nonce" {
			continue
		}
		assert.Equal(t, v, oo[k], "header %s", k)
	}
	oa, err := parseAuthorization(official.Header.Get("Authorization"))
	require.NoError(t, err, "official Authorization")
	ua, err := parseAuthorization(ours.Header.Get("Authorization"))
	require.NoError(t, err, "our Authorization")
	assert.Equal(t, oa.credential, ua.credential, "Authorization Credential")
	assert.Equal(t, oa.signedHeaders, ua.signedHeaders, "Authorization SignedHeaders")
}

// pathSegments splits an escaped path at its literal slashes and decodes
// each segment on its own, so an escaped "/" stays inside its segment.
func pathSegments(t *testing.T, escaped string) []string {
	t.Helper()
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		require.NoError(t, err, "segment %q", p)
		parts[i] = d
	}
	return parts
}

// decodedQuery is the query as a server decodes it, values sorted per name.
func decodedQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	require.NoError(t, err, "query %q", raw)
	for _, vals := range v {
		slices.Sort(vals)
	}
	return v
}

// acsHeaders returns the x-acs-* headers by lower-case name.
func acsHeaders(h http.Header) map[string][]string {
	out := map[string][]string{}
	for k, v := range h {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-acs-") {
			out[lk] = append(out[lk], v...)
		}
	}
	return out
}

// authorization is a parsed ACS3 Authorization header.
type authorization struct {
	algorithm, credential, signedHeaders, signature string
}

func parseAuthorization(v string) (authorization, error) {
	alg, rest, ok := strings.Cut(v, " ")
	if !ok {
		return authorization{}, fmt.Errorf("authorization %q has no algorithm", v)
	}
	a := authorization{algorithm: alg}
	for _, part := range strings.Split(rest, ",") {
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return authorization{}, fmt.Errorf("authorization part %q has no value", part)
		}
		switch k {
		case "Credential":
			a.credential = val
		case "SignedHeaders":
			a.signedHeaders = val
		case "Signature":
			a.signature = val
		default:
			return authorization{}, fmt.Errorf("authorization has unknown part %q", k)
		}
	}
	if a.credential == "" || a.signedHeaders == "" || a.signature == "" {
		return authorization{}, fmt.Errorf("authorization %q is incomplete", v)
	}
	return a, nil
}

// verifyACS3 checks a received request's signature the way the V3 document
// describes it, built from our signer's exported steps: the canonical request
// is made from what arrived (decoded and re-encoded path and query, the
// headers named in SignedHeaders, the hash of the received body), and the
// signature recomputed with the secret of the AccessKey in Credential.
func verifyACS3(r recorded, secrets map[string]string, now time.Time) error {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	if a.algorithm != signer.Algorithm {
		return fmt.Errorf("algorithm %q", a.algorithm)
	}
	secret, ok := secrets[a.credential]
	if !ok {
		return fmt.Errorf("unknown AccessKey %q", a.credential)
	}
	signed := strings.Split(a.signedHeaders, ";")
	for _, must := range []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"} {
		if !slices.Contains(signed, must) {
			return fmt.Errorf("%s is not signed", must)
		}
	}
	// Every x-acs-* header and content-type that arrived must be signed, or
	// a proxy could change it unnoticed.
	subset := http.Header{}
	for k, v := range r.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-acs-") || lk == "content-type" {
			if !slices.Contains(signed, lk) {
				return fmt.Errorf("header %s arrived unsigned", lk)
			}
		}
		if slices.Contains(signed, lk) {
			subset[k] = v
		}
	}
	canonHeaders, signedList := signer.CanonicalHeaders(subset, r.Host)
	if signedList != a.signedHeaders {
		return fmt.Errorf("signed headers %q arrived as %q", a.signedHeaders, signedList)
	}
	payloadHash := signer.HashPayload(r.Body)
	if got := r.Header.Get("x-acs-content-sha256"); got != payloadHash {
		return fmt.Errorf("x-acs-content-sha256 %q, body hashes to %q", got, payloadHash)
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return fmt.Errorf("x-acs-date: %w", err)
	}
	if d := now.Sub(date); d > 15*time.Minute || d < -15*time.Minute {
		return fmt.Errorf("x-acs-date %v is %v from now", date, d)
	}
	canonical := strings.Join([]string{
		r.Method,
		signer.CanonicalURI(r.rawPath()),
		signer.CanonicalQuery(r.rawQuery()),
		canonHeaders,
		signedList,
		payloadHash,
	}, "\n")
	want := signer.Signature(secret, signer.StringToSign(canonical))
	if !hmac.Equal([]byte(want), []byte(a.signature)) {
		return fmt.Errorf("signature mismatch: canonical request\n%s", canonical)
	}
	return nil
}

// TestVerifierKnownAnswer proves the verifier follows the document: it
// accepts the official V3 example request (SIGNING.md §2.1) and rejects the
// same request with any one part changed.
func TestVerifierKnownAnswer(t *testing.T) {
	doc := recorded{
		Method:     "POST",
		RequestURI: "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
		Host:       "ecs.cn-shanghai.aliyuncs.com",
		Header: http.Header{
			"X-Acs-Action":          {"RunInstances"},
			"X-Acs-Version":         {"2014-05-26"},
			"X-Acs-Date":            {"2023-10-26T10:22:32Z"},
			"X-Acs-Signature-Nonce": {"3156853299f313e23d1673dc12e1703d"},
			"X-Acs-Content-Sha256":  {signer.EmptyPayloadHash},
			"Authorization": {"ACS3-HMAC-SHA256 Credential=YourAccessKeyId," +
				"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
				"Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"},
			"User-Agent": {"not signed"},
		},
	}
	secrets := map[string]string{"YourAccessKeyId": "YourAccessKeySecret"}
	at := time.Date(2023, 10, 26, 10, 22, 40, 0, time.UTC)
	require.NoError(t, verifyACS3(doc, secrets, at))

	// The same query in url.Values form (what the official stack sends) also verifies.
	plus := doc
	plus.RequestURI = "/?RegionId=cn-shanghai&ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"
	require.NoError(t, verifyACS3(plus, secrets, at))

	tamper := map[string]func(r *recorded, secrets map[string]string){
		"method": func(r *recorded, _ map[string]string) { r.Method = "GET" },
		"path":   func(r *recorded, _ map[string]string) { r.RequestURI = "/x" + r.RequestURI[1:] },
		"query value": func(r *recorded, _ map[string]string) {
			r.RequestURI = strings.Replace(r.RequestURI, "shanghai", "hangzhou", 1)
		},
		"host":          func(r *recorded, _ map[string]string) { r.Host = "ecs.cn-hangzhou.aliyuncs.com" },
		"signed header": func(r *recorded, _ map[string]string) { r.Header.Set("X-Acs-Action", "StopInstances") },
		"body":          func(r *recorded, _ map[string]string) { r.Body = []byte("x") },
		"unsigned acs":  func(r *recorded, _ map[string]string) { r.Header.Set("X-Acs-Extra", "1") },
		"wrong secret":  func(_ *recorded, s map[string]string) { s["YourAccessKeyId"] = "other" },
		"stale date":    func(r *recorded, _ map[string]string) { r.Header.Set("X-Acs-Date", "2023-10-26T09:00:00Z") },
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			r := doc
			r.Header = doc.Header.Clone()
			s := map[string]string{"YourAccessKeyId": "YourAccessKeySecret"}
			change(&r, s)
			assert.Error(t, verifyACS3(r, s, at))
		})
	}
}

// TestDotSegmentIDs records a deliberate difference: our SDK refuses "." and
// ".." as IDs before sending anything, while the official stack sends them as
// a literal dot segment (dara.PercentEncode leaves dots alone), which a
// server or proxy that normalises paths resolves to a different resource.
func TestDotSegmentIDs(t *testing.T) {
	h := newHarness(t, "")
	ctx := context.Background()
	reqs := []any{
		&pai.CreateMemberRequest{WorkspaceID: "..", Members: []pai.MemberSpec{{UserID: "u", Roles: []pai.Role{pai.RoleWorkspaceGuest}}}},
		&pai.GetMemberRequest{WorkspaceID: "1", UserID: ".."},
		&pai.AddMemberRoleRequest{WorkspaceID: "1", MemberID: "..", Role: pai.RoleWorkspaceAdmin},
		&pai.RemoveMemberRoleRequest{WorkspaceID: "1", MemberID: "1-u", Role: ".."},
		&pai.GetWorkspaceRequest{WorkspaceID: ".."},
		&dataworks.DeleteProjectMemberRequest{ProjectID: 27, UserID: ".."},
	}
	for _, req := range reqs {
		t.Run(fmt.Sprintf("%T", req), func(t *testing.T) {
			_, err := h.callOurs(ctx, req)
			var verr *acserrors.ValidationError
			require.True(t, errors.As(err, &verr), "want a ValidationError, got %v", err)
			assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
			assert.Zero(t, h.rec.count(), "our SDK sent nothing")

			_, err = h.callOfficial(req)
			require.NoError(t, err)
			official := h.rec.take(t)
			if call, _ := officialFor(req); dara.StringValue(call.params.Style) == "ROA" && strings.Contains(dara.StringValue(call.params.Pathname), "/..") {
				assert.Contains(t, official.rawPath()+"/", "/../", "the official stack sends a literal dot segment")
			}
		})
	}
}

// TestGeneratedClientToken records a deliberate difference: with no
// ClientToken, the official generated client sends none, while our SDK sends
// a fresh UUID so that its retries stay idempotent (DESIGN.md). Everything
// else about the request is the same.
func TestGeneratedClientToken(t *testing.T) {
	h := newHarness(t, "")
	ctx := context.Background()
	for _, req := range []any{
		&dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1234", RoleCode: dataworks.RoleProjectDev},
		&dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1234"},
	} {
		t.Run(fmt.Sprintf("%T", req), func(t *testing.T) {
			_, err := h.callOurs(ctx, req)
			require.NoError(t, err)
			ours := h.rec.take(t)
			_, err = h.callOfficial(req)
			require.NoError(t, err)
			official := h.rec.take(t)

			oq, uq := decodedQuery(t, official.rawQuery()), decodedQuery(t, ours.rawQuery())
			assert.NotContains(t, oq, "ClientToken", "official sends no token of its own")
			require.Len(t, uq["ClientToken"], 1)
			assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, uq["ClientToken"][0])
			uq.Del("ClientToken")
			assert.Equal(t, oq, uq, "rest of the query")
			assert.NoError(t, verifyACS3(ours, h.secrets, time.Now()))
		})
	}
}
