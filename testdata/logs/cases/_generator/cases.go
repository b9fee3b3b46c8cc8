package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// caseSpec is one sample case.
type caseSpec struct {
	id       string
	client   string   // client version, for the README table
	shows    string   // one line for the README table
	expected []string // signature ids sfblog must report, exactly
	// confirmed and possible are the ids that must be reported with that
	// confidence; outcome is the sign-in verdict (signin.outcome, or each
	// group's when the inputs hold several users).
	confirmed, possible []string
	outcome             string
	groups              int
	readme              string // the case README paragraph
	build               func(g *gen) (bundle, extra []file)
}

// Paths of the client logs inside a bundle.
const (
	pathSfB      = "Tracing/Lync-UccApi-0.UccApilog"
	pathLync2010 = "Tracing/Communicator-uccapi-0.uccapilog"
)

// The Skype for Business Online topology of the samples (reserved names and
// documentation addresses only).
const (
	sipdirFQDN = "sipdir.online.lync.com"
	sipdirIP   = "198.51.100.10"
	webdirFQDN = "webdir0b.online.lync.com"
	poolFQDN   = "sippoolbl20a05.infra.lync.com"
	poolIP     = "198.51.100.21"
	webPool    = "webpoolbl20a05.infra.lync.com"
	clientIP   = "10.0.4.15"
	publicIP   = "192.0.2.44"
)

