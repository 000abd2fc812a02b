package pai

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"time"

	"github.com/acsmembers/acsmembers-go/internal"
)

// WorkspaceStatus is the lifecycle state of a workspace.
type WorkspaceStatus string

// The workspace states PAI reports.
const (
	WorkspaceEnabled      WorkspaceStatus = "ENABLED"
	WorkspaceInitializing WorkspaceStatus = "INITIALIZING"
	WorkspaceFailure      WorkspaceStatus = "FAILURE"
	WorkspaceDisabled     WorkspaceStatus = "DISABLED"
	WorkspaceFrozen       WorkspaceStatus = "FROZEN"
	WorkspaceUpdating     WorkspaceStatus = "UPDATING"
)

// Workspace is a PAI workspace.
type Workspace struct {
	WorkspaceID, WorkspaceName string
	DisplayName                string // GetWorkspace only
	Description                string
	Creator                    string // user ID of the creator
	Status                     WorkspaceStatus
	IsDefault                  bool
	EnvTypes                   []string // "prod"; standard mode adds "dev"
	AdminNames                 []string
	ResourceGroupID            string
	ExtraInfos                 map[string]any // e.g. "TenantId"
	CreateTime, ModifiedTime   time.Time      // GmtCreateTime, GmtModifiedTime, parsed
}

// workspaceWire is a workspace as the API sends it.
type workspaceWire struct {
	WorkspaceID     string          `json:"WorkspaceId"`
	WorkspaceName   string          `json:"WorkspaceName"`
	DisplayName     string          `json:"DisplayName"`
	Description     string          `json:"Description"`
	Creator         string          `json:"Creator"`
	Status          WorkspaceStatus `json:"Status"`
	IsDefault       bool            `json:"IsDefault"`
	EnvTypes        []string        `json:"EnvTypes"`
	AdminNames      []string        `json:"AdminNames"`
	ExtraInfos      map[string]any  `json:"ExtraInfos"`
	GmtCreateTime   string          `json:"GmtCreateTime"`
	GmtModifiedTime string          `json:"GmtModifiedTime"`
	// GetWorkspace sends ResourceGroupId, ListWorkspaces items resourceGroupId.
	// Both are declared: encoding/json prefers the exact match, so each key
	// lands in its own field whichever operation sent it.
	ResourceGroupID      string `json:"ResourceGroupId"`
	ResourceGroupIDLower string `json:"resourceGroupId"`
}

func (w *workspaceWire) workspace() Workspace {
	rg := w.ResourceGroupID
	if rg == "" {
		rg = w.ResourceGroupIDLower
	}
	return Workspace{
		WorkspaceID: w.WorkspaceID, WorkspaceName: w.WorkspaceName, DisplayName: w.DisplayName,
		Description: w.Description, Creator: w.Creator, Status: w.Status, IsDefault: w.IsDefault,
		EnvTypes: w.EnvTypes, AdminNames: w.AdminNames, ResourceGroupID: rg, ExtraInfos: w.ExtraInfos,
		CreateTime:   internal.ParseTime(w.GmtCreateTime),
		ModifiedTime: internal.ParseTime(w.GmtModifiedTime),
	}
}

// WorkspaceOwner is the owner of a workspace, returned by a verbose
// GetWorkspace.
type WorkspaceOwner struct {
	// UserID is the owner's Alibaba Cloud user ID (UID). UserName is the
	// owner's user name and DisplayName the name the console shows.
	//
	// UserKp comes with them, as sent. GetWorkspace's reference leaves it
	// undescribed; for the same owner object of GetDefaultWorkspace the
	// official SDK calls it the user's UID, with the same example value as
	// UserId. Identify the owner by UserID.
	UserID, UserKp, UserName, DisplayName string
}

// GetWorkspaceRequest names a workspace.
type GetWorkspaceRequest struct {
	WorkspaceID string
	Verbose     bool // also return the Owner
}

// GetWorkspaceResponse is the workspace found.
type GetWorkspaceResponse struct {
	RequestID string
	Workspace
	Owner WorkspaceOwner // zero unless the request was Verbose
}

func (r *GetWorkspaceRequest) validate() error {
	v := internal.NewValidator("pai", "GetWorkspace")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	v.ID("WorkspaceID", r.WorkspaceID)
	return v.Err()
}

