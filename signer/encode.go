package signer

// The ACS3 encoding is RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~
// pass through; every other byte of the UTF-8 form becomes %XY (upper-case hex).
// It is written by hand rather than with net/url because url.QueryEscape turns
// a space into "+" and url.PathEscape leaves sub-delimiters such as "*" and "="
// alone, both of which the gateway would sign differently.

const upperHex = "0123456789ABCDEF"

// unreserved reports whether c passes through percent-encoding unchanged.
func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// appendEncoded appends the RFC 3986 percent-encoding of s to dst. It is not
// generic: a call through a generic function's dictionary makes the compiler
// move every caller's dst buffer to the heap.
func appendEncoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
	}
	return dst
}

// PercentEncode returns s percent-encoded as ACS3 requires for query names,
// query values and path segments: every byte except A-Z a-z 0-9 - _ . ~ becomes
// %XY with upper-case hex, so a space is %20, "*" is %2A and "/" is %2F.
func PercentEncode(s string) string {
	if isEncodedForm(s, false) {
		return s
	}
	return string(appendEncoded(make([]byte, 0, len(s)+16), s))
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendDecoded appends the percent-decoding of s to dst. A "%" not followed by
// two hex digits is kept literally, so decoding never fails; with plusSpace a
// "+" decodes to a space, as in form-encoded query strings.
func appendDecoded[T ~string | ~[]byte](dst []byte, s T, plusSpace bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s):
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				dst = append(dst, hi<<4|lo)
				i += 2
				continue
			}
			dst = append(dst, c)
		case c == '+' && plusSpace:
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// isEncodedForm reports whether s is already exactly the canonical encoding of
// its own decoding: only unreserved bytes and %XY escapes with upper-case hex
// of bytes that are not unreserved. With allowEscapes false, s must contain no
// escapes at all (it is its own encoding only if every byte is unreserved).
func isEncodedForm(s string, allowEscapes bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			continue
		}
		if !allowEscapes || c != '%' || i+2 >= len(s) {
			return false
		}
		hi, lo := s[i+1], s[i+2]
		if !isUpperHex(hi) || !isUpperHex(lo) {
			return false
		}
		v, _ := unhex(hi)
		w, _ := unhex(lo)
		if unreserved(v<<4 | w) {
			return false
		}
		i += 2
	}
	return true
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// AppendPercentEncoded appends PercentEncode(s) to dst without allocating,
// for callers that build canonical paths and queries in their own buffers.
func AppendPercentEncoded(dst []byte, s string) []byte { return appendEncoded(dst, s) }
