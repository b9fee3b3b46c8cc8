package analyze

import (
	"context"
	"runtime"
	"sync"
)

// BatchResult is the analysis of one bundle of a batch.
type BatchResult struct {
	Path   string
	Report *Report // nil when the bundle could not be analysed at all
	Err    error   // ErrNoInput (with a Report), a cancelled context, ...
}

// Batch analyses each path on its own (a bundle per ticket, a case of a CI
// corpus), jobs at a time (0: GOMAXPROCS), and calls fn with each result in
// the order of paths, whatever the order in which they finish, so that a
// JSON Lines stream written by fn is the same on every run. An error from
// fn stops the batch and is returned.
func (a *Analyzer) Batch(ctx context.Context, paths []string, jobs int, fn func(BatchResult) error) error {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Each bundle is parsed by one goroutine: the bundles themselves are
	// the unit of parallelism.
	one := *a
	one.opt.Jobs = 1
	done := make([]chan BatchResult, len(paths))
	for i := range done {
		done[i] = make(chan BatchResult, 1)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i, p := range paths {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				for _, c := range done[i:] {
					c <- BatchResult{Err: ctx.Err()}
				}
				return
			}
			wg.Add(1)
			go func(i int, p string) {
				defer wg.Done()
				defer func() { <-sem }()
				r, err := one.Run(ctx, []string{p})
				done[i] <- BatchResult{Path: p, Report: r, Err: err}
			}(i, p)
		}
	}()
	var err error
	for i := range paths {
		res := <-done[i]
		res.Path = paths[i]
		if err == nil {
			if err = fn(res); err != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	return err
}
