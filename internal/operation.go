// Package internal is the one request pipeline every acsmembers-go operation
// goes through: build → resolve credentials → sign → send → decode → retry.
// Services describe an Operation; they never touch HTTP, signing or retries,
// and this package never knows a service's types.
package internal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
	Body   any      // marshalled as JSON when not nil
	// Form, when not nil, is sent as an application/x-www-form-urlencoded
	// body (url.Values.Encode: keys sorted, QueryEscape), as the official
	// client sends RPC parameters of newer API versions. Body must be nil.
	Form   []Param
	Repeat Repeat

	// ErrorInBody: a 2xx body carrying a non-empty Code is an error (PAI's
	// DeleteMembers reports "owner not deletable" that way).
	ErrorInBody bool
}

// prepared is the part of a call that does not change between attempts.
type prepared struct {
	url         string // base URL, canonical URI, '?' and canonical query
	uri, query  string // the canonical URI and query: parts of url
	body        []byte // nil: no body
	contentType string // set when body is
	payloadHash string
}

const (
	jsonContentType = "application/json; charset=utf-8"
	formContentType = "application/x-www-form-urlencoded"
)

// prepare builds the URL (canonical path and query, so the bytes sent are the
// bytes signed) and the body.
func (c *Client) prepare(op *Operation) (prepared, error) {
	var b strings.Builder
	b.WriteString(c.base)
	if len(op.Path) == 0 {
		b.WriteByte('/')
	}
	for _, seg := range op.Path {
		b.WriteByte('/')
		b.WriteString(signer.PercentEncode(seg))
	}
	p := prepared{payloadHash: signer.EmptyPayloadHash}
	p.uri = b.String()[len(c.base)-len(c.basePath):]
	if len(op.Query) > 0 {
		p.query = encodeParams(op.Query, signer.PercentEncode)
		b.WriteByte('?')
		b.WriteString(p.query)
	}
	p.url = b.String()
	switch {
	case op.Body != nil && op.Form != nil:
		return prepared{}, fmt.Errorf("operation %s has both a JSON body and a form", op.Name)
	case op.Body != nil:
		body, err := MarshalJSON(op.Body)
		if err != nil {
			return prepared{}, err
		}
		p.body, p.contentType = body, jsonContentType
	case op.Form != nil:
		p.body, p.contentType = []byte(encodeParams(op.Form, url.QueryEscape)), formContentType
	}
	if p.body != nil {
		p.payloadHash = signer.HashPayload(p.body)
	}
	return p, nil
}

// encodeParams writes params sorted by name then value, each name and value
// escaped with escape: the canonical query (signer.PercentEncode), or a
// form body as url.Values.Encode writes it (url.QueryEscape).
func encodeParams(params []Param, escape func(string) string) string {
	sorted := slices.SortedFunc(slices.Values(params), cmpParam)
	var b strings.Builder
	for i, p := range sorted {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(p.Name))
		b.WriteByte('=')
		b.WriteString(escape(p.Value))
	}
	return b.String()
}

// MarshalJSON encodes v as the official SDK (and the services) do:
// encoding/json without HTML escaping of <, > and &, and no trailing
// newline, so the bytes and their hash match.
func MarshalJSON(v any) ([]byte, error) {
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

// signedRequest builds and signs one attempt's request; every attempt gets
// its own, with a fresh date and nonce.
func (c *Client) signedRequest(ctx context.Context, op *Operation, p *prepared, provider string, creds signer.Credentials) (*http.Request, error) {
	var r *http.Request
	var err error
	if p.body != nil {
		r, err = http.NewRequestWithContext(ctx, op.Method, p.url, bytes.NewReader(p.body))
	} else {
		r, err = http.NewRequestWithContext(ctx, op.Method, p.url, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}

	// The signed headers, in the order ACS3 signs them (by lower-cased
	// name). Every name is known here, so they are listed in that order
	// rather than collected from a header map and sorted on every call.
	sts := creds.SecurityToken != ""
	var arr [10]signer.Header
	hs := arr[:0]
	if p.body != nil {
		hs = append(hs, signer.Header{Name: "Content-Type", Value: p.contentType})
	}
	hs = append(hs, signer.Header{Name: "Host", Value: r.Host})
	if sts {
		hs = append(hs, signer.Header{Name: "X-Acs-Accesskey-Id", Value: creds.AccessKeyID})
	}
	hs = append(hs,
		signer.Header{Name: "X-Acs-Action", Value: op.Name},
		signer.Header{Name: "X-Acs-Content-Sha256", Value: p.payloadHash})
	if provider != "" {
		hs = append(hs, signer.Header{Name: "X-Acs-Credentials-Provider", Value: provider})
	}
	hs = append(hs, signer.Header{Name: "X-Acs-Date", Value: signer.FormatDate(c.now())})
	if sts {
		hs = append(hs, signer.Header{Name: "X-Acs-Security-Token", Value: creds.SecurityToken})
	}
	hs = append(hs,
		signer.Header{Name: "X-Acs-Signature-Nonce", Value: signer.NewNonce()},
		signer.Header{Name: "X-Acs-Version", Value: c.version})
	auth, err := c.signer.Authorization(&signer.Parts{
		Method: op.Method, URI: p.uri, Query: p.query, Headers: hs, PayloadHash: p.payloadHash,
	}, creds)
	if err != nil {
		return nil, err
	}

	// The same names are the header keys (already in canonical MIME form),
	// with one backing array for all the value slices. Host is not a
	// header key: net/http sends r.Host.
	vals := make([]string, len(hs)+1)
	h := make(http.Header, len(hs)+2)
	for i, sh := range hs {
		if sh.Name != "Host" {
			vals[i] = sh.Value
			h[sh.Name] = vals[i : i+1 : i+1]
		}
	}
	vals[len(hs)] = auth
	h["Authorization"] = vals[len(hs):]
	h["Accept"] = acceptHdr
	h["User-Agent"] = c.userAgentHdr
	r.Header = h
	return r, nil
}

var acceptHdr = []string{"application/json"}
