package signer

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

func onlyCanonicalBytes(t *testing.T, s, allowedExtra string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || strings.IndexByte(allowedExtra, c) >= 0 {
			continue
		}
		if c == '%' && i+2 < len(s) && isUpperHex(s[i+1]) && isUpperHex(s[i+2]) {
			i += 2
			continue
		}
		t.Fatalf("byte %q at %d of %q is not canonical", c, i, s)
	}
}

func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "a b", "*~/+", "名字", "%zz", "%41", "..", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := PercentEncode(s)
		onlyCanonicalBytes(t, enc, "")
		if dec := string(appendDecoded(nil, enc, false)); dec != s {
			t.Fatalf("decode(encode(%q)) = %q", s, dec)
		}
		if PercentEncode(s) != enc {
			t.Fatal("not deterministic")
		}
		if !isEncodedForm(enc, true) {
			t.Fatalf("encoding %q of %q is not in encoded form", enc, s)
		}
	})
}

func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "b=2&a=1", "a", "a=x+y&a=x%20y", "%zz=%", "&&=&", "k=名", "Tag.10.Key=a&Tag.2.Key=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		c := CanonicalQuery(q)
		onlyCanonicalBytes(t, c, "=&")
		if again := CanonicalQuery(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", q, c, again)
		}
		// Whatever net/url makes of the canonical form, it reads back the same pairs.
		v1, err1 := url.ParseQuery(strings.ReplaceAll(q, ";", "%3B"))
		v2, err2 := url.ParseQuery(c)
		if err1 == nil && err2 == nil && len(v1) != len(v2) {
			t.Fatalf("%q has %d names, canonical %q has %d", q, len(v1), c, len(v2))
		}
	})
}

func FuzzCanonicalURI(f *testing.F) {
	for _, s := range []string{"", "/", "/a b/c", "/a%2Fb", "//x//", "/%", "/名"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c := CanonicalURI(p)
		if !strings.HasPrefix(c, "/") {
			t.Fatalf("%q -> %q lacks leading slash", p, c)
		}
		onlyCanonicalBytes(t, c, "/")
		if again := CanonicalURI(c); again != c {
			t.Fatalf("not idempotent: %q -> %q -> %q", p, c, again)
		}
		if strings.Count(c, "/")-strings.Count(p, "/") > 1 {
			t.Fatalf("segments added: %q -> %q", p, c)
		}
	})
}

// FuzzSign signs arbitrary paths, queries and header values: no panic, and the
// signature verifies when recomputed from what would be sent.
func FuzzSign(f *testing.F) {
	f.Add("/api/v1/ws/a%2Fb", "b=1&a=2", "RunInstances", "secret")
	f.Add("", "", "", "k")
	f.Fuzz(func(t *testing.T, path, query, action, secret string) {
		if secret == "" {
			return
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Scheme: "http", Host: "h", RawPath: path, Path: path, RawQuery: query}, Header: http.Header{}}
		r.Header.Set("X-Acs-Action", action)
		creds := Credentials{AccessKeyID: "ak", AccessKeySecret: secret}
		if err := NewSigner().Sign(r, EmptyPayloadHash, creds, time.Unix(0, 0), "n"); err != nil {
			t.Fatal(err)
		}
		h, signed := CanonicalHeaders(r.Header, "h")
		cr := strings.Join([]string{"POST", CanonicalURI(r.URL.EscapedPath()), CanonicalQuery(r.URL.RawQuery), h, signed, EmptyPayloadHash}, "\n")
		want := Algorithm + " Credential=ak,SignedHeaders=" + signed + ",Signature=" + Signature(secret, StringToSign(cr))
		if got := r.Header.Get("Authorization"); got != want {
			t.Fatalf("Authorization %q, recomputed %q", got, want)
		}
	})
}

