package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ---------------------------------------------------------------------------
// Client start and HTTP traces.

// start writes the lines a client logs when it starts and begins to sign in.
func (l *clog) start(ver clientVer, user string) {
	l.info("CUccPlatform::Initialize - UCCAPI/%s platform initialized", ver.build)
	l.step(12)
	l.info("CUccPlatform::Initialize - Tracing level FULL, client %s %s", ver.product, ver.build)
	l.step(35)
	l.trace("CUccEndpointConfiguration::Load - Loading endpoint configuration from the registry")
	l.step(4)
	l.info("CUccEndpointConfiguration::Load - Sign-in address %s, server discovery automatic", user)
	l.step(20)
	l.trace("CUccNetworkMonitor::OnNetworkChange - Network connectivity: connected, interface up")
	l.step(8)
	l.info("CUccServerEndpoint::Enable - Starting sign-in for sip:%s", user)
	l.step(6)
}

// httpx logs one HTTP exchange of component comp. A status of "" logs the
// request only.
func (l *clog) httpx(comp, method, url string, reqHdrs []hdr, reqBody, status string, respHdrs []hdr, respBody string) {
	l.info("%s - Sending HTTP request: %s %s", comp, method, url)
	for _, h := range reqHdrs {
		l.trace("%s - Request header: %s: %s", comp, h.name, h.value)
	}
	if reqBody != "" {
		l.trace("%s - Request body: %s", comp, reqBody)
	}
	if status == "" {
		return
	}
	l.step(80 + l.g.rng.IntN(120))
	n := len(respBody)
	l.info("%s - Received HTTP response: HTTP/1.1 %s (%d bytes) for %s", comp, status, n, url)
	for _, h := range respHdrs {
		l.trace("%s - Response header: %s: %s", comp, h.name, h.value)
	}
	if respBody != "" {
		l.trace("%s - Response body: %s", comp, respBody)
	}
	l.step(3)
}

// httpDate is an HTTP Date header for now.
func (l *clog) httpDate() hdr { return hdr{"Date", l.date()} }

// autodiscover runs a successful lyncdiscover look-up of domain that points
// at sipdir.online.lync.com.
func (l *clog) autodiscover(user, domain, webdir string) {
	comp := "CAutoDiscovery::SendRequest"
	root := "https://lyncdiscover." + domain + "/?sipuri=" + user
	l.info("CAutoDiscovery::Start - Discovering servers for sip:%s (internal, then external)", user)
	l.step(5)
	l.info("CAutoDiscovery::Start - Skipping https://lyncdiscoverinternal.%s: client is outside the corporate network", domain)
	l.step(3)
	link := "https://" + webdir + "/Autodiscover/AutodiscoverService.svc/root/domain?originalDomain=" + domain
	l.httpx(comp, "GET", root, []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}, {"X-MS-Namespace", "external"}}, "",
		"200 OK", []hdr{{"Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1"}, {"Server", "Microsoft-IIS/8.5"}, l.httpDate()},
		`<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Root><Link token="Domain" href="`+link+`" /><Link token="User" href="https://`+webdir+`/Autodiscover/AutodiscoverService.svc/root/user?originalDomain=`+domain+`" /><Link token="Self" href="https://`+webdir+`/Autodiscover/AutodiscoverService.svc/root?originalDomain=`+domain+`" /></Root></AutodiscoverResponse>`)
	l.step(30)
	l.httpx(comp, "GET", link, []hdr{{"Accept", "application/vnd.microsoft.rtc.autodiscover+xml;v=1"}}, "",
		"200 OK", []hdr{{"Content-Type", "application/vnd.microsoft.rtc.autodiscover+xml; v=1"}, {"Server", "Microsoft-IIS/8.5"}, l.httpDate()},
		`<?xml version="1.0" encoding="utf-8"?><AutodiscoverResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" AccessLocation="External"><Domain><SipServerInternalAccess fqdn="sipdir.online.lync.com" port="443" /><SipClientInternalAccess fqdn="sipdir.online.lync.com" port="443" /><SipServerExternalAccess fqdn="sipdir.online.lync.com" port="443" /><SipClientExternalAccess fqdn="sipdir.online.lync.com" port="443" /></Domain></AutodiscoverResponse>`)
	l.step(10)
	l.info("CAutoDiscovery::OnComplete - Using sipdir.online.lync.com:443 (TLS) for sip:%s", user)
	l.step(40)
}

