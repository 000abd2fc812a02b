package signer

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
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
	switch {
	case r == nil || r.URL == nil:
		return errors.New("signer: nil request or URL")
	case creds.AccessKeyID == "" || creds.AccessKeySecret == "":
		return errors.New("signer: credentials have an empty AccessKeyID or AccessKeySecret")
	case !isLowerHex64(payloadHash):
		return errors.New("signer: payload hash is not 64 lower-case hex digits")
	}
	if nonce == "" {
		nonce = NewNonce()
	}
	if r.Header == nil {
		r.Header = make(http.Header, 8)
	}
	var dateBuf [len(dateLayout)]byte
	date := string(appendDate(dateBuf[:0], at))

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
	signedStart := mid + 1
	buf = append(buf, '\n')
	signedEnd := len(buf) - 1
	buf = append(buf, payloadHash...)

	var stsBuf [len(Algorithm) + 1 + 64]byte
	sts := appendStringToSign(stsBuf[:0], buf)
	sig := hmacSHA256(creds.AccessKeySecret, sts)

	var authBuf [512]byte
	auth := append(authBuf[:0], Algorithm...)
	auth = append(auth, " Credential="...)
	auth = append(auth, creds.AccessKeyID...)
	auth = append(auth, ",SignedHeaders="...)
	auth = append(auth, buf[signedStart:signedEnd]...)
	auth = append(auth, ",Signature="...)
	auth = hex.AppendEncode(auth, sig[:])
	vals[4] = string(auth)
	r.Header["Authorization"] = vals[4:5:5]
	return nil
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
