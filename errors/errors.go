// Package errors holds the typed errors of acsmembers-go: APIError for what a
// service answered, ValidationError for requests rejected before anything was
// sent, and sentinels to match them with the standard errors.Is. Import it
// under another name, e.g. acserrors.
package errors

import (
	"encoding/json"
	stderrors "errors"
	"strconv"
	"strings"
	"time"

	"github.com/alibabacloud-go/tea/tea"
)

// Sentinels, matched through errors.Is by the service's error code (never by
// message or HTTP status, which differ between documentation pages).
var (
	ErrUserNotInProject       = stderrors.New("user is not in the project")
	ErrProjectNotFound        = stderrors.New("project does not exist")
	ErrConnectionNotFound     = stderrors.New("connection does not exist")
	ErrNotProjectOwnerOrAdmin = stderrors.New("caller is not a project owner or administrator")
	ErrUserNotInTenant        = stderrors.New("user is not in the tenant")
	ErrUserAlreadyInProject   = stderrors.New("user is already in the project")
	ErrMemberNotFound         = stderrors.New("workspace member not found")
	ErrWorkspaceNotFound      = stderrors.New("workspace not found")
	ErrOwnerNotDeletable      = stderrors.New("workspace owner cannot be deleted")
	ErrThrottled              = stderrors.New("request throttled")
	ErrAccessDenied           = stderrors.New("access denied")
	ErrInvalidCredentials     = stderrors.New("invalid credentials")
	ErrSignatureMismatch      = stderrors.New("signature does not match")
	ErrClockSkew              = stderrors.New("request timestamp expired: check the clock")
	ErrInvalidParameter       = stderrors.New("invalid parameter")
	ErrServiceUnavailable     = stderrors.New("service unavailable")

	// ErrMemberAlreadyExists matches a PAI CreateMember for a user who is
	// already a member of the workspace. PAI documents no code for this: its
	// API reference only points to the Error Center, and neither the official
	// Go SDK nor Terraform's alicloud_pai_workspace_member names one. It
	// matches the code the fake pai/paitest sends, MemberAlreadyExists, and
	// the dotted form Member.AlreadyExists; which code the live service sends
	// is unconfirmed.
	ErrMemberAlreadyExists = stderrors.New("user is already a member of the workspace")

	// ErrNoCredentials means the default credential chain found no
	// credentials in any of its sources (see signer.DefaultCredentials). It
	// comes from the SDK, not from a service, so no APIError matches it; a
	// call made with the default chain fails with an error that matches it.
	ErrNoCredentials = stderrors.New("no credentials found")
)

// byCode maps exact service codes to their sentinel; prefix rules are in Is.
var byCode = map[string]error{
	"Invalid.Tenant.UserNotInProject":             ErrUserNotInProject,
	"Invalid.Tenant.ProjectNotExists":             ErrProjectNotFound,
	"Invalid.Tenant.ConnectionNotExists":          ErrConnectionNotFound,
	"Invalid.Tenant.UserIsNotProjectOwnerOrAdmin": ErrNotProjectOwnerOrAdmin,
	"Invalid.Tenant.UserNotInTenant":              ErrUserNotInTenant,
	"Invalid.Tenant.UserAlreadyInProject":         ErrUserAlreadyInProject,
	"100600006":                                   ErrMemberNotFound,
	"100400008":                                   ErrWorkspaceNotFound,
	"100700008":                                   ErrWorkspaceNotFound,
	"100400027":                                   ErrWorkspaceNotFound,
	"100600017":                                   ErrOwnerNotDeletable,
	"Forbidden":                                   ErrAccessDenied,
	"Forbidden.RAM":                               ErrAccessDenied,
	"NoPermission":                                ErrAccessDenied,
	"InvalidAccessKeyId.NotFound":                 ErrInvalidCredentials,
	"InvalidAccessKeyId":                          ErrInvalidCredentials,
	"Forbidden.AccessKeyDisabled":                 ErrInvalidCredentials,
	"SignatureDoesNotMatch":                       ErrSignatureMismatch,
	"IncompleteSignature":                         ErrSignatureMismatch,
	"InvalidTimeStamp.Expired":                    ErrClockSkew,
	"InvalidParameter":                            ErrInvalidParameter,
	"MissingParameter":                            ErrInvalidParameter,
	"ServiceUnavailable":                          ErrServiceUnavailable,
	"InternalError":                               ErrServiceUnavailable,

	// PAI CreateMember of an existing member: see ErrMemberAlreadyExists.
	"MemberAlreadyExists":  ErrMemberAlreadyExists,
	"Member.AlreadyExists": ErrMemberAlreadyExists,

	// DataWorks 2024-05-18 GetProjectMember: Terraform's
	// alicloud_data_works_project_member treats these as "not a member"
	// (400010 reportedly with HTTP 403 once the user has left the tenant).
	// Unconfirmed against the live service.
	"1101080166": ErrUserNotInProject,
	"400010":     ErrUserNotInProject,
}

