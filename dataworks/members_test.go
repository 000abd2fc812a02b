package dataworks

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// RoleCode is optional for CreateProjectMember: left empty, it is not sent.
func TestCreateProjectMemberWithoutRole(t *testing.T) {
	c := gockClient(t)
	var rec recorder
	rec.reply("CreateProjectMember", http.StatusOK, `{"RequestId":"REQ-C"}`)

	resp, err := c.CreateProjectMember(context.Background(), &CreateProjectMemberRequest{ProjectID: 27, UserID: "1234", ClientToken: "tok-1"})
	require.NoError(t, err)
	assert.Equal(t, &CreateProjectMemberResponse{RequestID: "REQ-C"}, resp)
	assertRPC(t, rec.only(t), "CreateProjectMember", "ClientToken=tok-1&ProjectId=27&UserId=1234")
}

// Each call without a ClientToken gets its own UUID, and the caller's
// request is left as it was.
func TestCreateProjectMemberGeneratesATokenPerCall(t *testing.T) {
	c := gockClient(t)
	var rec recorder
	rec.reply("CreateProjectMember", http.StatusOK, `{"RequestId":"REQ-1"}`)
	rec.reply("CreateProjectMember", http.StatusOK, `{"RequestId":"REQ-2"}`)

	req := &CreateProjectMemberRequest{ProjectID: 27, UserID: "1234", RoleCode: RoleProjectDev}
	for range 2 {
		_, err := c.CreateProjectMember(context.Background(), req)
		require.NoError(t, err)
	}
	assert.Equal(t, &CreateProjectMemberRequest{ProjectID: 27, UserID: "1234", RoleCode: RoleProjectDev}, req, "request modified")

	reqs := rec.all()
	require.Len(t, reqs, 2)
	t1, t2 := reqs[0].req.URL.Query().Get("ClientToken"), reqs[1].req.URL.Query().Get("ClientToken")
	assert.Regexp(t, uuidRE, t1)
	assert.Regexp(t, uuidRE, t2)
	assert.NotEqual(t, t1, t2, "two calls are two different operations")
	assertRPC(t, reqs[0], "CreateProjectMember", "ClientToken="+t1+"&ProjectId=27&RoleCode=role_project_dev&UserId=1234")
}

// A caller's ClientToken is sent as given, encoded like any value.
func TestCallerClientTokenIsSentEncoded(t *testing.T) {
	c := gockClient(t)
	var rec recorder
	rec.reply("CreateProjectMember", http.StatusOK, `{"RequestId":"REQ-C"}`)

	_, err := c.CreateProjectMember(context.Background(), &CreateProjectMemberRequest{ProjectID: 9, UserID: "u", ClientToken: "order 7/retry&x"})
	require.NoError(t, err)
	assertRPC(t, rec.only(t), "CreateProjectMember", "ClientToken=order%207%2Fretry%26x&ProjectId=9&UserId=u")
}

func TestDeleteProjectMember(t *testing.T) {
	c := gockClient(t)
	var rec recorder
	rec.reply("DeleteProjectMember", http.StatusOK, `{"RequestId":"REQ-D"}`)

	resp, err := c.DeleteProjectMember(context.Background(), &DeleteProjectMemberRequest{ProjectID: 9223372036854775807, UserID: "205998477617405434"})
	require.NoError(t, err)
	assert.Equal(t, &DeleteProjectMemberResponse{RequestID: "REQ-D"}, resp)
	assertRPC(t, rec.only(t), "DeleteProjectMember", "ProjectId=9223372036854775807&UserId=205998477617405434")
}

