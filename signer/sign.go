package signer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signer signs HTTP requests with ACS3-HMAC-SHA256. It holds no state and is
// safe for concurrent use; it is a type so other algorithms can be added
// without changing callers.
type Signer struct{}

// NewSigner returns an ACS3-HMAC-SHA256 signer.
func NewSigner() *Signer { return &Signer{} }

// dateLayout is the x-acs-date format: ISO 8601 UTC with a literal Z.
const dateLayout = "2006-01-02T15:04:05Z"

// Sign sets x-acs-date (from at, in UTC), x-acs-signature-nonce,
// x-acs-content-sha256, x-acs-security-token (when creds carry one) and
// Authorization on r. The caller has set x-acs-action, x-acs-version and
// content-type; the host comes from r.Host or r.URL.Host. An empty nonce is
// replaced by 16 random bytes in hex.
//
// Sign also rewrites r.URL's escaped path and raw query to their canonical
// forms when they differ, so the bytes sent are exactly the bytes signed.
func (s *Signer) Sign(r *http.Request, payloadHash string, creds Credentials, at time.Time, nonce string) error {
	if r == nil || r.URL == nil {
		return errors.New("signer: nil request or URL")
	}
	if err := checkInputs(payloadHash, creds); err != nil {
		return err
	}
	if nonce == "" {
		nonce = NewNonce()
	}
	if r.Header == nil {
		r.Header = make(http.Header, 8)
	}
	date := FormatDate(at)

	// One backing array for the header value slices: four allocations become one.
	vals := make([]string, 5)
	vals[0], vals[1], vals[2] = date, nonce, payloadHash
	r.Header["X-Acs-Date"] = vals[0:1:1]
	r.Header["X-Acs-Signature-Nonce"] = vals[1:2:2]
	r.Header["X-Acs-Content-Sha256"] = vals[2:3:3]
	if creds.SecurityToken != "" {
		vals[3] = creds.SecurityToken
		r.Header["X-Acs-Security-Token"] = vals[3:4:4]
	} else {
		delete(r.Header, "X-Acs-Security-Token") // the canonical key: Del would canonicalize it again
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}

	var reqBuf [2048]byte
	buf := appendMethod(reqBuf[:0], r.Method)
	buf = append(buf, '\n')

	escaped := r.URL.EscapedPath()
	start := len(buf)
	buf = appendCanonicalURI(buf, escaped)
	if uri := buf[start:]; string(uri) != escaped {
		r.URL.RawPath = string(uri)
		r.URL.Path = string(appendDecoded(nil, uri, false))
	}
	buf = append(buf, '\n')

	start = len(buf)
	buf = appendCanonicalQuery(buf, r.URL.RawQuery)
	if q := buf[start:]; string(q) != r.URL.RawQuery {
		r.URL.RawQuery = string(q)
	}
	buf = append(buf, '\n')

	buf, mid := appendCanonicalHeaders(buf, r.Header, host)
	vals[4] = authorization(buf, mid, payloadHash, creds)
	r.Header["Authorization"] = vals[4:5:5]
	return nil
}

// Header is one signed header of a request described by Parts.
type Header struct {
	Name  string // any case; signed in lower case
	Value string // signed trimmed
}

// Parts describes a request by what ACS3 signs, each part already in
// canonical form. A caller that builds requests from known pieces (the
// acsmembers pipeline does) has them at hand, and signing from them skips
// collecting, folding and sorting the names of an http.Header.
type Parts struct {
	Method string // e.g. "POST"; folded to upper case, "" is GET
	URI    string // canonical URI, as CanonicalURI returns it
	Query  string // canonical query, as CanonicalQuery returns it
	// Headers are all the signed headers the request carries, ordered by
	// lower-cased name: host, content-type when there is a body, and every
	// x-acs-* header, including x-acs-date, x-acs-signature-nonce and
	// x-acs-content-sha256.
	Headers     []Header
	PayloadHash string // x-acs-content-sha256, see HashPayload
}

