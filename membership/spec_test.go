package membership

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/pai"
)

const fullSpec = `# the ML team's access
teams:
  ml: ["2001", "2002"]
  ops: [2003]
workspaces:
  - id: "145883"
    exclusive: true
    members:
      "2001": [PAI.WorkspaceAdmin]
      2004: [PAI.WorkspaceGuest]
    teams:
      ml: [PAI.AlgoDeveloper]
      ops: [PAI.AlgoOperator, PAI.AlgoDeveloper]
  - id: 145884
    teams:
      ml: [PAI.LabelManager]
projects:
  - id: 27
    exclusive: false
    members:
      "215139260000088039": [role_project_dev, "custom:role_ml_reviewer"]
    teams:
      ml: [role_project_guest]
`

func TestLoadReadsTeamsCustomRolesAndNumbers(t *testing.T) {
	spec, err := Load(strings.NewReader(fullSpec))
	require.NoError(t, err)
	assert.Equal(t, Spec{
		Workspaces: []WorkspaceSpec{
			{ID: "145883", Exclusive: true, Members: map[string][]pai.Role{
				// Listed directly and through a team: the union, direct roles first.
				"2001": {pai.RoleWorkspaceAdmin, pai.RoleAlgoDeveloper},
				"2002": {pai.RoleAlgoDeveloper},
				"2003": {pai.RoleAlgoOperator, pai.RoleAlgoDeveloper},
				"2004": {pai.RoleWorkspaceGuest},
			}},
			// A numeric id is kept as written.
			{ID: "145884", Members: map[string][]pai.Role{
				"2001": {pai.RoleLabelManager}, "2002": {pai.RoleLabelManager},
			}},
		},
		Projects: []ProjectSpec{
			{ID: 27, Members: map[string][]dataworks.RoleCode{
				// An 18-digit user ID is not rounded through a float; custom: is stripped.
				"215139260000088039": {dataworks.RoleProjectDev, "role_ml_reviewer"},
				"2001":               {dataworks.RoleProjectGuest},
				"2002":               {dataworks.RoleProjectGuest},
			}},
		},
	}, spec)
}

func TestLoadReadsJSON(t *testing.T) {
	spec, err := Load(strings.NewReader(`{"workspaces": [{"id": "1", "exclusive": true, "members": {"u1": ["PAI.AlgoDeveloper"]}}],
		"projects": [{"id": 27, "members": {"u2": ["role_project_pe"]}}]}`))
	require.NoError(t, err)
	assert.Equal(t, Spec{
		Workspaces: []WorkspaceSpec{{ID: "1", Exclusive: true, Members: map[string][]pai.Role{"u1": {pai.RoleAlgoDeveloper}}}},
		Projects:   []ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{"u2": {dataworks.RoleProjectPE}}}},
	}, spec)
}

func TestLoadEmptyIsNoTargets(t *testing.T) {
	for _, in := range []string{"", "# nothing yet\n", "{}", "workspaces: []\nprojects:\n"} {
		spec, err := Load(strings.NewReader(in))
		require.NoError(t, err, in)
		assert.Empty(t, spec.Workspaces, in)
		assert.Empty(t, spec.Projects, in)
	}
}

