// Command benchcmp measures sfblog on large client logs side by side with a
// bare Go line scan and ripgrep, in one run on one machine, and prints the
// throughput of each, its ratio to the bare scan and the peak RSS of each
// sfblog process. With evtxexport installed (make tools) it also compares
// "sfblog parse" with "evtxexport -f xml" on every .evtx file of the corpus.
//
// The client log is generated deterministically from the sample cases
// (testdata/logs/cases): a healthy sign-in repeated with its dates moved a
// day per copy, with a refused password and a clock skew among the copies.
// The measurements run in -runs rounds, each running every measurement
// once in turn (with -old, an older build's too), so that runs compared
// are seconds apart on a shared machine whose speed drifts; the median
// time, the largest RSS and the median of the round-by-round ratios are
// printed. Run it from the repository root:
//
//	go run ./internal/testkit/cmd/benchcmp                          # 64 MiB, about a minute
//	go run ./internal/testkit/cmd/benchcmp -sizes 256MiB,1GiB -evtx ''
//	go run ./internal/testkit/cmd/benchcmp -old OLD/sfblog -evtx ''       # before and after, in the same rounds
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	sizes := flag.String("sizes", "64MiB", "comma-separated sizes of the generated client log (KiB, MiB, GiB)")
	runs := flag.Int("runs", 3, "runs of each measurement; the median is printed")
	cases := flag.String("cases", "testdata/logs/cases", "the sample cases the log is generated from")
	corpus := flag.String("evtx", "testdata/evtx", "a folder of .evtx files to compare with evtxexport ('' to skip)")
	keep := flag.Bool("keep", false, "keep the temporary folder (the binary and the last generated log)")
	bin := flag.String("bin", "", "an sfblog binary to measure instead of building ./cmd/sfblog (an older build, to compare)")
	old := flag.String("old", "", "an older sfblog binary to measure too, in the same rounds (rows marked \"old\")")
	tools := flag.String("tools", "analyze,parse,rg", "what to measure besides the bare scan: analyze, parse, rg")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, config{sizes: *sizes, runs: *runs, cases: *cases, corpus: *corpus, keep: *keep, bin: *bin, old: *old, tools: *tools}); err != nil {
		fmt.Fprintf(os.Stderr, "benchcmp: %v\n", err)
		os.Exit(1)
	}
}

type config struct {
	sizes  string
	runs   int
	cases  string
	corpus string
	keep   bool
	bin    string
	old    string
	tools  string
}

// Targets of issue 9, as fractions of the bare scan's throughput.
const (
	analyzeTarget = 1.0 / 4
	parseTarget   = 1.0 / 8
	rssTarget     = 64 << 20
)

