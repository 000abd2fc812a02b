package internal

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// Body limits: a member listing page is far below MaxBodyBytes; an error
// document is a few hundred bytes, so a larger one is cut, not trusted.
const (
	MaxBodyBytes      = 8 << 20
	maxErrorBodyBytes = 64 << 10
	maxMessageLen     = 256
	maxContentTypeLen = 64
	maxCodeLen        = 128
)

// Envelope holds the fields every reply of both services may carry. Wire
// structs embed it so one decode fills the operation's fields and these.
type Envelope struct {
	RequestID string     `json:"RequestId"`
	Code      FlexString `json:"Code"` // PAI codes are numeric: a number must decode too
	Message   string     `json:"Message"`
}

func (e *Envelope) envelope() *Envelope { return e }

type enveloper interface{ envelope() *Envelope }

// readLimited reads r up to limit bytes, reporting whether there was more.
func readLimited(r io.Reader, limit int64) (body []byte, truncated bool, err error) {
	body, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		return body[:limit], true, err
	}
	return body, false, err
}

func (c *Client) decode(op *Operation, resp *http.Response, out any) result {
	defer resp.Body.Close()
	res := result{status: resp.StatusCode, sent: true, requestID: clean(resp.Header.Get("X-Acs-Request-Id"), maxCodeLen)}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, truncated, err := readLimited(resp.Body, maxErrorBodyBytes)
		if err != nil && len(body) == 0 {
			res.err = &transportError{fmt.Errorf("read %s body: %w", statusText(resp.StatusCode), err)}
			return res
		}
		apiErr := c.apiError(op, resp, body, truncated || err != nil)
		res.err, res.code = apiErr, apiErr.Code
		if apiErr.RequestID != "" {
			res.requestID = apiErr.RequestID
		}
		return res
	}

	body, truncated, err := readLimited(resp.Body, MaxBodyBytes)
	if err != nil {
		res.err = &transportError{fmt.Errorf("read response body: %w", err)}
		return res
	}
	if truncated {
		res.err = fmt.Errorf("response body exceeds %d bytes", MaxBodyBytes)
		return res
	}
	// One decode fills the operation's fields and the envelope when the wire
	// struct embeds Envelope; otherwise the envelope is read separately.
	env, embedded := out.(enveloper)
	var e *Envelope
	if embedded {
		e = env.envelope()
	} else {
		e = new(Envelope)
		if out == nil {
			out = e
		}
	}
	if err := json.Unmarshal(body, out); err != nil {
		res.err = fmt.Errorf("decode %d response (%s): %w", resp.StatusCode, describe(resp, body), err)
		return res
	}
	if !embedded && out != any(e) {
		_ = json.Unmarshal(body, e)
	}

	if id := clean(e.RequestID, maxCodeLen); id != "" {
		res.requestID = id
	}
	if op.ErrorInBody && e.Code != "" {
		apiErr := &acserrors.APIError{
			Service: c.service, Operation: op.Name, StatusCode: resp.StatusCode,
			Code: clean(string(e.Code), maxCodeLen), Message: clean(e.Message, maxMessageLen), RequestID: res.requestID,
			Body: body,
		}
		res.err, res.code = apiErr, apiErr.Code
	}
	return res
}

// errorDoc is the gateway's error document, JSON or XML. encoding/json
// matches names case-insensitively, so "code"/"requestId" fill it too.
type errorDoc struct {
	RequestID          string          `json:"RequestId" xml:"RequestId"`
	HostID             string          `json:"HostId" xml:"HostId"`
	Code               json.RawMessage `json:"Code" xml:"-"`
	XMLCode            string          `json:"-" xml:"Code"`
	Message            string          `json:"Message" xml:"Message"`
	Recommend          string          `json:"Recommend" xml:"Recommend"`
	AccessDeniedDetail json.RawMessage `json:"AccessDeniedDetail" xml:"-"`
}

