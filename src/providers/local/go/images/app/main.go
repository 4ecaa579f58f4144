// Command app is kubedrill's stand-in workload: an HTTP server, a TCP client, a sleeper,
// or a process that exits with a chosen status.
//
//	app serve [-port 8080]            HTTP: / answers "hello from HOSTNAME", /healthz answers "ok"
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
	port := fs.Int("port", 8080, "TCP port")
	_ = fs.Parse(args)
	host, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from %s\n", host)
	})
	fmt.Printf("serving HTTP on :%d\n", *port)
	go stopOnSignal()
	if err := http.ListenAndServe(fmt.Sprintf(":%d", *port), mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
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
