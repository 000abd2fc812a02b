package internal

import (
	"context"
	"fmt"
	"iter"
)

// FetchPage reads page number (from 1) of size items and reports the total
// the service claims for the whole listing.
type FetchPage[T any] func(ctx context.Context, number, size int) (items []T, total int, err error)

// Paginate yields every item of a paged listing, fetching pages lazily from
// page number (0: 1) with size items each. what names the iterator in
// errors, e.g. "pai ListAllMembers".
//
// It stops after an empty page, or once the position in the listing reaches
// the TotalCount the last page reported. A page shorter than size is not
// taken as the last one: a service may cap the page size below what was
// asked, and TotalCount already says where the listing ends. After maxPages
// pages it yields an error rather than follow a service that keeps reporting
// more items forever, or silently truncate the listing.
//
// On an error it yields (zero, err) once and stops; breaking out of the range
// loop sends no further request.
func Paginate[T any](ctx context.Context, what string, number, size, maxPages int, fetch FetchPage[T]) iter.Seq2[T, error] {
	if number <= 0 {
		number = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		// pos counts the items before the next one from the listing's start,
		// so a walk that starts at a later page compares correctly with the total.
		pos := (number - 1) * size
		for n, pages := number, 0; ; n, pages = n+1, pages+1 {
			if pages == maxPages {
				yield(zero, fmt.Errorf("%s: stopped after %d pages at item %d: the service keeps reporting more items", what, maxPages, pos))
				return
			}
			items, total, err := fetch(ctx, n, size)
			if err != nil {
				yield(zero, fmt.Errorf("%s: page %d: %w", what, n, err))
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

// Failed is an iterator that yields err once: how the ListAll methods report
// a request that fails validation, before any I/O.
func Failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
