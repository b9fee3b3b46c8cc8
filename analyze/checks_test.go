package analyze

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// ev builds an event of kind from field pairs, located in path.
func ev(kind, path string, line int, fields ...string) *event.Event {
	e := &event.Event{Kind: kind, Path: path, Line: line}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Set(fields[i], fields[i+1])
	}
	return e
}

// results renders checks as "name subject result".
func results(es []*event.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Get("check.name")+" "+e.Get("check.subject")+" "+e.Get("check.result"))
	}
	return out
}

func TestChecks(t *testing.T) {
	const addr = "sip:bob@contoso.com"
	sipOK := ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.contoso.com", "dns.type", "A", "dns.status", "ok", "dns.cname", "sipdir.online.lync.com", "dns.addresses", "52.112.0.1")
	discoverOK := ev(event.KindDNS, "dns.txt", 9, "dns.query", "lyncdiscover.contoso.com", "dns.type", "CNAME", "dns.status", "ok", "dns.cname", "webdir.online.lync.com")
	srvOK := ev(event.KindDNS, "dns.txt", 17, "dns.query", "_sip._tls.contoso.com", "dns.type", "SRV", "dns.status", "ok", "dns.srv.target", "sipdir.online.lync.com", "dns.srv.port", "443")
	tests := []struct {
		name    string
		address string
		events  []*event.Event
		want    []string
	}{
		{"all three records right", addr, []*event.Event{sipOK, discoverOK, srvOK}, []string{
			"dns.sip sip.contoso.com pass", "dns.lyncdiscover lyncdiscover.contoso.com pass",
			"dns.sip_tls _sip._tls.contoso.com pass", "dns.all contoso.com pass"}},
		{"older sipdir.online.microsoft.com accepted", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.contoso.com", "dns.type", "CNAME", "dns.status", "ok", "dns.cname", "sipdir.online.microsoft.com")},
			[]string{"dns.sip sip.contoso.com pass"}},
		{"sip record missing", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.contoso.com", "dns.type", "A", "dns.status", "nxdomain")},
			[]string{"dns.sip sip.contoso.com fail"}},
		{"sip record points on premises", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.contoso.com", "dns.type", "A", "dns.status", "ok", "dns.addresses", "203.0.113.7")},
			[]string{"dns.sip sip.contoso.com fail"}},
		{"time-out decides nothing", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.contoso.com", "dns.type", "A", "dns.status", "timeout")}, nil},
		{"an A query of the SRV name says nothing of the SRV record", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "_sip._tls.contoso.com", "dns.type", "A", "dns.status", "noanswer")}, nil},
		{"another domain's records are not the user's", addr, []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.fabrikam.com", "dns.type", "A", "dns.status", "nxdomain")}, nil},
		{"no address: the domains looked up", "", []*event.Event{
			ev(event.KindDNS, "dns.txt", 1, "dns.query", "sip.fabrikam.com", "dns.type", "A", "dns.status", "nxdomain")},
			[]string{"dns.sip sip.fabrikam.com fail"}},
		{"clock 7 minutes behind", "", []*event.Event{
			ev(event.KindClock, "w32tm.txt", 5, "clock.offset", "-0.01", "clock.peer", "time.windows.com"),
			ev(event.KindClock, "w32tm.txt", 6, "clock.offset", "-462.13", "clock.peer", "time.windows.com")},
			[]string{"clock.offset time.windows.com fail"}},
		{"the Sign-in Assistant recorded a 7-minute skew", "", []*event.Event{
			ev(event.KindClock, "w32tm.txt", 6, "clock.offset", "0.01", "clock.peer", "time.windows.com"),
			ev(event.KindRegistry, "crl.reg", 3, "reg.path", `.default\software\microsoft\msoidentitycrl`, "reg.name", "ClockSkew", "reg.type", "REG_DWORD", "reg.data", "462")},
			[]string{"clock.offset the Microsoft Online sign-in service fail"}},
		{"a ClockSkew under 5 minutes decides nothing", "", []*event.Event{
			ev(event.KindRegistry, "crl.reg", 3, "reg.path", `.default\software\microsoft\msoidentitycrl`, "reg.name", "ClockSkew", "reg.type", "REG_DWORD", "reg.data", "120")}, nil},
		{"clock in sync", "", []*event.Event{ev(event.KindClock, "w32tm.txt", 5, "clock.offset", "0.0123512", "clock.peer", "time.windows.com")},
			[]string{"clock.offset time.windows.com pass"}},
		{"domain missing from TrustModelData", addr, []*event.Event{
			ev(event.KindRegistry, "policy.reg", 4, "reg.path", `software\policies\microsoft\communicator`, "reg.name", "TrustModelData", "reg.data", "fabrikam.com")},
			[]string{"trust.domain contoso.com fail"}},
		{"domain in TrustModelData", addr, []*event.Event{
			ev(event.KindRegistry, "policy.reg", 4, "reg.path", `software\policies\microsoft\communicator`, "reg.name", "TrustModelData", "reg.data", "fabrikam.com, contoso.com")},
			[]string{"trust.domain contoso.com pass"}},
		{"no Communicator policy exported", addr, []*event.Event{
			ev(event.KindRegistry, "ie.reg", 4, "reg.path", `software\microsoft\windows\currentversion\internet settings`, "reg.name", "ProxyEnable", "reg.data", "0")}, nil},
		{"user not enabled for SIP", addr, []*event.Event{
			ev(event.KindDirectory, "users.ldf", 1, "ad.upn", "bob@contoso.com", "ad.sip_enabled", "false", "ad.sip_address", "sip:bob@contoso.com"),
			ev(event.KindDirectory, "users.ldf", 9, "ad.upn", "alice@contoso.com", "ad.sip_enabled", "true", "ad.sip_address", "sip:alice@contoso.com")},
			[]string{"ad.sip_enabled bob@contoso.com fail"}},
		{"user enabled with an address", addr, []*event.Event{
			ev(event.KindDirectory, "users.csv", 2, "ad.upn", "bob@contoso.com", "ad.sip_enabled", "true", "ad.sip_address", "sip:bob@contoso.com")},
			[]string{"ad.sip_enabled bob@contoso.com pass"}},
		{"another user's object decides nothing", addr, []*event.Event{
			ev(event.KindDirectory, "users.csv", 2, "ad.upn", "alice@contoso.com", "ad.sip_enabled", "false")}, nil},
		{"proxy with login failures", "", []*event.Event{
			ev(event.KindProxy, "winhttp.txt", 3, "proxy.scope", "winhttp", "proxy.direct", "false", "proxy.server", "proxy.contoso.com:8080"),
			{Kind: event.KindHRESULT, Source: event.SourceUccApilog, Path: "Lync-UccApi-0.UccApilog", Line: 40,
				Text: "06/15/2017|09:02:11.482 1F68:C14 ERROR :: IDCRL request to https://login.microsoftonline.com/RST2.srf failed, hr=0x80072efd"}},
			[]string{"proxy.signin proxy.contoso.com:8080 fail"}},
		{"proxy without login failures", "", []*event.Event{
			ev(event.KindProxy, "winhttp.txt", 3, "proxy.scope", "winhttp", "proxy.direct", "false", "proxy.server", "proxy.contoso.com:8080")}, nil},
		{"self-signed AD FS certificate", "", []*event.Event{
			ev(event.KindCert, "verify.txt", 3, "cert.host", "adfs.contoso.com", "cert.self_signed", "true", "cert.result", "error", "cert.error", "0x800b0109")},
			[]string{"cert.adfs adfs.contoso.com fail"}},
		{"AD FS certificate chains", "", []*event.Event{
			ev(event.KindCert, "verify.txt", 3, "cert.host", "sts.contoso.com", "cert.result", "ok")},
			[]string{"cert.adfs sts.contoso.com pass"}},
		{"a web server's certificate is no AD FS certificate", "", []*event.Event{
			ev(event.KindCert, "verify.txt", 3, "cert.host", "www.contoso.com", "cert.result", "error")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFacts()
			for _, e := range tt.events {
				f.observe(e)
			}
			merged := newFacts()
			merged.merge(f)
			got := merged.checks(tt.address)
			assert.Equal(t, tt.want, results(got))
			for _, c := range got {
				assert.Equal(t, event.KindCheck, c.Kind)
				assert.NotEmpty(t, c.Path, "a check is located at the file that decided it")
				assert.NotEmpty(t, c.Get("check.detail"))
			}
		})
	}
}

func TestFormatSeconds(t *testing.T) {
	assert.Equal(t, "-7 min 42 s", formatSeconds(-462.13))
	assert.Equal(t, "+0.0124 s", formatSeconds(0.0123512))
}