// srvDiscovery logs the DNS SRV discovery of Lync 2010.
func (l *clog) srvDiscovery(domain, target string) {
	l.info("CUccDnsQuery::Query - SRV query _sipinternaltls._tcp.%s", domain)
	l.step(30)
	l.info("CUccDnsQuery::OnComplete - SRV query _sipinternaltls._tcp.%s returned no records", domain)
	l.step(2)
	l.info("CUccDnsQuery::Query - SRV query _sip._tls.%s", domain)
	l.step(25)
	l.info("CUccDnsQuery::OnComplete - SRV query _sip._tls.%s returned %s:443 (priority 100, weight 1)", domain, target)
	l.step(5)
}

// connect logs the TLS connection of c to host.
func (l *clog) connect(host string, c conn) {
	l.info("CSIPAsyncSocket::Connect - Connecting to %s (%s) over TLS from %s", host, c.remote, c.local)
	l.step(60 + l.g.rng.IntN(40))
	l.info("CSIPAsyncSocket::OnConnect - TLS negotiation with %s complete, server certificate subject CN=%s", c.remote, host)
	l.step(3)
}

// idcrlLogon logs a successful Sign-In Assistant (IDCRL) logon.
func (l *clog) idcrlLogon(user string) {
	l.info("CIdcrlAuth::LogonIdentity - Requesting a service token for %s from the Microsoft Online Services Sign-In Assistant", user)
	l.step(15)
	l.info("CIdcrlAuth::LogonIdentity - Realm discovery for %s: NameSpaceType=Managed", user)
	l.step(400 + l.g.rng.IntN(300))
	l.info("CIdcrlAuth::OnAuthComplete - Service token for %s acquired (policy MBI_SSL)", user)
	l.step(5)
}

