package dataworks

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/signer"
)

func TestHost(t *testing.T) {
	for region, want := range map[string]string{
		"cn-shanghai":    "dataworks.cn-shanghai.aliyuncs.com",
		"ap-southeast-1": "dataworks.ap-southeast-1.aliyuncs.com",
		"cn-zhangjiakou": "dataworks.aliyuncs.com",
		"cn-qingdao":     "dataworks.aliyuncs.com",
		"cn-huhehaote":   "dataworks.aliyuncs.com",
	} {
		assert.Equal(t, want, Host(region), region)
	}
}

func TestNewEndpointFromRegion(t *testing.T) {
	c, err := New(Options{Region: "cn-qingdao", Credentials: signer.StaticCredentials("ak", "secret", "")})
	require.NoError(t, err)
	s := fmt.Sprintf("%v %+v %#v", c, c, c)
	assert.Contains(t, s, "https://dataworks.aliyuncs.com")
	assert.NotContains(t, s, "secret")
}