func at(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
	return time.Date(y, mo, d, h, mi, s, ms*int(time.Millisecond), time.UTC)
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

// port returns a random ephemeral port.
func (g *gen) port() string { return strconv.Itoa(g.between(49700, 64900)) }

// onlineClient creates a client connected to sipdir.online.lync.com.
func onlineClient(l *clog, ver clientVer, user string) *client {
	c := conn{remote: sipdirIP + ":443", local: clientIP + ":" + l.g.port()}
	cl := newClient(l, ver, user, c, publicIP)
	return cl
}

// toPool connects to sipdir, is redirected to the home pool and connects
// there. rtc is the Server header of the service.
func toPool(cl *client, rtc string) {
	l := cl.l
	cl.srv = server{fqdn: sipdirFQDN, header: rtc, webPool: webdirFQDN}
	l.connect(sipdirFQDN, cl.c)
	cl.redirect(poolFQDN)
	l.info("CUccServerEndpoint::OnRegisterComplete - Redirected to home server %s:443", poolFQDN)
	l.step(8)
	c := conn{remote: poolIP + ":443", local: clientIP + ":" + l.g.port()}
	cl.reconnect(c, server{fqdn: poolFQDN, header: rtc, webPool: webPool})
	l.connect(poolFQDN, c)
}

// onlineSignIn runs a full successful sign-in to Skype for Business Online.
func onlineSignIn(cl *client, rtc string) {
	user := userOf(cl.uri)
	if cl.ver.build != lync2010.build {
		cl.l.autodiscover(user, cl.domain, webdirFQDN)
	} else {
		cl.l.srvDiscovery(cl.domain, sipdirFQDN)
	}
	toPool(cl, rtc)
	cl.signInTLSDSK(func() { cl.l.provisionOK(user, webPool) })
}

func pickContacts(g *gen, n int) []contact {
	idx := g.rng.Perm(len(contactPool))[:n]
	out := make([]contact, n)
	for i, k := range idx {
		out[i] = contactPool[k]
	}
	return out
}

// ---------------------------------------------------------------------------

// clientLogCases are the cases built from client logs alone.
func clientLogCases() []caseSpec {
	return []caseSpec{
		{
			id: "healthy-signin", client: "Skype for Business 2016", expected: nil,
			shows: "TLS-DSK sign-in to SfB Online, then hours of presence traffic (~5,000 lines, the speed check)",
			readme: "Skype for Business 2016 signs in to Skype for Business Online without trouble: lyncdiscover " +
				"autodiscover, REGISTER to sipdir.online.lync.com answered `301 Redirect request to Home Server`, REGISTER " +
				"to the home pool answered 401 with NTLM, Kerberos and TLS-DSK challenges, certificate provisioning (IDCRL " +
				"token, web ticket, GetAndPublishCert), two TLS-DSK legs whose 401s carry gssapi-data continuations, and " +
				"the signed REGISTER answered 200 OK. Hours of SUBSCRIBE/BENOTIFY/NOTIFY/SERVICE presence traffic and " +
				"REGISTER refreshes follow, then a sign-out. Every Date header is the log time minus the user's UTC-7 offset " +
				"(within a second). Nothing is wrong, so no finding may be reported: a 401 that carries gssapi-data, the " +
				"301 redirect and the many signed messages are normal. This is the large file (about 5,000 lines) for speed checks.",
			build: buildHealthy,
		},
		{
			id: "unrelated-errors", client: "Skype for Business 2016", expected: nil,
			shows: "good sign-in, then INVITE 500 + ms-diagnostics, MESSAGE 403 + ms-diagnostics-public, a media device ERROR",
			readme: "A good sign-in as in healthy-signin (UTC+1 user), followed by errors that have nothing to do with " +
				"signing in: an INVITE to a contact answered `500 Server Internal Error` with `ms-diagnostics: 1006`, an IM " +
				"to a federated contact whose MESSAGE is answered `403 Forbidden` with `ms-diagnostics-public: 1034`, and an " +
				"ERROR line about an audio capture device (hr=0x88890004). REGISTER ends in 200 OK and stays registered, so " +
				"no sign-in finding may be reported: signatures must look at REGISTER (CSeq method) outcomes, not at any " +
				"error response or ERROR line.",
			build: buildUnrelated,
		},
		{
			id: "bad-credentials", client: "Skype for Business 2016", expected: []string{"SFB-BAD-CREDENTIALS"},
			shows: "IDCRL 0x80048821, NTLM REGISTER answered 401 without gssapi-data, the user name/password text",
			readme: "The user mistyped the password. The Sign-In Assistant's RST to login.microsoftonline.com comes back " +
				"with a SOAP fault carrying `0x80048821` and the client logs `hr=0x80048821 " +
				"(PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD)`; the client then offers NTLM credentials: the first NTLM leg " +
				"gets a 401 with a gssapi-data challenge (normal), but the REGISTER carrying the NTLM AUTHENTICATE message " +
				"is answered with a plain 401 whose WWW-Authenticate headers carry no gssapi-data: the credentials were " +
				"refused. The client shows \"The user name, password, or domain appears to be incorrect\". Deciding " +
				"evidence: 0x80048821 and the 401 after credentials. Date headers match the log's UTC-5 offset, so this " +
				"is not clock skew. The RST body holds a wsse:Password that must be masked.",
			build: buildBadCredentials,
		},
		{
			id: "signin-address-format", client: "Skype for Business 2016", expected: []string{"SFB-SIGNIN-ADDRESS-FORMAT"},
			shows: "sign-in address CONTOSO\\bob: REGISTER From sip:CONTOSO%5Cbob, 403 + ms-diagnostics-public 4004",
			readme: "The user typed `CONTOSO\\bob` (the Windows logon name) as the sign-in address, with a manual server " +
				"setting. The REGISTER goes out with request URI, From and To `sip:CONTOSO%5Cbob` (no @domain) and " +
				"sipdir.online.lync.com answers `403 Forbidden` with `ms-diagnostics-public: 4004;reason=\"Credentials " +
				"provided are not authorized to act as specified from URI\"`, twice. The client then shows \"You may have " +
				"entered your sign-in address, user name, or password incorrectly, or the authentication service may be " +
				"incompatible with this version of the program.\" Deciding evidence: the sign-in URI in From is not of " +
				"the form user@domain; the client is current (SfB 2016), so the version cause of that text is excluded.",
			build: buildAddressFormat,
		},
		{
			id: "not-licensed", client: "Skype for Business 2016", expected: []string{"SFB-NOT-LICENSED"},
			shows: "REGISTER 404 with ms-diagnostics 1003 User does not exist, then 4006, the address-not-found text",
			readme: "The user has no Skype for Business Online license. The REGISTER to sipdir.online.lync.com is " +
				"answered `404 Not Found` with `ms-diagnostics: 1003;reason=\"User does not exist\"`; a retry after the " +
				"redirect to a pool is answered 404 with `ms-diagnostics: 4006;reason=\"User not found in pool\"`. The " +
				"client shows \"Cannot sign in to Skype for Business because this sign-in address was not found...\". " +
				"Deciding evidence: the 1003/4006 diagnostics on REGISTER (not 4005, which is SIP-not-enabled).",
			build: buildNotLicensed,
		},
		{
			id: "sip-not-enabled", client: "Lync 2013", expected: []string{"SFB-SIP-NOT-ENABLED"},
			shows: "REGISTER 404 with ms-diagnostics 4005 Destination URI either not enabled for SIP, address-not-found text",
			readme: "The user is left over from an on-premises Lync deployment with msRTCSIP-UserEnabled FALSE. After " +
				"the redirect to the home pool the REGISTER is answered `404 Not Found` with `ms-diagnostics: " +
				"4005;reason=\"Destination URI either not enabled for SIP or does not exist\";source=\"sippoolbl20a05.infra.lync.com\"`, " +
				"and again on a retry; Lync 2013 shows \"Sign-in address was not found.\" Deciding evidence: 4005 on a " +
				"REGISTER response. This log also shows the `End of Data Received -<address>` spelling without a space " +
				"(log-facts §2.2).",
			build: func(g *gen) ([]file, []file) { return []file{{pathSfB, buildSipNotEnabledLog(g)}}, nil },
		},
		{
			id: "signin-address-not-found", client: "Lync 2013", expected: []string{"SFB-SIGNIN-ADDRESS-NOT-FOUND"},
			shows: "Sign-In Assistant blocked by the proxy: HTTP 407, 0x80072efd, 0x80048848 for login.microsoftonline.com",
			readme: "The Microsoft Online Services Sign-In Assistant cannot get through the corporate proxy. The " +
				"REGISTER gets its TLS-DSK challenge, but the token request to https://login.microsoftonline.com/RST2.srf " +
				"through proxy.contoso.com:8080 is answered `407 Proxy Authentication Required` twice (the second time " +
				"after a Negotiate Proxy-Authorization, which must be masked), then fails with `hr=0x80072efd " +
				"(ERROR_WINHTTP_CANNOT_CONNECT)` and `hr=0x80048848 (PPCRL_REQUEST_E_NO_NETWORK)`. No REGISTER is ever " +
				"answered 200, and Lync 2013 shows \"Sign-in address was not found.\" Deciding evidence: the proxy 407 " +
				"and connection failures naming login.microsoftonline.com; no 1003/4005 diagnostics.",
			build: buildAddressNotFound,
		},
		{
			id: "client-version", client: "Lync 2010", expected: []string{"SFB-CLIENT-VERSION"},
			shows: "Lync 2010 UA, signed REGISTER answered 403 with ms-diagnostics 17002 Invalid protocol client version",
			readme: "A Lync 2010 client (`UCCAPI/4.0.7577.4051 OC/4.0.7577.4051 (Microsoft Lync 2010)`) signs in to a " +
				"service whose client version policy blocks it. Authentication succeeds (TLS-DSK legs with " +
				"continuations), but the signed REGISTER is answered `403 Forbidden` with `ms-diagnostics: " +
				"17002;reason=\"Invalid protocol client version\"`, and the client shows \"You may have entered your sign-in " +
				"address, user name, or password incorrectly, or the authentication service may be incompatible with this " +
				"version of the program.\" Deciding evidence: 17002 on REGISTER plus the old User-Agent. The file is the " +
				"Lync 2010 name Communicator-uccapi-0.uccapilog and writes SIP start lines on their own prefixed line.",
			build: buildClientVersion,
		},
		{
			id: "clock-skew", client: "Lync 2013", expected: []string{"SFB-CLOCK-SKEW"},
			shows: "every Date header 1 h 09 min behind the log (UTC+1, clock 9 min fast), cert provisioning fails, clock text",
			readme: "The user's clock is 9 minutes fast (zone UTC+1). Every response's `Date:` header, SIP and HTTP, is " +
				"1 hour 9 minutes behind the log time of the line that received it. Against whole hours that is a " +
				"9-minute error; a check that removes the nearest whole quarter hour (zones such as UTC+5:45 exist) reads " +
				"it as a 75-minute zone and a 6-minute (+360 s) residual: either way beyond the 5 minutes Kerberos and the " +
				"web services allow. The certificate request fails with a WS-Security fault (`An error occurred when " +
				"verifying security for the message.`), the TLS-DSK attempt with the old certificate ends in a 401 after " +
				"credentials, and Lync 2013 shows \"Cannot sign in to Lync because your computer clock is not set " +
				"correctly.\" Deciding evidence: the Date residual and the clock text; the 401 after credentials is a " +
				"consequence, not bad credentials.",
			build: buildClockSkew,
		},
		{
			id: "clock-skew-text-only", client: "Lync 2010", expected: []string{"SFB-CLOCK-SKEW"},
			shows: "Lync 2010 user/password text, Date headers 7 min off after whole quarter hours (UTF-16LE file)",
			readme: "Lync 2010 shows its clock-skew error, which is the text \"The user name, password, or domain appears " +
				"to be incorrect.\" (KB 2581291). The user's clock is 7 minutes slow (zone UTC-5): every Date header is " +
				"5 h 07 min ahead of the log time, a +420 s residual after removing whole hours or the nearest quarter " +
				"hour. There is no 0x80048821 and no 401 after credentials: the certificate request fails with a " +
				"WS-Security fault before any credentials reach the registrar. Deciding evidence: the Date residual. " +
				"(The brief asked for a 12-minute skew; 12 minutes is 3 minutes from the next quarter hour, so a " +
				"quarter-hour-aware check reads it as a zone offset plus 3 minutes, and 8 or 9 minutes come out as 7 or " +
				"6 with the sign flipped. A skew between 5 and 7.5 minutes is unambiguous.) The file is UTF-16LE with a BOM.",
			build: buildClockSkewTextOnly,
		},
		{
			id: "cached-signin-data", client: "Skype for Business 2016", expected: []string{"SFB-CACHED-SIGNIN-DATA"},
			shows: "signed in as bob@contoso.com, address changed to robert.kelly@contoso.com, personal certificate text",
			readme: "The user signs in as bob@contoso.com (REGISTER 200), signs out, changes the sign-in address to " +
				"robert.kelly@contoso.com and signs in again. The new REGISTER gets its challenge, but certificate " +
				"provisioning stops on the certificate cached for sip:bob@contoso.com and the client shows \"There was a " +
				"problem acquiring a personal certificate required to sign in.\" Deciding evidence: the personal " +
				"certificate text together with two different sign-in addresses in REGISTER From headers. There are no " +
				"key-container HRESULTs (those decide SFB-PERSONAL-CERT).",
			build: buildCachedSignin,
		},
		{
			id: "personal-cert", client: "Skype for Business 2016", expected: []string{"SFB-PERSONAL-CERT"},
			shows: "cert provisioning ERRORs 0x80090016 NTE_BAD_KEYSET / 0x8009000b NTE_BAD_KEY_STATE, personal certificate text",
			readme: "One sign-in address throughout (zone UTC+5:30). CertProv issues a certificate, but storing it fails: " +
				"`hr=0x80090016 (NTE_BAD_KEYSET)` opening the key container and `hr=0x8009000b (NTE_BAD_KEY_STATE)` " +
				"using the private key, twice. The client shows \"There was a problem acquiring a personal certificate " +
				"required to sign in.\" Deciding evidence: the key/keyset HRESULTs in certificate provisioning, with a " +
				"single sign-in address (which rules out SFB-CACHED-SIGNIN-DATA).",
			build: buildPersonalCert,
		},
		{
			id: "trust-prompt", client: "Skype for Business 2016", expected: []string{"SFB-TRUST-PROMPT"},
			shows: "REGISTER 200 earlier, later autodiscover points to lyncweb.fabrikam.com and the trust dialog appears",
			readme: "The user has signed in on this machine before: the log starts with a complete sign-in (REGISTER " +
				"200) to Skype for Business Online. After a network change the client signs in again; autodiscover for " +
				"contoso.com now points to lyncweb.fabrikam.com, a server outside the sign-in domain and outside " +
				"TrustModelData, and the client logs the dialog \"Skype for Business cannot verify that the server is " +
				"trusted for your sign-in address. Connect anyway?\". The user connects and the NTLM sign-in to " +
				"lyncpool01.fabrikam.com succeeds. Deciding evidence: the trust dialog after an earlier successful REGISTER.",
			build: buildTrustPrompt,
		},
		{
			id: "first-signin-cert-prompt", client: "Skype for Business 2016", expected: []string{"SFB-FIRST-SIGNIN-CERT-PROMPT"},
			shows: "first sign-in: the trust dialog appears before any REGISTER succeeds",
			readme: "A first sign-in on a new profile: no cached configuration and no earlier REGISTER 200 in the log. " +
				"Autodiscover for contoso.com points to lyncweb.fabrikam.com (the hosting partner), and the trust dialog " +
				"\"Skype for Business cannot verify that the server is trusted for your sign-in address. Connect anyway?\" " +
				"is logged before the first REGISTER. The user connects, and the NTLM sign-in succeeds afterwards. " +
				"Deciding evidence: the trust dialog with no successful REGISTER before it.",
			build: buildFirstSignin,
		},
		{
			id: "server-unavailable-dns", client: "Skype for Business 2016", expected: []string{"SFB-SERVER-UNAVAILABLE-DNS"},
			shows: "lyncdiscover/sip.contoso.com not resolved (0x80072ee7), SRV NXDOMAIN, no REGISTER, server unavailable text",
			readme: "The custom domain contoso.com has no Skype for Business DNS records. lyncdiscoverinternal and " +
				"lyncdiscover.contoso.com (https and http) fail with `hr=0x80072ee7 (ERROR_INTERNET_NAME_NOT_RESOLVED)`, " +
				"the SRV queries _sipinternaltls._tcp and _sip._tls fail with DNS name errors (0x8007232b), and the " +
				"fallback hosts sipinternal, sip and sipexternal.contoso.com cannot be resolved (0x80072ee7). No REGISTER " +
				"is ever sent. The client shows \"The server is temporarily unavailable.\" Deciding evidence: the failed " +
				"look-ups naming sip.contoso.com and lyncdiscover.contoso.com.",
			build: buildServerUnavailableDNS,
		},
		{
			id: "server-not-found-text", client: "Lync 2013", expected: []string{"SFB-SERVER-UNAVAILABLE-DNS", "SFB-DNS-PROPAGATION"},
			shows: "\"Lync couldn't find a Lync Server for contoso.com\" text, autodiscover 404, no decisive DNS code",
			readme: "Lync 2013 shows \"Lync couldn't find a Lync Server for contoso.com. There might be an issue with " +
				"the Domain Name System (DNS) configuration for your domain.\" Autodiscover gets `404 Not Found` from the " +
				"web server that lyncdiscover.contoso.com resolves to, and the SRV query finds no record, but no " +
				"HRESULT says whether the records are missing or not yet propagated. Both causes are reported as " +
				"possible findings.",
			build: buildServerNotFoundText,
		},
		{
			id: "adfs-cert", client: "Lync 2013", expected: []string{"SFB-SERVER-UNAVAILABLE-ADFS-CERT"},
			shows: "federated domain: TLS to sts.contoso.com fails 0x800b0109 / 0x800488eb, certificate verification text",
			readme: "contoso.com is federated with AD FS. Realm discovery sends the Sign-In Assistant to " +
				"https://sts.contoso.com/adfs/services/trust/2005/usernamemixed, whose self-signed certificate is not " +
				"trusted: `hr=0x800b0109 (CERT_E_UNTRUSTEDROOT)` and `hr=0x800488eb (PPCRL_REQUEST_E_SCHANNEL_ERROR)` " +
				"naming sts.contoso.com, and Lync shows \"Cannot sign into Lync. There was a problem verifying the " +
				"certificate from the server.\" Deciding evidence: the certificate errors against the AD FS host.",
			build: buildADFSCert,
		},
		{
			id: "server-unavailable-text-only", client: "Lync 2013", expected: []string{"SFB-SERVER-UNAVAILABLE-DNS", "SFB-SERVER-UNAVAILABLE-ADFS-CERT"},
			shows: "only the \"server is temporarily unavailable\" text, no network evidence",
			readme: "The log holds the client start, two sign-in attempts that end without any network detail, and the " +
				"text \"The server is temporarily unavailable.\" Nothing says whether DNS records are missing or the " +
				"AD FS certificate is untrusted, so both documented causes are possible findings.",
			build: buildServerUnavailableTextOnly,
		},
		{
			id: "unresolved", client: "Skype for Business 2016", expected: []string{"SFB-UNRESOLVED"},
			shows: "REGISTER answered 503 with ms-diagnostics 5000 repeatedly, nothing else",
			readme: "Sign-in fails and keeps failing: every REGISTER to the home pool is answered `503 Service " +
				"Unavailable` with `ms-diagnostics: 5000;reason=\"One or more critical applications are not running\"` " +
				"(zone UTC+5:45). No error text, HRESULT or other diagnostic points at any documented cause, so the " +
				"report says the failure is unresolved and what to collect.",
			build: buildUnresolved,
		},
		{
			id: "damaged-bundle", client: "Lync 2013", expected: []string{"SFB-SIP-NOT-ENABLED"},
			shows: "the sip-not-enabled log plus an empty log, a truncated .bak and binary garbage (generate.json)",
			readme: "The same Lync-UccApi-0.UccApilog as sip-not-enabled (byte for byte), plus damaged files the bundle " +
				"builder adds from generate.json: an empty Tracing/Lync-UccApi-1.UccApilog, Tracing/Lync-UccApi-0.UccApilog.bak " +
				"cut in the middle of the ms-diagnostics line of a SIP block, and 4 KB of pseudo-random bytes as " +
				"Tracing/garbage.dat. The damage must be reported in the report's inputs, and the finding must still be " +
				"SFB-SIP-NOT-ENABLED only.",
			build: buildDamaged,
		},
		{
			id: "lync2010-healthy", client: "Lync 2010", expected: nil,
			shows: "Lync 2010 on-premises NTLM sign-in, presence traffic, sign-out (LF line ends)",
			readme: "Lync 2010 signs in to an on-premises Lync Server 2010 pool (lyncpool01.contoso.com) found by DNS " +
				"SRV: REGISTER, 401 with NTLM/Kerberos/TLS-DSK challenges, NTLM negotiation whose 401 carries the " +
				"gssapi-data challenge, 200 OK with NTLM Authentication-Info, then contact list, presence and a sign-out. " +
				"Nothing is wrong. The file is the Lync 2010 name Communicator-uccapi-0.uccapilog with LF line ends and " +
				"SIP start lines on their own prefixed line.",
			build: buildLync2010Healthy,
		},
	}
}

// ---------------------------------------------------------------------------
// Builders.

func buildHealthy(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.April, 12, 8, 58, 3, 117), hours(-7), 0, "3E8C", "3A50", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	onlineSignIn(cl, "RTC/7.0")
	contacts := pickContacts(g, 10)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 222)
	cl.signOut()
	l.info("CUccPlatform::Shutdown - Platform shut down")
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildUnrelated(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.January, 22, 8, 41, 55, 402), hours(1), 0, "2A10", "2B44", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	onlineSignIn(cl, "RTC/7.0")
	contacts := pickContacts(g, 6)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 6)

	// An IM to a federated contact: INVITE 200, ACK, MESSAGE 403.
	l.wait(4 * time.Minute)
	peer := "sip:ivan.petrov@fabrikam.com"
	inv := cl.invite(peer, "message")
	l.step(600)
	ok := cl.reply(inv, "200 OK", []hdr{cl.authInfo()}, []hdr{
		{"Contact", "<sip:ivan.petrov@fabrikam.com;opaque=user:epid:" + g.blob(nil, 16)[:22] + "AA;gruu>"},
		{"User-Agent", sfb2016.ua},
		{"Content-Type", "application/sdp"},
		cl.serverHdr(),
	}, sdpMessage("198.51.100.77"))
	l.recv(cl.c, ok)
	l.step(5)
	cl.ack(inv, ok)
	l.step(900)
	msgReq := cl.inDialog(inv, ok, "MESSAGE", 2)
	body := "Hi Ivan, are we still on for the review at 3?"
	cl.signedSend(msgReq, "text/plain; charset=UTF-8", body)
	l.step(240)
	l.recv(cl.c, cl.reply(msgReq, "403 Forbidden", []hdr{cl.authInfo()}, []hdr{
		{"ms-diagnostics-public", `1034;reason="Previous hop federated peer did not report diagnostic information";Domain="fabrikam.com";PeerServer="sipfed.fabrikam.com"`},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(5)
	l.warn("CUccImSession::OnMessageComplete - Message to %s was not delivered: 403 Forbidden", peer)
	l.step(2000)
	bye := cl.inDialog(inv, ok, "BYE", 3)
	cl.signedSend(bye, "", "")
	l.step(120)
	cl.signedReply(bye, "200 OK", []hdr{{"Date", l.date()}}, "")
	cl.idle(callID, contacts, 5)

	// An audio call whose INVITE the server rejects with 500.
	l.wait(3 * time.Minute)
	l.info("CUccMediaEngine::Initialize - Opening audio devices for a call")
	l.step(40)
	l.err(`CMediaDeviceManager::OpenCaptureDevice - Failed to open audio capture device "Microphone (USB Audio Device)", hr=0x88890004`)
	l.step(10)
	l.warn("CMediaDeviceManager::SelectDefaultDevices - Falling back to the default communications capture device")
	l.step(30)
	inv2 := cl.invite("sip:dana.lee@contoso.com", "audio")
	l.step(300)
	fail := cl.reply(inv2, "500 Server Internal Error", []hdr{cl.authInfo()}, []hdr{
		{"ms-diagnostics", `1006;reason="Error routing on client connection";source="` + poolFQDN + `"`},
		cl.serverHdr(),
		{"Date", l.date()},
	}, "")
	l.recv(cl.c, fail)
	l.step(4)
	cl.ack(inv2, fail)
	l.warn("CUccAvSession::OnInviteComplete - Call to sip:dana.lee@contoso.com failed: 500 Server Internal Error")
	cl.idle(callID, contacts, 8)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

// sdpMessage is the SDP of an IM session.
func sdpMessage(ip string) string {
	return strings.Join([]string{"v=0", "o=- 0 0 IN IP4 " + ip, "s=session", "c=IN IP4 " + ip, "t=0 0",
		"m=message 5060 sip null", "a=accept-types:text/plain multipart/alternative image/gif text/rtf text/html application/x-ms-ink application/ms-imdn+xml text/x-msmsgsinvite"}, "\r\n") + "\r\n"
}

// sdpAudio is the SDP offer of an audio call.
func sdpAudio(ip string, port int) string {
	return strings.Join([]string{"v=0", "o=- 0 0 IN IP4 " + ip, "s=session", "c=IN IP4 " + ip, "b=CT:99980", "t=0 0",
		fmt.Sprintf("m=audio %d RTP/SAVP 104 9 111 18 0 8 97 13 118 101", port),
		"a=rtcp:" + strconv.Itoa(port+1), "a=label:main-audio", "a=sendrecv",
		"a=rtpmap:104 SILK/16000", "a=rtpmap:9 G722/8000", "a=rtpmap:111 SIREN/16000", "a=rtpmap:0 PCMU/8000",
		"a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=rtcp-fb:* x-message app send:dsh recv:dsh",
		"a=ptime:20"}, "\r\n") + "\r\n"
}

// invite sends an INVITE of an IM ("message") or audio session.
func (cl *client) invite(target, kind string) *msg {
	m := cl.request("INVITE", target, "")
	m.add("Supported", "ms-dialog-route-set-update").
		add("Ms-Conversation-ID", cl.g.blob(nil, 18)).
		add("Supported", "timer").add("Supported", "histinfo").add("Supported", "ms-safe-transfer").
		add("Supported", "ms-sender").add("Supported", "ms-early-media").
		add("ms-keep-alive", "UAC;hop-hop=yes").
		add("Allow", "INVITE, BYE, ACK, CANCEL, INFO, MESSAGE, UPDATE, REFER, NOTIFY, BENOTIFY, OPTIONS")
	body := sdpMessage(clientIP)
	if kind == "audio" {
		body = sdpAudio(clientIP, cl.g.between(50000, 50019))
		m.add("Ms-Endpoint-Location-Data", "NetworkScope;ms-media-location-type=Intranet")
	}
	cl.signedSend(m, "application/sdp", body)
	return m
}

// ack acknowledges the final response resp to inv.
func (cl *client) ack(inv, resp *msg) {
	m := &msg{start: "ACK " + strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(inv.start, " ", 3)[1], "<"), ">") + " SIP/2.0"}
	m.add("Via", inv.get("Via")).add("Max-Forwards", "70").
		add("From", inv.get("From")).add("To", resp.get("To")).
		add("Call-ID", inv.get("Call-ID")).
		add("CSeq", "1 ACK").
		add("User-Agent", cl.ver.ua)
	cl.signedSend(m, "", "")
}

// inDialog builds a request inside the dialog of inv and its 2xx ok.
func (cl *client) inDialog(inv, ok *msg, method string, cseq int) *msg {
	target := strings.SplitN(inv.start, " ", 3)[1]
	m := &msg{start: method + " " + target + " SIP/2.0"}
	m.add("Via", inv.get("Via")).add("Max-Forwards", "70").
		add("From", inv.get("From")).add("To", ok.get("To")).
		add("Call-ID", inv.get("Call-ID")).
		add("CSeq", fmt.Sprintf("%d %s", cseq, method)).
		add("User-Agent", cl.ver.ua)
	return m
}

func buildBadCredentials(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.February, 6, 8, 12, 40, 881), hours(-5), 0, "1F30", "1E0C", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/7.0")
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")

	// The Sign-In Assistant token request with the typed password.
	password := g.secret("Spring2018!" + g.hexl(4))
	l.info("CIdcrlAuth::LogonIdentity - Requesting a service token for %s from the Microsoft Online Services Sign-In Assistant", user)
	l.step(15)
	l.info("CIdcrlAuth::LogonIdentity - Realm discovery for %s: NameSpaceType=Managed", user)
	l.step(220)
	l.httpx("CIdcrlAuth::SendRequest", "POST", "https://login.microsoftonline.com/RST2.srf",
		[]hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"Cookie", "MSPOK=" + g.secret("$uuid-"+g.uuid())}},
		idcrlRST(g, user, password),
		"200 OK", []hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, l.httpDate()},
		`<?xml version="1.0" encoding="utf-8" ?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope" xmlns:psf="http://schemas.microsoft.com/Passport/SoapServices/SOAPFault"><S:Body><S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wst:FailedAuthentication</S:Value></S:Subcode></S:Code><S:Reason><S:Text xml:lang="en-US">Authentication Failure</S:Text></S:Reason><S:Detail><psf:error><psf:value>0x80048821</psf:value><psf:internalerror><psf:code>0x80041034</psf:code><psf:text>The specified member name is either invalid or empty.</psf:text></psf:internalerror></psf:error></S:Detail></S:Fault></S:Body></S:Envelope>`)
	l.err("CIdcrlAuth::OnAuthComplete - LogonIdentityEx failed for %s, hr=0x80048821 (PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD)", user)
	l.step(8)
	l.warn("CUccServerEndpoint::OnAuthFailure - Service token unavailable; trying NTLM with the credentials the user entered (CONTOSO\\bob)")
	l.step(12)

	// NTLM with the same wrong password: the AUTHENTICATE leg is refused.
	req := cl.ntlmHandshake()
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", cl.challenge("NTLM", "Kerberos", "TLS-DSK"), []hdr{cl.serverHdr()}, ""))
	l.step(6)
	l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER rejected with 401 Unauthorized after credentials were offered (NTLM)")
	l.step(4)
	l.uiError("The user name, password, or domain appears to be incorrect. Ensure that you entered them correctly. If the problem continues, please contact your support team.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

// idcrlRST is the Sign-In Assistant's RequestSecurityToken body
// (ps:AuthInfo and wsse:UsernameToken, as PPCRL writes it).
func idcrlRST(g *gen, user, password string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ps="http://schemas.microsoft.com/Passport/SoapServices/PPCRL" xmlns:wsse="http://schemas.xmlsoap.org/ws/2003/06/secext" xmlns:wsp="http://schemas.xmlsoap.org/ws/2002/12/policy" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/03/addressing" xmlns:wst="http://schemas.xmlsoap.org/ws/2004/04/trust"><s:Header><ps:AuthInfo Id="PPAuthInfo"><ps:HostingApp>{` + strings.ToUpper(g.uuid()) + `}</ps:HostingApp><ps:BinaryVersion>5</ps:BinaryVersion><ps:UIVersion>1</ps:UIVersion><ps:Cookies></ps:Cookies><ps:RequestParams>AQAAAAIAAABsYwQAAAAxMDMz</ps:RequestParams></ps:AuthInfo><wsse:Security><wsse:UsernameToken Id="user"><wsse:Username>` + user + `</wsse:Username><wsse:Password>` + password + `</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body><ps:RequestMultipleSecurityTokens Id="RSTS"><wst:RequestSecurityToken Id="RST0"><wst:RequestType>http://schemas.xmlsoap.org/ws/2004/04/security/trust/Issue</wst:RequestType><wsp:AppliesTo><wsa:EndpointReference><wsa:Address>http://Passport.NET/tb</wsa:Address></wsa:EndpointReference></wsp:AppliesTo></wst:RequestSecurityToken></ps:RequestMultipleSecurityTokens></s:Body></s:Envelope>`
}

func buildAddressFormat(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.May, 15, 9, 20, 7, 56), hours(9), 0, "4C1C", "4AF0", startPrefixed)
	user := `CONTOSO\bob`
	l.info("CUccPlatform::Initialize - UCCAPI/%s platform initialized", sfb2016.build)
	l.step(12)
	l.info("CUccPlatform::Initialize - Tracing level FULL, client %s %s", sfb2016.product, sfb2016.build)
	l.step(35)
	l.trace("CUccEndpointConfiguration::Load - Loading endpoint configuration from the registry")
	l.step(4)
	l.info("CUccEndpointConfiguration::Load - Sign-in address %s, server discovery manual: internal %s:443, external %s:443", user, sipdirFQDN, sipdirFQDN)
	l.step(20)
	l.info("CUccServerEndpoint::Enable - Starting sign-in for sip:CONTOSO%%5Cbob")
	l.step(6)
	cl := onlineClient(l, sfb2016, "CONTOSO%5Cbob")
	cl.srv = server{fqdn: sipdirFQDN, header: "RTC/7.0", webPool: webdirFQDN}
	l.connect(sipdirFQDN, cl.c)
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(28 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:CONTOSO%%5Cbob")
			cl.newDialog()
		}
		req := cl.register("")
		l.send(cl.c, req)
		l.step(130)
		l.recv(cl.c, cl.reply(req, "403 Forbidden", nil, []hdr{
			{"ms-diagnostics-public", `4004;reason="Credentials provided are not authorized to act as specified from URI"`},
			cl.serverHdr(),
			{"Date", l.date()},
		}, ""))
		l.step(6)
		l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:CONTOSO%%5Cbob failed: 403 Forbidden")
		l.step(3)
	}
	l.uiError("You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildNotLicensed(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.November, 20, 10, 3, 31, 640), 0, 0, "2210", "2C8C", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	cl.srv = server{fqdn: sipdirFQDN, header: "RTC/7.0", webPool: webdirFQDN}
	l.connect(sipdirFQDN, cl.c)
	req := cl.register("")
	l.send(cl.c, req)
	l.step(160)
	l.recv(cl.c, cl.reply(req, "404 Not Found", nil, []hdr{
		{"ms-diagnostics", `1003;reason="User does not exist";source="sippooldb40d02.infra.lync.com"`},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(6)
	l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 404 Not Found", user)
	l.step(4)
	l.uiError("Cannot sign in to Skype for Business because this sign-in address was not found. Verify the sign-in address and try again. If the problem continues, please contact your support team.")
	l.wait(45 * time.Second)
	l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
	cl.newDialog()
	toPool(cl, "RTC/7.0")
	req = cl.register("")
	l.send(cl.c, req)
	l.step(140)
	l.recv(cl.c, cl.reply(req, "404 Not Found", nil, []hdr{
		{"ms-diagnostics", `4006;reason="User not found in pool";source="` + poolFQDN + `"`},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(6)
	l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 404 Not Found", user)
	l.step(4)
	l.uiError("Cannot sign in to Skype for Business because this sign-in address was not found. Verify the sign-in address and try again. If the problem continues, please contact your support team.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

// buildSipNotEnabledLog is the log of sip-not-enabled, also the main log of
// damaged-bundle.
func buildSipNotEnabledLog(g *gen) []byte {
	return sipNotEnabledLog(g, "bob@contoso.com", 2, false)
}

// sipNotEnabledLog is a Lync 2013 log of attempts sign-in attempts by user,
// each answered 404 with ms-diagnostics 4005; with fixed, the administrator
// then sets msRTCSIP-UserEnabled and a last attempt signs in.
func sipNotEnabledLog(g *gen, user string, attempts int, fixed bool) []byte {
	l := newLog(g, at(2014, time.June, 3, 9, 44, 12, 205), hours(2), 0, "1B58", "1C24", startRaw)
	l.endNoSpace = true
	l.start(lync2013, user)
	cl := onlineClient(l, lync2013, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	for attempt := range attempts {
		if attempt > 0 {
			l.wait(35 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
			cl.newDialog()
			cl.reconnect(conn{remote: sipdirIP + ":443", local: clientIP + ":" + g.port()}, server{})
		}
		toPool(cl, "RTC/5.0")
		req := cl.register("")
		l.send(cl.c, req)
		l.step(170)
		l.recv(cl.c, cl.reply(req, "404 Not Found", nil, []hdr{
			{"ms-diagnostics", `4005;reason="Destination URI either not enabled for SIP or does not exist";source="` + poolFQDN + `"`},
			cl.serverHdr(),
			{"Date", l.date()},
		}, ""))
		l.step(6)
		l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 404 Not Found", user)
		l.step(4)
		l.uiError("Sign-in address was not found.")
		l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	}
	if fixed {
		// The administrator fixed the account; the user signs in again an
		// hour later.
		l.wait(time.Hour)
		l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
		cl.newDialog()
		cl.reconnect(conn{remote: sipdirIP + ":443", local: clientIP + ":" + g.port()}, server{})
		toPool(cl, "RTC/5.0")
		cl.signInTLSDSK(func() { l.provisionOK(userOf(cl.uri), webPool) })
	}
	return l.bytes(encCRLF)
}

func buildAddressNotFound(g *gen) ([]file, []file) {
	l := newLog(g, at(2014, time.January, 14, 8, 2, 51, 330), hours(-6), 0, "0F84", "1A7C", startRaw)
	l.endNoSpace = true
	user := "bob@contoso.com"
	l.start(lync2013, user)
	cl := onlineClient(l, lync2013, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/5.0")
	cl.registerChallenge("TLS-DSK")
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(62 * time.Second)
			l.info("CIdcrlAuth::LogonIdentity - Retrying the service token request for %s", user)
		}
		l.info("CIdcrlAuth::LogonIdentity - Requesting a service token for %s from the Microsoft Online Services Sign-In Assistant", user)
		l.step(15)
		l.info("CIdcrlAuth::SendRequest - msoidsvc.exe uses proxy proxy.contoso.com:8080 for https://login.microsoftonline.com/RST2.srf")
		l.step(8)
		password := g.secret("Winter2014#" + g.hexl(4))
		l.httpx("CIdcrlAuth::SendRequest", "POST", "https://login.microsoftonline.com/RST2.srf",
			[]hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"Proxy-Connection", "Keep-Alive"}},
			idcrlRST(g, user, password),
			"407 Proxy Authentication Required", []hdr{{"Proxy-Authenticate", "Negotiate"}, {"Proxy-Authenticate", "NTLM"}, {"Proxy-Authenticate", `Basic realm="proxy.contoso.com"`}, {"Via", "1.1 PROXY01"}, {"Connection", "Keep-Alive"}},
			"")
		token := g.secret(g.blob([]byte{0x60, 0x82, 0x06, 0x86, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}, 160))
		l.httpx("CIdcrlAuth::SendRequest", "POST", "https://login.microsoftonline.com/RST2.srf",
			[]hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"Proxy-Authorization", "Negotiate " + token}},
			"",
			"407 Proxy Authentication Required", []hdr{{"Proxy-Authenticate", "Negotiate"}, {"Proxy-Authenticate", "NTLM"}, {"Via", "1.1 PROXY01"}, {"Connection", "close"}},
			"")
		l.step(21000)
		l.err("CIdcrlAuth::SendRequest - WinHttpSendRequest to login.microsoftonline.com:443 failed, hr=0x80072efd (ERROR_WINHTTP_CANNOT_CONNECT)")
		l.step(5)
		l.err("CIdcrlAuth::OnAuthComplete - LogonIdentityEx failed for %s, hr=0x80048848 (PPCRL_REQUEST_E_NO_NETWORK), server login.microsoftonline.com", user)
		l.step(6)
		l.uiError("Sign-in address was not found.")
	}
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildClientVersion(g *gen) ([]file, []file) {
	l := newLog(g, at(2015, time.July, 8, 9, 15, 2, 774), hours(10), 0, "0D3C", "0E10", startPrefixed)
	user := "bob@contoso.com"
	l.start(lync2010, user)
	cl := onlineClient(l, lync2010, user)
	l.srvDiscovery("contoso.com", sipdirFQDN)
	toPool(cl, "RTC/6.0")
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	l.provisionOK(user, webPool)
	cl.tlsdskHandshake()
	req := cl.registerSigned()
	l.recv(cl.c, cl.reply(req, "403 Forbidden", []hdr{cl.authInfo()}, []hdr{
		{"ms-diagnostics", `17002;reason="Invalid protocol client version";source="` + poolFQDN + `"`},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(6)
	l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 403 Forbidden", user)
	l.step(4)
	l.uiError("You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathLync2010, l.bytes(encCRLF)}}, nil
}

// securityFault is the WS-Security fault a WCF service returns when the
// message timestamps are out of the allowed clock skew.
const securityFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:a="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">a:InvalidSecurity</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">An error occurred when verifying security for the message.</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`

func buildClockSkew(g *gen) ([]file, []file) {
	l := newLog(g, at(2014, time.February, 18, 8, 37, 44, 512), hours(1), 9*time.Minute, "16E8", "1748", startRaw)
	l.endNoSpace = true
	user := "bob@contoso.com"
	l.start(lync2013, user)
	cl := onlineClient(l, lync2013, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/5.0")
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	l.idcrlLogon(user)
	session := l.webTicket(user, webPool)
	l.certRequest(user, webPool, session)
	l.certResponse(webPool, "500 Internal Server Error", securityFault)
	l.err("CCertProvisioning::OnResponse - GetAndPublishCert for sip:%s failed: HTTP 500, SOAP fault a:InvalidSecurity", user)
	l.step(6)
	l.warn("CCertProvisioning::OnResponse - Falling back to the certificate cached for sip:%s (issued 2014-01-21)", user)
	l.step(10)
	cl.tlsdskHandshake()
	req := cl.registerSigned()
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", cl.challenge("NTLM", "Kerberos", "TLS-DSK"), []hdr{cl.serverHdr()}, ""))
	l.step(6)
	l.err("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 401 Unauthorized", user)
	l.step(4)
	l.uiError("Cannot sign in to Lync because your computer clock is not set correctly. To check your computer clock settings, open Date and Time in the Control Panel.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildClockSkewTextOnly(g *gen) ([]file, []file) {
	l := newLog(g, at(2012, time.November, 27, 8, 51, 9, 18), hours(-5), -7*time.Minute, "0A90", "0B2C", startRaw)
	user := "bob@contoso.com"
	l.start(lync2010, user)
	cl := onlineClient(l, lync2010, user)
	l.srvDiscovery("contoso.com", sipdirFQDN)
	toPool(cl, "RTC/4.0")
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(70 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
			cl.newDialog()
			cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
		}
		l.idcrlLogon(user)
		session := l.webTicket(user, webPool)
		l.certRequest(user, webPool, session)
		l.certResponse(webPool, "500 Internal Server Error", securityFault)
		l.err("CCertProvisioning::OnResponse - GetAndPublishCert for sip:%s failed: HTTP 500, SOAP fault a:InvalidSecurity", user)
		l.step(6)
		l.uiError("The user name, password, or domain appears to be incorrect. Ensure that you entered them correctly. If the problem continues, please contact your support team.")
	}
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathLync2010, l.bytes(encUTF16LE)}}, nil
}

func buildCachedSignin(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.September, 10, 8, 30, 11, 905), hours(-7), 0, "3A4C", "3B18", startPrefixed)
	old := "bob@contoso.com"
	l.start(sfb2016, old)
	cl := onlineClient(l, sfb2016, old)
	onlineSignIn(cl, "RTC/7.0")
	contacts := pickContacts(g, 5)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 6)
	cl.signOut()

	l.wait(3 * time.Minute)
	user := "robert.kelly@contoso.com"
	l.info("CUccEndpointConfiguration::Save - Sign-in address changed from %s to %s", old, user)
	l.step(20)
	l.info("CUccServerEndpoint::Enable - Starting sign-in for sip:%s", user)
	l.step(6)
	cl2 := onlineClient(l, sfb2016, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl2, "RTC/7.0")
	cl2.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	l.idcrlLogon(user)
	session := l.webTicket(user, webPool)
	l.warn("CCertProvisioning::FindCachedCertificate - Cached sign-in data in %%LOCALAPPDATA%%\\Microsoft\\Office\\16.0\\Lync\\sip_%s holds a certificate for sip:%s, not sip:%s", old, old, user)
	l.step(12)
	l.certRequest(user, webPool, session)
	l.certResponse(webPool, "200 OK", l.certIssuedBody())
	l.err("CCertProvisioning::StoreCertificate - The issued certificate for sip:%s conflicts with the cached certificate of sip:%s; certificate provisioning failed", user, old)
	l.step(6)
	l.uiError("There was a problem acquiring a personal certificate required to sign in. If the problem continues, please contact your support team.")
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl2.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildPersonalCert(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.March, 7, 9, 6, 48, 233), hours(5.5), 0, "2F6C", "3004", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/7.0")
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	l.idcrlLogon(user)
	session := l.webTicket(user, webPool)
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(40 * time.Second)
			l.info("CCertProvisioning::GetAndPublishCert - Retrying certificate provisioning for sip:%s", user)
		}
		l.certRequest(user, webPool, session)
		l.certResponse(webPool, "200 OK", l.certIssuedBody())
		l.err(`CCertProvisioning::StoreCertificate - CryptAcquireContext for the key container of sip:%s failed, hr=0x80090016 (NTE_BAD_KEYSET)`, user)
		l.step(5)
		l.err(`CCertProvisioning::StoreCertificate - Private key of the issued certificate cannot be used, hr=0x8009000b (NTE_BAD_KEY_STATE)`)
		l.step(5)
		l.uiError("There was a problem acquiring a personal certificate required to sign in. If the problem continues, please contact your support team.")
	}
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

// trustDialog logs the trust check of a server outside the sign-in domain
// and the user's choice to connect.
func (l *clog) trustDialog(server, domain string) {
	l.warn("CTrustModel::CheckServer - Server %s does not match the sign-in domain %s and is not in TrustModelData", server, domain)
	l.step(10)
	l.info("CTrustModel::ShowTrustDialog - Skype for Business is attempting to connect to: %s Skype for Business cannot verify that the server is trusted for your sign-in address. Connect anyway?", server)
	l.wait(6 * time.Second)
	l.info("CTrustModel::OnDialogClosed - User chose Connect, Always trust this server: checked")
	l.step(8)
}

// fabrikamSignIn discovers lyncweb.fabrikam.com for contoso.com, shows the
// trust dialog and signs in to lyncpool01.fabrikam.com with NTLM.
func fabrikamSignIn(cl *client, first bool) {
	l, g := cl.l, cl.g
	user := userOf(cl.uri)
	l.info("CAutoDiscovery::Start - Discovering servers for sip:%s (internal, then external)", user)
	l.step(5)
	reqHdrs := []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}}
	if !first {
		reqHdrs = append(reqHdrs, hdr{"X-MS-WebTicket", "opaque=" + l.cwt()})
	}
	link := "https://lyncweb.fabrikam.com/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=contoso.com"
	l.httpx("CAutoDiscovery::SendRequest", "GET", "https://lyncdiscover.contoso.com/?sipuri="+user, reqHdrs, "",
		"200 OK", []hdr{{"Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1"}, {"Server", "Microsoft-IIS/8.5"}, {"Set-Cookie", "AutodiscoverAffinity=" + g.secret(g.hexl(32)) + "; path=/; secure; HttpOnly"}, l.httpDate()},
		`<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Root><Link token="Domain" href="`+link+`" /><Link token="User" href="https://lyncweb.fabrikam.com/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=contoso.com" /></Root></AutodiscoverResponse>`)
	l.trustDialog("lyncweb.fabrikam.com", "contoso.com")
	l.httpx("CAutoDiscovery::SendRequest", "GET", link, []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}}, "",
		"200 OK", []hdr{{"Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1"}, {"Server", "Microsoft-IIS/8.5"}, l.httpDate()},
		`<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Domain><SipServerExternalAccess fqdn="sip.fabrikam.com" port="443" /><SipClientExternalAccess fqdn="sip.fabrikam.com" port="443" /></Domain></AutodiscoverResponse>`)
	l.info("CAutoDiscovery::OnComplete - Using sip.fabrikam.com:443 (TLS) for sip:%s", user)
	l.step(30)
	c := conn{remote: "198.51.100.40:443", local: clientIP + ":" + g.port()}
	cl.reconnect(c, server{fqdn: "lyncpool01.fabrikam.com", header: "RTC/6.0", webPool: "lyncweb.fabrikam.com"})
	cl.newDialog()
	l.connect("sip.fabrikam.com", c)
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	req := cl.ntlmHandshake()
	l.recv(cl.c, cl.registered(req, 3600))
	l.step(10)
	l.info("CUccServerEndpoint::OnRegisterComplete - Registered %s with %s, gruu %s", cl.uri, cl.srv.fqdn, cl.gruu)
}

func buildTrustPrompt(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.June, 19, 8, 55, 30, 77), hours(8), 0, "1D74", "1DE0", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	onlineSignIn(cl, "RTC/7.0")
	contacts := pickContacts(g, 5)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 8)
	l.wait(2 * time.Minute)
	l.info("CUccNetworkMonitor::OnNetworkChange - Network changed (new interface address %s), signing in again", "10.0.9.23")
	l.step(15)
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	l.step(300)
	fabrikamSignIn(cl, false)
	cl.afterSignIn(contacts[:3])
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildFirstSignin(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.August, 1, 9, 1, 2, 388), hours(-3), 0, "2544", "25B8", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	l.info("CUccEndpointConfiguration::Load - No cached sign-in data for sip:%s: first sign-in on this computer", user)
	l.step(10)
	cl := onlineClient(l, sfb2016, user)
	fabrikamSignIn(cl, true)
	contacts := pickContacts(g, 4)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 6)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildServerUnavailableDNS(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.December, 3, 9, 12, 0, 640), hours(1), 0, "1308", "13A4", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(60 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
			l.step(5)
		}
		l.info("CAutoDiscovery::Start - Discovering servers for sip:%s (internal, then external)", user)
		l.step(5)
		for _, u := range []string{"https://lyncdiscoverinternal.contoso.com/?sipuri=", "https://lyncdiscover.contoso.com/?sipuri=", "http://lyncdiscover.contoso.com/?sipuri="} {
			l.httpx("CAutoDiscovery::SendRequest", "GET", u+user, []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}}, "", "", nil, "")
			l.step(40 + g.rng.IntN(30))
			host := strings.SplitN(strings.SplitN(u, "//", 2)[1], "/", 2)[0]
			l.err("CAutoDiscovery::OnComplete - GET %s%s failed: %s could not be resolved, hr=0x80072ee7 (ERROR_INTERNET_NAME_NOT_RESOLVED)", u, user, host)
			l.step(3)
		}
		l.warn("CAutoDiscovery::OnComplete - Autodiscover failed for contoso.com, falling back to DNS SRV")
		for _, q := range []string{"_sipinternaltls._tcp.contoso.com", "_sip._tls.contoso.com"} {
			l.info("CUccDnsQuery::Query - SRV query %s", q)
			l.step(35)
			l.warn("CUccDnsQuery::OnComplete - SRV query %s failed, hr=0x8007232b", q)
			l.step(2)
		}
		for _, h := range []string{"sipinternal.contoso.com", "sip.contoso.com", "sipexternal.contoso.com"} {
			l.info("CSIPAsyncSocket::Connect - Resolving %s:443", h)
			l.step(30)
			l.err("CSIPAsyncSocket::Connect - Cannot resolve %s, hr=0x80072ee7 (ERROR_INTERNET_NAME_NOT_RESOLVED)", h)
			l.step(2)
		}
		l.err("CUccServerEndpoint::OnEnableComplete - No sign-in server found for contoso.com")
		l.step(4)
		l.uiError("The server is temporarily unavailable. If the problem continues, please contact your support team.")
	}
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildServerNotFoundText(g *gen) ([]file, []file) {
	l := newLog(g, at(2014, time.September, 23, 8, 47, 19, 901), hours(2), 0, "0E44", "0F9C", startRaw)
	user := "bob@contoso.com"
	l.start(lync2013, user)
	l.info("CAutoDiscovery::Start - Discovering servers for sip:%s (internal, then external)", user)
	l.step(5)
	l.info("CAutoDiscovery::Start - Skipping https://lyncdiscoverinternal.contoso.com: client is outside the corporate network")
	l.step(3)
	for _, u := range []string{"https://lyncdiscover.contoso.com/?sipuri=", "http://lyncdiscover.contoso.com/?sipuri="} {
		l.httpx("CAutoDiscovery::SendRequest", "GET", u+user, []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}}, "",
			"404 Not Found", []hdr{{"Content-Type", "text/html"}, {"Server", "Apache"}, l.httpDate()},
			`<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL / was not found on this server.</p></body></html>`)
		l.warn("CAutoDiscovery::OnComplete - %s%s returned 404 Not Found", u, user)
		l.step(4)
	}
	l.warn("CAutoDiscovery::OnComplete - Autodiscover failed for contoso.com, falling back to DNS SRV")
	l.info("CUccDnsQuery::Query - SRV query _sip._tls.contoso.com")
	l.step(40)
	l.info("CUccDnsQuery::OnComplete - SRV query _sip._tls.contoso.com returned no records")
	l.step(3)
	l.err("CUccServerEndpoint::OnEnableComplete - No sign-in server found for contoso.com")
	l.step(4)
	l.uiError("Lync couldn't find a Lync Server for contoso.com. There might be an issue with the Domain Name System (DNS) configuration for your domain.")
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildADFSCert(g *gen) ([]file, []file) {
	l := newLog(g, at(2014, time.May, 20, 8, 26, 33, 450), hours(-4), 0, "1488", "15D0", startRaw)
	l.endNoSpace = true
	user := "bob@contoso.com"
	l.start(lync2013, user)
	cl := onlineClient(l, lync2013, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/5.0")
	cl.registerChallenge("TLS-DSK")
	sts := "https://sts.contoso.com/adfs/services/trust/2005/usernamemixed"
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(55 * time.Second)
			l.info("CIdcrlAuth::LogonIdentity - Retrying the service token request for %s", user)
		}
		l.info("CIdcrlAuth::LogonIdentity - Requesting a service token for %s from the Microsoft Online Services Sign-In Assistant", user)
		l.step(15)
		l.httpx("CIdcrlAuth::SendRequest", "GET", "https://login.microsoftonline.com/GetUserRealm.srf?login="+strings.ReplaceAll(user, "@", "%40")+"&xml=1", nil, "",
			"200 OK", []hdr{{"Content-Type", "text/xml; charset=utf-8"}, l.httpDate()},
			`<RealmInfo Success="true"><State>3</State><UserState>2</UserState><Login>`+user+`</Login><NameSpaceType>Federated</NameSpaceType><DomainName>contoso.com</DomainName><FederationGlobalVersion>-1</FederationGlobalVersion><AuthURL>https://sts.contoso.com/adfs/ls/</AuthURL><IsFederatedNS>true</IsFederatedNS><STSAuthURL>`+sts+`</STSAuthURL><FederationTier>0</FederationTier><FederationBrandName>Contoso</FederationBrandName></RealmInfo>`)
		l.info("CIdcrlAuth::LogonIdentity - Realm discovery for %s: NameSpaceType=Federated, STS %s", user, sts)
		l.step(10)
		l.info("CIdcrlAuth::SendRequest - Connecting to sts.contoso.com:443")
		l.step(90)
		l.err("CIdcrlAuth::SendRequest - TLS negotiation with sts.contoso.com failed: the certificate chain (CN=sts.contoso.com, issuer CN=sts.contoso.com) ends in an untrusted root, hr=0x800b0109 (CERT_E_UNTRUSTEDROOT)")
		l.step(5)
		l.err("CIdcrlAuth::OnAuthComplete - LogonIdentityEx failed for %s, hr=0x800488eb (PPCRL_REQUEST_E_SCHANNEL_ERROR), STS %s", user, sts)
		l.step(6)
		l.uiError("Cannot sign into Lync. There was a problem verifying the certificate from the server.")
	}
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildServerUnavailableTextOnly(g *gen) ([]file, []file) {
	l := newLog(g, at(2014, time.November, 11, 9, 30, 5, 10), 0, 0, "0C50", "0CF8", startRaw)
	user := "bob@contoso.com"
	l.start(lync2013, user)
	for attempt := range 2 {
		if attempt > 0 {
			l.wait(60 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
			l.step(5)
		}
		l.wait(20 * time.Second)
		l.warn("CUccServerEndpoint::OnEnableComplete - Sign-in did not complete, will retry in 60 seconds")
		l.step(4)
		l.uiError("The server is temporarily unavailable. If the problem continues, please contact your support team.")
	}
	l.info("CUccPlatform::Shutdown - Platform shut down")
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildUnresolved(g *gen) ([]file, []file) {
	l := newLog(g, at(2018, time.October, 2, 9, 40, 17, 345), hours(5.75), 0, "3310", "33A8", startPrefixed)
	user := "bob@contoso.com"
	l.start(sfb2016, user)
	cl := onlineClient(l, sfb2016, user)
	l.autodiscover(user, "contoso.com", webdirFQDN)
	toPool(cl, "RTC/7.0")
	for attempt := range 3 {
		if attempt > 0 {
			l.wait(60 * time.Second)
			l.info("CUccServerEndpoint::Enable - Retrying sign-in for sip:%s", user)
			cl.newDialog()
		}
		req := cl.register("")
		l.send(cl.c, req)
		l.step(2100)
		l.recv(cl.c, cl.reply(req, "503 Service Unavailable", nil, []hdr{
			{"ms-diagnostics", `5000;reason="One or more critical applications are not running";source="` + poolFQDN + `"`},
			{"Retry-After", "60"},
			cl.serverHdr(),
			{"Date", l.date()},
		}, ""))
		l.step(6)
		l.warn("CUccServerEndpoint::OnRegisterComplete - REGISTER for sip:%s failed: 503 Service Unavailable, retrying in 60 seconds", user)
		l.step(3)
	}
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	return []file{{pathSfB, l.bytes(encCRLF)}}, nil
}

func buildDamaged(g *gen) ([]file, []file) {
	src := newGen("sip-not-enabled")
	log := buildSipNotEnabledLog(src)
	for s := range src.secrets {
		g.secrets[s] = true
	}
	// Cut the .bak copy inside the ms-diagnostics line of the first 404.
	cut := strings.Index(string(log), "ms-diagnostics: 4005;reason=\"Destination URI either")
	if cut < 0 {
		panic("damaged-bundle: no 4005 line in the sip-not-enabled log")
	}
	cut += len("ms-diagnostics: 4005;reason=\"Destination URI either")
	type generated struct { // the fields of internal/testkit/samples.Generated used here
		Path       string `json:"path"`
		Empty      bool   `json:"empty,omitempty"`
		TruncateOf string `json:"truncate_of,omitempty"`
		Bytes      int    `json:"bytes,omitempty"`
		Random     int    `json:"random,omitempty"`
		Seed       uint64 `json:"seed,omitempty"`
	}
	gen := []generated{
		{Path: "Tracing/Lync-UccApi-1.UccApilog", Empty: true},
		{Path: "Tracing/Lync-UccApi-0.UccApilog.bak", TruncateOf: pathSfB, Bytes: cut},
		{Path: "Tracing/garbage.dat", Random: 4096, Seed: 20140603},
	}
	js, err := json.MarshalIndent(gen, "", "  ")
	if err != nil {
		panic(err)
	}
	note := "The bundle builder (internal/testkit/samples, from generate.json) adds to bundle/:\n" +
		"- Tracing/Lync-UccApi-1.UccApilog: an empty (0-byte) file.\n" +
		fmt.Sprintf("- Tracing/Lync-UccApi-0.UccApilog.bak: the first %d bytes of Tracing/Lync-UccApi-0.UccApilog,\n", cut) +
		"  cut in the middle of the ms-diagnostics line of the first 404 response (an unterminated SIP block).\n" +
		"- Tracing/garbage.dat: 4096 pseudo-random bytes (seed 20140603).\n"
	return []file{{pathSfB, log}}, []file{{"generate.json", append(js, '\n')}, {"GENERATE.txt", []byte(note)}}
}

func buildLync2010Healthy(g *gen) ([]file, []file) {
	l := newLog(g, at(2012, time.March, 13, 8, 4, 45, 615), hours(-5), 0, "0B14", "0C7C", startPrefixed)
	user := "bob@contoso.com"
	l.start(lync2010, user)
	l.info("CUccDnsQuery::Query - SRV query _sipinternaltls._tcp.contoso.com")
	l.step(20)
	l.info("CUccDnsQuery::OnComplete - SRV query _sipinternaltls._tcp.contoso.com returned lyncpool01.contoso.com:5061 (priority 0, weight 0)")
	l.step(4)
	c := conn{remote: "10.0.1.20:5061", local: "10.0.6.37:" + g.port()}
	cl := newClient(l, lync2010, user, c, "10.0.6.37")
	cl.srv = server{fqdn: "lyncpool01.contoso.com", header: "RTC/4.0", webPool: "lyncweb01.contoso.com"}
	l.connect("lyncpool01.contoso.com", c)
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	req := cl.ntlmHandshake()
	l.recv(cl.c, cl.registered(req, 3600))
	l.step(10)
	l.info("CUccServerEndpoint::OnRegisterComplete - Registered %s with %s, gruu %s", cl.uri, cl.srv.fqdn, cl.gruu)
	contacts := pickContacts(g, 6)
	callID := cl.afterSignIn(contacts)
	cl.idle(callID, contacts, 14)
	cl.signOut()
	l.info("CUccPlatform::Shutdown - Platform shut down")
	return []file{{pathLync2010, l.bytes(encLF)}}, nil
}
