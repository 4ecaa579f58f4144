// Command app is kubedrill's stand-in workload: an HTTP server, a TCP client, a sleeper,
// or a process that exits with a chosen status.
//
//	app serve [-port 8080[,8081]] [-style hello|nginx|podinfo] [-health /healthz[,/readyz]]
//	          [-max-workers N] [-work DURATION]
//	                                  HTTP: / answers "hello from HOSTNAME" (or like nginx, or podinfo's JSON),
//	                                  /work answers like / (200 in every style), the health paths answer "ok";
//	                                  every request but a health check holds one of N worker slots for
//	                                  DURATION, and waits for a free one when all N are busy (0: unlimited);
//	                                  defaults from $APP_PORTS, $APP_STYLE, $APP_HEALTH, $APP_MAX_WORKERS
//	                                  (0) and $APP_WORK (0s)
//	          [-upstream URL [-upstream-timeout D] [-upstream-retries N]]
//	                                  /work calls URL/work instead (upstream.go): a time-out a try, retries
//	                                  on a new connection
//	app connect -addr HOST:PORT [-timeout 3s] [-http]
//	                                  connects (optionally sends GET /) and prints what it got; exit 1 on failure
//	app wal [-dir /data] [-port 8080] [-unsafe]   a write-ahead log acknowledging sequence numbers (wal.go)
//	app sleep [-for 1h]
//	app exit [-code 1]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: app serve|connect|wal|sleep|exit [flags]")
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	switch cmd {
	case "serve":
		serve(args)
	case "connect":
		os.Exit(connect(args))
	case "wal":
		walMain(args) // wal.go
	case "sleep":
		fs := flag.NewFlagSet("sleep", flag.ExitOnError)
		d := fs.Duration("for", time.Hour, "how long")
		_ = fs.Parse(args)
		sleep(*d)
	case "exit":
		fs := flag.NewFlagSet("exit", flag.ExitOnError)
		code := fs.Int("code", 1, "exit status")
		_ = fs.Parse(args)
		fmt.Printf("exiting with status %d\n", *code)
		os.Exit(*code)
	default:
		fmt.Fprintf(os.Stderr, "app: unknown command %q\n", cmd)
		os.Exit(2)
	}
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	ports := fs.String("port", envOr("APP_PORTS", "8080"), "TCP ports, comma-separated (default from $APP_PORTS)")
	style := fs.String("style", envOr("APP_STYLE", "hello"), "what / answers: hello, nginx or podinfo (default from $APP_STYLE)")
	health := fs.String("health", envOr("APP_HEALTH", "/healthz"), "paths that answer ok, comma-separated (default from $APP_HEALTH)")
	workers := fs.Int("max-workers", envInt("APP_MAX_WORKERS", 0), "requests served at once; more wait for a free worker; 0: unlimited (default from $APP_MAX_WORKERS)")
	work := fs.Duration("work", envDuration("APP_WORK", 0), "how long each request holds its worker (default from $APP_WORK)")
	upstream := upstreamFlags(fs)
	_ = fs.Parse(args)
	if *workers < 0 || *work < 0 {
		fmt.Fprintln(os.Stderr, "app serve: -max-workers and -work must not be negative")
		os.Exit(2)
	}
	host, _ := os.Hostname()
	cfg := serveConfig{style: *style, health: strings.Split(*health, ","), maxWorkers: *workers, work: *work, host: host, upstream: upstream()}
	fmt.Println(cfg.describe())
	mux := newMux(cfg)
	go stopOnSignal()
	failed := make(chan error)
	for _, p := range strings.Split(*ports, ",") {
		l, err := net.Listen("tcp", ":"+p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("serving HTTP on :%s\n", p)
		go func() { failed <- http.Serve(l, mux) }()
	}
	fmt.Fprintln(os.Stderr, <-failed)
	os.Exit(1)
}

type serveConfig struct {
	style      string
	health     []string
	maxWorkers int // 0: unlimited
	work       time.Duration
	host       string
	upstream   upstreamConfig // url "": /work answers itself
}

func (c serveConfig) describe() string {
	pool := "unlimited workers"
	if c.maxWorkers > 0 {
		pool = fmt.Sprintf("%d worker(s), more requests wait for one", c.maxWorkers)
	}
	d := fmt.Sprintf("style %s, %s, each request holds its worker for %s, health paths %q take none",
		c.style, pool, c.work, strings.Join(c.health, ","))
	if c.upstream.url != "" {
		d += "; " + c.upstream.describe()
	}
	return d
}

