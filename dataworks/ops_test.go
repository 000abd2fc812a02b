package dataworks

import (
	"context"
	stderrors "errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// Every operation sends POST / with all parameters in the canonical query,
// an empty body and a valid signature, and returns the reply's RequestId.
func TestEveryOperationWire(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			c := gockClient(t)
			var rec recorder
			rec.reply(op.action, http.StatusOK, op.ok)

			id, err := op.call(context.Background(), c, defaultArgs)
			require.NoError(t, err)
			assert.Equal(t, "REQ-OK", id)
			assertRPC(t, rec.only(t), op.action, op.query)
		})
	}
}

// A UserID is data, never syntax: whatever it holds stays inside the UserId
// value, percent-encoded per RFC 3986, so it cannot add, replace or cut off a
// parameter or reach the path.
func TestHostileUserIDsStayInTheirQueryValue(t *testing.T) {
	ids := []struct{ id, encoded string }{
		{"a/b", "a%2Fb"},
		{"../../x", "..%2F..%2Fx"},
		{"x?y=1", "x%3Fy%3D1"},
		{"x#frag", "x%23frag"},
		{"u&ProjectId=1", "u%26ProjectId%3D1"},
		{"a+b", "a%2Bb"},
		{"k=v", "k%3Dv"},
		{"with space", "with%20space"},
		{"用户é", "%E7%94%A8%E6%88%B7%C3%A9"},
		{"%41*~._-", "%2541%2A~._-"},
	}
	for _, op := range allOps() {
		if !op.hasUser {
			continue
		}
		for _, tc := range ids {
			t.Run(op.action+"/"+tc.id, func(t *testing.T) {
				c := gockClient(t)
				var rec recorder
				rec.reply(op.action, http.StatusOK, op.ok)

				args := defaultArgs
				args.UserID = tc.id
				_, err := op.call(context.Background(), c, args)
				require.NoError(t, err)

				s := rec.only(t)
				want := strings.Replace(op.query, "UserId=1234", "UserId="+tc.encoded, 1)
				assertRPC(t, s, op.action, want)
				assert.Equal(t, []string{tc.id}, s.req.URL.Query()["UserId"], "decoded by the server")
				assert.Equal(t, []string{"27"}, s.req.URL.Query()["ProjectId"])
			})
		}
	}
}

// The documented DataWorks codes match their sentinels whatever the status
// they come with, match no other sentinel, and are not retried.
func TestErrorIdentities(t *testing.T) {
	sentinels := []error{
		acserrors.ErrUserNotInProject, acserrors.ErrProjectNotFound, acserrors.ErrConnectionNotFound,
		acserrors.ErrNotProjectOwnerOrAdmin, acserrors.ErrUserNotInTenant, acserrors.ErrUserAlreadyInProject,
		acserrors.ErrAccessDenied, acserrors.ErrInvalidParameter, acserrors.ErrServiceUnavailable,
		acserrors.ErrThrottled, acserrors.ErrMemberNotFound,
	}
	cases := []struct {
		code   string
		status int
		want   []error
	}{
		{"Invalid.Tenant.UserNotInProject", 400, []error{acserrors.ErrUserNotInProject}},
		{"Invalid.Tenant.ProjectNotExists", 400, []error{acserrors.ErrProjectNotFound}},
		{"Invalid.Tenant.ConnectionNotExists", 400, []error{acserrors.ErrConnectionNotFound}},
		{"Invalid.Tenant.UserNotInTenant", 400, []error{acserrors.ErrUserNotInTenant}},
		{"Invalid.Tenant.UserNotInTenant", 403, []error{acserrors.ErrUserNotInTenant}},
		{"Invalid.Tenant.UserIsNotProjectOwnerOrAdmin", 403, []error{acserrors.ErrNotProjectOwnerOrAdmin, acserrors.ErrAccessDenied}},
		{"Invalid.Tenant.UserAlreadyInProject", 400, []error{acserrors.ErrUserAlreadyInProject}},
	}
	for _, op := range allOps() {
		for _, tc := range cases {
			t.Run(op.action+"/"+tc.code+"/"+http.StatusText(tc.status), func(t *testing.T) {
				c := gockClient(t)
				var rec recorder
				rec.reply(op.action, tc.status,
					`{"RequestId":"REQ-ERR","HostId":"dataworks.cn-shanghai.aliyuncs.com","Code":"`+tc.code+`","Message":"documented message"}`)

				id, err := op.call(context.Background(), c, defaultArgs)
				require.Error(t, err)
				assert.Empty(t, id, "no response with an error")
				for _, s := range sentinels {
					want := false
					for _, w := range tc.want {
						want = want || w == s
					}
					assert.Equal(t, want, stderrors.Is(err, s), "errors.Is(err, %v)", s)
				}
				var apiErr *acserrors.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "dataworks", apiErr.Service)
				assert.Equal(t, op.action, apiErr.Operation)
				assert.Equal(t, tc.status, apiErr.StatusCode)
				assert.Equal(t, tc.code, apiErr.Code)
				assert.Equal(t, "documented message", apiErr.Message)
				assert.Equal(t, "REQ-ERR", apiErr.RequestID)
				assert.Equal(t, "dataworks.cn-shanghai.aliyuncs.com", apiErr.HostID)
				assertRPC(t, rec.only(t), op.action, op.query) // once: a 4xx is never repeated
			})
		}
	}
}