// FuzzAuthorization: for any path, query and header values, signing the
// parts Sign settled on gives Sign's Authorization, and Authorization refuses
// a URI or query that is not canonical instead of signing it.
func FuzzAuthorization(f *testing.F) {
	f.Add("/api/v1/ws/a%2Fb", "b=1&a=2", "RunInstances", " v 1 ", "secret")
	f.Add("", "", "", "", "k")
	f.Add("/a b/%7e", "%2F=+&-=", "名", "\t", "s")
	f.Fuzz(func(t *testing.T, path, query, action, version, secret string) {
		if secret == "" {
			return
		}
		r := &http.Request{Method: "PUT", URL: &url.URL{Scheme: "http", Host: "h", RawPath: path, Path: path, RawQuery: query}, Header: http.Header{}}
		r.Header.Set("X-Acs-Action", action)
		r.Header.Set("X-Acs-Version", version)
		creds := Credentials{AccessKeyID: "ak", AccessKeySecret: secret}
		if err := NewSigner().Sign(r, EmptyPayloadHash, creds, time.Unix(0, 0), "n"); err != nil {
			t.Fatal(err)
		}
		p := &Parts{
			Method: "put", URI: r.URL.EscapedPath(), Query: r.URL.RawQuery, PayloadHash: EmptyPayloadHash,
			Headers: []Header{
				{"host", "h"}, {"x-acs-action", action}, {"x-acs-content-sha256", EmptyPayloadHash},
				{"x-acs-date", "1970-01-01T00:00:00Z"}, {"x-acs-signature-nonce", "n"}, {"x-acs-version", version},
			},
		}
		got, err := NewSigner().Authorization(p, creds)
		if err != nil {
			t.Fatalf("parts %+v: %v", p, err)
		}
		if want := r.Header.Get("Authorization"); got != want {
			t.Fatalf("Authorization %q, Sign %q", got, want)
		}

		p.URI, p.Query = path, query
		_, err = NewSigner().Authorization(p, creds)
		canonical := path == CanonicalURI(path) && query == CanonicalQuery(query)
		if canonical != (err == nil) {
			t.Fatalf("path %q query %q: canonical %v, error %v", path, query, canonical, err)
		}
	})
}

// FuzzCanonicalHeaders: for header keys in any case (several keys may name
// one header), the canonical block and signed list equal a plain reference:
// names lower-cased and sorted, values trimmed, the values of case-variant
// keys merged and sorted, those of a single key in their order.
func FuzzCanonicalHeaders(f *testing.F) {
	f.Add("X-Acs-Action", "x-acs-ACTION", "Content-Type", "a", "b", " c ")
	f.Add("x-acs-z", "X-ACS-A", "x-other", "", "2", "1")
	f.Fuzz(func(t *testing.T, k1, k2, k3, v1, v2, v3 string) {
		for _, k := range []string{k1, k2, k3} {
			if strings.IndexFunc(k, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0 {
				return // not a header name net/http would send (an ASCII token)
			}
		}
		h := http.Header{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}, {k3, v3}} {
			h[kv[0]] = append(h[kv[0]], kv[1]) // keys as given, not canonicalised
		}
		byName := map[string][]string{} // lower-cased name → keys
		for k := range h {
			if l := strings.ToLower(k); strings.HasPrefix(l, "x-acs-") || l == "content-type" {
				byName[l] = append(byName[l], k)
			}
		}
		byName["host"] = nil
		names := make([]string, 0, len(byName))
		for n := range byName {
			names = append(names, n)
		}
		sort.Strings(names)
		var want strings.Builder
		for _, n := range names {
			var vals []string
			for _, k := range byName[n] {
				for _, v := range h[k] {
					vals = append(vals, strings.TrimSpace(v))
				}
			}
			if len(byName[n]) > 1 {
				sort.Strings(vals)
			}
			if n == "host" {
				vals = []string{"h"}
			}
			want.WriteString(n + ":" + strings.Join(vals, ",") + "\n")
		}
		block, signed := CanonicalHeaders(h, "h")
		if block != want.String() || signed != strings.Join(names, ";") {
			t.Fatalf("headers %q: got %q / %q, want %q / %q", h, block, signed, want.String(), strings.Join(names, ";"))
		}
	})
}
