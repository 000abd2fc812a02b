package pai

import (
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

// pageSize is the page size the ListAll iterators ask for.
func pageSize(size int) int {
	if size <= 0 {
		return DefaultPageSize
	}
	return size
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
