package evtxwriter

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// noiseKind is one kind of background event. The providers, GUIDs, event
// ids, qualifiers, keywords and data names are those of real records in
// the sample corpus (shared/corpus/evtx: python-evtx/system.evtx,
// omerbenamram-evtx/2-vss_7-System.evtx, DeepBlueCLI
// many-events-application.evtx); the values are drawn from lists.
type noiseKind struct {
	weight int
	make   func(g *rand.Rand, r *Record)
}

var (
	noiseServices = [][2]string{
		{"Windows Modules Installer", "TrustedInstaller"},
		{"Background Intelligent Transfer Service", "BITS"},
		{"Windows Update", "wuauserv"},
		{"Application Experience", "AeLookupSvc"},
		{"Windows Error Reporting Service", "WerSvc"},
		{"Software Protection", "sppsvc"},
		{"WinHTTP Web Proxy Auto-Discovery Service", "WinHttpAutoProxySvc"},
		{"Portable Device Enumerator Service", "WPDBusEnum"},
	}
	noiseHives = []string{
		`\SystemRoot\System32\Config\SOFTWARE`,
		`\SystemRoot\System32\Config\SYSTEM`,
		`\??\C:\Users\jdoe\ntuser.dat`,
		`\??\C:\Users\jdoe\AppData\Local\Microsoft\Windows\UsrClass.dat`,
	}
	noiseUpdates = []string{
		"Definition Update for Windows Defender - KB915597 (Definition 1.139.1234.0)",
		"Security Update for Microsoft Office 2016 (KB4011574) 32-Bit Edition",
		"Update for Skype for Business 2016 (KB4011040) 32-Bit Edition",
		"Cumulative Update for Windows 10 Version 1803 for x64-based Systems (KB4345421)",
	}
	noiseTimeSources = []string{
		"time.windows.com,0x9 (ntp.m|0x9|0.0.0.0:123->52.179.17.38:123)",
		"dc01.contoso.local (ntp.d|0.0.0.0:123->10.0.0.10:123)",
	}
)

func u16p(v uint16) *uint16 { return &v }