// apiError turns any non-2xx reply into an *APIError, whatever its body:
// JSON or XML error documents are decoded; HTML, empty, truncated or other
// bodies give Code "" and a Message saying what arrived.
func (c *Client) apiError(op *Operation, resp *http.Response, body []byte, truncated bool) *acserrors.APIError {
	e := &acserrors.APIError{
		Service: c.service, Operation: op.Name, StatusCode: resp.StatusCode,
		RequestID:  clean(resp.Header.Get("X-Acs-Request-Id"), maxCodeLen),
		RetryAfter: retryAfter(resp.Header),
		Body:       bytes.Clone(body),
	}
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		e.Message = statusText(resp.StatusCode) + " to " + quoteLocation(clean(resp.Header.Get("Location"), maxMessageLen)) +
			": " + errRedirect.Error() + " (a signed request goes to the endpoint only)"
		return e
	}
	var doc errorDoc
	trimmed := bytes.TrimSpace(body)
	switch {
	case !truncated && len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &doc) == nil:
		e.Code = clean(jsonScalar(doc.Code), maxCodeLen)
		if len(doc.AccessDeniedDetail) > 0 && doc.AccessDeniedDetail[0] == '{' {
			var d acserrors.AccessDeniedDetail
			if json.Unmarshal(doc.AccessDeniedDetail, &d) == nil {
				e.AccessDeniedDetail = &d
			}
		}
	case !truncated && len(trimmed) > 0 && trimmed[0] == '<' && bytes.Contains(trimmed, []byte("<Error")) && xml.Unmarshal(trimmed, &doc) == nil:
		e.Code = clean(strings.TrimSpace(doc.XMLCode), maxCodeLen)
	default:
		e.Message = describe(resp, body)
		if truncated {
			e.Message += " (truncated)"
		}
		return e
	}
	// The service's message goes into logs and error strings: keep it one
	// short line like the descriptions below.
	e.Message = clean(doc.Message, maxMessageLen)
	e.HostID = clean(doc.HostID, maxCodeLen)
	e.Recommend = clean(doc.Recommend, maxMessageLen)
	if doc.RequestID != "" {
		e.RequestID = clean(doc.RequestID, maxCodeLen)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = describe(resp, body)
	}
	return e
}

func quoteLocation(s string) string {
	if s == "" {
		return "no Location"
	}
	return strconv.Quote(s)
}

// jsonScalar reads a code sent as a string or as a number (PAI codes are
// numeric strings, and a number would be just as clear).
func jsonScalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// describe says in one short line what an unexpected body was.
func describe(resp *http.Response, body []byte) string {
	// The content type is as the peer sent it: any bytes, any length.
	ct := clean(resp.Header.Get("Content-Type"), maxContentTypeLen)
	if ct == "" {
		ct = "no content type"
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Sprintf("%s with an empty body (%s)", statusText(resp.StatusCode), ct)
	}
	return fmt.Sprintf("%s with an unexpected body (%s): %s", statusText(resp.StatusCode), ct, clean(string(body), maxMessageLen))
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// clean makes a string that came from a server safe for an error message or
// a log line: at most about limit bytes, one line, no control characters
// (C0, C1, DEL), no Unicode line separators or bidirectional overrides, no
// invalid UTF-8. Anything the server sends could otherwise forge log lines
// or drive a terminal.
func clean(s string, limit int) string {
	if len(s) <= limit && plainASCII(s) {
		return s // the usual request ID or code: nothing to do
	}
	var b strings.Builder
	for len(s) > 0 && b.Len() < limit {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && size <= 1, unicode.IsControl(r),
			r == '\u2028' || r == '\u2029', unicode.Is(unicode.Bidi_Control, r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	if len(s) > 0 {
		b.WriteString("…")
	}
	return b.String()
}

func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// transportError marks a failure of the exchange itself (as opposed to a
// reply the service sent), for retry classification.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }
