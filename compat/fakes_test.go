package compat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	credentials "github.com/aliyun/credentials-go/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
	"github.com/acsmembers/acsmembers-go/signer"
)

// This file points the official openapi.Client (not our SDK) at the fakes in
// pai/paitest and dataworks/dataworkstest. The fakes promise, in their package
// docs, to serve "Alibaba's official Go SDK" too; these tests hold them to it:
// the official client's requests must pass the fakes' signature checks, its
// decoding must find the documented fields in the fakes' replies, and its
// error handling must see the fakes' error documents as the gateway's.
//
// Calls go through officialFor (official_test.go), the same CallApi inputs the
// generated product clients build, and replies are decoded with dara.Convert
// into models shaped like the generated ones, which is what a generated
// client does with CallApi's result.

// officialResponse mirrors a generated <Op>Response: headers, status and the
// decoded body.
type officialResponse[B any] struct {
	Headers    map[string]*string `json:"headers,omitempty"`
	StatusCode *int32             `json:"statusCode,omitempty"`
	Body       *B                 `json:"body,omitempty"`
}

// Bodies, with the JSON names and types of the generated models
// (reference/API.md §2–3).

type ackBody struct {
	RequestId *string `json:"RequestId,omitempty"`
}

type createMemberBody struct {
	RequestId *string `json:"RequestId,omitempty"`
	Members   []*struct {
		MemberId    *string   `json:"MemberId,omitempty"`
		UserId      *string   `json:"UserId,omitempty"`
		DisplayName *string   `json:"DisplayName,omitempty"`
		Roles       []*string `json:"Roles,omitempty"`
	} `json:"Members,omitempty"`
}

type getMemberBody struct {
	RequestId     *string   `json:"RequestId,omitempty"`
	MemberId      *string   `json:"MemberId,omitempty"`
	UserId        *string   `json:"UserId,omitempty"`
	MemberName    *string   `json:"MemberName,omitempty"`
	DisplayName   *string   `json:"DisplayName,omitempty"`
	GmtCreateTime *string   `json:"GmtCreateTime,omitempty"`
	Roles         []*string `json:"Roles,omitempty"`
	AccountType   *string   `json:"AccountType,omitempty"`
}

type listMembersBody struct {
	RequestId  *string `json:"RequestId,omitempty"`
	TotalCount *int64  `json:"TotalCount,omitempty"`
	Members    []*struct {
		MemberId      *string   `json:"MemberId,omitempty"`
		UserId        *string   `json:"UserId,omitempty"`
		MemberName    *string   `json:"MemberName,omitempty"`
		DisplayName   *string   `json:"DisplayName,omitempty"`
		GmtCreateTime *string   `json:"GmtCreateTime,omitempty"`
		Roles         []*string `json:"Roles,omitempty"`
		AccountName   *string   `json:"AccountName,omitempty"`
		AccountType   *string   `json:"AccountType,omitempty"`
	} `json:"Members,omitempty"`
}

type deleteMembersBody struct {
	RequestId *string `json:"RequestId,omitempty"`
	Code      *string `json:"Code,omitempty"`
	Message   *string `json:"Message,omitempty"`
}

type projectRoleModel struct {
	ProjectRoleId   *int32  `json:"ProjectRoleId,omitempty"`
	ProjectRoleCode *string `json:"ProjectRoleCode,omitempty"`
	ProjectRoleName *string `json:"ProjectRoleName,omitempty"`
	ProjectRoleType *string `json:"ProjectRoleType,omitempty"`
}

type listProjectMembersBody struct {
	RequestId *string `json:"RequestId,omitempty"`
	Data      *struct {
		PageNumber        *int32 `json:"PageNumber,omitempty"`
		PageSize          *int32 `json:"PageSize,omitempty"`
		TotalCount        *int32 `json:"TotalCount,omitempty"`
		ProjectMemberList []*struct {
			ProjectMemberId   *string             `json:"ProjectMemberId,omitempty"`
			ProjectMemberName *string             `json:"ProjectMemberName,omitempty"`
			Nick              *string             `json:"Nick,omitempty"`
			ProjectMemberType *string             `json:"ProjectMemberType,omitempty"`
			Status            *string             `json:"Status,omitempty"`
			ProjectRoleList   []*projectRoleModel `json:"ProjectRoleList,omitempty"`
		} `json:"ProjectMemberList,omitempty"`
	} `json:"Data,omitempty"`
}

