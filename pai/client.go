// Package pai manages the members of Alibaba Cloud PAI workspaces
// (AIWorkSpace API 2021-02-04): who belongs to a workspace and with which Role.
//
// Every call is validated before anything is sent, signed with
// ACS3-HMAC-SHA256, retried when that is safe, and answered with typed values
// or a typed error from package errors.
package pai

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/acsmembers/acsmembers-go/internal"
	"github.com/acsmembers/acsmembers-go/signer"
)

// APIVersion is the AIWorkSpace API version this package speaks.
const APIVersion = "2021-02-04"

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
	Region      string                     // e.g. "cn-hangzhou"; empty: ALIBABA_CLOUD_REGION_ID
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

// Client calls the PAI workspace API. It is safe for concurrent use.
type Client struct {
	core *internal.Client
}

var service = internal.Service{Name: "pai", Version: APIVersion, Host: Host}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	core, err := internal.NewClient(service, internal.Options(opts))
	if err != nil {
		return nil, err
	}
	return &Client{core: core}, nil
}

// central lists the regions the official SDK serves from the central host.
var central = map[string]bool{
	"ap-southeast-2": true, "eu-west-1": true, "me-east-1": true, "cn-qingdao": true,
	"cn-huhehaote": true, "cn-zhangbei": true, "cn-wuhan": true, "cn-fujian": true,
}

// Host returns the public AIWorkSpace host for region:
// aiworkspace.<region>.aliyuncs.com, or the central aiworkspace.aliyuncs.com
// for the regions served from it. It is always the public host: the official
// SDK maps ap-southeast-5 to a VPC-only host, which is unreachable from
// outside that VPC; set Options.Endpoint to use a VPC endpoint.
func Host(region string) string {
	if central[region] {
		return "aiworkspace.aliyuncs.com"
	}
	return "aiworkspace." + region + ".aliyuncs.com"
}

// Format keeps %v of a Client short and free of credentials.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "pai.Client{%v}", c.core) }

// Role is a PAI workspace role name.
type Role string

// The workspace roles PAI defines.
const (
	RoleAlgoDeveloper       Role = "PAI.AlgoDeveloper"       // algorithm developer
	RoleAlgoOperator        Role = "PAI.AlgoOperator"        // algorithm O&M engineer
	RoleLabelManager        Role = "PAI.LabelManager"        // labeling administrator
	RoleMaxComputeDeveloper Role = "PAI.MaxComputeDeveloper" // MaxCompute developer
	RoleWorkspaceAdmin      Role = "PAI.WorkspaceAdmin"      // administrator
	RoleWorkspaceGuest      Role = "PAI.WorkspaceGuest"      // guest
	RoleWorkspaceOwner      Role = "PAI.WorkspaceOwner"      // owner
)

// ThrottledCount returns how many throttled answers (Throttling.* codes or
// HTTP 429) this Client has received since New, retried attempts included:
// a measure of how hard a workload pushes the service's rate limit. After
// the first one the Client paces itself (see the package documentation).
func (c *Client) ThrottledCount() int { return c.core.ThrottledCount() }
