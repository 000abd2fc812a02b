package paitest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/pai/paitest"
	"github.com/acsmembers/acsmembers-go/signer"
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

// WithCredentials makes the fake accept a key pair the test already has
// (from its configuration or the environment, say), so one pair drives the
// fakes and the code under test alike.
func ExampleWithCredentials() {
	id, secret := "LTAIexample", "example-secret"
	srv := paitest.NewServer(paitest.WithCredentials(id, secret))
	defer srv.Close()
	srv.AddWorkspace("ws-1")

	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: signer.StaticCredentials(id, secret, "")})
	if err != nil {
		panic(err)
	}
	_, err = client.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
	fmt.Println("accepted:", err == nil)
	// Output:
	// accepted: true
}

// WithRateLimit throttles as the gateway does. With a clock that stands
// still the bucket never refills, so exactly the limit passes.
func ExampleWithRateLimit() {
	at := time.Now()
	srv := paitest.NewServer(paitest.WithRateLimit(2), paitest.WithClock(func() time.Time { return at }))
	defer srv.Close()
	srv.AddWorkspace("ws-1")
	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials(), MaxAttempts: 1})
	if err != nil {
		panic(err)
	}

	for range 3 {
		_, err := client.GetWorkspace(context.Background(), &pai.GetWorkspaceRequest{WorkspaceID: "ws-1"})
		fmt.Println("throttled:", errors.Is(err, acserrors.ErrThrottled))
	}
	fmt.Println("requests:", srv.RequestCount("GetWorkspace"), "throttled:", srv.ThrottledCount())
	// Output:
	// throttled: false
	// throttled: false
	// throttled: true
	// requests: 3 throttled: 1
}

// ZeroRoleEvents tells whether a member was ever left without a role, for
// instance by removing its old role before granting the new one.
func ExampleServer_ZeroRoleEvents() {
	srv := paitest.NewServer()
	defer srv.Close()
	srv.AddWorkspace("ws-1")
	id := srv.AddMember("ws-1", "user-1", pai.RoleWorkspaceGuest)
	client, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: srv.Credentials()})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// The wrong order: remove first, then add.
	if _, err := client.RemoveMemberRole(ctx, &pai.RemoveMemberRoleRequest{WorkspaceID: "ws-1", MemberID: id, Role: pai.RoleWorkspaceGuest}); err != nil {
		panic(err)
	}
	if _, err := client.AddMemberRole(ctx, &pai.AddMemberRoleRequest{WorkspaceID: "ws-1", MemberID: id, Role: pai.RoleAlgoDeveloper}); err != nil {
		panic(err)
	}
	fmt.Println(srv.ZeroRoleEvents())
	// Output:
	// [ws-1/user-1]
}
