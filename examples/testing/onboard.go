// Package onboarding is an example of application code built on the SDK, and
// of how to test it with the in-process fake in pai/paitest (see
// onboard_test.go): no network, no account, no hand-written HTTP mocks, and
// no interface declared just so a test can swap the client out. The code
// takes a *pai.Client; the test points a real one at the fake.
package onboarding

import (
	"context"
	"errors"
	"fmt"
	"slices"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
)

// Onboard makes sure userID is a member of workspaceID holding role, adding
// the user or the role only when missing, so running it twice is harmless.
// It reports whether it changed anything.
func Onboard(ctx context.Context, c *pai.Client, workspaceID, userID string, role pai.Role) (changed bool, err error) {
	m, err := c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: workspaceID, UserID: userID})
	switch {
	case errors.Is(err, acserrors.ErrMemberNotFound):
		_, err := c.CreateMember(ctx, &pai.CreateMemberRequest{
			WorkspaceID: workspaceID,
			Members:     []pai.MemberSpec{{UserID: userID, Roles: []pai.Role{role}}},
		})
		if err != nil {
			return false, fmt.Errorf("onboard %s: add to workspace %s: %w", userID, workspaceID, err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("onboard %s: look up in workspace %s: %w", userID, workspaceID, err)
	case slices.Contains(m.Roles, role):
		return false, nil
	}
	if _, err := c.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: workspaceID, MemberID: m.MemberID, Role: role}); err != nil {
		return false, fmt.Errorf("onboard %s: grant %s: %w", userID, role, err)
	}
	return true, nil
}