func run(ctx context.Context, c config) error {
	sizes, err := parseSizes(c.sizes)
	if err != nil {
		return err
	}
	if c.runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the repository root (no go.mod here)")
	}
	dir, err := os.MkdirTemp("", "benchcmp")
	if err != nil {
		return err
	}
	if c.keep {
		fmt.Printf("temporary folder: %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := c.bin
	if bin == "" {
		bin = filepath.Join(dir, "sfblog")
		// Built as make build builds it: static.
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/sfblog")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	want := map[string]bool{}
	for _, t := range strings.Split(c.tools, ",") {
		want[strings.TrimSpace(t)] = true
	}
	rg, rgErr := exec.LookPath("rg")
	if rgErr != nil && want["rg"] {
		fmt.Println("rg: not installed (Debian package ripgrep); skipped")
	}
	fmt.Printf("rounds: %d, each running every measurement once in turn; median time, largest peak RSS\n\n", c.runs)
	fmt.Printf("%-9s %-30s %9s %10s %9s %9s %9s  %s\n", "log", "tool", "time", "MB/s", "vs scan", "best vs", "peak RSS", "target")
	type tool struct {
		name   string
		bin    string
		args   []string
		target float64
		out    int
	}
	for _, size := range sizes {
		log := filepath.Join(dir, "Lync-UccApi-0.UccApilog")
		n, err := writeLog(log, c.cases, size)
		if err != nil {
			return err
		}
		label := formatSize(size)
		var tools []tool
		for _, t := range []struct {
			tool   string
			name   string
			args   []string
			target float64
		}{
			{"analyze", "sfblog analyze", []string{"analyze", log}, analyzeTarget},
			{"parse", "sfblog parse -f jsonl", []string{"parse", "-f", "jsonl", log}, parseTarget},
		} {
			if !want[t.tool] {
				continue
			}
			tools = append(tools, tool{t.name, bin, t.args, t.target, devNull})
			if c.old != "" {
				tools = append(tools, tool{t.name + " (old)", c.old, t.args, 0, devNull})
			}
		}
		if rgErr == nil && want["rg"] {
			// ripgrep behaves as --quiet when its output is /dev/null: give
			// it a pipe so that it reads the whole file.
			tools = append(tools, tool{"rg ERROR", rg, []string{"ERROR", log}, 0, pipe})
		}
		probes := []probe{{"bare Go scan", func() (sample, error) { return bareScan(log) }}}
		for _, t := range tools {
			probes = append(probes, probe{t.name, func() (sample, error) { return child(ctx, t.bin, t.args, t.out) }})
		}
		res, err := rounds(ctx, c.runs, probes)
		if err != nil {
			return err
		}
		scan := res[0]
		fmt.Printf("%-9s %-30s %9s %10.1f %9.3f %9.3f %9s  %s\n", label, "bare Go scan", scan.time.Round(time.Millisecond), rate(n, scan.time)/1e6, 1.0, 1.0, "-", "")
		for i, t := range tools {
			r := res[i+1]
			vs := ratio(scan, r)
			verdict, mem := "", "-"
			if t.target > 0 {
				verdict = fmt.Sprintf("≥ %.3f: %s", t.target, pass(vs >= t.target))
			}
			if t.bin != rg {
				mem = formatSize(r.rss)
				if strings.HasPrefix(t.name, "sfblog analyze") && t.target > 0 {
					verdict += fmt.Sprintf("; RSS ≤ %s: %s", formatSize(rssTarget), pass(r.rss <= rssTarget))
				}
			}
			best := scan.best.Seconds() / r.best.Seconds()
			fmt.Printf("%-9s %-30s %9s %10.1f %9.3f %9.3f %9s  %s\n", label, t.name, r.time.Round(time.Millisecond), rate(n, r.time)/1e6, vs, best, mem, verdict)
		}
		if !c.keep {
			if err := os.Remove(log); err != nil {
				return err
			}
		}
	}
	fmt.Println("\nvs scan: throughput divided by the bare scan's (bufio.Scanner + bytes.Contains \"ERROR\", in process),")
	fmt.Println("in each round (the runs of a round are seconds apart), median over the rounds; the target is judged on it.")
	fmt.Println("best vs: the bare scan's fastest time divided by the tool's fastest, the least disturbed of each")
	if c.corpus == "" {
		return nil
	}
	return compareEvtx(ctx, c, bin, dir)
}

// compareEvtx times "sfblog parse -f jsonl" and "evtxexport -f xml" on
// every .evtx file under c.corpus, and, as the floor of any Go program's
// time, a Go program that prints one line (built in dir).
func compareEvtx(ctx context.Context, c config, bin, dir string) error {
	exp, err := exec.LookPath("evtxexport")
	if err != nil {
		fmt.Println("\nevtxexport: not installed (make tools); .evtx comparison skipped")
		return nil
	}
	hello, err := buildHello(ctx, dir)
	if err != nil {
		return err
	}
	floor, err := measure(ctx, max(c.runs, 5), func() (sample, error) { return child(ctx, hello, nil, devNull) })
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	version, err := measure(ctx, max(c.runs, 5), func() (sample, error) { return child(ctx, bin, []string{"--version"}, devNull) })
	if err != nil {
		return fmt.Errorf("sfblog --version: %w", err)
	}
	fmt.Printf("\nstart-up: a Go program that prints one line %s, sfblog --version %s (median of %d)\n",
		floor.time.Round(10*time.Microsecond), version.time.Round(10*time.Microsecond), max(c.runs, 5))
	var files []string
	err = filepath.WalkDir(c.corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".evtx") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n%-62s %9s %11s %11s %8s\n", ".evtx file", "size", "sfblog", "evtxexport", "speed-up")
	var below, floorBound []string
	var ratios []float64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		name, _ := filepath.Rel(c.corpus, f)
		// A file either program cannot read is reported, not timed.
		if _, err := child(ctx, bin, []string{"parse", "-f", "jsonl", f}, devNull); err != nil {
			// An empty or unreadable file: sfblog says so and exits 2.
			fmt.Printf("%-62s %9s %11s %11s %8s (sfblog: %s)\n", name, formatSize(st.Size()), "-", "-", "-", firstLine(err))
			continue
		}
		if _, err := child(ctx, exp, []string{"-f", "xml", f}, devNull); err != nil {
			fmt.Printf("%-62s %9s %11s %11s %8s (evtxexport: %s)\n", name, formatSize(st.Size()), "-", "-", "-", firstLine(err))
			continue
		}
		res, err := rounds(ctx, c.runs, []probe{
			{"sfblog", func() (sample, error) { return child(ctx, bin, []string{"parse", "-f", "jsonl", f}, devNull) }},
			{"evtxexport", func() (sample, error) { return child(ctx, exp, []string{"-f", "xml", f}, devNull) }},
		})
		if err != nil {
			return err
		}
		s, e := res[0], res[1]
		speedup := ratio(e, s) // evtxexport's time divided by sfblog's
		ratios = append(ratios, speedup)
		note := ""
		if speedup < 2 {
			below = append(below, name)
			if e.time < 2*floor.time {
				// Twice as fast as evtxexport would mean starting faster
				// than a Go program that does nothing.
				floorBound = append(floorBound, name)
				note = "  (evtxexport < 2x Go start-up)"
			}
		}
		fmt.Printf("%-62s %9s %11s %11s %7.2fx%s\n", name, formatSize(st.Size()), s.time.Round(100*time.Microsecond), e.time.Round(100*time.Microsecond), speedup, note)
	}
	slices.Sort(ratios)
	if len(ratios) > 0 {
		fmt.Printf("speed-up: evtxexport's time divided by sfblog's; median %.2fx, lowest %.2fx; %d of %d files below 2x, %d of them where evtxexport takes less than twice the start-up of a Go program that prints one line\n",
			ratios[len(ratios)/2], ratios[0], len(below), len(ratios), len(floorBound))
	}
	return nil
}

// buildHello builds, in dir, a Go program that prints one line: the least
// time any Go program takes to run here.
func buildHello(ctx context.Context, dir string) (string, error) {
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.21\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(src, "hello")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = src
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build the hello program: %w", err)
	}
	return bin, nil
}

