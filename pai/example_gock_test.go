package pai_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/signer"
)

// Testing with gock: the SDK sends through its own *http.Client, never
// http.DefaultClient, so gock's usual interception of http.DefaultTransport
// does not see its requests. Intercept a client of your own, before pai.New,
// and pass it in Options.HTTPClient. Static credentials keep the test away
// from the default credential chain; MaxAttempts: 1 makes one mock answer
// one call. The request body is matched with BodyString (compared as JSON):
// gock's request-side JSON() also expects the Content-Type to be exactly
// "application/json", and the SDK sends "application/json; charset=utf-8".
func Example_gock() {
	client := &http.Client{}
	gock.InterceptClient(client)
	defer gock.RestoreClient(client)
	defer gock.Off()

	gock.New("https://aiworkspace.cn-hangzhou.aliyuncs.com").
		Post("/api/v1/workspaces/145883/members").
		MatchHeader("x-acs-action", "^CreateMember$").
		BodyString(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"215139260000088039"}]}`).
		Reply(http.StatusOK).
		JSON(map[string]any{
			"RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
			"Members": []any{map[string]any{
				"MemberId": "145883-215139260000088039", "UserId": "215139260000088039",
				"DisplayName": "alice", "Roles": []string{"PAI.AlgoDeveloper"},
			}},
		})

	c, err := pai.New(pai.Options{
		Region:      "cn-hangzhou",
		HTTPClient:  client,
		Credentials: signer.StaticCredentials("id", "secret", ""),
		MaxAttempts: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.CreateMember(context.Background(), &pai.CreateMemberRequest{
		WorkspaceID: "145883",
		Members:     []pai.MemberSpec{{UserID: "215139260000088039", Roles: []pai.Role{pai.RoleAlgoDeveloper}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range resp.Members {
		fmt.Println(m.MemberID, m.DisplayName, m.Roles)
	}
	fmt.Println("every mock used:", gock.IsDone())
	// Output:
	// 145883-215139260000088039 alice [PAI.AlgoDeveloper]
	// every mock used: true
}

// A mocked failure: one 503 reply and MaxAttempts: 1, so the call makes
// exactly one request and the error matches errors.ErrServiceUnavailable.
// With more attempts, GetMember (safe to repeat) would retry, find the
// one-shot mock used up, and fail with "gock: cannot match any request"
// instead; register the reply with .Times(n) to answer n attempts.
func Example_gockServiceUnavailable() {
	client := &http.Client{}
	gock.InterceptClient(client)
	defer gock.RestoreClient(client)
	defer gock.Off()

	gock.New("https://aiworkspace.cn-hangzhou.aliyuncs.com").
		Get("/api/v1/workspaces/145883/member").
		MatchParam("UserId", "^215139260000088039$").
		Reply(http.StatusServiceUnavailable).
		JSON(map[string]any{"RequestId": "R-503", "Code": "ServiceUnavailable", "Message": "try later"})

	c, err := pai.New(pai.Options{
		Region:      "cn-hangzhou",
		HTTPClient:  client,
		Credentials: signer.StaticCredentials("id", "secret", ""),
		MaxAttempts: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.GetMember(context.Background(), &pai.GetMemberRequest{WorkspaceID: "145883", UserID: "215139260000088039"})
	fmt.Println("service unavailable:", errors.Is(err, acserrors.ErrServiceUnavailable))
	fmt.Println("every mock used:", gock.IsDone())
	// Output:
	// service unavailable: true
	// every mock used: true
}

// gockPAI returns a client for cn-hangzhou sending through an intercepted
// *http.Client with the given attempts, and turns gock off when the test ends.
func gockPAI(t *testing.T, attempts int) *pai.Client {
	t.Helper()
	client := &http.Client{}
	gock.InterceptClient(client)
	t.Cleanup(func() {
		gock.Off()
		gock.CleanUnmatchedRequest()
		gock.RestoreClient(client)
	})
	c, err := pai.New(pai.Options{
		Region:      "cn-hangzhou",
		HTTPClient:  client,
		Credentials: signer.StaticCredentials("id", "secret", ""),
		MaxAttempts: attempts,
	})
	require.NoError(t, err)
	return c
}

// mock503 registers a 503 reply to GetMember that answers times requests.
func mock503(times int) {
	gock.New("https://aiworkspace.cn-hangzhou.aliyuncs.com").
		Get("/api/v1/workspaces/145883/member").
		Times(times).
		Reply(http.StatusServiceUnavailable).
		JSON(map[string]any{"RequestId": "R-503", "Code": "ServiceUnavailable", "Message": "try later"})
}

var gockGetMemberReq = &pai.GetMemberRequest{WorkspaceID: "145883", UserID: "215139260000088039"}

// Why the recipe needs MaxAttempts: 1 or .Times(n): with the default three
// attempts, a one-shot 503 mock is used up by the first attempt and the
// retries fail inside gock, so the error no longer says 503.
func TestGockOneShotMockIsUsedUpByRetries(t *testing.T) {
	c := gockPAI(t, 0) // 0: the default, 3 attempts

	mock503(1)
	_, err := c.GetMember(context.Background(), gockGetMemberReq)
	require.Error(t, err)
	assert.ErrorIs(t, err, gock.ErrCannotMatch)
	assert.NotErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.Contains(t, err.Error(), "gock: cannot match any request")
	assert.True(t, gock.HasUnmatchedRequest(), "the retries reached gock with nothing left to match")
}

// .Times(n) answers every attempt: the retries see the 503 too and the
// error matches errors.ErrServiceUnavailable.
func TestGockTimesAnswersEveryAttempt(t *testing.T) {
	c := gockPAI(t, 3)

	mock503(3)
	_, err := c.GetMember(context.Background(), gockGetMemberReq)
	require.ErrorIs(t, err, acserrors.ErrServiceUnavailable)
	assert.True(t, gock.IsDone(), "all three attempts were made and answered")
	assert.False(t, gock.HasUnmatchedRequest())
}

// TestAddMemberWithGock is the complete test the README's "Testing with
// gock" section shows (there in a package of the reader's own).
func TestAddMemberWithGock(t *testing.T) {
	client := &http.Client{}
	gock.InterceptClient(client) // before pai.New: the client keeps this transport
	t.Cleanup(func() {
		gock.Off()
		gock.RestoreClient(client)
	})

	const host = "https://aiworkspace.cn-hangzhou.aliyuncs.com"
	gock.New(host).
		Post("/api/v1/workspaces/145883/members").
		Reply(http.StatusOK).
		JSON(map[string]any{"RequestId": "R-1", "Members": []any{map[string]any{
			"MemberId": "145883-215139260000088039", "UserId": "215139260000088039",
			"Roles": []string{"PAI.AlgoDeveloper"},
		}}})
	gock.New(host).
		Get("/api/v1/workspaces/145883/member").
		Reply(http.StatusServiceUnavailable).
		JSON(map[string]any{"RequestId": "R-2", "Code": "ServiceUnavailable"})

	c, err := pai.New(pai.Options{
		Region:      "cn-hangzhou",
		HTTPClient:  client, // without it the SDK uses its own client and gock sees nothing
		Credentials: signer.StaticCredentials("id", "secret", ""),
		MaxAttempts: 1, // one mock answers one call: no retry uses up the 503
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	resp, err := c.CreateMember(ctx, &pai.CreateMemberRequest{
		WorkspaceID: "145883",
		Members:     []pai.MemberSpec{{UserID: "215139260000088039", Roles: []pai.Role{pai.RoleAlgoDeveloper}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Members[0].MemberID; got != "145883-215139260000088039" {
		t.Errorf("MemberID = %q", got)
	}

	_, err = c.GetMember(ctx, &pai.GetMemberRequest{WorkspaceID: "145883", UserID: "215139260000088039"})
	if !errors.Is(err, acserrors.ErrServiceUnavailable) {
		t.Errorf("GetMember error = %v, want ErrServiceUnavailable", err)
	}
	if !gock.IsDone() {
		t.Errorf("%d mocks were never used", len(gock.Pending()))
	}
}
