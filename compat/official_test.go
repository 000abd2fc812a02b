package compat

import (
	"fmt"
	"strings"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/pai"
)

// This file rebuilds, from reference/API.md §1–3, what the official generated
// product clients (aiworkspace-20210204, dataworks-public-20200518) hand to
// openapi.Client.CallApi for each operation. Those modules are not available
// here, so the builders are written from their documented behaviour: a
// Params block per operation, path parameters escaped with dara.PercentEncode,
// optional fields put in the query only when set, the query flattened with
// openapiutil.Query, and a JSON body passed through openapiutil.ParseToMap.

// officialCall is one CallApi invocation of a generated client.
type officialCall struct {
	params *openapiutil.Params
	req    *openapiutil.OpenApiRequest
}

const (
	paiVersion       = "2021-02-04"
	dataworksVersion = "2020-05-18"
)

// roaParams is the Params block every AIWorkSpace operation uses.
func roaParams(action, method, pathname string) *openapiutil.Params {
	return &openapiutil.Params{
		Action:      dara.String(action),
		Version:     dara.String(paiVersion),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String(pathname),
		Method:      dara.String(method),
		AuthType:    dara.String("AK"),
		Style:       dara.String("ROA"),
		ReqBodyType: dara.String("json"),
		BodyType:    dara.String("json"),
	}
}

