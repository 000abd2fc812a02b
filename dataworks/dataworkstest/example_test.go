package dataworkstest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// A test starts the fake, gives it the state it needs, and points a real
// client at it: requests are signed, sent over loopback and verified.
func ExampleNewServer() {
	srv := dataworkstest.NewServer()
	defer srv.Close()
	srv.AddProject(27)

	client, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	add := &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectDev}
	_, err = client.AddProjectMemberToRole(ctx, add)
	fmt.Println("not in project yet:", errors.Is(err, acserrors.ErrUserNotInProject))

	if _, err := client.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectGuest}); err != nil {
		panic(err)
	}
	if _, err := client.AddProjectMemberToRole(ctx, add); err != nil {
		panic(err)
	}
	roles, _ := srv.MemberRoles(27, "1001")
	fmt.Println("roles:", roles)
	// Output:
	// not in project yet: true
	// roles: [role_project_guest role_project_dev]
}

// FailNext makes the next call of an action fail, to test error handling.
func ExampleServer_FailNext() {
	srv := dataworkstest.NewServer()
	defer srv.Close()
	srv.AddProject(27)
	client, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	if err != nil {
		panic(err)
	}

	srv.FailNext("ListProjectRoles", 400, "Throttling.User")
	_, err = client.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	fmt.Println("throttled:", errors.Is(err, acserrors.ErrThrottled))

	resp, err := client.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	fmt.Println("then:", err, len(resp.Roles), "roles")
	// Output:
	// throttled: true
	// then: <nil> 9 roles
}

// WithRateLimit throttles as the gateway does, saying when to come back. With
// a clock that stands still the bucket never refills, so exactly the limit
// passes, whatever the timing.
func ExampleWithRateLimit() {
	at := time.Now()
	srv := dataworkstest.NewServer(dataworkstest.WithRateLimit(2), dataworkstest.WithClock(func() time.Time { return at }))
	defer srv.Close()
	srv.AddProject(27)
	client, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	if err != nil {
		panic(err)
	}

	for range 3 {
		_, err = client.ListProjectRoles(context.Background(), &dataworks.ListProjectRolesRequest{ProjectID: 27})
	}
	var apiErr *acserrors.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, "retry after", apiErr.RetryAfter)
	}
	fmt.Println("requests:", srv.RequestCount("ListProjectRoles"), "throttled:", srv.ThrottledCount())
	// Output:
	// Throttling.User retry after 500ms
	// requests: 3 throttled: 1
}

// ZeroRoleEvents tells whether a member was ever left without a role, for
// instance by removing its old role before granting the new one.
func ExampleServer_ZeroRoleEvents() {
	srv := dataworkstest.NewServer()
	defer srv.Close()
	srv.AddProject(27)
	srv.AddProjectMember(27, "1001", dataworks.RoleProjectGuest)
	client, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The right order: grant the new role first, then remove the old one.
	if _, err := client.AddProjectMemberToRole(ctx, &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectDev}); err != nil {
		panic(err)
	}
	if _, err := client.RemoveProjectMemberFromRole(ctx, &dataworks.RemoveProjectMemberFromRoleRequest{ProjectID: 27, UserID: "1001", RoleCode: dataworks.RoleProjectGuest}); err != nil {
		panic(err)
	}
	fmt.Println("left without a role:", srv.ZeroRoleEvents())
	// Output:
	// left without a role: []
}
