package fake

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// NewKeyPair returns a random key pair shaped like Alibaba Cloud's
// (an "LTAI" AccessKeyId and a 30-character secret).
func NewKeyPair() KeyPair {
	return KeyPair{
		AccessKeyID:     "LTAIfake" + randomHex(8),
		AccessKeySecret: randomHex(15),
	}
}

// NewRequestID returns a RequestId as the services write them: an upper-case
// random UUID.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return strings.ToUpper(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