// rpcParams is the Params block every DataWorks operation uses.
func rpcParams(action string) *openapiutil.Params {
	return &openapiutil.Params{
		Action:      dara.String(action),
		Version:     dara.String(dataworksVersion),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
}

// workspacePath builds an AIWorkSpace pathname the way the generated client
// concatenates it: literal segments as they are, path parameters (marked by
// wrapping them in braces in the template) escaped with dara.PercentEncode.
func workspacePath(template string, args ...string) string {
	var b strings.Builder
	i := 0
	for _, seg := range strings.Split(template, "/")[1:] {
		b.WriteByte('/')
		if strings.HasPrefix(seg, "{") {
			b.WriteString(dara.PercentEncode(args[i]))
			i++
			continue
		}
		b.WriteString(seg)
	}
	return b.String()
}

// set returns a pointer for a field the caller filled in and nil for one left
// at its zero value, like an unset field of a generated request model.
func set(s string) *string {
	if s == "" {
		return nil
	}
	return dara.String(s)
}

func setInt64(n int) *int64 {
	if n == 0 {
		return nil
	}
	v := int64(n)
	return &v
}

func setInt32(n int) *int32 {
	if n == 0 {
		return nil
	}
	v := int32(n)
	return &v
}

func setBool(b bool) *bool {
	if !b {
		return nil
	}
	return dara.Bool(true)
}

// commaJoin is how a caller of the generated client fills a comma-separated
// string field (Roles, MemberIds, WorkspaceIds, ModuleList, Fields).
func commaJoin[S ~string](items []S) *string {
	parts := make([]string, len(items))
	for i, s := range items {
		parts[i] = string(s)
	}
	return set(strings.Join(parts, ","))
}

// query collects optional query fields the way generated clients do:
// `if !dara.IsNil(request.X) { query["X"] = request.X }`, then
// openapiutil.Query flattens the map (ints in decimal, bools true/false).
type query map[string]interface{}

func (q query) put(name string, v interface{}) {
	if !dara.IsNil(v) {
		q[name] = v
	}
}

func (q query) request() *openapiutil.OpenApiRequest {
	return &openapiutil.OpenApiRequest{Headers: map[string]*string{}, Query: openapiutil.Query(map[string]interface{}(q))}
}

// createMemberMember mirrors the generated CreateMemberRequestMembers model.
type createMemberMember struct {
	Roles  []*string `json:"Roles,omitempty" xml:"Roles,omitempty" type:"Repeated"`
	UserId *string   `json:"UserId,omitempty" xml:"UserId,omitempty"`
}

// officialFor returns what the generated client's <Op>WithOptions passes to
// CallApi for the logical request req, one of the pai or dataworks request
// types.
func officialFor(req any) (officialCall, error) {
	switch r := req.(type) {
	case *pai.CreateMemberRequest:
		members := make([]*createMemberMember, len(r.Members))
		for i, m := range r.Members {
			roles := make([]*string, len(m.Roles))
			for j, role := range m.Roles {
				roles[j] = dara.String(string(role))
			}
			members[i] = &createMemberMember{Roles: roles, UserId: set(m.UserID)}
		}
		body := map[string]interface{}{}
		if len(members) > 0 {
			body["Members"] = members
		}
		return officialCall{
			params: roaParams("CreateMember", "POST", workspacePath("/api/v1/workspaces/{WorkspaceId}/members", r.WorkspaceID)),
			req:    &openapiutil.OpenApiRequest{Headers: map[string]*string{}, Body: openapiutil.ParseToMap(body)},
		}, nil

	case *pai.GetMemberRequest:
		q := query{}
		q.put("MemberId", set(r.MemberID))
		q.put("UserId", set(r.UserID))
		return officialCall{roaParams("GetMember", "GET", workspacePath("/api/v1/workspaces/{WorkspaceId}/member", r.WorkspaceID)), q.request()}, nil

	case *pai.ListMembersRequest:
		q := query{}
		q.put("MemberName", set(r.MemberName))
		q.put("PageNumber", setInt64(r.PageNumber))
		q.put("PageSize", setInt32(r.PageSize))
		q.put("Roles", commaJoin(r.Roles))
		q.put("UserId", set(r.UserID))
		return officialCall{roaParams("ListMembers", "GET", workspacePath("/api/v1/workspaces/{WorkspaceId}/members", r.WorkspaceID)), q.request()}, nil

	case *pai.DeleteMembersRequest:
		q := query{}
		q.put("MemberIds", commaJoin(r.MemberIDs))
		return officialCall{roaParams("DeleteMembers", "DELETE", workspacePath("/api/v1/workspaces/{WorkspaceId}/members", r.WorkspaceID)), q.request()}, nil

	case *pai.AddMemberRoleRequest:
		return officialCall{
			roaParams("AddMemberRole", "POST", workspacePath("/api/v1/workspaces/{WorkspaceId}/members/{MemberId}/roles/{RoleName}", r.WorkspaceID, r.MemberID, string(r.Role))),
			&openapiutil.OpenApiRequest{Headers: map[string]*string{}},
		}, nil

	case *pai.RemoveMemberRoleRequest:
		return officialCall{
			roaParams("RemoveMemberRole", "DELETE", workspacePath("/api/v1/workspaces/{WorkspaceId}/members/{MemberId}/roles/{RoleName}", r.WorkspaceID, r.MemberID, string(r.Role))),
			&openapiutil.OpenApiRequest{Headers: map[string]*string{}},
		}, nil

	case *pai.ListWorkspaceUsersRequest:
		q := query{}
		q.put("UserId", set(r.UserID))
		q.put("UserName", set(r.UserName))
		return officialCall{roaParams("ListWorkspaceUsers", "GET", workspacePath("/api/v1/workspaces/{WorkspaceId}/users", r.WorkspaceID)), q.request()}, nil

	case *pai.GetWorkspaceRequest:
		q := query{}
		q.put("Verbose", setBool(r.Verbose))
		return officialCall{roaParams("GetWorkspace", "GET", workspacePath("/api/v1/workspaces/{WorkspaceId}", r.WorkspaceID)), q.request()}, nil

	case *pai.ListWorkspacesRequest:
		q := query{}
		q.put("Fields", commaJoin(r.Fields))
		q.put("ModuleList", commaJoin(r.ModuleList))
		q.put("Option", set(r.Option))
		q.put("Order", set(r.Order))
		q.put("PageNumber", setInt64(r.PageNumber))
		q.put("PageSize", setInt32(r.PageSize))
		q.put("ResourceGroupId", set(r.ResourceGroupID))
		q.put("SortBy", set(r.SortBy))
		q.put("Status", set(string(r.Status)))
		q.put("UserId", set(r.UserID))
		q.put("Verbose", setBool(r.Verbose))
		q.put("WorkspaceIds", commaJoin(r.WorkspaceIDs))
		q.put("WorkspaceName", set(r.WorkspaceName))
		return officialCall{roaParams("ListWorkspaces", "GET", "/api/v1/workspaces"), q.request()}, nil

	case *dataworks.AddProjectMemberToRoleRequest:
		q := query{}
		q.put("ClientToken", set(r.ClientToken))
		q.put("ProjectId", &r.ProjectID)
		q.put("RoleCode", set(string(r.RoleCode)))
		q.put("UserId", set(r.UserID))
		return officialCall{rpcParams("AddProjectMemberToRole"), q.rpcRequest()}, nil

	case *dataworks.RemoveProjectMemberFromRoleRequest:
		q := query{}
		q.put("ProjectId", &r.ProjectID)
		q.put("RoleCode", set(string(r.RoleCode)))
		q.put("UserId", set(r.UserID))
		return officialCall{rpcParams("RemoveProjectMemberFromRole"), q.rpcRequest()}, nil

	case *dataworks.CreateProjectMemberRequest:
		q := query{}
		q.put("ClientToken", set(r.ClientToken))
		q.put("ProjectId", &r.ProjectID)
		q.put("RoleCode", set(string(r.RoleCode)))
		q.put("UserId", set(r.UserID))
		return officialCall{rpcParams("CreateProjectMember"), q.rpcRequest()}, nil

	case *dataworks.DeleteProjectMemberRequest:
		q := query{}
		q.put("ProjectId", &r.ProjectID)
		q.put("UserId", set(r.UserID))
		return officialCall{rpcParams("DeleteProjectMember"), q.rpcRequest()}, nil

	case *dataworks.ListProjectMembersRequest:
		q := query{}
		q.put("PageNumber", setInt32(r.PageNumber))
		q.put("PageSize", setInt32(r.PageSize))
		q.put("ProjectId", &r.ProjectID)
		return officialCall{rpcParams("ListProjectMembers"), q.rpcRequest()}, nil

	case *dataworks.ListProjectRolesRequest:
		q := query{}
		q.put("ProjectId", &r.ProjectID)
		return officialCall{rpcParams("ListProjectRoles"), q.rpcRequest()}, nil
	}
	return officialCall{}, fmt.Errorf("no official builder for %T", req)
}

// rpcRequest is the DataWorks request: the generated RPC clients pass only a
// query (no headers map, no body), although ReqBodyType says formData.
func (q query) rpcRequest() *openapiutil.OpenApiRequest {
	return &openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]interface{}(q))}
}
