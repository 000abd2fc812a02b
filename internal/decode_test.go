package internal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// respDoer answers every request with fn's response, without any network:
// for bodies no real server would send, and for sizes not worth sending.
type respDoer func(*http.Request) (*http.Response, error)

func (f respDoer) Do(r *http.Request) (*http.Response, error) { return f(r) }

// cannedResponse is a response to r with the given status, headers and body.
func cannedResponse(r *http.Request, code int, h http.Header, body io.Reader) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	rc, ok := body.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(body)
	}
	return &http.Response{
		Status: http.StatusText(code), StatusCode: code, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: rc, ContentLength: -1, Request: r,
	}
}

// maxMessageBytes bounds an APIError.Message that describes a body: the
// longest status line, a content type cut to maxContentTypeLen, a snippet
// cut to maxMessageLen (each may overrun by one rune and an ellipsis) and a
// "(truncated)" note.
const maxMessageBytes = 420

// requireShortLine fails unless msg is one short line of printable UTF-8.
func requireShortLine(t testing.TB, msg string) {
	t.Helper()
	require.True(t, utf8.ValidString(msg), "message is not valid UTF-8: %.300q", msg)
	require.LessOrEqual(t, len(msg), maxMessageBytes, "message too long: %.300q", msg)
	for _, r := range msg {
		require.False(t, unicode.IsControl(r), "control character %U in message %q", r, msg)
	}
}

// callFor runs opGet once against a fault server answering with code, body
// and extra headers, and returns the error.
func callFor(t *testing.T, code int, h http.Header, body string) error {
	t.Helper()
	fs := newFaultServer(t, fault{kind: status, code: code, body: body, header: h})
	c, _, doer := testClient(t, fs.URL, func(cfg *Config) { cfg.MaxAttempts = 1 })
	var out reply
	err := c.Do(context.Background(), opGet(), &out)
	require.Error(t, err)
	assert.Equal(t, 1, int(doer.n.Load()))
	assert.Empty(t, out.Value, "an error must not fill the response")
	fs.requireSigned(t)
	return err
}

// callDirect runs opGet once against a respDoer answering with code, headers
// and body, and returns the error.
func callDirect(t *testing.T, code int, h http.Header, body []byte) error {
	t.Helper()
	c, _, _ := testClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.MaxAttempts = 1
		cfg.HTTPClient = respDoer(func(r *http.Request) (*http.Response, error) {
			return cannedResponse(r, code, h.Clone(), bytes.NewReader(body)), nil
		})
	})
	var out reply
	err := c.Do(context.Background(), opGet(), &out)
	require.Error(t, err)
	assert.Empty(t, out.Value, "an error must not fill the response")
	return err
}

