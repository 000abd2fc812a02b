package signer

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuthorizationOfficialVector: signing from parts gives the documented
// Authorization of SIGNING.md §2.1, whatever the case of the names.
func TestAuthorizationOfficialVector(t *testing.T) {
	want := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	for _, names := range [][]string{
		{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"},
		{"Host", "X-Acs-Action", "X-Acs-Content-Sha256", "X-Acs-Date", "X-Acs-Signature-Nonce", "X-Acs-Version"},
	} {
		values := []string{"ecs.cn-shanghai.aliyuncs.com", "RunInstances", EmptyPayloadHash, FormatDate(vecTime), vecNonce, " 2014-05-26 "}
		p := &Parts{
			Method: "post", URI: "/", Query: "ImageId=" + vecImage + "&RegionId=cn-shanghai",
			PayloadHash: EmptyPayloadHash,
		}
		for i, n := range names {
			p.Headers = append(p.Headers, Header{Name: n, Value: values[i]})
		}
		got, err := NewSigner().Authorization(p, Credentials{AccessKeyID: vecAK, AccessKeySecret: vecSecret})
		require.NoError(t, err)
		assert.Equal(t, want, got, "names %v", names)
	}
}

// randomParts builds a request two ways from the same random pieces: as
// Parts, and as an http.Request carrying the same headers (plus unsigned
// ones), to be signed by Sign.
func randomParts(t *testing.T, rng *rand.Rand) (*Parts, *http.Request, Credentials, string) {
	t.Helper()
	const alphabet = "aZ09-_.~ /?#&=+%*'()!名\x01"
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(string([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))]))
		}
		return b.String()
	}
	var path []byte
	for range rng.IntN(5) {
		path = append(path, '/')
		path = AppendPercentEncoded(path, word(rng.IntN(6)))
	}
	uri := CanonicalURI(string(path))
	var raw []string
	for range rng.IntN(4) {
		raw = append(raw, PercentEncode(word(1+rng.IntN(4)))+"="+PercentEncode(word(rng.IntN(5))))
	}
	query := CanonicalQuery(strings.Join(raw, "&"))

	creds := Credentials{AccessKeyID: "ak" + word(3), AccessKeySecret: "sk" + word(8)}
	if rng.IntN(2) == 0 {
		creds.SecurityToken = "tok" + word(5)
	}
	body := []byte(word(rng.IntN(40)))
	hash := HashPayload(body)
	nonce := fmt.Sprintf("%032x", rng.Uint64())
	method := []string{"GET", "POST", "PUT", "DELETE"}[rng.IntN(4)]

	// Canonical MIME keys in ascending order of their lower-cased form.
	var hs []Header
	if len(body) > 0 {
		hs = append(hs, Header{"Content-Type", "application/json; charset=utf-8"})
	}
	hs = append(hs, Header{"Host", "example.aliyuncs.com"})
	if creds.SecurityToken != "" {
		hs = append(hs, Header{"X-Acs-Accesskey-Id", creds.AccessKeyID})
	}
	hs = append(hs, Header{"X-Acs-Action", "Op" + word(3)}, Header{"X-Acs-Content-Sha256", hash})
	if rng.IntN(2) == 0 {
		hs = append(hs, Header{"X-Acs-Credentials-Provider", "static_ak"})
	}
	hs = append(hs, Header{"X-Acs-Date", FormatDate(vecTime)})
	if creds.SecurityToken != "" {
		hs = append(hs, Header{"X-Acs-Security-Token", creds.SecurityToken})
	}
	hs = append(hs, Header{"X-Acs-Signature-Nonce", nonce}, Header{"X-Acs-Version", "2021-02-04"})

	u := "http://example.aliyuncs.com" + uri
	if query != "" {
		u += "?" + query
	}
	r, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	for _, h := range hs {
		switch h.Name {
		case "Host", "X-Acs-Date", "X-Acs-Signature-Nonce", "X-Acs-Content-Sha256", "X-Acs-Security-Token":
			// Sign sets these itself.
		default:
			r.Header.Set(h.Name, h.Value)
		}
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", "test")
	return &Parts{Method: method, URI: uri, Query: query, Headers: hs, PayloadHash: hash}, r, creds, nonce
}

