package pai

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/acsmembers/acsmembers-go/internal"
)

// DefaultPageSize is the page size the ListAll iterators ask for when the
// request leaves PageSize at 0. It is larger than the service default (20) to
// save round trips, and small enough for any server limit seen so far.
const DefaultPageSize = 50

// maxPages bounds one iteration. A server that keeps sending full pages and
// an ever-growing TotalCount would otherwise be followed forever; at the
// default page size this is half a million items, far beyond any workspace.
const maxPages = 10000

// fetchPage reads page number (from 1) of size items and reports the total
// the server claims for the whole listing.
type fetchPage[T any] func(ctx context.Context, number, size int) (items []T, total int, err error)

// paginate yields every item of a paged listing, fetching pages lazily from
// page number (0: 1) with size (0: DefaultPageSize) items each.
//
// It stops after an empty page, once the position in the listing reaches the
// TotalCount the last page reported, or after maxPages pages, so a server
// that lies about the total cannot keep it running. A page shorter than size
// is not taken as the last one: the service may cap the page size below what
// was asked, and TotalCount already says where the listing ends.
//
// On an error it yields (zero, err) once and stops; breaking out of the range
// loop sends no further request.
func paginate[T any](ctx context.Context, name string, number, size int, fetch fetchPage[T]) iter.Seq2[T, error] {
	if number <= 0 {
		number = 1
	}
	if size <= 0 {
		size = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		var zero T
		// pos counts the items before the next one, from the listing's start,
		// so a walk that starts at a later page compares correctly with the total.
		pos := (number - 1) * size
		for n, pages := number, 0; ; n, pages = n+1, pages+1 {
			if pages == maxPages {
				yield(zero, fmt.Errorf("pai %s: stopped after %d pages at item %d: the service keeps reporting more items", name, maxPages, pos))
				return
			}
			items, total, err := fetch(ctx, n, size)
			if err != nil {
				yield(zero, fmt.Errorf("pai %s: page %d: %w", name, n, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			pos += len(items)
			if len(items) == 0 || pos >= total {
				return
			}
		}
	}
}

// failed is an iterator that yields err once: how the ListAll methods report
// a request that fails validation, before any I/O.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// validatePaging checks optional page parameters: 0 means the default, and
// the service's maximum page size is not documented, so only the sign is
// checked here.
func validatePaging(v *internal.Validator, number, size int) {
	if number < 0 {
		v.Add("PageNumber", "must not be negative")
	}
	if size < 0 {
		v.Add("PageSize", "must not be negative")
	}
}

// params builds an operation's query: empty values are left out, as the
// official SDK leaves out unset fields.
type params []internal.Param

func (q *params) str(name, value string) {
	if value != "" {
		*q = append(*q, internal.Param{Name: name, Value: value})
	}
}

func (q *params) int(name string, n int) {
	if n != 0 {
		*q = append(*q, internal.Param{Name: name, Value: strconv.Itoa(n)})
	}
}

// flag sends "true" when b is set; false is the service default and is not sent.
func (q *params) flag(name string, b bool) {
	if b {
		*q = append(*q, internal.Param{Name: name, Value: "true"})
	}
}

// validateList checks the elements of a list sent as one comma-separated
// query value: each must be a valid ID and carry no comma, which would split
// it into two elements on the server.
func validateList[S ~string](v *internal.Validator, field string, items []S) {
	for i, s := range items {
		f := field + "[" + strconv.Itoa(i) + "]"
		v.ID(f, string(s))
		if strings.Contains(string(s), ",") {
			v.Add(f, "must not contain a comma")
		}
	}
}

// join writes a list the way the API takes it: one comma-separated value.
func join[S ~string](items []S) string {
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(s))
	}
	return b.String()
}
