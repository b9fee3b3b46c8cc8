package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time by the Makefile:
// -ldflags "-X main.version=v1.2.3". When set, it wins over the version the
// Go toolchain recorded in the binary.
var version string

// devVersion is the version of a build that carries none: go test, or a
// go build outside a repository with -buildvcs=false.
const devVersion = "dev"

// buildInfo is what a binary knows about its own build.
type buildInfo struct {
	// Version is the -X main.version value when set; else the main
	// module's version as Go recorded it: the tag for "go install
	// module@v1.2.3", a pseudo-version such as
	// v0.0.0-20260102030405-0123456789ab+dirty for a build in a checkout;
	// else devVersion. The JSON report's tool.version is this value.
	Version  string
	Revision string // vcs.revision: the commit built
	Time     string // vcs.time: the commit's time (RFC 3339)
	Modified bool   // vcs.modified: the work tree had uncommitted changes
	Go       string // the Go release that built the binary
}

// readBuildInfo returns the build information of this binary.
func readBuildInfo() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return newBuildInfo(version, bi)
}

// newBuildInfo combines the -X main.version value ldflag ("" when not set)
// with the build information Go recorded (nil when there is none).
func newBuildInfo(ldflag string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: strings.TrimSpace(ldflag), Go: runtime.Version()}
	if bi != nil {
		if bi.GoVersion != "" {
			b.Go = bi.GoVersion
		}
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = devVersion
	}
	return b
}

// String is what "sfblog version" and "sfblog --version" print: the
// version on the first line ("sfblog v1.2.3"), then the commit, its time
// and the Go release, each when known.
func (b buildInfo) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "sfblog %s\n", b.Version)
	if b.Revision != "" {
		fmt.Fprintf(&s, "commit: %s", b.Revision)
		if b.Modified {
			s.WriteString(" (modified)")
		}
		s.WriteByte('\n')
	}
	if b.Time != "" {
		fmt.Fprintf(&s, "date:   %s\n", b.Time)
	}
	fmt.Fprintf(&s, "go:     %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
	return s.String()
}

func newVersionCmd(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of sfblog, the commit it was built from and the Go release",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeOut(s, s.build.String())
		},
	}
}