type listProjectRolesBody struct {
	RequestId       *string             `json:"RequestId,omitempty"`
	ProjectRoleList []*projectRoleModel `json:"ProjectRoleList,omitempty"`
}

// officialAgainst returns an official client for the fake at baseURL, with
// its credential from credentials-go as applications configure it.
func officialAgainst(t *testing.T, baseURL string, cc *credentials.Config) *openapi.Client {
	t.Helper()
	cred, err := credentials.NewCredential(cc)
	require.NoError(t, err)
	u, err := url.Parse(baseURL)
	require.NoError(t, err)
	oc, err := openapi.NewClient(&openapiutil.Config{
		Credential:     cred,
		Endpoint:       dara.String(u.Host),
		Protocol:       dara.String("http"),
		ReadTimeout:    dara.Int(10000),
		ConnectTimeout: dara.Int(5000),
	})
	require.NoError(t, err)
	return oc
}

// fakeKey reads the one key pair a fake accepts.
func fakeKey(t *testing.T, p signer.CredentialsProvider) signer.Credentials {
	t.Helper()
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, c.AccessKeyID)
	require.NotEmpty(t, c.AccessKeySecret)
	return c
}

// accessKeyConfig is an access_key credential for credentials-go.
func accessKeyConfig(id, secret string) *credentials.Config {
	return &credentials.Config{Type: dara.String("access_key"), AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret)}
}

// callAs sends req through the official client and decodes the result into
// B the way a generated client does.
func callAs[B any](oc *openapi.Client, req any) (*officialResponse[B], error) {
	call, err := officialFor(req)
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

// mustCall is callAs for calls that must succeed: status 200, a body, and a
// RequestId in the body equal to the x-acs-request-id header.
func mustCall[B any](t *testing.T, oc *openapi.Client, req any) *B {
	t.Helper()
	out, err := callAs[B](oc, req)
	require.NoError(t, err, "official client, %T", req)
	require.NotNil(t, out.StatusCode)
	assert.EqualValues(t, 200, *out.StatusCode)
	require.NotNil(t, out.Body, "decoded body")
	requireRequestID(t, out.Headers, out.Body)
	return out.Body
}

// requireRequestID checks that body (any of the body models) has a RequestId
// and that it is the one in the x-acs-request-id header.
func requireRequestID(t *testing.T, headers map[string]*string, body any) string {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	var id struct{ RequestId string }
	require.NoError(t, json.Unmarshal(b, &id))
	require.NotEmpty(t, id.RequestId, "RequestId in the body")
	assert.Equal(t, id.RequestId, dara.StringValue(headers["x-acs-request-id"]), "x-acs-request-id header")
	return id.RequestId
}

// requireSDKError checks that err is the official client's *tea.SDKError
// with status and code, and that the error document the fake sent reached it
// whole (Data) with a RequestId that the message also names.
func requireSDKError(t *testing.T, err error, status int, code string) *tea.SDKError {
	t.Helper()
	require.Error(t, err)
	var se *tea.SDKError
	require.True(t, errors.As(err, &se), "want *tea.SDKError, got %T: %v", err, err)
	assert.Equal(t, code, tea.StringValue(se.Code), "Code")
	assert.Equal(t, status, tea.IntValue(se.StatusCode), "StatusCode")
	var doc struct{ RequestId, HostId, Code, Message, Recommend string }
	require.NoError(t, json.Unmarshal([]byte(tea.StringValue(se.Data)), &doc), "Data %q", tea.StringValue(se.Data))
	assert.Equal(t, code, doc.Code, "Data.Code")
	assert.NotEmpty(t, doc.RequestId, "Data.RequestId")
	assert.NotEmpty(t, doc.Message, "Data.Message")
	assert.Contains(t, tea.StringValue(se.Message), "request id: "+doc.RequestId)
	assert.Contains(t, doc.Recommend, "q="+url.QueryEscape(code))
	return se
}

func strs(ps []*string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = dara.StringValue(p)
	}
	return out
}

