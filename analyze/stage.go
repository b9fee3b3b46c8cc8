package analyze

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sfblog/sfblog/event"
)

// stage runs an input's sink on a goroutine of its own, so that a client
// log is parsed on one core while its events are analysed on another (the
// parser itself reads and prefilters lines on a third goroutine). Events
// reach the sink in the order they were sent, in batches: the analysis is
// the same whatever the scheduling.
//
// The parser's goroutine calls send (and skip); once the parse is over it
// calls close, which waits for the sink to have seen everything.
type stage struct {
	sink event.Sink
	// skipped is called, on the stage's goroutine, with each SIP block the
	// parser did not build (see input.keepSIP), in order with the events.
	skipped func(event.Event)
	cur     []item
	curText int // the bytes of text in cur
	full    chan []item
	free    chan []item
	done    chan struct{}
	failed  atomic.Bool // the sink returned an error or panicked
	err     error       // why; read only after done is closed
}

// item is an event to analyse, or a SIP block that was skipped.
type item struct {
	ev      event.Event
	skipped bool
}

const (
	// stageBatch is how many events go over at a time, at most.
	stageBatch = 256
	// stageText is how much event text a batch holds before it goes over
	// (a SIP block's event holds up to 1 MiB): with stageBatches in
	// flight, the queue holds a few MiB at most whatever the input.
	stageText = 1 << 20
	// stageBatches is how many batches are in flight at once.
	stageBatches = 4
	// firstStageBatch is the room of the first batch, which grows as it
	// fills: most inputs of a bundle are small, and a batch of
	// stageBatch events is 35 KB.
	firstStageBatch = 16
)

// errStageFailed is what send returns once the sink has failed: the
// parse stops, and close returns the sink's own error.
var errStageFailed = errors.New("analysis stopped")

func newStage(sink event.Sink, skipped func(event.Event)) *stage {
	s := &stage{
		sink:    sink,
		skipped: skipped,
		full:    make(chan []item, stageBatches),
		free:    make(chan []item, stageBatches+1),
		done:    make(chan struct{}),
	}
	s.cur = make([]item, 0, firstStageBatch)
	go s.run()
	return s
}

// send queues ev for the sink; it is an event.Sink.
func (s *stage) send(ev event.Event) error {
	return s.add(item{ev: ev})
}

// skip queues a skipped SIP block, described by ev.
func (s *stage) skip(ev event.Event) {
	_ = s.add(item{ev: ev, skipped: true})
}

func (s *stage) add(it item) error {
	if s.failed.Load() {
		return errStageFailed
	}
	s.cur = append(s.cur, it)
	s.curText += len(it.ev.Text)
	if len(s.cur) == stageBatch || s.curText >= stageText {
		s.full <- s.cur
		s.curText = 0
		select {
		case s.cur = <-s.free:
		default:
			s.cur = make([]item, 0, stageBatch)
		}
	}
	return nil
}

// close hands over what is queued, waits for the sink to have seen it, and
// returns the sink's error, if any.
func (s *stage) close() error {
	if len(s.cur) > 0 {
		s.full <- s.cur
	}
	s.cur = nil
	close(s.full)
	<-s.done
	return s.err
}

func (s *stage) run() {
	defer close(s.done)
	defer func() {
		if p := recover(); p != nil {
			s.err = fmt.Errorf("internal error while reading: %v", p)
			s.failed.Store(true)
			for range s.full { // let the parser finish sending
			}
		}
	}()
	for b := range s.full {
		for i := range b {
			if s.err != nil {
				break
			}
			if b[i].skipped {
				s.skipped(b[i].ev)
			} else if err := s.sink(b[i].ev); err != nil {
				s.err = err
				s.failed.Store(true)
			}
		}
		clear(b)
		select {
		case s.free <- b[:0]:
		default:
		}
	}
}
