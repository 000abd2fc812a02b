package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/signer"
)

// t0 is the fixed server time of most tests.
var t0 = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// toy is a tiny service to drive the core with: an ROA-looking read, an
// idempotent write that counts its effects, and one that fails oddly.
type toy struct {
	mu    sync.Mutex // only for the test's own reads of acted
	acted int
}

func (s *toy) service() Service {
	return Service{
		Name: "toy", Product: "Toy", Versions: []string{"2000-01-01"},
		Operations: []string{"Echo", "Put", "Broken"},
		Route: func(r *Request) (*Operation, error) {
			switch {
			case len(r.Segments) >= 1 && r.Segments[0] == "echo":
				return &Operation{Name: "Echo", Handle: func(r *Request) (any, error) {
					return map[string]any{"RequestId": r.RequestID, "Segments": r.Segments, "Params": r.Params, "Now": r.Now}, nil
				}}, nil
			case len(r.Segments) == 0 && r.Action == "Put":
				return &Operation{Name: "Put", Idempotent: true, Handle: func(r *Request) (any, error) {
					if r.Params.Get("Fail") != "" {
						return nil, Errorf(http.StatusBadRequest, "Nope", "refused")
					}
					s.mu.Lock()
					s.acted++
					s.mu.Unlock()
					return map[string]any{"RequestId": r.RequestID}, nil
				}}, nil
			case len(r.Segments) == 0 && r.Action == "Broken":
				return &Operation{Name: "Broken", Handle: func(r *Request) (any, error) {
					return nil, io.ErrUnexpectedEOF
				}}, nil
			}
			return nil, Errorf(http.StatusNotFound, "InvalidAction.NotFound", "no such operation")
		},
	}
}

func (s *toy) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acted
}

// startToy serves a toy service whose clock stands still at now.
func startToy(t *testing.T, now time.Time) (*Core, *httptest.Server, *toy) {
	t.Helper()
	s := &toy{}
	c := New(s.service(), WithClock(func() time.Time { return now }))
	srv := c.Start()
	t.Cleanup(srv.Close)
	return c, srv, s
}

// build returns an unsigned request with the x-acs headers a client sets.
func build(t *testing.T, method, url, action, version string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", version)
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	return r
}

// sign signs r with key at the given time and nonce.
func sign(t *testing.T, r *http.Request, body []byte, key KeyPair, at time.Time, nonce string) *http.Request {
	t.Helper()
	require.NoError(t, signer.NewSigner().Sign(r, signer.HashPayload(body), signer.Credentials{
		AccessKeyID: key.AccessKeyID, AccessKeySecret: key.AccessKeySecret,
	}, at, nonce))
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return r
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	raw    []byte
	doc    map[string]any
}

func (r reply) code() string {
	s, _ := r.doc["Code"].(string)
	return s
}

func send(t *testing.T, r *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	require.NoError(t, json.Unmarshal(raw, &out.doc), "body %s", raw)
	return out
}

// verifyAt runs Verify on a signed request as the server would receive it.
func verifyAt(t *testing.T, r *http.Request, body []byte, key KeyPair, now time.Time) *Error {
	t.Helper()
	// What a server sees: Host moved out of the headers into r.Host.
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	return Verify(r, body, key, now)
}
