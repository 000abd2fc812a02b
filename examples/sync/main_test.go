package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyncAgainstFakes runs the walk-through as `go run` does with no flags:
// the plan fixes the seeded drift, and the second plan is empty.
func TestSyncAgainstFakes(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(nil, &out))
	text := out.String()
	first, _, _ := strings.Cut(text, "\n")
	assert.Equal(t, firstLineFakes, first)

	plan, second, ok := strings.Cut(text, "\nSecond plan:\n")
	require.True(t, ok, text)
	for _, line := range []string{
		"Loaded team.yaml: 1 workspace(s), 1 project(s).\n",
		"PAI workspace 145883 (exclusive):\n",
		"  + 215139260000000011  PAI.AlgoDeveloper, PAI.WorkspaceAdmin\n",  // from the ml team and directly
		"  ~ 215139260000000012  +PAI.AlgoDeveloper -PAI.WorkspaceAdmin\n", // wrong role fixed
		"  - 215139260000000099  PAI.AlgoOperator\n",                       // not in the spec: removed
		"  ! 215139260000000001  owner, not in the spec: kept (owners are never removed)\n",
		"DataWorks project 27:\n",
		"  + 215139260000000012  role_project_guest, role_project_ml_reviewer\n", // the custom role
		"  ~ 215139260000000021  +role_project_dev\n",                            // additive: guest is kept
		"Plan: 4 to add, 2 to change, 1 to remove.\n",
		"Applied: 7 change(s) done, 0 failed, 0 not tried.\n",
	} {
		assert.Contains(t, plan, line)
	}
	assert.NotContains(t, plan, "215139260000000031", "the project is additive: its other members stay")
	assert.Equal(t, "PAI workspace 145883 (exclusive):\n"+
		"  ! 215139260000000001  owner, not in the spec: kept (owners are never removed)\n\n"+
		"No changes. Every target matches the spec.\n", second)
}

// noAccount leaves the process with a region exported but no credentials
// anywhere: a run that tried the real services could not sign a request.
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

// An exported region does not switch to the real services: without -live
// the run succeeds with no credentials anywhere, which only the fakes allow.
func TestSyncIgnoresExportedRegionWithoutLive(t *testing.T) {
	noAccount(t)
	var out bytes.Buffer
	require.NoError(t, run(nil, &out))
	assert.True(t, strings.HasPrefix(out.String(), firstLineFakes+"\n"))
	assert.NotContains(t, out.String(), "cn-hangzhou")
}

// -live refuses to start without a spec of the user's own and a region,
// before it builds a client.
func TestSyncLiveNeedsSpecAndRegion(t *testing.T) {
	noAccount(t)
	var out bytes.Buffer
	err := run([]string{"-live"}, &out)
	require.ErrorContains(t, err, "-live reads your account, so name the spec to compare it with: -f")

	t.Setenv(regionEnv, "")
	err = run([]string{"-live", "-f", "team.yaml"}, &out)
	require.ErrorContains(t, err, "-live needs a region: pass -region or set "+regionEnv)

	err = run([]string{"-region", "cn-hangzhou"}, &out)
	require.ErrorContains(t, err, "-region is used only with -live")
	assert.Empty(t, out.String(), "nothing ran")
}

// A spec given with -f runs on the fakes too, and its problems name the
// file and line.
func TestSyncSpecErrorsNameTheLine(t *testing.T) {
	name := filepath.Join(t.TempDir(), "mine.yaml")
	require.NoError(t, os.WriteFile(name, []byte("workspaces:\n  - id: \"145883\"\n    members:\n      \"2151\": [PAI.AlgoDevloper]\n"), 0o600))
	var out bytes.Buffer
	err := run([]string{"-f", name}, &out)
	require.EqualError(t, err, name+":4: unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)")
}