// TestDecodeErrorBodies feeds every kind of non-2xx body the gateways and
// proxies in front of the services are known to send (and a few hostile ones)
// through the pipeline: each must come back as an *APIError with the status,
// the code where the body had one, and a one-line message.
func TestDecodeErrorBodies(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	garbage := make([]byte, 512)
	for i := range garbage {
		garbage[i] = byte(i*131 + 7)
	}
	cases := []struct {
		name      string
		code      int
		header    http.Header
		body      string
		wantCode  string
		wantMsg   string   // exact, when set
		msgHas    []string // substrings of Message
		requestID string
		hostID    string
		recommend string
		denied    *acserrors.AccessDeniedDetail
		sentinel  error
		direct    bool // answer without a server, with exactly these headers
	}{
		{
			name: "JSON error document, code as string", code: 404,
			body:     `{"RequestId":"R-404","HostId":"aiworkspace.cn-hangzhou.aliyuncs.com","Code":"100600006","Message":"member not found","Recommend":"https://api.aliyun.com/troubleshoot?q=100600006"}`,
			wantCode: "100600006", wantMsg: "member not found", requestID: "R-404",
			hostID: "aiworkspace.cn-hangzhou.aliyuncs.com", recommend: "https://api.aliyun.com/troubleshoot?q=100600006",
			sentinel: acserrors.ErrMemberNotFound,
		},
		{
			name: "JSON error document, code as number", code: 404,
			body:     `{"RequestId":"R-num","Code":100400008,"Message":"workspace not found"}`,
			wantCode: "100400008", wantMsg: "workspace not found", requestID: "R-num",
			sentinel: acserrors.ErrWorkspaceNotFound,
		},
		{
			name: "lower-case keys", code: 400,
			body:     `{"requestId":"r-lower","code":"Invalid.Tenant.UserNotInProject","message":"user not in project","hostId":"dataworks.aliyuncs.com"}`,
			wantCode: "Invalid.Tenant.UserNotInProject", wantMsg: "user not in project", requestID: "r-lower",
			hostID: "dataworks.aliyuncs.com", sentinel: acserrors.ErrUserNotInProject,
		},
		{
			name: "access denied detail", code: 403,
			body: `{"RequestId":"R-403","Code":"Forbidden.RAM","Message":"User not authorized to operate on the specified resource.",` +
				`"AccessDeniedDetail":{"AuthAction":"paiworkspace:CreateMember","PolicyType":"AccountLevelIdentityBasedPolicy",` +
				`"NoPermissionType":"ImplicitDeny","AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"1234",` +
				`"AuthPrincipalDisplayName":"dev@example","EncodedDiagnosticMessage":"AQEAAAAAaGVsbG8="}}`,
			wantCode: "Forbidden.RAM", wantMsg: "User not authorized to operate on the specified resource.", requestID: "R-403",
			denied: &acserrors.AccessDeniedDetail{
				AuthAction: "paiworkspace:CreateMember", PolicyType: "AccountLevelIdentityBasedPolicy",
				NoPermissionType: "ImplicitDeny", AuthPrincipalType: "SubUser", AuthPrincipalOwnerId: "1234",
				AuthPrincipalDisplayName: "dev@example", EncodedDiagnosticMessage: "AQEAAAAAaGVsbG8=",
			},
			sentinel: acserrors.ErrAccessDenied,
		},
		{
			name: "access denied detail that is not an object is ignored", code: 403,
			body:     `{"RequestId":"R-403b","Code":"NoPermission","Message":"no","AccessDeniedDetail":"see console"}`,
			wantCode: "NoPermission", wantMsg: "no", requestID: "R-403b", sentinel: acserrors.ErrAccessDenied,
		},
		{
			name: "XML error document", code: 400, header: hdr("Content-Type", "text/xml;charset=utf-8"),
			body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <RequestId>X-1</RequestId>\n  <HostId>dataworks.cn-shanghai.aliyuncs.com</HostId>\n" +
				"  <Code> InvalidTimeStamp.Expired </Code>\n  <Message>Specified time stamp or date value is expired.</Message>\n  <Recommend>sync the clock</Recommend>\n</Error>\n",
			wantCode: "InvalidTimeStamp.Expired", wantMsg: "Specified time stamp or date value is expired.", requestID: "X-1",
			hostID: "dataworks.cn-shanghai.aliyuncs.com", recommend: "sync the clock", sentinel: acserrors.ErrClockSkew,
		},
		{
			name: "HTML page from a proxy, request id from the header", code: 502,
			header:    hdr("Content-Type", "text/html", "X-Acs-Request-Id", "hdr-502"),
			body:      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
			msgHas:    []string{"HTTP 502 Bad Gateway", "text/html", "<title>502 Bad Gateway</title>"},
			requestID: "hdr-502", sentinel: acserrors.ErrServiceUnavailable,
		},
		{
			name: "empty body", code: 500, header: hdr("X-Acs-Request-Id", "hdr-500"),
			wantMsg: "HTTP 500 Internal Server Error with an empty body (application/json;charset=utf-8)", requestID: "hdr-500",
			sentinel: acserrors.ErrServiceUnavailable,
		},
		{
			name: "whitespace body, no content type", code: 503, header: http.Header{}, direct: true,
			body:    " \r\n\t ",
			wantMsg: "HTTP 503 Service Unavailable with an empty body (no content type)", sentinel: acserrors.ErrServiceUnavailable,
		},
		{
			name: "truncated JSON", code: 400,
			body:   `{"RequestId":"R-cut","Code":"InvalidParameter","Mess`,
			msgHas: []string{"HTTP 400 Bad Request with an unexpected body", `{"RequestId":"R-cut","Code":"InvalidParameter","Mess`},
		},
		{
			name: "oversized error body", code: 400,
			body:   `{"RequestId":"R-big","Code":"InvalidParameter","Message":"` + long + `"}`,
			msgHas: []string{"HTTP 400 Bad Request with an unexpected body", `{"RequestId":"R-big"`, "…", "(truncated)"},
		},
		{
			name: "binary garbage", code: 500, header: hdr("Content-Type", "application/octet-stream"),
			body:     string(garbage),
			msgHas:   []string{"HTTP 500 Internal Server Error with an unexpected body (application/octet-stream)", "\uFFFD", "…"},
			sentinel: acserrors.ErrServiceUnavailable,
		},
		{
			name: "JSON array", code: 400,
			body:   `[{"Code":"InvalidParameter","Message":"bad"}]`,
			msgHas: []string{"HTTP 400 Bad Request with an unexpected body", `[{"Code":"InvalidParameter","Message":"bad"}]`},
		},
		{
			name: "JSON null", code: 404, header: hdr("X-Acs-Request-Id", "hdr-null"),
			body:    "null",
			wantMsg: "HTTP 404 Not Found with an unexpected body (application/json;charset=utf-8): null", requestID: "hdr-null",
		},
		{
			name: "JSON object without code or message", code: 409,
			body:      `{"RequestId":"R-409","Data":{}}`,
			msgHas:    []string{"HTTP 409 Conflict with an unexpected body", `{"RequestId":"R-409","Data":{}}`},
			requestID: "R-409",
		},
		{
			name: "body request id wins over the header", code: 400, header: hdr("X-Acs-Request-Id", "hdr-rid"),
			body:     `{"RequestId":"body-rid","Code":"MissingUserId","Message":"UserId is mandatory for this action."}`,
			wantCode: "MissingUserId", wantMsg: "UserId is mandatory for this action.", requestID: "body-rid",
			sentinel: acserrors.ErrInvalidParameter,
		},
		{
			name: "multi-line, very long message of a JSON document", code: 400,
			body:     `{"RequestId":"R-long","Code":"InvalidParameter","Message":"line one\nline two\r\n` + strings.Repeat("é", 4000) + `"}`,
			wantCode: "InvalidParameter", msgHas: []string{"line one line two", "é", "…"}, requestID: "R-long",
			sentinel: acserrors.ErrInvalidParameter,
		},
		{
			name: "unknown status without text", code: 499, header: hdr("Content-Type", "text/plain"),
			body:   "client closed request",
			msgHas: []string{"HTTP 499 with an unexpected body (text/plain): client closed request"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.direct {
				err = callDirect(t, tc.code, tc.header, []byte(tc.body))
			} else {
				err = callFor(t, tc.code, tc.header, tc.body)
			}
			var apiErr *acserrors.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "pai", apiErr.Service)
			assert.Equal(t, "GetMember", apiErr.Operation)
			assert.Equal(t, tc.code, apiErr.StatusCode)
			assert.Equal(t, tc.wantCode, apiErr.Code)
			if tc.wantMsg != "" {
				assert.Equal(t, tc.wantMsg, apiErr.Message)
			}
			for _, s := range tc.msgHas {
				assert.True(t, strings.Contains(apiErr.Message, s), "message %.300q lacks %q", apiErr.Message, s)
			}
			requireShortLine(t, apiErr.Message)
			assert.NotContains(t, err.Error(), "\n")
			assert.Equal(t, tc.requestID, apiErr.RequestID)
			assert.Equal(t, tc.hostID, apiErr.HostID)
			assert.Equal(t, tc.recommend, apiErr.Recommend)
			assert.Equal(t, tc.denied, apiErr.AccessDeniedDetail)
			assert.LessOrEqual(t, len(apiErr.Body), maxErrorBodyBytes, "Body is kept up to the error read limit")
			if len(tc.body) <= maxErrorBodyBytes {
				assert.Equal(t, tc.body, string(apiErr.Body))
			}
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			if tc.wantCode == "" {
				// With no code only the status may classify the error.
				for _, s := range []error{acserrors.ErrInvalidParameter, acserrors.ErrThrottled, acserrors.ErrAccessDenied, acserrors.ErrMemberNotFound} {
					assert.NotErrorIs(t, err, s)
				}
			}
		})
	}
}

