package v2024

import (
	"context"
	stderrors "errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// The two bodies API.md §9 captured from the official client.
const (
	capturedGrant = "ProjectId=27&RoleCodes=%5B%22role_project_dev%22%2C%22role_project_pe%22%5D&UserId=123"
	capturedList  = "PageNumber=1&PageSize=100&ProjectId=27&RoleCodes=%5B%22role_project_dev%22%5D&UserIds=%5B%22123%22%5D"
)

// opCase is one operation as the table tests drive it.
type opCase struct {
	action string
	safe   bool // repeated after a 5xx or a dropped connection
	// call runs the operation for project 27 and userID (where it takes
	// one), with the arguments body and query are written for; it returns
	// the response's RequestID.
	call  func(ctx context.Context, c *Client, userID string) (string, error)
	body  string // the form body for userID "123"; "" for GetProjectRole
	query string // GetProjectRole's query
	ok    string // a successful reply carrying RequestId "REQ-OK"
}

// withResponse marks a call that returned a response alongside an error,
// which no operation may do.
const withResponse = "response returned with an error"

// result reduces an operation's result to its RequestID.
func result[T any](resp *T, id func(*T) string, err error) (string, error) {
	switch {
	case err != nil && resp != nil:
		return withResponse, err
	case err != nil:
		return "", err
	}
	return id(resp), nil
}

var (
	devPE   = []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE}
	memberR = `{"RequestId":"REQ-OK","ProjectMember":{"ProjectId":27,"UserId":"123","UserName":"u","Status":"Normal","Roles":[]}}`
)

func allOps() []opCase {
	return []opCase{
		{
			action: "CreateProjectMember",
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{ProjectID: 27, UserID: u, RoleCodes: devPE})
				return result(resp, func(r *CreateProjectMemberResponse) string { return r.RequestID }, err)
			},
			body: capturedGrant, ok: `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "GrantMemberProjectRoles", safe: true,
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.GrantMemberProjectRoles(ctx, &GrantMemberProjectRolesRequest{ProjectID: 27, UserID: u, RoleCodes: devPE})
				return result(resp, func(r *GrantMemberProjectRolesResponse) string { return r.RequestID }, err)
			},
			body: capturedGrant, ok: `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "RevokeMemberProjectRoles", safe: true,
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.RevokeMemberProjectRoles(ctx, &RevokeMemberProjectRolesRequest{ProjectID: 27, UserID: u, RoleCodes: devPE})
				return result(resp, func(r *RevokeMemberProjectRolesResponse) string { return r.RequestID }, err)
			},
			body: capturedGrant, ok: `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "DeleteProjectMember",
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.DeleteProjectMember(ctx, &DeleteProjectMemberRequest{ProjectID: 27, UserID: u})
				return result(resp, func(r *DeleteProjectMemberResponse) string { return r.RequestID }, err)
			},
			body: "ProjectId=27&UserId=123", ok: `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "GetProjectMember", safe: true,
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.GetProjectMember(ctx, &GetProjectMemberRequest{ProjectID: 27, UserID: u})
				return result(resp, func(r *GetProjectMemberResponse) string { return r.RequestID }, err)
			},
			body: "ProjectId=27&UserId=123", ok: memberR,
		},
		{
			action: "ListProjectMembers", safe: true,
			call: func(ctx context.Context, c *Client, u string) (string, error) {
				resp, err := c.ListProjectMembers(ctx, &ListProjectMembersRequest{
					ProjectID: 27, UserIDs: []string{u}, RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}, PageNumber: 1, PageSize: 100,
				})
				return result(resp, func(r *ListProjectMembersResponse) string { return r.RequestID }, err)
			},
			body: capturedList,
			ok:   `{"RequestId":"REQ-OK","PagingInfo":{"PageNumber":1,"PageSize":100,"TotalCount":0,"ProjectMembers":[]}}`,
		},
		{
			action: "ListProjectRoles", safe: true,
			call: func(ctx context.Context, c *Client, _ string) (string, error) {
				resp, err := c.ListProjectRoles(ctx, &ListProjectRolesRequest{
					ProjectID: 27, Codes: []dataworks.RoleCode{dataworks.RoleProjectGuest}, Names: []string{"Visitor"},
					Type: RoleTypeSystem, PageNumber: 2, PageSize: 50,
				})
				return result(resp, func(r *ListProjectRolesResponse) string { return r.RequestID }, err)
			},
			body: "Codes=%5B%22role_project_guest%22%5D&Names=%5B%22Visitor%22%5D&PageNumber=2&PageSize=50&ProjectId=27&Type=System",
			ok:   `{"RequestId":"REQ-OK","PagingInfo":{"PageNumber":"2","PageSize":"50","TotalCount":"0","ProjectRoles":[]}}`,
		},
		{
			action: "GetProjectRole", safe: true,
			call: func(ctx context.Context, c *Client, _ string) (string, error) {
				resp, err := c.GetProjectRole(ctx, &GetProjectRoleRequest{ProjectID: 27, Code: dataworks.RoleProjectGuest})
				return result(resp, func(r *GetProjectRoleResponse) string { return r.RequestID }, err)
			},
			query: "Code=role_project_guest&ProjectId=27",
			ok:    `{"RequestId":"REQ-OK","ProjectRole":{"ProjectId":27,"Code":"role_project_guest","Name":"Visitor","Type":"System"}}`,
		},
	}
}

