package internal

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"
)

// Timeouts of the default HTTP client. The official Go stack has none, so a
// silent server can hold a call forever; these bound every phase, and
// AttemptTimeout bounds an attempt as a whole.
const (
	ConnectTimeout        = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 30 * time.Second
	IdleConnTimeout       = 90 * time.Second
	// DefaultAttemptTimeout bounds one attempt from the first byte sent to
	// the last byte of the reply read, when Config.AttemptTimeout is 0. A
	// server that trickles its headers or body cannot hold a call longer.
	DefaultAttemptTimeout = 60 * time.Second
)

// errRedirect is what a client returns for a 3xx instead of following it.
var errRedirect = errors.New("redirects are not followed")

// noRedirect keeps a 3xx as the response: a signed request (key ID, token,
// body) goes to the endpoint and nowhere else, and the pipeline turns the
// 3xx into an error that names the status and the Location.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// NewHTTPClient returns the default client: pooled keep-alive connections
// (enough idle ones per host for heavy concurrent use), timeouts on connect,
// TLS handshake and response headers, and no redirects.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   TLSHandshakeTimeout,
			ResponseHeaderTimeout: ResponseHeaderTimeout,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       IdleConnTimeout,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   64,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: noRedirect,
	}
}

// withoutRedirects returns the sender to use for a caller's HTTPDoer: an
// *http.Client is copied with CheckRedirect replaced (the caller's value is
// left alone); any other HTTPDoer is used as it is, and a 3xx it returns is
// an error all the same.
func withoutRedirects(d HTTPDoer) HTTPDoer {
	hc, ok := d.(*http.Client)
	if !ok {
		return d
	}
	if hc == nil {
		return NewHTTPClient()
	}
	cp := *hc
	cp.CheckRedirect = noRedirect
	return &cp
}
