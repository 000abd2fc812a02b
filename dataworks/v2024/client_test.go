package v2024

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

// New finds the host as dataworks.New does, and a Client prints without
// its credentials.
func TestNewEndpointFromRegion(t *testing.T) {
	for region, host := range map[string]string{
		"cn-shanghai":    "https://dataworks.cn-shanghai.aliyuncs.com",
		"cn-zhangjiakou": "https://dataworks.aliyuncs.com",
	} {
		c, err := New(Options{Region: region, Credentials: signer.StaticCredentials("ak", "secret", "")})
		require.NoError(t, err)
		s := fmt.Sprintf("%v %+v %#v", c, c, c)
		assert.Contains(t, s, "v2024.Client{")
		assert.Contains(t, s, host)
		assert.NotContains(t, s, "secret")
	}
}

func TestNewRefusesBadRegions(t *testing.T) {
	t.Setenv(internal.RegionEnv, "")
	_, err := New(Options{Credentials: signer.StaticCredentials("ak", "secret", "")})
	assert.ErrorContains(t, err, "no Region or Endpoint")
	_, err = New(Options{Region: "evil.com/x", Credentials: signer.StaticCredentials("ak", "secret", "")})
	assert.ErrorContains(t, err, "not a region ID")
}

func TestAPIVersion(t *testing.T) {
	assert.Equal(t, "2024-05-18", APIVersion)
	assert.Equal(t, APIVersion, service.Version)
	assert.Equal(t, "dataworks", service.Name)
}