// assertWire checks s against the operation's documented wire form.
func (op opCase) assertWire(t *testing.T, s sent, body string) {
	t.Helper()
	if op.action == "GetProjectRole" {
		assertQuery(t, s, op.action, op.query)
		return
	}
	assertForm(t, s, op.action, body)
}

// Every operation sends POST / with its parameters as the official client
// sends them (a form body; GetProjectRole's in the query), signed over
// exactly the bytes sent, and returns the reply's RequestId. The Grant and
// ListProjectMembers cases are API.md §9's captured requests, byte for byte.
func TestEveryOperationWire(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue(op.action, http.StatusOK, op.ok)
			id, err := op.call(context.Background(), c, "123")
			require.NoError(t, err)
			assert.Equal(t, "REQ-OK", id)
			op.assertWire(t, srv.only(t), op.body)
		})
	}
}

// The captured bodies, pinned on their own: if a table edit ever changed
// them, this test still names API.md §9.
func TestCapturedBodies(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("GrantMemberProjectRoles", http.StatusOK, `{"RequestId":"R"}`)
	srv.queue("ListProjectMembers", http.StatusOK, `{"RequestId":"R"}`)
	ctx := context.Background()

	_, err := c.GrantMemberProjectRoles(ctx, &GrantMemberProjectRolesRequest{
		ProjectID: 27, UserID: "123", RoleCodes: []dataworks.RoleCode{"role_project_dev", "role_project_pe"},
	})
	require.NoError(t, err)
	_, err = c.ListProjectMembers(ctx, &ListProjectMembersRequest{
		ProjectID: 27, UserIDs: []string{"123"}, RoleCodes: []dataworks.RoleCode{"role_project_dev"}, PageNumber: 1, PageSize: 100,
	})
	require.NoError(t, err)

	reqs := srv.all()
	require.Len(t, reqs, 2)
	assertForm(t, reqs[0], "GrantMemberProjectRoles",
		"ProjectId=27&RoleCodes=%5B%22role_project_dev%22%2C%22role_project_pe%22%5D&UserId=123")
	assertForm(t, reqs[1], "ListProjectMembers",
		"PageNumber=1&PageSize=100&ProjectId=27&RoleCodes=%5B%22role_project_dev%22%5D&UserIds=%5B%22123%22%5D")
}

// Optional parameters left at their zero value are not sent; an empty (not
// nil) list is sent as [], as the official client sends it.
func TestOptionalParameters(t *testing.T) {
	cases := []struct {
		name string
		call func(*Client) error
		body string
	}{
		{"members/none", func(c *Client) error {
			_, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27})
			return err
		}, "ProjectId=27"},
		{"members/empty lists", func(c *Client) error {
			_, err := c.ListProjectMembers(context.Background(), &ListProjectMembersRequest{ProjectID: 27, UserIDs: []string{}, RoleCodes: []dataworks.RoleCode{}})
			return err
		}, "ProjectId=27&RoleCodes=%5B%5D&UserIds=%5B%5D"},
		{"roles/none", func(c *Client) error {
			_, err := c.ListProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27})
			return err
		}, "ProjectId=27"},
		{"roles/custom only", func(c *Client) error {
			_, err := c.ListProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27, Type: RoleTypeUserCustom})
			return err
		}, "ProjectId=27&Type=UserCustom"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue("ListProjectMembers", http.StatusOK, `{"RequestId":"R"}`)
			srv.queue("ListProjectRoles", http.StatusOK, `{"RequestId":"R"}`)
			require.NoError(t, tc.call(c))
			s := srv.only(t)
			assertForm(t, s, s.header.Get("X-Acs-Action"), tc.body)
		})
	}
}