func roleNames[S ~string](rs []S) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// assertCounts checks how many signed requests each operation received.
func assertCounts(t *testing.T, count func(string) int, want map[string]int) {
	t.Helper()
	for op, n := range want {
		assert.Equal(t, n, count(op), "RequestCount(%q)", op)
	}
}

// TestOfficialClientPAIFake runs the member lifecycle with the official
// client against paitest and checks both what the client decoded and the
// fake's state.
func TestOfficialClientPAIFake(t *testing.T) {
	srv := paitest.NewServer()
	t.Cleanup(srv.Close)
	const ws = "145883"
	srv.AddWorkspace(ws)
	ownerID := srv.AddMember(ws, "owner-1", pai.RoleWorkspaceOwner)
	key := fakeKey(t, srv.Credentials())
	oc := officialAgainst(t, srv.URL, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))

	// CreateMember: the reply names the new member IDs.
	created := mustCall[createMemberBody](t, oc, &pai.CreateMemberRequest{WorkspaceID: ws, Members: []pai.MemberSpec{
		{UserID: "2151001", Roles: []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest}},
		{UserID: "2151002", Roles: []pai.Role{pai.RoleWorkspaceAdmin}},
	}})
	require.Len(t, created.Members, 2)
	assert.Equal(t, ws+"-2151001", dara.StringValue(created.Members[0].MemberId))
	assert.Equal(t, "2151001", dara.StringValue(created.Members[0].UserId))
	assert.Equal(t, []string{"PAI.AlgoDeveloper", "PAI.WorkspaceGuest"}, strs(created.Members[0].Roles))
	assert.Equal(t, ws+"-2151002", dara.StringValue(created.Members[1].MemberId))
	m, ok := srv.Member(ws, "2151001")
	require.True(t, ok, "the fake added the member")
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest}, m.Roles)

	// GetMember by UserId and by MemberId.
	got := mustCall[getMemberBody](t, oc, &pai.GetMemberRequest{WorkspaceID: ws, UserID: "2151001"})
	assert.Equal(t, ws+"-2151001", dara.StringValue(got.MemberId))
	assert.Equal(t, "2151001", dara.StringValue(got.UserId))
	assert.Equal(t, []string{"PAI.AlgoDeveloper", "PAI.WorkspaceGuest"}, strs(got.Roles))
	assert.Equal(t, "5", dara.StringValue(got.AccountType))
	_, err := time.Parse("2006-01-02T15:04:05.000Z", dara.StringValue(got.GmtCreateTime))
	assert.NoError(t, err, "GmtCreateTime in PAI's layout")
	byID := mustCall[getMemberBody](t, oc, &pai.GetMemberRequest{WorkspaceID: ws, MemberID: ws + "-2151002"})
	assert.Equal(t, "2151002", dara.StringValue(byID.UserId))
	assert.Equal(t, []string{"PAI.WorkspaceAdmin"}, strs(byID.Roles))

	// AddMemberRole then RemoveMemberRole change the fake's state.
	mustCall[ackBody](t, oc, &pai.AddMemberRoleRequest{WorkspaceID: ws, MemberID: ws + "-2151001", Role: pai.RoleLabelManager})
	m, _ = srv.Member(ws, "2151001")
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceGuest, pai.RoleLabelManager}, m.Roles)
	mustCall[ackBody](t, oc, &pai.RemoveMemberRoleRequest{WorkspaceID: ws, MemberID: ws + "-2151001", Role: pai.RoleWorkspaceGuest})
	m, _ = srv.Member(ws, "2151001")
	assert.Equal(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleLabelManager}, m.Roles)

	// ListMembers pages through the three members in creation order, with
	// TotalCount counting all of them; a role filter narrows it.
	p1 := mustCall[listMembersBody](t, oc, &pai.ListMembersRequest{WorkspaceID: ws, PageNumber: 1, PageSize: 2})
	assert.EqualValues(t, 3, dara.Int64Value(p1.TotalCount))
	require.Len(t, p1.Members, 2)
	assert.Equal(t, ownerID, dara.StringValue(p1.Members[0].MemberId))
	assert.Equal(t, ws+"-2151001", dara.StringValue(p1.Members[1].MemberId))
	assert.Equal(t, []string{"PAI.AlgoDeveloper", "PAI.LabelManager"}, strs(p1.Members[1].Roles))
	assert.Equal(t, "2151001", dara.StringValue(p1.Members[1].AccountName))
	p2 := mustCall[listMembersBody](t, oc, &pai.ListMembersRequest{WorkspaceID: ws, PageNumber: 2, PageSize: 2})
	assert.EqualValues(t, 3, dara.Int64Value(p2.TotalCount))
	require.Len(t, p2.Members, 1)
	assert.Equal(t, ws+"-2151002", dara.StringValue(p2.Members[0].MemberId))
	admins := mustCall[listMembersBody](t, oc, &pai.ListMembersRequest{WorkspaceID: ws, Roles: []pai.Role{pai.RoleWorkspaceAdmin}})
	assert.EqualValues(t, 1, dara.Int64Value(admins.TotalCount))
	require.Len(t, admins.Members, 1)
	assert.Equal(t, "2151002", dara.StringValue(admins.Members[0].UserId))

	// DeleteMembers of the owner: documented as a 200 whose body carries Code
	// 100600017. The official client does not look at Code in a 2xx body, so
	// it returns the refusal as data, not as an error; nothing is removed.
	refused, err := callAs[deleteMembersBody](oc, &pai.DeleteMembersRequest{WorkspaceID: ws, MemberIDs: []string{ownerID, ws + "-2151002"}})
	require.NoError(t, err, "the official client sees no error in a 200")
	assert.EqualValues(t, 200, dara.Int32Value(refused.StatusCode))
	require.NotNil(t, refused.Body)
	assert.Equal(t, "100600017", dara.StringValue(refused.Body.Code))
	assert.Equal(t, "Owner not allowed to delete", dara.StringValue(refused.Body.Message))
	requireRequestID(t, refused.Headers, refused.Body)
	_, ok = srv.Member(ws, "owner-1")
	assert.True(t, ok, "the owner is still a member")
	_, ok = srv.Member(ws, "2151002")
	assert.True(t, ok, "a refused DeleteMembers removes nobody")

	// A plain DeleteMembers removes the member; its reply has no Code.
	deleted := mustCall[deleteMembersBody](t, oc, &pai.DeleteMembersRequest{WorkspaceID: ws, MemberIDs: []string{ws + "-2151002"}})
	assert.Nil(t, deleted.Code)
	_, ok = srv.Member(ws, "2151002")
	assert.False(t, ok, "the member was removed")

	// GetMember of a user who is not a member: the official client raises
	// the fake's 404 error document as a *tea.SDKError.
	_, err = callAs[getMemberBody](oc, &pai.GetMemberRequest{WorkspaceID: ws, UserID: "2151999"})
	requireSDKError(t, err, 404, "100600006")
	// The same for the member just deleted, by MemberId.
	_, err = callAs[getMemberBody](oc, &pai.GetMemberRequest{WorkspaceID: ws, MemberID: ws + "-2151002"})
	requireSDKError(t, err, 404, "100600006")
	// And an unknown workspace.
	_, err = callAs[listMembersBody](oc, &pai.ListMembersRequest{WorkspaceID: "999"})
	requireSDKError(t, err, 404, "100400008")

	assertCounts(t, srv.RequestCount, map[string]int{
		"CreateMember": 1, "GetMember": 4, "AddMemberRole": 1, "RemoveMemberRole": 1,
		"ListMembers": 4, "DeleteMembers": 2, "ListWorkspaceUsers": 0, "GetWorkspace": 0, "ListWorkspaces": 0,
	})
}

