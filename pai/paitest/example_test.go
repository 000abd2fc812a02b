package paitest_test

import (
	"context"
	"errors"
	"fmt"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
)

// A test starts the fake, gives it the state it needs, and points a real
// client at it: requests are signed, sent over loopback and verified.
func ExampleNewServer() {
	srv := paitest.NewServer()
	defer srv.Close()
	srv.AddWorkspace("ws-1")
	srv.AddMember("ws-1", "owner-1", pai.RoleWorkspaceOwner)

	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	created, err := client.CreateMember(ctx, &pai.CreateMemberRequest{
		WorkspaceID: "ws-1",
		Members:     []pai.MemberSpec{{UserID: "user-1", Roles: []pai.Role{pai.RoleAlgoDeveloper}}},
	})
	if err != nil {
		panic(err)
	}
	memberID := created.Members[0].MemberID
	fmt.Println("created", memberID)

	if _, err := client.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws-1", MemberID: memberID, Role: pai.RoleWorkspaceAdmin}); err != nil {
		panic(err)
	}
	m, _ := srv.Member("ws-1", "user-1")
	fmt.Println("roles", m.Roles)

	_, err = client.DeleteMembers(ctx, &pai.DeleteMembersRequest{WorkspaceID: "ws-1", MemberIDs: []string{"ws-1-owner-1"}})
	fmt.Println("owner deletable:", !errors.Is(err, acserrors.ErrOwnerNotDeletable))
	// Output:
	// created ws-1-user-1
	// roles [PAI.AlgoDeveloper PAI.WorkspaceAdmin]
	// owner deletable: false
}

// FailNext makes the next call of an operation fail, to test error handling.
func ExampleServer_FailNext() {
	srv := paitest.NewServer()
	defer srv.Close()
	srv.AddWorkspace("ws-1")
	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	if err != nil {
		panic(err)
	}

	srv.FailNext("GetWorkspace", 503, "ServiceUnavailable")
	_, err = client.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
	fmt.Println("first call unavailable:", errors.Is(err, acserrors.ErrServiceUnavailable))

	_, err = client.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
	fmt.Println("second call:", err)
	fmt.Println("requests received:", srv.RequestCount("GetWorkspace"))
	// Output:
	// first call unavailable: true
	// second call: <nil>
	// requests received: 2
}