// A user ID or a list item is data, never syntax: whatever it holds stays
// inside its value (the form escapes it, the JSON list quotes it), so it
// cannot add or replace a parameter. The server reads back exactly what was
// given.
func TestHostileValuesStayInTheirValue(t *testing.T) {
	ids := []struct{ id, encoded string }{
		{"a b&ProjectId=1", "a+b%26ProjectId%3D1"},
		{"x?y#z", "x%3Fy%23z"},
		{"a+b", "a%2Bb"},
		{"../../x", "..%2F..%2Fx"},
		{"用户é", "%E7%94%A8%E6%88%B7%C3%A9"},
		{"%41*~._-", "%2541%2A~._-"},
	}
	for _, op := range allOps() {
		if op.action == "GetProjectRole" || op.action == "ListProjectRoles" {
			continue
		}
		for _, tc := range ids {
			t.Run(op.action+"/"+tc.id, func(t *testing.T) {
				srv, c := newTestServer(t)
				srv.queue(op.action, http.StatusOK, op.ok)
				_, err := op.call(context.Background(), c, tc.id)
				require.NoError(t, err)
				s := srv.only(t)
				form, err := url.ParseQuery(string(s.body))
				require.NoError(t, err)
				assert.Equal(t, []string{"27"}, form["ProjectId"])
				if op.action == "ListProjectMembers" {
					want := strings.Replace(op.body, "UserIds=%5B%22123%22%5D", "UserIds=%5B%22"+tc.encoded+"%22%5D", 1)
					assertForm(t, s, op.action, want)
					assert.Equal(t, []string{`["` + tc.id + `"]`}, form["UserIds"], "decoded by the server")
					return
				}
				want := strings.Replace(op.body, "UserId=123", "UserId="+tc.encoded, 1)
				assertForm(t, s, op.action, want)
				assert.Equal(t, []string{tc.id}, form["UserId"], "decoded by the server")
			})
		}
	}
}

// List items are JSON strings: quotes, backslashes and angle brackets are
// escaped as the official client escapes them (no HTML escaping), and the
// server gets back the same strings.
func TestListItemsAreJSON(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("ListProjectRoles", http.StatusOK, `{"RequestId":"R"}`)
	names := []string{`say "hi"`, `back\slash`, "<b>&amp;</b>", "名字"}
	_, err := c.ListProjectRoles(context.Background(), &ListProjectRolesRequest{ProjectID: 27, Names: names})
	require.NoError(t, err)
	s := srv.only(t)
	form, err := url.ParseQuery(string(s.body))
	require.NoError(t, err)
	assert.Equal(t, []string{`["say \"hi\"","back\\slash","<b>&amp;</b>","名字"]`}, form["Names"])
	assertForm(t, s, "ListProjectRoles", "Names="+url.QueryEscape(form["Names"][0])+"&ProjectId=27")
}

// The not-found codes Terraform treats as "not a member" match
// ErrUserNotInProject (400010 comes with HTTP 403, yet it is no access
// denial); the 2020-05-18 codes keep their meaning. An error is never
// repeated, and carries what the service said.
func TestErrorIdentities(t *testing.T) {
	sentinels := []error{
		acserrors.ErrUserNotInProject, acserrors.ErrProjectNotFound, acserrors.ErrUserAlreadyInProject,
		acserrors.ErrAccessDenied, acserrors.ErrInvalidParameter, acserrors.ErrServiceUnavailable, acserrors.ErrThrottled,
	}
	cases := []struct {
		code   string
		status int
		want   error
	}{
		{"1101080166", 400, acserrors.ErrUserNotInProject},
		{"400010", 403, acserrors.ErrUserNotInProject},
		{"Invalid.Tenant.UserNotInProject", 400, acserrors.ErrUserNotInProject},
		{"Invalid.Tenant.ProjectNotExists", 400, acserrors.ErrProjectNotFound},
		{"Invalid.Tenant.UserAlreadyInProject", 400, acserrors.ErrUserAlreadyInProject},
		{"Forbidden.RAM", 403, acserrors.ErrAccessDenied},
	}
	for _, op := range allOps() {
		for _, tc := range cases {
			t.Run(op.action+"/"+tc.code, func(t *testing.T) {
				srv, c := newTestServer(t)
				srv.queue(op.action, tc.status,
					`{"RequestId":"REQ-ERR","HostId":"dataworks.cn-shanghai.aliyuncs.com","Code":"`+tc.code+`","Message":"said so"}`)
				id, err := op.call(context.Background(), c, "123")
				require.Error(t, err)
				assert.Empty(t, id, "no response with an error")
				for _, s := range sentinels {
					assert.Equal(t, s == tc.want, stderrors.Is(err, s), "errors.Is(err, %v)", s)
				}
				var apiErr *acserrors.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "dataworks", apiErr.Service)
				assert.Equal(t, op.action, apiErr.Operation)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.code, apiErr.Code)
				assert.Equal(t, "said so", apiErr.Message)
				assert.Equal(t, "REQ-ERR", apiErr.RequestID)
				op.assertWire(t, srv.only(t), op.body) // once: a 4xx is never repeated
			})
		}
	}
}