// GetWorkspace reads one workspace. A workspace that does not exist gives an
// error matching errors.ErrWorkspaceNotFound.
func (c *Client) GetWorkspace(ctx context.Context, req *GetWorkspaceRequest) (*GetWorkspaceResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var q params
	q.flag("Verbose", req.Verbose)
	var out struct {
		internal.Envelope
		workspaceWire
		Owner struct {
			UserID      string `json:"UserId"`
			UserKp      string `json:"UserKp"`
			UserName    string `json:"UserName"`
			DisplayName string `json:"DisplayName"`
		} `json:"Owner"`
	}
	err := c.core.Do(ctx, &internal.Operation{
		Name: "GetWorkspace", Method: http.MethodGet,
		Path:   []string{"api", "v1", "workspaces", req.WorkspaceID},
		Query:  q,
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &GetWorkspaceResponse{RequestID: out.RequestID, Workspace: out.workspace(), Owner: WorkspaceOwner(out.Owner)}, nil
}

// ListWorkspacesRequest selects workspaces, one page at a time. Every field
// is optional.
type ListWorkspacesRequest struct {
	WorkspaceName   string
	WorkspaceIDs    []string
	Status          WorkspaceStatus
	ResourceGroupID string
	UserID          string
	ModuleList      []string // service default: "PAI"
	Fields          []string // only "Id" is supported
	Option          string   // "GetWorkspaces" (default) or "GetResourceLimits"
	SortBy          string   // "GmtCreateTime" (default) or "GmtModifiedTime"
	Order           string   // "ASC" (default) or "DESC"
	Verbose         bool
	PageNumber      int // from 1; 0: the first page
	PageSize        int // 0: the service default (20), or DefaultPageSize for ListAllWorkspaces
}

// ListWorkspacesResponse is one page of workspaces, or the resource limits
// when the request's Option was "GetResourceLimits".
type ListWorkspacesResponse struct {
	RequestID      string
	TotalCount     int // workspaces matching the filters, across all pages
	Workspaces     []Workspace
	ResourceLimits map[string]any
}

func (r *ListWorkspacesRequest) validate() error {
	v := internal.NewValidator("pai", "ListWorkspaces")
	if r == nil {
		v.Add("request", "required")
		return v.Err()
	}
	validateList(v, "WorkspaceIDs", r.WorkspaceIDs)
	validateList(v, "ModuleList", r.ModuleList)
	validateList(v, "Fields", r.Fields)
	validatePaging(v, r.PageNumber, r.PageSize)
	return v.Err()
}

// ListWorkspaces reads one page of the workspaces visible to the caller. Use
// ListAllWorkspaces to walk every page.
func (c *Client) ListWorkspaces(ctx context.Context, req *ListWorkspacesRequest) (*ListWorkspacesResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var q params
	q.str("Fields", join(req.Fields))
	q.str("ModuleList", join(req.ModuleList))
	q.str("Option", req.Option)
	q.str("Order", req.Order)
	q.int("PageNumber", req.PageNumber)
	q.int("PageSize", req.PageSize)
	q.str("ResourceGroupId", req.ResourceGroupID)
	q.str("SortBy", req.SortBy)
	q.str("Status", string(req.Status))
	q.str("UserId", req.UserID)
	q.flag("Verbose", req.Verbose)
	q.str("WorkspaceIds", join(req.WorkspaceIDs))
	q.str("WorkspaceName", req.WorkspaceName)
	var out struct {
		internal.Envelope
		TotalCount     int             `json:"TotalCount"`
		Workspaces     []workspaceWire `json:"Workspaces"`
		ResourceLimits map[string]any  `json:"ResourceLimits"`
	}
	err := c.core.Do(ctx, &internal.Operation{
		Name: "ListWorkspaces", Method: http.MethodGet,
		Path:   []string{"api", "v1", "workspaces"},
		Query:  q,
		Repeat: internal.RepeatSafe,
	}, &out)
	if err != nil {
		return nil, err
	}
	resp := &ListWorkspacesResponse{RequestID: out.RequestID, TotalCount: out.TotalCount, ResourceLimits: out.ResourceLimits}
	if len(out.Workspaces) > 0 {
		resp.Workspaces = make([]Workspace, len(out.Workspaces))
		for i := range out.Workspaces {
			resp.Workspaces[i] = out.Workspaces[i].workspace()
		}
	}
	return resp, nil
}

// ListAllWorkspaces yields every workspace matching req, from page
// req.PageNumber (default 1) on, req.PageSize (default DefaultPageSize) at a
// time, fetching each page only when the loop gets to it. req is copied:
// changing it later does not affect the iteration. With Option
// "GetResourceLimits" there are no workspaces to yield.
//
// An error (including an invalid or nil req) is yielded once as
// (Workspace{}, err) and ends the iteration; breaking out of the loop sends
// no further request.
func (c *Client) ListAllWorkspaces(ctx context.Context, req *ListWorkspacesRequest) iter.Seq2[Workspace, error] {
	if err := req.validate(); err != nil {
		return internal.Failed[Workspace](err)
	}
	base := *req
	base.WorkspaceIDs = slices.Clone(req.WorkspaceIDs)
	base.ModuleList = slices.Clone(req.ModuleList)
	base.Fields = slices.Clone(req.Fields)
	return internal.Paginate(ctx, "pai ListAllWorkspaces", base.PageNumber, pageSize(base.PageSize), maxPages, func(ctx context.Context, number, size int) ([]Workspace, int, error) {
		page := base
		page.PageNumber, page.PageSize = number, size
		out, err := c.ListWorkspaces(ctx, &page)
		if err != nil {
			return nil, 0, err
		}
		return out.Workspaces, out.TotalCount, nil
	})
}
