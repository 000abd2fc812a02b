package signer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Credentials is an Alibaba Cloud AccessKey pair, with the STS SecurityToken
// when the pair is temporary. Every way of printing it (fmt verbs, slog, JSON)
// shows the AccessKeyID only: the secret and the token never leave it.
//
// One exception cannot be closed without hiding the fields: %p of a
// Credentials value (not a pointer) is a bad verb, and fmt reports bad verbs
// by printing the fields by reflection without calling Format, secret
// included. go vet does not catch it (a type with a Format method may take
// any verb), so print a pointer with %p, never a value: %p of a
// *Credentials prints only the address.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

const redacted = "[REDACTED]"

func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String describes c without its secret or token.
func (c Credentials) String() string {
	return "Credentials{AccessKeyID: " + c.AccessKeyID + ", AccessKeySecret: " + mask(c.AccessKeySecret) +
		", SecurityToken: " + mask(c.SecurityToken) + "}"
}

// GoString is String for %#v.
func (c Credentials) GoString() string {
	return fmt.Sprintf("signer.Credentials{AccessKeyID:%q, AccessKeySecret:%q, SecurityToken:%q}",
		c.AccessKeyID, mask(c.AccessKeySecret), mask(c.SecurityToken))
}

// Format makes every fmt verb (%v, %+v, %#v, %s, %d, %x ...) print the
// redacted form: without it, verbs such as %d or %x would fall back to
// printing the struct's fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, c.GoString())
		return
	}
	_, _ = io.WriteString(f, c.String())
}

// LogValue makes slog print the redacted form.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("access_key_secret", mask(c.AccessKeySecret)),
		slog.String("security_token", mask(c.SecurityToken)),
	)
}

