package internal

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
	"github.com/acsmembers/acsmembers-go/signer"
)

// Options is the shape of every service package's public Options; those
// convert to it directly, so the defaults below are written once.
type Options struct {
	Region      string
	Endpoint    string
	Credentials signer.CredentialsProvider
	HTTPClient  HTTPDoer
	MaxAttempts int
	Logger      *slog.Logger
	UserAgent   string
	// AttemptTimeout bounds one attempt whole; 0 means DefaultAttemptTimeout.
	AttemptTimeout time.Duration
}

// Service is what a service package knows about itself.
type Service struct {
	Name    string                     // "pai"
	Version string                     // API version
	Host    func(region string) string // public host for a region
}

// RegionEnv is read when Options.Region is empty.
const RegionEnv = "ALIBABA_CLOUD_REGION_ID"

// NewClient applies the documented defaults (region from the environment,
// the public endpoint for it, the credentials-go default chain) and builds a
// Client for s.
func NewClient(s Service, o Options) (*Client, error) {
	endpoint := o.Endpoint
	if endpoint == "" {
		region := o.Region
		if region == "" {
			region = os.Getenv(RegionEnv)
		}
		if region == "" {
			return nil, fmt.Errorf("%s: no Region or Endpoint set (and %s is empty)", s.Name, RegionEnv)
		}
		if !validRegion(region) {
			return nil, fmt.Errorf("%s: region %q is not a region ID such as cn-hangzhou", s.Name, region)
		}
		endpoint = "https://" + s.Host(region)
	}
	creds := o.Credentials
	if creds == nil {
		var err error
		if creds, err = signer.DefaultCredentials(); err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	return New(Config{
		Service: s.Name, Version: s.Version, Endpoint: endpoint, Credentials: creds,
		HTTPClient: o.HTTPClient, MaxAttempts: o.MaxAttempts, Logger: o.Logger, UserAgent: o.UserAgent,
		AttemptTimeout: o.AttemptTimeout,
	})
}

// validRegion keeps a region ID from smuggling anything into a host name.
func validRegion(r string) bool {
	if len(r) > 64 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Validator collects every offending field of a request.
type Validator struct{ acserrors.ValidationError }

// NewValidator starts validating a request of service's operation.
func NewValidator(service, operation string) *Validator {
	return &Validator{acserrors.ValidationError{Service: service, Operation: operation}}
}

// Validate checks a request of service's operation: a nil request is
// reported as such, otherwise check lists every offending field.
func Validate(service, operation string, isNil bool, check func(v *Validator)) error {
	v := NewValidator(service, operation)
	if isNil {
		v.Add("request", "required")
		return v.Err()
	}
	check(v)
	return v.Err()
}

// ID checks an identifier that may end up in a path segment or the query;
// see IDProblem.
func (v *Validator) ID(field, value string) {
	if reason := IDProblem(value); reason != "" {
		v.Add(field, reason)
	}
}

// IDProblem says what is wrong with an identifier, or "" when nothing is: it
// is required, valid UTF-8 with no control characters, and not "." or ".."
// (which a server normalising paths would treat as a directory step).
// Callers that build field names such as "Members[3].UserID" call it first so
// the name is only built for a bad value.
func IDProblem(value string) string {
	switch {
	case value == "":
		return "required"
	case value == "." || value == "..":
		return "must not be \".\" or \"..\""
	case !printable(value):
		return "must be valid UTF-8 without control characters"
	}
	return ""
}

// Positive checks a numeric ID.
func (v *Validator) Positive(field string, n int64) {
	if n <= 0 {
		v.Add(field, "must be positive")
	}
}

// Paging checks optional page parameters (0 means the service default).
func (v *Validator) Paging(number, size int, maxSize int) {
	if number < 0 {
		v.Add("PageNumber", "must not be negative")
	}
	if size < 0 || (maxSize > 0 && size > maxSize) {
		v.Add("PageSize", "must be between 0 and "+strconv.Itoa(maxSize))
	}
}

func printable(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// Err returns the validation error, or nil when every field was fine. It
// returns a copy so a Validator that found nothing never leaves the stack.
func (v *Validator) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	e := v.ValidationError
	return &e
}

// ParseTime reads the services' ISO 8601 UTC timestamps
// ("2021-01-21T17:12:35.232Z"); an empty or malformed value is the zero time
// rather than a failed call.
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{} // without building the parse error
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
