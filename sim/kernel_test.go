package sim

import (
	"slices"
	"sync/atomic"
	"testing"
	"testing/quick"
)

type recordFire struct {
	log *[]Time
	id  int
	ids *[]int
}

func (r recordFire) Fire(now Time) {
	*r.log = append(*r.log, now)
	*r.ids = append(*r.ids, r.id)
}

// The queue must pop events in exactly the order a stable sort by time
// gives: ties resolved by scheduling order, never by heap internals.
func TestQueueMatchesStableSort(t *testing.T) {
	check := func(times []uint8) bool {
		k := New(1)
		var log []Time
		var ids []int
		for i, tm := range times {
			k.At(Time(tm), recordFire{&log, i, &ids})
		}
		k.Run(Never)
		want := make([]int, len(times))
		for i := range want {
			want[i] = i
		}
		slices.SortStableFunc(want, func(a, b int) int { return int(times[a]) - int(times[b]) })
		return slices.Equal(ids, want) && slices.IsSorted(log)
	}
	if err := quick.Check(check, &quick.Config{MaxCount: 500}); err != nil {
		t.Fatal(err)
	}
}

func TestRunStopsAtUntilAndResumes(t *testing.T) {
	k := New(1)
	var log []Time
	var ids []int
	for _, at := range []Time{5, 10, 15, 20} {
		k.At(at, recordFire{&log, int(at), &ids})
	}
	k.Run(12)
	if !slices.Equal(log, []Time{5, 10}) || k.Now() != 10 || k.Pending() != 2 {
		t.Fatalf("after Run(12): fired %v, now %v, pending %d", log, k.Now(), k.Pending())
	}
	k.Run(Never)
	if !slices.Equal(log, []Time{5, 10, 15, 20}) || k.Fired() != 4 {
		t.Fatalf("after Run(Never): fired %v (%d)", log, k.Fired())
	}
}

func TestEventsScheduledDuringRunAtSameTimeRunAfter(t *testing.T) {
	k := New(1)
	var order []string
	k.At(1, HandlerFunc(func(now Time) {
		order = append(order, "a")
		k.After(0, HandlerFunc(func(Time) { order = append(order, "c") }))
	}))
	k.At(1, HandlerFunc(func(Time) { order = append(order, "b") }))
	k.Run(Never)
	if got := string(order[0] + order[1] + order[2]); got != "abc" {
		t.Fatalf("order %q, want abc", got)
	}
}

func TestEvery(t *testing.T) {
	tests := []struct {
		start, period, until Time
		want                 []Time
	}{
		{0, 10, 30, []Time{0, 10, 20, 30}},
		{5, 10, 30, []Time{5, 15, 25}},
		{40, 10, 30, nil},
	}
	for _, tt := range tests {
		k := New(1)
		var got []Time
		k.Every(tt.start, tt.period, tt.until, HandlerFunc(func(now Time) { got = append(got, now) }))
		k.Run(Never)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Every(%v, %v, %v) fired at %v, want %v", tt.start, tt.period, tt.until, got, tt.want)
		}
	}
}

func TestTickerStop(t *testing.T) {
	k := New(1)
	n := 0
	var tk *Ticker
	tk = k.Every(0, 1, 100, HandlerFunc(func(Time) {
		n++
		if n == 3 {
			tk.Stop()
		}
	}))
	k.Run(Never)
	if n != 3 {
		t.Fatalf("ticker fired %d times after Stop at 3", n)
	}
}

func TestSchedulingIntoThePastPanics(t *testing.T) {
	k := New(1)
	k.At(10, HandlerFunc(func(Time) {}))
	k.Run(Never)
	defer func() {
		if recover() == nil {
			t.Fatal("At(5) after now=10 did not panic")
		}
	}()
	k.At(5, HandlerFunc(func(Time) {}))
}

