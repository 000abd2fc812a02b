// Package dataworks manages the members of Alibaba Cloud DataWorks projects
// (DataWorks API 2020-05-18): who belongs to a project and with which RoleCode.
//
// Every call is validated before anything is sent, signed with
// ACS3-HMAC-SHA256, retried when that is safe, and answered with typed values
// or a typed error from package errors.
package dataworks

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

// APIVersion is the DataWorks API version this package speaks.
const APIVersion = "2020-05-18"

// HTTPDoer is anything with the method
//
//	Do(*http.Request) (*http.Response, error)
//
// such as *http.Client. Supply one in Options to add tracing, proxies or a
// test transport (gock, httptest). An *http.Client is used through a copy
// whose CheckRedirect refuses redirects (yours is not modified), and a 3xx
// from any HTTPDoer is an error: a signed request goes to the endpoint and
// nowhere else.
type HTTPDoer = internal.HTTPDoer

// Options configures a Client. Only Region (or Endpoint) is needed; every
// other field has a sensible default.
type Options struct {
	Region      string                     // e.g. "cn-shanghai"; empty: ALIBABA_CLOUD_REGION_ID
	Endpoint    string                     // full URL override, e.g. "http://127.0.0.1:8080"
	Credentials signer.CredentialsProvider // nil: signer.DefaultCredentials()
	HTTPClient  HTTPDoer                   // nil: pooled connections with connect, TLS and response-header timeouts; redirects are never followed
	MaxAttempts int                        // total attempts per call; 0: 3
	Logger      *slog.Logger               // nil: silent; Debug logs one line per attempt
	UserAgent   string                     // appended to the SDK's own User-Agent; New refuses control characters
	// AttemptTimeout bounds each attempt as a whole, from the first byte
	// sent to the last byte of the reply read, so a server that trickles
	// its headers or body cannot hold a call; 0: 60 s. The caller's
	// context still bounds the whole call, retries included.
	AttemptTimeout time.Duration
}

// Client calls the DataWorks project-member API. It is safe for concurrent use.
type Client struct {
	core *internal.Client
}

var service = internal.Service{Name: "dataworks", Version: APIVersion, Host: Host}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	core, err := internal.NewClient(service, internal.Options(opts))
	if err != nil {
		return nil, err
	}
	return &Client{core: core}, nil
}

// central lists the regions served from the central dataworks.aliyuncs.com.
var central = map[string]bool{
	"cn-huhehaote": true, "cn-qingdao": true, "cn-zhangjiakou": true, "cn-hangzhou-finance": true,
	"cn-shenzhen-finance-1": true, "cn-shanghai-finance-1": true, "cn-north-2-gov-1": true,
}

// Host returns the public DataWorks host for region: dataworks.<region>.aliyuncs.com,
// or the central dataworks.aliyuncs.com for the regions served from it.
func Host(region string) string {
	if central[region] {
		return "dataworks.aliyuncs.com"
	}
	return "dataworks." + region + ".aliyuncs.com"
}

// Format keeps %v of a Client short and free of credentials.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "dataworks.Client{%v}", c.core) }

// RoleCode is a DataWorks project role code. The built-in ones are below;
// custom roles have project-specific codes (see ListProjectRoles) and are
// plain RoleCode values.
type RoleCode string

// The built-in project roles.
const (
	RoleProjectOwner    RoleCode = "role_project_owner"    // project owner
	RoleProjectAdmin    RoleCode = "role_project_admin"    // project administrator
	RoleProjectDev      RoleCode = "role_project_dev"      // developer
	RoleProjectPE       RoleCode = "role_project_pe"       // O&M engineer
	RoleProjectDeploy   RoleCode = "role_project_deploy"   // deployer
	RoleProjectGuest    RoleCode = "role_project_guest"    // visitor
	RoleProjectSecurity RoleCode = "role_project_security" // security administrator
	RoleProjectERD      RoleCode = "role_project_erd"      // model designer
	RoleProjectTester   RoleCode = "role_project_tester"   // experiencer (2020-05-18 only)
	// Listed by the 2024-05-18 API; whether 2020-05-18 accepts them is not
	// documented.
	RoleProjectDataAnalyst RoleCode = "role_project_data_analyst" // data analyst
	RoleProjectDGAdmin     RoleCode = "role_project_dg_admin"     // data governance administrator
)

// ThrottledCount returns how many throttled answers (Throttling.* codes or
// HTTP 429) this Client has received since New, retried attempts included:
// a measure of how hard a workload pushes the service's rate limit. After
// the first one the Client paces itself (see the package documentation).
func (c *Client) ThrottledCount() int { return c.core.ThrottledCount() }
