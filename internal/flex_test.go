package internal

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlexString: strings and numbers both decode, and a string decodes as
// encoding/json decodes it, escapes and invalid UTF-8 included.
func TestFlexString(t *testing.T) {
	for _, in := range []string{`"5"`, `"caf\u00e9"`, `"a\"b"`, `""`, "\"\xff\"", `"é"`} {
		var f FlexString
		require.NoError(t, json.Unmarshal([]byte(in), &f), in)
		var want string
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		assert.Equal(t, want, string(f), in)
	}
	for in, want := range map[string]string{`5`: "5", `-1.5`: "-1.5", `null`: ""} {
		var f FlexString
		require.NoError(t, json.Unmarshal([]byte(in), &f), in)
		assert.Equal(t, want, string(f), in)
	}
	var f FlexString
	assert.Error(t, json.Unmarshal([]byte(`true`), &f))
}

// TestFlexInt: integers sent as numbers or strings.
func TestFlexInt(t *testing.T) {
	for in, want := range map[string]int64{`7`: 7, `"7"`: 7, `""`: 0, `null`: 0, `-3`: -3} {
		var n FlexInt
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, want, int64(n), in)
	}
	for _, in := range []string{`"x"`, `1.5`, `"99999999999999999999"`} {
		var n FlexInt
		assert.Error(t, json.Unmarshal([]byte(in), &n), in)
	}
}
