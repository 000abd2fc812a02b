package dataworkstest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

func TestWrongSecretIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	_, c := start(t, func(o *dataworks.Options) {
		o.Endpoint = srv.URL
		o.Credentials = signer.StaticCredentials(creds.AccessKeyID, creds.AccessKeySecret+"x", "")
	})

	_, err = c.CreateProjectMember(context.Background(), &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "u"})
	assert.ErrorIs(t, err, acserrors.ErrSignatureMismatch)
	e := apiError(t, err)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, "SignatureDoesNotMatch", e.Code)
	_, ok := srv.MemberRoles(27, "u")
	assert.False(t, ok)
	assert.Zero(t, srv.RequestCount("CreateProjectMember"))
}

func TestUnknownKeyIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	_, c := start(t, func(o *dataworks.Options) {
		o.Endpoint = srv.URL
		o.Credentials = signer.StaticCredentials("LTAInobody", "secret", "")
	})
	_, err := c.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	assert.ErrorIs(t, err, acserrors.ErrInvalidCredentials)
	assert.Equal(t, "InvalidAccessKeyId.NotFound", apiError(t, err).Code)
}

func TestStaleDateIsRefused(t *testing.T) {
	srv, c := start(t, nil, dataworkstest.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))
	srv.AddProject(27)
	_, err := c.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	assert.ErrorIs(t, err, acserrors.ErrClockSkew)
	assert.Equal(t, "InvalidTimeStamp.Expired", apiError(t, err).Code)

	// A malformed date has its own code.
	r := signedRPC(t, srv, "ListProjectRoles", "ProjectId=27", time.Now(), "", nil)
	r.Header.Set("x-acs-date", "yesterday")
	status, doc := do(t, r)
	assert.Equal(t, 400, status)
	assert.Equal(t, "InvalidTimeStamp.Format", doc["Code"])
}

func TestReusedNonceIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	at := time.Now()
	status, _ := do(t, signedRPC(t, srv, "CreateProjectMember", "ProjectId=27&UserId=a", at, "same-nonce", nil))
	require.Equal(t, 200, status)

	status, doc := do(t, signedRPC(t, srv, "CreateProjectMember", "ProjectId=27&UserId=b", at, "same-nonce", nil))
	assert.Equal(t, 400, status)
	assert.Equal(t, "SignatureNonceUsed", doc["Code"])
	_, ok := srv.MemberRoles(27, "b")
	assert.False(t, ok, "the replay did not act")
}

func TestQueryChangedAfterSigningIsRefused(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	srv.AddProjectMember(27, "u")
	r := signedRPC(t, srv, "AddProjectMemberToRole", "ProjectId=27&RoleCode=role_project_guest&UserId=u", time.Now(), "", nil)
	r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "role_project_guest", "role_project_owner", 1)
	status, doc := do(t, r)
	assert.Equal(t, 400, status)
	assert.Equal(t, "SignatureDoesNotMatch", doc["Code"])
	roles, _ := srv.MemberRoles(27, "u")
	assert.Empty(t, roles)
}

// A request shaped like the official Go SDK's (darabonba-openapi): it signs
// the canonical query but sends url.Values.Encode() (a space as "+"), signs
// x-acs-credentials-provider and sends accept and user-agent unsigned.
func TestOfficialSDKShapedRequestIsAccepted(t *testing.T) {
	srv, _ := start(t, nil)
	srv.AddProject(27)
	q := url.Values{"ProjectId": {"27"}, "UserId": {"user one/名字*"}, "RoleCode": {"role_project_dev"}, "ClientToken": {"tok 1"}}
	canonical := strings.ReplaceAll(q.Encode(), "+", "%20")
	r := signedRPC(t, srv, "CreateProjectMember", canonical, time.Now(), "", func(r *http.Request) {
		r.Header.Set("x-acs-credentials-provider", "static_ak")
		r.Header.Set("accept", "application/json")
		r.Header.Set("user-agent", "AlibabaCloud (linux; amd64) Golang/1.26.8 Core/0.01 TeaDSL/2")
	})
	require.Contains(t, r.Header.Get("Authorization"), "x-acs-credentials-provider")
	r.URL.RawQuery = q.Encode()
	require.Contains(t, r.URL.RawQuery, "user+one")

	status, doc := do(t, r)
	require.Equal(t, 200, status, "%v", doc)
	roles, ok := srv.MemberRoles(27, "user one/名字*")
	require.True(t, ok)
	assert.Equal(t, []dataworks.RoleCode{dataworks.RoleProjectDev}, roles)
}
