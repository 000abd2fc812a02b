package dataworkstest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// start runs a fake and a real client pointed at it, making one attempt per
// call unless mod says otherwise.
func start(t *testing.T, mod func(*dataworks.Options), opts ...dataworkstest.Option) (*dataworkstest.Server, *dataworks.Client) {
	t.Helper()
	srv := dataworkstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	o := dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1}
	if mod != nil {
		mod(&o)
	}
	c, err := dataworks.New(o)
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

// signedRPC builds a POST to "/" of srv for action with rawQuery, signed with
// srv's key pair at the given time and nonce; mod runs before signing.
func signedRPC(t *testing.T, srv *dataworkstest.Server, action, rawQuery string, at time.Time, nonce string, mod func(*http.Request)) *http.Request {
	t.Helper()
	return signed(t, srv, http.MethodPost, "/?"+rawQuery, action, at, nonce, mod)
}

// signed is signedRPC for any method and path.
func signed(t *testing.T, srv *dataworkstest.Server, method, pathQuery, action string, at time.Time, nonce string, mod func(*http.Request)) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+pathQuery, nil)
	require.NoError(t, err)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", dataworks.APIVersion)
	if mod != nil {
		mod(r)
	}
	creds, err := srv.Credentials().Retrieve(t.Context())
	require.NoError(t, err)
	require.NoError(t, signer.NewSigner().Sign(r, signer.EmptyPayloadHash, creds, at, nonce))
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