var noiseKinds = []noiseKind{
	{40, func(g *rand.Rand, r *Record) { // service state change
		s := noiseServices[g.IntN(len(noiseServices))]
		state := "running"
		if g.IntN(2) == 0 {
			state = "stopped"
		}
		*r = Record{Provider: "Service Control Manager", ProviderGUID: "{555908d1-a6d7-4695-8e1e-26931d2012f4}",
			EventSourceName: "Service Control Manager", EventID: 7036, Qualifiers: u16p(16384), Level: 4,
			Keywords: 0x8080000000000000, ProcessID: 548, ThreadID: 1340 + uint32(g.IntN(4000)), Channel: "System",
			Data: []Data{{"param1", s[0]}, {"param2", state}}}
	}},
	{8, func(g *rand.Rand, r *Record) { // service start type change
		s := noiseServices[g.IntN(len(noiseServices))]
		*r = Record{Provider: "Service Control Manager", ProviderGUID: "{555908d1-a6d7-4695-8e1e-26931d2012f4}",
			EventSourceName: "Service Control Manager", EventID: 7040, Qualifiers: u16p(16384), Level: 4,
			Keywords: 0x8080000000000000, ProcessID: 548, ThreadID: 2000 + uint32(g.IntN(4000)), Channel: "System",
			UserSID: "S-1-5-18",
			Data:    []Data{{"param1", s[0]}, {"param2", "demand start"}, {"param3", "auto start"}, {"param4", s[1]}}}
	}},
	{6, func(g *rand.Rand, r *Record) { // uptime, a classic source with insertion strings
		up := fmt.Sprint(60 + g.IntN(2_000_000))
		*r = Record{Provider: "EventLog", EventID: 6013, Qualifiers: u16p(32768), Level: 4,
			Keywords: 0x0080000000000000, Channel: "System",
			Data: []Data{{"", []string{up, "", up, "60", "480 Pacific Standard Time"}}}}
	}},
	{20, func(g *rand.Rand, r *Record) { // registry hive flush
		h := noiseHives[g.IntN(len(noiseHives))]
		*r = Record{Provider: "Microsoft-Windows-Kernel-General", ProviderGUID: "{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}",
			EventID: 16, Level: 4, Keywords: 0x8000000000000000, ProcessID: 4, ThreadID: 60 + uint32(g.IntN(200)),
			Channel: "System", UserSID: "S-1-5-18",
			Data: []Data{{"HiveNameLength", uint32(len(h))}, {"HiveName", h},
				{"KeysUpdated", uint32(g.IntN(300_000))}, {"DirtyPages", uint32(g.IntN(20_000))}}}
	}},
	{6, func(g *rand.Rand, r *Record) { // time source reachable
		*r = Record{Provider: "Microsoft-Windows-Time-Service", ProviderGUID: "{06edcfeb-0fd0-4e53-acca-a6f8bbf81bcb}",
			EventID: 37, Level: 4, Keywords: 0x8000000000000000, ProcessID: 5208, ThreadID: 5312,
			Channel: "System", UserSID: "S-1-5-19",
			Data: []Data{{"TimeSource", noiseTimeSources[g.IntN(len(noiseTimeSources))]}}}
	}},
	{8, func(g *rand.Rand, r *Record) { // update installed
		var id [16]byte
		for i := range id {
			id[i] = byte(g.Uint32())
		}
		*r = Record{Provider: "Microsoft-Windows-WindowsUpdateClient", ProviderGUID: "{945a8954-c147-4acd-923f-40c45405a658}",
			EventID: 19, Level: 4, Keywords: 0x8000000000000018, ProcessID: 1004, ThreadID: 3000 + uint32(g.IntN(3000)),
			Channel: "System", UserSID: "S-1-5-18",
			Data: []Data{{"updateTitle", noiseUpdates[g.IntN(len(noiseUpdates))]}, {"updateGuid", id},
				{"updateRevisionNumber", uint32(1 + g.IntN(300))}}}
	}},
	{4, func(g *rand.Rand, r *Record) { // user logon notification
		*r = Record{Provider: "Microsoft-Windows-Winlogon", ProviderGUID: "{dbe9b383-7cf3-4331-91cc-a3cb16a3b538}",
			EventID: 7001, Level: 4, Keywords: 0x2000000000000000, ProcessID: 688, ThreadID: 700 + uint32(g.IntN(100)),
			Channel: "System", UserSID: "S-1-5-18",
			Data: []Data{{"TSId", uint32(1 + g.IntN(3))}, {"UserSid", "S-1-5-21-2036804247-3058324640-2116585241-1105"}}}
	}},
	{8, func(g *rand.Rand, r *Record) { // licensing, classic source with a provider GUID
		*r = Record{Provider: "Microsoft-Windows-Security-SPP", ProviderGUID: "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}",
			EventSourceName: "Software Protection Platform Service", EventID: 902, Qualifiers: u16p(16384),
			Keywords: 0x0080000000000000, Channel: "Application",
			Data: []Data{{"", []string{"6.1.7600.16385"}}}}
	}},
}

// Noise returns n background records of the kinds a client's System and
// Application logs are full of (service state changes, registry hive
// flushes, uptime, time service, updates, logon notifications, licensing),
// drawn deterministically from seed: the same arguments give the same
// records. Record times start at start and grow by 0-30 s; record ids are
// left 0, so Write numbers them from 1. None of the records is a sign-in
// signal.
func Noise(n int, seed uint64, start time.Time) []Record {
	g := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	total := 0
	for _, k := range noiseKinds {
		total += k.weight
	}
	recs := make([]Record, n)
	t := start.UTC()
	for i := range recs {
		w := g.IntN(total)
		for _, k := range noiseKinds {
			if w < k.weight {
				k.make(g, &recs[i])
				break
			}
			w -= k.weight
		}
		t = t.Add(time.Duration(g.Int64N(int64(30 * time.Second))))
		recs[i].Time = t.Truncate(100 * time.Nanosecond)
		recs[i].Computer = "WKS-0042.contoso.local"
	}
	return recs
}
