package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"testing"
	"time"
)

// benchRequest is a CreateMember-sized request: ROA path with IDs, JSON
// content type, the two x-acs headers the pipeline sets, plus the unsigned
// headers every call carries.
func benchRequest(b *testing.B) *http.Request {
	r, err := http.NewRequest(http.MethodPost, "https://aiworkspace.cn-hangzhou.aliyuncs.com/api/v1/workspaces/145883/members", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header["X-Acs-Action"] = []string{"CreateMember"}
	r.Header["X-Acs-Version"] = []string{"2021-02-04"}
	r.Header["Content-Type"] = []string{"application/json; charset=utf-8"}
	r.Header["X-Acs-Credentials-Provider"] = []string{"static_ak"}
	r.Header["Accept"] = []string{"application/json"}
	r.Header["User-Agent"] = []string{"acsmembers-go/0.1.0 (linux; amd64) Go/1.26.8"}
	return r
}

var benchBody = []byte(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"215139260000088039"}]}`)

// BenchmarkSign signs a CreateMember-sized request with a precomputed payload
// hash: the signer's own cost.
func BenchmarkSign(b *testing.B) {
	s := NewSigner()
	creds := Credentials{AccessKeyID: "LTAI5tExampleAccessKeyId", AccessKeySecret: "ExampleAccessKeySecretValue123"}
	hash := HashPayload(benchBody)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	r := benchRequest(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := s.Sign(r, hash, creds, at, "3156853299f313e23d1673dc12e1703d"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignFloor is the crypto floor of one ACS3 signature over inputs of
// the same sizes as BenchmarkSign: two SHA-256 (payload, canonical request)
// and one HMAC-SHA256 (string to sign), with nothing else.
func BenchmarkSignFloor(b *testing.B) {
	canonical := make([]byte, canonicalLen(b))
	sts := make([]byte, len(Algorithm)+1+64)
	key := []byte("ExampleAccessKeySecretValue123")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p := sha256.Sum256(benchBody)
		c := sha256.Sum256(canonical)
		m := hmac.New(sha256.New, key)
		m.Write(sts)
		_ = m.Sum(nil)
		_, _ = p, c
	}
}

// canonicalLen is the size of the canonical request BenchmarkSign hashes.
func canonicalLen(b *testing.B) int {
	r := benchRequest(b)
	if err := NewSigner().Sign(r, HashPayload(benchBody), Credentials{AccessKeyID: "a", AccessKeySecret: "s"}, time.Now(), "3156853299f313e23d1673dc12e1703d"); err != nil {
		b.Fatal(err)
	}
	h, signed := CanonicalHeaders(r.Header, r.URL.Host)
	return len("POST\n") + len(CanonicalURI(r.URL.EscapedPath())) + 1 + len(CanonicalQuery(r.URL.RawQuery)) + 1 + len(h) + 1 + len(signed) + 1 + 64
}

// BenchmarkAuthorization signs the request of BenchmarkSign from its parts,
// as the pipeline does: no header map to walk, fold and sort.
func BenchmarkAuthorization(b *testing.B) {
	s := NewSigner()
	creds := Credentials{AccessKeyID: "LTAI5tExampleAccessKeyId", AccessKeySecret: "ExampleAccessKeySecretValue123"}
	hash := HashPayload(benchBody)
	p := &Parts{
		Method: http.MethodPost, URI: "/api/v1/workspaces/145883/members", PayloadHash: hash,
		Headers: []Header{
			{"Content-Type", "application/json; charset=utf-8"},
			{"Host", "aiworkspace.cn-hangzhou.aliyuncs.com"},
			{"X-Acs-Action", "CreateMember"},
			{"X-Acs-Content-Sha256", hash},
			{"X-Acs-Credentials-Provider", "static_ak"},
			{"X-Acs-Date", "2026-11-24T10:00:00Z"},
			{"X-Acs-Signature-Nonce", "3156853299f313e23d1673dc12e1703d"},
			{"X-Acs-Version", "2021-02-04"},
		},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Authorization(p, creds); err != nil {
			b.Fatal(err)
		}
	}
}
