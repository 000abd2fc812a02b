package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// The key pair the tests put in the environment and the fakes accept.
const (
	testKeyID     = "LTAI5tCLITestKey"
	testKeySecret = "cli-test-secret"
)

// fakes is a fake PAI and a fake DataWorks the command is pointed at.
type fakes struct {
	pai *paitest.Server
	dw  *dataworkstest.Server
}

// noCredentials leaves the default credential chain nothing to find: no
// key in the environment, an empty home (no credentials file, no CLI
// profile), no OIDC settings, no ECS metadata service.
func noCredentials(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, name := range []string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_ECS_METADATA",
		"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_URI", regionEnv,
	} {
		t.Setenv(name, "")
	}
}

// newFakes starts both fakes, accepting the key pair it also puts in the
// environment, where the default chain finds it.
func newFakes(t *testing.T) *fakes {
	t.Helper()
	noCredentials(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", testKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", testKeySecret)
	f := &fakes{
		pai: paitest.NewServer(paitest.WithCredentials(testKeyID, testKeySecret)),
		dw:  dataworkstest.NewServer(dataworkstest.WithCredentials(testKeyID, testKeySecret)),
	}
	t.Cleanup(f.pai.Close)
	t.Cleanup(f.dw.Close)
	return f
}

// seed gives the fakes a workspace and a project with drift from testSpec.
func (f *fakes) seed() {
	f.pai.AddWorkspace("ws-1")
	f.pai.AddMember("ws-1", "owner", pai.RoleWorkspaceOwner)
	f.pai.AddMember("ws-1", "u1", pai.RoleWorkspaceGuest)     // should be AlgoDeveloper
	f.pai.AddMember("ws-1", "stranger", pai.RoleAlgoOperator) // not in the spec: removed
	f.dw.AddProject(27)
	f.dw.AddProjectMember(27, "owner", dataworks.RoleProjectOwner)
	f.dw.AddProjectMember(27, "p1", dataworks.RoleProjectGuest) // gets dev; keeps guest (additive)
}

// testSpec is the spec the tests apply to seed's state.
const testSpec = `workspaces:
  - id: ws-1
    exclusive: true
    members:
      u1: [PAI.AlgoDeveloper]
      u2: [PAI.AlgoDeveloper, PAI.WorkspaceAdmin]
projects:
  - id: 27
    members:
      p1: [role_project_dev]
      p2: [role_project_dev, role_project_pe]
`

// testPlan is how the plan of testSpec against seed's state prints.
const testPlan = `PAI workspace ws-1 (exclusive):
  + u2        PAI.AlgoDeveloper, PAI.WorkspaceAdmin
  ~ u1        +PAI.AlgoDeveloper -PAI.WorkspaceGuest
  - stranger  PAI.AlgoOperator
  ! owner     owner, not in the spec: kept (owners are never removed)

DataWorks project 27:
  + p2  role_project_dev, role_project_pe
  ~ p1  +role_project_dev

Plan: 2 to add, 2 to change, 1 to remove.
`

