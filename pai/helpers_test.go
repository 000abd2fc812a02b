package pai

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// gockEndpoint is where gock-backed clients send: loopback, and nothing
// listens there, so a request gock does not intercept fails instead of
// leaving the machine.
const gockEndpoint = "http://127.0.0.1:9"

const (
	testKeyID  = "test-ak"
	testSecret = "test-secret"
)

// newGockClient returns a Client whose HTTP client is intercepted by gock,
// with one attempt per call. At the end of the test every registered mock
// must have been used and no request may have gone unmatched.
func newGockClient(t *testing.T) *Client {
	t.Helper()
	hc := &http.Client{}
	gock.InterceptClient(hc)
	t.Cleanup(func() {
		assert.False(t, gock.HasUnmatchedRequest(), "unmatched requests: %v", gock.GetUnmatchedRequests())
		assert.True(t, gock.IsDone(), "pending mocks: %d", len(gock.Pending()))
		gock.Off()
		gock.CleanUnmatchedRequest()
		gock.RestoreClient(hc)
	})
	c, err := New(Options{
		Endpoint:    gockEndpoint,
		Credentials: signer.StaticCredentials(testKeyID, testSecret, ""),
		HTTPClient:  hc,
		MaxAttempts: 1,
	})
	require.NoError(t, err)
	return c
}

// wireRequest is one request as gock saw it.
type wireRequest struct {
	Method, EscapedPath, RawQuery, RequestURI, Host string
	Header                                          http.Header
	Body                                            []byte
}

// expect registers a mock answering the next request with status and the
// JSON reply, and returns where that request is recorded.
func expect(t *testing.T, status int, reply string) *wireRequest {
	t.Helper()
	got := new(wireRequest)
	m := gock.NewEmptyMatcher()
	m.Add(func(r *http.Request, _ *gock.Request) (bool, error) {
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				return false, err
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		*got = wireRequest{
			Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
			RequestURI: r.URL.RequestURI(), Host: r.Host, Header: r.Header.Clone(), Body: body,
		}
		return true, nil
	})
	gock.New(gockEndpoint).SetMatcher(m).Reply(status).
		SetHeader("Content-Type", "application/json;charset=utf-8").
		BodyString(reply)
	return got
}

// want is what an operation must put on the wire.
type want struct {
	action, method, path, query, body string
}

// assertWire checks the recorded request against w: method, escaped path,
// exact raw query, body bytes, the x-acs headers, content-type only with a
// body, the signed-header list, the payload hash, and that the signature
// covers exactly what was sent.
func (got *wireRequest) assertWire(t *testing.T, w want) {
	t.Helper()
	require.NotEmpty(t, got.Method, "no request was sent")
	assert.Equal(t, w.method, got.Method, "method")
	assert.Equal(t, w.path, got.EscapedPath, "escaped path")
	assert.Equal(t, w.query, got.RawQuery, "raw query")
	wantURI := w.path
	if w.query != "" {
		wantURI += "?" + w.query
	}
	assert.Equal(t, wantURI, got.RequestURI, "request line")
	assert.Equal(t, w.body, string(got.Body), "body")
	assert.Equal(t, w.action, got.Header.Get("X-Acs-Action"), "x-acs-action")
	assert.Equal(t, "2021-02-04", got.Header.Get("X-Acs-Version"), "x-acs-version")
	assert.Equal(t, signer.HashPayload(got.Body), got.Header.Get("X-Acs-Content-Sha256"), "x-acs-content-sha256")

	// The official SDK names the credential source in x-acs-credentials-provider
	// (static_ak for an AccessKey pair), and every x-acs-* header is signed.
	assert.Equal(t, "static_ak", got.Header.Get("X-Acs-Credentials-Provider"), "x-acs-credentials-provider")
	signed := "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version"
	if w.body != "" {
		assert.Equal(t, "application/json; charset=utf-8", got.Header.Get("Content-Type"))
		signed = "content-type;" + signed
	} else {
		assert.NotContains(t, got.Header, "Content-Type", "content-type without a body")
	}
	auth := got.Header.Get("Authorization")
	prefix := "ACS3-HMAC-SHA256 Credential=" + testKeyID + ",SignedHeaders=" + signed + ",Signature="
	require.True(t, strings.HasPrefix(auth, prefix), "Authorization %q, want prefix %q", auth, prefix)

	// Recompute the signature from what was sent: proves the bytes on the
	// wire are the bytes signed.
	canonical, signedList := signer.CanonicalHeaders(got.Header, got.Host)
	assert.Equal(t, signed, signedList)
	cr := got.Method + "\n" + signer.CanonicalURI(got.EscapedPath) + "\n" + signer.CanonicalQuery(got.RawQuery) + "\n" +
		canonical + "\n" + signedList + "\n" + signer.HashPayload(got.Body)
	assert.Equal(t, signer.Signature(testSecret, signer.StringToSign(cr)), strings.TrimPrefix(auth, prefix), "signature")
}

// noIO is a credentials provider and HTTP client that fail the test when
// used: validation must reject a request before either is touched.
type noIO struct{ t *testing.T }

func (n noIO) Retrieve(context.Context) (signer.Credentials, error) {
	n.t.Errorf("credentials were looked up for an invalid request")
	return signer.Credentials{}, errors.New("no credentials in this test")
}

func (n noIO) Do(r *http.Request) (*http.Response, error) {
	n.t.Errorf("request sent for an invalid request: %s %s", r.Method, r.URL)
	return nil, errors.New("no network in this test")
}

func newNoIOClient(t *testing.T) *Client {
	t.Helper()
	c, err := New(Options{Endpoint: gockEndpoint, Credentials: noIO{t}, HTTPClient: noIO{t}, MaxAttempts: 1})
	require.NoError(t, err)
	return c
}

// requireValidation asserts err rejects exactly the given fields, before I/O.
func requireValidation(t *testing.T, err error, op string, fields ...string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	var ve *acserrors.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "pai", ve.Service)
	assert.Equal(t, op, ve.Operation)
	got := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		got[i] = f.Field
	}
	assert.Equal(t, fields, got, "offending fields of %v", err)
}

// pagedServer is an httptest PAI that answers list operations with the
// reply function and records the query of every request.
type pagedServer struct {
	mu      sync.Mutex
	queries []string
	srv     *httptest.Server
}

func newPagedServer(t *testing.T, reply func(n int, r *http.Request) (status int, body string)) (*pagedServer, *Client) {
	t.Helper()
	s := &pagedServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.queries = append(s.queries, r.URL.RawQuery)
		n := len(s.queries)
		s.mu.Unlock()
		status, body := reply(n, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.srv.Close)
	c, err := New(Options{
		Endpoint:    s.srv.URL,
		Credentials: signer.StaticCredentials(testKeyID, testSecret, ""),
		HTTPClient:  s.srv.Client(),
		MaxAttempts: 1,
	})
	require.NoError(t, err)
	return s, c
}

// Queries returns the raw queries received so far.
func (s *pagedServer) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}