// MarshalJSON keeps the secret and token out of JSON (configuration dumps,
// structured logs that bypass slog).
func (c Credentials) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"AccessKeyID":%q,"AccessKeySecret":%q,"SecurityToken":%q}`,
		c.AccessKeyID, mask(c.AccessKeySecret), mask(c.SecurityToken)), nil
}

// CredentialsProvider supplies the credentials to sign a request with. It is
// called for every attempt, so implementations that fetch remotely should cache
// (see CacheCredentials). It must be safe for concurrent use.
type CredentialsProvider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// ProviderNamer is implemented by providers that can name their source; the
// name is sent, signed, in x-acs-credentials-provider as the official SDKs do.
type ProviderNamer interface {
	ProviderName() string
}

type staticProvider struct{ creds Credentials }

// StaticCredentials returns a provider of a fixed AccessKey pair (with an STS
// token when securityToken is not empty).
func StaticCredentials(accessKeyID, accessKeySecret, securityToken string) CredentialsProvider {
	return &staticProvider{Credentials{accessKeyID, accessKeySecret, securityToken}}
}

func (p *staticProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if p.creds.AccessKeyID == "" || p.creds.AccessKeySecret == "" {
		return Credentials{}, errors.New("signer: static credentials have an empty AccessKeyID or AccessKeySecret")
	}
	return p.creds, nil
}

func (p *staticProvider) ProviderName() string {
	if p.creds.SecurityToken != "" {
		return "static_sts"
	}
	return "static_ak"
}

// Format prints the provider without its secret: fmt would otherwise print the
// unexported Credentials field by reflection, bypassing its own Format.
func (p *staticProvider) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "StaticCredentials("+p.creds.AccessKeyID+")")
}

// credentialAdapter adapts a credentials-go Credential.
type credentialAdapter struct {
	c    credentials.Credential
	name atomic.Pointer[string]
}

// FromCredential adapts any credentials-go credential (AccessKey, STS, RAM role,
// ECS role, OIDC, URI, or the default chain) to a CredentialsProvider.
// credentials-go takes no context, so ctx is only checked before the call.
func FromCredential(c credentials.Credential) CredentialsProvider {
	return &credentialAdapter{c: c}
}

func (a *credentialAdapter) Retrieve(ctx context.Context) (Credentials, error) {
	if err := ctx.Err(); err != nil {
		return Credentials{}, err
	}
	if a.c == nil {
		return Credentials{}, errors.New("signer: nil credentials-go credential")
	}
	m, err := a.c.GetCredential()
	if err != nil {
		return Credentials{}, fmt.Errorf("signer: get credential: %w", err)
	}
	if m == nil {
		return Credentials{}, errors.New("signer: get credential: no credential returned")
	}
	c := Credentials{deref(m.AccessKeyId), deref(m.AccessKeySecret), deref(m.SecurityToken)}
	if c.AccessKeyID == "" || c.AccessKeySecret == "" {
		return Credentials{}, errors.New("signer: get credential: no AccessKey pair (bearer tokens are not supported)")
	}
	if n := deref(m.ProviderName); n != "" {
		a.name.Store(&n)
	}
	return c, nil
}

func (a *credentialAdapter) ProviderName() string {
	if n := a.name.Load(); n != nil {
		return *n
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// DefaultCredentialsTTL is how long DefaultCredentials reuses fetched
// credentials. credentials-go refreshes STS sessions 180 s before they expire,
// so anything it hands out is good for longer than this.
const DefaultCredentialsTTL = time.Minute

// DefaultCredentials returns the credentials-go default chain: environment
// variables, OIDC/RRSA, the aliyun CLI profile, the credentials file
// (~/.alibabacloud/credentials), the ECS RAM role from the metadata service
// and a credentials URI, tried in that order with the same environment
// variables as credentials-go. Credentials found are cached for
// DefaultCredentialsTTL, with one fetch at a time that concurrent callers
// share. A failed search is not remembered: the next Retrieve searches the
// whole chain again, so credentials set up after the first failure are found.
// When no source has credentials, Retrieve fails with an error that matches
// errors.ErrNoCredentials (package
// github.com/acsmembers/acsmembers-go/errors) and says, on one line, what
// each source answered. The error return is always nil; it is kept so that
// callers need not change if building the chain can fail one day.
func DefaultCredentials() (CredentialsProvider, error) {
	return CacheCredentials(&defaultChain{sources: chainSources}, DefaultCredentialsTTL), nil
}

type cacheEntry struct {
	creds   Credentials
	expires time.Time
}

type fetch struct {
	done  chan struct{}
	creds Credentials
	err   error
}

type cachingProvider struct {
	src CredentialsProvider
	ttl time.Duration
	now func() time.Time

	cur      atomic.Pointer[cacheEntry]
	mu       sync.Mutex
	inflight *fetch
}

// CacheCredentials wraps p so fetched credentials are reused for ttl. When they
// expire, one goroutine fetches while concurrent callers wait for its result
// (or for their own context); a failed fetch is not cached.
func CacheCredentials(p CredentialsProvider, ttl time.Duration) CredentialsProvider {
	return &cachingProvider{src: p, ttl: ttl, now: time.Now}
}

func (p *cachingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	if e := p.cur.Load(); e != nil && p.now().Before(e.expires) {
		return e.creds, nil
	}
	p.mu.Lock()
	if e := p.cur.Load(); e != nil && p.now().Before(e.expires) {
		p.mu.Unlock()
		return e.creds, nil
	}
	f := p.inflight
	if f == nil {
		f = &fetch{done: make(chan struct{})}
		p.inflight = f
		// The fetch runs detached from any one caller's context so that a
		// caller giving up does not fail the others waiting on it.
		go p.run(f)
	}
	p.mu.Unlock()
	select {
	case <-f.done:
		return f.creds, f.err
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
}

func (p *cachingProvider) run(f *fetch) {
	f.creds, f.err = p.src.Retrieve(context.Background())
	p.mu.Lock()
	if f.err == nil {
		p.cur.Store(&cacheEntry{creds: f.creds, expires: p.now().Add(p.ttl)})
	}
	p.inflight = nil
	p.mu.Unlock()
	close(f.done)
}

// Invalidate drops the cached credentials so the next Retrieve fetches anew;
// the pipeline calls it when the service rejects a token as expired.
func (p *cachingProvider) Invalidate() { p.cur.Store(nil) }

func (p *cachingProvider) ProviderName() string {
	if n, ok := p.src.(ProviderNamer); ok {
		return n.ProviderName()
	}
	return ""
}

// Format prints the provider without the cached secret.
func (p *cachingProvider) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, fmt.Sprintf("CachedCredentials(ttl=%s)", p.ttl))
}
