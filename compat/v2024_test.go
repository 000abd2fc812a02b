package compat

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	dw2024 "github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// This file checks package dataworks/v2024 against the official stack. The
// generated 2024-05-18 product client is not served by the module proxy
// here, so, as official_test.go does for 2020-05-18, official2024For
// rebuilds what it hands to openapi.Client.CallApi (reference/API.md §9): a
// Params block with Style RPC and ReqBodyType formData, the parameters in a
// Body map (lists "shrunk" to one JSON string with
// openapiutil.ArrayToStringWithSpecifiedStyle(list, name, "json"), set only
// when not nil), and GetProjectRole's parameters in the query. The bodies are
// also pinned to the ones API.md §9 captured from the real generated client,
// so the rebuilt builder cannot drift unnoticed.

// The bodies API.md §9 captured from the official 2024-05-18 client.
const (
	captured2024Grant = "ProjectId=27&RoleCodes=%5B%22role_project_dev%22%2C%22role_project_pe%22%5D&UserId=123"
	captured2024List  = "PageNumber=1&PageSize=100&ProjectId=27&RoleCodes=%5B%22role_project_dev%22%5D&UserIds=%5B%22123%22%5D"
)

// rpc2024Params is the Params block of every 2024-05-18 operation.
func rpc2024Params(action string) *openapiutil.Params {
	p := rpcParams(action)
	p.Version = dara.String(dw2024.APIVersion)
	return p
}

// shrink is the generated client's handling of a list field: nil stays
// unset, anything else becomes one JSON string.
func shrink[S ~string](name string, items []S) *string {
	if items == nil {
		return nil
	}
	ps := make([]*string, len(items))
	for i, s := range items {
		ps[i] = dara.String(string(s))
	}
	return openapiutil.ArrayToStringWithSpecifiedStyle(ps, dara.String(name), dara.String("json"))
}

// formRequest is a generated client's Body map, set fields only, as
// `if !dara.IsNil(request.X) { body["X"] = request.X }` builds it.
func formRequest(fields map[string]interface{}) *openapiutil.OpenApiRequest {
	body := map[string]interface{}{}
	for k, v := range fields {
		if !dara.IsNil(v) {
			body[k] = v
		}
	}
	return &openapiutil.OpenApiRequest{Body: openapiutil.ParseToMap(body)}
}

// official2024For returns what the generated 2024-05-18 client passes to
// CallApi for req, one of the v2024 request types.
func official2024For(req any) (officialCall, error) {
	switch r := req.(type) {
	case *dw2024.CreateProjectMemberRequest:
		return officialCall{rpc2024Params("CreateProjectMember"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserId": set(r.UserID), "RoleCodes": shrink("RoleCodes", r.RoleCodes),
		})}, nil
	case *dw2024.GrantMemberProjectRolesRequest:
		return officialCall{rpc2024Params("GrantMemberProjectRoles"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserId": set(r.UserID), "RoleCodes": shrink("RoleCodes", r.RoleCodes),
		})}, nil
	case *dw2024.RevokeMemberProjectRolesRequest:
		return officialCall{rpc2024Params("RevokeMemberProjectRoles"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserId": set(r.UserID), "RoleCodes": shrink("RoleCodes", r.RoleCodes),
		})}, nil
	case *dw2024.DeleteProjectMemberRequest:
		return officialCall{rpc2024Params("DeleteProjectMember"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserId": set(r.UserID),
		})}, nil
	case *dw2024.GetProjectMemberRequest:
		return officialCall{rpc2024Params("GetProjectMember"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserId": set(r.UserID),
		})}, nil
	case *dw2024.ListProjectMembersRequest:
		return officialCall{rpc2024Params("ListProjectMembers"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "UserIds": shrink("UserIds", r.UserIDs), "RoleCodes": shrink("RoleCodes", r.RoleCodes),
			"PageNumber": setInt32(r.PageNumber), "PageSize": setInt32(r.PageSize),
		})}, nil
	case *dw2024.ListProjectRolesRequest:
		return officialCall{rpc2024Params("ListProjectRoles"), formRequest(map[string]interface{}{
			"ProjectId": &r.ProjectID, "Codes": shrink("Codes", r.Codes), "Names": shrink("Names", r.Names),
			"Type": set(string(r.Type)), "PageNumber": setInt32(r.PageNumber), "PageSize": setInt32(r.PageSize),
		})}, nil
	case *dw2024.GetProjectRoleRequest:
		q := query{}
		q.put("Code", set(string(r.Code)))
		q.put("ProjectId", &r.ProjectID)
		return officialCall{rpc2024Params("GetProjectRole"), q.rpcRequest()}, nil
	}
	return officialCall{}, fmt.Errorf("no official 2024-05-18 builder for %T", req)
}