// TestOfficialClientPAIFakeHostileIDs sends IDs that break naive URL
// building as workspace, user and member IDs through the official client:
// the fake must find each one in the right path segment or query value, and
// the IDs it sends back must be the ones sent.
func TestOfficialClientPAIFakeHostileIDs(t *testing.T) {
	srv := paitest.NewServer()
	t.Cleanup(srv.Close)
	key := fakeKey(t, srv.Credentials())
	oc := officialAgainst(t, srv.URL, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))
	require.Subset(t, hostileIDs, []string{"a/b", "x?y#z&w+v", "a b", "名字"})

	for _, h := range hostileIDs {
		t.Run(h, func(t *testing.T) {
			srv.AddWorkspace(h)
			memberID := h + "-" + h

			created := mustCall[createMemberBody](t, oc, &pai.CreateMemberRequest{WorkspaceID: h, Members: []pai.MemberSpec{
				{UserID: h, Roles: []pai.Role{pai.RoleWorkspaceGuest}},
			}})
			require.Len(t, created.Members, 1)
			assert.Equal(t, memberID, dara.StringValue(created.Members[0].MemberId))
			assert.Equal(t, h, dara.StringValue(created.Members[0].UserId))
			_, ok := srv.Member(h, h)
			require.True(t, ok, "the fake stored the member under the decoded IDs")

			got := mustCall[getMemberBody](t, oc, &pai.GetMemberRequest{WorkspaceID: h, UserID: h})
			assert.Equal(t, memberID, dara.StringValue(got.MemberId))
			got = mustCall[getMemberBody](t, oc, &pai.GetMemberRequest{WorkspaceID: h, MemberID: memberID})
			assert.Equal(t, h, dara.StringValue(got.UserId))

			mustCall[ackBody](t, oc, &pai.AddMemberRoleRequest{WorkspaceID: h, MemberID: memberID, Role: pai.RoleAlgoOperator})
			m, _ := srv.Member(h, h)
			assert.Equal(t, []pai.Role{pai.RoleWorkspaceGuest, pai.RoleAlgoOperator}, m.Roles)

			listed := mustCall[listMembersBody](t, oc, &pai.ListMembersRequest{WorkspaceID: h, UserID: h, MemberName: h})
			assert.EqualValues(t, 1, dara.Int64Value(listed.TotalCount))
			require.Len(t, listed.Members, 1)
			assert.Equal(t, memberID, dara.StringValue(listed.Members[0].MemberId))
			assert.Equal(t, h, dara.StringValue(listed.Members[0].MemberName))

			mustCall[ackBody](t, oc, &pai.RemoveMemberRoleRequest{WorkspaceID: h, MemberID: memberID, Role: pai.RoleWorkspaceGuest})
			m, _ = srv.Member(h, h)
			assert.Equal(t, []pai.Role{pai.RoleAlgoOperator}, m.Roles)

			del := mustCall[deleteMembersBody](t, oc, &pai.DeleteMembersRequest{WorkspaceID: h, MemberIDs: []string{memberID}})
			assert.Nil(t, del.Code)
			_, ok = srv.Member(h, h)
			assert.False(t, ok, "removed")
		})
	}
	n := len(hostileIDs)
	assertCounts(t, srv.RequestCount, map[string]int{
		"CreateMember": n, "GetMember": 2 * n, "AddMemberRole": n, "ListMembers": n,
		"RemoveMemberRole": n, "DeleteMembers": n,
	})
}