// Grant, Revoke, Get and the listings are repeated after a 503, each attempt
// signed afresh over the same body; Create and Delete, which carry no
// ClientToken, are not, and say the service is unavailable.
func TestRetryAfter5xx(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue(op.action, http.StatusServiceUnavailable, `{"RequestId":"REQ-503","Code":"ServiceUnavailable","Message":"try later"}`)
			srv.queue(op.action, http.StatusOK, op.ok)
			id, err := op.call(context.Background(), c, "123")
			reqs := srv.all()
			if !op.safe {
				require.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
				assert.Empty(t, id)
				require.Len(t, reqs, 1, "not repeated")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "REQ-OK", id)
			require.Len(t, reqs, 2)
			for _, s := range reqs {
				op.assertWire(t, s, op.body)
			}
			assert.NotEqual(t, reqs[0].header.Get("X-Acs-Signature-Nonce"), reqs[1].header.Get("X-Acs-Signature-Nonce"))
		})
	}
}

// Throttling means the service did nothing: every operation is repeated,
// Create and Delete too.
func TestRetryAfterThrottling(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			srv, c := newTestServer(t)
			srv.queue(op.action, http.StatusBadRequest, `{"RequestId":"REQ-T","Code":"Throttling.User","Message":"slow down"}`)
			srv.queue(op.action, http.StatusOK, op.ok)
			id, err := op.call(context.Background(), c, "123")
			require.NoError(t, err)
			assert.Equal(t, "REQ-OK", id)
			assert.Len(t, srv.all(), 2)
		})
	}
}

// A connection dropped after the request was sent may have acted: only the
// safe operations are repeated (up to MaxAttempts), Create and Delete are
// sent once.
func TestDroppedConnection(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			var n atomic.Int32
			hs := newDroppingServer(t, &n)
			c, err := New(Options{Endpoint: hs, Credentials: signer.StaticCredentials(testKeyID, testSecret, ""), MaxAttempts: 2})
			require.NoError(t, err)
			_, err = op.call(context.Background(), c, "123")
			require.Error(t, err)
			assert.Contains(t, err.Error(), op.action)
			want := int32(1)
			if op.safe {
				want = 2
			}
			assert.Equal(t, want, n.Load(), "requests that reached the server")
		})
	}
}

// countingCreds counts credential look-ups, to prove validation comes first.
type countingCreds struct{ n atomic.Int32 }

func (c *countingCreds) Retrieve(context.Context) (signer.Credentials, error) {
	c.n.Add(1)
	return signer.Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}, nil
}

