package internal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/signer"
)

// Credentials every test client signs with; the fault server verifies each
// attempt against them.
const (
	testAK     = "AKIDTEST"
	testSecret = "TOPSECRET"
	testToken  = "STSTOKEN"
)

// faultKind is what the fault server does with one attempt.
type faultKind int

const (
	serve     faultKind = iota // 200 with a JSON body
	throttle                   // 400 Throttling.User
	unavail                    // 503 ServiceUnavailable
	drop                       // read the request, then close without a response
	dropEarly                  // close right after the headers, body unread, with a reset
	slow                       // answer only after delay (or when the client gives up)
	status                     // reply with the fault's code and body verbatim
)

func (k faultKind) String() string {
	return [...]string{"serve", "throttle", "503", "drop", "drop-after-headers", "slow", "status"}[k]
}

// fault is one scripted reply.
type fault struct {
	kind   faultKind
	header http.Header   // extra response headers (e.g. Retry-After)
	delay  time.Duration // for slow
	code   int           // for status
	body   string        // for status
}

// seen is what the server recorded about one attempt.
type seen struct {
	method, path, query string
	nonce, date, token  string
	replay              bool // the nonce was seen before
	clientToken         string
	auth                string
	body                string
	sigErr              error // nil when the signature verified
}

// faultServer is an httptest server that plays a script of faults, one per
// attempt (the last entry repeats), and verifies every attempt's signature.
type faultServer struct {
	*httptest.Server
	t      *testing.T
	secret string

	mu     sync.Mutex
	script []fault
	seen   []seen
	nonces map[string]bool
	fresh  int          // requests with a nonce not seen before: they play the script
	n      atomic.Int32 // every request that arrived
}

func newFaultServer(t *testing.T, script ...fault) *faultServer {
	t.Helper()
	fs := &faultServer{t: t, secret: testSecret, script: script, nonces: map[string]bool{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.handle))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *faultServer) handle(w http.ResponseWriter, r *http.Request) {
	fs.n.Add(1)
	nonce := r.Header.Get("X-Acs-Signature-Nonce")
	f := fault{kind: serve}
	var body []byte
	fs.mu.Lock()
	// Like the gateway, reject a nonce seen before: such a request never runs
	// and does not consume the script.
	replay := fs.nonces[nonce]
	fs.nonces[nonce] = true
	if !replay {
		fs.fresh++
	}
	n := fs.fresh
	if len(fs.script) > 0 && !replay {
		f = fs.script[min(n, len(fs.script))-1]
	}
	fs.mu.Unlock()
	if f.kind != dropEarly {
		body, _ = io.ReadAll(r.Body)
	}
	s := seen{
		method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery,
		nonce: nonce, replay: replay, date: r.Header.Get("X-Acs-Date"),
		token: r.Header.Get("X-Acs-Security-Token"), clientToken: r.URL.Query().Get("ClientToken"),
		auth: r.Header.Get("Authorization"), body: string(body),
	}
	if f.kind == dropEarly {
		s.sigErr = verifySignature(r, nil, fs.secret, true)
	} else {
		s.sigErr = verifySignature(r, body, fs.secret, false)
	}
	fs.mu.Lock()
	fs.seen = append(fs.seen, s)
	fs.mu.Unlock()

	for k, v := range f.header {
		w.Header()[k] = v
	}
	reqID := fmt.Sprintf("req-%d", n)
	if replay {
		writeJSON(w, http.StatusBadRequest, `{"Code":"SignatureNonceUsed","Message":"Specified signature nonce was used already.","RequestId":"replay"}`)
		return
	}
	switch f.kind {
	case serve:
		writeJSON(w, http.StatusOK, `{"RequestId":"`+reqID+`","Value":"ok"}`)
	case throttle:
		writeJSON(w, http.StatusBadRequest, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"`+reqID+`"}`)
	case unavail:
		writeJSON(w, http.StatusServiceUnavailable, `{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server.","RequestId":"`+reqID+`"}`)
	case status:
		writeJSON(w, f.code, f.body)
	case slow:
		select {
		case <-time.After(f.delay):
			writeJSON(w, http.StatusOK, `{"RequestId":"`+reqID+`","Value":"late"}`)
		case <-r.Context().Done():
		}
	case drop, dropEarly:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			fs.t.Errorf("hijack: %v", err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok && f.kind == dropEarly {
			_ = tc.SetLinger(0) // a reset, as a crashing proxy would send
		}
		_ = conn.Close()
	}
}

func writeJSON(w http.ResponseWriter, code int, body string) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
	}
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

// attempts returns how many requests reached the server, replays included.
func (fs *faultServer) attempts() int { return int(fs.n.Load()) }

// requests returns a copy of what the server recorded.
func (fs *faultServer) requests() []seen {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]seen(nil), fs.seen...)
}

// replays counts requests that arrived with a nonce seen before.
func (fs *faultServer) replays() int {
	n := 0
	for _, s := range fs.requests() {
		if s.replay {
			n++
		}
	}
	return n
}

