package internal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

// FuzzDecodeResponse sends arbitrary replies (status, content type, request
// ID header, body) through the pipeline's decode path. Whatever arrives, the
// pipeline must not panic, every non-2xx must be an *APIError carrying the
// status, an APIError's Message must be one line of valid UTF-8, and a
// success must come from a well-formed JSON document.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(404, "application/json", "", []byte(`{"RequestId":"R","Code":"100600006","Message":"member not found"}`), false)
	f.Add(400, "text/xml", "hdr", []byte(`<Error><Code>Throttling.User</Code><Message>slow</Message><RequestId>X</RequestId></Error>`), false)
	f.Add(502, "text/html", "", []byte("<html>\n<h1>502 Bad Gateway</h1>\n</html>"), false)
	f.Add(200, "application/json", "", []byte(`{"RequestId":"R","Code":"100600017","Message":"owner"}`), true)
	f.Add(200, "application/json", "", []byte(`{"RequestId":"R","Value":"ok"}`), false)
	f.Add(200, "", "", []byte(`{"RequestId":"R","Value":`), false)
	f.Add(500, "", "", []byte{}, false)
	f.Add(403, "application/json", "", []byte(`{"Code":"Forbidden.RAM","Message":"a\nb","AccessDeniedDetail":{"AuthAction":"x"}}`), false)

	f.Fuzz(func(t *testing.T, code int, contentType, requestID string, body []byte, errorInBody bool) {
		if code < 100 || code > 599 {
			code = 100 + (code%500+500)%500
		}
		h := http.Header{}
		if contentType != "" {
			h["Content-Type"] = []string{contentType}
		}
		if requestID != "" {
			h["X-Acs-Request-Id"] = []string{requestID}
		}
		c, _, _ := testClient(t, "http://127.0.0.1:1", func(cfg *Config) {
			cfg.MaxAttempts = 1
			cfg.HTTPClient = respDoer(func(r *http.Request) (*http.Response, error) {
				return cannedResponse(r, code, h, bytes.NewReader(body)), nil
			})
		})
		op := opGet()
		op.ErrorInBody = errorInBody
		var out reply
		err := c.Do(context.Background(), op, &out)

		success := code >= 200 && code <= 299
		if !success && err == nil {
			t.Fatalf("status %d gave no error", code)
		}
		if err == nil {
			if !json.Valid(body) {
				t.Fatalf("status %d with an invalid JSON body %q succeeded", code, body)
			}
			return
		}
		if !strings.Contains(err.Error(), "pai GetMember") {
			t.Fatalf("error does not name the operation: %v", err)
		}
		var apiErr *acserrors.APIError
		if !errors.As(err, &apiErr) {
			if !success {
				t.Fatalf("status %d: not an *APIError: %v", code, err)
			}
			return
		}
		if apiErr.StatusCode != code {
			t.Fatalf("StatusCode %d, sent %d", apiErr.StatusCode, code)
		}
		if !utf8.ValidString(apiErr.Message) {
			t.Fatalf("Message is not valid UTF-8: %q", apiErr.Message)
		}
		if strings.ContainsAny(apiErr.Message, "\r\n") {
			t.Fatalf("Message is not one line: %q", apiErr.Message)
		}
		if len(apiErr.Message) > maxMessageBytes {
			t.Fatalf("Message of %d bytes: %q", len(apiErr.Message), apiErr.Message)
		}
		if len(apiErr.Body) > max(maxErrorBodyBytes, len(body)) {
			t.Fatalf("Body of %d bytes kept", len(apiErr.Body))
		}
	})
}
