package internal

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Timeouts of the default HTTP client. The official Go stack has none, so a
// silent server can hold a call forever; these bound every phase.
const (
	ConnectTimeout      = 10 * time.Second
	TLSHandshakeTimeout = 10 * time.Second
	// IOIdleTimeout bounds the silence on a connection: a peer that sends
	// nothing for this long, before the response headers or in the middle of
	// a body, fails the attempt. Writing the request starts the clock, so it
	// is also the response-header timeout.
	IOIdleTimeout = 30 * time.Second
	// IdleConnTimeout closes pooled connections before IOIdleTimeout would
	// fire on their idle read.
	IdleConnTimeout = 25 * time.Second
)

// NewHTTPClient returns the default client as an *http.Client, for callers
// that want the tuned transport behind their own client: pooled keep-alive
// connections (enough idle ones per host for heavy concurrent use), timeouts
// on connect, TLS handshake and every read and write, and no redirects (a
// signed request must not be replayed elsewhere; a 3xx surfaces as an error).
func NewHTTPClient() *http.Client {
	return &http.Client{
		Transport:     newTransport(IOIdleTimeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// newTransport returns the pooled transport of the default client with
// ioTimeout as the idle bound of every connection.
//
// There is deliberately no ResponseHeaderTimeout and no http.Client.Timeout:
// both cost a timer on every request, while the per-connection deadline
// already bounds a silent peer. The caller's context bounds the whole call.
func newTransport(ioTimeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &deadlineConn{Conn: conn, timeout: ioTimeout}, nil
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   TLSHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       IdleConnTimeout,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		ForceAttemptHTTP2:     true,
	}
}

// transportDoer is the pipeline's default sender: requests go straight to
// the pooled transport. The default client follows no redirects, keeps no
// cookies and has no overall timeout, so going through http.Client would
// only add a copy of every request's headers (kept in case of a redirect).
// Errors are wrapped in *url.Error as http.Client wraps them, so callers
// see the same errors either way.
type transportDoer struct{ *http.Transport }

func (d transportDoer) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.RoundTrip(r)
	if err != nil {
		return nil, &url.Error{Op: urlErrorOp(r.Method), URL: r.URL.Redacted(), Err: err}
	}
	return resp, nil
}

// urlErrorOp names a method as http.Client does in a *url.Error: "Post".
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}

// deadlineConn keeps a deadline on every read and write: the connection
// fails once the peer has been silent for between 15/16 of timeout and
// timeout. Moving a deadline costs a runtime timer update, and one call makes
// several reads and writes within microseconds, so the deadline is only
// moved when a sixteenth of timeout has passed since it was last set.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
	expires atomic.Int64 // the deadline last set, in Unix nanoseconds
}

// extend moves both deadlines to timeout from now when the current one is
// stale. Both, because a write starts the wait for a reply: the read that
// waits for it may have begun long before, when the connection went idle.
func (c *deadlineConn) extend() error {
	now := time.Now()
	if c.expires.Load()-now.UnixNano() > int64(c.timeout-c.timeout/16) {
		return nil
	}
	deadline := now.Add(c.timeout)
	c.expires.Store(deadline.UnixNano())
	return c.Conn.SetDeadline(deadline)
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.extend(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.extend(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}
