package internal

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/signer"
)

// received is one request as a server saw it.
type received struct {
	method, path, query string
	header              http.Header
	sigErr              error
}

// recordingServer answers every request with an empty JSON reply and records
// it, its signature verified with the signer's generic steps, not the
// pipeline's fixed-order ones.
func recordingServer(t *testing.T) (*httptest.Server, func() []received) {
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := received{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(),
			sigErr: verifySignature(r, body, testSecret, false)}
		mu.Lock()
		got = append(got, rec)
		mu.Unlock()
		writeJSON(w, http.StatusOK, `{"RequestId":"R"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

// TestSignedRequestWire: what the pipeline sends for each kind of call, with
// AK and with STS credentials, under an endpoint whose base path is not in
// canonical form. The path and query on the wire are the canonical ones that
// were signed, every x-acs header is signed in order, and the unsigned
// headers are there too.
func TestSignedRequestWire(t *testing.T) {
	for _, sts := range []bool{false, true} {
		srv, got := recordingServer(t)
		token, provider := "", "static_ak"
		if sts {
			token, provider = "STS-TOKEN", "static_sts"
		}
		c, _, _ := testClient(t, srv.URL+"/gw%7Eone/", func(cfg *Config) {
			cfg.Credentials = signer.StaticCredentials(testAK, testSecret, token)
		})
		for _, op := range []*Operation{opGet(), opCreate(), opToken()} {
			require.NoError(t, c.Do(context.Background(), op, nil), op.Name)
		}
		reqs := got()
		require.Len(t, reqs, 3)

		wantPaths := []string{
			"/gw~one/api/v1/workspaces/ws%201%2Fx/members/m-1",
			"/gw~one/api/v1/workspaces/ws1/members",
			"/gw~one/",
		}
		wantQueries := []string{
			"Lang=en&Verbose=true",
			"",
			"ClientToken=3f0e4a44-6a1b-4c1e-9a7e-1f2d3c4b5a69&ProjectId=7&RoleCode=role_project_dev&UserId=u1",
		}
		for i, r := range reqs {
			require.NoError(t, r.sigErr, "sts=%v request %d", sts, i)
			assert.Equal(t, wantPaths[i], r.path)
			assert.Equal(t, wantQueries[i], r.query)
			signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-credentials-provider", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
			if i == 1 {
				signed = append([]string{"content-type"}, signed...)
				assert.Equal(t, jsonContentType, r.header.Get("Content-Type"))
			} else {
				assert.Empty(t, r.header.Values("Content-Type"), "no body, no content type")
			}
			if sts {
				signed = append(signed, "x-acs-accesskey-id", "x-acs-security-token")
				assert.Equal(t, testAK, r.header.Get("X-Acs-Accesskey-Id"))
				assert.Equal(t, token, r.header.Get("X-Acs-Security-Token"))
			} else {
				assert.Empty(t, r.header.Values("X-Acs-Security-Token"))
				assert.Empty(t, r.header.Values("X-Acs-Accesskey-Id"))
			}
			_, list, ok := strings.Cut(r.header.Get("Authorization"), ",SignedHeaders=")
			require.True(t, ok)
			list, _, _ = strings.Cut(list, ",")
			assert.ElementsMatch(t, signed, strings.Split(list, ";"))
			assert.IsIncreasing(t, strings.Split(list, ";"))
			assert.Equal(t, provider, r.header.Get("X-Acs-Credentials-Provider"))
			assert.Equal(t, "2021-02-04", r.header.Get("X-Acs-Version"))
			assert.Equal(t, "application/json", r.header.Get("Accept"))
			assert.True(t, strings.HasPrefix(r.header.Get("User-Agent"), "acsmembers-go/"+Version+" ("), r.header.Get("User-Agent"))
			for k, v := range r.header {
				assert.Len(t, v, 1, "header %s sent once", k)
			}
		}
	}
}

// TestSignedRequestHeaderValues: the request handed to the HTTPDoer carries
// its headers under canonical keys, so Header.Get finds them (users' mocks
// rely on it), and no Host entry (net/http sends r.Host).
func TestSignedRequestHeaderValues(t *testing.T) {
	var seen *http.Request
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		seen = r
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"RequestId":"R"}`))}, nil
	})
	c, _, _ := testClient(t, "http://example.test", func(cfg *Config) { cfg.HTTPClient = doer })
	require.NoError(t, c.Do(context.Background(), opCreate(), nil))
	require.NotNil(t, seen)
	for _, k := range []string{"Content-Type", "X-Acs-Action", "X-Acs-Content-Sha256", "X-Acs-Credentials-Provider", "X-Acs-Date", "X-Acs-Signature-Nonce", "X-Acs-Version", "Authorization", "Accept", "User-Agent"} {
		assert.NotEmpty(t, seen.Header.Get(k), k)
		assert.Contains(t, seen.Header, k, "stored under its canonical key")
	}
	assert.NotContains(t, seen.Header, "Host")
	assert.Equal(t, "example.test", seen.Host)
	assert.Equal(t, "CreateMember", seen.Header.Get("X-Acs-Action"))
	assert.Equal(t, signer.HashPayload([]byte(`{"Members":[{"Roles":["PAI.AlgoDeveloper"],"UserId":"u1"}]}`)), seen.Header.Get("X-Acs-Content-Sha256"))
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// TestPrepareURL: the URL carries the canonical path and query, which are
// also what gets signed.
func TestPrepareURL(t *testing.T) {
	c, _, _ := testClient(t, "http://example.test/base", nil)
	op := opGet()
	op.Query = []Param{{"Verbose", "true"}, {"Lang", "en"}}
	p, err := c.prepare(op)
	require.NoError(t, err)
	assert.Equal(t, "http://example.test/base/api/v1/workspaces/ws%201%2Fx/members/m-1?Lang=en&Verbose=true", p.url)
	assert.Equal(t, "/base/api/v1/workspaces/ws%201%2Fx/members/m-1", p.uri)
	assert.Equal(t, "Lang=en&Verbose=true", p.query)
	assert.Nil(t, p.body)
	assert.Equal(t, signer.EmptyPayloadHash, p.payloadHash)
}

