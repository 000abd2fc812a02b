package internal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// FlexString decodes a JSON string or number into a string: fields such as
// AccountType or ProjectRoleType are documented as strings but shown as
// numbers in some samples, and either must decode.
type FlexString string

// UnmarshalJSON accepts a string, a number, or null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		*f = FlexString(b[1 : len(b)-1]) // no escapes: the string is its bytes
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = FlexString(n.String())
	return nil
}

// FlexInt decodes an integer sent as a JSON number or as a string holding
// one: the documentation's samples show both for IDs and paging numbers.
type FlexInt int64

// UnmarshalJSON accepts 7, "7", "" and null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	var s FlexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(string(s), 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not an integer", string(s))
	}
	*n = FlexInt(v)
	return nil
}