// Authorization returns the Authorization header value for a request
// described by p. It gives the same value as Sign for a request carrying
// those parts, and refuses parts that are not in canonical form: a URI or
// query that CanonicalURI or CanonicalQuery would change, headers out of
// order, repeated, or not of a kind ACS3 signs.
func (s *Signer) Authorization(p *Parts, creds Credentials) (string, error) {
	if err := checkInputs(p.PayloadHash, creds); err != nil {
		return "", err
	}
	if !isCanonicalURI(p.URI) {
		return "", errors.New("signer: URI is not in canonical form")
	}
	if CanonicalQuery(p.Query) != p.Query { // free for the usual query, exact for every one
		return "", errors.New("signer: query is not in canonical form")
	}
	var reqBuf [2048]byte
	buf := appendMethod(reqBuf[:0], p.Method)
	buf = append(buf, '\n')
	buf = append(buf, p.URI...)
	buf = append(buf, '\n')
	buf = append(buf, p.Query...)
	buf = append(buf, '\n')
	var prev []byte
	for i, h := range p.Headers {
		if !signedHeader(h.Name) && !isHost(h.Name) {
			return "", errors.New("signer: header " + strconv.Quote(h.Name) + " is not one ACS3 signs")
		}
		start := len(buf)
		buf = appendLower(buf, h.Name)
		name := buf[start:]
		if i > 0 && bytes.Compare(prev, name) >= 0 {
			return "", errors.New("signer: headers are not in ascending order of name")
		}
		prev = name
		buf = append(buf, ':')
		buf = append(buf, strings.TrimSpace(h.Value)...)
		buf = append(buf, '\n')
	}
	mid := len(buf)
	buf = append(buf, '\n')
	for i, h := range p.Headers {
		if i > 0 {
			buf = append(buf, ';')
		}
		buf = appendLower(buf, h.Name)
	}
	return authorization(buf, mid, p.PayloadHash, creds), nil
}

// checkInputs refuses what would make a signature the gateway rejects in a
// way that hides the cause.
func checkInputs(payloadHash string, creds Credentials) error {
	switch {
	case creds.AccessKeyID == "" || creds.AccessKeySecret == "":
		return errors.New("signer: credentials have an empty AccessKeyID or AccessKeySecret")
	case !isLowerHex64(payloadHash):
		return errors.New("signer: payload hash is not 64 lower-case hex digits")
	}
	return nil
}

// authorization completes a canonical request whose first part (method
// through the header block, then '\n' at mid, then the signed-header list)
// is in buf: it appends the payload hash, hashes and signs the result, and
// returns the Authorization value. Both ways of signing end here.
func authorization(buf []byte, mid int, payloadHash string, creds Credentials) string {
	signed := buf[mid+1:]
	buf = append(buf, '\n')
	buf = append(buf, payloadHash...)

	var stsBuf [len(Algorithm) + 1 + 64]byte
	sts := appendStringToSign(stsBuf[:0], buf)
	sig := hmacSHA256(creds.AccessKeySecret, sts)

	var authBuf [512]byte
	auth := append(authBuf[:0], Algorithm...)
	auth = append(auth, " Credential="...)
	auth = append(auth, creds.AccessKeyID...)
	auth = append(auth, ",SignedHeaders="...)
	auth = append(auth, signed...)
	auth = append(auth, ",Signature="...)
	auth = hex.AppendEncode(auth, sig[:])
	return string(auth)
}

// FormatDate returns at as an x-acs-date value: UTC, "2006-01-02T15:04:05Z".
func FormatDate(at time.Time) string {
	var buf [len(dateLayout)]byte
	return string(appendDate(buf[:0], at))
}

// appendDate formats at in UTC as dateLayout. The layout is fixed, so writing
// the digits directly is several times cheaper than time.AppendFormat, which
// parses the layout on every call.
func appendDate(dst []byte, at time.Time) []byte {
	at = at.UTC()
	y, mo, d := at.Date()
	h, mi, s := at.Clock()
	if y < 0 || y > 9999 {
		return at.AppendFormat(dst, dateLayout)
	}
	dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	dst = append(dst, byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), 'T')
	dst = append(dst, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':')
	return append(dst, byte('0'+s/10), byte('0'+s%10), 'Z')
}

func appendMethod(dst []byte, m string) []byte {
	if m == "" {
		return append(dst, http.MethodGet...)
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isLowerHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// NewNonce returns a fresh x-acs-signature-nonce: 16 random bytes in hex.
func NewNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	var out [32]byte
	hex.Encode(out[:], b[:])
	return string(out[:])
}
