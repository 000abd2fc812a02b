package signer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
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
	// Hand-folded rather than strings.EqualFold: this runs for every header
	// of every request.
	if len(k) >= 6 && k[0]|0x20 == 'x' && k[1] == '-' && k[2]|0x20 == 'a' && k[3]|0x20 == 'c' && k[4]|0x20 == 's' && k[5] == '-' {
		return true
	}
	return len(k) == len("content-type") && (k[0]|0x20) == 'c' && strings.EqualFold(k, "content-type")
}

// isHost reports whether k names the host header, in any case.
func isHost(k string) bool { return len(k) == len("host") && strings.EqualFold(k, "host") }

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

// signedName is a header to sign: its key in the http.Header and its
// lower-cased name, kept in a scratch buffer so each name is folded once and
// sorting compares plain bytes.
type signedName struct {
	vals   []string // the header's values, so they need no second map lookup
	prefix uint64   // the name's first 8 bytes, big-endian: most comparisons end here
	lo, hi int32    // name in the scratch buffer
	host   bool     // the host pseudo-header, whose value is the host argument
}

// less orders signed names by their lower-cased bytes.
func (a *signedName) less(b *signedName, scratch []byte) bool {
	if a.prefix != b.prefix {
		return a.prefix < b.prefix
	}
	return bytes.Compare(scratch[a.lo:a.hi], scratch[b.lo:b.hi]) < 0
}

// namePrefix packs up to the first 8 bytes of a name, zero-padded, so that
// comparing prefixes orders names as comparing their bytes would.
func namePrefix(name []byte) uint64 {
	if len(name) >= 8 {
		return binary.BigEndian.Uint64(name)
	}
	var p uint64
	for i := 0; i < 8; i++ {
		p <<= 8
		if i < len(name) {
			p |= uint64(name[i])
		}
	}
	return p
}

// appendCanonicalHeaders appends the header block, a '\n', and the signed list
// to dst, returning the index of that '\n' so callers can slice both parts.
func appendCanonicalHeaders(dst []byte, h http.Header, host string) ([]byte, int) {
	var scratchArr [512]byte
	var namesArr [16]signedName
	var orderArr [16]uint8
	scratch, names := scratchArr[:0], namesArr[:0]
	if host != "" {
		scratch = append(scratch, "host"...)
		names = append(names, signedName{lo: 0, hi: 4, prefix: namePrefix(scratch), host: true})
	}
	for k, v := range h {
		if !signedHeader(k) {
			continue
		}
		lo := len(scratch)
		scratch = append(scratch, k...)
		for i := lo; i < len(scratch); i++ {
			scratch[i] = lower(scratch[i])
		}
		names = append(names, signedName{vals: v, lo: int32(lo), hi: int32(len(scratch)), prefix: namePrefix(scratch[lo:])})
	}
	name := func(i uint8) []byte { return scratch[names[i].lo:names[i].hi] }
	// Insertion sort of indices: about eight names, and no allocation
	// (sort.Slice would allocate its closure and interface); moving a byte
	// is cheaper than moving a signedName.
	order := orderArr[:0]
	if len(names) > len(orderArr) {
		order = make([]uint8, 0, len(names))
	}
	for i := range names {
		order = append(order, uint8(i))
		for j := len(order) - 1; j > 0 && names[order[j]].less(&names[order[j-1]], scratch); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for i := 0; i < len(order); i++ {
		n := &names[order[i]]
		dst = append(dst, scratch[n.lo:n.hi]...)
		dst = append(dst, ':')
		if n.host {
			dst = append(dst, strings.TrimSpace(host)...)
			dst = append(dst, '\n')
			continue
		}
		// Names differing only in case are one header to the gateway: merge
		// their values, sorted, as the official signer does.
		j := i + 1
		for j < len(order) && bytes.Equal(name(order[j]), name(order[i])) {
			j++
		}
		if j == i+1 {
			for k, v := range n.vals {
				if k > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, strings.TrimSpace(v)...)
			}
		} else {
			var vals []string
			for _, m := range order[i:j] {
				for _, v := range names[m].vals {
					vals = append(vals, strings.TrimSpace(v))
				}
			}
			slices.Sort(vals)
			dst = append(dst, strings.Join(vals, ",")...)
			order = append(order[:i+1], order[j:]...)
		}
		dst = append(dst, '\n')
	}
	mid := len(dst)
	dst = append(dst, '\n')
	for i, o := range order {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, name(o)...)
	}
	return dst, mid
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

// hmacSHA256 is HMAC (RFC 2104) over SHA-256 written with fixed-size arrays:
// crypto/hmac allocates two hash states and key pads per call, which is most of
// the cost of a signature over inputs this small.
func hmacSHA256(key string, msg []byte) [32]byte {
	const block = 64
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256([]byte(key))
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	// The pads are XORed eight bytes at a time.
	var inner [block + 256]byte
	var outer [block + 32]byte
	for i := 0; i < block; i += 8 {
		w := binary.LittleEndian.Uint64(k[i:])
		binary.LittleEndian.PutUint64(inner[i:], w^0x3636363636363636)
		binary.LittleEndian.PutUint64(outer[i:], w^0x5c5c5c5c5c5c5c5c)
	}
	buf := append(inner[:block], msg...)
	ih := sha256.Sum256(buf)
	copy(outer[block:], ih[:])
	return sha256.Sum256(outer[:])
}