// newMux serves the health paths directly and everything else through the worker pool.
// Health checks take no worker slot, as a real server's liveness/readiness endpoint
// usually runs beside its worker pool: readiness then stays independent of the pool, so
// a saturated pool shows as slow answers and client time-outs, not as an unready pod.
func newMux(c serveConfig) *http.ServeMux {
	mux, _ := newServer(c)
	return mux
}

func newServer(c serveConfig) (*http.ServeMux, *pool) {
	mux := http.NewServeMux()
	for _, p := range c.health {
		if p != "" {
			mux.HandleFunc(p, func(w http.ResponseWriter, _ *http.Request) { answerHealth(w, c.style) })
		}
	}
	pool := newPool(c.maxWorkers, c.work)
	work := func(w http.ResponseWriter, r *http.Request) { answerRoot(w, r, workStyle(c.style), c.host) }
	if c.upstream.url != "" {
		work = upstreamHandler(c.upstream, c.host)
	}
	mux.Handle("/work", pool.wrap(work))
	mux.Handle("/", pool.wrap(func(w http.ResponseWriter, r *http.Request) { answerRoot(w, r, c.style, c.host) }))
	return mux, pool
}

// workStyle: /work answers 200 in every style (nginx's own answers 404 off its root).
func workStyle(style string) string {
	if style == "nginx" {
		return "hello"
	}
	return style
}

// pool is a worker pool of a fixed size: a request takes a slot for `work`, and waits for
// one while all are busy (in the order Go's channel scheduling gives, roughly first come).
// A request whose client gives up while it waits leaves the queue, as it does behind a
// proxy that closes the upstream connection; one that holds a slot finishes its work.
type pool struct {
	slots  chan struct{} // nil: unlimited
	work   time.Duration
	served atomic.Int64 // requests that got a worker
}

func newPool(size int, work time.Duration) *pool {
	p := &pool{work: work}
	if size > 0 {
		p.slots = make(chan struct{}, size)
	}
	return p
}

func (p *pool) wrap(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.slots != nil {
			select {
			case p.slots <- struct{}{}:
				defer func() { <-p.slots }()
			case <-r.Context().Done():
				return // the client is gone: nobody to answer
			}
		}
		p.served.Add(1)
		if p.work > 0 {
			time.Sleep(p.work)
		}
		h(w, r)
	})
}

// answerRoot imitates what the image it stands in for answers on /.
func answerRoot(w http.ResponseWriter, r *http.Request, style, host string) {
	switch style {
	case "nginx":
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>\n")
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n")
	case "podinfo":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, "{\n  \"hostname\": %q,\n  \"version\": \"6.7.1\",\n  \"message\": \"greetings from podinfo v6.7.1\"\n}\n", host)
	default:
		fmt.Fprintf(w, "hello from %s\n", host)
	}
}

func answerHealth(w http.ResponseWriter, style string) {
	if style == "podinfo" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, "{\n  \"status\": \"OK\"\n}\n")
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

// envInt reads a whole number from the environment; a malformed one is an error, not a silent default.
func envInt(name string, fallback int) int {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return fallback
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "app serve: $%s must be a whole number (got %q)\n", name, v)
		os.Exit(2)
	}
	return n
}

// envDuration reads a Go duration (100ms, 2s) from the environment.
func envDuration(name string, fallback time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return fallback
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "app serve: $%s must be a duration such as 100ms (got %q)\n", name, v)
		os.Exit(2)
	}
	return d
}

func connect(args []string) int {
	fs := flag.NewFlagSet("connect", flag.ExitOnError)
	addr := fs.String("addr", "", "HOST:PORT")
	timeout := fs.Duration("timeout", 3*time.Second, "connect and read timeout")
	httpGet := fs.Bool("http", false, "send GET / and print the first line of the answer")
	_ = fs.Parse(args)
	c, err := net.DialTimeout("tcp", *addr, *timeout)
	if err != nil {
		fmt.Printf("connect %s: %v\n", *addr, err)
		return 1
	}
	defer c.Close()
	fmt.Printf("connected %s -> %s\n", c.LocalAddr(), c.RemoteAddr())
	if !*httpGet {
		return 0
	}
	_ = c.SetDeadline(time.Now().Add(*timeout))
	fmt.Fprintf(c, "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", *addr)
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		fmt.Print(line)
		if err != nil {
			break
		}
	}
	return 0
}

func sleep(d time.Duration) {
	go stopOnSignal()
	time.Sleep(d)
}

func stopOnSignal() {
	s := make(chan os.Signal, 1)
	signal.Notify(s, syscall.SIGINT, syscall.SIGTERM)
	<-s
	os.Exit(0)
}