// webTicket logs the web ticket request that presents the IDCRL SAML
// token, and returns the session cookie the service set.
func (l *clog) webTicket(user, webPool string) string {
	g := l.g
	now := l.utc().UTC()
	samlSig := g.secret(g.blob(nil, 96))
	session := g.secret(g.hexl(24))
	l.httpx("CWebTicketProvider::RequestTicket", "POST", "https://"+webPool+"/WebTicket/WebTicketService.svc/LiveId",
		[]hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"SOAPAction", "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue"}},
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><s:Header><wsa:Action s:mustUnderstand="1">http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue</wsa:Action><wsa:To s:mustUnderstand="1">https://`+webPool+`/WebTicket/WebTicketService.svc/LiveId</wsa:To><wsse:Security><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" MajorVersion="1" MinorVersion="1" AssertionID="_`+g.uuid()+`" Issuer="urn:federation:MicrosoftOnline" IssueInstant="`+now.Format("2006-01-02T15:04:05Z")+`"><saml:Conditions NotBefore="`+now.Format("2006-01-02T15:04:05Z")+`" NotOnOrAfter="`+now.Add(8*time.Hour).Format("2006-01-02T15:04:05Z")+`" /><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>`+samlSig+`</ds:SignatureValue></ds:Signature></saml:Assertion></wsse:Security></s:Header><s:Body><wst:RequestSecurityToken Context="`+g.uuid()+`"><wst:TokenType>urn:component:Microsoft.Rtc.WebAuthentication.2010:user-cwt-1</wst:TokenType><wst:RequestType>http://schemas.xmlsoap.org/ws/2005/02/trust/Issue</wst:RequestType></wst:RequestSecurityToken></s:Body></s:Envelope>`,
		"200 OK", []hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"Set-Cookie", "ASP.NET_SessionId=" + session + "; path=/; secure; HttpOnly"}, l.httpDate()},
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><wst:RequestSecurityTokenResponseCollection xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><wst:RequestSecurityTokenResponse><wst:TokenType>urn:component:Microsoft.Rtc.WebAuthentication.2010:user-cwt-1</wst:TokenType><wst:RequestedSecurityToken><UserToken Id="`+g.uuid()+`" xmlns="http://schemas.microsoft.com/OCS/AuthWebServices.xsd">`+l.cwt()+`</UserToken></wst:RequestedSecurityToken><wst:Lifetime><wsu:Created xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">`+now.Format("2006-01-02T15:04:05Z")+`</wsu:Created><wsu:Expires xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">`+now.Add(8*time.Hour).Format("2006-01-02T15:04:05Z")+`</wsu:Expires></wst:Lifetime></wst:RequestSecurityTokenResponse></wst:RequestSecurityTokenResponseCollection></s:Body></s:Envelope>`)
	l.info("CWebTicketProvider::OnTicket - Web ticket acquired for %s, valid for 8 hours", user)
	l.step(20)
	return session
}

// cwt returns a fresh compact web ticket, a planted secret.
func (l *clog) cwt() string {
	return l.g.secret("AAEB" + l.g.blob(nil, 180))
}

// certRequest logs the GetAndPublishCert request to CertProv; the caller
// logs the response with certResponse.
func (l *clog) certRequest(user, webPool, session string) {
	g := l.g
	url := "https://" + webPool + "/CertProv/CertProvisioningService.svc"
	l.info("CCertProvisioning::GetAndPublishCert - Requesting a client certificate for sip:%s from %s", user, url)
	l.httpx("CCertProvisioning::GetAndPublishCert", "POST", url,
		[]hdr{{"Content-Type", "application/soap+xml; charset=utf-8"}, {"Cookie", "ASP.NET_SessionId=" + session}},
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wst="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><s:Header><wsse:Security><wsse:BinarySecurityToken ValueType="urn:component:Microsoft.Rtc.WebAuthentication.2010:user-cwt-1" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">`+l.cwt()+`</wsse:BinarySecurityToken></wsse:Security></s:Header><s:Body><GetAndPublishCert xmlns="http://schemas.microsoft.com/OCS/AuthWebServices/" DeviceId="{`+strings.ToUpper(g.uuid())+`}" Entity="`+user+`"><wst:RequestSecurityToken Context="`+g.uuid()+`"><wst:TokenType>http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3</wst:TokenType><wst:RequestType>http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue</wst:RequestType><wst:BinarySecurityToken ValueType="http://schemas.microsoft.com/OCS/AuthWebServices.xsd#PKCS10" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">`+g.blob([]byte{0x30, 0x82, 0x02, 0x9c}, 420)+`</wst:BinarySecurityToken></wst:RequestSecurityToken></GetAndPublishCert></s:Body></s:Envelope>`,
		"", nil, "")
}

// certResponse logs the CertProv answer.
func (l *clog) certResponse(webPool, status string, body string) {
	url := "https://" + webPool + "/CertProv/CertProvisioningService.svc"
	l.step(250 + l.g.rng.IntN(150))
	l.info("CCertProvisioning::OnResponse - Received HTTP response: HTTP/1.1 %s (%d bytes) for %s", status, len(body), url)
	l.trace("CCertProvisioning::OnResponse - Response header: Content-Type: application/soap+xml; charset=utf-8")
	l.trace("CCertProvisioning::OnResponse - Response header: Date: %s", l.date())
	if body != "" {
		l.trace("CCertProvisioning::OnResponse - Response body: %s", body)
	}
	l.step(4)
}

