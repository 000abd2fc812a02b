package compat

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"

	"github.com/acsmembers/acsmembers-go/pai"
	"github.com/acsmembers/acsmembers-go/signer"
)

// The same CreateMember, over the same loopback server, through our client
// and through Alibaba's official Go stack (darabonba-openapi, as the
// generated aiworkspace client calls it), so their costs compare directly:
//
//	go test -run '^$' -bench CreateMember -benchmem ./compat

const benchReply = `{"RequestId":"DA869D1B-035A-43B2-ACC1-C56681BD9FAA","Members":[{"MemberId":"145883-215139260000088039","UserId":"215139260000088039","DisplayName":"alice","Roles":["PAI.AlgoDeveloper"]}]}`

var benchReq = &pai.CreateMemberRequest{WorkspaceID: "145883", Members: []pai.MemberSpec{{UserID: "215139260000088039", Roles: []pai.Role{pai.RoleAlgoDeveloper}}}}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = io.WriteString(w, benchReply)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkCreateMemberOurs is a whole call through this SDK.
func BenchmarkCreateMemberOurs(b *testing.B) {
	srv := benchServer(b)
	c, err := pai.New(pai.Options{Endpoint: srv.URL, Credentials: signer.StaticCredentials(testAK, testSecret, "")})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CreateMember(ctx, benchReq); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateMemberOfficial is the same call through the official
// client, built as the generated aiworkspace client builds it.
func BenchmarkCreateMemberOfficial(b *testing.B) {
	srv := benchServer(b)
	cred, err := credentials.NewCredential(&credentials.Config{Type: dara.String("access_key"),
		AccessKeyId: dara.String(testAK), AccessKeySecret: dara.String(testSecret)})
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	oc, err := openapi.NewClient(&openapiutil.Config{Credential: cred, Endpoint: dara.String(u.Host), Protocol: dara.String("http")})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		call, err := officialFor(benchReq)
		if err != nil {
			b.Fatal(err)
		}
		res, err := oc.CallApi(call.params, call.req, &dara.RuntimeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res["body"] == nil {
			b.Fatal("no body decoded")
		}
	}
}
