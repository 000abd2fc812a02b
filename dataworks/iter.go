package dataworks

import (
	"context"
	"fmt"
	"iter"
)

// maxPages bounds one iteration, as a last resort: a server that keeps
// sending full pages under an ever-growing TotalCount would otherwise be
// followed forever. At MaxPageSize this is 100 000 members, far beyond any
// DataWorks project.
const maxPages = 1000

// fetchPage reads page number (from 1) of size items and reports the total
// the server claims for the whole listing.
type fetchPage[T any] func(ctx context.Context, number, size int) (items []T, total int, err error)

// paginate yields every item of a paged listing, fetching pages lazily from
// page number (0: 1) with size items each.
//
// It stops after an empty page, or once the position in the listing reaches
// the TotalCount the last page reported. A page shorter than size is not
// taken as the last one: the service may cap the page size below what was
// asked, and TotalCount already says where the listing ends. After pageCap
// pages it yields an error rather than silently truncating the listing.
//
// On an error it yields (zero, err) once and stops; breaking out of the range
// loop sends no further request.
func paginate[T any](ctx context.Context, name string, number, size, pageCap int, fetch fetchPage[T]) iter.Seq2[T, error] {
	if number <= 0 {
		number = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		// pos counts the items before the next one from the listing's start,
		// so a walk that starts at a later page compares correctly with the total.
		pos := (number - 1) * size
		for n, pages := number, 0; ; n, pages = n+1, pages+1 {
			if pages == pageCap {
				yield(zero, fmt.Errorf("dataworks %s: stopped after %d pages at item %d: the service keeps reporting more items", name, pageCap, pos))
				return
			}
			items, total, err := fetch(ctx, n, size)
			if err != nil {
				yield(zero, fmt.Errorf("dataworks %s: page %d: %w", name, n, err))
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

// failed is an iterator that yields err once: how ListAllProjectMembers
// reports a request that fails validation, before any I/O.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
