package analyze

import (
	"sort"
	"strconv"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/signatures"
)

// zoneVotes estimates the client's offset from UTC. Client logs write local
// wall-clock times without a zone, while SIP Date headers are GMT: each
// received message with a Date votes for its offset rounded to a quarter
// hour (every zone is a whole number of quarter hours from UTC).
type zoneVotes map[time.Duration]int

func (z *zoneVotes) add(e *event.Event) {
	if e.Kind != event.KindSIP || !e.Local {
		return
	}
	v := e.Get("sip.date_offset")
	if v == "" {
		return
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return
	}
	// date_offset is Date minus the local time; the zone is local minus UTC.
	off := -time.Duration(secs) * time.Second
	q := 15 * time.Minute
	zone := (off + q/2).Truncate(q)
	if off < 0 {
		zone = -((-off + q/2).Truncate(q))
	}
	if zone > 14*time.Hour || zone < -12*time.Hour {
		return
	}
	if *z == nil {
		*z = zoneVotes{}
	}
	(*z)[zone]++
}

func (z *zoneVotes) merge(o zoneVotes) {
	for k, v := range o {
		if *z == nil {
			*z = zoneVotes{}
		}
		(*z)[k] += v
	}
}

// order returns the ordering to use: with the most-voted zone when any.
func (z zoneVotes) order() signatures.Order {
	if len(z) == 0 {
		return signatures.Order{}
	}
	zones := make([]time.Duration, 0, len(z))
	for k := range z {
		zones = append(zones, k)
	}
	sort.Slice(zones, func(i, j int) bool {
		if z[zones[i]] != z[zones[j]] {
			return z[zones[i]] > z[zones[j]]
		}
		return zones[i] < zones[j]
	})
	return signatures.Order{Zone: zones[0], HasZone: true}
}
