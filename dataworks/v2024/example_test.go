package v2024_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	dw2024 "github.com/acsmembers/acsmembers-go/dataworks/v2024"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// exampleClient returns a client of a fake DataWorks holding project 27, so
// the examples run anywhere. Against the real service, use
// dw2024.New(dw2024.Options{Region: "cn-shanghai"}).
func exampleClient() (*dw2024.Client, *dataworkstest.Server) {
	srv := dataworkstest.NewServer()
	srv.AddProject(27)
	c, err := dw2024.New(dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		log.Fatal(err)
	}
	return c, srv
}

// A new member gets all of their roles in one call, and is read back in one.
func Example() {
	client, srv := exampleClient()
	defer srv.Close()
	ctx := context.Background()

	_, err := client.CreateProjectMember(ctx, &dw2024.CreateProjectMemberRequest{
		ProjectID: 27, UserID: "215139260000088039",
		RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectDataAnalyst},
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "215139260000088039"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Member.Status, got.Member.RoleCodes())
	// Output:
	// Normal [role_project_dev role_project_data_analyst]
}

// ErrUserNotInProject tells a missing member from a failed call.
func ExampleClient_GetProjectMember() {
	client, srv := exampleClient()
	defer srv.Close()
	ctx := context.Background()

	_, err := client.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "215139260000088039"})
	switch {
	case errors.Is(err, acserrors.ErrUserNotInProject):
		fmt.Println("not a member")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("a member")
	}
	// Output:
	// not a member
}

// Grant and revoke take several roles at once; both are set-state changes,
// safe to repeat.
func ExampleClient_GrantMemberProjectRoles() {
	client, srv := exampleClient()
	defer srv.Close()
	srv.AddProjectMember(27, "u1", dataworks.RoleProjectGuest)
	ctx := context.Background()

	_, err := client.GrantMemberProjectRoles(ctx, &dw2024.GrantMemberProjectRolesRequest{
		ProjectID: 27, UserID: "u1", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev, dataworks.RoleProjectPE},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.RevokeMemberProjectRoles(ctx, &dw2024.RevokeMemberProjectRolesRequest{
		ProjectID: 27, UserID: "u1", RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectGuest},
	})
	if err != nil {
		log.Fatal(err)
	}
	roles, _ := srv.MemberRoles(27, "u1")
	fmt.Println(roles)
	// Output:
	// [role_project_dev role_project_pe]
}

func ExampleClient_ListAllProjectMembers() {
	client, srv := exampleClient()
	defer srv.Close()
	srv.AddProjectMember(27, "u1", dataworks.RoleProjectAdmin)
	srv.AddProjectMember(27, "u2", dataworks.RoleProjectDev, dataworks.RoleProjectPE)
	srv.AddProjectMember(27, "u3", dataworks.RoleProjectDev)

	// Only the developers; pages are fetched as the loop needs them.
	req := &dw2024.ListProjectMembersRequest{ProjectID: 27, RoleCodes: []dataworks.RoleCode{dataworks.RoleProjectDev}}
	for m, err := range client.ListAllProjectMembers(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.UserID, m.RoleCodes())
	}
	// Output:
	// u2 [role_project_dev role_project_pe]
	// u3 [role_project_dev]
}

// Custom roles have project-specific codes, found by listing the roles.
func ExampleClient_ListAllProjectRoles() {
	client, srv := exampleClient()
	defer srv.Close()
	srv.AddProjectMember(27, "u1", "custom_etl_reviewer")

	req := &dw2024.ListProjectRolesRequest{ProjectID: 27, Type: dw2024.RoleTypeUserCustom}
	for r, err := range client.ListAllProjectRoles(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Code, r.Type)
	}
	// Output:
	// custom_etl_reviewer UserCustom
}

// DeleteProjectMember is not repeated after a 5xx or a dropped connection;
// ErrUserNotInProject afterwards means the member is gone either way.
func ExampleClient_DeleteProjectMember() {
	client, srv := exampleClient()
	defer srv.Close()
	srv.AddProjectMember(27, "u1", dataworks.RoleProjectDev)
	ctx := context.Background()

	for range 2 {
		_, err := client.DeleteProjectMember(ctx, &dw2024.DeleteProjectMemberRequest{ProjectID: 27, UserID: "u1"})
		if errors.Is(err, acserrors.ErrUserNotInProject) {
			fmt.Println("already gone")
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("deleted")
	}
	// Output:
	// deleted
	// already gone
}

// Both API versions manage the same members: one Options value configures a
// client of each, and a member added through 2020-05-18 is read through
// 2024-05-18.
func Example_bothVersions() {
	srv := dataworkstest.NewServer()
	defer srv.Close()
	srv.AddProject(27)
	opts := dw2024.Options{Endpoint: srv.URL, Credentials: srv.Credentials()}
	old, err := dataworks.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	client, err := dw2024.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	_, err = old.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: "u1", RoleCode: dataworks.RoleProjectGuest})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.GetProjectMember(ctx, &dw2024.GetProjectMemberRequest{ProjectID: 27, UserID: "u1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Member.UserID, got.Member.RoleCodes())
	// Output:
	// u1 [role_project_guest]
}
