package internal

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// jsonStringCases are strings whose encoding differs between escapers:
// quotes, backslashes, every control byte, HTML characters, U+2028/U+2029,
// invalid and truncated UTF-8, and plain multi-byte text.
func jsonStringCases() []string {
	cases := []string{"", "plain", `q"uote`, `back\slash`, "<a href='x'>&amp;</a>", "\u2028\u2029", "line\u2028sep",
		"\xff", "\xe2\x80", "a\xc3", "\xed\xa0\x80", "日本語", "emoji 😀", "\x7f", "\uFFFD", "mixed\x00\x1f\"\\\u2029\xfe"}
	for c := 0; c < 0x20; c++ {
		cases = append(cases, "x"+string(rune(c))+"y")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "Z", "0", " ", `"`, `\`, "/", "<", ">", "&", "\n", "\t", "\b", "\f", "\r", "\x00", "\x01", "\x1f", "\x7f",
		"é", "中", "😀", "\u2028", "\u2029", "\xff", "\x80", "\xc3", "\xe2\x80"}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	return cases
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonStringCases() {
		want, err := MarshalJSON(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendJSONString(nil, s)), "input %q", s)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringCases()[:64] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := MarshalJSON(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(AppendJSONString([]byte("prefix"), s)[len("prefix"):]))
	})
}

func TestJSONReaderSkipsAnyValidValue(t *testing.T) {
	names := []string{"A"}
	for _, tc := range []struct {
		doc string
		ok  bool
	}{
		{`{"A":"x"}`, true},
		{` { "A" : "x" , "b" : [1, -2.5e+3, 0, true, false, null, {"c": {"d": []}}, "s\"\u00e9\\"] } `, true},
		{`{"b":{}}`, true},
		{`{"b":[]}`, true},
		{`{}`, true},
		{`{"a":"x"}`, false},         // a case variant of a known name: encoding/json's choice
		{`{"A":"x","A":"y"}`, false}, // repeated member
		{`{"A":null}`, false},        // null where a string is expected
		{`{"A":"\u0041"}`, false},    // escape in a value
		{`{"\u0041":"x"}`, false},    // escape in a name
		{`{"A":"x",}`, false},        // trailing comma
		{`{"b":[1,]}`, false},        // trailing comma in a skipped array
		{`{"b":01}`, false},          // leading zero
		{`{"b":1.}`, false},          // no fraction digits
		{`{"b":-}`, false},           // no digits
		{`{"b":1e}`, false},          // no exponent digits
		{`{"b":tru}`, false},         // truncated literal
		{`{"b":truex}`, false},       // literal run on
		{`{"b":"\x"}`, false},        // bad escape
		{`{"b":"\u12"}`, false},      // short \u escape
		{"{\"b\":\"\x01\"}", false},  // control byte in a string
		{`{"A":"x"} {}`, false},      // trailing data
		{`{"A":"x"`, false},          // truncated
		{`{"A" "x"}`, false},         // no colon
		{`["A"]`, false},             // not an object
		{"{\"A\":\"\xff\"}", false},  // invalid UTF-8 becomes U+FFFD in encoding/json
		{`{"b":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, false}, // deeper than the fast path goes
	} {
		r := NewJSONReader([]byte(tc.doc))
		var seen uint64
		var got string
		if r.Open('{') {
			for r.More('}') {
				if r.Field(names, &seen) == "A" {
					got = r.String()
				}
			}
		}
		require.Equal(t, tc.ok, r.Done(), "doc %s", tc.doc)
		if tc.ok && strings.Contains(tc.doc, `"A"`) {
			require.Equal(t, "x", got)
		}
		require.True(t, utf8.ValidString(got))
	}
}
