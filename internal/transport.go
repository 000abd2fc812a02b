package internal

import (
	"context"
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
	// IOIdleTimeout bounds each read and write on a connection: a peer that
	// goes silent mid-request or mid-body fails the attempt after this long.
	IOIdleTimeout = 30 * time.Second
	// IdleConnTimeout closes pooled connections before IOIdleTimeout would
	// fire on their idle read.
	IdleConnTimeout = 25 * time.Second
)

// NewHTTPClient returns the default client: pooled keep-alive connections
// (enough idle ones per host for heavy concurrent use), timeouts on connect,
// TLS handshake, response headers and every read and write, and no redirects
// (a signed request must not be replayed elsewhere; a 3xx surfaces as an error).
//
// There is deliberately no http.Client.Timeout: it costs a deadline context
// and a timer on every request, while per-I/O deadlines on the connection
// bound a silent peer for free. The caller's context bounds the whole call.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &deadlineConn{Conn: conn, timeout: IOIdleTimeout}, nil
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dial,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   TLSHandshakeTimeout,
			ResponseHeaderTimeout: ResponseHeaderTimeout,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       IdleConnTimeout,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   64,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// deadlineConn sets a fresh deadline before every read and write.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}
