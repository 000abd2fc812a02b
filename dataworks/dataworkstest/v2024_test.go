package dataworkstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	dw2024 "github.com/acsmembers/acsmembers-go/dataworks/v2024"
	"github.com/acsmembers/acsmembers-go/signer"
)

// send2024 signs and sends a POST to "/" of srv with the given version,
// action, raw query and form body (no body and no content type when form is
// empty), and decodes the JSON reply.
func send2024(t *testing.T, srv *dataworkstest.Server, version, action, rawQuery, form string) (int, map[string]any) {
	t.Helper()
	u := srv.URL + "/"
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	r, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form))
	require.NoError(t, err)
	if form != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", version)
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	require.NoError(t, signer.NewSigner().Sign(r, signer.HashPayload([]byte(form)), creds, time.Now(), signer.NewNonce()))
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc), "body %s", raw)
	require.Equal(t, resp.Header.Get("X-Acs-Request-Id"), doc["RequestId"], "every reply carries its RequestId twice")
	return resp.StatusCode, doc
}

// The x-acs-version picks the action set: a 2024-only action does not exist
// in 2020-05-18, nor a 2020-only one in 2024-05-18; another version is
// refused.
func TestV2024VersionDispatch(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	for _, tc := range []struct {
		version, action string
		status          int
		code            string
	}{
		{dataworks.APIVersion, "GetProjectMember", 404, "InvalidAction.NotFound"},
		{dataworks.APIVersion, "GrantMemberProjectRoles", 404, "InvalidAction.NotFound"},
		{dw2024.APIVersion, "AddProjectMemberToRole", 404, "InvalidAction.NotFound"},
		{dw2024.APIVersion, "RemoveProjectMemberFromRole", 404, "InvalidAction.NotFound"},
		{"2023-01-01", "GetProjectMember", 400, "InvalidVersion"},
	} {
		t.Run(tc.version+"/"+tc.action, func(t *testing.T) {
			status, doc := send2024(t, srv, tc.version, tc.action, "", "ProjectId=27&UserId=u")
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, doc["Code"])
		})
	}
}

// Form bodies are read as the gateway reads them, lists as JSON strings;
// the query counts too.
func TestV2024FormBodies(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)

	form := url.Values{"ProjectId": {"27"}, "UserId": {"a b&c"}, "RoleCodes": {`["role_project_dev","role_project_dg_admin"]`}}.Encode()
	status, doc := send2024(t, srv, dw2024.APIVersion, "CreateProjectMember", "", form)
	require.Equal(t, 200, status, "%v", doc)
	roles, ok := srv.MemberRoles(27, "a b&c")
	require.True(t, ok)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDGAdmin}, roles)

	// Parameters in the query, no body.
	status, doc = send2024(t, srv, dw2024.APIVersion, "GetProjectMember", "ProjectId=27&UserId=a%20b%26c", "")
	require.Equal(t, 200, status, "%v", doc)
	assert.Equal(t, map[string]any{
		"ProjectId": 27.0, "UserId": "a b&c", "UserName": "a b&c", "Status": "Normal",
		"Roles": []any{
			map[string]any{"Code": "role_project_dev", "Name": "Developer", "Type": "System"},
			map[string]any{"Code": "role_project_dg_admin", "Name": "Data Governance Administrator", "Type": "System"},
		},
	}, doc["ProjectMember"])

	status, doc = send2024(t, srv, dw2024.APIVersion, "GetProjectRole", "Code=role_project_guest&ProjectId=27", "")
	require.Equal(t, 200, status, "%v", doc)
	assert.Equal(t, map[string]any{
		"ProjectId": 27.0, "Code": "role_project_guest", "Name": "Visitor", "Type": "System", "ModulePermissions": []any{},
	}, doc["ProjectRole"])

	// ListProjectRoles sends its paging numbers as strings, as the
	// reference's sample does; ListProjectMembers as numbers.
	status, doc = send2024(t, srv, dw2024.APIVersion, "ListProjectRoles", "", "PageSize=2&ProjectId=27")
	require.Equal(t, 200, status, "%v", doc)
	paging := doc["PagingInfo"].(map[string]any)
	assert.Equal(t, "1", paging["PageNumber"])
	assert.Equal(t, "2", paging["PageSize"])
	assert.Equal(t, "11", paging["TotalCount"])
	assert.Len(t, paging["ProjectRoles"], 2)
	status, doc = send2024(t, srv, dw2024.APIVersion, "ListProjectMembers", "", "ProjectId=27")
	require.Equal(t, 200, status, "%v", doc)
	paging = doc["PagingInfo"].(map[string]any)
	assert.Equal(t, map[string]any{"PageNumber": 1.0, "PageSize": 10.0, "TotalCount": 1.0}, map[string]any{
		"PageNumber": paging["PageNumber"], "PageSize": paging["PageSize"], "TotalCount": paging["TotalCount"]})
}