// writeSpec writes text to a file in a fresh directory and returns its path.
func writeSpec(t *testing.T, text string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "team.yaml")
	require.NoError(t, os.WriteFile(name, []byte(text), 0o600))
	return name
}

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the command in-process against the fakes, with stdin as its
// standard input (nil: empty, not a terminal).
func (f *fakes) run(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if len(args) > 0 && args[0] != "help" {
		args = append(args, "-endpoint-pai", f.pai.URL, "-endpoint-dataworks", f.dw.URL)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, stdin, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// paiWrites and dwWrites are the operations that change state.
var (
	paiWrites = []string{"CreateMember", "DeleteMembers", "AddMemberRole", "RemoveMemberRole"}
	dwWrites  = []string{"AddProjectMemberToRole", "RemoveProjectMemberFromRole", "CreateProjectMember",
		"DeleteProjectMember", "GrantMemberProjectRoles", "RevokeMemberProjectRoles"}
)

// writes counts the requests of both fakes that change state.
func (f *fakes) writes() int {
	n := 0
	for _, op := range paiWrites {
		n += f.pai.RequestCount(op)
	}
	for _, op := range dwWrites {
		n += f.dw.RequestCount(op)
	}
	return n
}

// terminal is standard input that says it is a terminal, holding what the
// person types.
type terminal struct{ io.Reader }

func (terminal) IsTerminal() bool { return true }

func TestPlanPrintsChangesAndExitCodes(t *testing.T) {
	f := newFakes(t)
	f.seed()
	spec := writeSpec(t, testSpec)

	r := f.run(t, nil, "plan", "-f", spec)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, testPlan, r.stdout)
	assert.Empty(t, r.stderr)

	r = f.run(t, nil, "plan", "-f", spec, "-detailed-exitcode")
	assert.Equal(t, exitChanges, r.code, r.stderr)
	assert.Equal(t, testPlan, r.stdout)

	r = f.run(t, nil, "plan", "-f", spec, "-json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"summary": {`+"\n"+`    "add": 2,`)
	assert.Contains(t, r.stdout, `"action": "remove",`+"\n"+`      "user_id": "stranger",`)

	assert.Zero(t, f.writes(), "plan only reads")

	r = f.run(t, nil, "plan", "-f", filepath.Join(t.TempDir(), "missing.yaml"), "-detailed-exitcode")
	assert.Equal(t, exitError, r.code, "an error is 1, never 2")
	assert.Contains(t, r.stderr, "missing.yaml: no such file or directory")

	r = f.run(t, nil, "plan", "-detailed-exitcode")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "-f is required")

	r = f.run(t, nil, "plan", "-f", spec, "-no-such-flag")
	assert.Equal(t, exitError, r.code, "a usage error is 1: 2 means changes")
	assert.Contains(t, r.stderr, "flag provided but not defined: -no-such-flag")
}

func TestApplyAutoApproveConverges(t *testing.T) {
	for _, api := range []string{"2024", "2020"} {
		t.Run("dataworks-api="+api, func(t *testing.T) {
			f := newFakes(t)
			f.seed()
			spec := writeSpec(t, testSpec)

			r := f.run(t, nil, "apply", "-f", spec, "-auto-approve", "-dataworks-api", api)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Equal(t, testPlan+"\nApply complete: 2 added, 2 changed, 1 removed.\n", r.stdout)
			assert.Empty(t, r.stderr, "no progress lines for 5 changes")

			m, ok := f.pai.Member("ws-1", "u2")
			require.True(t, ok)
			assert.ElementsMatch(t, []pai.Role{pai.RoleAlgoDeveloper, pai.RoleWorkspaceAdmin}, m.Roles)
			_, ok = f.pai.Member("ws-1", "stranger")
			assert.False(t, ok, "removed from the exclusive workspace")
			_, ok = f.pai.Member("ws-1", "owner")
			assert.True(t, ok, "the owner stays")
			roles, ok := f.dw.MemberRoles(27, "p1")
			require.True(t, ok)
			assert.ElementsMatch(t, []dataworks.RoleCode{dataworks.RoleProjectGuest, dataworks.RoleProjectDev}, roles)
			assert.Empty(t, f.pai.ZeroRoleEvents())
			assert.Empty(t, f.dw.ZeroRoleEvents())
			if api == "2024" {
				assert.Equal(t, 1, f.dw.RequestCount("GrantMemberProjectRoles"), "p1's grant")
				assert.Zero(t, f.dw.RequestCount("AddProjectMemberToRole"), "p2 created with both roles at once")
			} else {
				assert.Equal(t, 2, f.dw.RequestCount("AddProjectMemberToRole"), "p1's grant and p2's second role")
			}

			writes := f.writes()
			r = f.run(t, nil, "plan", "-f", spec, "-detailed-exitcode", "-dataworks-api", api)
			assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
			assert.Equal(t, "PAI workspace ws-1 (exclusive):\n  ! owner  owner, not in the spec: kept (owners are never removed)\n\n"+
				"No changes. Every target matches the spec.\n", r.stdout)

			r = f.run(t, nil, "apply", "-f", spec, "-dataworks-api", api)
			assert.Equal(t, exitOK, r.code, "nothing to apply needs no confirmation: "+r.stderr)
			assert.Equal(t, writes, f.writes(), "an empty plan sends nothing")
		})
	}
}

func TestApplyWithoutTerminalRefuses(t *testing.T) {
	f := newFakes(t)
	f.seed()
	spec := writeSpec(t, testSpec)

	// A "yes" piped in from a file is not a person confirming.
	yes, err := os.Open(writeSpec(t, "yes\n"))
	require.NoError(t, err)
	defer yes.Close()
	for _, stdin := range []io.Reader{nil, yes} {
		r := f.run(t, stdin, "apply", "-f", spec)
		assert.Equal(t, exitError, r.code)
		assert.Equal(t, testPlan, r.stdout, "the plan is shown")
		assert.Contains(t, r.stderr, "refusing to apply: standard input is not a terminal")
		assert.Contains(t, r.stderr, "-auto-approve")
	}
	assert.Zero(t, f.writes())
}

func TestApplyAsksForYes(t *testing.T) {
	f := newFakes(t)
	f.seed()
	spec := writeSpec(t, testSpec)

	for _, typed := range []string{"no\n", "y\n", "YES\n", ""} {
		r := f.run(t, terminal{strings.NewReader(typed)}, "apply", "-f", spec)
		assert.Equal(t, exitError, r.code, "answer %q", typed)
		assert.Equal(t, testPlan+"Apply cancelled: nothing was changed.\n", r.stdout)
		assert.Contains(t, r.stderr, "Apply these changes? Only 'yes' is accepted: ")
	}
	assert.Zero(t, f.writes())

	r := f.run(t, terminal{strings.NewReader(" yes\n")}, "apply", "-f", spec)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Apply complete: 2 added, 2 changed, 1 removed.\n")
	assert.NotZero(t, f.writes())
}

func TestApplyRefusesToRemoveMostMembersUnlessAllowed(t *testing.T) {
	f := newFakes(t)
	f.pai.AddWorkspace("ws-1")
	for i := range 10 {
		f.pai.AddMember("ws-1", fmt.Sprint("u", i), pai.RoleAlgoDeveloper)
	}
	spec := writeSpec(t, "workspaces:\n  - id: ws-1\n    exclusive: true\n    members:\n      u0: [PAI.AlgoDeveloper]\n")

	r := f.run(t, nil, "apply", "-f", spec, "-auto-approve")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "the plan removes 9 of 10 members")
	assert.Contains(t, r.stderr, "hint: nothing was changed. If these removals are intended, run again with a higher -remove-limit")
	assert.Zero(t, f.writes())

	r = f.run(t, nil, "apply", "-f", spec, "-auto-approve", "-remove-limit", "1")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Apply complete: 0 added, 0 changed, 9 removed.\n")
}