// doerFunc adapts a function to an HTTP client.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// Invalid requests fail with a ValidationError naming every offending field,
// before any credential look-up or byte on the wire.
func TestValidationComesFirst(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		call   func(*Client) error
		fields []string
	}{
		{"Create/nil", func(c *Client) error { _, err := c.CreateProjectMember(ctx, nil); return err }, []string{"request"}},
		{"Create/empty", func(c *Client) error {
			_, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{})
			return err
		}, []string{"ProjectID", "UserID", "RoleCodes"}},
		{"Create/empty list, bad user", func(c *Client) error {
			_, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{ProjectID: 1, UserID: "\xff", RoleCodes: []dataworks.RoleCode{}})
			return err
		}, []string{"UserID", "RoleCodes"}},
		{"Create/empty and control codes", func(c *Client) error {
			_, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{ProjectID: 1, UserID: "u", RoleCodes: []dataworks.RoleCode{"ok", "", "a\nb"}})
			return err
		}, []string{"RoleCodes[1]", "RoleCodes[2]"}},
		{"Grant/nil", func(c *Client) error { _, err := c.GrantMemberProjectRoles(ctx, nil); return err }, []string{"request"}},
		{"Grant/negative project, dot-dot user, no roles", func(c *Client) error {
			_, err := c.GrantMemberProjectRoles(ctx, &GrantMemberProjectRolesRequest{ProjectID: -3, UserID: ".."})
			return err
		}, []string{"ProjectID", "UserID", "RoleCodes"}},
		{"Revoke/nil", func(c *Client) error { _, err := c.RevokeMemberProjectRoles(ctx, nil); return err }, []string{"request"}},
		{"Revoke/empty code", func(c *Client) error {
			_, err := c.RevokeMemberProjectRoles(ctx, &RevokeMemberProjectRolesRequest{ProjectID: 1, UserID: "u", RoleCodes: []dataworks.RoleCode{""}})
			return err
		}, []string{"RoleCodes[0]"}},
		{"Delete/nil", func(c *Client) error { _, err := c.DeleteProjectMember(ctx, nil); return err }, []string{"request"}},
		{"Delete/dot user", func(c *Client) error {
			_, err := c.DeleteProjectMember(ctx, &DeleteProjectMemberRequest{ProjectID: 5, UserID: "."})
			return err
		}, []string{"UserID"}},
		{"Get/nil", func(c *Client) error { _, err := c.GetProjectMember(ctx, nil); return err }, []string{"request"}},
		{"Get/empty", func(c *Client) error {
			_, err := c.GetProjectMember(ctx, &GetProjectMemberRequest{})
			return err
		}, []string{"ProjectID", "UserID"}},
		{"ListMembers/nil", func(c *Client) error { _, err := c.ListProjectMembers(ctx, nil); return err }, []string{"request"}},
		{"ListMembers/everything wrong", func(c *Client) error {
			_, err := c.ListProjectMembers(ctx, &ListProjectMembersRequest{
				UserIDs: []string{"u", ""}, RoleCodes: []dataworks.RoleCode{"\x7f"}, PageNumber: -1, PageSize: MaxPageSize + 1,
			})
			return err
		}, []string{"ProjectID", "UserIDs[1]", "RoleCodes[0]", "PageNumber", "PageSize"}},
		{"ListRoles/nil", func(c *Client) error { _, err := c.ListProjectRoles(ctx, nil); return err }, []string{"request"}},
		{"ListRoles/everything wrong", func(c *Client) error {
			_, err := c.ListProjectRoles(ctx, &ListProjectRolesRequest{
				Codes: []dataworks.RoleCode{""}, Names: []string{"\xfe"}, Type: "a\tb", PageSize: -1,
			})
			return err
		}, []string{"ProjectID", "Codes[0]", "Names[0]", "Type", "PageSize"}},
		{"GetRole/nil", func(c *Client) error { _, err := c.GetProjectRole(ctx, nil); return err }, []string{"request"}},
		{"GetRole/empty", func(c *Client) error {
			_, err := c.GetProjectRole(ctx, &GetProjectRoleRequest{})
			return err
		}, []string{"ProjectID", "Code"}},
		{"ListAllMembers/empty", func(c *Client) error {
			for _, err := range c.ListAllProjectMembers(ctx, &ListProjectMembersRequest{}) {
				return err
			}
			return nil
		}, []string{"ProjectID"}},
		{"ListAllRoles/nil", func(c *Client) error {
			for _, err := range c.ListAllProjectRoles(ctx, nil) {
				return err
			}
			return nil
		}, []string{"request"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			creds := &countingCreds{}
			var sends atomic.Int32
			c, err := New(Options{
				Endpoint: "http://dataworks.test", Credentials: creds,
				HTTPClient: doerFunc(func(*http.Request) (*http.Response, error) {
					sends.Add(1)
					return nil, stderrors.New("nothing may be sent")
				}),
			})
			require.NoError(t, err)

			err = tc.call(c)
			require.ErrorIs(t, err, acserrors.ErrInvalidParameter)
			var ve *acserrors.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "dataworks", ve.Service)
			var fields []string
			for _, f := range ve.Fields {
				fields = append(fields, f.Field)
			}
			assert.Equal(t, tc.fields, fields)
			assert.Zero(t, creds.n.Load(), "credentials looked up")
			assert.Zero(t, sends.Load(), "requests sent")
		})
	}
}

// The caller's request and its lists are never modified.
func TestRequestsAreNotModified(t *testing.T) {
	srv, c := newTestServer(t)
	srv.queue("CreateProjectMember", http.StatusOK, `{"RequestId":"R"}`)
	codes := []dataworks.RoleCode{dataworks.RoleProjectPE, dataworks.RoleProjectDev}
	req := &CreateProjectMemberRequest{ProjectID: 27, UserID: "u", RoleCodes: codes}
	_, err := c.CreateProjectMember(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, &CreateProjectMemberRequest{ProjectID: 27, UserID: "u", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectPE, dataworks.RoleProjectDev}}, req)
	assertForm(t, srv.only(t), "CreateProjectMember",
		"ProjectId=27&RoleCodes=%5B%22role_project_pe%22%2C%22role_project_dev%22%5D&UserId=u")
}
