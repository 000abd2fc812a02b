package paitest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
	"github.com/acsmembers/acsmembers-go/signer"
)

// start runs a fake and a real client pointed at it, making one attempt per
// call unless mod says otherwise.
func start(t *testing.T, mod func(*pai.Options), opts ...paitest.Option) (*paitest.Server, *pai.Client) {
	t.Helper()
	srv := paitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	o := pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1}
	if mod != nil {
		mod(&o)
	}
	c, err := pai.New(o)
	require.NoError(t, err)
	return srv, c
}

// apiError asserts err is an *APIError and returns it.
func apiError(t *testing.T, err error) *acserrors.APIError {
	t.Helper()
	var e *acserrors.APIError
	require.True(t, errors.As(err, &e), "want an *APIError, got %v", err)
	return e
}

// signedRequest builds a request to srv signed with its key pair, as a client
// other than ours would send it; mod runs before signing.
func signedRequest(t *testing.T, srv *paitest.Server, method, pathQuery, action string, at time.Time, nonce string, mod func(*http.Request)) *http.Request {
	t.Helper()
	return signedBody(t, srv, method, pathQuery, action, nil, at, nonce, mod)
}

// signedBody is signedRequest with a JSON body.
func signedBody(t *testing.T, srv *paitest.Server, method, pathQuery, action string, body []byte, at time.Time, nonce string, mod func(*http.Request)) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+pathQuery, bytes.NewReader(body))
	require.NoError(t, err)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", pai.APIVersion)
	if body != nil {
		r.Header.Set("content-type", "application/json; charset=utf-8")
	}
	if mod != nil {
		mod(r)
	}
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	require.NoError(t, signer.NewSigner().Sign(r, signer.HashPayload(body), creds, at, nonce))
	return r
}

// do sends r and decodes the JSON reply.
func do(t *testing.T, r *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc), "body %s", raw)
	require.Equal(t, resp.Header.Get("X-Acs-Request-Id"), doc["RequestId"], "every reply carries its RequestId twice")
	return resp.StatusCode, doc
}

// clock is a settable time source for paitest.WithClock, safe to read from
// the server's goroutines while a test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
