package event

import (
	"strings"
	"testing"
)

// sipMessage returns a SIP REGISTER of about 4 KB as a client log holds
// one, its lines joined by "\n": a start line, headers with <sip:...>
// addresses and quoted parameters, and a Kerberos authorization header
// with a long run of base64.
func sipMessage() string {
	var b strings.Builder
	for _, line := range []string{
		"REGISTER sip:contoso.com SIP/2.0",
		"Via: SIP/2.0/TLS 10.0.4.15:55861",
		"Max-Forwards: 70",
		"From: <sip:bob@contoso.com>;tag=0436e47160;epid=5a852ad8e5",
		"To: <sip:bob@contoso.com>",
		"Call-ID: 36aa321ccf84d8847efe9fb59a0d9053",
		"CSeq: 2 REGISTER",
		`Contact: <sip:10.0.4.15:55861;transport=tls;ms-opaque=d3470f2e1d>;methods="INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY";proxy=replace;+sip.instance="<urn:uuid:a5b3b3b4-5d2c-5a8b-9d8e-6f4b9f3f3b1e>"`,
		"User-Agent: UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)",
		"Supported: gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence",
		"Supported: ms-forking",
		"Supported: ms-cluster-failover",
		"Supported: ms-userservices-state-notification",
		"ms-keep-alive: UAC;hop-hop=yes",
		"Event: registration",
		`ms-subnet: 10.0.4.0`,
		`ms-device-info: "Contoso Laptop 7490"; manufacturer="Contoso"; os="Windows 10 Enterprise"`,
		`ms-endpoint-location-data: NetworkScope;ms-media-location-type=Intranet`,
		`Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, MESSAGE, SUBSCRIBE, NOTIFY, PRACK, OPTIONS, REFER`,
		`Proxy-Authorization: Kerberos qop="auth", realm="SIP Communications Service", opaque="8E4DA27C", crand="5b1d4c60", cnum="3", targetname="sip/lyncpool01.contoso.com", response="602306092a864886f71201020201011100ffffffff6a7b5c3d4e2f1a0b0c0d0e0f10111213"`,
	} {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	// A Kerberos ticket in base64 fills the message to about 4 KB.
	b.WriteString(`Authorization: Kerberos qop="auth", realm="SIP Communications Service", targetname="sip/lyncpool01.contoso.com", gssapi-data="`)
	const b64 = "YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMFACAAAACjggSYYYIElDCCBJCgAwIBBaENGwtDT05UT1NPLkNPTaIoMCagAwIBAqEfMB0bA3NpcBsWbHluY3Bvb2wwMS5jb250b3NvLmNvbQ"
	for b.Len() < 4000 {
		b.WriteString(b64)
	}
	b.WriteString("\", version=4\nContent-Length: 0\n")
	return b.String()
}

// BenchmarkAppendString compares appendString with appendStringRef, the
// byte-at-a-time loop it replaced, on a SIP message (a few escapes per
// line), on ASCII text with nothing to escape, on a short field value, on
// XML (an escape every few bytes) and on text with many non-ASCII
// characters.
func BenchmarkAppendString(b *testing.B) {
	for _, in := range []struct{ name, s string }{
		{"sip", sipMessage()},
		{"ascii", strings.Repeat("The quick brown fox jumps over the lazy dog; 0123456789. ", 72)},
		{"short", "sip:bob@contoso.com"},
		{"xml", strings.Repeat(`<category name="state" instance="1" publishTime="2018-04-12T08:58:03.963"><state xsi:type="aggregateState" xmlns="http://schemas.microsoft.com/2006/09/sip/state"><availability>3500</availability></state></category>`+"\r\n", 20)},
		{"utf8", strings.Repeat("Überprüfung der Anmeldung fehlgeschlagen: 認証に失敗しました. ", 50)},
	} {
		for _, fn := range []struct {
			name   string
			append func([]byte, string) []byte
		}{
			{"ref", appendStringRef},
			{"new", appendString},
		} {
			b.Run(in.name+"/"+fn.name, func(b *testing.B) {
				buf := fn.append(nil, in.s)
				b.SetBytes(int64(len(in.s)))
				b.ReportAllocs()
				for b.Loop() {
					buf = fn.append(buf[:0], in.s)
				}
			})
		}
	}
}
