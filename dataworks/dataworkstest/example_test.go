package dataworkstest_test

import (
	"context"
	"errors"
	"fmt"

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