// firstLine is the last line of an error's first line of output, for a
// table cell.
func firstLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i > 10 {
		msg = msg[i+2:]
	}
	return msg
}

// sample is one measurement.
type sample struct {
	time time.Duration
	rss  int64 // peak resident set of a child process, bytes
}

// measure runs fn runs times and returns the median time and the largest RSS.
func measure(ctx context.Context, runs int, fn func() (sample, error)) (sample, error) {
	var times []time.Duration
	var rss int64
	for range runs {
		if err := ctx.Err(); err != nil {
			return sample{}, err
		}
		s, err := fn()
		if err != nil {
			return sample{}, err
		}
		times = append(times, s.time)
		rss = max(rss, s.rss)
	}
	slices.Sort(times)
	return sample{time: times[len(times)/2], rss: rss}, nil
}

// probe is one thing timed in each round.
type probe struct {
	name string
	run  func() (sample, error)
}

// result is what the rounds measured of one probe.
type result struct {
	time  time.Duration   // the median
	best  time.Duration   // the fastest
	rss   int64           // the largest
	times []time.Duration // round by round
}

// rounds runs each probe once per round, in turn, for runs rounds, and
// returns their results in the order of probes. On a shared machine whose
// speed drifts over a minute, runs seconds apart see the same machine:
// ratio compares them round by round.
func rounds(ctx context.Context, runs int, probes []probe) ([]result, error) {
	res := make([]result, len(probes))
	for range runs {
		for i, p := range probes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s, err := p.run()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.name, err)
			}
			res[i].times = append(res[i].times, s.time)
			res[i].rss = max(res[i].rss, s.rss)
		}
	}
	for i := range res {
		sorted := slices.Clone(res[i].times)
		slices.Sort(sorted)
		res[i].time, res[i].best = sorted[len(sorted)/2], sorted[0]
	}
	return res, nil
}

// ratio is the median over the rounds of a's time divided by b's: b's
// throughput as a fraction of a's.
func ratio(a, b result) float64 {
	rs := make([]float64, len(a.times))
	for i := range a.times {
		rs[i] = a.times[i].Seconds() / b.times[i].Seconds()
	}
	slices.Sort(rs)
	return rs[len(rs)/2]
}

// bareScan is the baseline: the plain Go loop over the lines of a file.
func bareScan(path string) (sample, error) {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return sample{}, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte("ERROR")) {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		return sample{}, err
	}
	if n == 0 {
		return sample{}, errors.New("no ERROR line in the generated log")
	}
	return sample{time: time.Since(start)}, nil
}

// Where a child's standard output goes.
const (
	devNull = iota
	pipe
)

// child runs a program with its output discarded and returns its wall time
// and peak RSS. sfblog exits 1 for findings only when asked to: any exit
// status but 0 is an error.
func child(ctx context.Context, bin string, args []string, out int) (sample, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	if out == devNull {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return sample{}, err
		}
		defer null.Close()
		cmd.Stdout = null
	} else {
		cmd.Stdout = io.Discard
	}
	stderr := &headWriter{max: 2048}
	cmd.Stderr = stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), strings.Join(args, " "), err, stderr.buf.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return sample{time: d, rss: rss}, nil
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf bytes.Buffer
	max int
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - h.buf.Len(); room > 0 {
		h.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func writeLog(path, cases string, size int64) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	n, err := generate(f, cases, size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("generate %s: %w", path, err)
	}
	return n, nil
}

func rate(n int64, d time.Duration) float64 { return float64(n) / d.Seconds() }

func pass(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// parseSizes reads "64MiB,1GiB".
func parseSizes(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		mult := int64(1)
		for _, u := range []struct {
			suffix string
			mult   int64
		}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
			if v, ok := strings.CutSuffix(f, u.suffix); ok {
				f, mult = v, u.mult
				break
			}
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-sizes: %q is not a size like 256MiB", f)
		}
		out = append(out, n*mult)
	}
	return out, nil
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%.0fMiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0fKiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%dB", n)
}
