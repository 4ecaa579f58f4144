package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// slowUpstream answers /work, holding the first `slow` requests for `delay`; it counts
// requests and new connections.
type slowUpstream struct {
	*httptest.Server
	requests, conns atomic.Int64
}

func newSlowUpstream(t *testing.T, slow int64, delay time.Duration, status int) *slowUpstream {
	t.Helper()
	u := &slowUpstream{}
	u.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := u.requests.Add(1); n <= slow {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "hello from api\n")
	}))
	u.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			u.conns.Add(1)
		}
	}
	u.Start()
	t.Cleanup(u.Close)
	return u
}

func caller(t *testing.T, u upstreamConfig) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(newMux(serveConfig{style: "hello", health: []string{"/healthz"}, host: "front", upstream: u}))
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, url string) (int, string, time.Duration) {
	t.Helper()
	start := time.Now()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), time.Since(start)
}

func TestWorkPassesOnTheUpstreamsAnswer(t *testing.T) {
	up := newSlowUpstream(t, 0, 0, http.StatusOK)
	s := caller(t, upstreamConfig{url: up.URL})
	code, body, _ := get(t, s.URL+"/work")
	if code != http.StatusOK || body != "hostname: front\nhello from api\n" {
		t.Fatalf("got %d %q, want 200, this pod's name and the upstream's body", code, body)
	}
	// / and the health path still answer themselves
	if code, body, _ := get(t, s.URL+"/"); code != http.StatusOK || !strings.Contains(body, "hello from front") {
		t.Fatalf("/: got %d %q", code, body)
	}
	if up.requests.Load() != 1 {
		t.Fatalf("upstream saw %d requests, want 1 (only /work calls it)", up.requests.Load())
	}
}

func TestASlowTryIsRetriedOnANewConnection(t *testing.T) {
	const delay = 2 * time.Second
	up := newSlowUpstream(t, 1, delay, http.StatusOK)
	s := caller(t, upstreamConfig{url: up.URL, timeout: 100 * time.Millisecond, retries: 2})
	code, body, took := get(t, s.URL+"/work")
	if code != http.StatusOK || body != "hostname: front\nhello from api\n" {
		t.Fatalf("got %d %q, want the second try's 200", code, body)
	}
	if took >= delay {
		t.Fatalf("took %s: the caller waited out the slow try (%s) instead of its 100ms time-out", took, delay)
	}
	if r, c := up.requests.Load(), up.conns.Load(); r != 2 || c != 2 {
		t.Fatalf("upstream saw %d requests on %d connections, want 2 on 2 (the retry dials anew)", r, c)
	}
}

func TestEveryTryTimingOutAnswers504AfterTheLastTry(t *testing.T) {
	up := newSlowUpstream(t, 100, 2*time.Second, http.StatusOK)
	s := caller(t, upstreamConfig{url: up.URL, timeout: 100 * time.Millisecond, retries: 2})
	code, body, took := get(t, s.URL+"/work")
	if code != http.StatusGatewayTimeout || !strings.Contains(body, "3 tries failed") {
		t.Fatalf("got %d %q, want 504 naming 3 tries", code, body)
	}
	if took < 300*time.Millisecond {
		t.Fatalf("took %s, want at least three 100ms tries", took)
	}
	if c := up.conns.Load(); c != 3 {
		t.Fatalf("upstream saw %d connections, want 3", c)
	}
}

func TestAnAnswerIsNotRetriedWhateverItsStatus(t *testing.T) {
	up := newSlowUpstream(t, 0, 0, http.StatusInternalServerError)
	s := caller(t, upstreamConfig{url: up.URL, timeout: time.Second, retries: 3})
	if code, _, _ := get(t, s.URL+"/work"); code != http.StatusInternalServerError {
		t.Fatalf("got %d, want the upstream's 500 passed on", code)
	}
	if r := up.requests.Load(); r != 1 {
		t.Fatalf("upstream saw %d requests, want 1 (an answer is not retried)", r)
	}
}

func TestNoUpstreamListeningAnswers502(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	s := caller(t, upstreamConfig{url: "http://" + addr, timeout: time.Second, retries: 1})
	if code, body, _ := get(t, s.URL+"/work"); code != http.StatusBadGateway || !strings.Contains(body, "2 tries failed") {
		t.Fatalf("got %d %q, want 502 naming 2 tries", code, body)
	}
}
