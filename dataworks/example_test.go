package dataworks_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/dataworks/dataworkstest"
	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// exampleClient returns a client of a fake DataWorks holding project 27, so
// the examples run anywhere. Against the real service, use
// dataworks.New(dataworks.Options{Region: "cn-shanghai"}).
func exampleClient() (*dataworks.Client, *dataworkstest.Server) {
	srv := dataworkstest.NewServer()
	srv.AddProject(27)
	c, err := dataworks.New(dataworks.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		log.Fatal(err)
	}
	return c, srv
}

// Roles are granted to project members only; ErrUserNotInProject says to add
// the user first.
func ExampleClient_AddProjectMemberToRole() {
	client, srv := exampleClient()
	defer srv.Close()
	ctx := context.Background()

	req := &dataworks.AddProjectMemberToRoleRequest{ProjectID: 27, UserID: "215139260000088039", RoleCode: dataworks.RoleProjectDev}
	_, err := client.AddProjectMemberToRole(ctx, req)
	if errors.Is(err, acserrors.ErrUserNotInProject) {
		fmt.Println("not in the project yet: adding")
		_, err = client.CreateProjectMember(ctx, &dataworks.CreateProjectMemberRequest{ProjectID: 27, UserID: req.UserID, RoleCode: req.RoleCode})
	}
	if err != nil {
		log.Fatal(err)
	}
	roles, _ := srv.MemberRoles(27, req.UserID)
	fmt.Println(roles)
	// Output:
	// not in the project yet: adding
	// [role_project_dev]
}

func ExampleClient_ListAllProjectMembers() {
	client, srv := exampleClient()
	defer srv.Close()
	srv.AddProjectMember(27, "u1", dataworks.RoleProjectAdmin)
	srv.AddProjectMember(27, "u2", dataworks.RoleProjectDev, dataworks.RoleProjectPE)

	for m, err := range client.ListAllProjectMembers(context.Background(), &dataworks.ListProjectMembersRequest{ProjectID: 27}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(m.UserID, ":")
		for _, r := range m.Roles {
			fmt.Print(" ", r.Code)
		}
		fmt.Println()
	}
	// Output:
	// u1: role_project_admin
	// u2: role_project_dev role_project_pe
}
