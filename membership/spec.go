package membership

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/pai"
)

// Spec is the desired membership of some PAI workspaces and DataWorks
// projects. Targets the spec does not list are never touched.
type Spec struct {
	Workspaces []WorkspaceSpec
	Projects   []ProjectSpec
}

// WorkspaceSpec is the desired membership of one PAI workspace: user ID →
// the roles that user must hold. An Exclusive workspace holds exactly these
// members and roles (others are revoked or removed, the owner excepted);
// otherwise members and roles are only added.
type WorkspaceSpec struct {
	ID        string
	Members   map[string][]pai.Role
	Exclusive bool
}

// ProjectSpec is the desired membership of one DataWorks project, as
// WorkspaceSpec is for a workspace.
type ProjectSpec struct {
	ID        int64
	Members   map[string][]dataworks.RoleCode
	Exclusive bool
}

// CustomPrefix marks a role in a spec file that is not built in, e.g.
// "custom:role_project_ml_reviewer" for a DataWorks custom role. Built-in
// roles are written bare; anything else without the prefix is refused, so a
// misspelt built-in role fails instead of naming a role that does not exist.
const CustomPrefix = "custom:"

// maxSpecBytes bounds what Load reads: a spec for thousands of users is a few
// hundred kilobytes.
const maxSpecBytes = 16 << 20

// builtin lists the roles a spec may write without CustomPrefix.
var (
	paiRoles = []string{
		string(pai.RoleAlgoDeveloper), string(pai.RoleAlgoOperator), string(pai.RoleLabelManager),
		string(pai.RoleMaxComputeDeveloper), string(pai.RoleWorkspaceAdmin), string(pai.RoleWorkspaceGuest),
		string(pai.RoleWorkspaceOwner),
	}
	dataWorksRoles = []string{
		string(dataworks.RoleProjectOwner), string(dataworks.RoleProjectAdmin), string(dataworks.RoleProjectDev),
		string(dataworks.RoleProjectPE), string(dataworks.RoleProjectDeploy), string(dataworks.RoleProjectGuest),
		string(dataworks.RoleProjectSecurity), string(dataworks.RoleProjectERD), string(dataworks.RoleProjectTester),
		string(dataworks.RoleProjectDataAnalyst), string(dataworks.RoleProjectDGAdmin),
	}
)

// SpecError is one problem in a spec file, at a line of it.
type SpecError struct {
	File   string // the file name, when known: LoadFile sets it, callers of Load may
	Line   int    // from 1; 0 when the problem has no place in the file
	Column int    // from 1; 0 when unknown
	Msg    string // what is wrong, e.g. "unknown role PAI.AlgoDevloper (did you mean PAI.AlgoDeveloper?)"
}

