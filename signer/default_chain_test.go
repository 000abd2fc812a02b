package signer

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// isolateChain gives the default chain nothing to find: a fresh HOME, no
// ALIBABA_CLOUD_* or ALICLOUD_* variables, and the ECS metadata service
// disabled (so no test ever leaves loopback). It returns the HOME.
func isolateChain(t *testing.T) string {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ALIBABA_CLOUD_") || strings.HasPrefix(name, "ALICLOUD_") {
			t.Setenv(name, "") // restored after the test
			require.NoError(t, os.Unsetenv(name))
		}
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	return home
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

// The bug of issue 11: a client built before credentials exist failed once
// and then forever, because credentials-go's default chain remembers the
// source it tried last (ECS metadata, or here the credentials URI) even
// though it failed. Every case fails on its first Retrieve, gets its
// credentials set up, and the same provider must then find them.
func TestDefaultCredentialsFindCredentialsSetUpAfterAFailure(t *testing.T) {
	cases := []struct {
		name, provider string
		setUp          func(t *testing.T, home string)
	}{
		{"environment", "default/env", func(t *testing.T, _ string) {
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "later-ak")
			t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "later-sk")
		}},
		{"credentials file", "default/profile/static_ak", func(t *testing.T, home string) {
			writeFile(t, filepath.Join(home, ".alibabacloud", "credentials"),
				"[default]\ntype = access_key\naccess_key_id = later-ak\naccess_key_secret = later-sk\n")
		}},
		{"CLI profile", "default/cli_profile/static_ak", func(t *testing.T, home string) {
			writeFile(t, filepath.Join(home, ".aliyun", "config.json"),
				`{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"later-ak","access_key_secret":"later-sk"}]}`)
		}},
	}
	for _, tc := range cases {
		for _, withURI := range []bool{false, true} {
			name := tc.name
			if withURI {
				name += " after a failing credentials URI"
			}
			t.Run(name, func(t *testing.T) {
				home := isolateChain(t)
				if withURI {
					// A credentials URI that fails stands in for the ECS
					// metadata service off ECS: the last source of the chain.
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
						http.Error(w, "no role here", http.StatusNotFound)
					}))
					t.Cleanup(srv.Close)
					t.Setenv("ALIBABA_CLOUD_CREDENTIALS_URI", srv.URL)
				}
				p, err := DefaultCredentials()
				require.NoError(t, err)

				_, err = p.Retrieve(context.Background())
				require.ErrorIs(t, err, acserrors.ErrNoCredentials)
				msg := err.Error()
				assert.NotContains(t, msg, "\n", "one line")
				for _, src := range []string{"environment: ", "OIDC/RRSA: not configured", "CLI profile: ", "credentials file: ", "ECS metadata: not configured", "credentials URI: "} {
					assert.Contains(t, msg, src)
				}

				tc.setUp(t, home)
				c, err := p.Retrieve(context.Background())
				require.NoError(t, err)
				assert.Equal(t, Credentials{AccessKeyID: "later-ak", AccessKeySecret: "later-sk"}, c)
				assert.Equal(t, tc.provider, p.(ProviderNamer).ProviderName())
			})
		}
	}
}

// Configuration files that fail to parse make credentials-go quote them in
// its errors; the chain's error must not carry their secrets along.
func TestDefaultCredentialsErrorQuotesNoFile(t *testing.T) {
	home := isolateChain(t)
	writeFile(t, filepath.Join(home, ".aliyun", "config.json"),
		`{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_secret":"`+testSecret+`",}]}`)
	writeFile(t, filepath.Join(home, ".alibabacloud", "credentials"),
		"[default]\ntype = access_key\naccess_key_secret "+testSecret+"\n")
	p, err := DefaultCredentials()
	require.NoError(t, err)
	_, err = p.Retrieve(context.Background())
	require.ErrorIs(t, err, acserrors.ErrNoCredentials)
	assert.NotContains(t, err.Error(), testSecret)
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, 2, strings.Count(err.Error(), "[file content not shown]"), err.Error())
}

// fakeSource is a chain source under the test's control.
type fakeSource struct {
	name     string
	fail     atomic.Bool
	calls    atomic.Int32
	active   atomic.Int32
	peak     atomic.Int32  // most calls running at once
	started  chan struct{} // when not nil, told of every call
	release  chan struct{} // when not nil, every call waits for it
	emptyKey bool
}

func (f *fakeSource) GetCredentials() (*providers.Credentials, error) {
	f.calls.Add(1)
	n := f.active.Add(1)
	defer f.active.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.release != nil {
		<-f.release
	}
	if f.fail.Load() {
		return nil, errors.New(f.name + " has nothing\nsecond line")
	}
	if f.emptyKey {
		return &providers.Credentials{AccessKeyId: "id-only"}, nil
	}
	return &providers.Credentials{AccessKeyId: f.name + "-ak", AccessKeySecret: f.name + "-sk"}, nil
}

