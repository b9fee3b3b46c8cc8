package main

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Progress display timing: nothing for a run shorter than progressDelay,
// then at most one redraw per progressTick.
const (
	progressDelay = time.Second
	progressTick  = 200 * time.Millisecond
)

// progress draws, on standard error, how many bytes of the inputs were
// read so far, until stop clears it. It is drawn by one goroutine.
type progress struct {
	stopc chan struct{}
	done  chan struct{}
}

// startProgress starts the progress display of a run over paths when
// standard error is a terminal and --quiet was not given; otherwise it
// returns nil, whose stop does nothing.
func startProgress(s *streams, paths []string) *progress {
	if s.quiet || !isTerminal(s.err) {
		return nil
	}
	read := osBytesRead()
	if read == nil {
		// Only standard input can be counted from here.
		read = s.in.bytesRead
	}
	return newProgress(s.err, func() int64 { return inputSize(paths) }, read, progressDelay)
}

// newProgress draws on w from delay on: read returns the bytes read so
// far, total the bytes to read or -1 when unknown.
func newProgress(w io.Writer, total, read func() int64, delay time.Duration) *progress {
	p := &progress{stopc: make(chan struct{}), done: make(chan struct{})}
	go p.draw(w, total, read, delay)
	return p
}

func (p *progress) draw(w io.Writer, total, read func() int64, delay time.Duration) {
	defer close(p.done)
	start := read()
	max := total()
	began := time.Now()
	// The line counts from the start, so that its rate is right when it
	// shows; the gate keeps it off the terminal until delay.
	gate := &gate{w: w}
	line := &progressLine{w: gate}
	show := time.NewTimer(delay)
	defer show.Stop()
	tick := time.NewTicker(progressTick)
	defer tick.Stop()
	for {
		n := read() - start
		if max > 0 && n >= max {
			// Re-read parts (a nested zip spilled to disk) can count
			// twice: the bar is full only when the run is over.
			n = max - 1
		}
		line.draw(formatProgress(n, max, time.Since(began), line.frame))
		select {
		case <-p.stopc:
			line.clear()
			return
		case <-show.C:
			gate.open = true
		case <-tick.C:
		}
	}
}

// progressLine draws one line on w, each over the one before, with
// carriage returns and spaces only (no escape sequences).
type progressLine struct {
	w     io.Writer
	width int // columns drawn by the last draw, 0 before
	frame int // draws so far: the spinner's frame
}

func (l *progressLine) draw(s string) {
	n := utf8.RuneCountInString(s) // one column a rune: ASCII, █ and braille
	pad := max(l.width-n, 0)       // over the rest of a longer line before
	io.WriteString(l.w, "\r"+s+strings.Repeat(" ", pad))
	l.width = n
	l.frame++
}

// clear blanks the line and puts the cursor back at its start, if a line
// was drawn.
func (l *progressLine) clear() {
	if l.width == 0 {
		return
	}
	io.WriteString(l.w, "\r"+strings.Repeat(" ", l.width)+"\r")
	l.width = 0
}

// progressSpinner is the spinner of a run whose size is unknown
// (progressbar's type 14).
const progressSpinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

// progressWidth is the number of cells of the bar.
const progressWidth = 20

// formatProgress is the progress line when read bytes of total (-1 or 0:
// unknown) were read in elapsed, at a spinner's frame; the format is that
// of progressbar, which drew it before:
//
//	reading  45% |█████████           | (94/210 MB, 40 MB/s) [2s:2s]
//	⠹ reading (52 MB, 26 MB/s) [2s]
//
// The rate is the mean since the start; the times are the elapsed one and
// the one left at that rate, left out when unknown or when the line would
// not fit in 79 columns.
func formatProgress(read, total int64, elapsed time.Duration, frame int) string {
	read, elapsed = max(read, 0), max(elapsed, 0)
	if total > 0 {
		read = min(read, total) // full, not more
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(read) / elapsed.Seconds()
	}
	cur, curUnit := humanizeBytes(float64(read))
	stats := "(" + cur + curUnit
	if total > 0 {
		tot, totUnit := humanizeBytes(float64(total))
		if curUnit == totUnit {
			stats = "(" + cur
		}
		stats += "/" + tot + totUnit
	}
	if rate > 0 {
		r, unit := humanizeBytes(rate)
		stats += ", " + r + unit + "/s"
	}
	stats += ")"
	since := elapsed.Truncate(time.Second).String()

	if total <= 0 {
		spin := []rune(progressSpinner)
		s := string(spin[frame%len(spin)]) + " reading " + stats
		return fitProgress(s, " ["+since+"] ")
	}
	frac := float64(read) / float64(total)
	cells := int(frac * progressWidth)
	s := fmt.Sprintf("reading%4d%% |%s%s| %s", int(frac*100),
		strings.Repeat("█", cells), strings.Repeat(" ", progressWidth-cells), stats)
	if read == total {
		return s
	}
	if rate > 0 {
		if left := float64(total-read) / rate; left < 100*3600 { // "99h59m59s" at most
			return fitProgress(s, " ["+since+":"+(time.Duration(left)*time.Second).String()+"]")
		}
	}
	return fitProgress(s, " ["+since+"]")
}

// fitProgress is s with times appended if the line stays within 79
// columns, so that it does not wrap on a terminal of 80.
func fitProgress(s, times string) string {
	if utf8.RuneCountInString(s)+utf8.RuneCountInString(times) < 80 {
		return s + times
	}
	return s
}

// humanizeBytes is n bytes in SI units as progressbar prints them (" 5 B",
// "5.2 kB", "52 MB", "524 MB"), except that what rounds to 1000 of a unit
// is written in the next one ("1.0 MB", not progressbar's "1000 kB"), and
// that 10 and more are rounded once, not to a tenth and then to a unit
// (999.49 is "999", not "1000").
func humanizeBytes(n float64) (string, string) {
	units := [...]string{" B", " kB", " MB", " GB", " TB", " PB", " EB"}
	if n < 10 {
		return fmt.Sprintf("%2.0f", n), units[0]
	}
	e := 0
	for n >= 999.5 && e < len(units)-1 { // not "1000" of a unit
		n /= 1000
		e++
	}
	if v := math.Floor(n*10+0.5) / 10; v < 10 {
		return fmt.Sprintf("%.1f", v), units[e]
	}
	return fmt.Sprintf("%.0f", math.Floor(n+0.5)), units[e]
}

// gate passes writes to w once open, and drops them before.
type gate struct {
	w    io.Writer
	open bool
}

func (g *gate) Write(b []byte) (int, error) {
	if !g.open {
		return len(b), nil
	}
	return g.w.Write(b)
}

// stop clears the display and returns when it is gone, so that the next
// message starts on a clean line.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.stopc)
	<-p.done
}

// inputSize is the size in bytes of the files under paths (as stored:
// a zip counts its compressed size), or -1 when one of them is standard
// input or cannot be measured.
func inputSize(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return -1
		}
		err := filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				total += fi.Size()
			}
			return nil
		})
		if err != nil {
			// A top path that is a symbolic link is followed by the walk
			// of the analysis: measure what it points to.
			fi, serr := os.Stat(p)
			if serr != nil || !fi.Mode().IsRegular() {
				return -1
			}
			total += fi.Size()
		}
	}
	if total == 0 {
		return -1
	}
	return total
}
