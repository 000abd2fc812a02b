package membership

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Validate reports what Plan refuses in a spec built in code (Load already
// refuses all of it): an empty or repeated target ID, an empty user ID, an
// empty role list and an empty role. Role names are not checked against the
// built-in ones here: a Spec may carry custom roles bare.
func (s Spec) Validate() error {
	var errs []error
	seenWS := map[string]bool{}
	for i, ws := range s.Workspaces {
		where := "workspace " + strconv.Quote(ws.ID)
		switch {
		case ws.ID == "":
			errs = append(errs, fmt.Errorf("membership: Workspaces[%d]: empty ID", i))
		case seenWS[ws.ID]:
			errs = append(errs, fmt.Errorf("membership: %s is listed twice", where))
		}
		seenWS[ws.ID] = true
		errs = append(errs, validateMembers(where, ws.Members)...)
	}
	seenP := map[int64]bool{}
	for i, p := range s.Projects {
		where := "project " + strconv.FormatInt(p.ID, 10)
		switch {
		case p.ID <= 0:
			errs = append(errs, fmt.Errorf("membership: Projects[%d]: ID %d is not positive", i, p.ID))
		case seenP[p.ID]:
			errs = append(errs, fmt.Errorf("membership: %s is listed twice", where))
		}
		seenP[p.ID] = true
		errs = append(errs, validateMembers(where, p.Members)...)
	}
	return errors.Join(errs...)
}

func validateMembers[R ~string](where string, members map[string][]R) []error {
	var errs []error
	for _, user := range slices.Sorted(maps.Keys(members)) {
		roles := members[user]
		switch {
		case user == "":
			errs = append(errs, fmt.Errorf("membership: %s: empty user ID", where))
		case len(roles) == 0:
			errs = append(errs, fmt.Errorf("membership: %s: user %s has no roles", where, user))
		case slices.Contains(roles, ""):
			errs = append(errs, fmt.Errorf("membership: %s: user %s has an empty role", where, user))
		}
	}
	return errs
}

// WriteYAML writes s in the format Load reads, users and roles sorted, so
// that the same spec always gives the same bytes. Roles that are not built
// in are written with CustomPrefix. It is how a tool exports the current
// members of existing targets as a spec to adopt (see Syncer.Export).
func (s Spec) WriteYAML(w io.Writer) error {
	root := &yaml.Node{Kind: yaml.MappingNode}
	if len(s.Workspaces) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, ws := range s.Workspaces {
			seq.Content = append(seq.Content, targetNode(
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ws.ID, Style: yaml.DoubleQuotedStyle},
				ws.Exclusive, ws.Members, paiRoles))
		}
		root.Content = append(root.Content, plain("workspaces"), seq)
	}
	if len(s.Projects) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.Projects {
			seq.Content = append(seq.Content, targetNode(
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(p.ID, 10)},
				p.Exclusive, p.Members, dataWorksRoles))
		}
		root.Content = append(root.Content, plain("projects"), seq)
	}
	if len(root.Content) == 0 {
		root.Style = yaml.FlowStyle // {}: a valid, empty spec
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("membership: write spec: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("membership: write spec: %w", err)
	}
	return nil
}

func plain(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func targetNode[R ~string](id *yaml.Node, exclusive bool, members map[string][]R, builtin []string) *yaml.Node {
	ms := &yaml.Node{Kind: yaml.MappingNode}
	for _, user := range slices.Sorted(maps.Keys(members)) {
		roles := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, r := range sortedRoles(members[user]) {
			name := string(r)
			if !slices.Contains(builtin, name) {
				name = CustomPrefix + name
			}
			roles.Content = append(roles.Content, plain(name))
		}
		ms.Content = append(ms.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: user, Style: yaml.DoubleQuotedStyle}, roles)
	}
	if len(ms.Content) == 0 {
		ms.Style = yaml.FlowStyle
	}
	ex := "false"
	if exclusive {
		ex = "true"
	}
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		plain("id"), id,
		plain("exclusive"), {Kind: yaml.ScalarNode, Tag: "!!bool", Value: ex},
		plain("members"), ms,
	}}
}

// sortedRoles returns roles sorted, without repeats.
func sortedRoles[R ~string](roles []R) []R {
	out := slices.Clone(roles)
	slices.Sort(out)
	return slices.Compact(out)
}
