// Package compat holds tests, and nothing else, that check acsmembers-go
// against Alibaba Cloud's official Go stack (darabonba-openapi/v2 with
// credentials-go and tea): the same logical request must reach the server as
// the same method, path, query, body and signed x-acs headers, and ACS3
// signatures made by both must agree.
//
// It is a separate module so the main module never depends on the official
// stack; run it with `cd compat && go test ./...`.
package compat
