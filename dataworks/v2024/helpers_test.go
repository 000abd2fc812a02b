package v2024

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

const (
	testKeyID  = "test-key-id"
	testSecret = "test-key-secret"
	// formContentType is what the official client sends with a form body.
	formContentType = "application/x-www-form-urlencoded"
	// emptySHA256 is the SHA-256 of nothing, written out rather than
	// computed so a wrong hash in the signer cannot hide here.
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	// formSigned is what a request with a form body signs: content-type
	// first. querySigned is GetProjectRole's, which has no body.
	formSigned  = "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version"
	querySigned = "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version"
)

var authRE = regexp.MustCompile(`^ACS3-HMAC-SHA256 Credential=` + testKeyID + `,SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$`)

// sent is one request as the server received it.
type sent struct {
	method, path, rawQuery, host string
	header                       http.Header
	body                         []byte
}

// reply is one canned answer.
type reply struct {
	status int
	body   string
}

// server is an httptest DataWorks that records every request and answers
// each action from its own queue of replies; an action with none left gets
// a 400 the test will notice.
type server struct {
	mu      sync.Mutex
	reqs    []sent
	replies map[string][]reply
	url     string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	action := r.Header.Get("X-Acs-Action")
	s.mu.Lock()
	s.reqs = append(s.reqs, sent{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Host, r.Header.Clone(), body})
	rep := reply{http.StatusBadRequest, `{"RequestId":"UNEXPECTED","Code":"UnexpectedRequest","Message":"no reply queued for ` + action + `"}`}
	if q := s.replies[action]; len(q) > 0 {
		rep, s.replies[action] = q[0], q[1:]
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

// queue adds replies for action, answered in order.
func (s *server) queue(action string, status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[action] = append(s.replies[action], reply{status, body})
}

func (s *server) all() []sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sent(nil), s.reqs...)
}

// only returns the one request received, failing the test if there were
// more or none.
func (s *server) only(t *testing.T) sent {
	t.Helper()
	all := s.all()
	require.Len(t, all, 1, "requests received")
	return all[0]
}

// newTestServer starts a recording server and a Client for it whose backoff
// returns at once (so retry tests take no time) and which makes
// internal.DefaultMaxAttempts attempts.
func newTestServer(t *testing.T) (*server, *Client) {
	t.Helper()
	s := &server{replies: map[string][]reply{}}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	s.url = hs.URL
	core, err := internal.New(internal.Config{
		Service: service.Name, Version: service.Version, Endpoint: hs.URL,
		Credentials: signer.StaticCredentials(testKeyID, testSecret, ""),
		HTTPClient:  hs.Client(),
		Sleep:       func(context.Context, time.Duration) error { return nil },
	})
	require.NoError(t, err)
	return s, &Client{core: core}
}

// assertForm checks the wire form of a 2024-05-18 operation: POST / with no
// query, the form body exactly, its content type and hash, the action and
// version headers, and a signature over exactly these bytes that covers
// content-type.
func assertForm(t *testing.T, s sent, action, body string) {
	t.Helper()
	assert.Equal(t, http.MethodPost, s.method)
	assert.Equal(t, "/", s.path)
	assert.Empty(t, s.rawQuery, "query on the wire")
	assert.Equal(t, body, string(s.body), "body on the wire")
	assert.Equal(t, []string{formContentType}, s.header.Values("Content-Type"))
	assert.Equal(t, signer.HashPayload([]byte(body)), s.header.Get("X-Acs-Content-Sha256"))
	assert.Equal(t, action, s.header.Get("X-Acs-Action"))
	assert.Equal(t, APIVersion, s.header.Get("X-Acs-Version"))
	assertSigned(t, s, formSigned)
}

// assertQuery checks the wire form of GetProjectRole: POST / with exactly
// rawQuery, no body and no content type.
func assertQuery(t *testing.T, s sent, action, rawQuery string) {
	t.Helper()
	assert.Equal(t, http.MethodPost, s.method)
	assert.Equal(t, "/", s.path)
	assert.Equal(t, rawQuery, s.rawQuery, "query on the wire")
	assert.Empty(t, s.body, "body")
	assert.NotContains(t, s.header, "Content-Type")
	assert.Equal(t, emptySHA256, s.header.Get("X-Acs-Content-Sha256"))
	assert.Equal(t, action, s.header.Get("X-Acs-Action"))
	assert.Equal(t, APIVersion, s.header.Get("X-Acs-Version"))
	assertSigned(t, s, querySigned)
}

// assertSigned recomputes the ACS3 signature from the request as received
// (path, raw query, headers, body hash) and compares it with the one in
// Authorization; the signed headers must be exactly signedHeaders.
func assertSigned(t *testing.T, s sent, signedHeaders string) {
	t.Helper()
	m := authRE.FindStringSubmatch(s.header.Get("Authorization"))
	require.NotNil(t, m, "Authorization %q", s.header.Get("Authorization"))
	require.Equal(t, signedHeaders, m[1], "signed headers")
	headers, signed := signer.CanonicalHeaders(s.header, s.host)
	require.Equal(t, signedHeaders, signed, "headers that arrived")
	canonical := strings.Join([]string{
		s.method, signer.CanonicalURI(s.path), signer.CanonicalQuery(s.rawQuery), headers, signed, signer.HashPayload(s.body),
	}, "\n")
	assert.Equal(t, signer.Signature(testSecret, signer.StringToSign(canonical)), m[2], "signature")
}

// newDroppingServer starts a server that reads each request whole, counts
// it in n, and closes the connection without an answer: the client cannot
// know whether the service acted. It returns the server's URL.
func newDroppingServer(t *testing.T, n *atomic.Int32) string {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}
