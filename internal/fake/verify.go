package fake

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/acsmembers/acsmembers-go/signer"
)

// dateLayout is the x-acs-date format.
const dateLayout = "2006-01-02T15:04:05Z"

// authorization is a parsed Authorization header.
type authorization struct {
	credential, signedHeaders, signature string
}

// parseAuthorization reads "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".
// Each field must appear once and be non-empty; spaces after the commas are
// tolerated.
func parseAuthorization(h string) (authorization, *Error) {
	incomplete := func(why string) (authorization, *Error) {
		return authorization{}, Errorf(http.StatusBadRequest, "IncompleteSignature",
			"The request signature does not conform to Aliyun standards: %s.", why)
	}
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return incomplete("the Authorization header is not \"" + signer.Algorithm + " Credential=…,SignedHeaders=…,Signature=…\"")
	}
	if alg != signer.Algorithm {
		return incomplete("the algorithm " + quote(alg) + " is not supported, only " + signer.Algorithm)
	}
	var a authorization
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || seen[k] {
			return incomplete("the Authorization field " + quote(part) + " is malformed or repeated")
		}
		seen[k] = true
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		default:
			return incomplete("the Authorization field " + quote(k) + " is unknown")
		}
	}
	if a.credential == "" || a.signedHeaders == "" || a.signature == "" {
		return incomplete("the Authorization header needs a non-empty Credential, SignedHeaders and Signature")
	}
	return a, nil
}

func quote(s string) string { return "\"" + s + "\"" }

// requiredHeaders must be present on every request.
var requiredHeaders = []string{"X-Acs-Action", "X-Acs-Version", "X-Acs-Date", "X-Acs-Signature-Nonce", "X-Acs-Content-Sha256"}

// Verify checks r (with its already-read body) as the gateway does, against
// the only key pair accepted and the server time now: the Authorization
// format, the required x-acs headers, the date window, the AccessKeyId, the
// payload hash, the set of signed headers and the signature itself. It does
// not look at the nonce; the Core checks that once a request verifies.
//
// The canonical request is rebuilt from what arrived, with the signer's
// exported steps: the raw query is re-canonicalised (a "+" decodes to a
// space), so requests whose query was sent as url.Values.Encode() writes it,
// as the official SDK does, verify as well as canonical ones.
func Verify(r *http.Request, body []byte, key KeyPair, now time.Time) *Error {
	h := r.Header.Get("Authorization")
	if h == "" {
		return Errorf(http.StatusBadRequest, "IncompleteSignature",
			"The request signature does not conform to Aliyun standards: the Authorization header is missing.")
	}
	auth, e := parseAuthorization(h)
	if e != nil {
		return e
	}
	for _, name := range requiredHeaders {
		if strings.TrimSpace(r.Header.Get(name)) == "" {
			return Errorf(http.StatusBadRequest, "MissingParameter", "The header %s is required.", strings.ToLower(name))
		}
	}
	date, err := time.Parse(dateLayout, r.Header.Get("X-Acs-Date"))
	if err != nil {
		return Errorf(http.StatusBadRequest, "InvalidTimeStamp.Format",
			"Specified time stamp or date value %q is not well formatted: use yyyy-MM-ddTHH:mm:ssZ in UTC.", r.Header.Get("X-Acs-Date"))
	}
	if d := now.Sub(date); d > MaxSkew || d < -MaxSkew {
		return Errorf(http.StatusBadRequest, "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired: %s is %v away from the server time %s, more than %v.",
			date.Format(dateLayout), d.Abs().Round(time.Second), now.UTC().Format(dateLayout), MaxSkew)
	}
	if auth.credential != key.AccessKeyID {
		return Errorf(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key %q is not found.", auth.credential)
	}
	if r.Header.Get("X-Acs-Security-Token") != "" {
		return Errorf(http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey",
			"Specified security token does not belong to access key %q, which is a permanent key.", auth.credential)
	}
	hash := r.Header.Get("X-Acs-Content-Sha256")
	if want := signer.HashPayload(body); hash != want {
		return Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified x-acs-content-sha256 %q does not match the SHA-256 of the request body (%s).", hash, want)
	}
	headers, signed := signer.CanonicalHeaders(r.Header, r.Host)
	if auth.signedHeaders != signed {
		return Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified SignedHeaders %q differ from the headers that must be signed: %q (host, content-type and every x-acs-* header sent).",
			auth.signedHeaders, signed)
	}
	canonical := strings.ToUpper(r.Method) + "\n" +
		signer.CanonicalURI(r.URL.EscapedPath()) + "\n" +
		signer.CanonicalQuery(r.URL.RawQuery) + "\n" +
		headers + "\n" + signed + "\n" + hash
	sts := signer.StringToSign(canonical)
	want := signer.Signature(key.AccessKeySecret, sts)
	if subtle.ConstantTimeCompare([]byte(auth.signature), []byte(want)) != 1 {
		return Errorf(http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. Server string to sign is: %q; canonical request is: %q.", sts, canonical)
	}
	return nil
}

// authenticate verifies r and then spends its nonce.
func (c *Core) authenticate(r *http.Request, body []byte, now time.Time) *Error {
	if e := Verify(r, body, c.key, now); e != nil {
		return e
	}
	// Verify has parsed the date already; a replay is refused by the date
	// check once the window it could be accepted in has passed, so the nonce
	// need only be remembered until then.
	date, _ := time.Parse(dateLayout, r.Header.Get("X-Acs-Date"))
	nonce := r.Header.Get("X-Acs-Signature-Nonce")
	fresh := false
	c.Locked(func() { fresh = c.nonces.use(nonce, date.Add(MaxSkew), now) })
	if !fresh {
		return Errorf(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce %q was used already.", nonce)
	}
	return nil
}
