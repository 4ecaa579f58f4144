package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// upstreamConfig makes `serve` a caller: /work asks the upstream's /work and answers with
// what it got. Each try has its own time-out and runs on a fresh connection (no
// keep-alive), so a retry never rides the connection that was slow: behind a proxy that
// delays some connections and not others, a new connection is a new draw.
type upstreamConfig struct {
	url     string        // base URL, e.g. http://api-proxy:8080
	timeout time.Duration // per try; 0: none
	retries int           // tries after the first
}

func (u upstreamConfig) describe() string {
	limit := "no time-out"
	if u.timeout > 0 {
		limit = fmt.Sprintf("%s a try", u.timeout)
	}
	return fmt.Sprintf("/work calls %s/work (%s, %d retr%s on a new connection)",
		strings.TrimRight(u.url, "/"), limit, u.retries, map[bool]string{true: "y", false: "ies"}[u.retries == 1])
}

// upstreamClient: no connection is reused, so every try dials anew.
func upstreamClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
}

// callUpstream answers a /work request with the upstream's answer: its status and body,
// after a `hostname: HOST` line naming this pod (the pod a client reached, as podinfo's
// JSON names it), from the first try that answers within the time-out. A try that times out or fails to
// connect is retried; an answer (any status) is passed on as it is. When every try fails,
// the answer is 504 for a time-out and 502 otherwise, naming the tries.
func callUpstream(c *http.Client, u upstreamConfig, host string, w http.ResponseWriter, r *http.Request) {
	target := strings.TrimRight(u.url, "/") + "/work"
	var last error
	for try := 0; try <= u.retries; try++ {
		if r.Context().Err() != nil {
			return // the client is gone: nobody to answer
		}
		status, body, err := tryUpstream(r.Context(), c, target, u.timeout)
		if err == nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprintf(w, "hostname: %s\n", host)
			_, _ = w.Write(body)
			return
		}
		last = err
	}
	code := http.StatusBadGateway
	if errors.Is(last, context.DeadlineExceeded) {
		code = http.StatusGatewayTimeout
	}
	http.Error(w, fmt.Sprintf("upstream %s: %d tr%s failed, the last: %v", target, u.retries+1,
		map[bool]string{true: "y", false: "ies"}[u.retries == 0], last), code)
}

func tryUpstream(parent context.Context, c *http.Client, url string, timeout time.Duration) (int, []byte, error) {
	ctx := parent
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, body, nil
}

// upstreamFlags adds -upstream, -upstream-timeout and -upstream-retries to serve's flags;
// the function it returns reads them once parsed (a negative value is a usage error).
func upstreamFlags(fs *flag.FlagSet) func() upstreamConfig {
	url := fs.String("upstream", "", "/work calls this base URL's /work and answers with its answer (default: /work answers itself)")
	timeout := fs.Duration("upstream-timeout", 0, "time-out of one try at the upstream (0: none)")
	retries := fs.Int("upstream-retries", 0, "tries after the first when one times out or fails to connect, each on a new connection")
	return func() upstreamConfig {
		if *timeout < 0 || *retries < 0 {
			fmt.Fprintln(os.Stderr, "app serve: -upstream-timeout and -upstream-retries must not be negative")
			os.Exit(2)
		}
		return upstreamConfig{url: *url, timeout: *timeout, retries: *retries}
	}
}

func upstreamHandler(u upstreamConfig, host string) http.HandlerFunc {
	c := upstreamClient()
	return func(w http.ResponseWriter, r *http.Request) { callUpstream(c, u, host, w, r) }
}