// AccessDeniedDetail is the RAM diagnosis a service attaches to a denial.
type AccessDeniedDetail struct {
	AuthAction               string
	PolicyType               string
	NoPermissionType         string
	AuthPrincipalType        string
	AuthPrincipalOwnerId     string
	AuthPrincipalDisplayName string
	EncodedDiagnosticMessage string
}

// APIError is a service's error answer: any 4xx or 5xx, or a 2xx whose body
// carries an error code. Code is empty when the body was not a recognisable
// error document; Message then says what arrived.
type APIError struct {
	Service, Operation string // "pai" or "dataworks"; e.g. "CreateMember"
	StatusCode         int
	Code, Message      string
	RequestID, HostID  string
	Recommend          string
	AccessDeniedDetail *AccessDeniedDetail // nil unless the service sent one
	RetryAfter         time.Duration       // from throttling headers, 0 if none

	// Body is the response body as received (up to the SDK's read limit).
	Body []byte
}

// Error reads like "pai GetMember: HTTP 404 100600006: member not found (request id 1A2B)".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Service)
	if e.Operation != "" {
		b.WriteByte(' ')
		b.WriteString(e.Operation)
	}
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Is matches the sentinels of this package by error code, and
// ErrServiceUnavailable also by any 5xx status.
func (e *APIError) Is(target error) bool {
	code := e.Code
	if s, ok := byCode[code]; ok && s == target {
		return true
	}
	switch target {
	case ErrThrottled:
		return strings.HasPrefix(code, "Throttling")
	case ErrAccessDenied:
		return code == "Invalid.Tenant.UserIsNotProjectOwnerOrAdmin"
	case ErrInvalidCredentials:
		return strings.HasPrefix(code, "InvalidSecurityToken.")
	case ErrInvalidParameter:
		return strings.HasPrefix(code, "Missing") || strings.HasPrefix(code, "InvalidParameter.")
	case ErrServiceUnavailable:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// As lets code written against the official SDKs keep working:
// errors.As(err, &sdkErr) with sdkErr *tea.SDKError receives the fields the
// official client would have filled.
func (e *APIError) As(target any) bool {
	p, ok := target.(**tea.SDKError)
	if !ok {
		return false
	}
	*p = e.SDKError()
	return true
}

// SDKError converts e to the official SDK's error type: Code, StatusCode,
// Message ("code: <status>, <message> request id: <id>"), Data (the error body
// as JSON, with statusCode added) and AccessDeniedDetail.
func (e *APIError) SDKError() *tea.SDKError {
	data := map[string]any{}
	if json.Unmarshal(e.Body, &data) != nil || len(data) == 0 {
		data = map[string]any{"Code": e.Code, "Message": e.Message, "RequestId": e.RequestID}
	}
	data["statusCode"] = e.StatusCode
	obj := map[string]any{
		"code":       e.Code,
		"statusCode": e.StatusCode,
		"message":    "code: " + strconv.Itoa(e.StatusCode) + ", " + e.Message + " request id: " + e.RequestID,
		"data":       data,
	}
	for _, k := range []string{"Description", "description"} {
		if d, ok := data[k].(string); ok {
			obj["description"] = d
			break
		}
	}
	for _, k := range []string{"AccessDeniedDetail", "accessDeniedDetail"} {
		if d, ok := data[k].(map[string]any); ok {
			obj["accessDeniedDetail"] = d
			break
		}
	}
	return tea.NewSDKError(obj)
}

// FieldError is one offending field of a request.
type FieldError struct {
	Field  string // Go field path, e.g. "Members[0].UserID"
	Reason string
}

// ValidationError rejects a request before any credential lookup or network
// I/O, listing every offending field. It matches ErrInvalidParameter.
type ValidationError struct {
	Service, Operation string
	Fields             []FieldError
}

// Error reads like "pai CreateMember: invalid request: WorkspaceID: required; Members: required".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString(e.Service)
	if e.Operation != "" {
		b.WriteByte(' ')
		b.WriteString(e.Operation)
	}
	b.WriteString(": invalid request")
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field)
		b.WriteString(": ")
		b.WriteString(f.Reason)
	}
	return b.String()
}

// Is makes every ValidationError match ErrInvalidParameter.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParameter }

// Add records an offending field.
func (e *ValidationError) Add(field, reason string) {
	e.Fields = append(e.Fields, FieldError{Field: field, Reason: reason})
}

// Err returns e when it has offending fields and nil otherwise, so a
// validator can build one unconditionally and return v.Err().
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}