// Every DataWorks operation is safe to repeat (set-state or ClientToken), so
// a 503 is retried. Each attempt is signed afresh (new nonce) over the same
// prepared query, so a generated ClientToken is the same on every attempt.
func TestEveryOperationRetriesA503WithTheSameQuery(t *testing.T) {
	for _, op := range allOps() {
		t.Run(op.action, func(t *testing.T) {
			c := gockClient(t)
			var rec recorder
			rec.reply(op.action, http.StatusServiceUnavailable, `{"RequestId":"REQ-503","Code":"ServiceUnavailable","Message":"try later"}`)
			rec.reply(op.action, http.StatusOK, op.ok)

			args := defaultArgs
			args.ClientToken = "" // the SDK generates one
			id, err := op.call(context.Background(), c, args)
			require.NoError(t, err)
			assert.Equal(t, "REQ-OK", id)

			reqs := rec.all()
			require.Len(t, reqs, 2)
			first, second := reqs[0].req, reqs[1].req
			want := op.query
			if op.hasToken {
				token := first.URL.Query().Get("ClientToken")
				assert.Regexp(t, uuidRE, token, "generated ClientToken")
				want = strings.Replace(want, "ClientToken=tok-1", "ClientToken="+token, 1)
			}
			for _, s := range reqs {
				assertRPC(t, s, op.action, want)
			}
			n1, n2 := first.Header.Get("X-Acs-Signature-Nonce"), second.Header.Get("X-Acs-Signature-Nonce")
			assert.NotEmpty(t, n1)
			assert.NotEqual(t, n1, n2, "each attempt has its own nonce")
			assert.NotEqual(t, first.Header.Get("Authorization"), second.Header.Get("Authorization"))
		})
	}
}

// Invalid requests fail with a ValidationError naming every offending field,
// before any credential look-up or byte on the wire.
func TestValidationComesFirst(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		call   func(*Client) error
		fields []string
	}{
		{"Add/nil", func(c *Client) error { _, err := c.AddProjectMemberToRole(ctx, nil); return err }, []string{"request"}},
		{"Add/empty", func(c *Client) error {
			_, err := c.AddProjectMemberToRole(ctx, &AddProjectMemberToRoleRequest{})
			return err
		}, []string{"ProjectID", "UserID", "RoleCode"}},
		{"Add/bad token", func(c *Client) error {
			_, err := c.AddProjectMemberToRole(ctx, &AddProjectMemberToRoleRequest{ProjectID: 1, UserID: "u", RoleCode: RoleProjectDev, ClientToken: "a\x00b"})
			return err
		}, []string{"ClientToken"}},
		{"Remove/nil", func(c *Client) error { _, err := c.RemoveProjectMemberFromRole(ctx, nil); return err }, []string{"request"}},
		{"Remove/no role, negative project, dot-dot user", func(c *Client) error {
			_, err := c.RemoveProjectMemberFromRole(ctx, &RemoveProjectMemberFromRoleRequest{ProjectID: -3, UserID: ".."})
			return err
		}, []string{"ProjectID", "UserID", "RoleCode"}},
		{"Create/nil", func(c *Client) error { _, err := c.CreateProjectMember(ctx, nil); return err }, []string{"request"}},
		{"Create/empty", func(c *Client) error {
			_, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{})
			return err
		}, []string{"ProjectID", "UserID"}},
		{"Create/control chars in role and token, invalid UTF-8 user", func(c *Client) error {
			_, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{ProjectID: 1, UserID: "\xff", RoleCode: "role\n", ClientToken: "\x7f"})
			return err
		}, []string{"UserID", "RoleCode", "ClientToken"}},
		{"Delete/nil", func(c *Client) error { _, err := c.DeleteProjectMember(ctx, nil); return err }, []string{"request"}},
		{"Delete/dot user", func(c *Client) error {
			_, err := c.DeleteProjectMember(ctx, &DeleteProjectMemberRequest{ProjectID: 5, UserID: "."})
			return err
		}, []string{"UserID"}},
		{"ListMembers/nil", func(c *Client) error { _, err := c.ListProjectMembers(ctx, nil); return err }, []string{"request"}},
		{"ListMembers/no project, page size 101, negative page", func(c *Client) error {
			_, err := c.ListProjectMembers(ctx, &ListProjectMembersRequest{PageNumber: -1, PageSize: 101})
			return err
		}, []string{"ProjectID", "PageNumber", "PageSize"}},
		{"ListMembers/negative page size", func(c *Client) error {
			_, err := c.ListProjectMembers(ctx, &ListProjectMembersRequest{ProjectID: 1, PageSize: -1})
			return err
		}, []string{"PageSize"}},
		{"ListRoles/nil", func(c *Client) error { _, err := c.ListProjectRoles(ctx, nil); return err }, []string{"request"}},
		{"ListRoles/zero project", func(c *Client) error {
			_, err := c.ListProjectRoles(ctx, &ListProjectRolesRequest{})
			return err
		}, []string{"ProjectID"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			creds := &countingCreds{}
			var sends int
			c, err := New(Options{
				Endpoint: testEndpoint, Credentials: creds,
				HTTPClient: doerFunc(func(*http.Request) (*http.Response, error) {
					sends++
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
			assert.Zero(t, sends, "requests sent")
		})
	}
}