// TestOfficialClientDataWorksFake runs the project-member lifecycle with the
// official client against dataworkstest.
func TestOfficialClientDataWorksFake(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	const project = 27
	srv.AddProject(project)
	srv.AddProjectMember(project, "owner-1", dataworks.RoleProjectOwner)
	key := fakeKey(t, srv.Credentials())
	oc := officialAgainst(t, srv.URL, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))

	// A role for a user outside the project: the documented 400.
	_, err := callAs[ackBody](oc, &dataworks.AddProjectMemberToRoleRequest{ProjectID: project, UserID: "1001", RoleCode: dataworks.RoleProjectDev})
	requireSDKError(t, err, 400, "Invalid.Tenant.UserNotInProject")
	_, ok := srv.MemberRoles(project, "1001")
	assert.False(t, ok)

	// CreateProjectMember with a ClientToken, then the same call again: the
	// replay gets the first reply, RequestId included, and the fake does not
	// act again (a second act would be refused as UserAlreadyInProject).
	create := &dataworks.CreateProjectMemberRequest{ProjectID: project, UserID: "1001", RoleCode: dataworks.RoleProjectDev, ClientToken: "3f1c2a9e-token-1"}
	first, err := callAs[ackBody](oc, create)
	require.NoError(t, err)
	firstID := requireRequestID(t, first.Headers, first.Body)
	roles, ok := srv.MemberRoles(project, "1001")
	require.True(t, ok)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev}, roles)
	again, err := callAs[ackBody](oc, create)
	require.NoError(t, err, "a replayed ClientToken is not refused")
	assert.Equal(t, firstID, requireRequestID(t, again.Headers, again.Body), "same RequestId as the first reply")
	roles, _ = srv.MemberRoles(project, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev}, roles, "the replay changed nothing")
	assert.Equal(t, 2, srv.RequestCount("CreateProjectMember"), "both calls reached the fake")
	// The same token with other parameters is refused.
	other := *create
	other.RoleCode = dataworks.RoleProjectGuest
	_, err = callAs[ackBody](oc, &other)
	requireSDKError(t, err, 400, "IdempotentParameterMismatch")
	// Without a token the official client sends none, and the fake acts.
	_, err = callAs[ackBody](oc, &dataworks.CreateProjectMemberRequest{ProjectID: project, UserID: "1001"})
	requireSDKError(t, err, 400, "Invalid.Tenant.UserAlreadyInProject")

	// Now the role can be granted (with a token, replayed too).
	grant := &dataworks.AddProjectMemberToRoleRequest{ProjectID: project, UserID: "1001", RoleCode: dataworks.RoleProjectPE, ClientToken: "3f1c2a9e-token-2"}
	g1 := mustCall[ackBody](t, oc, grant)
	g2 := mustCall[ackBody](t, oc, grant)
	assert.Equal(t, dara.StringValue(g1.RequestId), dara.StringValue(g2.RequestId))
	roles, _ = srv.MemberRoles(project, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}, roles)

	// ListProjectMembers: one member per page, second page is the new member.
	page := mustCall[listProjectMembersBody](t, oc, &dataworks.ListProjectMembersRequest{ProjectID: project, PageNumber: 2, PageSize: 1})
	require.NotNil(t, page.Data)
	assert.EqualValues(t, 2, dara.Int32Value(page.Data.PageNumber))
	assert.EqualValues(t, 1, dara.Int32Value(page.Data.PageSize))
	assert.EqualValues(t, 2, dara.Int32Value(page.Data.TotalCount))
	require.Len(t, page.Data.ProjectMemberList, 1)
	pm := page.Data.ProjectMemberList[0]
	assert.Equal(t, "1001", dara.StringValue(pm.ProjectMemberId))
	assert.Equal(t, "1001", dara.StringValue(pm.ProjectMemberName))
	assert.Equal(t, "5", dara.StringValue(pm.ProjectMemberType))
	assert.Equal(t, "0", dara.StringValue(pm.Status))
	require.Len(t, pm.ProjectRoleList, 2)
	assert.Equal(t, "role_project_dev", dara.StringValue(pm.ProjectRoleList[0].ProjectRoleCode))
	assert.EqualValues(t, 3, dara.Int32Value(pm.ProjectRoleList[0].ProjectRoleId))
	assert.Equal(t, "role_project_pe", dara.StringValue(pm.ProjectRoleList[1].ProjectRoleCode))
	assert.Equal(t, "0", dara.StringValue(pm.ProjectRoleList[1].ProjectRoleType))
	// Defaults when no paging is sent.
	all := mustCall[listProjectMembersBody](t, oc, &dataworks.ListProjectMembersRequest{ProjectID: project})
	require.NotNil(t, all.Data)
	assert.EqualValues(t, 1, dara.Int32Value(all.Data.PageNumber))
	assert.EqualValues(t, 10, dara.Int32Value(all.Data.PageSize))
	require.Len(t, all.Data.ProjectMemberList, 2)
	assert.Equal(t, "owner-1", dara.StringValue(all.Data.ProjectMemberList[0].ProjectMemberId))

	// ListProjectRoles: the built-in roles, IDs 1 to 9, type "0".
	rl := mustCall[listProjectRolesBody](t, oc, &dataworks.ListProjectRolesRequest{ProjectID: project})
	wantCodes := roleNames([]dataworks.RoleCode{
		dataworks.RoleProjectOwner, dataworks.RoleProjectAdmin, dataworks.RoleProjectDev,
		dataworks.RoleProjectPE, dataworks.RoleProjectDeploy, dataworks.RoleProjectGuest,
		dataworks.RoleProjectSecurity, dataworks.RoleProjectERD, dataworks.RoleProjectTester,
	})
	require.Len(t, rl.ProjectRoleList, len(wantCodes))
	for i, r := range rl.ProjectRoleList {
		assert.Equal(t, wantCodes[i], dara.StringValue(r.ProjectRoleCode))
		assert.EqualValues(t, i+1, dara.Int32Value(r.ProjectRoleId))
		assert.Equal(t, "0", dara.StringValue(r.ProjectRoleType))
		assert.NotEmpty(t, dara.StringValue(r.ProjectRoleName))
	}

	// RemoveProjectMemberFromRole, then DeleteProjectMember.
	mustCall[ackBody](t, oc, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: project, UserID: "1001", RoleCode: dataworks.RoleProjectDev})
	roles, _ = srv.MemberRoles(project, "1001")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectPE}, roles)
	mustCall[ackBody](t, oc, &dataworks.DeleteProjectMemberRequest{ProjectID: project, UserID: "1001"})
	_, ok = srv.MemberRoles(project, "1001")
	assert.False(t, ok, "the member was removed")
	_, err = callAs[ackBody](oc, &dataworks.DeleteProjectMemberRequest{ProjectID: project, UserID: "1001"})
	requireSDKError(t, err, 400, "Invalid.Tenant.UserNotInProject")
	_, err = callAs[ackBody](oc, &dataworks.ListProjectRolesRequest{ProjectID: 28})
	requireSDKError(t, err, 400, "Invalid.Tenant.ProjectNotExists")

	assertCounts(t, srv.RequestCount, map[string]int{
		"AddProjectMemberToRole": 3, "CreateProjectMember": 4, "ListProjectMembers": 2,
		"ListProjectRoles": 2, "RemoveProjectMemberFromRole": 1, "DeleteProjectMember": 2,
	})
}