func TestStreamsAreNamedAndSeeded(t *testing.T) {
	draw := func(seed uint64, name string) [4]uint64 {
		r := New(seed).Stream(name)
		return [4]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
	}
	first, again := draw(1, "arrivals"), draw(1, "arrivals")
	if first != again {
		t.Error("same seed and name gave different draws")
	}
	if draw(1, "arrivals") == draw(1, "keys") {
		t.Error("different names gave the same draws")
	}
	if draw(1, "arrivals") == draw(2, "arrivals") {
		t.Error("different seeds gave the same draws")
	}
}

func TestScheduleDoesNotAllocate(t *testing.T) {
	k := New(1)
	h := HandlerFunc(func(Time) {})
	for i := range 1024 {
		k.At(Time(i), h)
	}
	k.Run(Never)
	allocs := testing.AllocsPerRun(1000, func() {
		k.After(1, h)
		k.Run(Never)
	})
	if allocs != 0 {
		t.Fatalf("schedule+fire allocated %.1f times", allocs)
	}
}

func TestTimeConversions(t *testing.T) {
	if got := FromSeconds(1.5); got != 1500*Millisecond {
		t.Errorf("FromSeconds(1.5) = %v", got)
	}
	if got := (90 * Second).String(); got != "1m30s" {
		t.Errorf("String = %q", got)
	}
	if got := (2500 * Microsecond).Milliseconds(); got != 2.5 {
		t.Errorf("Milliseconds = %v", got)
	}
}

// tick reschedules itself every millisecond and raises flag at its
// raiseAt-th firing, as a signal handler would from outside.
type tick struct {
	k       *Kernel
	n       int
	raiseAt int
	flag    *atomic.Bool
}

func (t *tick) Fire(now Time) {
	t.n++
	if t.n == t.raiseAt {
		t.flag.Store(true)
	}
	t.k.After(Millisecond, t)
}

// An interrupt stops Run within interruptPoll events of being raised, at
// an event boundary, and every later Run returns at once; without one,
// the same run goes on to its end.
func TestKernelInterrupt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		raiseAt int // 0: never
		want    int // firings, at most
	}{
		{"raised early", 10, interruptPoll},
		{"raised later", 3 * interruptPoll, 4 * interruptPoll},
		{"never raised", 0, 100_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := New(1)
			var flag atomic.Bool
			k.InterruptOn(&flag)
			tk := &tick{k: k, raiseAt: tc.raiseAt, flag: &flag}
			k.At(0, tk)
			k.Run(100*Second - Millisecond)
			if tc.raiseAt == 0 {
				if tk.n != tc.want || k.Interrupted() {
					t.Fatalf("%d firings, interrupted %v; want %d, false", tk.n, k.Interrupted(), tc.want)
				}
				return
			}
			if !k.Interrupted() || tk.n < tc.raiseAt || tk.n > tc.want {
				t.Fatalf("%d firings, interrupted %v; want between %d and %d, true", tk.n, k.Interrupted(), tc.raiseAt, tc.want)
			}
			if k.Now() != Time(tk.n-1)*Millisecond {
				t.Errorf("now %v after %d firings", k.Now(), tk.n)
			}
			before := tk.n
			k.Run(Never)
			if tk.n != before {
				t.Errorf("a Run after the interrupt fired %d more events", tk.n-before)
			}
		})
	}
}

// AdvanceTo moves the clock with no event, never backwards, and events
// scheduled after it start from the new time.
func TestAdvanceTo(t *testing.T) {
	k := New(1)
	var fired []Time
	rec := HandlerFunc(func(now Time) { fired = append(fired, now) })
	k.At(5*Second, rec)
	k.Run(3 * Second)
	k.AdvanceTo(3 * Second)
	if k.Now() != 3*Second {
		t.Fatalf("now = %v, want 3s", k.Now())
	}
	k.AdvanceTo(Second)
	if k.Now() != 3*Second {
		t.Fatalf("AdvanceTo went back to %v", k.Now())
	}
	k.After(Second, rec)
	k.Run(Never)
	if len(fired) != 2 || fired[0] != 4*Second || fired[1] != 5*Second {
		t.Fatalf("fired at %v, want [4s 5s]", fired)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("AdvanceTo past a pending event did not panic")
		}
	}()
	k.At(6*Second, rec)
	k.AdvanceTo(7 * Second)
}