// Missing and malformed parameters are refused with the gateway's codes,
// before anything changes.
func TestV2024ParameterErrors(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	srv.AddProjectMember(27, "in", dataworks.RoleProjectDev)
	for _, tc := range []struct {
		action, form string
		status       int
		code         string
	}{
		{"CreateProjectMember", `UserId=u&RoleCodes=["role_project_dev"]`, 400, "MissingProjectId"},
		{"CreateProjectMember", `ProjectId=27&RoleCodes=["role_project_dev"]`, 400, "MissingUserId"},
		{"CreateProjectMember", `ProjectId=27&UserId=u`, 400, "MissingRoleCodes"},
		{"CreateProjectMember", `ProjectId=27&UserId=u&RoleCodes=role_project_dev`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=27&UserId=u&RoleCodes=[]`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=27&UserId=u&RoleCodes=[7]`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=27&UserId=u&RoleCodes=null`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=27&UserId=u&RoleCodes=["role_project_dev","nope"]`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=x&UserId=u&RoleCodes=["role_project_dev"]`, 400, "InvalidParameter"},
		{"CreateProjectMember", `ProjectId=28&UserId=u&RoleCodes=["role_project_dev"]`, 400, "Invalid.Tenant.ProjectNotExists"},
		{"CreateProjectMember", `ProjectId=27&UserId=in&RoleCodes=["role_project_dev"]`, 400, "Invalid.Tenant.UserAlreadyInProject"},
		{"GrantMemberProjectRoles", `ProjectId=27&UserId=out&RoleCodes=["role_project_dev"]`, 400, "1101080166"},
		{"GrantMemberProjectRoles", `ProjectId=27&UserId=in&RoleCodes=["role_project_dev",""]`, 400, "InvalidParameter"},
		{"RevokeMemberProjectRoles", `ProjectId=27&UserId=in`, 400, "MissingRoleCodes"},
		{"RevokeMemberProjectRoles", `ProjectId=27&UserId=out&RoleCodes=["role_project_dev"]`, 400, "1101080166"},
		{"GetProjectMember", `ProjectId=27&UserId=out`, 400, "1101080166"},
		{"GetProjectMember", `ProjectId=27`, 400, "MissingUserId"},
		{"DeleteProjectMember", `ProjectId=27&UserId=out`, 400, "1101080166"},
		{"ListProjectMembers", `ProjectId=27&PageSize=101`, 400, "InvalidParameter"},
		{"ListProjectMembers", `ProjectId=27&PageNumber=0`, 400, "InvalidParameter"},
		{"ListProjectMembers", `ProjectId=27&UserIds=in`, 400, "InvalidParameter"},
		{"ListProjectMembers", ``, 400, "MissingProjectId"},
		{"ListProjectRoles", `ProjectId=27&Type=Other`, 400, "InvalidParameter"},
		{"ListProjectRoles", `ProjectId=27&Codes={}`, 400, "InvalidParameter"},
		{"GetProjectRole", `ProjectId=27`, 400, "MissingCode"},
		{"GetProjectRole", `ProjectId=27&Code=nope`, 400, "InvalidParameter"},
	} {
		t.Run(tc.action+"/"+tc.form, func(t *testing.T) {
			status, doc := send2024(t, srv, dw2024.APIVersion, tc.action, "", encodeLoosely(tc.form))
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, doc["Code"], "%v", doc["Message"])
			assert.NotEmpty(t, doc["Message"])
			assert.NotEmpty(t, doc["HostId"])
		})
	}
	roles, _ := srv.MemberRoles(27, "in")
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev}, roles, "nothing changed")
	_, ok := srv.MemberRoles(27, "u")
	assert.False(t, ok, "nothing created")
}

// encodeLoosely form-encodes "k=v&k=v" written by hand (values may hold
// JSON), keeping the pairs in the order given.
func encodeLoosely(s string) string {
	if s == "" {
		return ""
	}
	var parts []string
	for _, kv := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

// FailNext and RequestCount know every 2024 action; the names 2024 shares
// with 2020 are one action for both.
func TestV2024FaultsAndCounts(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	for _, a := range []string{"GetProjectMember", "GrantMemberProjectRoles", "RevokeMemberProjectRoles", "GetProjectRole"} {
		assert.NotPanics(t, func() { srv.RequestCount(a) }, a)
	}
	srv.FailNext("DeleteProjectMember", 500, "InternalError")
	status, doc := send2024(t, srv, dw2024.APIVersion, "DeleteProjectMember", "", "ProjectId=27&UserId=u")
	assert.Equal(t, 500, status)
	assert.Equal(t, "InternalError", doc["Code"])
	status, doc = send2024(t, srv, dataworks.APIVersion, "DeleteProjectMember", "ProjectId=27&UserId=u", "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "Invalid.Tenant.UserNotInProject", doc["Code"], "2020 keeps its own code")
	assert.Equal(t, 2, srv.RequestCount("DeleteProjectMember"))
}

// Revoking a member's last role through 2024-05-18 is one of the moments
// ZeroRoleEvents reports: the fake's checks read form bodies too.
func TestV2024ZeroRoleEvents(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u", dataworks.RoleProjectDev, dataworks.RoleProjectPE)
	c, err := dw2024.New(dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	require.NoError(t, err)
	_, err = c.RevokeMemberProjectRoles(context.Background(), &dw2024.RevokeMemberProjectRolesRequest{
		ProjectID: 27, UserID: "u", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"27/u"}, srv.ZeroRoleEvents())
}

// AddProjectMember with a role only 2024-05-18 lists gives the member that
// built-in role; it does not make a custom role of it.
func TestV2024BuiltinRolesThroughAddProjectMember(t *testing.T) {
	srv := dataworkstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u", dataworks.RoleProjectDataAnalyst, "custom_etl")
	c, err := dw2024.New(dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	require.NoError(t, err)
	ctx := context.Background()

	got, err := c.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u"})
	require.NoError(t, err)
	assert.Equal(t, []dw2024.Role{
		{Code: dataworks.RoleProjectDataAnalyst, Name: "Data Analyst", Type: dw2024.RoleTypeSystem},
		{Code: "custom_etl", Name: "custom_etl", Type: dw2024.RoleTypeUserCustom},
	}, got.Member.Roles)
	custom, err := c.ListProjectRoles(ctx, &dw2024.ListProjectRolesRequest{ProjectID: 27, Type: dw2024.RoleTypeUserCustom})
	require.NoError(t, err)
	assert.Equal(t, 1, custom.TotalCount)
	assert.Equal(t, dataworks.RoleCode("custom_etl"), custom.Roles[0].Code)

	// 2020-05-18 lists the member's roles, and only its own built-in ones
	// among the project's roles.
	c20, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	require.NoError(t, err)
	members, err := c20.ListProjectMembers(ctx, &dataworks.ListProjectMembersRequest{ProjectID: 27})
	require.NoError(t, err)
	require.Len(t, members.Members, 1)
	assert.Equal(t, []dataworks.ProjectRole{
		{ID: 10, Code: dataworks.RoleProjectDataAnalyst, Name: "Data Analyst", Type: dataworks.RoleTypeSystem},
		{ID: 1000, Code: "custom_etl", Name: "custom_etl", Type: dataworks.RoleTypeCustom},
	}, members.Members[0].Roles)
	roles20, err := c20.ListProjectRoles(ctx, &dataworks.ListProjectRolesRequest{ProjectID: 27})
	require.NoError(t, err)
	assert.Len(t, roles20.Roles, 10, "nine built-in, one custom")
}
