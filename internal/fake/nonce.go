package fake

import "time"

// defaultMaxNonces bounds the nonces remembered at once. Past it the oldest
// are forgotten early: a fake serving tests never gets near it, and memory
// stays bounded whatever a caller sends.
const defaultMaxNonces = 100000

// nonceStore remembers the nonces of accepted requests until a replay of them
// would be refused by the date check anyway.
type nonceStore struct {
	max     int
	expires map[string]time.Time // nonce → when it may be forgotten
	queue   []nonceEntry         // in arrival order; queue[head:] is live
	head    int
}

type nonceEntry struct {
	nonce   string
	expires time.Time
}

func newNonceStore(max int) nonceStore {
	return nonceStore{max: max, expires: map[string]time.Time{}}
}

// use records nonce, which may be forgotten after expires, and reports
// whether it was fresh. Entries are dropped from the front of the arrival
// queue once expired, or when the store is full.
func (s *nonceStore) use(nonce string, expires, now time.Time) bool {
	for s.head < len(s.queue) {
		e := s.queue[s.head]
		if !now.After(e.expires) && len(s.expires) < s.max {
			break
		}
		// A nonce re-recorded after it expired has a newer entry further
		// back: only the entry that matches the map forgets it.
		if exp, ok := s.expires[e.nonce]; ok && exp.Equal(e.expires) {
			delete(s.expires, e.nonce)
		}
		s.queue[s.head] = nonceEntry{}
		s.head++
	}
	if s.head > len(s.queue)/2 {
		s.queue = append(s.queue[:0], s.queue[s.head:]...)
		s.head = 0
	}
	if exp, ok := s.expires[nonce]; ok && !now.After(exp) {
		return false
	}
	s.expires[nonce] = expires
	s.queue = append(s.queue, nonceEntry{nonce, expires})
	return true
}

// len is the number of nonces remembered.
func (s *nonceStore) len() int { return len(s.expires) }
