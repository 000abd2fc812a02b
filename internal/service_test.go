package internal

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/signer"
)

// testService resolves hosts as PAI does for its regional endpoints.
var testService = Service{Name: "pai", Version: "2021-02-04", Host: func(region string) string {
	return "aiworkspace." + region + ".aliyuncs.com"
}}

// recordingDoer answers 200 {} and records where each request went.
type recordingDoer struct {
	mu   sync.Mutex
	urls []string
	host []string
}

func (d *recordingDoer) Do(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.urls = append(d.urls, r.URL.String())
	d.host = append(d.host, r.Host)
	d.mu.Unlock()
	return cannedResponse(r, 200, hdr("Content-Type", "application/json"), strings.NewReader(`{"RequestId":"R"}`)), nil
}

// sentTo builds a client with o (credentials and the recording doer added),
// runs opGet and returns the URL it was sent to.
func sentTo(t *testing.T, o Options) string {
	t.Helper()
	d := &recordingDoer{}
	o.Credentials = signer.StaticCredentials(testAK, testSecret, "")
	o.HTTPClient = d
	c, err := NewClient(testService, o)
	require.NoError(t, err)
	require.NoError(t, c.Do(context.Background(), opGet(), nil))
	require.Len(t, d.urls, 1)
	return d.urls[0]
}

const getPath = "/api/v1/workspaces/ws%201%2Fx/members/m-1?Lang=en&Verbose=true"

func TestNewClientRegion(t *testing.T) {
	t.Setenv(RegionEnv, "")
	assert.Equal(t, "https://aiworkspace.cn-hangzhou.aliyuncs.com"+getPath, sentTo(t, Options{Region: "cn-hangzhou"}))
	assert.Equal(t, "https://aiworkspace.ap-southeast-1.aliyuncs.com"+getPath, sentTo(t, Options{Region: "ap-southeast-1"}))
}

func TestNewClientRegionFromEnvironment(t *testing.T) {
	t.Setenv(RegionEnv, "cn-shanghai")
	assert.Equal(t, "https://aiworkspace.cn-shanghai.aliyuncs.com"+getPath, sentTo(t, Options{}))
	// An explicit Region wins over the environment.
	assert.Equal(t, "https://aiworkspace.cn-beijing.aliyuncs.com"+getPath, sentTo(t, Options{Region: "cn-beijing"}))
}

func TestNewClientRegionErrors(t *testing.T) {
	creds := signer.StaticCredentials(testAK, testSecret, "")
	t.Run("no region", func(t *testing.T) {
		t.Setenv(RegionEnv, "")
		_, err := NewClient(testService, Options{Credentials: creds})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "pai: no Region or Endpoint set")
		assert.Contains(t, err.Error(), RegionEnv)
	})
	hostile := []string{
		"cn-hangzhou.evil.com/", "cn-hangzhou.evil.com", "evil.com/cn-hangzhou", "CN-HANGZHOU", "Cn-Hangzhou",
		"cn hangzhou", " cn-hangzhou", "cn-hangzhou\n", "cn-hangzhou:443", "cn-hangzhou@evil.com", "cn-hangzhou#",
		"cn-hangzhou?x=1", "cn-杭州", "..", strings.Repeat("a", 65),
	}
	for _, r := range hostile {
		t.Run("option "+r, func(t *testing.T) {
			t.Setenv(RegionEnv, "")
			c, err := NewClient(testService, Options{Region: r, Credentials: creds})
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), "is not a region ID")
		})
		t.Run("environment "+r, func(t *testing.T) {
			t.Setenv(RegionEnv, r)
			_, err := NewClient(testService, Options{Credentials: creds})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is not a region ID")
		})
	}
}

func TestNewClientEndpointOverride(t *testing.T) {
	t.Setenv(RegionEnv, "")
	cases := map[string]string{
		"http://127.0.0.1:8080":                            "http://127.0.0.1:8080" + getPath,
		"http://127.0.0.1:8080/":                           "http://127.0.0.1:8080" + getPath,
		"https://aiworkspace-vpc.cn-hangzhou.aliyuncs.com": "https://aiworkspace-vpc.cn-hangzhou.aliyuncs.com" + getPath,
		"https://gw.example.test:8443/pai/proxy":           "https://gw.example.test:8443/pai/proxy" + getPath,
		"https://gw.example.test:8443/pai/proxy/":          "https://gw.example.test:8443/pai/proxy" + getPath,
		"http://[::1]:9000/a%20b":                          "http://[::1]:9000/a%20b" + getPath,
	}
	for endpoint, want := range cases {
		t.Run(endpoint, func(t *testing.T) {
			assert.Equal(t, want, sentTo(t, Options{Endpoint: endpoint}))
		})
	}
	t.Run("endpoint wins over region", func(t *testing.T) {
		assert.Equal(t, "http://127.0.0.1:8080"+getPath, sentTo(t, Options{Endpoint: "http://127.0.0.1:8080", Region: "cn-hangzhou"}))
	})
}

func TestNewClientEndpointErrors(t *testing.T) {
	t.Setenv(RegionEnv, "cn-hangzhou")
	creds := signer.StaticCredentials(testAK, testSecret, "")
	for _, endpoint := range []string{
		"ftp://127.0.0.1:21", "file:///etc/passwd", "127.0.0.1:8080", "aiworkspace.cn-hangzhou.aliyuncs.com",
		"http://127.0.0.1:8080/?a=b", "http://127.0.0.1:8080/#frag", "http://", "https:///path", "http://host\n/",
		"javascript:alert(1)",
	} {
		t.Run(endpoint, func(t *testing.T) {
			c, err := NewClient(testService, Options{Endpoint: endpoint, Credentials: creds})
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), "must be an http:// or https:// URL without query or fragment")
		})
	}
}

func TestNewClientMaxAttempts(t *testing.T) {
	creds := signer.StaticCredentials(testAK, testSecret, "")
	_, err := NewClient(testService, Options{Region: "cn-hangzhou", Credentials: creds, MaxAttempts: -1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxAttempts must not be negative")

	c, err := NewClient(testService, Options{Region: "cn-hangzhou", Credentials: creds})
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxAttempts, c.maxAttempts)

	c, err = NewClient(testService, Options{Region: "cn-hangzhou", Credentials: creds, MaxAttempts: 1})
	require.NoError(t, err)
	assert.Equal(t, 1, c.maxAttempts)
}

// TestNewClientDefaultsHTTPClient: without an HTTPClient the tuned default
// with timeouts is used, never http.DefaultClient.
func TestNewClientDefaultsHTTPClient(t *testing.T) {
	c, err := NewClient(testService, Options{Region: "cn-hangzhou", Credentials: signer.StaticCredentials(testAK, testSecret, "")})
	require.NoError(t, err)
	d, ok := c.http.(transportDoer)
	require.True(t, ok, "%T", c.http)
	assert.NotSame(t, http.DefaultTransport, d.Transport)
	assert.Equal(t, ResponseHeaderTimeout, d.ResponseHeaderTimeout, "the tuned transport")
	assert.Equal(t, DefaultAttemptTimeout, c.attemptLimit)
}
