package parsers

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sfblog/sfblog/event"
)

// pipe hands events to a sink on a goroutine of its own, in the order they
// come, so that the sink's work runs beside its producer's: an event log's
// records are decoded on one goroutine, and the error texts and codes of
// their data are looked for on another (in a PowerShell log's script
// blocks, as much work as the decoding).
//
// Events go over in batches of pipeBatch, at most pipeBatches of them
// waiting, which bounds the memory. Once the sink fails or panics, send
// returns errPipeStopped and close the sink's error: the producer stops
// at its next event.
type pipe struct {
	sink   event.Sink
	batch  []event.Event
	full   chan []event.Event
	free   chan []event.Event
	done   chan struct{}
	failed atomic.Bool
	err    error // the sink's error or panic; read after done is closed
}

const (
	pipeBatch   = 32
	pipeBatches = 4
)

// errPipeStopped is what send returns once the sink has failed.
var errPipeStopped = errors.New("sink stopped")

func startPipe(sink event.Sink) *pipe {
	p := &pipe{
		sink:  sink,
		batch: make([]event.Event, 0, pipeBatch),
		full:  make(chan []event.Event, pipeBatches),
		free:  make(chan []event.Event, pipeBatches+1),
		done:  make(chan struct{}),
	}
	go p.run()
	return p
}

// send queues e for the sink; it is an event.Sink.
func (p *pipe) send(e event.Event) error {
	if p.failed.Load() {
		return errPipeStopped
	}
	p.batch = append(p.batch, e)
	if len(p.batch) == pipeBatch {
		p.full <- p.batch
		select {
		case p.batch = <-p.free:
		default:
			p.batch = make([]event.Event, 0, pipeBatch)
		}
	}
	return nil
}

// close hands over what is queued, waits for the sink and returns its
// error, if any.
func (p *pipe) close() error {
	if len(p.batch) > 0 {
		p.full <- p.batch
	}
	close(p.full)
	<-p.done
	return p.err
}

func (p *pipe) run() {
	defer close(p.done)
	defer func() {
		if v := recover(); v != nil {
			p.err = fmt.Errorf("internal error while reading: %v", v)
			p.failed.Store(true)
			for range p.full { // let send and close go on to their end
			}
		}
	}()
	for b := range p.full {
		for i := range b {
			if p.failed.Load() {
				break
			}
			if err := p.sink(b[i]); err != nil {
				p.err = err
				p.failed.Store(true)
			}
		}
		clear(b) // the events' strings may go
		select {
		case p.free <- b[:0]:
		default:
		}
	}
}