// TestDecodeOversizedErrorBodyIsCut checks the read limit of an error body
// itself: a body far larger than the limit is read only up to it.
func TestDecodeOversizedErrorBodyIsCut(t *testing.T) {
	src := &countingReader{fill: 'z'}
	c, _, _ := testClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.MaxAttempts = 1
		cfg.HTTPClient = respDoer(func(r *http.Request) (*http.Response, error) {
			return cannedResponse(r, 400, hdr("Content-Type", "text/plain"), src), nil
		})
	})
	err := c.Do(context.Background(), opGet(), nil)
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, maxErrorBodyBytes)
	assert.LessOrEqual(t, src.n, int64(maxErrorBodyBytes+1), "read no further than the limit")
	assert.True(t, strings.HasSuffix(apiErr.Message, "… (truncated)"), apiErr.Message)
	requireShortLine(t, apiErr.Message)
	assert.True(t, src.closed, "body closed")
}

// countingReader is an endless body of fill bytes that counts what was read.
type countingReader struct {
	prefix []byte
	fill   byte
	n      int64
	closed bool
}

func (r *countingReader) Read(p []byte) (int, error) {
	k := copy(p, r.prefix)
	r.prefix = r.prefix[k:]
	for i := k; i < len(p); i++ {
		p[i] = r.fill
	}
	r.n += int64(len(p))
	return len(p), nil
}

