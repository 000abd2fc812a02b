package pai

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acsmembers/acsmembers-go/signer"
)

const benchReply = `{"RequestId":"DA869D1B-035A-43B2-ACC1-C56681BD9FAA","Members":[{"MemberId":"145883-215139260000088039","UserId":"215139260000088039","DisplayName":"alice","Roles":["PAI.AlgoDeveloper"]}]}`

var benchBody = []byte(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"215139260000088039"}]}`)

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = io.WriteString(w, benchReply)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, url string) *Client {
	c, err := New(Options{Endpoint: url, Credentials: signer.StaticCredentials("LTAI5tExampleAccessKeyId", "ExampleAccessKeySecretValue123", "")})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var benchReq = &CreateMemberRequest{WorkspaceID: "145883", Members: []MemberSpec{{UserID: "215139260000088039", Roles: []Role{RoleAlgoDeveloper}}}}

// BenchmarkCreateMember is a whole call: validate, build, sign, send over
// loopback, decode, convert.
func BenchmarkCreateMember(b *testing.B) {
	c := benchClient(b, benchServer(b).URL)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.CreateMember(ctx, benchReq); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWireFloor is the floor a call cannot go below: a bare net/http POST
// of the same body to the same server with the header set every ACS3 request
// carries, as fixed strings, the reply read and discarded.
func BenchmarkWireFloor(b *testing.B) {
	wireFloor(b, &http.Transport{MaxIdleConnsPerHost: 64}, 0)
}

// BenchmarkWireFloorWithTimeouts is the same bare POST with the two
// timeouts every call of the SDK must have (a response-header timeout, and
// a deadline on the attempt as a whole): what they cost on their own.
func BenchmarkWireFloorWithTimeouts(b *testing.B) {
	wireFloor(b, &http.Transport{MaxIdleConnsPerHost: 64, ResponseHeaderTimeout: 30 * time.Second}, time.Minute)
}

func wireFloor(b *testing.B, tr *http.Transport, attemptTimeout time.Duration) {
	srv := benchServer(b)
	client := &http.Client{Transport: tr}
	url := srv.URL + "/api/v1/workspaces/145883/members"
	headers := map[string]string{
		"X-Acs-Action":          "CreateMember",
		"X-Acs-Version":         "2021-02-04",
		"X-Acs-Date":            "2026-11-24T10:00:00Z",
		"X-Acs-Signature-Nonce": "3156853299f313e23d1673dc12e1703d",
		"X-Acs-Content-Sha256":  signer.HashPayload(benchBody),
		"Content-Type":          "application/json; charset=utf-8",
		"User-Agent":            "acsmembers-go/0.1.0 (linux; amd64) Go/1.26.8",
		"Authorization":         "ACS3-HMAC-SHA256 Credential=LTAI5tExampleAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx, cancel := context.Background(), context.CancelFunc(func() {})
		if attemptTimeout > 0 {
			ctx, cancel = context.WithTimeout(ctx, attemptTimeout)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(benchBody))
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		cancel()
	}
}

// BenchmarkCreateMemberConcurrent shares one client between 1, 2 and 64
// goroutines and reports calls per second, to show throughput scales with cores.
func BenchmarkCreateMemberConcurrent(b *testing.B) {
	for _, g := range []int{1, 2, 64} {
		b.Run(fmt.Sprintf("goroutines=%d", g), func(b *testing.B) {
			c := benchClient(b, benchServer(b).URL)
			ctx := context.Background()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range g {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if _, err := c.CreateMember(ctx, benchReq); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
		})
	}
}
