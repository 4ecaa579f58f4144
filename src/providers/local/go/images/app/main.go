// Command app is kubedrill's stand-in workload: an HTTP server, a TCP client, a sleeper,
// or a process that exits with a chosen status.
//
//	app serve [-port 8080[,8081]] [-style hello|nginx|podinfo] [-health /healthz[,/readyz]]
//	                                  HTTP: / answers "hello from HOSTNAME" (or like nginx, or podinfo's JSON),
//	                                  the health paths answer "ok"; defaults from $APP_PORTS, $APP_STYLE, $APP_HEALTH
//	app connect -addr HOST:PORT [-timeout 3s] [-http]
//	                                  connects (optionally sends GET /) and prints what it got; exit 1 on failure
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
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: app serve|connect|sleep|exit [flags]")
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	switch cmd {
	case "serve":
		serve(args)
	case "connect":
		os.Exit(connect(args))
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
	_ = fs.Parse(args)
	host, _ := os.Hostname()
	mux := http.NewServeMux()
	for _, p := range strings.Split(*health, ",") {
		if p != "" {
			mux.HandleFunc(p, func(w http.ResponseWriter, _ *http.Request) { answerHealth(w, *style) })
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { answerRoot(w, r, *style, host) })
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