func (r *countingReader) Close() error { r.closed = true; return nil }

// TestDecodeBadSuccessBodies: a 2xx whose body is not a JSON document is an
// error naming the operation, never a half-filled response, and not retried.
func TestDecodeBadSuccessBodies(t *testing.T) {
	cases := []struct {
		name, body string
		errHas     []string
	}{
		{"invalid JSON", "<html>maintenance</html>", []string{"decode 200 response", "unexpected body", "<html>maintenance</html>", "invalid character"}},
		{"empty body", "", []string{"decode 200 response", "empty body", "unexpected end of JSON input"}},
		{"truncated JSON", `{"RequestId":"R-ok","Value":"ok"`, []string{"decode 200 response", `{"RequestId":"R-ok","Value":"ok"`, "unexpected end of JSON input"}},
		{"trailing garbage", `{"RequestId":"R-ok","Value":"ok"} trailing`, []string{"decode 200 response", "invalid character"}},
		{"wrong type", `{"RequestId":"R-ok","Value":42}`, []string{"decode 200 response", "cannot unmarshal number"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFaultServer(t, fault{kind: status, code: 200, body: tc.body})
			c, sl, doer := testClient(t, fs.URL, nil)
			out := reply{}
			err := c.Do(context.Background(), opGet(), &out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "pai GetMember")
			for _, s := range tc.errHas {
				assert.Contains(t, err.Error(), s)
			}
			var apiErr *acserrors.APIError
			assert.False(t, errors.As(err, &apiErr), "a broken 2xx is not a service error: %v", err)
			if tc.name != "wrong type" {
				// encoding/json checks the whole document before it fills
				// anything: nothing half-decoded reaches the caller.
				assert.Equal(t, reply{}, out)
			}
			assert.Equal(t, 1, int(doer.n.Load()), "not retried")
			assert.Empty(t, sl.got())
		})
	}
}