// certIssuedBody is a GetAndPublishCert response carrying a certificate.
func (l *clog) certIssuedBody() string {
	return `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetAndPublishCertResponse xmlns="http://schemas.microsoft.com/OCS/AuthWebServices/"><RequestSecurityTokenResponse xmlns="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><TokenType>http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3</TokenType><DispositionMessage xmlns="http://schemas.microsoft.com/windows/pki/2009/01/enrollment">Issued</DispositionMessage><RequestedSecurityToken><BinarySecurityToken ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` + l.g.blob([]byte{0x30, 0x82, 0x04, 0x1a}, 780) + `</BinarySecurityToken></RequestedSecurityToken></RequestSecurityTokenResponse></GetAndPublishCertResponse></s:Body></s:Envelope>`
}

// provisionOK logs web ticket and certificate provisioning that succeed.
func (l *clog) provisionOK(user, webPool string) {
	l.idcrlLogon(user)
	session := l.webTicket(user, webPool)
	l.certRequest(user, webPool, session)
	l.certResponse(webPool, "200 OK", l.certIssuedBody())
	l.info("CCertProvisioning::OnResponse - Certificate issued for sip:%s (Issuer CN=Communications Server), stored in the user's Personal store", user)
	l.step(30)
}

// uiError logs the error text the client shows to the user.
func (l *clog) uiError(text string) {
	l.err("CUIErrorReporter::ShowSignInError - Sign-in failed, showing error to the user: %s", text)
	l.step(5)
}

// ---------------------------------------------------------------------------
// Traffic after sign-in.

type contact struct {
	uri, name string
}

var contactPool = []contact{
	{"alice.jones@contoso.com", "Alice Jones"},
	{"carlos.diaz@contoso.com", "Carlos Diaz"},
	{"dana.lee@contoso.com", "Dana Lee"},
	{"erik.nilsson@contoso.com", "Erik Nilsson"},
	{"fatima.khan@contoso.com", "Fatima Khan"},
	{"george.smith@contoso.com", "George Smith"},
	{"hana.sato@contoso.com", "Hana Sato"},
	{"ivan.petrov@fabrikam.com", "Ivan Petrov"},
	{"julia.meyer@fabrikam.com", "Julia Meyer"},
	{"kofi.mensah@contoso.com", "Kofi Mensah"},
	{"lena.novak@contoso.com", "Lena Novak"},
	{"mario.rossi@fabrikam.com", "Mario Rossi"},
}

// availability codes of [MS-PRES] aggregate state.
var availability = []int{3500, 3500, 3500, 6500, 6500, 9500, 12500, 15500, 18500}

const subscribeSupported = "com.microsoft.autoextend"

