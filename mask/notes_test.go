package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSecretsNotes covers the forms a support engineer's notes and pasted
// commands hold secrets in, found leaking through "sfblog parse" of a
// note with an HRESULT on each line: each with the exact masked text, and
// with near misses of the same shape that must stay as they are.
func TestSecretsNotes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		// A quoted value right after a password word.
		{"password 'X'", "Tried password 'Spr1ng!' twice", "Tried password '<masked>' twice"},
		{`password "X"`, `and password "Spr1ng 2"`, `and password "<masked>"`},
		{"password `X`", "Password `Spr1ng`", "Password `<masked>`"},
		{"password with an escaped quote", `pwd "a\"b" x`, `pwd "<masked>" x`},
		{"a quoted word about the password stays", `password "expired" and password 'incorrect'`, `password "expired" and password 'incorrect'`},
		{"a quoted HRESULT stays", `password "0x80048821"`, `password "0x80048821"`},
		{"a quote not closed on its line stays", "password \"abc\ndef\"", "password \"abc\ndef\""},
		{"an empty quoted value stays", `password ""`, `password ""`},

		// "password was X", as "password is X".
		{"password was X", "His password was Spr1ngW before the reset", "His password was <masked> before the reset"},
		{"password was a prose word stays", "the password was reset; password was expired", "the password was reset; password was expired"},

		// Names SecretName takes.
		{"passphrase label", "passphrase: Spr1ng horse", "passphrase: <masked>"},
		{"passphrase label mid-line", "my passphrase: Spr1ng horse", "my passphrase: <masked> horse"},
		{"passcode parameter", "?user=bob&passcode=493021&x=1", "?user=bob&passcode=<masked>&x=1"},
		{"api_key parameter", "api_key=Spr1ngK3y&x=1", "api_key=<masked>&x=1"},
		{"apiKey JSON", `{"apiKey":"Spr1ngK3y","user":"bob"}`, `{"apiKey":"<masked>","user":"bob"}`},
		{"X-Api-Key header", "X-Api-Key: Spr1ngK3y", "X-Api-Key: <masked>"},
		{"subscription key header", "Ocp-Apim-Subscription-Key: 0123abcd", "Ocp-Apim-Subscription-Key: <masked>"},
		{"PIN label", "PIN: 483920", "PIN: <masked>"},
		{"pin in JSON and XML", `{"pin":"483920"} <NewPin>1234</NewPin>`, `{"pin":"<masked>"} <NewPin><masked></NewPin>`},
		{"Credential label", "credential: Spr1ngCred", "credential: <masked>"},
		{"private keys by name", `{"privateKey":"MIIEvQIBADAN"} <PrivateKey>MIIE</PrivateKey> private_key=abc`, `{"privateKey":"<masked>"} <PrivateKey><masked></PrivateKey> private_key=<masked>`},
		{"a key's other names stay", "KeyUsage: 0x80 PublicKey: 3082010a HasPrivateKey: True privateKeyUsage=1", "KeyUsage: 0x80 PublicKey: 3082010a HasPrivateKey: True privateKeyUsage=1"},
		{"spin, hairpin and a PIN flag stay", "spin: 3 hairpin=1 RequirePin: True PinLength=6", "spin: 3 hairpin=1 RequirePin: True PinLength=6"},
		{"pass=X", "user=bob pass=Spr1ng;", "user=bob pass=<masked>;"},
		{"pass=number stays", "pass=3 fail=0", "pass=3 fail=0"},

		// PowerShell and command-line parameters.
		{"-NewPassword", `Set-MsolUserPassword -UserPrincipalName bob@contoso.com -NewPassword "Spr1ng" -ForceChangePassword $false`, `Set-MsolUserPassword -UserPrincipalName bob@contoso.com -NewPassword "<masked>" -ForceChangePassword $false`},
		{"-Pin", `Set-CsClientPin -Identity "bob@contoso.com" -Pin 383042`, `Set-CsClientPin -Identity "bob@contoso.com" -Pin <masked>`},
		{"--password", "tool --user bob --password Spr1ng --verbose", "tool --user bob --password <masked> --verbose"},
		{"a variable, a flag and a switch stay", "-Credential $cred -PasswordNeverExpires $true -Password -AsPlainText", "-Credential $cred -PasswordNeverExpires $true -Password -AsPlainText"},
		{"ConvertTo-SecureString literal", "$pw = ConvertTo-SecureString 'Spr1ng' -AsPlainText -Force", "$pw = ConvertTo-SecureString '<masked>' -AsPlainText -Force"},
		{"ConvertTo-SecureString after its switches", `-NewPassword (ConvertTo-SecureString -AsPlainText -String "Spr1ng" -Force)`, `-NewPassword (ConvertTo-SecureString -AsPlainText -String "<masked>" -Force)`},
		{"ConvertTo-SecureString of a variable stays", "ConvertTo-SecureString $pw -AsPlainText -Force", "ConvertTo-SecureString $pw -AsPlainText -Force"},

		// The attributes of a secret element.
		{"attribute of a self-closing secret element", `<AccessToken user="bob" password="Spr1ng"/>`, `<AccessToken user="bob" password="<masked>"/>`},
		{"attribute and content", `<Token type="x" secret='s3'>abc</Token>`, `<Token type="x" secret='<masked>'><masked></Token>`},
		{"credential element", `<credential user="bob" password="Spr1ng"/>`, `<credential user="bob" password="<masked>"/>`},
		{"other attributes stay", `<AccessToken Type="Bearer" expires="3599">x</AccessToken>`, `<AccessToken Type="Bearer" expires="3599"><masked></AccessToken>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Secrets(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Secrets(got), "idempotent")
			assert.Equal(t, oldSecrets(tt.in), got, "the oracle (old_test.go) masks alike")
		})
	}
}
