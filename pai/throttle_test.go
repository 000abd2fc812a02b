package pai_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// TestThrottledCount: a Client counts the throttled answers it received,
// retries included, and still gets its answer once the fake lets it through.
func TestThrottledCount(t *testing.T) {
	at := time.Now()
	clock := func() time.Time { return at }
	srv := paitest.NewServer(paitest.WithRateLimit(1), paitest.WithClock(clock))
	defer srv.Close()
	srv.AddWorkspace("ws")
	c, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	require.NoError(t, err)
	assert.Zero(t, c.ThrottledCount())

	ctx := context.Background()
	_, err = c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
	require.NoError(t, err, "the first request of the second passes")
	_, err = c.GetWorkspace(ctx, &pai.GetWorkspaceRequest{WorkspaceID: "ws"})
	require.Error(t, err, "the clock stands still: the second is throttled")
	assert.Equal(t, 1, c.ThrottledCount())
	assert.Equal(t, 1, srv.ThrottledCount())
}
