package pai_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// Issue 11 end to end: a client built with no Options.Credentials before any
// credentials exist fails its first call with ErrNoCredentials, without
// sending anything, and once the environment holds a key pair its next call
// goes through, on the same client.
func TestDefaultCredentialsChainRecoversAfterAFailedCall(t *testing.T) {
	// Nothing for the default chain to find: no ALIBABA_CLOUD_* or
	// ALICLOUD_* variables, an empty HOME, no ECS metadata service.
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ALIBABA_CLOUD_") || strings.HasPrefix(name, "ALICLOUD_") {
			t.Setenv(name, "") // restored after the test
			require.NoError(t, os.Unsetenv(name))
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")

	const keyID, secret = "chain-ak", "chain-secret"
	srv := paitest.NewServer(paitest.WithCredentials(keyID, secret))
	defer srv.Close()
	srv.AddWorkspace("ws-1")

	client, err := pai.New(pai.Options{Endpoint: srv.URL})
	require.NoError(t, err)
	ctx := context.Background()
	get := &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"}

	_, err = client.GetWorkspace(ctx, get)
	require.ErrorIs(t, err, acserrors.ErrNoCredentials)
	assert.Contains(t, err.Error(), "credentials: ")
	assert.Contains(t, err.Error(), "environment: ")
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, 0, srv.RequestCount("GetWorkspace"), "nothing is sent without credentials")

	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", keyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	resp, err := client.GetWorkspace(ctx, get)
	require.NoError(t, err)
	assert.Equal(t, "ws-1", resp.WorkspaceID)
	assert.Equal(t, 1, srv.RequestCount("GetWorkspace"))
}