// TestPrepareForm: a Form is sent as url.Values.Encode writes it, which is
// the official client's body byte for byte (API.md §9's captured bodies).
func TestPrepareForm(t *testing.T) {
	c, _, _ := testClient(t, "http://example.test", nil)
	for _, tc := range []struct {
		form []Param
		want string
	}{
		{[]Param{{"UserId", "123"}, {"RoleCodes", `["role_project_dev","role_project_pe"]`}, {"ProjectId", "27"}},
			"ProjectId=27&RoleCodes=%5B%22role_project_dev%22%2C%22role_project_pe%22%5D&UserId=123"},
		{[]Param{{"ProjectId", "27"}, {"UserIds", `["123"]`}, {"RoleCodes", `["role_project_dev"]`}, {"PageNumber", "1"}, {"PageSize", "100"}},
			"PageNumber=1&PageSize=100&ProjectId=27&RoleCodes=%5B%22role_project_dev%22%5D&UserIds=%5B%22123%22%5D"},
		{[]Param{{"UserId", "a b&c=d"}}, "UserId=a+b%26c%3Dd"},
	} {
		p, err := c.prepare(&Operation{Name: "X", Method: http.MethodPost, Form: tc.form})
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(p.body))
		assert.Equal(t, formContentType, p.contentType)
		assert.Equal(t, signer.HashPayload([]byte(tc.want)), p.payloadHash)
		assert.Equal(t, "http://example.test/", p.url, "form parameters are not in the query")
	}
	_, err := c.prepare(&Operation{Name: "X", Method: http.MethodPost, Form: []Param{}, Body: struct{}{}})
	require.Error(t, err)
}