// Members decode into typed values whether the service sends enums and role
// IDs as numbers or as strings; undocumented values come through unchanged.
func TestListProjectMembersDecodes(t *testing.T) {
	c := gockClient(t)
	var rec recorder
	rec.reply("ListProjectMembers", http.StatusOK, `{
		"RequestId": "REQ-LPM",
		"Data": {
			"PageNumber": 2, "PageSize": 3, "TotalCount": 6,
			"ProjectMemberList": [
				{"ProjectMemberId": "1234", "ProjectMemberName": "alice", "Nick": "Alice", "ProjectMemberType": 1, "Status": 0,
				 "ProjectRoleList": [
					{"ProjectRoleId": 10, "ProjectRoleCode": "role_project_dev", "ProjectRoleName": "Developer", "ProjectRoleType": 0},
					{"ProjectRoleId": "1001", "ProjectRoleCode": "custom_etl", "ProjectRoleName": "ETL", "ProjectRoleType": "2"}
				 ]},
				{"ProjectMemberId": "5678", "ProjectMemberName": "bot", "ProjectMemberType": "6", "Status": "1", "ProjectRoleList": []},
				{"ProjectMemberId": "9", "ProjectMemberType": "9", "Status": "7", "ProjectRoleList": null}
			]
		}
	}`)

	resp, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageNumber: 2, PageSize: 3})
	require.NoError(t, err)
	assertRPC(t, rec.only(t), "ListProjectMembers", "PageNumber=2&PageSize=3&ProjectId=27")
	assert.Equal(t, &ListProjectMembersResponse{
		RequestID: "REQ-LPM", PageNumber: 2, PageSize: 3, TotalCount: 6,
		Members: []ProjectMember{
			{UserID: "1234", Name: "alice", Nick: "Alice", Type: MemberTypeAlibabaCloudAccount, Status: MemberStatusNormal,
				Roles: []ProjectRole{
					{ID: 10, Code: RoleProjectDev, Name: "Developer", Type: RoleTypeSystem},
					{ID: 1001, Code: "custom_etl", Name: "ETL", Type: RoleTypeCustom},
				}},
			{UserID: "5678", Name: "bot", Type: MemberTypeRAMRole, Status: MemberStatusForbidden},
			{UserID: "9", Type: "9", Status: "7"},
		},
	}, resp)
}

// Paging left at zero is the service default and is not sent; the limits
// themselves are valid.
func TestListProjectMembersPaging(t *testing.T) {
	cases := []struct {
		req   ListProjectMembersRequest
		query string
	}{
		{ListProjectMembersRequest{ProjectID: 27}, "ProjectId=27"},
		{ListProjectMembersRequest{ProjectID: 27, PageSize: MaxPageSize}, "PageSize=100&ProjectId=27"},
		{ListProjectMembersRequest{ProjectID: 27, PageNumber: 30}, "PageNumber=30&ProjectId=27"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			c := gockClient(t)
			var rec recorder
			rec.reply("ListProjectMembers", http.StatusOK, `{"RequestId":"R","Data":{"TotalCount":0,"ProjectMemberList":[]}}`)

			resp, err := c.ListProjectMembers(context.Background(), &tc.req)
			require.NoError(t, err)
			assert.Empty(t, resp.Members)
			assertRPC(t, rec.only(t), "ListProjectMembers", tc.query)
		})
	}
}

// A 2xx reply that cannot be fully understood is an error, never a
// half-filled response.
func TestListProjectMembersRejectsMalformedReplies(t *testing.T) {
	for name, body := range map[string]string{
		"role id not a number": `{"RequestId":"R","Data":{"ProjectMemberList":[{"ProjectMemberId":"1","ProjectRoleList":[{"ProjectRoleId":"abc"}]}]}}`,
		"role id fractional":   `{"RequestId":"R","Data":{"ProjectMemberList":[{"ProjectMemberId":"1","ProjectRoleList":[{"ProjectRoleId":1.5}]}]}}`,
		"type is an object":    `{"RequestId":"R","Data":{"ProjectMemberList":[{"ProjectMemberId":"1","ProjectMemberType":{}}]}}`,
		"not JSON":             `<html>gateway</html>`,
		"truncated":            `{"RequestId":"R","Data":{"ProjectMemberList":[`,
	} {
		t.Run(name, func(t *testing.T) {
			c := gockClient(t)
			var rec recorder
			rec.reply("ListProjectMembers", http.StatusOK, body)

			resp, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27})
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.Contains(t, err.Error(), "ListProjectMembers")
		})
	}
}

func TestEnumStrings(t *testing.T) {
	for v, want := range map[MemberType]string{
		MemberTypeAlibabaCloudAccount: "Alibaba Cloud account",
		MemberTypeRAMUser:             "RAM user",
		MemberTypeRAMRole:             "RAM role",
		"9":                           "MemberType(9)",
		"":                            "MemberType()",
	} {
		assert.Equal(t, want, v.String())
	}
	for v, want := range map[MemberStatus]string{
		MemberStatusNormal:    "normal",
		MemberStatusForbidden: "forbidden",
		MemberStatusDeleted:   "deleted",
		"3":                   "MemberStatus(3)",
	} {
		assert.Equal(t, want, v.String())
	}
	for v, want := range map[RoleType]string{
		RoleTypeSystem: "system",
		RoleTypeCustom: "custom",
		"1":            "RoleType(1)",
	} {
		assert.Equal(t, want, v.String())
	}
	// The constants are the documented wire values.
	assert.Equal(t, []string{"1", "5", "6", "0", "1", "2", "0", "2"}, []string{
		string(MemberTypeAlibabaCloudAccount), string(MemberTypeRAMUser), string(MemberTypeRAMRole),
		string(MemberStatusNormal), string(MemberStatusForbidden), string(MemberStatusDeleted),
		string(RoleTypeSystem), string(RoleTypeCustom),
	})
}

