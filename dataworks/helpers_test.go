package dataworks

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

const (
	// testEndpoint is never resolved: gock answers every request in process.
	testEndpoint = "http://dataworks.test"
	testKeyID    = "test-key-id"
	testSecret   = "test-key-secret"
	// emptySHA256 is the SHA-256 of nothing, written out rather than computed
	// so a wrong hash in the signer cannot hide here.
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// signedHeaders is what every DataWorks request signs: no content-type,
	// as there is no body.
	signedHeaders = "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version"
)

var (
	authRE = regexp.MustCompile(`^ACS3-HMAC-SHA256 Credential=` + testKeyID +
		`,SignedHeaders=` + regexp.QuoteMeta(signedHeaders) + `,Signature=([0-9a-f]{64})$`)
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// testClient returns a Client sending through doer, with the pipeline's
// backoff sleep replaced by one that records the wait and returns at once.
func testClient(t *testing.T, doer HTTPDoer) *Client {
	t.Helper()
	core, err := internal.New(internal.Config{
		Service: service.Name, Version: service.Version, Endpoint: testEndpoint,
		Credentials: signer.StaticCredentials(testKeyID, testSecret, ""),
		HTTPClient:  doer,
		Sleep:       func(context.Context, time.Duration) error { return nil },
	})
	require.NoError(t, err)
	return &Client{core: core}
}

// gockClient returns a Client whose dedicated *http.Client is intercepted by
// gock. When the test ends it checks that every registered reply was used and
// turns gock off.
func gockClient(t *testing.T) *Client {
	t.Helper()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	t.Cleanup(func() {
		assert.True(t, gock.IsDone(), "%d gock replies were never requested", len(gock.Pending()))
		gock.Off()
		gock.RestoreClient(hc)
	})
	return testClient(t, hc)
}

// sent is one request as it reached the wire.
type sent struct {
	req  *http.Request
	body []byte
}

// recorder captures the requests gock matched.
type recorder struct {
	mu   sync.Mutex
	reqs []sent
}

// match is a gock matcher that records the request and accepts it.
func (rec *recorder) match(r *http.Request, _ *gock.Request) (bool, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return false, err
		}
		body = b
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, sent{r, body})
	return true, nil
}

func (rec *recorder) all() []sent {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]sent(nil), rec.reqs...)
}

// only returns the one request recorded, failing the test if there were more or none.
func (rec *recorder) only(t *testing.T) sent {
	t.Helper()
	all := rec.all()
	require.Len(t, all, 1, "requests sent")
	return all[0]
}

// reply registers one gock reply to a POST of action and records the request.
func (rec *recorder) reply(action string, status int, body string) {
	gock.New(testEndpoint).
		Post("/").
		MatchHeader("X-Acs-Action", "^"+action+"$").
		AddMatcher(rec.match).
		Reply(status).
		SetHeader("Content-Type", "application/json").
		BodyString(body)
}

// assertRPC checks the wire form every DataWorks operation shares: POST /
// with exactly rawQuery, an empty body and its hash, the action and version
// headers, no content-type, and a signature over exactly these bytes.
func assertRPC(t *testing.T, s sent, action, rawQuery string) {
	t.Helper()
	r := s.req
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "/", r.URL.EscapedPath())
	assert.Equal(t, rawQuery, r.URL.RawQuery, "query on the wire")
	assert.Empty(t, s.body, "body")
	assert.Zero(t, r.ContentLength, "content length")
	assert.Equal(t, emptySHA256, r.Header.Get("X-Acs-Content-Sha256"))
	assert.Equal(t, action, r.Header.Get("X-Acs-Action"))
	assert.Equal(t, "2020-05-18", r.Header.Get("X-Acs-Version"))
	assert.NotContains(t, r.Header, "Content-Type")
	assert.Equal(t, "dataworks.test", r.Host)
	assertSigned(t, r)
}

// assertSigned recomputes the ACS3 signature from the request as received
// (path, raw query, headers, empty payload) and compares it with the one in
// Authorization: the bytes sent must be the bytes signed.
func assertSigned(t *testing.T, r *http.Request) {
	t.Helper()
	m := authRE.FindStringSubmatch(r.Header.Get("Authorization"))
	require.NotNil(t, m, "Authorization %q", r.Header.Get("Authorization"))
	require.Equal(t, r.URL.RawQuery, signer.CanonicalQuery(r.URL.RawQuery), "the query sent is not canonical")
	headers, signed := signer.CanonicalHeaders(r.Header, r.Host)
	require.Equal(t, signedHeaders, signed)
	canonical := strings.Join([]string{
		r.Method, signer.CanonicalURI(r.URL.EscapedPath()), r.URL.RawQuery, headers, signed, emptySHA256,
	}, "\n")
	assert.Equal(t, signer.Signature(testSecret, signer.StringToSign(canonical)), m[1], "signature")
}

// opArgs are the inputs a test varies across operations.
type opArgs struct {
	UserID      string
	ClientToken string
}

// opCase is one DataWorks operation as the table tests drive it.
type opCase struct {
	action   string
	hasUser  bool // takes a UserID
	hasToken bool // carries a ClientToken
	// call runs the operation for project 27, role role_project_guest (where
	// it takes one), page 2 of 50 (for the listing) and a; it returns the
	// response's RequestID.
	call func(ctx context.Context, c *Client, a opArgs) (string, error)
	// query is the exact wire query for UserID "1234" and ClientToken "tok-1".
	query string
	// ok is a successful reply carrying RequestId "REQ-OK".
	ok string
}