// afterSignIn logs the subscriptions and publications a client sends
// right after it registered, and the server's first presence notifications.
// It returns the Call-ID of the presence subscription.
func (cl *client) afterSignIn(contacts []contact) string {
	l := cl.l
	self := cl.uri

	// In-band provisioning.
	req := cl.request("SUBSCRIBE", self, "vnd-microsoft-provisioning-v2")
	req.add("Accept", "application/vnd-microsoft-roaming-provisioning-v2+xml").
		add("Supported", subscribeSupported).add("Supported", "ms-benotify").
		add("Proxy-Require", "ms-benotify").add("Supported", "ms-piggyback-first-notify").
		add("Expires", "0")
	cl.signedSend(req, "application/vnd-microsoft-roaming-provisioning-v2+xml",
		`<provisioningGroupList xmlns="http://schemas.microsoft.com/2006/09/sip/provisiongrouplist"><provisioningGroup name="ServerConfiguration"/><provisioningGroup name="meetingPolicy"/><provisioningGroup name="ucPolicy"/><provisioningGroup name="privacyPublicationGrammar"/><provisioningGroup name="userSetting"/><provisioningGroup name="publicationGrammar"/><provisioningGroup name="persistentChatConfiguration"/></provisioningGroupList>`)
	l.step(140)
	cl.signedReply(req, "200 OK", []hdr{
		{"Expires", "0"},
		{"Content-Type", "application/vnd-microsoft-roaming-provisioning-v2+xml"},
		{"Date", l.date()},
	}, `<provisionGroupList xmlns="http://schemas.microsoft.com/2006/09/sip/provisiongroupcommon"><provisionGroup name="ServerConfiguration"><focusFactory>sip:`+userOf(self)+`;gruu;opaque=app:conf:focusfactory</focusFactory><absInternalServerUrl>https://`+cl.srv.webPool+`/abs/handler</absInternalServerUrl><absExternalServerUrl>https://`+cl.srv.webPool+`/abs/handler</absExternalServerUrl><mrasUri>sip:`+userOf(self)+`;gruu;opaque=srvr:MRAS:ZmFrZW1yYXM</mrasUri><ucPC2PCAVEncryption>SupportEncryption</ucPC2PCAVEncryption><dlxInternalUrl>https://`+cl.srv.webPool+`/GroupExpansion/service.svc</dlxInternalUrl><locationProfileUrl>https://`+cl.srv.webPool+`/locationinformation/liservice.svc</locationProfileUrl></provisionGroup><provisionGroup name="ucPolicy"><propertyEntryList><property name="EnableTelephony">true</property><property name="EnableExchangeContactSync">true</property></propertyEntryList></provisionGroup></provisionGroupList>`)
	l.step(30)

	// Contact list.
	req = cl.request("SUBSCRIBE", self, "vnd-microsoft-roaming-contacts")
	req.add("Accept", "application/vnd-microsoft-roaming-contacts+xml").
		add("Supported", subscribeSupported).add("Supported", "ms-benotify").
		add("Proxy-Require", "ms-benotify").add("Supported", "ms-piggyback-first-notify")
	cl.signedSend(req, "", "")
	l.step(120)
	var cb strings.Builder
	cb.WriteString(`<contactList deltaNum="` + strconv.Itoa(cl.g.between(40, 900)) + `" ><group id="1" name="~" externalURI="" /><group id="2" name="Team" externalURI="" />`)
	for _, c := range contacts {
		cb.WriteString(`<contact uri="` + c.uri + `" name="" groups="1 2" subscribed="true" externalURI="" />`)
	}
	cb.WriteString(`</contactList>`)
	cl.signedReply(req, "200 OK", []hdr{
		{"Expires", "28800"},
		{"Content-Type", "application/vnd-microsoft-roaming-contacts+xml"},
		{"Date", l.date()},
	}, cb.String())
	l.step(25)

	// Publish the initial presence.
	cl.publish(3500)

	// Batch presence subscription.
	req = cl.request("SUBSCRIBE", self, "presence")
	req.add("Accept", "application/msrtc-event-categories+xml, text/xml+msrtc.pidf, application/pidf+xml, application/rlmi+xml, multipart/related").
		add("Supported", subscribeSupported).add("Supported", "ms-benotify").
		add("Proxy-Require", "ms-benotify").add("Supported", "ms-piggyback-first-notify").
		add("Supported", "eventlist").add("Require", "adhoclist, categoryList")
	var sb strings.Builder
	sb.WriteString(`<batchSub xmlns="http://schemas.microsoft.com/2006/01/sip/batch-subscribe" uri="` + self + `" name=""><action name="subscribe" id="` + strconv.Itoa(cl.g.between(1000000, 9999999)) + `"><adhocList>`)
	for _, c := range contacts {
		sb.WriteString(`<resource uri="sip:` + c.uri + `" />`)
	}
	sb.WriteString(`</adhocList><categoryList xmlns="http://schemas.microsoft.com/2006/09/sip/categorylist"><category name="calendarData" /><category name="contactCard" /><category name="note" /><category name="state" /></categoryList></action></batchSub>`)
	cl.signedSend(req, "application/msrtc-adrl-categorylist+xml", sb.String())
	presenceCallID := req.get("Call-ID")
	from := req.get("From")
	cl.presTag = from[strings.Index(from, ";tag=")+5 : strings.Index(from, ";epid=")]
	l.step(110)
	cl.signedReply(req, "200 OK", []hdr{
		{"Expires", "28800"},
		{"Require", "eventlist"},
		{"Content-Type", "application/msrtc-event-categories+xml"},
		{"Date", l.date()},
	}, "")
	l.step(40)
	for _, c := range contacts {
		cl.notify(presenceCallID, c, pick(cl.g, availability), "BENOTIFY")
		l.step(cl.g.between(5, 60))
	}
	return presenceCallID
}