// TestAuthorizationMatchesSign: for 2,000 random requests (hostile path and
// query bytes, STS or not, body or not), signing from parts and signing the
// http.Request give the same Authorization.
func TestAuthorizationMatchesSign(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	s := NewSigner()
	for i := range 2000 {
		p, r, creds, nonce := randomParts(t, rng)
		require.NoError(t, s.Sign(r, p.PayloadHash, creds, vecTime, nonce))
		got, err := s.Authorization(p, creds)
		require.NoError(t, err, "case %d: %+v", i, p)
		require.Equal(t, r.Header.Get("Authorization"), got, "case %d: %+v", i, p)
	}
}

// TestAuthorizationRefusesNonCanonicalParts: parts Sign would have rewritten
// or could not sign are refused, not signed into a request the gateway
// rejects for reasons nobody can see.
func TestAuthorizationRefusesNonCanonicalParts(t *testing.T) {
	creds := Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	base := func() *Parts {
		return &Parts{
			Method: "GET", URI: "/api/v1/a%2Fb", Query: "A=1&B=%20",
			Headers: []Header{
				{"host", "h"}, {"x-acs-action", "Op"}, {"x-acs-content-sha256", EmptyPayloadHash},
				{"x-acs-date", "2026-01-01T00:00:00Z"}, {"x-acs-signature-nonce", "n"}, {"x-acs-version", "v"},
			},
			PayloadHash: EmptyPayloadHash,
		}
	}
	_, err := NewSigner().Authorization(base(), creds)
	require.NoError(t, err)

	cases := map[string]struct {
		mod  func(*Parts)
		want string
	}{
		"empty URI":             {func(p *Parts) { p.URI = "" }, "URI"},
		"relative URI":          {func(p *Parts) { p.URI = "api" }, "URI"},
		"unescaped space":       {func(p *Parts) { p.URI = "/a b" }, "URI"},
		"lower-case escape":     {func(p *Parts) { p.URI = "/a%2fb" }, "URI"},
		"escaped unreserved":    {func(p *Parts) { p.URI = "/%41" }, "URI"},
		"unsorted query":        {func(p *Parts) { p.Query = "B=1&A=1" }, "query"},
		"plus in query":         {func(p *Parts) { p.Query = "A=a+b" }, "query"},
		"unsorted headers":      {func(p *Parts) { p.Headers[1], p.Headers[2] = p.Headers[2], p.Headers[1] }, "order"},
		"repeated header":       {func(p *Parts) { p.Headers[2] = Header{"X-ACS-Action", "Op"} }, "order"},
		"unsigned kind":         {func(p *Parts) { p.Headers[0] = Header{"accept", "application/json"} }, "not one ACS3 signs"},
		"bad hash":              {func(p *Parts) { p.PayloadHash = strings.ToUpper(EmptyPayloadHash) }, "payload hash"},
		"header after unsorted": {func(p *Parts) { p.Headers = append(p.Headers, Header{"x-acs-action", "again"}) }, "order"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := base()
			tc.mod(p)
			got, err := NewSigner().Authorization(p, creds)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, got)
		})
	}
	_, err = NewSigner().Authorization(base(), Credentials{AccessKeyID: "ak"})
	assert.ErrorContains(t, err, "empty AccessKeyID or AccessKeySecret")
}

// TestFormatDate: the x-acs-date layout, in UTC whatever the location.
func TestFormatDate(t *testing.T) {
	at := time.Date(2026, 11, 25, 7, 8, 9, 999, time.FixedZone("UTC+8", 8*3600))
	assert.Equal(t, "2026-11-24T23:08:09Z", FormatDate(at))
}
