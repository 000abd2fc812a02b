package internal

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func sendAt(p *pacer, c *fakeClock, perSecond int, d time.Duration) {
	step := time.Second / time.Duration(perSecond)
	for end := c.t.Add(d); c.t.Before(end); c.add(step) {
		p.mu.Lock()
		p.countSend(c.t)
		p.mu.Unlock()
	}
}

// TestPacerIsFreeUntilThrottled: without a throttled answer there is no
// limit and wait never blocks.
func TestPacerIsFreeUntilThrottled(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := newPacer(clock.now)
	for range 1000 {
		require.NoError(t, p.wait(context.Background()))
	}
	p.succeeded()
	assert.Zero(t, p.limit())
}

// TestPacerFallsAndClimbsBack: a throttle sets the rate to paceBeta of
// what was being sent; answers in a burst count once; successes climb back
// along the cubic curve, reaching the throttled rate after K seconds and
// exceeding it later, but never more than twice the measured rate.
func TestPacerFallsAndClimbsBack(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := newPacer(clock.now)
	sendAt(p, clock, 100, 2*time.Second)

	p.throttled()
	assert.InDelta(t, 70, p.limit(), 3, "0.7 of the 100/s being sent")
	clock.add(10 * time.Millisecond)
	p.throttled()
	p.throttled()
	assert.InDelta(t, 70, p.limit(), 3, "throttles in one burst reduce once")

	lastMax := p.lastMax
	k := math.Cbrt(lastMax * (1 - paceBeta) / paceCubicC)
	sendAt(p, clock, 70, time.Duration(k*float64(time.Second))-10*time.Millisecond)
	p.succeeded()
	assert.InDelta(t, lastMax, p.limit(), 2, "back at the throttled rate after K seconds")

	sendAt(p, clock, 60, 3*time.Second) // sending less than the limit allows
	p.succeeded()
	assert.LessOrEqual(t, p.limit(), 2*60.0+1, "never above twice what is sent")
	assert.Greater(t, p.limit(), lastMax, "probing above the old maximum")

	clock.add(time.Second)
	p.throttled()
	assert.Less(t, p.limit(), lastMax, "a new throttle brings it down again")
}

// TestPacerNeverStops: even from a standstill the rate stays positive.
func TestPacerNeverStops(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	p := newPacer(clock.now)
	for range 50 {
		clock.add(time.Second)
		p.throttled()
	}
	assert.GreaterOrEqual(t, p.limit(), minRate)
}

// TestClientPacesAfterThrottling: a Client that met a throttled answer
// paces the attempts that follow, retries included.
func TestClientPacesAfterThrottling(t *testing.T) {
	fs := newFaultServer(t, fault{kind: throttle}, fault{kind: serve})
	c, _, _ := testClient(t, fs.URL, nil)
	assert.Zero(t, c.RateLimit())
	require.NoError(t, c.Do(context.Background(), opGet(), nil))
	assert.Positive(t, c.RateLimit())
	assert.Equal(t, 2, fs.attempts())
	assert.Equal(t, 1, c.ThrottledCount())
}