func (f *fakeSource) GetProviderName() string { return f.name }

// The source that answered is asked again without a new search (it keeps
// its own STS session); once it fails, the whole chain is searched again.
func TestDefaultChainRemembersOnlyWhatWorks(t *testing.T) {
	a, b := &fakeSource{name: "a"}, &fakeSource{name: "b"}
	var searches atomic.Int32
	chain := &defaultChain{sources: func() []source {
		searches.Add(1)
		return []source{{name: "skipped", skip: "not set up"}, {name: "a", p: a}, {name: "b", p: b}}
	}}
	ctx := context.Background()

	c, err := chain.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a-ak", c.AccessKeyID)
	_, err = chain.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(1), searches.Load(), "a is asked again directly")
	assert.Equal(t, int32(2), a.calls.Load())
	assert.Equal(t, "default/a", chain.ProviderName())

	a.fail.Store(true)
	c, err = chain.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "b-ak", c.AccessKeyID, "a failed: the chain was searched again")
	assert.Equal(t, int32(2), searches.Load())
	assert.Equal(t, "default/b", chain.ProviderName())

	b.fail.Store(true)
	_, err = chain.Retrieve(ctx)
	require.ErrorIs(t, err, acserrors.ErrNoCredentials)
	assert.Equal(t, "default credential chain: no credentials found (skipped: not configured, not set up; "+
		"a: a has nothing; b: b has nothing)", err.Error())

	a.fail.Store(false)
	c, err = chain.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a-ak", c.AccessKeyID, "the failure was not remembered")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = chain.Retrieve(cancelled)
	assert.ErrorIs(t, err, context.Canceled)
}

// A source that hands out a key ID without a secret (a bearer token) has
// not answered.
func TestDefaultChainNeedsAnAccessKeyPair(t *testing.T) {
	chain := &defaultChain{sources: func() []source {
		return []source{{name: "bearer", p: &fakeSource{name: "bearer", emptyKey: true}}}
	}}
	_, err := chain.Retrieve(context.Background())
	require.ErrorIs(t, err, acserrors.ErrNoCredentials)
	assert.Contains(t, err.Error(), "bearer: no AccessKey pair")
}

// While a search that will fail is running, callers arriving meanwhile wait
// for it instead of starting their own: never two searches at once, whether
// the chain is used bare or, as DefaultCredentials builds it, cached.
func TestDefaultChainOneSearchAtATime(t *testing.T) {
	for _, cached := range []bool{false, true} {
		src := &fakeSource{name: "slow", started: make(chan struct{}, 1000), release: make(chan struct{})}
		src.fail.Store(true)
		var p CredentialsProvider = &defaultChain{sources: func() []source { return []source{{name: "slow", p: src}} }}
		if cached {
			p = CacheCredentials(p, time.Minute)
		}

		const callers = 32
		errs := make(chan error, callers)
		var arrived, done sync.WaitGroup
		call := func() {
			defer done.Done()
			arrived.Done()
			_, err := p.Retrieve(context.Background())
			errs <- err
		}
		arrived.Add(1)
		done.Add(1)
		go call()
		<-src.started // the first search is under way and blocked
		arrived.Add(callers - 1)
		done.Add(callers - 1)
		for range callers - 1 {
			go call()
		}
		arrived.Wait()
		close(src.release)
		done.Wait()
		close(errs)

		for err := range errs {
			assert.ErrorIs(t, err, acserrors.ErrNoCredentials)
		}
		assert.Equal(t, int32(1), src.peak.Load(), "cached=%v: searches overlapped", cached)
		before := src.calls.Load()
		_, err := p.Retrieve(context.Background())
		assert.ErrorIs(t, err, acserrors.ErrNoCredentials)
		assert.Equal(t, before+1, src.calls.Load(), "cached=%v: a failure is not cached", cached)
	}
}

func TestReasonIsOneShortLine(t *testing.T) {
	assert.Equal(t, "failed to execute external command: exit status 1",
		reason(errors.New("failed to execute external command: exit status 1\nstderr: token=abc")))
	long := reason(errors.New(strings.Repeat("é", 300)))
	assert.LessOrEqual(t, len(long), 203)
	assert.True(t, strings.HasSuffix(long, "..."))
	assert.Equal(t, "unmarshal aliyun cli config from '/h/.aliyun/config.json' failed: [file content not shown]",
		reason(errors.New("unmarshal aliyun cli config from '/h/.aliyun/config.json' failed: {\"k\":\"v\"")))
}
