package dataworks

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNilContext: every operation and iterator given a nil context returns
// an error, as net/http does, and looks up no credentials and sends nothing.
func TestNilContext(t *testing.T) {
	creds := &countingCreds{}
	sent := 0
	c, err := New(Options{Endpoint: "http://127.0.0.1:9", Credentials: creds, MaxAttempts: 1,
		HTTPClient: doerFunc(func(*http.Request) (*http.Response, error) { sent++; return nil, errors.New("no network here") })})
	require.NoError(t, err)
	var nilCtx context.Context // a careless caller's
	for _, op := range allOps() {
		_, err := op.call(nilCtx, c, defaultArgs)
		require.Error(t, err, op.action)
		assert.Contains(t, err.Error(), "nil context", op.action)
	}
	for _, err := range c.ListAllProjectMembers(nilCtx, &ListProjectMembersRequest{ProjectID: 27}) {
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nil context")
		break
	}
	assert.Zero(t, creds.n.Load())
	assert.Zero(t, sent)
}
