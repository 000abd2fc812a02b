package internal

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readLimited reads at most limit bytes of r into buf, reporting whether the
// body was longer.
func readLimited(buf *bytes.Buffer, r io.Reader, limit int64) (truncated bool, err error) {
	// A hand-written loop rather than io.LimitReader: the wrapper would be one
	// more allocation on every call.
	for int64(buf.Len()) <= limit {
		buf.Grow(4096)
		free := buf.AvailableBuffer()
		free = free[:min(int64(cap(free)), limit+1-int64(buf.Len()))]
		n, err := r.Read(free)
		buf.Write(free[:n]) // appends in place: free is buf's own spare capacity
		if err == io.EOF {
			break
		}
		if err != nil {
			return false, err
		}
	}
	if int64(buf.Len()) > limit {
		buf.Truncate(int(limit))
		return true, nil
	}
	return false, nil
}

func (c *Client) decode(op *Operation, resp *http.Response, out any) result {
	defer resp.Body.Close()
	res := result{status: resp.StatusCode, sent: true, requestID: resp.Header.Get("X-Acs-Request-Id")}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // do not pin the occasional huge page in the pool
			bufPool.Put(buf)
		}
	}()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		truncated, _ := readLimited(buf, resp.Body, maxErrorBodyBytes)
		apiErr := c.apiError(op, resp, buf.Bytes(), truncated)
		res.err, res.code = apiErr, apiErr.Code
		if apiErr.RequestID != "" {
			res.requestID = apiErr.RequestID
		}
		return res
	}

	truncated, err := readLimited(buf, resp.Body, MaxBodyBytes)
	if err != nil {
		res.err = &transportError{fmt.Errorf("read response body: %w", err)}
		return res
	}
	if truncated {
		res.err = fmt.Errorf("response body exceeds %d bytes", MaxBodyBytes)
		return res
	}
	body := buf.Bytes()
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
	if fast, ok := out.(FastDecoder); !ok || !fast.DecodeFast(body) {
		if err := json.Unmarshal(body, out); err != nil {
			res.err = fmt.Errorf("decode %d response (%s): %w", resp.StatusCode, describe(resp, body), err)
			return res
		}
	}
	if !embedded && out != any(e) {
		_ = json.Unmarshal(body, e)
	}

	if e.RequestID != "" {
		res.requestID = e.RequestID
	}
	if op.ErrorInBody && e.Code != "" {
		apiErr := &acserrors.APIError{
			Service: c.service, Operation: op.Name, StatusCode: resp.StatusCode,
			Code: snippet([]byte(e.Code), maxCodeLen), Message: snippet([]byte(e.Message), maxMessageLen), RequestID: res.requestID,
			Body: bytes.Clone(body),
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
		RequestID:  snippet([]byte(resp.Header.Get("X-Acs-Request-Id")), maxCodeLen),
		RetryAfter: retryAfter(resp.Header),
		Body:       bytes.Clone(body),
	}
	var doc errorDoc
	trimmed := bytes.TrimSpace(body)
	switch {
	case !truncated && len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &doc) == nil:
		e.Code = snippet([]byte(jsonScalar(doc.Code)), maxCodeLen)
		if len(doc.AccessDeniedDetail) > 0 && doc.AccessDeniedDetail[0] == '{' {
			var d acserrors.AccessDeniedDetail
			if json.Unmarshal(doc.AccessDeniedDetail, &d) == nil {
				e.AccessDeniedDetail = &d
			}
		}
	case !truncated && len(trimmed) > 0 && trimmed[0] == '<' && bytes.Contains(trimmed, []byte("<Error")) && xml.Unmarshal(trimmed, &doc) == nil:
		e.Code = snippet([]byte(strings.TrimSpace(doc.XMLCode)), maxCodeLen)
	default:
		e.Message = describe(resp, body)
		if truncated {
			e.Message += " (truncated)"
		}
		return e
	}
	// The service's message goes into logs and error strings: keep it one
	// short line like the descriptions below.
	e.Message, e.HostID, e.Recommend = snippet([]byte(doc.Message), maxMessageLen), doc.HostID, doc.Recommend
	if doc.RequestID != "" {
		e.RequestID = snippet([]byte(doc.RequestID), maxCodeLen)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = describe(resp, body)
	}
	return e
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
	ct := snippet([]byte(resp.Header.Get("Content-Type")), maxContentTypeLen)
	if ct == "" {
		ct = "no content type"
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Sprintf("%s with an empty body (%s)", statusText(resp.StatusCode), ct)
	}
	return fmt.Sprintf("%s with an unexpected body (%s): %s", statusText(resp.StatusCode), ct, snippet(body, maxMessageLen))
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// snippet is the start of body, up to about limit bytes, as printable,
// single-line text.
func snippet(body []byte, limit int) string {
	var b strings.Builder
	for len(body) > 0 && b.Len() < limit {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	if len(body) > 0 {
		b.WriteString("…")
	}
	return b.String()
}

// transportError marks a failure of the exchange itself (as opposed to a
// reply the service sent), for retry classification.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }
