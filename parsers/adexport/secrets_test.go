package adexport

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/mask"
)

// TestSecretAttributes: an attribute whose name says secret (LDIF
// userPassword:: and unicodePwd::, a Password column of a bulk-import CSV,
// a Format-List property) is kept as ad.attr.NAME, as written, so that
// its value is masked in the object's text; an attribute of a name that
// only looks alike (pwdLastSet) is not.
func TestSecretAttributes(t *testing.T) {
	for _, tc := range []struct {
		name, path, data string
		fields           map[string]string
		secrets          []string // never in the masked text
		keeps            []string // in the masked text
	}{
		{
			"LDIF base64 values", "users.ldf",
			"dn: CN=Bob,DC=contoso,DC=com\nobjectClass: user\nuserPrincipalName: bob@contoso.com\n" +
				"userPassword:: U3ByMW5nTGRpZjIwMTg=\nunicodePwd:: IgBTAHAAcgAxAG4AZwAiAA==\npwdLastSet: 131000000000000000\n" +
				"msRTCSIP-UserEnabled: FALSE\n",
			map[string]string{"ad.attr.userPassword": "U3ByMW5nTGRpZjIwMTg=", "ad.attr.unicodePwd": "IgBTAHAAcgAxAG4AZwAiAA=="},
			[]string{"U3ByMW5nTGRpZjIwMTg=", "IgBTAHAAcgAxAG4AZwAiAA=="},
			[]string{"userPassword:: <masked>", "unicodePwd:: <masked>", "pwdLastSet: 131000000000000000"},
		},
		{
			"LDIF plain value", "users.ldf",
			"dn: CN=Bob,DC=contoso,DC=com\nobjectClass: user\nuserPassword: Spr1ngPlain\n",
			map[string]string{"ad.attr.userPassword": "Spr1ngPlain"},
			[]string{"Spr1ngPlain"}, []string{"userPassword: <masked>"},
		},
		{
			"CSV password column", "users.csv",
			"DN,sAMAccountName,userPrincipalName,Password,msRTCSIP-UserEnabled\n" +
				"\"CN=Bob Smith,OU=Users,DC=contoso,DC=com\",bob,bob@contoso.com,Spr1ngCsv2018,FALSE\n",
			map[string]string{"ad.attr.Password": "Spr1ngCsv2018"},
			[]string{"Spr1ngCsv2018"}, []string{"bob@contoso.com,<masked>,FALSE"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, problems, err := parse(t, tc.path, []byte(tc.data))
			require.NoError(t, err)
			require.Empty(t, problems)
			require.Len(t, evs, 1)
			e := evs[0]
			for k, v := range tc.fields {
				assert.Equal(t, v, e.Get(k), k)
			}
			assert.Empty(t, e.Get("ad.attr.pwdLastSet"))
			m := mask.Event(&e)
			for _, s := range tc.secrets {
				assert.NotContains(t, m.Text, s)
				for k, v := range m.Fields {
					assert.NotContains(t, v, s, k)
				}
			}
			for _, s := range tc.keeps {
				assert.Contains(t, m.Text, s)
			}
		})
	}
}