// Error reads "team.yaml:12: unknown role ...", or "line 12: ..." when File
// is empty.
func (e *SpecError) Error() string {
	switch {
	case e.Line == 0 && e.File == "":
		return e.Msg
	case e.Line == 0:
		return e.File + ": " + e.Msg
	case e.File == "":
		return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// SpecErrors is every problem Load found in a spec, in file order. Load
// returns it as its error; errors.As also finds each *SpecError in it.
type SpecErrors []*SpecError

// Error lists the problems, one a line.
func (es SpecErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.As finds a *SpecError.
func (es SpecErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// SetFile names the file in every problem, for callers of Load that read a
// file themselves.
func (es SpecErrors) SetFile(name string) {
	for _, e := range es {
		e.File = name
	}
}

// Load reads a spec written in YAML (or JSON, which YAML includes):
//
//	teams:                       # optional: named groups of user IDs
//	  ml: ["2151...", "2152..."]
//	workspaces:                  # PAI workspaces
//	  - id: "145883"
//	    exclusive: true          # optional, default false: only add
//	    members:                 # user ID → roles
//	      "2153...": [PAI.WorkspaceAdmin]
//	    teams:                   # team → roles, for every user of the team
//	      ml: [PAI.AlgoDeveloper]
//	projects:                    # DataWorks projects
//	  - id: 27
//	    members:
//	      "2151...": [role_project_dev, "custom:role_ml_reviewer"]
//
// Load is strict, so that a typo fails instead of silently changing access:
// an unknown key, a duplicate key, user or target, an empty role list, an
// unknown team and a role that is neither built in nor written with
// CustomPrefix all fail. The error is a SpecErrors listing every problem
// with its line, with a hint for a close misspelling.
//
// A user listed directly and through teams, or through several teams, gets
// the union of those roles. A team may be empty (everyone left it).
func Load(r io.Reader) (Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSpecBytes+1))
	if err != nil {
		return Spec{}, fmt.Errorf("membership: read spec: %w", err)
	}
	if len(data) > maxSpecBytes {
		return Spec{}, SpecErrors{{Msg: fmt.Sprintf("the spec is larger than %d bytes", maxSpecBytes)}}
	}
	return parse(data)
}

// LoadFile reads the spec in the named file, as Load does; problems name the
// file, e.g. "team.yaml:12: unknown role ...".
func LoadFile(name string) (Spec, error) {
	f, err := os.Open(name)
	if err != nil {
		return Spec{}, fmt.Errorf("membership: %w", err)
	}
	defer f.Close()
	spec, err := Load(f)
	var es SpecErrors
	if errors.As(err, &es) {
		es.SetFile(name)
	}
	return spec, err
}

// parser collects the problems of one spec.
type parser struct {
	errs SpecErrors
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	e := &SpecError{Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

func parse(data []byte) (Spec, error) {
	var p parser
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := dec.Decode(&doc); {
	case errors.Is(err, io.EOF):
		return Spec{}, nil // nothing but comments: a spec with no targets
	case err != nil:
		return Spec{}, SpecErrors{syntaxError(err)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return Spec{}, SpecErrors{syntaxError(err)}
		}
		p.errorf(&next, "a spec is one YAML document; remove the second one (after ---)")
		return Spec{}, p.errs
	}
	spec := p.spec(&doc)
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *SpecError) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
		})
		return Spec{}, p.errs
	}
	return spec, nil
}

// syntaxError turns the YAML parser's "yaml: line 3: did not find expected
// key" into a SpecError at line 3.
func syntaxError(err error) *SpecError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, text
			}
		}
	}
	// yaml.v3 counts lines from 1 in the scanner's errors but from 0 in the
	// parser's (and leaves the line out when it is 0), so those are one
	// line early; the parser's problems are these.
	if slices.Contains(parserProblems, msg) {
		line++
	}
	return &SpecError{Line: max(line, 1), Msg: msg}
}

// parserProblems are the messages of yaml.v3's parser errors, as opposed to
// its scanner's.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found incompatible YAML document", "found duplicate %TAG directive",
	"found undefined tag handle",
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// entry is one key of a mapping with its value.
type entry struct {
	key, value *yaml.Node
}

// mapping returns the entries of a mapping node, reporting keys that are
// not scalars or appear twice. what names the mapping in messages. A null
// value is an empty mapping.
func (p *parser) mapping(n *yaml.Node, what string) []entry {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping (key: value lines)", what)
		return nil
	}
	var out []entry
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "a key of %s must be a plain value", what)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, "%s lists %q twice (first at line %d)", what, k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, entry{k, v})
	}
	return out
}

// fields reads a mapping whose keys must be among known.
func (p *parser) fields(n *yaml.Node, what string, known ...string) map[string]entry {
	out := map[string]entry{}
	for _, e := range p.mapping(n, what) {
		if !slices.Contains(known, e.key.Value) {
			p.errorf(e.key, "unknown key %q in %s%s (known keys: %s)", e.key.Value, what, hint(e.key.Value, known, nil), strings.Join(known, ", "))
			continue
		}
		out[e.key.Value] = e
	}
	return out
}

// sequence returns the items of a sequence node; null is an empty sequence.
func (p *parser) sequence(n *yaml.Node, what, example string) ([]*yaml.Node, bool) {
	n = deref(n)
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list, e.g. %s", what, example)
		return nil, false
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out[i] = deref(c)
	}
	return out, true
}

// userID reads a user ID: a string or an integer, kept exactly as written
// (a long numeric ID is never rounded through a float).
func (p *parser) userID(n *yaml.Node, what string) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") {
		p.errorf(n, "%s must be a user ID (a string or a number)", what)
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "%s must not be empty", what)
		return "", false
	}
	return n.Value, true
}

