package pai_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// exampleClient returns a client of a fake PAI holding workspace 145883, so
// the examples run anywhere. Against the real service, use
// pai.New(pai.Options{Region: "cn-hangzhou"}) and the default credentials.
func exampleClient() (*pai.Client, *paitest.Server) {
	srv := paitest.NewServer()
	srv.AddWorkspace("145883")
	c, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		log.Fatal(err)
	}
	return c, srv
}

func ExampleClient_CreateMember() {
	client, srv := exampleClient()
	defer srv.Close()

	resp, err := client.CreateMember(context.Background(), &pai.CreateMemberRequest{
		WorkspaceID: "145883",
		Members:     []pai.MemberSpec{{UserID: "215139260000088039", Roles: []pai.Role{pai.RoleAlgoDeveloper}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range resp.Members {
		fmt.Println(m.MemberID, m.Roles)
	}
	// Output: 145883-215139260000088039 [PAI.AlgoDeveloper]
}

func ExampleClient_AddMemberRole() {
	client, srv := exampleClient()
	defer srv.Close()
	memberID := srv.AddMember("145883", "215139260000088039", pai.RoleAlgoDeveloper)
	ctx := context.Background()

	if _, err := client.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "145883", MemberID: memberID, Role: pai.RoleWorkspaceAdmin}); err != nil {
		log.Fatal(err)
	}
	m, err := client.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "145883", MemberID: memberID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Roles)
	// Output: [PAI.AlgoDeveloper PAI.WorkspaceAdmin]
}

// A member that does not exist is an error matching ErrMemberNotFound.
func ExampleClient_GetMember() {
	client, srv := exampleClient()
	defer srv.Close()

	_, err := client.GetMember(context.Background(), &pai.GetMemberRequest{WorkspaceID: "145883", UserID: "nobody"})
	switch {
	case errors.Is(err, acserrors.ErrMemberNotFound):
		fmt.Println("not a member")
	case err != nil:
		log.Fatal(err)
	}
	// Output: not a member
}

// ListAllMembers fetches pages as the loop needs them.
func ExampleClient_ListAllMembers() {
	client, srv := exampleClient()
	defer srv.Close()
	for _, uid := range []string{"u1", "u2", "u3"} {
		srv.AddMember("145883", uid, pai.RoleWorkspaceGuest)
	}

	for m, err := range client.ListAllMembers(context.Background(), &pai.ListMembersRequest{WorkspaceID: "145883", PageSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.UserID)
	}
	// Output:
	// u1
	// u2
	// u3
}

// Invalid requests fail before anything is sent, listing every offending field.
func ExampleClient_CreateMember_validation() {
	client, srv := exampleClient()
	defer srv.Close()

	_, err := client.CreateMember(context.Background(), &pai.CreateMemberRequest{Members: []pai.MemberSpec{{UserID: ""}}})
	fmt.Println(errors.Is(err, acserrors.ErrInvalidParameter))
	fmt.Println(err)
	// Output:
	// true
	// pai CreateMember: invalid request: WorkspaceID: required; Members[0].UserID: required; Members[0].Roles: at least one role is required
}
