package adexport

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBounds: an object that never ends (no blank line after it) or a
// value folded or wrapped without end keeps no more than the limits: the
// object's text is cut at maxTextLen, values and properties are capped,
// each cut is reported once, and the object is still read.
func TestBounds(t *testing.T) {
	const ldifHead = "dn: CN=Bob,DC=contoso,DC=com\nobjectClass: user\nuserPrincipalName: bob@contoso.com\nmsRTCSIP-UserEnabled: FALSE\n"
	const listHead = "DistinguishedName : CN=Bob,DC=contoso,DC=com\nUserPrincipalName : bob@contoso.com\nmsRTCSIP-UserEnabled : False\n"
	for _, tc := range []struct {
		name, path, data string
		problem          string // a problem that says what was cut
	}{
		{"LDIF lines without a blank line", "u.ldf", ldifHead + strings.Repeat("x\r\n", 200_000), "not an LDIF attribute line"},
		{"LDIF values without end", "u.ldf", ldifHead + strings.Repeat("proxyAddresses: smtp:a@b.c\n", 5000), "more than 1000 values of proxyAddresses"},
		{"LDIF folded line without end", "u.ldf", ldifHead + "description: a\n" + strings.Repeat(" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 20_000), "line folded past 65536 bytes, cut"},
		{"Format-List wrapped value without end", "u.txt", listHead + "Description : a\n" + strings.Repeat("              xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 20_000), "value of Description longer than 65536 bytes, cut"},
		{"Format-List properties without end", "u.txt", listHead + strings.Repeat("Prop : x\n", 10_000), "more than 4096 properties"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, problems, err := parse(t, tc.path, []byte(tc.data))
			require.NoError(t, err)
			require.Len(t, evs, 1)
			e := evs[0]
			assert.Equal(t, "bob@contoso.com", e.Get("ad.upn"))
			assert.Equal(t, "false", e.Get("ad.sip_enabled"))
			assert.LessOrEqual(t, len(e.Text), maxTextLen+len("…"))
			assert.LessOrEqual(t, strings.Count(e.Get("ad.proxy_addresses"), "\n")+1, maxValues)
			msgs := problemStrings(problems)
			assert.LessOrEqual(t, len(msgs), 101, "problems are capped")
			n := 0
			for _, m := range msgs {
				if strings.Contains(m, tc.problem) {
					n++
				}
			}
			assert.NotZero(t, n, "a problem says %q: %q", tc.problem, msgs)
			if !strings.Contains(tc.problem, "not an LDIF") {
				assert.Equal(t, 1, n, "reported once")
			}
		})
	}
}

// TestLDIFEntryKeepsItsTextOnly: the lines of a record are kept up to the
// text's limit, not all of them.
func TestLDIFEntryKeepsItsTextOnly(t *testing.T) {
	var e ldifEntry
	for range 200_000 {
		e.add("x")
	}
	assert.LessOrEqual(t, e.size, maxTextLen+2)
	assert.Less(t, len(e.lines), maxTextLen)
}

// TestNotADistinguishedName: a row whose distinguished name is not one,
// or a line of one value under several columns (stray lines of a damaged
// CSV; a file of 11 million such lines made as many users and took 24 s
// for 32 MiB) is no user; the rows around it are read.
func TestNotADistinguishedName(t *testing.T) {
	csv := "DN,sAMAccountName,userPrincipalName,msRTCSIP-UserEnabled\n" +
		"\"CN=Bob,DC=contoso,DC=com\",bob,bob@contoso.com,FALSE\n" +
		strings.Repeat("x,y,z,TRUE\n", 40) + strings.Repeat("x\n", 40) +
		"\"CN=Ann,DC=contoso,DC=com\",ann,ann@contoso.com,TRUE\n"
	evs, problems, err := parse(t, "u.csv", []byte(csv))
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, "bob@contoso.com", evs[0].Get("ad.upn"))
	assert.Equal(t, "ann@contoso.com", evs[1].Get("ad.upn"))
	msgs := strings.Join(problemStrings(problems), "\n")
	assert.Contains(t, msgs, `line 3: "x" is not a distinguished name, object skipped`)
	assert.Contains(t, msgs, "line 43: line of 1 value under 4 columns, skipped")
}