func TestLoadRefusesBadSpecsWithTheirLine(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
		msg  string // the whole message of the first problem
	}{
		{"misspelt role", `workspaces:
  - id: "1"
    members:
      "u1": [PAI.AlgoDevloper]
`, 4, "unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)"},
		{"role without its prefix", `projects:
  - id: 27
    members:
      u1: [dev]
`, 4, "unknown role dev (did you mean role_project_dev?)"},
		{"unknown role, no close one", `workspaces:
  - id: "1"
    members:
      u1: [ml_reviewer]
`, 4, "unknown role ml_reviewer: not a built-in PAI workspace role; write a custom role as custom:ml_reviewer"},
		{"role of the other service", `projects:
  - id: 27
    members:
      u1: [PAI.AlgoDeveloper]
`, 4, "PAI.AlgoDeveloper is a PAI workspace role, not a DataWorks project role"},
		{"empty custom role", `projects:
  - id: 27
    members:
      u1: ["custom:"]
`, 4, `custom role "custom:" needs a code after "custom:", without spaces around it`},
		{"empty role list", `workspaces:
  - id: "1"
    members:
      u1: []
`, 4, "user u1 in workspace 1 has no roles: list at least one, or leave it out"},
		{"null role list", `workspaces:
  - id: "1"
    members:
      u1:
`, 4, "user u1 in workspace 1 has no roles: list at least one, or leave it out"},
		{"roles not a list", `workspaces:
  - id: "1"
    members:
      u1: PAI.AlgoDeveloper
`, 4, "the roles of user u1 in workspace 1 must be a list, e.g. [PAI.AlgoDeveloper]"},
		{"role twice", `workspaces:
  - id: "1"
    members:
      u1: [PAI.AlgoDeveloper, PAI.AlgoDeveloper]
`, 4, "user u1 in workspace 1 lists role PAI.AlgoDeveloper twice"},
		{"duplicate user", `workspaces:
  - id: "1"
    members:
      u1: [PAI.AlgoDeveloper]
      u1: [PAI.WorkspaceGuest]
`, 5, `members of workspace 1 lists "u1" twice (first at line 4)`},
		{"duplicate workspace", `workspaces:
  - id: "1"
    members: {u1: [PAI.AlgoDeveloper]}
  - id: 1
    members: {u2: [PAI.AlgoDeveloper]}
`, 4, "workspace 1 is listed twice (first at line 2)"},
		{"duplicate project", `projects:
  - id: 27
  - id: "27"
`, 3, "project 27 is listed twice (first at line 2)"},
		{"unknown top-level key", `workspace:
  - id: "1"
`, 1, `unknown key "workspace" in the spec (did you mean workspaces?) (known keys: teams, workspaces, projects)`},
		{"unknown target key", `workspaces:
  - id: "1"
    exclusiv: true
`, 3, `unknown key "exclusiv" in a workspace (did you mean exclusive?) (known keys: id, exclusive, members, teams)`},
		{"exclusive not a bool", `workspaces:
  - id: "1"
    exclusive: yes
`, 3, "exclusive of workspace 1 must be true or false"},
		{"missing id", `workspaces:
  - members: {u1: [PAI.AlgoDeveloper]}
`, 2, "a workspace needs an id"},
		{"bad project id", `projects:
  - id: abc
`, 2, "a project id must be a positive integer, e.g. 27"},
		{"zero project id", `projects:
  - id: 0
`, 2, "a project id must be a positive integer, e.g. 27"},
		{"unknown team", `teams:
  ml: [u1]
workspaces:
  - id: "1"
    teams:
      mll: [PAI.AlgoDeveloper]
`, 6, `unknown team "mll" in workspace 1 (did you mean ml?)`},
		{"user twice in a team", `teams:
  ml: [u1, u2, u1]
`, 2, "team ml lists user u1 twice"},
		{"user ID not a scalar", `teams:
  ml: [[u1]]
`, 2, "a member of team ml must be a user ID (a string or a number)"},
		{"bad indentation", `workspaces:
  - id: "1"
 - id: "2"
`, 3, "did not find expected key"},
		{"tab", "workspaces:\n\t- id: 1\n", 2, "found character that cannot start any token"},
		// The parser finds out at the end of the file.
		{"unclosed flow", "projects: [{id: 27}\n", 2, "did not find expected ',' or ']'"},
		{"not a mapping", `- id: "1"
`, 1, "the spec must be a mapping (key: value lines)"},
		{"syntax error", `workspaces:
  - id: "1"
    members: {u1: [PAI.AlgoDeveloper}
`, 3, "did not find expected ',' or ']'"},
		{"two documents", `workspaces: []
---
projects: []
`, 2, "a spec is one YAML document; remove the second one (after ---)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.yaml))
			require.Error(t, err)
			var es SpecErrors
			require.True(t, errors.As(err, &es), "%T %v", err, err)
			var first *SpecError
			require.True(t, errors.As(err, &first))
			assert.Equal(t, tt.line, first.Line, err.Error())
			assert.Equal(t, tt.msg, first.Msg)
			assert.Contains(t, err.Error(), "line "+strconv.Itoa(tt.line)+": ")
		})
	}
}

func TestLoadListsEveryProblemInFileOrder(t *testing.T) {
	_, err := Load(strings.NewReader(`workspaces:
  - id: "1"
    members:
      u1: [PAI.AlgoDevloper]
      u2: []
projects:
  - id: 27
    bogus: 1
`))
	var es SpecErrors
	require.True(t, errors.As(err, &es))
	require.Len(t, es, 3)
	assert.Equal(t, []int{4, 5, 8}, []int{es[0].Line, es[1].Line, es[2].Line})
	assert.Equal(t, "line 4: unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)\n"+
		"line 5: user u2 in workspace 1 has no roles: list at least one, or leave it out\n"+
		`line 8: unknown key "bogus" in a project (known keys: id, exclusive, members, teams)`, err.Error())
}

func TestLoadFileNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "team.yaml")
	require.NoError(t, os.WriteFile(path, []byte("workspaces:\n  - id: \"1\"\n    members:\n      u1: [PAI.AlgoDevloper]\n"), 0o600))
	_, err := LoadFile(path)
	require.Error(t, err)
	assert.Equal(t, path+":4: unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)", err.Error())

	// Callers of Load can name the file themselves.
	_, err = Load(strings.NewReader("projects: [{id: -1}]"))
	var es SpecErrors
	require.True(t, errors.As(err, &es))
	es.SetFile("stdin")
	assert.Equal(t, "stdin:1: a project id must be a positive integer, e.g. 27", err.Error())

	_, err = LoadFile(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestLoadRefusesHugeInput(t *testing.T) {
	_, err := Load(bytes.NewReader(make([]byte, maxSpecBytes+1)))
	var es SpecErrors
	require.True(t, errors.As(err, &es))
}

func TestWriteYAMLRoundTrips(t *testing.T) {
	spec, err := Load(strings.NewReader(fullSpec))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, spec.WriteYAML(&buf))
	again, err := Load(&buf)
	require.NoError(t, err, buf.String())
	// Roles come back sorted; compare as sets.
	for i := range spec.Workspaces {
		for u, roles := range spec.Workspaces[i].Members {
			assert.ElementsMatch(t, roles, again.Workspaces[i].Members[u])
		}
		assert.Len(t, again.Workspaces[i].Members, len(spec.Workspaces[i].Members))
		assert.Equal(t, spec.Workspaces[i].Exclusive, again.Workspaces[i].Exclusive)
	}
	assert.Equal(t, want(spec.Projects[0].Members), want(again.Projects[0].Members))

	var small bytes.Buffer
	require.NoError(t, Spec{
		Workspaces: []WorkspaceSpec{{ID: "145883", Exclusive: true, Members: map[string][]pai.Role{"2": {pai.RoleWorkspaceGuest, pai.RoleAlgoDeveloper}}}},
		Projects:   []ProjectSpec{{ID: 27, Members: map[string][]dataworks.RoleCode{"3": {"role_ml_reviewer"}}}},
	}.WriteYAML(&small))
	assert.Equal(t, `workspaces:
  - id: "145883"
    exclusive: true
    members:
      "2": [PAI.AlgoDeveloper, PAI.WorkspaceGuest]
projects:
  - id: 27
    exclusive: false
    members:
      "3": ['custom:role_ml_reviewer']
`, small.String())

	var empty bytes.Buffer
	require.NoError(t, Spec{}.WriteYAML(&empty))
	got, err := Load(&empty)
	require.NoError(t, err)
	assert.Equal(t, Spec{}, got)
}

func TestValidateRefusesWhatPlanCannotDo(t *testing.T) {
	err := Spec{
		Workspaces: []WorkspaceSpec{
			{ID: "", Members: map[string][]pai.Role{"u1": {pai.RoleAlgoDeveloper}}},
			{ID: "1", Members: map[string][]pai.Role{"u1": {}, "": {pai.RoleAlgoDeveloper}}},
			{ID: "1"},
		},
		Projects: []ProjectSpec{
			{ID: 0},
			{ID: 27, Members: map[string][]dataworks.RoleCode{"u1": {""}}},
		},
	}.Validate()
	require.Error(t, err)
	for _, msg := range []string{
		"Workspaces[0]: empty ID", `workspace "1": empty user ID`, `workspace "1": user u1 has no roles`,
		`workspace "1" is listed twice`, "Projects[0]: ID 0 is not positive", "project 27: user u1 has an empty role",
	} {
		assert.Contains(t, err.Error(), msg)
	}
	assert.NoError(t, Spec{}.Validate())
}

func TestHintAndDistance(t *testing.T) {
	assert.Equal(t, 1, distance("pai.algodevloper", "pai.algodeveloper"))
	assert.Equal(t, 3, distance("kitten", "sitting"))
	assert.Equal(t, " (did you mean PAI.AlgoDeveloper?)", hint("AlgoDeveloper", paiRoles, &paiRoleSet))
	assert.Equal(t, " (did you mean PAI.WorkspaceAdmin?)", hint("pai.workspaceadmin", paiRoles, &paiRoleSet))
	assert.Empty(t, hint("role_ml_reviewer", dataWorksRoles, &dataWorksRoleSet))
}

func TestLoadAcceptsAnEmptyTeam(t *testing.T) {
	spec, err := Load(strings.NewReader(`teams:
  left: []
workspaces:
  - id: "1"
    teams:
      left: [PAI.AlgoDeveloper]
`))
	require.NoError(t, err)
	assert.Equal(t, []WorkspaceSpec{{ID: "1", Members: map[string][]pai.Role{}}}, spec.Workspaces)
}
