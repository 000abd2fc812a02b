package signer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testSecret = "TOP-SECRET-VALUE"
	testToken  = "STS-TOKEN-VALUE"
)

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	c := Credentials{AccessKeyID: "LTAIexample", AccessKeySecret: testSecret, SecurityToken: testToken}
	p := StaticCredentials("LTAIexample", testSecret, testToken)
	cached := CacheCredentials(p, time.Minute)
	_, err := cached.Retrieve(context.Background())
	require.NoError(t, err)

	var outputs []string
	for _, v := range []any{c, &c, p, cached, struct{ C Credentials }{c}, []Credentials{c}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q", "%T %[1]v"} {
			outputs = append(outputs, fmt.Sprintf(verb, v))
		}
	}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("creds", "c", c, "p", p)
	outputs = append(outputs, logBuf.String())
	js, err := json.Marshal(c)
	require.NoError(t, err)
	outputs = append(outputs, string(js))

	for _, out := range outputs {
		assert.NotContains(t, out, testSecret)
		assert.NotContains(t, out, testToken)
	}
	assert.Contains(t, c.String(), "LTAIexample")
}

// Every verb, with and without flags, of a Credentials value and pointer
// prints neither the secret nor the token. The one exception is %p of a
// value, documented on Credentials: a bad verb that fmt reports by printing
// the fields by reflection without calling Format. This test pins that, so
// the doc comment is revisited if fmt ever changes.
func TestCredentialsEveryVerb(t *testing.T) {
	c := Credentials{AccessKeyID: "LTAIexample", AccessKeySecret: testSecret, SecurityToken: testToken}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%p", "%T", "%d",
		"%#x", "% x", "%+q", "%#q", "%08s", "%-20v", "%.3s", "%10.2x", "%t", "%e", "%c", "%U", "%b", "%o", "%z"}
	for _, verb := range verbs {
		for _, v := range []any{&c, []any{c}, map[string]Credentials{"k": c}} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testSecret, "%s of %T: %s", verb, v, out)
			assert.NotContains(t, out, testToken, "%s of %T: %s", verb, v, out)
		}
		if verb == "%p" {
			continue
		}
		out := fmt.Sprintf(verb, c)
		assert.NotContains(t, out, testSecret, "%s of a value: %s", verb, out)
		assert.NotContains(t, out, testToken, "%s of a value: %s", verb, out)
	}
	pointerVerb := "%p"
	assert.Regexp(t, `^0x[0-9a-f]+$`, fmt.Sprintf(pointerVerb, &c))
	assert.Contains(t, fmt.Sprintf(pointerVerb, c), testSecret, "documented exception: %p of a value")
}

func TestStaticCredentials(t *testing.T) {
	c, err := StaticCredentials("ak", "sk", "").Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, c)
	assert.Equal(t, "static_ak", StaticCredentials("ak", "sk", "").(ProviderNamer).ProviderName())
	assert.Equal(t, "static_sts", StaticCredentials("ak", "sk", "t").(ProviderNamer).ProviderName())
	_, err = StaticCredentials("", "sk", "").Retrieve(context.Background())
	assert.Error(t, err)
}

func TestFromCredential(t *testing.T) {
	cfg := new(credentials.Config).SetType("sts").SetAccessKeyId("STS.id").SetAccessKeySecret("sk").SetSecurityToken("tok")
	cred, err := credentials.NewCredential(cfg)
	require.NoError(t, err)
	p := FromCredential(cred)
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, Credentials{AccessKeyID: "STS.id", AccessKeySecret: "sk", SecurityToken: "tok"}, c)
	assert.Equal(t, "static_sts", p.(ProviderNamer).ProviderName())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Retrieve(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = FromCredential(nil).Retrieve(context.Background())
	assert.Error(t, err)
}

func TestDefaultCredentialsReadsEnvironment(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-ak")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-sk")
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	p, err := DefaultCredentials()
	require.NoError(t, err)
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "env-ak", c.AccessKeyID)
	assert.Equal(t, "env-sk", c.AccessKeySecret)
	assert.Equal(t, "default/env", p.(ProviderNamer).ProviderName())
}

// countingProvider blocks until release is closed, counting fetches.
type countingProvider struct {
	calls   atomic.Int32
	release chan struct{}
	fail    atomic.Bool
}

func (p *countingProvider) Retrieve(context.Context) (Credentials, error) {
	p.calls.Add(1)
	<-p.release
	if p.fail.Load() {
		return Credentials{}, errors.New("boom")
	}
	return Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, nil
}

func TestCacheCredentialsSingleFetch(t *testing.T) {
	src := &countingProvider{release: make(chan struct{})}
	p := CacheCredentials(src, time.Hour)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := p.Retrieve(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "ak", c.AccessKeyID)
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(src.release)
	wg.Wait()
	assert.Equal(t, int32(1), src.calls.Load(), "64 concurrent callers must share one fetch")
	_, _ = p.Retrieve(context.Background())
	assert.Equal(t, int32(1), src.calls.Load(), "cached")
}

func TestCacheCredentialsExpiryErrorsAndContext(t *testing.T) {
	src := &countingProvider{release: make(chan struct{})}
	close(src.release)
	now := time.Unix(0, 0)
	p := CacheCredentials(src, time.Minute).(*cachingProvider)
	p.now = func() time.Time { return now }

	_, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	now = now.Add(59 * time.Second)
	_, _ = p.Retrieve(context.Background())
	assert.Equal(t, int32(1), src.calls.Load())
	now = now.Add(2 * time.Second)
	_, _ = p.Retrieve(context.Background())
	assert.Equal(t, int32(2), src.calls.Load(), "expired entry is refreshed")

	p.Invalidate()
	src.fail.Store(true)
	_, err = p.Retrieve(context.Background())
	assert.EqualError(t, err, "boom")
	_, err = p.Retrieve(context.Background())
	assert.Error(t, err)
	assert.Equal(t, int32(4), src.calls.Load(), "failures are not cached")

	blocked := CacheCredentials(&countingProvider{release: make(chan struct{})}, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = blocked.Retrieve(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
