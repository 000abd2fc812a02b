package errors_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/alibabacloud-go/tea/tea"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	acserrors "github.com/acsmembers/acsmembers-go/errors"
)

var allSentinels = []error{
	acserrors.ErrUserNotInProject, acserrors.ErrProjectNotFound, acserrors.ErrConnectionNotFound,
	acserrors.ErrNotProjectOwnerOrAdmin, acserrors.ErrUserNotInTenant, acserrors.ErrUserAlreadyInProject,
	acserrors.ErrMemberNotFound, acserrors.ErrWorkspaceNotFound, acserrors.ErrOwnerNotDeletable,
	acserrors.ErrThrottled, acserrors.ErrAccessDenied, acserrors.ErrInvalidCredentials,
	acserrors.ErrSignatureMismatch, acserrors.ErrClockSkew, acserrors.ErrInvalidParameter,
	acserrors.ErrServiceUnavailable, acserrors.ErrMemberAlreadyExists, acserrors.ErrNoCredentials,
}

// Every row of the DESIGN.md table: the code (at a 4xx status) matches exactly the listed sentinels.
func TestSentinelsByCode(t *testing.T) {
	cases := map[string][]error{
		"Invalid.Tenant.UserNotInProject":             {acserrors.ErrUserNotInProject},
		"Invalid.Tenant.ProjectNotExists":             {acserrors.ErrProjectNotFound},
		"Invalid.Tenant.ConnectionNotExists":          {acserrors.ErrConnectionNotFound},
		"Invalid.Tenant.UserIsNotProjectOwnerOrAdmin": {acserrors.ErrNotProjectOwnerOrAdmin, acserrors.ErrAccessDenied},
		"Invalid.Tenant.UserNotInTenant":              {acserrors.ErrUserNotInTenant},
		"Invalid.Tenant.UserAlreadyInProject":         {acserrors.ErrUserAlreadyInProject},
		"100600006":                                   {acserrors.ErrMemberNotFound},
		"100400008":                                   {acserrors.ErrWorkspaceNotFound},
		"100700008":                                   {acserrors.ErrWorkspaceNotFound},
		"100400027":                                   {acserrors.ErrWorkspaceNotFound},
		"100600017":                                   {acserrors.ErrOwnerNotDeletable},
		"Throttling":                                  {acserrors.ErrThrottled},
		"Throttling.User":                             {acserrors.ErrThrottled},
		"Throttling.Api":                              {acserrors.ErrThrottled},
		"Throttling.Concurrency":                      {acserrors.ErrThrottled},
		"Forbidden":                                   {acserrors.ErrAccessDenied},
		"Forbidden.RAM":                               {acserrors.ErrAccessDenied},
		"NoPermission":                                {acserrors.ErrAccessDenied},
		"InvalidAccessKeyId.NotFound":                 {acserrors.ErrInvalidCredentials},
		"InvalidAccessKeyId":                          {acserrors.ErrInvalidCredentials},
		"Forbidden.AccessKeyDisabled":                 {acserrors.ErrInvalidCredentials},
		"InvalidSecurityToken.Expired":                {acserrors.ErrInvalidCredentials},
		"InvalidSecurityToken.MismatchWithAccessKey":  {acserrors.ErrInvalidCredentials},
		"SignatureDoesNotMatch":                       {acserrors.ErrSignatureMismatch},
		"IncompleteSignature":                         {acserrors.ErrSignatureMismatch},
		"InvalidTimeStamp.Expired":                    {acserrors.ErrClockSkew},
		"InvalidParameter":                            {acserrors.ErrInvalidParameter},
		"MissingParameter":                            {acserrors.ErrInvalidParameter},
		"MissingUserId":                               {acserrors.ErrInvalidParameter},
		"ServiceUnavailable":                          {acserrors.ErrServiceUnavailable},
		"InternalError":                               {acserrors.ErrServiceUnavailable},
		"MemberAlreadyExists":                         {acserrors.ErrMemberAlreadyExists},
		"Member.AlreadyExists":                        {acserrors.ErrMemberAlreadyExists},
		"1101080166":                                  {acserrors.ErrUserNotInProject},
		"400010":                                      {acserrors.ErrUserNotInProject},
		"SomethingElse":                               nil,
		"":                                            nil,
	}
	for code, want := range cases {
		for _, status := range []int{400, 403} {
			err := fmt.Errorf("wrapped: %w", &acserrors.APIError{Service: "dataworks", StatusCode: status, Code: code})
			for _, s := range allSentinels {
				assert.Equal(t, contains(want, s), errors.Is(err, s), "code %q status %d sentinel %v", code, status, s)
			}
		}
	}
}

func contains(list []error, e error) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

