package internal

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is a fake paged source of the integers 1..n that records which
// pages were asked for. total is what it claims; it may lie.
type listing struct {
	n, total, capSize int
	failAt            int // page number that fails; 0: none
	asked             []int
}

func (l *listing) fetch(_ context.Context, number, size int) ([]int, int, error) {
	l.asked = append(l.asked, number)
	if number == l.failAt {
		return nil, 0, errors.New("boom")
	}
	if l.capSize > 0 && size > l.capSize {
		size = l.capSize // the service serves fewer than asked
	}
	var items []int
	for i := (number-1)*size + 1; i <= min(number*size, l.n); i++ {
		items = append(items, i)
	}
	return items, l.total, nil
}

type item struct {
	v   int
	err error
}

func collect(seq func(func(int, error) bool)) []item {
	var got []item
	for v, err := range seq {
		got = append(got, item{v, err})
	}
	return got
}

func values(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{v: i + 1}
	}
	return out
}

func TestPaginate(t *testing.T) {
	t.Run("pages until the total", func(t *testing.T) {
		l := &listing{n: 7, total: 7}
		got := collect(Paginate(context.Background(), "x", 0, 3, 100, l.fetch))
		assert.Equal(t, values(7), got)
		assert.Equal(t, []int{1, 2, 3}, l.asked, "no request after the last page")
	})
	t.Run("exact multiple needs no extra request", func(t *testing.T) {
		l := &listing{n: 6, total: 6}
		assert.Equal(t, values(6), collect(Paginate(context.Background(), "x", 0, 3, 100, l.fetch)))
		assert.Equal(t, []int{1, 2}, l.asked)
	})
	t.Run("a total larger than the items stops at the first empty page", func(t *testing.T) {
		l := &listing{n: 4, total: 1000}
		assert.Equal(t, values(4), collect(Paginate(context.Background(), "x", 0, 3, 100, l.fetch)))
		assert.Equal(t, []int{1, 2, 3}, l.asked)
	})
	t.Run("a total smaller than the items stops at the total", func(t *testing.T) {
		l := &listing{n: 10, total: 2}
		assert.Equal(t, values(3), collect(Paginate(context.Background(), "x", 0, 3, 100, l.fetch)))
		assert.Equal(t, []int{1}, l.asked)
	})
	t.Run("a service capping the page size is followed to the total", func(t *testing.T) {
		l := &listing{n: 5, total: 5, capSize: 2}
		assert.Equal(t, values(5), collect(Paginate(context.Background(), "x", 0, 4, 100, l.fetch)))
	})
	t.Run("starting at a later page counts from there", func(t *testing.T) {
		l := &listing{n: 7, total: 7}
		got := collect(Paginate(context.Background(), "x", 2, 3, 100, l.fetch))
		assert.Equal(t, values(7)[3:], got)
		assert.Equal(t, []int{2, 3}, l.asked)
	})
	t.Run("an error is yielded once and ends the walk", func(t *testing.T) {
		l := &listing{n: 9, total: 9, failAt: 2}
		got := collect(Paginate(context.Background(), "pai ListAllMembers", 0, 3, 100, l.fetch))
		require.Len(t, got, 4)
		assert.Equal(t, values(3), got[:3])
		assert.Zero(t, got[3].v)
		assert.EqualError(t, got[3].err, "pai ListAllMembers: page 2: boom")
		assert.Equal(t, []int{1, 2}, l.asked)
	})
	t.Run("break sends no further request", func(t *testing.T) {
		l := &listing{n: 9, total: 9}
		for v := range Paginate(context.Background(), "x", 0, 3, 100, l.fetch) {
			if v == 2 {
				break
			}
		}
		assert.Equal(t, []int{1}, l.asked)
	})
	t.Run("a service that never stops is cut off with an error", func(t *testing.T) {
		l := &listing{n: 1 << 30, total: 1 << 30}
		got := collect(Paginate(context.Background(), "x", 0, 2, 5, l.fetch))
		require.Len(t, got, 11)
		assert.Equal(t, values(10), got[:10])
		assert.ErrorContains(t, got[10].err, "stopped after 5 pages at item 10")
		assert.Len(t, l.asked, 5)
	})
	t.Run("nothing is fetched until the loop starts", func(t *testing.T) {
		l := &listing{n: 3, total: 3}
		_ = Paginate(context.Background(), "x", 0, 3, 100, l.fetch)
		assert.Empty(t, l.asked)
	})
}

func TestFailed(t *testing.T) {
	boom := errors.New("boom")
	assert.Equal(t, []item{{err: boom}}, collect(Failed[int](boom)))
}