// requireSigned fails the test unless every recorded request verified and
// carried a well-formed nonce. It returns the requests with fresh nonces (the
// pipeline's attempts; replays by the HTTP transport are left out).
func (fs *faultServer) requireSigned(t *testing.T) []seen {
	t.Helper()
	var fresh []seen
	for i, s := range fs.requests() {
		require.NoError(t, s.sigErr, "request %d signature", i+1)
		require.Len(t, s.nonce, 32, "request %d nonce", i+1)
		if !s.replay {
			fresh = append(fresh, s)
		}
	}
	return fresh
}

// verifySignature recomputes the ACS3 signature of a received request with the
// signer's exported steps and compares it with the Authorization header. When
// bodyUnread is set the payload hash header is trusted (the body was never read).
func verifySignature(r *http.Request, body []byte, secret string, bodyUnread bool) error {
	hash := r.Header.Get("X-Acs-Content-Sha256")
	if !bodyUnread && hash != signer.HashPayload(body) {
		return fmt.Errorf("x-acs-content-sha256 %q does not match the body", hash)
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("X-Acs-Date")); err != nil {
		return fmt.Errorf("x-acs-date: %w", err)
	}
	for _, h := range []string{"X-Acs-Action", "X-Acs-Version", "X-Acs-Signature-Nonce"} {
		if r.Header.Get(h) == "" {
			return fmt.Errorf("missing %s", h)
		}
	}
	// What is sent must already be canonical: the bytes signed are the bytes sent.
	if q := signer.CanonicalQuery(r.URL.RawQuery); q != r.URL.RawQuery {
		return fmt.Errorf("query %q is not canonical (%q)", r.URL.RawQuery, q)
	}
	headers, signed := signer.CanonicalHeaders(r.Header, r.Host)
	canonical := strings.Join([]string{r.Method, signer.CanonicalURI(r.URL.EscapedPath()), r.URL.RawQuery, headers, signed, hash}, "\n")
	ak := strings.TrimPrefix(strings.SplitN(r.Header.Get("Authorization"), ",", 2)[0], signer.Algorithm+" Credential=")
	want := signer.Algorithm + " Credential=" + ak + ",SignedHeaders=" + signed + ",Signature=" + signer.Signature(secret, signer.StringToSign(canonical))
	if got := r.Header.Get("Authorization"); got != want {
		return fmt.Errorf("authorization\n got %s\nwant %s", got, want)
	}
	if ak != testAK {
		return fmt.Errorf("credential %q", ak)
	}
	return nil
}

// Operations of the three kinds the pipeline distinguishes.
func opGet() *Operation {
	return &Operation{Name: "GetMember", Method: http.MethodGet, Path: []string{"api", "v1", "workspaces", "ws 1/x", "members", "m-1"},
		Query: []Param{{"Verbose", "true"}, {"Lang", "en"}}, Repeat: RepeatSafe}
}

func opCreate() *Operation {
	return &Operation{Name: "CreateMember", Method: http.MethodPost, Path: []string{"api", "v1", "workspaces", "ws1", "members"},
		Body: map[string]any{"Members": []map[string]any{{"UserId": "u1", "Roles": []string{"PAI.AlgoDeveloper"}}}}, Repeat: RepeatNever}
}

func opToken() *Operation {
	return &Operation{Name: "AddProjectMemberToRole", Method: http.MethodPost,
		Query:  []Param{{"UserId", "u1"}, {"RoleCode", "role_project_dev"}, {"ProjectId", "7"}, {"ClientToken", "3f0e4a44-6a1b-4c1e-9a7e-1f2d3c4b5a69"}},
		Repeat: RepeatSafe}
}

// reply is the wire shape the test operations decode into.
type reply struct {
	Envelope
	Value string
}

// sleeper records requested waits and returns at once (or with ctx's error).
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// countingDoer counts the requests the pipeline handed to the HTTP client,
// which a server cannot see when nothing reached it.
type countingDoer struct {
	hc *http.Client
	n  atomic.Int32
}

func (d *countingDoer) Do(r *http.Request) (*http.Response, error) {
	d.n.Add(1)
	return d.hc.Do(r)
}

// newHTTP returns a dedicated client whose idle connections are closed when
// the test ends, so no connection goroutine outlives it.
func newHTTP(t *testing.T) *http.Client {
	hc := NewHTTPClient()
	t.Cleanup(hc.CloseIdleConnections)
	return hc
}

// testClient builds a pipeline client for endpoint with an instant sleeper
// and Rand fixed at 0.5. mod may adjust the config.
func testClient(t *testing.T, endpoint string, mod func(*Config)) (*Client, *sleeper, *countingDoer) {
	t.Helper()
	sl := &sleeper{}
	doer := &countingDoer{hc: newHTTP(t)}
	cfg := Config{
		Service: "pai", Version: "2021-02-04", Endpoint: endpoint,
		Credentials: signer.StaticCredentials(testAK, testSecret, ""),
		HTTPClient:  doer, MaxAttempts: 3,
		Sleep: sl.sleep, Rand: func() float64 { return 0.5 },
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c, sl, doer
}

// closedAddr returns the URL of a loopback port nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// isSentinel returns a check that err matches target with errors.Is.
func errIs(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}
