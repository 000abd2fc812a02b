package internal

import (
	"strings"
	"unicode/utf8"
)

// The hot calls encode and decode small JSON documents of a known shape.
// encoding/json does that by reflection and, when decoding, scans the body
// twice; the helpers here do the common case directly. They never decide
// anything encoding/json would decide differently: AppendJSONString writes
// the same bytes, and JSONReader gives up (rather than guess) on anything
// outside a plain subset, so the caller falls back to encoding/json.

// JSONAppender is a request body that writes its own JSON: exactly the bytes
// MarshalJSON would produce for it, without reflection.
type JSONAppender interface {
	AppendJSON(dst []byte) []byte
}

// FastDecoder is a reply type that can read the usual form of its reply
// without reflection. DecodeFast reports whether it did; on false it must
// leave the receiver unchanged, and the pipeline decodes with encoding/json,
// so values and errors are always those of json.Unmarshal.
type FastDecoder interface {
	DecodeFast(body []byte) bool
}

const lowerHex = "0123456789abcdef"

// AppendJSONString appends s as a JSON string exactly as encoding/json
// writes it with HTML escaping off (see MarshalJSON): short escapes for
// \b \f \n \r \t, \u00XX for other control bytes, \ufffd for each byte of
// invalid UTF-8, and \u2028 and \u2029 escaped.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		var esc string
		size := 1
		switch c {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\b':
			esc = `\b`
		case '\f':
			esc = `\f`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			if c < 0x20 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xf])
				i++
				start = i
				continue
			}
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				esc = `\ufffd`
			case r == '\u2028':
				esc = `\u2028`
			case r == '\u2029':
				esc = `\u2029`
			default:
				i += size
				continue
			}
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// maxFastDepth bounds how deeply JSONReader.skip nests; anything deeper is
// left to encoding/json (which has its own limit).
const maxFastDepth = 32

// JSONReader reads one JSON document of a known shape. Every method gives up
// on input it does not handle: an escaped or non-ASCII member name, a string
// with escapes or invalid UTF-8, null where a value is expected, a repeated
// member, a name matching a known one only case-insensitively (which
// encoding/json would accept), or a syntax error. Once it has given up,
// methods return zero values and Done reports false.
//
// Strings it returns share one copy of the body, so a reply costs one
// allocation for all its strings.
type JSONReader struct {
	s     string
	i     int
	ok    bool
	first bool // just after '{' or '[': no ',' before the next element
	depth int
}

// NewJSONReader starts reading body, which it copies.
func NewJSONReader(body []byte) JSONReader {
	return JSONReader{s: string(body), ok: true}
}

func (r *JSONReader) fail() { r.ok, r.i = false, len(r.s) }

func (r *JSONReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// Open reads the '{' or '[' given as open, and reports whether it was there.
func (r *JSONReader) Open(open byte) bool {
	r.space()
	if !r.ok || r.i >= len(r.s) || r.s[r.i] != open {
		r.fail()
		return false
	}
	r.i++
	r.first = true
	return true
}

// More reports whether the object or array being read has another element,
// reading the ',' before it or the closing '}' or ']' given as close.
func (r *JSONReader) More(close byte) bool {
	r.space()
	if !r.ok || r.i >= len(r.s) {
		r.fail()
		return false
	}
	if r.s[r.i] == close {
		r.i++
		r.first = false
		return false
	}
	if r.first {
		r.first = false
		return true
	}
	if r.s[r.i] != ',' {
		r.fail()
		return false
	}
	r.i++
	return true
}

// Field reads an object member's name and the ':' after it, and returns the
// name if it is one of names. Otherwise it skips the member's value and
// returns "". seen records which names were read, so a repeat gives up.
func (r *JSONReader) Field(names []string, seen *uint64) string {
	key := r.str(false)
	r.space()
	if !r.ok || r.i >= len(r.s) || r.s[r.i] != ':' {
		r.fail()
		return ""
	}
	r.i++
	for n, name := range names {
		if key == name {
			if *seen&(1<<n) != 0 {
				r.fail()
				return ""
			}
			*seen |= 1 << n
			return name
		}
		if strings.EqualFold(key, name) {
			r.fail()
			return ""
		}
	}
	r.skip()
	return ""
}

// String reads a string value.
func (r *JSONReader) String() string { return r.str(true) }

// str reads a string without escapes or control bytes; with text, other
// valid UTF-8 is allowed too (names must be ASCII, as case folding of other
// letters is encoding/json's to decide).
func (r *JSONReader) str(text bool) string {
	r.space()
	if !r.ok || r.i >= len(r.s) || r.s[r.i] != '"' {
		r.fail()
		return ""
	}
	start := r.i + 1
	ascii := true
	for i := start; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			s := r.s[start:i]
			if !ascii && (!text || !utf8.ValidString(s)) {
				r.fail()
				return ""
			}
			r.i = i + 1
			return s
		case c == '\\' || c < 0x20:
			r.fail()
			return ""
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	r.fail()
	return ""
}

// skip reads and discards any one value, checking its syntax as
// encoding/json would.
func (r *JSONReader) skip() {
	r.space()
	if !r.ok || r.i >= len(r.s) {
		r.fail()
		return
	}
	switch c := r.s[r.i]; {
	case c == '{' || c == '[':
		if r.depth++; r.depth > maxFastDepth {
			r.fail()
			return
		}
		if c == '{' {
			r.Open('{')
			for r.More('}') {
				var seen uint64
				r.Field(nil, &seen)
			}
		} else {
			r.Open('[')
			for r.More(']') {
				r.skip()
			}
		}
		r.depth--
	case c == '"':
		r.skipString()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	default:
		r.skipNumber()
	}
}

func (r *JSONReader) literal(lit string) {
	if !strings.HasPrefix(r.s[r.i:], lit) {
		r.fail()
		return
	}
	r.i += len(lit)
}

// skipString reads a string with any valid escapes.
func (r *JSONReader) skipString() {
	for i := r.i + 1; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			r.i = i + 1
			return
		case c < 0x20:
			r.fail()
			return
		case c == '\\' && i+1 < len(r.s):
			i++
			switch r.s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				continue
			case 'u':
				if i+4 < len(r.s) && isHex(r.s[i+1]) && isHex(r.s[i+2]) && isHex(r.s[i+3]) && isHex(r.s[i+4]) {
					i += 4
					continue
				}
			}
			r.fail()
			return
		case c == '\\':
			r.fail()
			return
		}
	}
	r.fail()
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// skipNumber reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
func (r *JSONReader) skipNumber() {
	s, i := r.s, r.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i)
	default:
		r.fail()
		return
	}
	if i < len(s) && s[i] == '.' {
		if i++; i >= len(s) || !isDigit(s[i]) {
			r.fail()
			return
		}
		i = digits(s, i)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			r.fail()
			return
		}
		i = digits(s, i)
	}
	r.i = i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// Done reports whether the whole document was read in the fast subset, with
// nothing but white space after it.
func (r *JSONReader) Done() bool {
	r.space()
	return r.ok && r.i == len(r.s)
}
