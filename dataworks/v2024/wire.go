package v2024

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"

	"github.com/acsmembers/acsmembers-go/internal"
)

// MaxPageSize is the largest PageSize ListProjectMembers and ListProjectRoles
// accept.
const MaxPageSize = 100

// maxPages bounds one iteration, as a last resort behind the checks in
// paginate: at MaxPageSize it is 100 000 items, far beyond any project.
const maxPages = 1000

// formOp describes a 2024-05-18 operation: a POST to "/" with its parameters
// in a form-encoded body, as the official client sends them.
func formOp(action string, repeat internal.Repeat, params []internal.Param) *internal.Operation {
	return &internal.Operation{Name: action, Method: http.MethodPost, Form: params, Repeat: repeat}
}

// form collects the parameters of one call.
type form []internal.Param

func (f *form) set(name, value string) { *f = append(*f, internal.Param{Name: name, Value: value}) }

func (f *form) setProject(id int64) { f.set("ProjectId", strconv.FormatInt(id, 10)) }

// setPage adds a paging parameter; zero means the service default and is
// left out, as the official client leaves out unset fields.
func (f *form) setPage(name string, n int) {
	if n != 0 {
		f.set(name, strconv.Itoa(n))
	}
}

// setList adds items as ONE parameter holding a JSON array, as the official
// client sends lists of this API version: RoleCodes=["a","b"]. A nil list is
// left out; an empty one is sent as [], as the official client does.
func setList[S ~string](f *form, name string, items []S) error {
	if items == nil {
		return nil
	}
	b, err := internal.MarshalJSON(items)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	f.set(name, string(b))
	return nil
}

// validate checks a request of operation op (see internal.Validate).
func validate(op string, isNil bool, check func(v *internal.Validator)) error {
	return internal.Validate(service.Name, op, isNil, check)
}

// validateList checks a list parameter: every item must be a valid ID (no
// empty strings, no control characters, valid UTF-8, which JSON would
// otherwise silently replace), and a required list must not be empty.
func validateList[S ~string](v *internal.Validator, field string, items []S, required bool) {
	if required && len(items) == 0 {
		v.Add(field, "required: at least one")
	}
	for i, it := range items {
		if reason := internal.IDProblem(string(it)); reason != "" {
			v.Add(field+"["+strconv.Itoa(i)+"]", reason)
		}
	}
}

// optionalID checks a value that may be left empty.
func optionalID(v *internal.Validator, field, value string) {
	if value != "" {
		v.ID(field, value)
	}
}

// pagingWire is the PagingInfo numbers of both listings.
type pagingWire struct {
	PageNumber internal.FlexInt `json:"PageNumber"`
	PageSize   internal.FlexInt `json:"PageSize"`
	TotalCount internal.FlexInt `json:"TotalCount"`
}

// paginate walks a listing with internal.Paginate (which stops at an empty
// page, at the TotalCount, and after pageCap pages) and also stops, with an
// error, at a page whose items are the previous page's again: a service that
// ignores PageNumber would otherwise be read pageCap times. key identifies an
// item. The check's memory is made afresh for every range loop.
func paginate[T any](ctx context.Context, what string, number, size, pageCap int, key func(T) string, fetch internal.FetchPage[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var last []string
		guarded := func(ctx context.Context, n, size int) ([]T, int, error) {
			items, total, err := fetch(ctx, n, size)
			if err != nil {
				return nil, 0, err
			}
			keys := make([]string, len(items))
			for i, it := range items {
				keys[i] = key(it)
			}
			if len(keys) > 0 && slices.Equal(keys, last) {
				return nil, 0, fmt.Errorf("the service sent page %d's items again: it ignores PageNumber", n-1)
			}
			last = keys
			return items, total, nil
		}
		internal.Paginate(ctx, what, number, size, pageCap, guarded)(yield)
	}
}
