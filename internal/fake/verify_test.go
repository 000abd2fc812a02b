package fake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testKey = KeyPair{AccessKeyID: "LTAItestkey", AccessKeySecret: "test-secret"}

// The official vector (SIGNING.md §2.1), checked without our signer: the
// Authorization header is the documented one, so Verify must reproduce the
// documented signature on its own.
func TestVerifyAcceptsTheOfficialVector(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost,
		"http://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
	require.NoError(t, err)
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-version", "2014-05-26")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
	r.Header.Set("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"+
		"SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"+
		"Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0")
	key := KeyPair{AccessKeyID: "YourAccessKeyId", AccessKeySecret: "YourAccessKeySecret"}
	at := time.Date(2023, 10, 26, 10, 22, 32, 0, time.UTC)

	assert.Nil(t, verifyAt(t, r, nil, key, at))

	r.Header.Set("x-acs-version", "2014-05-27") // any signed byte changed must break it
	e := verifyAt(t, r, nil, key, at)
	require.NotNil(t, e)
	assert.Equal(t, "SignatureDoesNotMatch", e.Code)
}

func TestVerifyAcceptsSignedRequests(t *testing.T) {
	for _, tc := range []struct {
		name, method, url string
		body              []byte
	}{
		{"GET with hostile path and query", http.MethodGet,
			"http://127.0.0.1:8080/api/v1/workspaces/a%2Fb%20%E5%90%8D%E5%AD%97/member?UserId=x%3Fy%23z%26w%2Bv%20%2A~", nil},
		{"POST with a JSON body", http.MethodPost,
			"http://127.0.0.1:8080/api/v1/workspaces/ws/members", []byte(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"u1"}]}`)},
		{"RPC with an empty value", http.MethodPost,
			"http://127.0.0.1:8080/?Empty=&ProjectId=27", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sign(t, build(t, tc.method, tc.url, "Op", "2000-01-01", tc.body), tc.body, testKey, t0, "")
			assert.Nil(t, verifyAt(t, r, tc.body, testKey, t0))
		})
	}
}

// The official SDK signs the canonical query but sends url.Values.Encode()
// (a space as "+", other escapes its own way) and signs its
// x-acs-credentials-provider header: Verify must re-canonicalise and accept.
func TestVerifyAcceptsTheOfficialSDKShape(t *testing.T) {
	vals := url.Values{"UserId": {"a b/名字*~"}, "ProjectId": {"27"}, "RoleCode": {"role_project_dev"}, "Empty": {""}}
	r := build(t, http.MethodPost, "http://127.0.0.1:8080/?"+canonicalOf(vals), "AddProjectMemberToRole", "2020-05-18", nil)
	r.Header.Set("x-acs-credentials-provider", "static_ak")
	r.Header.Set("user-agent", "AlibabaCloud (linux; amd64) Golang/1.26 Core/0.01 TeaDSL/2") // unsigned
	r.Header.Set("accept", "application/json")                                               // unsigned
	sign(t, r, nil, testKey, t0, "")
	require.Contains(t, r.Header.Get("Authorization"), "x-acs-credentials-provider")

	r.URL.RawQuery = vals.Encode()
	require.Contains(t, r.URL.RawQuery, "a+b", "the query is sent in the form-encoded shape")
	assert.Nil(t, verifyAt(t, r, nil, testKey, t0))
}

// canonicalOf writes vals as the canonical query the signer expects.
func canonicalOf(vals url.Values) string {
	return strings.ReplaceAll(vals.Encode(), "+", "%20")
}

func TestVerifyRefuses(t *testing.T) {
	body := []byte(`{"Members":[]}`)
	const target = "http://127.0.0.1:8080/api/v1/workspaces/ws%201/members?MemberName=a%20b"
	signed := func(t *testing.T, key KeyPair) *http.Request {
		return sign(t, build(t, http.MethodPost, target, "CreateMember", "2021-02-04", body), body, key, t0, "")
	}
	for _, tc := range []struct {
		name       string
		key        KeyPair // signing key; zero: testKey
		mutate     func(r *http.Request)
		body       []byte // the body the server receives; nil: the signed one
		now        time.Time
		wantStatus int
		wantCode   string
	}{
		{name: "no Authorization", mutate: func(r *http.Request) { r.Header.Del("Authorization") },
			wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "garbled Authorization", mutate: func(r *http.Request) { r.Header.Set("Authorization", "ACS3-HMAC-SHA256 nonsense") },
			wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "Authorization without a space", mutate: func(r *http.Request) { r.Header.Set("Authorization", "garbage") },
			wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "other algorithm", mutate: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
		}, wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "no Signature field", mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, ",Signature=")])
		}, wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "repeated field", mutate: func(r *http.Request) {
			r.Header.Set("Authorization", r.Header.Get("Authorization")+",Signature=00")
		}, wantStatus: 400, wantCode: "IncompleteSignature"},
		{name: "no x-acs-action", mutate: func(r *http.Request) { r.Header.Del("x-acs-action") },
			wantStatus: 400, wantCode: "MissingParameter"},
		{name: "no x-acs-version", mutate: func(r *http.Request) { r.Header.Del("x-acs-version") },
			wantStatus: 400, wantCode: "MissingParameter"},
		{name: "no nonce", mutate: func(r *http.Request) { r.Header.Del("x-acs-signature-nonce") },
			wantStatus: 400, wantCode: "MissingParameter"},
		{name: "malformed date", mutate: func(r *http.Request) { r.Header.Set("x-acs-date", "2026/03/14 15:09:26") },
			wantStatus: 400, wantCode: "InvalidTimeStamp.Format"},
		{name: "date 16 minutes old", now: t0.Add(16 * time.Minute), wantStatus: 400, wantCode: "InvalidTimeStamp.Expired"},
		{name: "date 16 minutes ahead", now: t0.Add(-16 * time.Minute), wantStatus: 400, wantCode: "InvalidTimeStamp.Expired"},
		{name: "unknown AccessKeyId", key: KeyPair{AccessKeyID: "LTAIother", AccessKeySecret: testKey.AccessKeySecret},
			wantStatus: 404, wantCode: "InvalidAccessKeyId.NotFound"},
		{name: "wrong secret", key: KeyPair{AccessKeyID: testKey.AccessKeyID, AccessKeySecret: "guess"},
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "STS token with a permanent key", mutate: func(r *http.Request) { r.Header.Set("x-acs-security-token", "tok") },
			wantStatus: 400, wantCode: "InvalidSecurityToken.MismatchWithAccessKey"},
		{name: "body changed", body: []byte(`{"Members":[1]}`), wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "query changed", mutate: func(r *http.Request) { r.URL.RawQuery = "MemberName=a%20c" },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "query added", mutate: func(r *http.Request) { r.URL.RawQuery += "&Roles=PAI.WorkspaceOwner" },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "path changed", mutate: func(r *http.Request) { r.URL.RawPath, r.URL.Path = "", "/api/v1/workspaces/ws2/members" },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "method changed", mutate: func(r *http.Request) { r.Method = http.MethodPut },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "signed header changed", mutate: func(r *http.Request) { r.Header.Set("x-acs-action", "DeleteMembers") },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "unsigned x-acs header added", mutate: func(r *http.Request) { r.Header.Set("x-acs-extra", "1") },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
		{name: "content type dropped", mutate: func(r *http.Request) { r.Header.Del("Content-Type") },
			wantStatus: 400, wantCode: "SignatureDoesNotMatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == (KeyPair{}) {
				key = testKey
			}
			r := signed(t, key)
			if tc.mutate != nil {
				tc.mutate(r)
			}
			got := body
			if tc.body != nil {
				got = tc.body
			}
			now := tc.now
			if now.IsZero() {
				now = t0
			}
			e := verifyAt(t, r, got, testKey, now)
			require.NotNil(t, e, "the request must be refused")
			assert.Equal(t, tc.wantStatus, e.Status)
			assert.Equal(t, tc.wantCode, e.Code, e.Message)
			assert.NotContains(t, e.Message, testKey.AccessKeySecret, "no error reveals the secret")
		})
	}
}

// The window is inclusive: exactly 15 minutes either way is still accepted.
func TestVerifyDateWindowEdges(t *testing.T) {
	for _, d := range []time.Duration{MaxSkew, -MaxSkew, 0} {
		r := sign(t, build(t, http.MethodGet, "http://127.0.0.1:8080/echo", "Echo", "2000-01-01", nil), nil, testKey, t0, "")
		assert.Nil(t, verifyAt(t, r, nil, testKey, t0.Add(d)), "skew %v", d)
	}
	r := sign(t, build(t, http.MethodGet, "http://127.0.0.1:8080/echo", "Echo", "2000-01-01", nil), nil, testKey, t0, "")
	assert.NotNil(t, verifyAt(t, r, nil, testKey, t0.Add(MaxSkew+time.Second)))
}

// A mismatch explains itself with the server's view of the request, as the
// gateway does, which is what a developer needs to find the difference.
func TestVerifyMismatchShowsCanonicalRequest(t *testing.T) {
	r := sign(t, build(t, http.MethodGet, "http://127.0.0.1:8080/echo?A=1", "Echo", "2000-01-01", nil), nil,
		KeyPair{AccessKeyID: testKey.AccessKeyID, AccessKeySecret: "other"}, t0, "nonce-1")
	e := verifyAt(t, r, nil, testKey, t0)
	require.NotNil(t, e)
	assert.Contains(t, e.Message, `GET\n/echo\nA=1\nhost:127.0.0.1:8080\n`)
	assert.Contains(t, e.Message, "x-acs-signature-nonce:nonce-1")
}

func TestParseAuthorizationToleratesSpaces(t *testing.T) {
	a, e := parseAuthorization("ACS3-HMAC-SHA256 Credential=AK, SignedHeaders=host;x-acs-date, Signature=abc")
	require.Nil(t, e)
	assert.Equal(t, authorization{credential: "AK", signedHeaders: "host;x-acs-date", signature: "abc"}, a)
}
