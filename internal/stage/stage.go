// Package stage runs an event sink on a goroutine of its own, beside the
// parser that feeds it: a client log is parsed on one core while its
// events are analysed on another, an event log's records are decoded on
// one while the error texts of their data are looked for on another.
// Events reach the sink in the order they were sent, in batches, so that
// what the sink does is the same whatever the scheduling.
package stage

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sfblog/sfblog/event"
)

// Stage is a sink's goroutine and the queue that feeds it. The producer's
// goroutine calls Send (and Skip); once it is done it calls Close, which
// waits for the sink to have seen everything.
type Stage struct {
	sink event.Sink
	// skipped is called, on the stage's goroutine, with each item sent
	// with Skip (a SIP block the parser did not build), in order with the
	// events.
	skipped func(event.Event)
	cur     []item
	curText int // the bytes of text in cur
	full    chan []item
	free    chan []item
	done    chan struct{}
	failed  atomic.Bool // the sink returned an error or panicked
	err     error       // why; read only after done is closed
}

// item is an event for the sink, or one for skipped.
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

// ErrStopped is what Send returns once the sink has failed: the producer
// stops, and Close returns the sink's own error.
var ErrStopped = errors.New("sink stopped")

// New starts the goroutine of sink. skipped, which may be nil when Skip is
// not called, receives the items sent with Skip.
func New(sink event.Sink, skipped func(event.Event)) *Stage {
	s := &Stage{
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

// Send queues ev for the sink; it is an event.Sink.
func (s *Stage) Send(ev event.Event) error {
	return s.add(item{ev: ev})
}

// Skip queues ev for skipped.
func (s *Stage) Skip(ev event.Event) {
	_ = s.add(item{ev: ev, skipped: true})
}

func (s *Stage) add(it item) error {
	if s.failed.Load() {
		return ErrStopped
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

// Close hands over what is queued, waits for the sink to have seen it, and
// returns the sink's error, if any. A panic of the sink is returned as an
// error.
func (s *Stage) Close() error {
	if len(s.cur) > 0 {
		s.full <- s.cur
	}
	s.cur = nil
	close(s.full)
	<-s.done
	return s.err
}

func (s *Stage) run() {
	defer close(s.done)
	defer func() {
		if p := recover(); p != nil {
			s.err = fmt.Errorf("internal error while reading: %v", p)
			s.failed.Store(true)
			for range s.full { // let the producer finish sending
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
