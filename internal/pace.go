package internal

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer is a Client's client-side rate adaptation, after aws-sdk-go-v2's
// adaptive retry mode. Until the service first throttles the Client it only
// counts what is sent. From then on every attempt passes one token bucket
// whose rate falls by a factor on throttling and, on success, climbs back
// along a cubic curve: slowly near the rate that was last throttled, faster
// further away, so a Client settles just under what the service allows and
// keeps probing for more.
type pacer struct {
	now func() time.Time

	mu sync.Mutex
	// lim is nil until the first throttled answer.
	lim *rate.Limiter
	// Sending rate, measured over windows of measureWindow and smoothed.
	windowStart time.Time
	windowSent  int
	measured    float64
	// The cubic curve: the rate when last throttled, and when that was.
	lastMax      float64
	lastThrottle time.Time
}

const (
	paceBeta      = 0.7 // the rate kept after a throttle
	paceCubicC    = 0.4 // how fast the rate climbs back (requests/s per s³)
	measureWindow = 250 * time.Millisecond
	measureSmooth = 0.8 // weight of the newest window in the measured rate
	minRate       = 0.5 // requests per second: never stop entirely
	// A burst of throttled answers to requests already in flight is one
	// signal, not many: the rate falls at most once per this long.
	reduceEvery = 100 * time.Millisecond
)

func newPacer(now func() time.Time) *pacer { return &pacer{now: now} }

// wait blocks until the Client may send another attempt, and counts it.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	p.countSend(p.now())
	lim := p.lim
	p.mu.Unlock()
	if lim == nil {
		return nil
	}
	return lim.Wait(ctx)
}

// countSend updates the measured sending rate; p.mu is held.
func (p *pacer) countSend(now time.Time) {
	if p.windowStart.IsZero() {
		p.windowStart = now
	}
	if elapsed := now.Sub(p.windowStart); elapsed >= measureWindow {
		r := float64(p.windowSent) / elapsed.Seconds()
		if p.measured == 0 {
			p.measured = r
		} else {
			p.measured = measureSmooth*r + (1-measureSmooth)*p.measured
		}
		p.windowStart, p.windowSent = now, 0
	}
	p.windowSent++
}

// sendRate is the best estimate of the current sending rate; p.mu is held.
func (p *pacer) sendRate(now time.Time) float64 {
	// The current window counts too, over at least a fifth of a window so
	// that a few sends in the first instant do not read as a huge rate.
	elapsed := max(now.Sub(p.windowStart), measureWindow/5)
	return max(p.measured, float64(p.windowSent)/elapsed.Seconds())
}

// throttled records a throttled answer: the rate drops to paceBeta of what
// was being sent.
func (p *pacer) throttled() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.lim != nil && now.Sub(p.lastThrottle) < reduceEvery {
		return
	}
	current := p.sendRate(now)
	if p.lim != nil {
		current = min(current, float64(p.lim.Limit()))
	}
	current = max(current, minRate)
	p.lastMax, p.lastThrottle = current, now
	next := max(current*paceBeta, minRate)
	if p.lim == nil {
		p.lim = rate.NewLimiter(rate.Limit(next), 1)
		return
	}
	p.lim.SetLimitAt(now, rate.Limit(next))
}

// succeeded records an answer that was not throttled: the rate climbs back
// along the cubic curve, never above twice what is actually being sent.
func (p *pacer) succeeded() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lim == nil {
		return
	}
	now := p.now()
	t := now.Sub(p.lastThrottle).Seconds()
	k := math.Cbrt(p.lastMax * (1 - paceBeta) / paceCubicC)
	next := paceCubicC*math.Pow(t-k, 3) + p.lastMax
	if r := p.sendRate(now); r > 0 {
		next = min(next, 2*r)
	}
	p.lim.SetLimitAt(now, rate.Limit(max(next, minRate)))
}

// limit is the current client-side rate, or 0 while none applies.
func (p *pacer) limit() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lim == nil {
		return 0
	}
	return float64(p.lim.Limit())
}