// defaultArgs are the arguments opCase.query is written for.
var defaultArgs = opArgs{UserID: "1234", ClientToken: "tok-1"}

// withResponse marks a call that returned a response alongside an error,
// which no operation may do.
const withResponse = "response returned with an error"

// callResult reduces an operation's result to its RequestID.
func callResult(hasResp bool, id string, err error) (string, error) {
	if err != nil && hasResp {
		return withResponse, err
	}
	return id, err
}

func allOps() []opCase {
	return []opCase{
		{
			action: "AddProjectMemberToRole", hasUser: true, hasToken: true,
			call: func(ctx context.Context, c *Client, a opArgs) (string, error) {
				resp, err := c.AddProjectMemberToRole(ctx, &AddProjectMemberToRoleRequest{
					ProjectID: 27, UserID: a.UserID, RoleCode: RoleProjectGuest, ClientToken: a.ClientToken,
				})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "ClientToken=tok-1&ProjectId=27&RoleCode=role_project_guest&UserId=1234",
			ok:    `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "RemoveProjectMemberFromRole", hasUser: true,
			call: func(ctx context.Context, c *Client, a opArgs) (string, error) {
				resp, err := c.RemoveProjectMemberFromRole(ctx, &RemoveProjectMemberFromRoleRequest{
					ProjectID: 27, UserID: a.UserID, RoleCode: RoleProjectGuest,
				})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "ProjectId=27&RoleCode=role_project_guest&UserId=1234",
			ok:    `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "CreateProjectMember", hasUser: true, hasToken: true,
			call: func(ctx context.Context, c *Client, a opArgs) (string, error) {
				resp, err := c.CreateProjectMember(ctx, &CreateProjectMemberRequest{
					ProjectID: 27, UserID: a.UserID, RoleCode: RoleProjectGuest, ClientToken: a.ClientToken,
				})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "ClientToken=tok-1&ProjectId=27&RoleCode=role_project_guest&UserId=1234",
			ok:    `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "DeleteProjectMember", hasUser: true,
			call: func(ctx context.Context, c *Client, a opArgs) (string, error) {
				resp, err := c.DeleteProjectMember(ctx, &DeleteProjectMemberRequest{ProjectID: 27, UserID: a.UserID})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "ProjectId=27&UserId=1234",
			ok:    `{"RequestId":"REQ-OK"}`,
		},
		{
			action: "ListProjectMembers",
			call: func(ctx context.Context, c *Client, _ opArgs) (string, error) {
				resp, err := c.ListProjectMembers(ctx, &ListProjectMembersRequest{ProjectID: 27, PageNumber: 2, PageSize: 50})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "PageNumber=2&PageSize=50&ProjectId=27",
			ok:    `{"RequestId":"REQ-OK","Data":{"PageNumber":2,"PageSize":50,"TotalCount":0,"ProjectMemberList":[]}}`,
		},
		{
			action: "ListProjectRoles",
			call: func(ctx context.Context, c *Client, _ opArgs) (string, error) {
				resp, err := c.ListProjectRoles(ctx, &ListProjectRolesRequest{ProjectID: 27})
				if resp == nil {
					return callResult(false, "", err)
				}
				return callResult(true, resp.RequestID, err)
			},
			query: "ProjectId=27",
			ok:    `{"RequestId":"REQ-OK","ProjectRoleList":[]}`,
		},
	}
}

// countingCreds counts credential look-ups, to prove validation comes first.
type countingCreds struct{ n atomic.Int32 }

func (c *countingCreds) Retrieve(context.Context) (signer.Credentials, error) {
	c.n.Add(1)
	return signer.Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret}, nil
}

// doerFunc adapts a function to HTTPDoer.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// pagingServer is an httptest DataWorks that answers ListProjectMembers with
// page(number, size) and records every query it receives.
type pagingServer struct {
	mu      sync.Mutex
	queries []string
}

func (p *pagingServer) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.queries...)
}

// newPagingServer starts the server and returns a Client for it, built with
// the public New as users build theirs.
func newPagingServer(t *testing.T, page func(number, size int) (status int, body string)) (*Client, *pagingServer) {
	t.Helper()
	p := &pagingServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.queries = append(p.queries, r.URL.RawQuery)
		p.mu.Unlock()
		if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("X-Acs-Action") != "ListProjectMembers" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"Code":"UnexpectedRequest"}`)
			return
		}
		q := r.URL.Query()
		status, body := page(atoi(q.Get("PageNumber")), atoi(q.Get("PageSize")))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Options{
		Endpoint:    srv.URL,
		Credentials: signer.StaticCredentials(testKeyID, testSecret, ""),
		HTTPClient:  srv.Client(),
		MaxAttempts: 1,
	})
	require.NoError(t, err)
	return c, p
}

// atoi reads a page parameter; absent or malformed is -1, which no page matches.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// pageBody is a ListProjectMembers reply listing the members with the given IDs.
func pageBody(number, size, total int, ids ...string) string {
	var b strings.Builder
	b.WriteString(`{"RequestId":"REQ-P","Data":{"PageNumber":`)
	b.WriteString(strconv.Itoa(number))
	b.WriteString(`,"PageSize":`)
	b.WriteString(strconv.Itoa(size))
	b.WriteString(`,"TotalCount":`)
	b.WriteString(strconv.Itoa(total))
	b.WriteString(`,"ProjectMemberList":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"ProjectMemberId":"` + id + `","ProjectMemberType":"5","Status":"0"}`)
	}
	b.WriteString(`]}}`)
	return b.String()
}
