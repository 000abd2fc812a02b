package internal

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Timeouts of the default HTTP client. The official Go stack has none, so a
// silent server can hold a call forever; these bound every phase.
const (
	ConnectTimeout        = 10 * time.Second
	TLSHandshakeTimeout   = 10 * time.Second
	ResponseHeaderTimeout = 30 * time.Second
	RequestTimeout        = 60 * time.Second // whole exchange, body included
)

// NewHTTPClient returns the default client: pooled keep-alive connections
// (enough idle ones per host for heavy concurrent use), timeouts on connect,
// TLS handshake, response headers and the whole exchange, and no redirects
// (a signed request must not be replayed elsewhere; a 3xx surfaces as an error).
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
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   64,
			ForceAttemptHTTP2:     true,
		},
		Timeout:       RequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