func (p *parser) spec(doc *yaml.Node) Spec {
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return Spec{}
		}
		root = root.Content[0]
	}
	if isNull(deref(root)) {
		return Spec{}
	}
	top := p.fields(root, "the spec", "teams", "workspaces", "projects")
	teams := p.teams(top["teams"].value)

	var spec Spec
	if e, ok := top["workspaces"]; ok {
		items, _ := p.sequence(e.value, "workspaces", `[{id: "145883", members: {...}}]`)
		seen := map[string]int{}
		for _, item := range items {
			t, good := p.target(item, "workspace", paiRoleSet, teams)
			if t.id == nil {
				continue
			}
			id, ok := p.workspaceID(t.id)
			if !ok {
				continue
			}
			if line, dup := seen[id]; dup {
				p.errorf(t.id, "workspace %s is listed twice (first at line %d)", id, line)
				continue
			}
			seen[id] = t.id.Line
			if good {
				spec.Workspaces = append(spec.Workspaces, WorkspaceSpec{ID: id, Exclusive: t.exclusive, Members: typed[pai.Role](t.members)})
			}
		}
	}
	if e, ok := top["projects"]; ok {
		items, _ := p.sequence(e.value, "projects", `[{id: 27, members: {...}}]`)
		seen := map[int64]int{}
		for _, item := range items {
			t, good := p.target(item, "project", dataWorksRoleSet, teams)
			if t.id == nil {
				continue
			}
			id, ok := p.projectID(t.id)
			if !ok {
				continue
			}
			if line, dup := seen[id]; dup {
				p.errorf(t.id, "project %d is listed twice (first at line %d)", id, line)
				continue
			}
			seen[id] = t.id.Line
			if good {
				spec.Projects = append(spec.Projects, ProjectSpec{ID: id, Exclusive: t.exclusive, Members: typed[dataworks.RoleCode](t.members)})
			}
		}
	}
	return spec
}

// teams reads the top-level teams: name → user IDs.
func (p *parser) teams(n *yaml.Node) map[string][]string {
	out := map[string][]string{}
	if n == nil {
		return out
	}
	for _, e := range p.mapping(n, "teams") {
		name := e.key.Value
		items, ok := p.sequence(e.value, "team "+name, `["2151...", "2152..."]`)
		if !ok {
			continue
		}
		var users []string
		seen := map[string]bool{}
		for _, item := range items {
			id, ok := p.userID(item, "a member of team "+name)
			if !ok {
				continue
			}
			if seen[id] {
				p.errorf(item, "team %s lists user %s twice", name, id)
				continue
			}
			seen[id] = true
			users = append(users, id)
		}
		out[name] = users
	}
	return out
}

// rawTarget is a workspace or project as read, roles still untyped.
type rawTarget struct {
	id        *yaml.Node
	exclusive bool
	members   map[string][]string
}

// target reads one workspace or project entry: id, exclusive, members, teams.
// It reports whether the entry was free of problems; t.id is nil when the
// entry has no id.
func (p *parser) target(n *yaml.Node, kind string, roles roleSet, teams map[string][]string) (t rawTarget, good bool) {
	n = deref(n)
	before := len(p.errs)
	f := p.fields(n, "a "+kind, "id", "exclusive", "members", "teams")
	idEntry, ok := f["id"]
	if !ok {
		if n.Kind == yaml.MappingNode {
			p.errorf(n, "a %s needs an id", kind)
		}
		return t, false
	}
	t.id = deref(idEntry.value)
	where := kind + " " + t.id.Value
	if e, ok := f["exclusive"]; ok {
		v := deref(e.value)
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
			p.errorf(v, "exclusive of %s must be true or false", where)
		} else {
			t.exclusive = v.Value == "true"
		}
	}
	t.members = map[string][]string{}
	if e, ok := f["members"]; ok {
		for _, m := range p.mapping(e.value, "members of "+where) {
			user, ok := p.userID(m.key, "a member key of "+where)
			if !ok {
				continue
			}
			list, ok := p.roleList(m.value, m.key, "user "+user+" in "+where, roles)
			if ok {
				t.members[user] = list
			}
		}
	}
	if e, ok := f["teams"]; ok {
		names := slices.Sorted(maps.Keys(teams))
		for _, m := range p.mapping(e.value, "teams of "+where) {
			name := m.key.Value
			users, known := teams[name]
			if !known {
				p.errorf(m.key, "unknown team %q in %s%s", name, where, hint(name, names, nil))
				continue
			}
			list, ok := p.roleList(m.value, m.key, "team "+name+" in "+where, roles)
			if !ok {
				continue
			}
			for _, user := range users {
				for _, r := range list {
					if !slices.Contains(t.members[user], r) {
						t.members[user] = append(t.members[user], r)
					}
				}
			}
		}
	}
	return t, len(p.errs) == before
}