// call2024 sends req through our v2024 client and returns the RequestID.
func call2024(ctx context.Context, c *dw2024.Client, req any) (string, error) {
	switch r := req.(type) {
	case *dw2024.CreateProjectMemberRequest:
		out, err := c.CreateProjectMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.GrantMemberProjectRolesRequest:
		out, err := c.GrantMemberProjectRoles(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.RevokeMemberProjectRolesRequest:
		out, err := c.RevokeMemberProjectRoles(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.DeleteProjectMemberRequest:
		out, err := c.DeleteProjectMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.GetProjectMemberRequest:
		out, err := c.GetProjectMember(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.ListProjectMembersRequest:
		out, err := c.ListProjectMembers(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.ListProjectRolesRequest:
		out, err := c.ListProjectRoles(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	case *dw2024.GetProjectRoleRequest:
		out, err := c.GetProjectRole(ctx, r)
		return reqID(out, err, func() string { return out.RequestID })
	}
	return "", fmt.Errorf("no v2024 call for %T", req)
}

// replies2024 are success bodies for the 2024-only reads, which our client
// refuses to take as empty; every other action gets the recorder's reply.
var replies2024 = map[string]string{
	"GetProjectMember": `{"RequestId":"r","ProjectMember":{"ProjectId":27,"UserId":"u","Status":"Normal","Roles":[]}}`,
	"GetProjectRole":   `{"RequestId":"r","ProjectRole":{"ProjectId":27,"Code":"c","Type":"System"}}`,
}

// recorder2024 records as recorder does and answers from replies2024 first.
type recorder2024 struct{ *recorder }

func (rec recorder2024) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reply, ok := replies2024[r.Header.Get("x-acs-action")]
	if !ok {
		rec.recorder.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: body})
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = io.WriteString(w, reply)
}

// newHarness2024 is newHarness for 2024-05-18: one recording server, our
// v2024 client and the official client, both signing with the test key (and
// token, when not empty).
func newHarness2024(t *testing.T, token string) (*harness, *dw2024.Client) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(recorder2024{rec})
	t.Cleanup(srv.Close)
	c, err := dw2024.New(dw2024.Options{Endpoint: srv.URL, Credentials: signer.StaticCredentials(testAK, testSecret, token),
		HTTPClient: srv.Client(), MaxAttempts: 1})
	require.NoError(t, err)
	cc := accessKeyConfig(testAK, testSecret)
	if token != "" {
		cc.Type = dara.String("sts")
		cc.SecurityToken = dara.String(token)
	}
	h := &harness{rec: rec, srv: srv, official: officialAgainst(t, srv.URL, cc), secrets: map[string]string{testAK: testSecret}}
	return h, c
}

func wire2024Cases() []wireCase {
	dev := []dataworks.RoleCode{dataworks.RoleProjectDev}
	devPE := []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}
	cases := []wireCase{
		{"CreateProjectMember", &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "123", RoleCodes: devPE}},
		{"GrantMemberProjectRoles", &dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "123", RoleCodes: devPE}},
		{"RevokeMemberProjectRoles", &dw2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "123", RoleCodes: dev}},
		{"DeleteProjectMember", &dw2024.DeleteProjectMemberRequest{ProjectID: 9007199254740993, UserID: "123"}},
		{"GetProjectMember", &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "205998477617405434"}},
		{"ListProjectMembers/captured", &dw2024.ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{"123"}, RoleCodes: dev, PageNumber: 1, PageSize: 100}},
		{"ListProjectMembers/none", &dw2024.ListProjectMembersRequest{ProjectID: 27}},
		{"ListProjectMembers/empty lists", &dw2024.ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{}, RoleCodes: []dataworks.RoleCode{}}},
		{"ListProjectRoles/all", &dw2024.ListProjectRolesRequest{ProjectID: 27, Codes: devPE, Names: []string{"Developer", "O&M"},
			Type: dw2024.RoleTypeSystem, PageNumber: 2, PageSize: 10}},
		{"ListProjectRoles/none", &dw2024.ListProjectRolesRequest{ProjectID: 27}},
		{"GetProjectRole", &dw2024.GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleProjectGuest}},
	}
	odd := append([]string{`say "hi"`, `back\slash`, "<b>&amp;</b>"}, hostileIDs...)
	for _, h := range odd {
		codes := []dataworks.RoleCode{dataworks.RoleCode(h), dataworks.RoleProjectDev}
		cases = append(cases,
			wireCase{"CreateProjectMember/" + h, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: h, RoleCodes: codes}},
			wireCase{"GrantMemberProjectRoles/" + h, &dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: h, RoleCodes: codes}},
			wireCase{"RevokeMemberProjectRoles/" + h, &dw2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: h, RoleCodes: codes}},
			wireCase{"DeleteProjectMember/" + h, &dw2024.DeleteProjectMemberRequest{ProjectID: 27, UserID: h}},
			wireCase{"GetProjectMember/" + h, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: h}},
			wireCase{"ListProjectMembers/" + h, &dw2024.ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{h, "1"}, RoleCodes: codes}},
			wireCase{"ListProjectRoles/" + h, &dw2024.ListProjectRolesRequest{ProjectID: 27, Codes: codes, Names: []string{h}, Type: dw2024.RoleType(h)}},
			wireCase{"GetProjectRole/" + h, &dw2024.GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleCode(h)}},
		)
	}
	return cases
}