// TestDecodeOversizedSuccessBody: a 2xx body beyond MaxBodyBytes fails the
// call after reading just past the limit, and neither the error nor the
// buffer pool keeps the large buffer alive.
func TestDecodeOversizedSuccessBody(t *testing.T) {
	var src *countingReader
	c, _, _ := testClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.MaxAttempts = 1
		cfg.HTTPClient = respDoer(func(r *http.Request) (*http.Response, error) {
			src = &countingReader{prefix: []byte(`{"RequestId":"R","Value":"`), fill: 'a'}
			return cannedResponse(r, 200, hdr("Content-Type", "application/json"), src), nil
		})
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	var out reply
	err := c.Do(context.Background(), opGet(), &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pai GetMember")
	assert.Contains(t, err.Error(), "exceeds 8388608 bytes")
	assert.Equal(t, reply{}, out)
	assert.LessOrEqual(t, src.n, int64(MaxBodyBytes+1), "read no further than the limit")
	assert.True(t, src.closed)

	runtime.GC()
	runtime.ReadMemStats(&after)
	assert.Less(t, int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(2<<20), "the 8 MiB buffer must not stay reachable")
	runtime.KeepAlive(err)
}

// TestDecodeErrorInBody: DeleteMembers reports "owner not deletable" in a
// 2xx body; for operations marked ErrorInBody that is an APIError.
func TestDecodeErrorInBody(t *testing.T) {
	body := `{"RequestId":"R-17","Code":"100600017","Message":"The workspace owner cannot be deleted."}`
	del := func(inBody bool) *Operation {
		return &Operation{Name: "DeleteMembers", Method: http.MethodDelete, Path: []string{"api", "v1", "workspaces", "ws1", "members"},
			Query: []Param{{"MemberIds", "m-1,m-2"}}, ErrorInBody: inBody}
	}

	fs := newFaultServer(t, fault{kind: status, code: 200, body: body})
	c, _, doer := testClient(t, fs.URL, nil)
	var out reply
	err := c.Do(context.Background(), del(true), &out)
	require.ErrorIs(t, err, acserrors.ErrOwnerNotDeletable)
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, "100600017", apiErr.Code)
	assert.Equal(t, "The workspace owner cannot be deleted.", apiErr.Message)
	assert.Equal(t, "R-17", apiErr.RequestID)
	assert.Equal(t, "DeleteMembers", apiErr.Operation)
	assert.JSONEq(t, body, string(apiErr.Body))
	assert.Equal(t, "pai DeleteMembers: HTTP 200 100600017: The workspace owner cannot be deleted. (request id R-17)", err.Error())
	assert.Equal(t, 1, int(doer.n.Load()), "not retried")

	// Without out, the envelope is still read.
	require.ErrorIs(t, c.Do(context.Background(), del(true), nil), acserrors.ErrOwnerNotDeletable)

	// Other operations take a Code in a 2xx body as data.
	require.NoError(t, c.Do(context.Background(), del(false), &out))
	assert.Equal(t, "R-17", out.RequestID)

	// A 2xx without a code is a success for ErrorInBody operations too.
	fs2 := newFaultServer(t, fault{kind: status, code: 200, body: `{"RequestId":"R-ok","Code":""}`})
	c2, _, _ := testClient(t, fs2.URL, nil)
	out = reply{}
	require.NoError(t, c2.Do(context.Background(), del(true), &out))
	assert.Equal(t, "R-ok", out.RequestID)
}

