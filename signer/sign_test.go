package signer

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Inputs of the official vector (SIGNING.md §2.1).
const (
	vecAK     = "YourAccessKeyId"
	vecSecret = "YourAccessKeySecret"
	vecNonce  = "3156853299f313e23d1673dc12e1703d"
	vecImage  = "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"
)

var vecTime = time.Date(2023, 10, 26, 10, 22, 32, 0, time.UTC)

func vectorRequest(t *testing.T, rawURL string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, rawURL, nil)
	require.NoError(t, err)
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-version", "2014-05-26")
	return r
}

func sigOf(t *testing.T, r *http.Request) string {
	t.Helper()
	auth := r.Header.Get("Authorization")
	_, sig, ok := strings.Cut(auth, ",Signature=")
	require.True(t, ok, auth)
	return sig
}

func TestSignOfficialVector(t *testing.T) {
	r := vectorRequest(t, "http://ecs.cn-shanghai.aliyuncs.com/?ImageId="+vecImage+"&RegionId=cn-shanghai")
	require.NoError(t, NewSigner().Sign(r, HashPayload(nil), Credentials{AccessKeyID: vecAK, AccessKeySecret: vecSecret}, vecTime, vecNonce))

	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
		r.Header.Get("Authorization"))
	assert.Equal(t, "2023-10-26T10:22:32Z", r.Header.Get("x-acs-date"))
	assert.Equal(t, vecNonce, r.Header.Get("x-acs-signature-nonce"))
	assert.Equal(t, EmptyPayloadHash, r.Header.Get("x-acs-content-sha256"))
	assert.Empty(t, r.Header.Get("x-acs-security-token"))
}

func TestSignOfficialVectorSteps(t *testing.T) {
	r := vectorRequest(t, "http://ecs.cn-shanghai.aliyuncs.com/?ImageId="+vecImage+"&RegionId=cn-shanghai")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", vecNonce)
	r.Header.Set("x-acs-content-sha256", EmptyPayloadHash)
	headers, signed := CanonicalHeaders(r.Header, r.URL.Host)
	canonical := strings.Join([]string{"POST", CanonicalURI(r.URL.EscapedPath()), CanonicalQuery(r.URL.RawQuery), headers, signed, EmptyPayloadHash}, "\n")

	want := "POST\n/\nImageId=" + vecImage + "&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n" +
		"x-acs-version:2014-05-26\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	require.Equal(t, want, canonical)
	sts := StringToSign(canonical)
	require.Equal(t, "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259", sts)
	require.Equal(t, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0", Signature(vecSecret, sts))
}

// Derived vectors of SIGNING.md §2.4 that do not depend on SDK-specific headers.
func TestSignDerivedVectors(t *testing.T) {
	base := "http://ecs.cn-shanghai.aliyuncs.com/"
	cases := []struct {
		name, url, wantQuery, wantSig string
	}{
		{"special chars", base + "?RegionId=cn-shanghai&V=" + "a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i",
			"RegionId=cn-shanghai&V=a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i", "c7932ad82836599d85eab2aa67d6ba41215f3e30e964e4c9ab57e11b6a7a2cd0"},
		{"special chars sent form-encoded", base + "?V=a+b%2Ac%7Ed%2Fe%2Bf%3Dg%26h%25i&RegionId=cn-shanghai",
			"RegionId=cn-shanghai&V=a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i", "c7932ad82836599d85eab2aa67d6ba41215f3e30e964e4c9ab57e11b6a7a2cd0"},
		{"non-ASCII", base + "?RegionId=cn-shanghai&V=%E5%90%8D%E5%AD%97",
			"RegionId=cn-shanghai&V=%E5%90%8D%E5%AD%97", "0c68a8c3cff8adb37671a10aed0abd7bb2b90218b1ac46215670350f8dab18e9"},
		{"empty value", base + "?RegionId=cn-shanghai&Empty",
			"Empty=&RegionId=cn-shanghai", "bf74533ad5a79520c794b85eb85502515ae56dbb2acec2eabf0633fac67a7bc3"},
		{"flattened keys", base + "?Tag.2.Key=k2&Tag.1.Key=k&RegionId=cn-shanghai&Tag.10.Key=k10&Tag.1.Value=v",
			"RegionId=cn-shanghai&Tag.1.Key=k&Tag.1.Value=v&Tag.10.Key=k10&Tag.2.Key=k2", "9ca322849ea5d0c653859d166c436efa0863ff63c1b7268e1908c56dd11b1498"},
		{"no query", base, "", "c969dfc72b5bf0f18d0f8b8933432f03b8bc067c074be7f5453485a1ea5919f4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := vectorRequest(t, tc.url)
			require.NoError(t, NewSigner().Sign(r, EmptyPayloadHash, Credentials{AccessKeyID: vecAK, AccessKeySecret: vecSecret}, vecTime, vecNonce))
			assert.Equal(t, tc.wantSig, sigOf(t, r))
			assert.Equal(t, tc.wantQuery, r.URL.RawQuery, "the query sent must be the query signed")
		})
	}
}