// officialAuthorizationOf signs a received request again with the official
// stack's own ACS3 routine, openapiutil.GetAuthorization, from what arrived:
// method, path, decoded query, every header it signs (x-acs-*, host,
// content-type) and the hash of the body. Equal to the Authorization that
// came with the request, it proves the official verifier accepts it.
func officialAuthorizationOf(t *testing.T, r recorded, secret string) string {
	t.Helper()
	h := map[string]*string{"host": dara.String(r.Host)}
	for k, v := range r.Header {
		h[strings.ToLower(k)] = dara.String(v[0])
	}
	q := map[string]*string{}
	for k, v := range decodedQuery(t, r.rawQuery()) {
		q[k] = dara.String(v[0])
	}
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	require.NoError(t, err)
	req := &dara.Request{Method: dara.String(r.Method), Pathname: dara.String(r.rawPath()), Query: q, Headers: h}
	return dara.StringValue(openapiutil.GetAuthorization(req, dara.String(signer.Algorithm),
		dara.String(signer.HashPayload(r.Body)), dara.String(a.credential), dara.String(secret)))
}

// TestV2024WireMatchesOfficial sends every 2024-05-18 operation through our
// v2024 client and through the official openapi.Client, with ordinary and
// hostile values, and requires the same request on the wire: method, path,
// query, the form body byte for byte, content-type, the x-acs headers and the
// signed header list. Our signature must verify with the official signer
// (GetAuthorization) and with the document's steps.
func TestV2024WireMatchesOfficial(t *testing.T) {
	for _, token := range []string{"", testToken} {
		name := "access_key"
		if token != "" {
			name = "sts"
		}
		t.Run(name, func(t *testing.T) {
			h, c := newHarness2024(t, token)
			for _, tc := range wire2024Cases() {
				t.Run(tc.name, func(t *testing.T) {
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					_, err := call2024(ctx, c, tc.req)
					require.NoError(t, err, "our SDK")
					ours := h.rec.take(t)

					call, err := official2024For(tc.req)
					require.NoError(t, err)
					_, err = h.official.CallApi(call.params, call.req, &dara.RuntimeOptions{})
					require.NoError(t, err, "official stack")
					official := h.rec.take(t)

					compareWire(t, ours, official)
					if strings.HasPrefix(tc.name, "GetProjectRole") {
						assert.Empty(t, ours.Body, "GetProjectRole sends no body")
					} else {
						assert.Empty(t, ours.rawQuery(), "parameters travel in the body")
						assert.Equal(t, []string{"application/x-www-form-urlencoded"}, ours.Header.Values("Content-Type"))
					}
					assert.Equal(t, ours.Header.Get("Authorization"), officialAuthorizationOf(t, ours, testSecret), "the official signer agrees")
					assert.NoError(t, verifyACS3(ours, h.secrets, time.Now()), "our signature")
					assert.NoError(t, verifyACS3(official, h.secrets, time.Now()), "official signature")
				})
			}
		})
	}
}

