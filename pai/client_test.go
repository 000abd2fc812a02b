package pai

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHost(t *testing.T) {
	for region, want := range map[string]string{
		"cn-hangzhou":    "aiworkspace.cn-hangzhou.aliyuncs.com",
		"ap-southeast-1": "aiworkspace.ap-southeast-1.aliyuncs.com",
		"ap-southeast-5": "aiworkspace.ap-southeast-5.aliyuncs.com", // public, not the official SDK's VPC host
		"cn-qingdao":     "aiworkspace.aliyuncs.com",
		"eu-west-1":      "aiworkspace.aliyuncs.com",
	} {
		assert.Equal(t, want, Host(region), region)
	}
}

func TestNewEndpointFromRegion(t *testing.T) {
	c, err := New(Options{Region: "cn-shanghai", Credentials: noIO{t}})
	assert.NoError(t, err)
	assert.Equal(t, "pai.Client{internal.Client{service: pai, endpoint: https://aiworkspace.cn-shanghai.aliyuncs.com}}", fmt.Sprint(c))

	_, err = New(Options{Region: "cn-shanghai.evil.example/", Credentials: noIO{t}})
	assert.ErrorContains(t, err, "not a region ID")
}