// TestOfficialClientDataWorksFakeHostileIDs sends hostile user IDs in the
// query of each DataWorks member action.
func TestOfficialClientDataWorksFakeHostileIDs(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	const project = 27
	srv.AddProject(project)
	key := fakeKey(t, srv.Credentials())
	oc := officialAgainst(t, srv.URL, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))

	for _, h := range hostileIDs {
		t.Run(h, func(t *testing.T) {
			mustCall[ackBody](t, oc, &dataworks.CreateProjectMemberRequest{ProjectID: project, UserID: h, RoleCode: dataworks.RoleProjectGuest, ClientToken: "tok-" + h})
			mustCall[ackBody](t, oc, &dataworks.AddProjectMemberToRoleRequest{ProjectID: project, UserID: h, RoleCode: dataworks.RoleProjectDev})
			roles, ok := srv.MemberRoles(project, h)
			require.True(t, ok, "the fake stored the member under the decoded ID")
			assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectDev}, roles)

			list := mustCall[listProjectMembersBody](t, oc, &dataworks.ListProjectMembersRequest{ProjectID: project})
			require.NotNil(t, list.Data)
			ids := make([]string, 0, len(list.Data.ProjectMemberList))
			for _, m := range list.Data.ProjectMemberList {
				ids = append(ids, dara.StringValue(m.ProjectMemberId))
			}
			assert.Equal(t, []string{h}, ids)

			mustCall[ackBody](t, oc, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: project, UserID: h, RoleCode: dataworks.RoleProjectGuest})
			roles, _ = srv.MemberRoles(project, h)
			assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev}, roles)
			mustCall[ackBody](t, oc, &dataworks.DeleteProjectMemberRequest{ProjectID: project, UserID: h})
			_, ok = srv.MemberRoles(project, h)
			assert.False(t, ok)
		})
	}
	n := len(hostileIDs)
	assertCounts(t, srv.RequestCount, map[string]int{
		"CreateProjectMember": n, "AddProjectMemberToRole": n, "ListProjectMembers": n,
		"RemoveProjectMemberFromRole": n, "DeleteProjectMember": n,
	})
}