func userOf(uri string) string { return strings.TrimPrefix(uri, "sip:") }

// publish logs a SERVICE request that publishes the user's own state.
func (cl *client) publish(avail int) {
	l := cl.l
	req := cl.request("SERVICE", cl.uri, "")
	body := fmt.Sprintf(`<publish xmlns="http://schemas.microsoft.com/2006/09/sip/rich-presence"><publications uri="%s"><publication categoryName="state" instance="%d" container="2" version="%d" expireType="endpoint"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" manual="false" xsi:type="machineState"><availability>%d</availability><endpointLocation></endpointLocation></state></publication></publications></publish>`,
		cl.uri, cl.g.between(100000000, 999999999), cl.g.between(1, 40), avail)
	cl.signedSend(req, "application/msrtc-category-publish+xml", body)
	l.step(90)
	cl.signedReply(req, "200 OK", []hdr{
		{"Content-Type", "application/vnd-microsoft-roaming-self+xml"},
		{"Date", l.date()},
	}, fmt.Sprintf(`<roamingData xmlns="http://schemas.microsoft.com/2006/09/sip/roaming-self" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><categories xmlns="http://schemas.microsoft.com/2006/09/sip/categories" uri="%s"><category name="state" instance="0" publishTime="%s" container="2" version="%d" expireType="endpoint"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xsi:type="aggregateState"><availability>%d</availability></state></category></categories></roamingData>`,
		cl.uri, l.utc().UTC().Format("2006-01-02T15:04:05.000"), cl.g.between(1, 40), avail))
	l.step(20)
}

// notify logs a presence notification from the server (NOTIFY is answered
// by the client, BENOTIFY is not).
func (cl *client) notify(callID string, c contact, avail int, method string) {
	l, g := cl.l, cl.g
	body := fmt.Sprintf(`<categories xmlns="http://schemas.microsoft.com/2006/09/sip/categories" uri="sip:%s"><category name="state" instance="0" publishTime="%s"><state xmlns="http://schemas.microsoft.com/2006/09/sip/state" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="aggregateState"><availability>%d</availability></state></category><category name="contactCard" instance="0" publishTime="%s"><contactCard xmlns="http://schemas.microsoft.com/2006/09/sip/contactcard"><identity><name><displayName>%s</displayName></name><email>%s</email></identity></contactCard></category></categories>`,
		c.uri, l.utc().UTC().Format("2006-01-02T15:04:05.000"), avail, l.utc().UTC().Add(-72*time.Hour).Format("2006-01-02T15:04:05.000"), c.name, c.uri)
	m := &msg{start: fmt.Sprintf("%s sip:%s;transport=tls;ms-opaque=%s;ms-received-cid=%s;grid SIP/2.0", method, cl.c.local, cl.msOpaque, cl.cid), body: body}
	m.add("Via", fmt.Sprintf("SIP/2.0/TLS %s;branch=z9hG4bK%s.%s;branched=FALSE", cl.c.remote, g.hexu(8), g.hexu(16))).
		add("Authentication-Info", cl.authInfo().value).
		add("Max-Forwards", "70").
		add("To", "<"+cl.uri+">;tag="+cl.presTag+";epid="+cl.epid).
		add("Content-Length", strconv.Itoa(len(body))).
		add("From", "<"+cl.uri+">;tag="+g.hexu(32)).
		add("Call-ID", callID).
		add("CSeq", fmt.Sprintf("%d %s", g.between(2, 900), method)).
		add("Require", "eventlist").
		add("Content-Type", "application/msrtc-event-categories+xml").
		add("Event", "presence").
		add("subscription-state", "active;expires="+strconv.Itoa(g.between(20000, 28800)))
	l.recv(cl.c, m)
	if method != "NOTIFY" {
		return
	}
	l.step(4)
	resp := &msg{start: "SIP/2.0 200 OK"}
	resp.add("Via", m.get("Via")).
		add("From", m.get("From")).
		add("To", m.get("To")).
		add("Call-ID", callID).
		add("CSeq", m.get("CSeq")).
		add("Proxy-Authorization", cl.credentials()).
		add("User-Agent", cl.ver.ua).
		add("Content-Length", "0")
	l.send(cl.c, resp)
}

