package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartAgainstFakes runs the walk-through as `go run` does with no
// flags, and checks every line it prints.
func TestQuickstartAgainstFakes(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(nil, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 6, out.String())
	assert.Equal(t, firstLineFakes, lines[0])
	assert.Equal(t, "PAI: added user 215139260000088039 to workspace 145883 as member 145883-215139260000088039", lines[1])
	assert.Contains(t, lines[2], "PAI: read it back: roles [PAI.AlgoDeveloper], created ")
	assert.Equal(t, "PAI: granted PAI.WorkspaceAdmin; roles now [PAI.AlgoDeveloper, PAI.WorkspaceAdmin]", lines[3])
	assert.Equal(t, "DataWorks: user 215139260000088039 is not in project 27 yet (ErrUserNotInProject); adding them", lines[4])
	assert.Equal(t, "DataWorks: user 215139260000088039 is in project 27 with role role_project_dev", lines[5])
}

// IDs given without -live are used on the fakes.
func TestQuickstartFakesTakeGivenIDs(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-workspace", "ws-9", "-user", "u-9", "-project", "9"}, &out))
	assert.True(t, strings.HasPrefix(out.String(), firstLineFakes+"\n"), out.String())
	assert.Contains(t, out.String(), "PAI: added user u-9 to workspace ws-9 as member ws-9-u-9\n")
	assert.Contains(t, out.String(), "DataWorks: user u-9 is in project 9 with role role_project_dev\n")
}

// noAccount leaves the process with a region exported, as is normal for
// Alibaba Cloud users, but no way to find credentials: no key in the
// environment, an empty home directory (no ~/.alibabacloud/credentials), no
// OIDC/RRSA settings and no ECS metadata service. A run that tried the real
// services could not sign a single request.
func noAccount(t *testing.T) {
	t.Setenv(regionEnv, "cn-hangzhou")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, name := range []string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ECS_METADATA",
		"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI",
	} {
		t.Setenv(name, "")
	}
}

// An exported ALIBABA_CLOUD_REGION_ID no longer switches to the real
// services: the run still succeeds with no credentials anywhere, which is
// only possible on the fakes (loopback servers that hand out their own key),
// and its first line says where it ran.
func TestQuickstartIgnoresExportedRegionWithoutLive(t *testing.T) {
	noAccount(t)

	var out bytes.Buffer
	require.NoError(t, run(nil, &out))
	first, _, _ := strings.Cut(out.String(), "\n")
	assert.Equal(t, firstLineFakes, first)
	assert.NotContains(t, out.String(), "cn-hangzhou")
}

// -live refuses to start without every ID, before it builds a client or
// sends anything, and says which flags are missing.
func TestQuickstartLiveNeedsIDs(t *testing.T) {
	noAccount(t)
	cases := []struct {
		args    []string
		missing string
	}{
		{[]string{"-live"}, "missing -workspace, -user, -project"},
		{[]string{"-live", "-workspace", "145883"}, "missing -user, -project"},
		{[]string{"-live", "-workspace", "145883", "-user", "1"}, "missing -project"},
		{[]string{"-live", "-workspace", "145883", "-user", "1", "-project", "-4"}, "missing -project"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(tc.args, &out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "-live changes a real account, so name what to change: "+tc.missing)
			assert.Empty(t, out.String(), "nothing runs")
		})
	}
}

// -live with every ID but no region anywhere stops before any request.
func TestQuickstartLiveNeedsARegion(t *testing.T) {
	noAccount(t)
	t.Setenv(regionEnv, "")

	var out bytes.Buffer
	err := run([]string{"-live", "-workspace", "145883", "-user", "1", "-project", "27"}, &out)
	require.EqualError(t, err, "-live needs a region: pass -region or set ALIBABA_CLOUD_REGION_ID")
	assert.Empty(t, out.String())
}

// -region without -live is refused rather than quietly ignored: whoever
// typed it expected the real services.
func TestQuickstartRegionWithoutLive(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-region", "cn-hangzhou"}, &out)
	require.EqualError(t, err, "-region is used only with -live; without -live the quickstart runs on the in-process fakes")
	assert.Empty(t, out.String())
}

func TestQuickstartBadArguments(t *testing.T) {
	var out bytes.Buffer
	assert.ErrorIs(t, run([]string{"-no-such-flag"}, &out), errFlags)
	assert.EqualError(t, run([]string{"145883"}, &out), `unexpected argument "145883": every input is a flag (see -h)`)
	assert.Empty(t, out.String())
}