// Codes that resemble a mapped one match nothing: matching is exact, so a
// guess at an undocumented code never captures a neighbour.
func TestSentinelsNearMisses(t *testing.T) {
	for _, code := range []string{
		"memberalreadyexists", "MEMBERALREADYEXISTS", "MemberAlreadyExist", "MemberAlreadyExists.Foo",
		"Member.AlreadyExist", "Member.AlreadyExists.Foo", "AlreadyExists", "Member", "UserAlreadyExists",
		"1101080167", "11010801660", "101080166", "400011", "4000100", "40001", " 400010", "400010 ",
	} {
		err := fmt.Errorf("wrapped: %w", &acserrors.APIError{Service: "dataworks", StatusCode: 400, Code: code})
		for _, s := range allSentinels {
			assert.NotErrorIs(t, err, s, "code %q", code)
		}
	}
	// The PAI fake's answer to a CreateMember of an existing member.
	err := &acserrors.APIError{Service: "pai", Operation: "CreateMember", StatusCode: 400, Code: "MemberAlreadyExists"}
	assert.ErrorIs(t, err, acserrors.ErrMemberAlreadyExists)
	assert.NotErrorIs(t, err, acserrors.ErrUserAlreadyInProject, "DataWorks' sentinel stays separate")
	// DataWorks 2024 sends 400010 as 403 once the user left the tenant.
	assert.ErrorIs(t, &acserrors.APIError{Service: "dataworks", StatusCode: 403, Code: "400010"}, acserrors.ErrUserNotInProject)
}

// ErrNoCredentials comes from the SDK's credential chain, never from a
// service answer, and survives the pipeline's %w wrapping.
func TestNoCredentials(t *testing.T) {
	err := fmt.Errorf("pai GetMember: after 1 attempt(s): credentials: %w",
		fmt.Errorf("default credential chain: %w: environment: not set", acserrors.ErrNoCredentials))
	assert.ErrorIs(t, err, acserrors.ErrNoCredentials)
	assert.NotErrorIs(t, err, acserrors.ErrInvalidCredentials)
	assert.NotErrorIs(t, &acserrors.APIError{StatusCode: 401, Code: "NoCredentials"}, acserrors.ErrNoCredentials)
}

func TestServiceUnavailableByStatus(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		assert.ErrorIs(t, &acserrors.APIError{StatusCode: status}, acserrors.ErrServiceUnavailable)
	}
	assert.NotErrorIs(t, &acserrors.APIError{StatusCode: 404}, acserrors.ErrServiceUnavailable)
	// Matching is by code, never by message.
	assert.NotErrorIs(t, &acserrors.APIError{StatusCode: 400, Message: "Throttling"}, acserrors.ErrThrottled)
}

func TestAPIErrorMessage(t *testing.T) {
	e := &acserrors.APIError{Service: "pai", Operation: "GetMember", StatusCode: 404, Code: "100600006", Message: "member not found", RequestID: "RID"}
	assert.Equal(t, "pai GetMember: HTTP 404 100600006: member not found (request id RID)", e.Error())
	assert.Equal(t, "pai: HTTP 502", (&acserrors.APIError{Service: "pai", StatusCode: 502}).Error())
}

func TestAPIErrorAsTeaSDKError(t *testing.T) {
	body := `{"RequestId":"RID","Code":"Forbidden.RAM","Message":"denied","AccessDeniedDetail":{"AuthAction":"paiworkspace:CreateMember"}}`
	var err error = fmt.Errorf("wrapped: %w", &acserrors.APIError{Service: "pai", StatusCode: 403, Code: "Forbidden.RAM",
		Message: "denied", RequestID: "RID", Body: []byte(body)})
	var sdkErr *tea.SDKError
	require.True(t, errors.As(err, &sdkErr))
	assert.Equal(t, "Forbidden.RAM", tea.StringValue(sdkErr.Code))
	assert.Equal(t, 403, tea.IntValue(sdkErr.StatusCode))
	assert.Equal(t, "code: 403, denied request id: RID", tea.StringValue(sdkErr.Message))
	assert.JSONEq(t, `{"RequestId":"RID","Code":"Forbidden.RAM","Message":"denied","statusCode":403,"AccessDeniedDetail":{"AuthAction":"paiworkspace:CreateMember"}}`, tea.StringValue(sdkErr.Data))
	assert.Equal(t, "paiworkspace:CreateMember", sdkErr.AccessDeniedDetail["AuthAction"])
	assert.Contains(t, sdkErr.Error(), "Forbidden.RAM")

	// A non-JSON body still gives a usable SDKError.
	err = &acserrors.APIError{Service: "pai", StatusCode: 502, Message: "<html>bad gateway</html>"}
	require.True(t, errors.As(err, &sdkErr))
	assert.Equal(t, 502, tea.IntValue(sdkErr.StatusCode))
	assert.Contains(t, tea.StringValue(sdkErr.Message), "bad gateway")
}

func TestValidationError(t *testing.T) {
	v := &acserrors.ValidationError{Service: "pai", Operation: "CreateMember"}
	require.NoError(t, v.Err())
	v.Add("WorkspaceID", "required")
	v.Add("Members", "at least one member is required")
	err := fmt.Errorf("x: %w", v.Err())
	assert.ErrorIs(t, err, acserrors.ErrInvalidParameter)
	assert.NotErrorIs(t, err, acserrors.ErrThrottled)
	assert.Equal(t, "pai CreateMember: invalid request: WorkspaceID: required; Members: at least one member is required", v.Error())
	var ve *acserrors.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Len(t, ve.Fields, 2)
}