func TestApplyReportsProgressAndThrottling(t *testing.T) {
	f := newFakes(t)
	f.pai.AddWorkspace("ws-1")
	var spec strings.Builder
	spec.WriteString("workspaces:\n  - id: ws-1\n    members:\n")
	for i := range 25 {
		fmt.Fprintf(&spec, "      u%02d: [PAI.AlgoDeveloper]\n", i)
	}
	// The gateway throttles the first CreateMember once; the client retries it.
	f.pai.FailNext("CreateMember", 400, "Throttling.User")

	r := f.run(t, nil, "apply", "-f", writeSpec(t, spec.String()), "-auto-approve")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 10, "one line per tenth of the way:\n%s", r.stderr)
	assert.Equal(t, "progress: 3/25 changes done, 0 failed, 1 throttled requests", lines[0])
	assert.Equal(t, "progress: 25/25 changes done, 0 failed, 1 throttled requests", lines[9])
	assert.Contains(t, r.stdout, "Apply complete: 25 added, 0 changed, 0 removed.\n")
	assert.Equal(t, 2, f.pai.RequestCount("CreateMember"), "one batch, throttled once")
}

func TestApplyFailureIsReportedAndRerunConverges(t *testing.T) {
	f := newFakes(t)
	f.seed()
	spec := writeSpec(t, testSpec)
	f.pai.FailNext("DeleteMembers", 400, "InvalidParameter")

	r := f.run(t, nil, "apply", "-f", spec, "-auto-approve")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stdout, "Apply incomplete: 2 added, 2 changed, 0 removed; 1 failed, 0 not tried.\n")
	assert.Contains(t, r.stderr, "acsmembers apply: membership: pai workspace ws-1: remove user stranger: ")
	assert.Contains(t, r.stderr, "Run apply again to finish")

	r = f.run(t, nil, "apply", "-f", spec, "-auto-approve")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Plan: 0 to add, 0 to change, 1 to remove.\n")
	r = f.run(t, nil, "plan", "-f", spec, "-detailed-exitcode")
	assert.Equal(t, exitOK, r.code, r.stdout)
}

func TestBadSpecPrintsFileAndLine(t *testing.T) {
	f := newFakes(t)
	f.seed()
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("team.yaml", []byte(`workspaces:
  - id: ws-1
    members:
      u1: [PAI.AlgoDevloper]
      u2: []
`), 0o600))

	for _, args := range [][]string{{"plan", "-f", "team.yaml"}, {"apply", "-f", "team.yaml", "-auto-approve"}} {
		r := f.run(t, nil, args...)
		assert.Equal(t, exitError, r.code)
		assert.Empty(t, r.stdout)
		assert.Equal(t, "team.yaml:4: unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)\n"+
			"team.yaml:5: user u2 in workspace ws-1 has no roles: list at least one, or leave it out\n", r.stderr)
	}
	assert.Zero(t, f.pai.RequestCount("ListMembers"), "nothing is sent for a bad spec")
}

