// Package v2024 manages the members of Alibaba Cloud DataWorks projects
// through the DataWorks API 2024-05-18, the version current tools use. It
// reads one member directly (GetProjectMember), grants and revokes several
// roles in one call, and creates a member with all their roles at once.
//
// Import it under a name that says the version, as Kubernetes API packages
// are imported:
//
//	import dw2024 "github.com/acsmembers/acsmembers-go/dataworks/v2024"
//
//	client, err := dw2024.New(dw2024.Options{Region: "cn-shanghai"})
//
// Role codes are dataworks.RoleCode, one type for both API versions, and a
// member added through package dataworks (2020-05-18) is the same member
// here: DataWorks is one service with two API versions.
//
// Every call is validated before anything is sent, signed with
// ACS3-HMAC-SHA256, retried when that is safe, and answered with typed values
// or a typed error from package errors, exactly as in package dataworks.
// Parameters travel as a form-encoded body, byte for byte as Alibaba's
// official client sends them.
package v2024

import (
	"fmt"

	"github.com/acsmembers/acsmembers-go/dataworks"
	"github.com/acsmembers/acsmembers-go/internal"
)

// APIVersion is the DataWorks API version this package speaks.
const APIVersion = "2024-05-18"

// Options configures a Client: the same options as package dataworks, so one
// value can configure a client of either version.
type Options = dataworks.Options

// Client calls the DataWorks 2024-05-18 member API. It is safe for
// concurrent use.
type Client struct {
	core *internal.Client
}

// service names the errors "dataworks", as package dataworks does: it is the
// same service, only the version differs.
var service = internal.Service{Name: "dataworks", Version: APIVersion, Host: dataworks.Host}

// New returns a Client for opts. Region, Endpoint and every default behave
// as in dataworks.New.
func New(opts Options) (*Client, error) {
	core, err := internal.NewClient(service, internal.Options(opts))
	if err != nil {
		return nil, err
	}
	return &Client{core: core}, nil
}

// Format keeps %v of a Client short and free of credentials.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "v2024.Client{%v}", c.core) }

// ThrottledCount returns how many throttled answers (Throttling.* codes or
// HTTP 429) this Client has received since New, retried attempts included:
// a measure of how hard a workload pushes the service's rate limit. After
// the first one the Client paces itself (see the package documentation).
func (c *Client) ThrottledCount() int { return c.core.ThrottledCount() }
