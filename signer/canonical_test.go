package signer

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"":                 "",
		"AZaz09-_.~":       "AZaz09-_.~",
		"a b":              "a%20b",
		"*":                "%2A",
		"a/b/c/ test":      "a%2Fb%2Fc%2F%20test", // SIGNING.md §2.3 Test_GetEncodeParam
		"+=&?#%":           "%2B%3D%26%3F%23%25",
		"名字":               "%E5%90%8D%E5%AD%97",
		"..":               "..",
		"\x00\xff":         "%00%FF",
		"already%20coded?": "already%2520coded%3F",
	}
	for in, want := range cases {
		assert.Equal(t, want, PercentEncode(in), "PercentEncode(%q)", in)
	}
}

func TestCanonicalURI(t *testing.T) {
	cases := map[string]string{
		"":                       "/",
		"/":                      "/",
		"/path/%20test":          "/path/%20test", // SIGNING.md §2.3 Test_GetEncodePath
		"/path/ test":            "/path/%20test",
		"/clusters/c 1*~/res":    "/clusters/c%201%2A~/res",
		"/a%2Fb/c":               "/a%2Fb/c",
		"/a%2fb/%7e":             "/a%2Fb/~",
		"/api/v1/ws/a+b":         "/api/v1/ws/a%2Bb",
		"no-leading":             "/no-leading",
		"/trailing/":             "/trailing/",
		"/%zz":                   "/%25zz",
		"/%E5%90%8D":             "/%E5%90%8D",
		"/api/v1/workspaces/%3F": "/api/v1/workspaces/%3F",
	}
	for in, want := range cases {
		assert.Equal(t, want, CanonicalURI(in), "CanonicalURI(%q)", in)
	}
}

func TestCanonicalQuery(t *testing.T) {
	cases := map[string]string{
		"":                      "",
		"b=2&a=1":               "a=1&b=2",
		"flag":                  "flag=",
		"a=1&&b=2":              "a=1&b=2",
		"a=x+y":                 "a=x%20y",
		"a=x%2by":               "a=x%2By",
		"a=%7E":                 "a=~",
		"a=2&a=1":               "a=1&a=2",
		"my%20key=v":            "my%20key=v",
		"k=a=b":                 "k=a%3Db",
		"RegionId=cn-shanghai":  "RegionId=cn-shanghai",
		"V=%E5%90%8D&A=%2A%2F~": "A=%2A%2F~&V=%E5%90%8D",
	}
	for in, want := range cases {
		assert.Equal(t, want, CanonicalQuery(in), "CanonicalQuery(%q)", in)
	}
}

func TestCanonicalHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-Acs-Version", " 2014-05-26  ")
	h.Set("x-acs-action", "RunInstances")
	h.Set("Content-Type", "application/json;  charset=utf-8 ")
	h.Set("User-Agent", "not signed")
	h.Set("Accept", "application/json")
	h.Set("Authorization", "never signed")
	h["x-acs-TEST"] = []string{"https"}
	h["X-Acs-Test"] = []string{"http"}
	canonical, signed := CanonicalHeaders(h, "Host.example:8080")
	assert.Equal(t, "content-type:application/json;  charset=utf-8\nhost:Host.example:8080\n"+
		"x-acs-action:RunInstances\nx-acs-test:http,https\nx-acs-version:2014-05-26\n", canonical)
	assert.Equal(t, "content-type;host;x-acs-action;x-acs-test;x-acs-version", signed)
}

// SIGNING.md §2.3: SHA-256("test") and the empty payload hash.
func TestHashPayload(t *testing.T) {
	assert.Equal(t, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", HashPayload([]byte("test")))
	assert.Equal(t, EmptyPayloadHash, HashPayload(nil))
	assert.Equal(t, EmptyPayloadHash, HashPayload([]byte{}))
}

// hmacSHA256 against RFC 4231 test case 2 and a key longer than one block (case 6).
func TestHMAC(t *testing.T) {
	assert.Equal(t, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		Signature("Jefe", "what do ya want for nothing?"))
	key := make([]byte, 131)
	for i := range key {
		key[i] = 0xaa
	}
	assert.Equal(t, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
		Signature(string(key), "Test Using Larger Than Block-Size Key - Hash Key First"))
}
