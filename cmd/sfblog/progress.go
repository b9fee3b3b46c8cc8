package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
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
	// The bar counts from the start, so that its rate is right when it
	// shows; the gate keeps it off the terminal until delay.
	gate := &gate{w: w}
	bar := progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(gate),
		progressbar.OptionSetDescription("reading"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowTotalBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionThrottle(progressTick),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionSetSpinnerChangeInterval(0), // redrawn here, not by a goroutine of its own
		progressbar.OptionClearOnFinish(),
	)
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
		bar.Set64(n)
		select {
		case <-p.stopc:
			bar.Finish() // clears the line (OptionClearOnFinish)
			return
		case <-show.C:
			gate.open = true
		case <-tick.C:
		}
	}
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