// TestV2024CapturedBodies pins both stacks to the bodies API.md §9 captured
// from the generated 2024-05-18 client.
func TestV2024CapturedBodies(t *testing.T) {
	h, c := newHarness2024(t, "")
	for _, tc := range []struct {
		req  any
		body string
	}{
		{&dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "123",
			RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}}, captured2024Grant},
		{&dw2024.ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{"123"},
			RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}, PageNumber: 1, PageSize: 100}, captured2024List},
	} {
		_, err := call2024(context.Background(), c, tc.req)
		require.NoError(t, err)
		ours := h.rec.take(t)
		assert.Equal(t, tc.body, string(ours.Body), "our body")
		assert.Equal(t, signer.HashPayload([]byte(tc.body)), ours.Header.Get("X-Acs-Content-Sha256"))

		call, err := official2024For(tc.req)
		require.NoError(t, err)
		_, err = h.official.CallApi(call.params, call.req, &dara.RuntimeOptions{})
		require.NoError(t, err)
		assert.Equal(t, tc.body, string(h.rec.take(t).Body), "the rebuilt official call")
	}
}

// Models of the 2024-05-18 replies, shaped like the generated ones.
type (
	role2024Model struct {
		Code *string `json:"Code,omitempty"`
		Name *string `json:"Name,omitempty"`
		Type *string `json:"Type,omitempty"`
	}
	member2024Model struct {
		ProjectId *int64           `json:"ProjectId,omitempty"`
		UserId    *string          `json:"UserId,omitempty"`
		UserName  *string          `json:"UserName,omitempty"`
		Status    *string          `json:"Status,omitempty"`
		Roles     []*role2024Model `json:"Roles,omitempty"`
	}
	getProjectMember2024Body struct {
		RequestId     *string          `json:"RequestId,omitempty"`
		ProjectMember *member2024Model `json:"ProjectMember,omitempty"`
	}
	listProjectMembers2024Body struct {
		RequestId  *string `json:"RequestId,omitempty"`
		PagingInfo *struct {
			PageNumber     *int32             `json:"PageNumber,omitempty"`
			PageSize       *int32             `json:"PageSize,omitempty"`
			TotalCount     *int32             `json:"TotalCount,omitempty"`
			ProjectMembers []*member2024Model `json:"ProjectMembers,omitempty"`
		} `json:"PagingInfo,omitempty"`
	}
	// The reference's sample sends ListProjectRoles' paging numbers as
	// strings; the model takes them so.
	listProjectRoles2024Body struct {
		RequestId  *string `json:"RequestId,omitempty"`
		PagingInfo *struct {
			PageNumber   *string `json:"PageNumber,omitempty"`
			PageSize     *string `json:"PageSize,omitempty"`
			TotalCount   *string `json:"TotalCount,omitempty"`
			ProjectRoles []*struct {
				ProjectId *int64  `json:"ProjectId,omitempty"`
				Code      *string `json:"Code,omitempty"`
				Type      *string `json:"Type,omitempty"`
			} `json:"ProjectRoles,omitempty"`
		} `json:"PagingInfo,omitempty"`
	}
)