// projectPages serves a project of total members ("m1", "m2", ...) as the
// 2020-05-18 ListProjectMembers documents it: PageNumber 1 to 30, and a
// larger one refused with InvalidParameter.
func projectPages(total int) func(number, size int) (int, string) {
	return func(number, size int) (int, string) {
		if number < 1 || number > 30 || size < 1 {
			return http.StatusBadRequest, `{"RequestId":"REQ-X","Code":"InvalidParameter","Message":"PageNumber out of range"}`
		}
		var ids []string
		for i := (number-1)*size + 1; i <= min(number*size, total); i++ {
			ids = append(ids, "m"+strconv.Itoa(i))
		}
		return http.StatusOK, pageBody(number, size, total, ids...)
	}
}

// listAll ranges over ListAllProjectMembers and returns the member IDs
// yielded before the end and the error it ended with, if any.
func listAll(c *Client, req *ListProjectMembersRequest) (ids []string, err error) {
	for m, err := range c.ListAllProjectMembers(context.Background(), req) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, m.UserID)
	}
	return ids, nil
}

func memberIDs(from, to int) []string {
	var ids []string
	for i := from; i <= to; i++ {
		ids = append(ids, "m"+strconv.Itoa(i))
	}
	return ids
}

// A project with more members than 30 pages hold: the iterator yields the
// first 30 pages' members, never asks for page 31 (which the service
// refuses), and ends with an error matching ErrPageLimit that says how far
// it got and where to go instead, rather than ending as if it had listed
// everyone.
func TestListAllProjectMembersStopsAtThePageLimit(t *testing.T) {
	for _, tc := range []struct {
		name           string
		pageSize, size int // size: the page size the service sees
		total          int
	}{
		{"small pages", 2, 2, 61},
		{"default page size", 0, MaxPageSize, 30*MaxPageSize + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newPagingServer(t, projectPages(tc.total))

			ids, err := listAll(c, &ListProjectMembersRequest{ProjectID: 27, PageSize: tc.pageSize})
			assert.Equal(t, memberIDs(1, 30*tc.size), ids)
			require.ErrorIs(t, err, ErrPageLimit)
			assert.NotErrorIs(t, err, acserrors.ErrInvalidParameter, "the SDK stopped; the service refused nothing")
			assert.Contains(t, err.Error(), "dataworks ListAllProjectMembers")
			assert.Contains(t, err.Error(), "pages 1 to 30 only: stopped after "+strconv.Itoa(30*tc.size)+" of "+strconv.Itoa(tc.total)+" members")
			assert.Contains(t, err.Error(), "package dataworks/v2024 (API 2024-05-18)")
			assert.Len(t, srv.seen(), 30, "pages 1 to 30, never 31")
		})
	}
}

// A project that fits 30 pages exactly is listed in full, with no error.
func TestListAllProjectMembersFillsThirtyPagesExactly(t *testing.T) {
	c, srv := newPagingServer(t, projectPages(60))

	ids, err := listAll(c, &ListProjectMembersRequest{ProjectID: 27, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, memberIDs(1, 60), ids)
	assert.Len(t, srv.seen(), 30)
}

// A walk that starts at a later page counts the members before it, and
// ranging over the same iterator again starts afresh.
func TestListAllProjectMembersPageLimitFromALaterPage(t *testing.T) {
	c, srv := newPagingServer(t, projectPages(61))
	seq := c.ListAllProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageNumber: 29, PageSize: 2})

	for range 2 {
		var ids []string
		var last error
		for m, err := range seq {
			if err != nil {
				last = err
				break
			}
			ids = append(ids, m.UserID)
		}
		assert.Equal(t, memberIDs(57, 60), ids)
		require.ErrorIs(t, last, ErrPageLimit)
		assert.Contains(t, last.Error(), "stopped after 60 of 61 members")
	}
	assert.Len(t, srv.seen(), 4, "pages 29 and 30, twice")
}

// A page past the documented limit is refused before anything is sent,
// for one page and for a walk.
func TestPageNumberPastTheLimitIsInvalid(t *testing.T) {
	c, srv := newPagingServer(t, projectPages(10))

	_, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, PageNumber: 31})
	require.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.Contains(t, err.Error(), "PageNumber")

	_, err = listAll(c, &ListProjectMembersRequest{ProjectID: 27, PageNumber: 31})
	require.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.NotErrorIs(t, err, ErrPageLimit)
	assert.Empty(t, srv.seen())
}
