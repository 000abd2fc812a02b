package signer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aliyun/credentials-go/credentials/providers"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// source is one place the default chain looks for credentials.
type source struct {
	name string                        // as errors name it, e.g. "environment"
	p    providers.CredentialsProvider // nil when the source is not configured
	skip string                        // why p is nil
}

func newSource(name string, p providers.CredentialsProvider, err error) source {
	if err != nil {
		return source{name: name, skip: err.Error()}
	}
	return source{name: name, p: p}
}

// chainSources lists the sources of credentials-go's default chain, in its
// order, as the environment describes them now. It mirrors
// providers.NewDefaultCredentialsProvider (v1.4.14). We walk the chain
// ourselves because that provider remembers the source it tried last before
// knowing whether it worked: after one failed search it only ever asks that
// source again (in practice the ECS metadata service), so credentials set up
// later are never found.
func chainSources() []source {
	env, err := providers.NewEnvironmentVariableCredentialsProviderBuilder().Build()
	s := []source{newSource("environment", env, err)}
	oidc, err := providers.NewOIDCCredentialsProviderBuilder().Build()
	s = append(s, newSource("OIDC/RRSA", oidc, err))
	cli, err := providers.NewCLIProfileCredentialsProviderBuilder().Build()
	s = append(s, newSource("CLI profile", cli, err))
	file, err := providers.NewProfileCredentialsProviderBuilder().Build()
	s = append(s, newSource("credentials file", file, err))
	ecs, err := providers.NewECSRAMRoleCredentialsProviderBuilder().Build()
	s = append(s, newSource("ECS metadata", ecs, err))
	if os.Getenv("ALIBABA_CLOUD_CREDENTIALS_URI") == "" {
		return append(s, source{name: "credentials URI", skip: "ALIBABA_CLOUD_CREDENTIALS_URI is not set"})
	}
	uri, err := providers.NewURLCredentialsProviderBuilder().Build()
	return append(s, newSource("credentials URI", uri, err))
}

// defaultChain is credentials-go's default chain that forgets failures: it
// keeps asking the source that answered last (which caches and refreshes
// its own STS session) and, once that fails or when nothing has answered
// yet, searches the whole chain again, one search at a time.
type defaultChain struct {
	sources func() []source // chainSources; tests replace it

	mu   sync.Mutex // one search at a time; guards last
	last providers.CredentialsProvider
	name atomic.Pointer[string] // read by ProviderName without waiting for a search
}

// Retrieve asks the source that answered last and, when there is none or it
// fails, searches the whole chain.
func (d *defaultChain) Retrieve(ctx context.Context) (Credentials, error) {
	if err := ctx.Err(); err != nil {
		return Credentials{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.last != nil {
		if c, err := d.get(d.last); err == nil {
			return c, nil
		}
		d.last = nil
	}
	var tried []string
	for _, s := range d.sources() {
		if s.p == nil {
			tried = append(tried, s.name+": not configured, "+s.skip)
			continue
		}
		c, err := d.get(s.p)
		if err == nil {
			d.last = s.p
			return c, nil
		}
		tried = append(tried, s.name+": "+reason(err))
	}
	return Credentials{}, fmt.Errorf("default credential chain: %w (%s)", acserrors.ErrNoCredentials, strings.Join(tried, "; "))
}

func (d *defaultChain) get(p providers.CredentialsProvider) (Credentials, error) {
	m, err := p.GetCredentials()
	if err != nil {
		return Credentials{}, err
	}
	if m == nil || m.AccessKeyId == "" || m.AccessKeySecret == "" {
		return Credentials{}, errors.New("no AccessKey pair")
	}
	name := m.ProviderName
	if name == "" {
		name = p.GetProviderName()
	}
	name = "default/" + name // as credentials-go names it
	d.name.Store(&name)
	return Credentials{m.AccessKeyId, m.AccessKeySecret, m.SecurityToken}, nil
}

// ProviderName names the source that answered last, e.g. "default/env".
func (d *defaultChain) ProviderName() string {
	if n := d.name.Load(); n != nil {
		return *n
	}
	return ""
}

// fileEchoes are where messages of credentials-go v1.4.14 (and of the ini
// parser it reads the credentials file with) go on to quote the content of a
// configuration file, which may hold a secret: a reason is cut there.
var fileEchoes = []string{
	"' failed: ", // unmarshal aliyun cli config from '<path>' failed: <file>
	"delimiter not found: ", "empty key name: ", "missing closing key quote", "unclosed section: ",
}

// reason makes a source's error fit on one line of the chain's error without
// quoting a configuration file.
func reason(err error) string {
	msg := err.Error()
	for _, e := range fileEchoes {
		if i := strings.Index(msg, e); i >= 0 {
			msg = strings.TrimSpace(msg[:i+len(e)]) + " [file content not shown]"
		}
	}
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i]
	}
	const limit = 200
	if len(msg) > limit {
		msg = strings.ToValidUTF8(msg[:limit], "") + "..."
	}
	return msg
}
