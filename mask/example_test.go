package mask_test

import (
	"fmt"

	"github.com/sfblog/sfblog/mask"
)

func ExampleSecrets() {
	line := `Authentication-Info: TLS-DSK qop="auth", opaque="F755045D", srand="1D9666D9", snum="17", rspauth="3359c8ac2e6229b2", targetname="sippoolbl20a05.infra.lync.com", realm="SIP Communications Service", version=4`
	fmt.Println(mask.Secrets(line))
	fmt.Println(mask.Secrets(`Cookie: ASP.NET_SessionId=k3v1q2lmx0ayb4c5d6e7f8g9`))
	// Output:
	// Authentication-Info: TLS-DSK qop="auth", opaque="<masked>", srand="<masked>", snum="<masked>", rspauth="<masked>", targetname="sippoolbl20a05.infra.lync.com", realm="SIP Communications Service", version=4
	// Cookie: ASP.NET_SessionId=<masked>
}
