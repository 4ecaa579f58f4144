package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// getConcurrently sends n GETs at once and returns how long the slowest took.
func getConcurrently(t *testing.T, url string, n int) time.Duration {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Get(url)
			if err != nil {
				errs <- err
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				errs <- &statusError{res.StatusCode}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return time.Since(start)
}

type statusError struct{ code int }

func (e *statusError) Error() string { return http.StatusText(e.code) }

func server(t *testing.T, workers int, work time.Duration) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(newMux(serveConfig{style: "hello", health: []string{"/healthz"}, maxWorkers: workers, work: work, host: "h"}))
	t.Cleanup(s.Close)
	return s
}

const work = 200 * time.Millisecond

func TestOneWorkerServesConcurrentRequestsOneAfterTheOther(t *testing.T) {
	s := server(t, 1, work)
	for _, path := range []string{"/", "/work"} {
		if took := getConcurrently(t, s.URL+path, 2); took < 2*work {
			t.Errorf("%s: two requests with one worker took %s, want at least %s (one after the other)", path, took, 2*work)
		}
	}
}

func TestUnlimitedWorkersServeConcurrentRequestsTogether(t *testing.T) {
	s := server(t, 0, work)
	// at least `work` by construction; under 2*work only if they ran side by side (one
	// retry absorbs a scheduling hiccup on a busy machine)
	for attempt := 0; attempt < 2; attempt++ {
		if took := getConcurrently(t, s.URL+"/", 2); took < 2*work {
			return
		} else if attempt == 1 {
			t.Errorf("two requests with unlimited workers took %s, want under %s (side by side)", took, 2*work)
		}
	}
}

func TestHealthChecksTakeNoWorker(t *testing.T) {
	s := server(t, 1, 3*time.Second) // Close waits for the worker's 3s
	impatient := http.Client{Timeout: 200 * time.Millisecond}
	// the first request takes the only worker, which keeps working after the client gives up
	if _, err := impatient.Get(s.URL + "/"); err == nil {
		t.Fatal("a request with 3s of work answered within 200ms")
	}
	if _, err := impatient.Get(s.URL + "/work"); err == nil {
		t.Fatal("a second request found a worker although the only one is busy")
	}
	patient := http.Client{Timeout: 2 * time.Second} // less than the busy worker's work left: a health check queued behind it fails
	res, err := patient.Get(s.URL + "/healthz")
	if err != nil {
		t.Fatalf("health check while the only worker is busy: %v", err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("health check: status %d", res.StatusCode)
	}
}

func TestAWaitingRequestWhoseClientLeftIsNotServed(t *testing.T) {
	mux, pool := newServer(serveConfig{style: "hello", maxWorkers: 1, work: time.Second, host: "h"})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	impatient := http.Client{Timeout: 200 * time.Millisecond}
	_, _ = impatient.Get(s.URL + "/") // takes the worker for 1s
	_, _ = impatient.Get(s.URL + "/") // waits for it, then leaves
	getConcurrently(t, s.URL+"/", 1)  // the third gets the worker after the first
	if got := pool.served.Load(); got != 2 {
		t.Errorf("served %d requests by the time the third was answered, want 2 (the abandoned one never got a worker)", got)
	}
}

func TestDescribeNamesTheEffectiveSettings(t *testing.T) {
	got := serveConfig{style: "hello", health: []string{"/healthz"}, maxWorkers: 2, work: 100 * time.Millisecond}.describe()
	want := `style hello, 2 worker(s), more requests wait for one, each request holds its worker for 100ms, health paths "/healthz" take none`
	if got != want {
		t.Errorf("describe() = %q, want %q", got, want)
	}
}