// keepAlive logs a REGISTER refresh on the existing security association.
func (cl *client) keepAlive(expires int) {
	req := cl.registerSigned()
	cl.l.recv(cl.c, cl.registered(req, expires))
	cl.l.step(10)
}

// signOut logs an unREGISTER (Expires: 0) and its 200 OK.
func (cl *client) signOut() {
	l := cl.l
	l.info("CUccServerEndpoint::Disable - Signing out sip:%s", userOf(cl.uri))
	cl.cseq++
	m := &msg{start: "REGISTER sip:" + cl.domain + " SIP/2.0"}
	m.add("Via", "SIP/2.0/TLS "+cl.c.local).
		add("Max-Forwards", "70").
		add("From", "<"+cl.uri+">;tag="+cl.tag+";epid="+cl.epid).
		add("To", "<"+cl.uri+">").
		add("Call-ID", cl.callID).
		add("CSeq", fmt.Sprintf("%d REGISTER", cl.cseq)).
		add("Contact", fmt.Sprintf(`<sip:%s;transport=tls;ms-opaque=%s>;+sip.instance="<urn:uuid:%s>"`, cl.c.local, cl.msOpaque, cl.instance)).
		add("User-Agent", cl.ver.ua).
		add("Expires", "0").
		add("Authorization", cl.credentials()+", version=4").
		add("Content-Length", "0")
	l.send(cl.c, m)
	l.step(90)
	l.recv(cl.c, cl.reply(m, "200 OK", []hdr{cl.authInfo()}, []hdr{
		{"Expires", "0"},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(10)
	l.info("CUccServerEndpoint::OnUnregisterComplete - Signed out sip:%s", userOf(cl.uri))
	l.step(30)
	l.info("CSIPAsyncSocket::Close - Closing connection to %s", cl.c.remote)
	l.step(5)
}

// idle writes n rounds of presence traffic: contacts changing state, the
// user's own state, occasional REGISTER refreshes.
func (cl *client) idle(callID string, contacts []contact, rounds int) {
	l, g := cl.l, cl.g
	for i := range rounds {
		l.wait(time.Duration(g.between(20, 240)) * time.Second)
		switch {
		case i%37 == 36:
			cl.keepAlive(7200)
		case i%11 == 5:
			l.info("CUccPresenceManager::OnIdleStateChange - User idle state changed, publishing new machine state")
			cl.publish(pick(g, []int{3500, 15500}))
		case i%13 == 7:
			l.trace("CSIPAsyncSocket::OnKeepAlive - Sending keep-alive (CRLF) to %s", cl.c.remote)
		case i%29 == 17:
			l.warn("CUccContactCard::OnPhotoDownload - Photo of sip:%s is not available, using the default picture", pick(g, contacts).uri)
		default:
			method := "BENOTIFY"
			if i%4 == 0 {
				method = "NOTIFY"
			}
			cl.notify(callID, pick(g, contacts), pick(g, availability), method)
		}
	}
}