// fakeUnderTest is what the signature tests need from either fake.
type fakeUnderTest struct {
	url      string
	creds    signer.CredentialsProvider
	count    func(op string) int
	failNext func(op string, status int, code string)
	op       string // the operation the test calls
	req      any    // a valid request for op
}

// TestOfficialClientFakeSignatureChecks points official clients with bad
// credentials at both fakes: each is refused with the gateway's code before
// reaching any operation, and a queued FailNext reaches the official client
// as an SDKError with the chosen status and code.
func TestOfficialClientFakeSignatureChecks(t *testing.T) {
	ps := paitest.NewServer()
	t.Cleanup(ps.Close)
	ps.AddWorkspace("145883")
	ds := dataworkstest.NewServer()
	t.Cleanup(ds.Close)
	ds.AddProject(27)

	fakes := map[string]fakeUnderTest{
		"pai": {
			url: ps.URL, creds: ps.Credentials(), count: ps.RequestCount, failNext: ps.FailNext,
			op: "ListMembers", req: &pai.ListMembersRequest{WorkspaceID: "145883"},
		},
		"dataworks": {
			url: ds.URL, creds: ds.Credentials(), count: ds.RequestCount, failNext: ds.FailNext,
			op: "ListProjectRoles", req: &dataworks.ListProjectRolesRequest{ProjectID: 27},
		},
	}
	for name, f := range fakes {
		t.Run(name, func(t *testing.T) {
			key := fakeKey(t, f.creds)

			// Credentials the fake must refuse, and what it must say.
			refusals := []struct {
				name   string
				cc     *credentials.Config
				status int
				code   string
			}{
				{"wrong secret", accessKeyConfig(key.AccessKeyID, key.AccessKeySecret+"x"), 400, "SignatureDoesNotMatch"},
				{"unknown AccessKeyId", accessKeyConfig("LTAI5tUnknownKeyId", key.AccessKeySecret), 404, "InvalidAccessKeyId.NotFound"},
				{"STS token", &credentials.Config{
					Type: dara.String("sts"), AccessKeyId: dara.String(key.AccessKeyID),
					AccessKeySecret: dara.String(key.AccessKeySecret), SecurityToken: dara.String("sts-token"),
				}, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
			}
			for _, r := range refusals {
				t.Run(r.name, func(t *testing.T) {
					_, err := callAs[ackBody](officialAgainst(t, f.url, r.cc), f.req)
					requireSDKError(t, err, r.status, r.code)
				})
			}
			assert.Zero(t, f.count(f.op), "refused requests reach no operation")

			good := officialAgainst(t, f.url, accessKeyConfig(key.AccessKeyID, key.AccessKeySecret))
			f.failNext(f.op, 503, "ServiceUnavailable")
			_, err := callAs[ackBody](good, f.req)
			se := requireSDKError(t, err, 503, "ServiceUnavailable")
			assert.True(t, strings.HasPrefix(tea.StringValue(se.Message), "code: 503,"), "message %q", tea.StringValue(se.Message))
			assert.Equal(t, 1, f.count(f.op), "the official client did not retry the 503")

			// The fault is used up: the next call succeeds.
			mustCall[ackBody](t, good, f.req)
			assert.Equal(t, 2, f.count(f.op))
		})
	}
}
