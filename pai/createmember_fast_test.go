package pai

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/acsmembers/acsmembers-go/internal"
)

// officialCreateMemberBody is the body as the official models marshal it;
// createMemberBody must write the same bytes.
type officialCreateMemberBody struct {
	Members []struct {
		Roles  []Role `json:"Roles"`
		UserID string `json:"UserId"`
	} `json:"Members"`
}

func officialBody(req *CreateMemberRequest) []byte {
	var b officialCreateMemberBody
	if req.Members != nil {
		b.Members = make([]struct {
			Roles  []Role `json:"Roles"`
			UserID string `json:"UserId"`
		}, len(req.Members))
	}
	for i, m := range req.Members {
		b.Members[i].Roles, b.Members[i].UserID = m.Roles, m.UserID
	}
	out, err := internal.MarshalJSON(&b)
	if err != nil {
		panic(err)
	}
	return out
}

func TestCreateMemberBodyMatchesEncodingJSON(t *testing.T) {
	pieces := []string{"", "215139260000088039", "user\"q", `b\s`, "<&>", "\n\t\x00\x1f", "\u2028", "\xff\xfe", "中文", "😀", "PAI.AlgoDeveloper"}
	rng := rand.New(rand.NewPCG(3, 4))
	str := func() string {
		s := ""
		for range rng.IntN(4) {
			s += pieces[rng.IntN(len(pieces))]
		}
		return s
	}
	reqs := []*CreateMemberRequest{
		{WorkspaceID: "1"},
		{WorkspaceID: "1", Members: []MemberSpec{}},
		{WorkspaceID: "1", Members: []MemberSpec{{UserID: "u"}}},
		{WorkspaceID: "1", Members: []MemberSpec{{UserID: "u", Roles: []Role{}}}},
	}
	for range 500 {
		req := &CreateMemberRequest{WorkspaceID: "1"}
		for range 1 + rng.IntN(3) {
			m := MemberSpec{UserID: str()}
			for range rng.IntN(3) {
				m.Roles = append(m.Roles, Role(str()))
			}
			req.Members = append(req.Members, m)
		}
		reqs = append(reqs, req)
	}
	for _, req := range reqs {
		require.Equal(t, string(officialBody(req)), string(createMemberBody{req}.AppendJSON(nil)), "request %+v", req)
	}
}

// createMemberReplies are replies the fast decoder reads itself or hands
// to encoding/json; either way the result must be json.Unmarshal's.
var createMemberReplies = []string{
	benchReply,
	`{"RequestId":"r","Members":[]}`,
	`{"RequestId":"r","Members":[{"Roles":[]}],"Extra":{"a":[1,2,{"b":null}]},"N":-1.5e3}`,
	`{"RequestId":"r","Code":"0","Message":"ok","Members":[{"MemberId":"m","UserId":"u","MemberName":"n","DisplayName":"显示","AccountName":"a","AccountType":"1","GmtCreateTime":"2021-01-21T17:12:35.232Z","Roles":["PAI.WorkspaceAdmin","PAI.AlgoDeveloper"]},{"UserId":"v"}]}`,
	` {"Members" : [ {"UserId" : "u"} ] , "RequestId" : "r" } `,
	`{"requestid":"r"}`,
	`{"RequestId":"r","RequestId":"s"}`,
	`{"RequestId":null,"Members":null}`,
	`{"RequestId":"\u0041"}`,
	`{"Code":100600017}`,
	`{"Members":[{"AccountType":1}]}`,
	`{"Members":[null]}`,
	`{"Members":[{"Roles":[null]}]}`,
	`{"Members":{}}`,
	`{"RequestId":5}`,
	"{\"RequestId\":\"\xff\"}",
	`{"RequestId":"r"} x`,
	`{"RequestId":"r",}`,
	`null`,
	``,
	`[]`,
}

func TestCreateMemberDecodeFastMatchesEncodingJSON(t *testing.T) {
	fast := 0
	for _, body := range createMemberReplies {
		if checkCreateMemberDecode(t, []byte(body)) {
			fast++
		}
	}
	require.Equal(t, 5, fast, "the first five replies are in the fast subset")
	var w createMemberWire
	require.True(t, w.DecodeFast([]byte(benchReply)))
	require.Equal(t, "DA869D1B-035A-43B2-ACC1-C56681BD9FAA", w.RequestID)
	require.Equal(t, []Role{RoleAlgoDeveloper}, w.Members[0].Roles)
}

// checkCreateMemberDecode compares DecodeFast with json.Unmarshal on body
// and reports whether the fast path took it.
func checkCreateMemberDecode(t *testing.T, body []byte) bool {
	var want createMemberWire
	wantErr := json.Unmarshal(body, &want)
	sentinel := createMemberWire{Envelope: internal.Envelope{RequestID: "untouched"}}
	got := sentinel
	if !got.DecodeFast(body) {
		require.Equal(t, sentinel, got, "a declined body must leave the value unchanged: %q", body)
		return false
	}
	require.NoError(t, wantErr, "fast path accepted a body encoding/json rejects: %q", body)
	require.Equal(t, want, got, "body %q", body)
	return true
}

func FuzzCreateMemberDecodeFast(f *testing.F) {
	for _, body := range createMemberReplies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkCreateMemberDecode(t, body) })
}