func TestUnknownTargetsAreNamed(t *testing.T) {
	f := newFakes(t)
	f.seed()

	r := f.run(t, nil, "plan", "-f", writeSpec(t, "workspaces:\n  - id: ws-nope\n    members: {u1: [PAI.AlgoDeveloper]}\n"))
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "acsmembers plan: membership: pai workspace ws-nope: ")
	assert.Contains(t, r.stderr, "hint: a PAI workspace named above does not exist in this region")

	r = f.run(t, nil, "apply", "-auto-approve", "-f", writeSpec(t, "projects:\n  - id: 404\n    members: {p1: [role_project_dev]}\n"))
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "acsmembers apply: membership: dataworks project 404: ")
	assert.Contains(t, r.stderr, "hint: a DataWorks project named above does not exist in this region")

	r = f.run(t, nil, "export", "-workspace", "ws-1", "-project", "404")
	assert.Equal(t, exitError, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "dataworks project 404")
	assert.Zero(t, f.writes())
}

func TestNoCredentialsGivesAHint(t *testing.T) {
	f := newFakes(t)
	f.seed()
	spec := writeSpec(t, testSpec)
	noCredentials(t)

	for _, args := range [][]string{{"plan", "-f", spec}, {"apply", "-f", spec, "-auto-approve"}, {"export", "-workspace", "ws-1"}} {
		r := f.run(t, nil, args...)
		assert.Equal(t, exitError, r.code, args)
		assert.Contains(t, r.stderr, "no credentials found")
		assert.Contains(t, r.stderr, "hint: no credentials were found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
		assert.Contains(t, r.stderr, "~/.alibabacloud/credentials")
	}
	assert.Zero(t, f.pai.RequestCount("ListMembers")+f.dw.RequestCount("ListProjectMembers"), "nothing is sent unsigned")
}

func TestExportRoundTrips(t *testing.T) {
	f := newFakes(t)
	f.seed()
	f.pai.AddWorkspace("ws-2")
	f.pai.AddMember("ws-2", "owner2", pai.RoleWorkspaceOwner, pai.RoleWorkspaceAdmin)
	f.dw.AddProject(28)
	f.dw.AddProjectMember(28, "reviewer", "role_project_ml_reviewer", dataworks.RoleProjectDev) // a custom role

	out := filepath.Join(t.TempDir(), "exported.yaml")
	r := f.run(t, nil, "export", "-workspace", "ws-1,ws-2", "-project", "27", "-project", "28,27", "-o", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "Wrote 2 workspace(s) and 2 project(s) to "+out+".\n", r.stderr)
	written, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, exportHeader+`workspaces:
  - id: "ws-1"
    exclusive: false
    members:
      "owner": [PAI.WorkspaceOwner]
      "stranger": [PAI.AlgoOperator]
      "u1": [PAI.WorkspaceGuest]
  - id: "ws-2"
    exclusive: false
    members:
      "owner2": [PAI.WorkspaceAdmin, PAI.WorkspaceOwner]
projects:
  - id: 27
    exclusive: false
    members:
      "owner": [role_project_owner]
      "p1": [role_project_guest]
  - id: 28
    exclusive: false
    members:
      "reviewer": [role_project_dev, 'custom:role_project_ml_reviewer']
`, string(written))

	r = f.run(t, nil, "export", "-workspace", "ws-1", "-workspace", "ws-2", "-project", "27,28", "-dataworks-api", "2020")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, string(written), r.stdout, "standard output gets the same spec, with either DataWorks API")

	// Loaded back, it plans as empty against the same state, as written
	// (additive) and made exclusive alike.
	r = f.run(t, nil, "plan", "-f", out, "-detailed-exitcode")
	assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	assert.Equal(t, "No changes. Every target matches the spec.\n", r.stdout)
	exclusive := strings.ReplaceAll(string(written), "exclusive: false", "exclusive: true")
	r = f.run(t, nil, "plan", "-f", writeSpec(t, exclusive), "-detailed-exitcode")
	assert.Equal(t, exitOK, r.code, r.stdout+r.stderr)
	assert.Zero(t, f.writes())
}

func TestUsage(t *testing.T) {
	f := newFakes(t)
	r := f.run(t, nil)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Usage:\n  acsmembers plan")

	r = f.run(t, nil, "help")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "Exit codes: 0 success; 1 error; 2 plan -detailed-exitcode found changes.")

	r = f.run(t, nil, "destroy")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, `unknown command "destroy"`)

	r = f.run(t, nil, "plan", "-h")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "-endpoint-pai")
	assert.Contains(t, r.stderr, "-detailed-exitcode")

	r = f.run(t, nil, "export")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "name what to export")

	r = f.run(t, nil, "export", "-project", "x7")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, `-project "x7" is not a DataWorks project ID`)

	r = f.run(t, nil, "plan", "-f", writeSpec(t, testSpec), "-dataworks-api", "2019")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "-dataworks-api must be 2020 or 2024")
}