// TestDecodeErrorInBodyNumericCode: PAI's codes are numbers in all but
// type, so a 2xx body carrying one as a JSON number is the same error.
func TestDecodeErrorInBodyNumericCode(t *testing.T) {
	fs := newFaultServer(t, fault{kind: status, code: 200, body: `{"RequestId":"R-n","Code":100600017,"Message":"Owner not allowed to delete"}`})
	c, _, _ := testClient(t, fs.URL, nil)
	op := &Operation{Name: "DeleteMembers", Method: http.MethodDelete, Path: []string{"api", "v1", "workspaces", "ws1", "members"},
		Query: []Param{{"MemberIds", "m-1"}}, ErrorInBody: true}
	err := c.Do(context.Background(), op, nil)
	require.ErrorIs(t, err, acserrors.ErrOwnerNotDeletable)
	assert.Equal(t, "pai DeleteMembers: HTTP 200 100600017: Owner not allowed to delete (request id R-n)", err.Error())
}

// TestDecodeHostileCodeAndRequestID: a code or request ID with line breaks,
// from the body or a header, cannot forge extra lines in logs or errors.
func TestDecodeHostileCodeAndRequestID(t *testing.T) {
	err := callDirect(t, 400, hdr("X-Acs-Request-Id", "r1\nFAKE LOG LINE"), []byte(`{"Code":"Bad\nCode","Message":"m"}`))
	requireShortLine(t, err.Error())
	var apiErr *acserrors.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Bad Code", apiErr.Code)
	assert.Equal(t, "r1 FAKE LOG LINE", apiErr.RequestID)
}

// TestDecodeTeaSDKErrorInterop: code written against the official SDKs
// unpacks a pipeline error with errors.As into *tea.SDKError, also when the
// APIError is wrapped by the retry loop.
func TestDecodeTeaSDKErrorInterop(t *testing.T) {
	err := callFor(t, 404, nil, `{"RequestId":"R-404","Code":"100600006","Message":"member not found"}`)
	var sdkErr *tea.SDKError
	require.ErrorAs(t, err, &sdkErr)
	assert.Equal(t, "100600006", tea.StringValue(sdkErr.Code))
	assert.Equal(t, 404, tea.IntValue(sdkErr.StatusCode))
	assert.Equal(t, "code: 404, member not found request id: R-404", tea.StringValue(sdkErr.Message))
	assert.JSONEq(t, `{"RequestId":"R-404","Code":"100600006","Message":"member not found","statusCode":404}`, tea.StringValue(sdkErr.Data))

	fs := newFaultServer(t, fault{kind: unavail})
	c, _, _ := testClient(t, fs.URL, nil)
	err = c.Do(context.Background(), opGet(), nil)
	require.ErrorContains(t, err, "(after 3 attempts)")
	sdkErr = nil
	require.ErrorAs(t, err, &sdkErr)
	assert.Equal(t, "ServiceUnavailable", tea.StringValue(sdkErr.Code))
	assert.Equal(t, 503, tea.IntValue(sdkErr.StatusCode))
	assert.Equal(t, "code: 503, The request has failed due to a temporary failure of the server. request id: req-3", tea.StringValue(sdkErr.Message))

	// An HTML error page still converts, with the description as message.
	err = callFor(t, 502, hdr("Content-Type", "text/html", "X-Acs-Request-Id", "hdr-1"), "<html>bad gateway</html>")
	sdkErr = nil
	require.ErrorAs(t, err, &sdkErr)
	assert.Equal(t, "", tea.StringValue(sdkErr.Code))
	assert.Equal(t, 502, tea.IntValue(sdkErr.StatusCode))
	assert.Equal(t, "code: 502, HTTP 502 Bad Gateway with an unexpected body (text/html): <html>bad gateway</html> request id: hdr-1", tea.StringValue(sdkErr.Message))
}
