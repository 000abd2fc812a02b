package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartAgainstFakes runs the walk-through as `go run` does with no
// environment set, and checks every step it reports.
func TestQuickstartAgainstFakes(t *testing.T) {
	cfg := config{workspace: "145883", user: "215139260000088039", project: 27}
	stop := useFakes(&cfg)
	defer stop()

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 5, out.String())
	assert.Equal(t, "PAI: added user 215139260000088039 to workspace 145883 as member 145883-215139260000088039", lines[0])
	assert.Contains(t, lines[1], "PAI: read it back: roles [PAI.AlgoDeveloper], created ")
	assert.Equal(t, "PAI: granted PAI.WorkspaceAdmin; roles now [PAI.AlgoDeveloper, PAI.WorkspaceAdmin]", lines[2])
	assert.Equal(t, "DataWorks: user 215139260000088039 is not in project 27 yet (ErrUserNotInProject); adding them", lines[3])
	assert.Equal(t, "DataWorks: user 215139260000088039 is in project 27 with role role_project_dev", lines[4])
}
