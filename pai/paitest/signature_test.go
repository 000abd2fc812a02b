package paitest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
	"github.com/acsmembers/acsmembers-go/signer"
)

func TestWrongSecretIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws")
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	_, c := start(t, func(o *pai.Options) {
		o.Endpoint = srv.URL
		o.Credentials = signer.StaticCredentials(creds.AccessKeyID, "not-the-secret", "")
	})

	_, err = c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
	assert.ErrorIs(t, err, acserrors.ErrSignatureMismatch)
	e := apiError(t, err)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, "SignatureDoesNotMatch", e.Code)
	assert.Zero(t, srv.RequestCount("GetWorkspace"), "a refused request reaches no operation")
}

func TestUnknownKeyIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws")
	_, c := start(t, func(o *pai.Options) {
		o.Endpoint = srv.URL
		o.Credentials = signer.StaticCredentials("LTAIsomeoneelse", "secret", "")
	})

	_, err := c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
	assert.ErrorIs(t, err, acserrors.ErrInvalidCredentials)
	e := apiError(t, err)
	assert.Equal(t, 404, e.StatusCode)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", e.Code)
}

func TestAnotherServersKeyIsRefused(t *testing.T) {
	a, _ := start(t, nil)
	b, _ := start(t, nil)
	_, c := start(t, func(o *pai.Options) { o.Endpoint, o.Credentials = a.URL, b.Credentials() })
	_, err := c.ListWorkspaces(context.Background(), &pai.ListWorkspacesRequest{})
	assert.ErrorIs(t, err, acserrors.ErrInvalidCredentials, "each fake has its own key pair")
}

func TestStaleDateIsRefused(t *testing.T) {
	for _, skew := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		srv, c := start(t, nil, paitest.WithClock(func() time.Time { return time.Now().Add(skew) }))
		srv.AddWorkspace("ws")
		_, err := c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
		assert.ErrorIs(t, err, acserrors.ErrClockSkew, "server clock off by %v", skew)
		assert.Equal(t, "InvalidTimeStamp.Expired", apiError(t, err).Code)
	}
	// Within the window is fine.
	srv, c := start(t, nil, paitest.WithClock(func() time.Time { return time.Now().Add(10 * time.Minute) }))
	srv.AddWorkspace("ws")
	_, err := c.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
	assert.NoError(t, err)
}

func TestReusedNonceIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws")
	at := time.Now()
	status, _ := do(t, signedRequest(t, srv, "GET", "/api/v1/workspaces/ws", "GetWorkspace", at, "fixed-nonce", nil))
	require.Equal(t, 200, status)

	status, doc := do(t, signedRequest(t, srv, "GET", "/api/v1/workspaces/ws", "GetWorkspace", at, "fixed-nonce", nil))
	assert.Equal(t, 400, status)
	assert.Equal(t, "SignatureNonceUsed", doc["Code"])
	assert.Equal(t, 1, srv.RequestCount("GetWorkspace"))
}

// A request whose query was changed after signing is refused and does nothing.
func TestQueryChangedAfterSigningIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws")
	srv.AddMember("ws", "a", pai.RoleAlgoDeveloper)
	srv.AddMember("ws", "b", pai.RoleAlgoDeveloper)

	r := signedRequest(t, srv, "DELETE", "/api/v1/workspaces/ws/members?MemberIds=ws-a", "DeleteMembers", time.Now(), "", nil)
	r.URL.RawQuery = "MemberIds=ws-b"
	status, doc := do(t, r)
	assert.Equal(t, 400, status)
	assert.Equal(t, "SignatureDoesNotMatch", doc["Code"])
	_, ok := srv.Member("ws", "b")
	assert.True(t, ok, "b is still a member")

	r = signedRequest(t, srv, "DELETE", "/api/v1/workspaces/ws/members?MemberIds=ws-a", "DeleteMembers", time.Now(), "", nil)
	r.URL.RawQuery += "%2Cws-b"
	status, _ = do(t, r)
	assert.Equal(t, 400, status)
	_, ok = srv.Member("ws", "b")
	assert.True(t, ok)
}

// A request shaped like the official Go SDK's (darabonba-openapi): the query
// on the wire is url.Values.Encode() (a space as "+"), not the canonical
// string it signed; it signs x-acs-credentials-provider and sends accept and
// user-agent unsigned.
func TestOfficialSDKShapedRequestsAreAccepted(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddWorkspace("ws 1")
	srv.AddUser("u1", "Alice Admin")
	srv.AddMember("ws 1", "u1", pai.RoleWorkspaceAdmin)
	official := func(r *http.Request) {
		r.Header.Set("x-acs-credentials-provider", "static_ak")
		r.Header.Set("accept", "application/json")
		r.Header.Set("user-agent", "AlibabaCloud (linux; amd64) Golang/1.26.8 Core/0.01 TeaDSL/2")
	}

	q := url.Values{"MemberName": {"alice admin"}, "Roles": {"PAI.AlgoDeveloper,PAI.WorkspaceAdmin"}}
	canonical := strings.ReplaceAll(q.Encode(), "+", "%20")
	r := signedRequest(t, srv, "GET", "/api/v1/workspaces/ws%201/members?"+canonical, "ListMembers", time.Now(), "", official)
	require.Contains(t, r.Header.Get("Authorization"), "x-acs-credentials-provider")
	r.URL.RawQuery = q.Encode()
	require.Contains(t, r.URL.RawQuery, "alice+admin")
	status, doc := do(t, r)
	require.Equal(t, 200, status, "%v", doc)
	assert.EqualValues(t, 1, doc["TotalCount"])

	// The body is what dara.Stringify writes for a map: keys sorted.
	body := []byte(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"u 2"}]}`)
	r = signedBody(t, srv, "POST", "/api/v1/workspaces/ws%201/members", "CreateMember", body, time.Now(), "", official)
	status, doc = do(t, r)
	require.Equal(t, 200, status, "%v", doc)
	m, ok := srv.Member("ws 1", "u 2")
	require.True(t, ok)
	assert.Equal(t, "ws 1-u 2", m.MemberID)
}