// roleList reads a non-empty list of roles without repeats.
func (p *parser) roleList(n, owner *yaml.Node, what string, roles roleSet) ([]string, bool) {
	items, ok := p.sequence(n, "the roles of "+what, "["+roles.builtin[0]+"]")
	if !ok {
		return nil, false
	}
	if len(items) == 0 {
		at := deref(n)
		if isNull(at) {
			at = owner
		}
		p.errorf(at, "%s has no roles: list at least one, or leave it out", what)
		return nil, false
	}
	var out []string
	good := true
	for _, item := range items {
		role, ok := p.role(item, roles)
		if !ok {
			good = false
			continue
		}
		if slices.Contains(out, role) {
			p.errorf(item, "%s lists role %s twice", what, role)
			good = false
			continue
		}
		out = append(out, role)
	}
	return out, good
}

// roleSet is what a service's roles look like in a spec.
type roleSet struct {
	service string   // "PAI workspace", "DataWorks project"
	builtin []string // written bare
	prefix  string   // the built-in roles' common prefix, tried when a name lacks it
	other   []string // the other service's roles, named in a hint when used by mistake
	others  string   // what the other roles are
}

var (
	paiRoleSet = roleSet{service: "PAI workspace", builtin: paiRoles, prefix: "PAI.",
		other: dataWorksRoles, others: "a DataWorks project role"}
	dataWorksRoleSet = roleSet{service: "DataWorks project", builtin: dataWorksRoles, prefix: "role_project_",
		other: paiRoles, others: "a PAI workspace role"}
)

// role reads one role: a built-in name, or CustomPrefix and a custom code.
func (p *parser) role(n *yaml.Node, roles roleSet) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		p.errorf(n, "a role must be a name such as %s", roles.builtin[0])
		return "", false
	}
	name := n.Value
	if custom, ok := strings.CutPrefix(name, CustomPrefix); ok {
		if strings.TrimSpace(custom) == "" || strings.TrimSpace(custom) != custom {
			p.errorf(n, "custom role %q needs a code after %q, without spaces around it", name, CustomPrefix)
			return "", false
		}
		return custom, true
	}
	if slices.Contains(roles.builtin, name) {
		return name, true
	}
	if slices.Contains(roles.other, name) {
		p.errorf(n, "%s is %s, not a %s role", name, roles.others, roles.service)
		return "", false
	}
	if h := hint(name, roles.builtin, &roles); h != "" {
		p.errorf(n, "unknown role %s%s", name, h)
	} else {
		p.errorf(n, "unknown role %s: not a built-in %s role; write a custom role as %s%s", name, roles.service, CustomPrefix, name)
	}
	return "", false
}

// workspaceID reads a workspace ID: a string or an integer, as written.
func (p *parser) workspaceID(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") || strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "a workspace id must be a non-empty string or number, e.g. \"145883\"")
		return "", false
	}
	return n.Value, true
}

// projectID reads a project ID: a positive decimal integer.
func (p *parser) projectID(n *yaml.Node) (int64, bool) {
	id, err := strconv.ParseInt(n.Value, 10, 64)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int") || err != nil || id <= 0 {
		p.errorf(n, "a project id must be a positive integer, e.g. 27")
		return 0, false
	}
	return id, true
}

func typed[R ~string](m map[string][]string) map[string][]R {
	out := make(map[string][]R, len(m))
	for user, roles := range m {
		rs := make([]R, len(roles))
		for i, r := range roles {
			rs[i] = R(r)
		}
		out[user] = rs
	}
	return out
}

// hint suggests the closest of candidates to a misspelt word, as
// " (did you mean X?)", or "" when none is close. With roles, a word that
// only lacks the built-in prefix ("AlgoDeveloper", "dev") is matched too.
func hint(word string, candidates []string, roles *roleSet) string {
	best, bestDist := "", -1
	lw := strings.ToLower(word)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := distance(lw, lc)
		if roles != nil {
			d = min(d, distance(lw, strings.TrimPrefix(lc, strings.ToLower(roles.prefix))))
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	// Up to a quarter of the word may be wrong, and always two letters: a
	// transposition or a missing letter in a short name.
	if bestDist < 0 || bestDist > max(2, len(word)/4) {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// distance is the Levenshtein edit distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
