package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
)

// Algorithm is the signature algorithm this package implements; it opens the
// string to sign and the Authorization header.
const Algorithm = "ACS3-HMAC-SHA256"

// EmptyPayloadHash is HashPayload(nil): the x-acs-content-sha256 of a request
// without a body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// HashPayload returns the lower-case hex SHA-256 of body, the value ACS3 puts
// in x-acs-content-sha256 and at the end of the canonical request.
func HashPayload(body []byte) string {
	if len(body) == 0 {
		return EmptyPayloadHash
	}
	sum := sha256.Sum256(body)
	var out [64]byte
	hex.Encode(out[:], sum[:])
	return string(out[:]) // one allocation; hex.EncodeToString makes two
}

// CanonicalURI returns the canonical URI of an escaped request path: each
// "/"-separated segment is decoded and percent-encoded again, so the result
// does not depend on how the sender escaped it. An empty path is "/".
func CanonicalURI(escapedPath string) string {
	return string(appendCanonicalURI(nil, escapedPath))
}

func appendCanonicalURI(dst []byte, p string) []byte {
	if p == "" {
		return append(dst, '/')
	}
	if p[0] != '/' {
		dst = append(dst, '/')
	}
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		seg := p[start:i]
		if isEncodedForm(seg, true) {
			dst = append(dst, seg...)
		} else {
			var tmp [128]byte
			dst = appendEncoded(dst, string(appendDecoded(tmp[:0], seg, false)))
		}
		if i < len(p) {
			dst = append(dst, '/')
		}
		start = i + 1
	}
	return dst
}

// CanonicalQuery returns the canonical query string of a raw query: pairs
// decoded (a "+" is a space, as url.Values encodes it), sorted by name then
// value, names and values percent-encoded, a missing value written "name=".
func CanonicalQuery(rawQuery string) string {
	if queryIsCanonical(rawQuery) {
		return rawQuery
	}
	return string(appendCanonicalQuery(nil, rawQuery))
}

// queryIsCanonical is the allocation-free fast path: the pipeline always sends
// an already canonical query, so re-building it would be wasted work.
func queryIsCanonical(q string) bool {
	prev := ""
	for i := 0; q != ""; i++ {
		var piece string
		piece, q, _ = strings.Cut(q, "&")
		k, v, ok := strings.Cut(piece, "=")
		if !ok || !isEncodedForm(k, false) || !isEncodedForm(v, true) {
			return false
		}
		if i > 0 && k <= prev {
			return false
		}
		prev = k
	}
	return true
}

func appendCanonicalQuery(dst []byte, q string) []byte {
	if queryIsCanonical(q) {
		return append(dst, q...)
	}
	type pair struct{ k, v string }
	var pairs []pair
	for q != "" {
		var piece string
		piece, q, _ = strings.Cut(q, "&")
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		pairs = append(pairs, pair{
			k: string(appendDecoded(nil, k, true)),
			v: string(appendDecoded(nil, v, true)),
		})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendEncoded(dst, p.k)
		dst = append(dst, '=')
		dst = appendEncoded(dst, p.v)
	}
	return dst
}

// CanonicalHeaders returns the canonical header block (each "name:value\n")
// and the signed-header list ("a;b;c") for h and host: host, content-type and
// every x-acs-* header, names lower-cased and sorted, values trimmed; values of
// one name are joined with ",".
func CanonicalHeaders(h http.Header, host string) (canonical, signed string) {
	buf, mid := appendCanonicalHeaders(nil, h, host)
	return string(buf[:mid]), string(buf[mid+1:])
}

// signedHeader reports whether ACS3 signs the header named k (any case).
func signedHeader(k string) bool {
	return len(k) >= 6 && strings.EqualFold(k[:6], "x-acs-") || strings.EqualFold(k, "content-type")
}

// isHost reports whether k names the host header, in any case.
func isHost(k string) bool { return strings.EqualFold(k, "host") }

// appendLower appends s with A-Z folded to a-z.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, lower(s[i]))
	}
	return dst
}

// isCanonicalURI reports whether CanonicalURI would return u unchanged.
func isCanonicalURI(u string) bool {
	if u == "" || u[0] != '/' {
		return false
	}
	// Segment by segment, without strings.SplitSeq: its closure would make
	// every caller's Parts escape to the heap.
	for rest := u[1:]; ; {
		seg, tail, more := strings.Cut(rest, "/")
		if !isEncodedForm(seg, true) {
			return false
		}
		if !more {
			return true
		}
		rest = tail
	}
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// appendCanonicalHeaders appends the header block, a '\n', and the signed list
// to dst, returning the index of that '\n' so callers can slice both parts.
func appendCanonicalHeaders(dst []byte, h http.Header, host string) ([]byte, int) {
	keys := make([]string, 0, len(h)+1) // the signed keys of h, and "host"
	if host != "" {
		keys = append(keys, "host")
	}
	for k := range h {
		if signedHeader(k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareFold)
	var listBuf [256]byte
	list := listBuf[:0] // the signed-header list, written alongside the block
	for i := 0; i < len(keys); {
		// Keys that differ only in case are one header to the gateway.
		j := i + 1
		for j < len(keys) && strings.EqualFold(keys[j], keys[i]) {
			j++
		}
		g := keys[i:j]
		i = j
		if len(list) > 0 {
			list = append(list, ';')
		}
		list = appendLower(list, g[0])
		dst = appendLower(dst, g[0])
		dst = append(dst, ':')
		switch {
		case isHost(g[0]):
			dst = append(dst, strings.TrimSpace(host)...)
		case len(g) == 1: // the usual case: values in the order given
			for i, v := range h[g[0]] {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, strings.TrimSpace(v)...)
			}
		default: // merged and sorted, as the official signer does
			var vals []string
			for _, k := range g {
				for _, v := range h[k] {
					vals = append(vals, strings.TrimSpace(v))
				}
			}
			slices.Sort(vals)
			dst = append(dst, strings.Join(vals, ",")...)
		}
		dst = append(dst, '\n')
	}
	mid := len(dst)
	dst = append(dst, '\n')
	return append(dst, list...), mid
}

// compareFold orders header names by their lower-cased bytes.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := int(lower(a[i])) - int(lower(b[i])); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// StringToSign returns the ACS3 string to sign for a canonical request:
// the algorithm name, a newline, and the hex SHA-256 of the request.
func StringToSign(canonicalRequest string) string {
	var out [len(Algorithm) + 1 + 64]byte
	return string(appendStringToSign(out[:0], []byte(canonicalRequest)))
}

func appendStringToSign(dst, canonicalRequest []byte) []byte {
	sum := sha256.Sum256(canonicalRequest)
	dst = append(dst, Algorithm...)
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, sum[:])
}

// Signature returns the lower-case hex HMAC-SHA256 of stringToSign keyed with
// the raw AccessKeySecret.
func Signature(secret, stringToSign string) string {
	sum := hmacSHA256(secret, []byte(stringToSign))
	return hex.EncodeToString(sum[:])
}

// hmacSHA256 is HMAC-SHA256 of msg under key.
func hmacSHA256(key string, msg []byte) [32]byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(msg)
	var out [32]byte
	m.Sum(out[:0])
	return out
}