// call2024As sends req through the official client as the generated
// 2024-05-18 client would and decodes the reply into B.
func call2024As[B any](oc *openapi.Client, req any) (*officialResponse[B], error) {
	call, err := official2024For(req)
	if err != nil {
		return nil, err
	}
	res, err := oc.CallApi(call.params, call.req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	out := &officialResponse[B]{}
	if err := dara.Convert(res, out); err != nil {
		return nil, fmt.Errorf("decode %T reply: %w", req, err)
	}
	return out, nil
}

func mustCall2024[B any](t *testing.T, oc *openapi.Client, req any) *B {
	t.Helper()
	out, err := call2024As[B](oc, req)
	require.NoError(t, err, "official client, %T", req)
	require.NotNil(t, out.Body)
	requireRequestID(t, out.Headers, out.Body)
	return out.Body
}

// TestOfficialClientDataWorks2024Fake holds dataworkstest to its promise for
// 2024-05-18: the official client's form-body requests pass its checks, it
// acts on them over the state 2020-05-18 sees, and its replies and error
// documents decode as the generated models expect.
func TestOfficialClientDataWorks2024Fake(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u20", dataworks.RoleProjectGuest) // as if added through 2020-05-18
	key := fakeKey(t, srv.Credentials())
	oc := officialAgainst(t, srv.URL, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))

	mustCall2024[ackBody](t, oc, &dw2024.CreateProjectMemberRequest{ProjectID: 27, UserID: "u 24&x",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst}})
	roles, ok := srv.MemberRoles(27, "u 24&x")
	require.True(t, ok)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst}, roles)

	mustCall2024[ackBody](t, oc, &dw2024.GrantMemberProjectRolesRequest{ProjectID: 27, UserID: "u20",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}})
	mustCall2024[ackBody](t, oc, &dw2024.RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: "u20",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectGuest}})
	got := mustCall2024[getProjectMember2024Body](t, oc, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	require.NotNil(t, got.ProjectMember)
	assert.EqualValues(t, 27, dara.Int64Value(got.ProjectMember.ProjectId))
	assert.Equal(t, "Normal", dara.StringValue(got.ProjectMember.Status))
	var codes []string
	for _, r := range got.ProjectMember.Roles {
		codes = append(codes, dara.StringValue(r.Code))
		assert.Equal(t, "System", dara.StringValue(r.Type))
	}
	assert.Equal(t, []string{"role_project_dev", "role_project_pe"}, codes)

	list := mustCall2024[listProjectMembers2024Body](t, oc, &dw2024.ListProjectMembersRequest{ProjectID: 27,
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}, PageNumber: 1, PageSize: 100})
	require.NotNil(t, list.PagingInfo)
	assert.EqualValues(t, 2, dara.Int32Value(list.PagingInfo.TotalCount))
	require.Len(t, list.PagingInfo.ProjectMembers, 2)
	assert.Equal(t, "u20", dara.StringValue(list.PagingInfo.ProjectMembers[0].UserId))
	assert.Equal(t, "u 24&x", dara.StringValue(list.PagingInfo.ProjectMembers[1].UserId))

	rl := mustCall2024[listProjectRoles2024Body](t, oc, &dw2024.ListProjectRolesRequest{ProjectID: 27, PageSize: 3})
	require.NotNil(t, rl.PagingInfo)
	assert.Equal(t, "11", dara.StringValue(rl.PagingInfo.TotalCount))
	assert.Len(t, rl.PagingInfo.ProjectRoles, 3)

	mustCall2024[ackBody](t, oc, &dw2024.GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleProjectDGAdmin})
	mustCall2024[ackBody](t, oc, &dw2024.DeleteProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	_, ok = srv.MemberRoles(27, "u20")
	assert.False(t, ok)

	_, err := call2024As[ackBody](oc, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	requireSDKError(t, err, 400, "1101080166")
	// Our client reads the same document as ErrUserNotInProject.
	c, err := dw2024.New(dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	require.NoError(t, err)
	_, err = c.GetProjectMember(context.Background(), &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u20"})
	assert.ErrorIs(t, err, acserrors.ErrUserNotInProject)

	assertCounts(t, srv.RequestCount, map[string]int{
		"CreateProjectMember": 1, "GrantMemberProjectRoles": 1, "RevokeMemberProjectRoles": 1, "GetProjectMember": 3,
		"ListProjectMembers": 1, "ListProjectRoles": 1, "GetProjectRole": 1, "DeleteProjectMember": 1,
	})
}
