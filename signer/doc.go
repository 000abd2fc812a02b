// Package signer signs Alibaba Cloud API requests with ACS3-HMAC-SHA256 and
// supplies the credentials to sign them with. Every service client of
// acsmembers-go (pai, dataworks, ...) signs through it, so the algorithm is
// written, and tested against the official vectors, once.
//
// Most users only choose credentials: they set Options.Credentials of a
// service client to StaticCredentials for a fixed AccessKey pair, to
// FromCredential for any github.com/aliyun/credentials-go credential (RAM
// role, OIDC, ...), or leave it nil for DefaultCredentials, the
// credentials-go default chain (environment variables, CLI profile,
// credentials file, ECS RAM role, ...). CacheCredentials reuses what a
// remote source hands out, with one fetch at a time; DefaultCredentials is
// already cached, and a failed lookup is never remembered.
//
//	client, err := pai.New(pai.Options{
//		Region:      "cn-hangzhou",
//		Credentials: signer.StaticCredentials(id, secret, ""),
//	})
//
// Signer and the canonicalisation functions are for code that builds its own
// requests; Credentials never prints its secret or token (see Credentials).
package signer
