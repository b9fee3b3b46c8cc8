package signatures

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNeedles(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: no prefilter
	}{
		{`(?i)idcrl|msoidsvc|login\.windows\.net|sign-?in assistant`, []string{"idcrl", "msoidsvc", "login.windows.net", "in assistant"}},
		{`\bOC/[234]\.`, []string{"OC/"}},
		{`(?i)\b407\b|proxy authentication required`, []string{"407", "proxy authentication required"}},
		{`(?im)^0x25$`, []string{"0x25"}},
		{`(?m)^(48|42|43)$`, nil}, // needles of one byte
		{`(?i)/adfs/|\b(sts|fs)\.[a-z]`, []string{"/adfs/", "sts.", "fs."}},
		{`(?i)a|.*`, nil},                                                // may match anything
		{`(?i)zoë`, nil},                                                 // non-ASCII folding
		{`(?i)certprov|cert(ificate)?[ _-]?provision`, []string{"cert"}}, // factored: cert(prov|...)
		// factored: s(?:ts)|adfs|f(?:s|ederation)
		{`(?i)/adfs/|(^|[^a-z0-9.-])(sts|adfs|fs|federation)[0-9-]*\.[a-z0-9-]+\.[a-z]`, []string{"/adfs/", "sts", "adfs", "fs", "federation"}},
		{`(?i)x(ab|cd)(ef|gh)y`, []string{"xabefy", "xabghy", "xcdefy", "xcdghy"}},
		{`(?i)x(a|b)y`, nil},            // (a|b) is a character class: one-byte needles only
		{`abc(?i:de)`, []string{"abc"}}, // folding changes mid-way: the runs are not joined
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			var got []string
			for _, n := range needles(tt.expr) {
				got = append(got, n.s)
			}
			if tt.want == nil {
				assert.Nil(t, got)
				return
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

// The prefilter never changes what a regex condition matches.
func TestNeedlesKeepMatches(t *testing.T) {
	exprs := []string{
		`(?i)idcrl|msoidsvc|msoidcli|logonidentity|login\.microsoftonline\.com|login\.windows\.net|sign-?in assistant|rst2\.srf`,
		`(?i)connect-msolservice|microsoft\.online\.administration|microsoft\.exchange\.|\bews\b|outlook\.exe|microsoft teams|teams\.exe`,
		`(?i)certprov|cert(ificate)?[ _-]?provision|getandpublishcert|authwebservices`,
		`\bOC/[234]\.`,
		`(?i)\b407\b|proxy authentication required`,
		`(?i)/adfs/|(^|[^a-z0-9.-])(sts|adfs|fs|federation)[0-9-]*\.[a-z0-9-]+\.[a-z]`,
	}
	values := []string{
		"https://STS.contoso.com/adfs/ls", "fs1.contoso.com", "Federation.contoso.com", "xfs.contoso.com", "f s.contoso.com",
		"FEDERATIO.contoso.com", "fs.contoso", "sts-2.contoso.com",
		"", "IDCRL", "xMsoIdSvcx", "Sign-In Assistant", "signin assistant", "login.Windows.NET", "LOGIN.WINDOWS.NE",
		"OUTLOOK.EXE started", "Microsoft Teams", "microsoft\tteams", "CertProv", "Certificate-Provisioning", "cert provision",
		"User-Agent: OC/3.5", "oc/3.5", "HTTP 407", "Proxy Authentication Required", "ProxyAuthentication",
		"\u212Adcrl idcr\u212A msoidsvc\u017F", "teams.ex", "rst2.srf", "RST2.SRF",
	}
	for _, expr := range exprs {
		re := regexp.MustCompile(expr)
		c := &Cond{Field: "text", Op: "regex", Re: newRegexp(expr), need: needles(expr)}
		for _, v := range values {
			for _, vv := range []string{v, strings.ToUpper(v), "x " + v + " y"} {
				assert.Equal(t, re.MatchString(vv), c.matchValue(vv), "%s on %q", expr, vv)
			}
		}
	}
}

func FuzzNeedles(f *testing.F) {
	f.Add("Sign-In Assistant login.windows.net", "x")
	f.Add("https://fs1.contoso.com/", "FEDERATION.x.y")
	f.Fuzz(func(t *testing.T, v, w string) {
		for _, expr := range []string{
			`(?i)idcrl|msoidsvc|msoidcli|logonidentity|login\.microsoftonline\.com|login\.windows\.net|sign-?in assistant|rst2\.srf`,
			`(?i)certprov|cert(ificate)?[ _-]?provision|getandpublishcert|authwebservices`,
			`(?i)/adfs/|(^|[^a-z0-9.-])(sts|adfs|fs|federation)[0-9-]*\.[a-z0-9-]+\.[a-z]`,
			`(?i)x(ab|cd)(ef|gh)y`,
		} {
			re := regexp.MustCompile(expr)
			c := &Cond{Op: "regex", Re: newRegexp(expr), need: needles(expr)}
			s := v + "login.windows.net"[:len(w)%18] + w
			if re.MatchString(s) != c.matchValue(s) {
				t.Errorf("%s on %q: prefilter changed the result", expr, s)
			}
		}
	})
}

// Every regex condition of the shipped catalog gives the same answer with
// and without its prefilter on every line and field value of the catalog's
// own examples, upper-cased and lower-cased too.
func TestCatalogRegexNeedles(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	var conds []*Cond
	var walk func(*Cond)
	walk = func(c *Cond) {
		if c == nil {
			return
		}
		if c.Op == "regex" {
			conds = append(conds, c)
		}
		for _, s := range append(append([]*Cond{c.Not}, c.All...), c.Any...) {
			walk(s)
		}
	}
	for _, s := range c.All() {
		for _, ev := range s.Evidence {
			if ev.When != nil {
				walk(ev.When)
				continue
			}
			walk(ev.Correlate.First.When)
			walk(ev.Correlate.Second.When)
		}
		for _, x := range append(append([]Example{}, s.Examples.Match...), s.Examples.NoMatch...) {
			values = append(values, x.Input)
			values = append(values, strings.Split(x.Input, "\n")...)
			for _, e := range x.Events {
				values = append(values, e.Text)
				for _, v := range e.Fields {
					values = append(values, v)
				}
			}
		}
	}
	filtered := 0
	for _, c := range conds {
		if c.need != nil {
			filtered++
		}
		for _, v := range values {
			for _, vv := range []string{v, strings.ToUpper(v), strings.ToLower(v)} {
				if got, want := c.matchValue(vv), c.Re.MatchString(vv); got != want {
					t.Errorf("%s on %q: %v with the prefilter, %v without", c.Re, vv, got, want)
				}
			}
		}
	}
	assert.NotZero(t, filtered, "no regex of the catalog has a prefilter")
}