func TestSignDerivedSTS(t *testing.T) {
	r := vectorRequest(t, "http://ecs.cn-shanghai.aliyuncs.com/?ImageId="+vecImage+"&RegionId=cn-shanghai")
	r.Header.Set("x-acs-accesskey-id", vecAK)
	creds := Credentials{AccessKeyID: vecAK, AccessKeySecret: vecSecret, SecurityToken: "YourSecurityToken"}
	require.NoError(t, NewSigner().Sign(r, EmptyPayloadHash, creds, vecTime, vecNonce))
	assert.Equal(t, "YourSecurityToken", r.Header.Get("x-acs-security-token"))
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=372af09200ee6d0200d6483c29bce03b97ca7f9dfe9ff65a0cfaaa4592b2869a",
		r.Header.Get("Authorization"))
}

func TestSignDerivedROAJSON(t *testing.T) {
	body := []byte(`{"name":"test","region_id":"cn-beijing"}`)
	r, err := http.NewRequest(http.MethodPost, "http://cs.cn-beijing.aliyuncs.com/clusters", nil)
	require.NoError(t, err)
	r.Header.Set("x-acs-action", "CreateCluster")
	r.Header.Set("x-acs-version", "2015-12-15")
	r.Header.Set("content-type", "application/json; charset=utf-8")
	hash := HashPayload(body)
	require.Equal(t, "1af07e1eb4d8ac03a0e9195bf32de87527efd93c05bdf1b7ff736cb15ec67b2a", hash)
	require.NoError(t, NewSigner().Sign(r, hash, Credentials{AccessKeyID: vecAK, AccessKeySecret: vecSecret}, vecTime, vecNonce))
	assert.Equal(t, "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=fae39616bbee35b689bd7c86d58158f5a39bdf47766357e124b36713ea5daeb2",
		r.Header.Get("Authorization"))
}

func TestSignFreshValuesAndErrors(t *testing.T) {
	s := NewSigner()
	creds := Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	r1 := vectorRequest(t, "http://h/")
	r2 := vectorRequest(t, "http://h/")
	require.NoError(t, s.Sign(r1, EmptyPayloadHash, creds, vecTime, ""))
	require.NoError(t, s.Sign(r2, EmptyPayloadHash, creds, vecTime, ""))
	assert.Len(t, r1.Header.Get("x-acs-signature-nonce"), 32)
	assert.NotEqual(t, r1.Header.Get("x-acs-signature-nonce"), r2.Header.Get("x-acs-signature-nonce"))

	// The date is always UTC, whatever the zone of at.
	r3 := vectorRequest(t, "http://h/")
	require.NoError(t, s.Sign(r3, EmptyPayloadHash, creds, vecTime.In(time.FixedZone("X", 8*3600)), "n"))
	assert.Equal(t, "2023-10-26T10:22:32Z", r3.Header.Get("x-acs-date"))

	assert.Error(t, s.Sign(nil, EmptyPayloadHash, creds, vecTime, "n"))
	assert.Error(t, s.Sign(vectorRequest(t, "http://h/"), "ABC", creds, vecTime, "n"))
	assert.Error(t, s.Sign(vectorRequest(t, "http://h/"), strings.ToUpper(EmptyPayloadHash), creds, vecTime, "n"))
	assert.Error(t, s.Sign(vectorRequest(t, "http://h/"), EmptyPayloadHash, Credentials{AccessKeyID: "ak"}, vecTime, "n"))

	// A token left on a reused request is removed when the new creds have none.
	r4 := vectorRequest(t, "http://h/")
	require.NoError(t, s.Sign(r4, EmptyPayloadHash, Credentials{"ak", "sk", "tok"}, vecTime, "n"))
	require.NoError(t, s.Sign(r4, EmptyPayloadHash, creds, vecTime, "n"))
	assert.Empty(t, r4.Header.Values("x-acs-security-token"))
	assert.NotContains(t, r4.Header.Get("Authorization"), "security-token")
}

func TestSignRewritesPathToCanonical(t *testing.T) {
	r := vectorRequest(t, "http://h/api/v1/a%20b/c*d/e+f/%7Eg")
	require.NoError(t, NewSigner().Sign(r, EmptyPayloadHash, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, vecTime, "n"))
	assert.Equal(t, "/api/v1/a%20b/c%2Ad/e%2Bf/~g", r.URL.EscapedPath())
	assert.Equal(t, "/api/v1/a%20b/c%2Ad/e%2Bf/~g", r.URL.RequestURI())
}

func TestAppendDateMatchesLayout(t *testing.T) {
	for _, at := range []time.Time{vecTime, time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC),
		time.Date(2024, 2, 29, 1, 2, 3, 0, time.FixedZone("x", -5*3600)), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		assert.Equal(t, at.UTC().Format(dateLayout), string(appendDate(nil, at)))
	}
}
