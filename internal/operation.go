// Package internal is the one request pipeline every acsmembers-go operation
// goes through: build → resolve credentials → sign → send → decode → retry.
// Services describe an Operation; they never touch HTTP, signing or retries,
// and this package never knows a service's types.
package internal

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/acsmembers/acsmembers-go/signer"
)

// Param is one query parameter, sent percent-encoded in canonical order.
type Param struct{ Name, Value string }

// Repeat says whether an operation may be sent again after a failure that
// could have happened after the service acted on it (5xx, reset, timeout).
type Repeat int

const (
	// RepeatNever: a second copy could act twice (e.g. CreateMember). Only
	// throttling and refused connections, where nothing was done, are retried.
	RepeatNever Repeat = iota
	// RepeatSafe: reads, calls carrying a ClientToken, and set-state calls
	// (adding or removing a role) give the same result when repeated.
	RepeatSafe
)

// Operation describes one API call.
type Operation struct {
	Name   string   // API action, e.g. "CreateMember"; sent as x-acs-action
	Method string   // HTTP method
	Path   []string // path segments, unescaped; each is percent-encoded on its own. Empty: "/"
	Query  []Param  // any order
	Body   any      // marshalled as JSON when not nil; a JSONAppender writes its own
	Repeat Repeat

	// ErrorInBody: a 2xx body carrying a non-empty Code is an error (PAI's
	// DeleteMembers reports "owner not deletable" that way).
	ErrorInBody bool
}

// prepared is the part of a call that does not change between attempts.
type prepared struct {
	url         string
	body        []byte
	payloadHash string
}

const jsonContentType = "application/json; charset=utf-8"

// prepare builds the URL (escaped path, canonical query) and the JSON body.
// The query is built in canonical form so the signer's fast path applies and
// the bytes sent are the bytes signed.
func (c *Client) prepare(op *Operation) (prepared, error) {
	buf := make([]byte, 0, 256)
	buf = append(buf, c.base...)
	if len(op.Path) == 0 {
		buf = append(buf, '/')
	}
	for _, seg := range op.Path {
		buf = append(buf, '/')
		buf = signer.AppendPercentEncoded(buf, seg)
	}
	if len(op.Query) > 0 {
		q := op.Query
		if !slices.IsSortedFunc(q, cmpParam) {
			q = slices.Clone(q)
			slices.SortFunc(q, cmpParam)
		}
		buf = append(buf, '?')
		for i, p := range q {
			if i > 0 {
				buf = append(buf, '&')
			}
			buf = signer.AppendPercentEncoded(buf, p.Name)
			buf = append(buf, '=')
			buf = signer.AppendPercentEncoded(buf, p.Value)
		}
	}
	p := prepared{url: string(buf), payloadHash: signer.EmptyPayloadHash}
	if a, ok := op.Body.(JSONAppender); ok {
		p.body = a.AppendJSON(make([]byte, 0, 128))
		p.payloadHash = signer.HashPayload(p.body)
	} else if op.Body != nil {
		body, err := MarshalJSON(op.Body)
		if err != nil {
			return prepared{}, err
		}
		p.body = body
		p.payloadHash = signer.HashPayload(body)
	}
	return p, nil
}

// MarshalJSON encodes v as the official SDK (and the services) do: encoding/json without HTML
// escaping of <, > and &, and no trailing newline, so the bytes and their hash
// match. json.Marshal is cheaper than an Encoder, so it is tried first and the
// Encoder is only used when Marshal escaped something.
func MarshalJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || !bytes.Contains(b, []byte(`\u00`)) {
		return b, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

func cmpParam(a, b Param) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.Value, b.Value)
}

// newRequest builds one attempt's request; every attempt gets its own so that
// it is signed afresh.
func (c *Client) newRequest(ctx context.Context, op *Operation, p *prepared, provider string, creds signer.Credentials) (*http.Request, error) {
	var body *bytes.Reader
	var r *http.Request
	var err error
	if p.body != nil {
		body = bytes.NewReader(p.body)
		r, err = http.NewRequestWithContext(ctx, op.Method, p.url, body)
	} else {
		r, err = http.NewRequestWithContext(ctx, op.Method, p.url, nil)
	}
	if err != nil {
		return nil, err
	}
	h := make(http.Header, 14)
	h["X-Acs-Action"] = []string{op.Name}
	h["X-Acs-Version"] = c.versionHdr
	h["Accept"] = acceptHdr
	h["User-Agent"] = c.userAgentHdr
	if p.body != nil {
		h["Content-Type"] = contentTypeHdr
	}
	if provider != "" {
		h["X-Acs-Credentials-Provider"] = []string{provider}
	}
	if creds.SecurityToken != "" {
		h["X-Acs-Accesskey-Id"] = []string{creds.AccessKeyID}
	}
	r.Header = h
	return r, nil
}

var (
	acceptHdr      = []string{"application/json"}
	contentTypeHdr = []string{jsonContentType}
)
