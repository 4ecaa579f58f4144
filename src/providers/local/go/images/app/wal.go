package main

// app wal: a write-ahead log on a volume that acknowledges sequence numbers, the stateful
// workload of kubedrill's RPO measurement (scenarios/wal-disk-full.yaml).
//
//	app wal [-dir /data] [-port 8080] [-record-bytes 0] [-unsafe] [-flush 1s]
//	    POST /append?seq=N[&writer=W]  appends the record "W N" to DIR/wal.log; 200 only once
//	                                   the record is on disk (written and fsynced); a full disk
//	                                   answers 507, any other failure 500 (not acknowledged)
//	    GET /log[?writer=W]            the sequence numbers of W's records in the log file, one
//	                                   a line, read from disk (after a restart: what survived)
//	    GET /healthz                   "ok"
//	-record-bytes pads each record to that size, as a write carrying its payload (4096: every
//	append takes a new block of the disk, so a full disk refuses the very next one; small
//	records would fill the file's last block first).
//	-unsafe acknowledges a record as soon as it is queued in memory and writes the queue every
//	-flush, as a writer that trades durability for latency: a full disk or a restart then
//	loses acknowledged records (what an RPO above 0 looks like).

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"time"
)

const walFile = "wal.log"

var writerName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

type wal struct {
	mu      sync.Mutex
	f       *os.File
	size    int64 // bytes of whole records in the file
	unsafe  bool
	pad     int      // records are padded to this many bytes (0: none)
	pending [][]byte // unsafe mode: acknowledged, not yet written
	path    string
}

// openWAL opens (or creates) DIR/wal.log; a torn last record (a crash mid-write) is cut off.
func openWAL(dir string, unsafe bool) (*wal, error) {
	p := filepath.Join(dir, walFile)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	size := int64(bytes.LastIndexByte(data, '\n') + 1)
	if size != int64(len(data)) {
		if err := f.Truncate(size); err != nil {
			_ = f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, err
	}
	return &wal{f: f, size: size, unsafe: unsafe, path: p}, nil
}

// write puts records at the end of the file and fsyncs; on failure the file is cut back to
// its last whole record, so that a partly written record is never read back.
func (l *wal) write(recs ...[]byte) error {
	buf := bytes.Join(recs, nil)
	n, err := l.f.Write(buf)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		if n > 0 {
			_ = l.f.Truncate(l.size)
			_, _ = l.f.Seek(l.size, io.SeekStart)
		}
		return err
	}
	l.size += int64(n)
	return nil
}

// appendRecord returns once the record is durable (safe mode) or queued (unsafe mode).
func (l *wal) appendRecord(writer string, seq uint64) error {
	rec := []byte(fmt.Sprintf("%s %d", writer, seq))
	if n := l.pad - len(rec) - 2; n > 0 {
		rec = append(append(rec, ' '), bytes.Repeat([]byte{'.'}, n)...)
	}
	rec = append(rec, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.unsafe {
		l.pending = append(l.pending, rec)
		return nil
	}
	return l.write(rec)
}

// flush writes the unsafe queue; what cannot be written is dropped, as such a writer does.
func (l *wal) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.pending) == 0 {
		return nil
	}
	recs := l.pending
	l.pending = nil
	if err := l.write(recs...); err != nil {
		return fmt.Errorf("dropped %d acknowledged record(s): %w", len(recs), err)
	}
	return nil
}

// seqs reads the file from disk: the sequence numbers of `writer`'s whole records.
func (l *wal) seqs(writer string) ([]uint64, error) {
	f, err := os.Open(l.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var w string
		var seq uint64
		if _, err := fmt.Sscanf(sc.Text(), "%s %d", &w, &seq); err == nil && w == writer {
			out = append(out, seq)
		}
	}
	return out, sc.Err()
}

func writerOf(r *http.Request) (string, bool) {
	w := r.URL.Query().Get("writer")
	if w == "" {
		return "-", true
	}
	return w, writerName.MatchString(w)
}

func newWALMux(l *wal) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("/append", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		seq, err := strconv.ParseUint(r.URL.Query().Get("seq"), 10, 64)
		writer, ok := writerOf(r)
		if err != nil || !ok {
			http.Error(w, "need seq=<unsigned integer> and an optional writer=[A-Za-z0-9_.-]{1,64}", http.StatusBadRequest)
			return
		}
		if err := l.appendRecord(writer, seq); err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, syscall.ENOSPC) {
				status = http.StatusInsufficientStorage
			}
			http.Error(w, fmt.Sprintf("seq %d not written: %v", seq, err), status)
			return
		}
		fmt.Fprintf(w, "%d\n", seq)
	})
	mux.HandleFunc("/log", func(w http.ResponseWriter, r *http.Request) {
		writer, ok := writerOf(r)
		if !ok {
			http.Error(w, "writer must match [A-Za-z0-9_.-]{1,64}", http.StatusBadRequest)
			return
		}
		seqs, err := l.seqs(writer)
		if err != nil {
			http.Error(w, fmt.Sprintf("reading the log: %v", err), http.StatusInternalServerError)
			return
		}
		var b bytes.Buffer
		for _, s := range seqs {
			b.WriteString(strconv.FormatUint(s, 10))
			b.WriteByte('\n')
		}
		_, _ = w.Write(b.Bytes())
	})
	return mux
}

func walMain(args []string) {
	fs := flag.NewFlagSet("wal", flag.ExitOnError)
	dir := fs.String("dir", "/data", "folder of the log file (a volume)")
	port := fs.String("port", "8080", "TCP port")
	unsafe := fs.Bool("unsafe", false, "acknowledge before writing (the queue is written every -flush)")
	every := fs.Duration("flush", time.Second, "with -unsafe: how often the queue is written")
	pad := fs.Int("record-bytes", 0, "pad each record to this many bytes (0: no padding)")
	_ = fs.Parse(args)
	if *every <= 0 || *pad < 0 || *pad > 1<<20 {
		fmt.Fprintln(os.Stderr, "app wal: -flush must be positive and -record-bytes between 0 and 1048576")
		os.Exit(2)
	}
	l, err := openWAL(*dir, *unsafe)
	if err != nil {
		fmt.Fprintf(os.Stderr, "app wal: %v\n", err)
		os.Exit(1)
	}
	l.pad = *pad
	mode := "acknowledging after fsync"
	if *unsafe {
		mode = fmt.Sprintf("UNSAFE: acknowledging before writing, written every %s", *every)
		go func() {
			for range time.Tick(*every) {
				if err := l.flush(); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
			}
		}()
	}
	fmt.Printf("write-ahead log %s (%d bytes), %s\n", l.path, l.size, mode)
	go stopOnSignal()
	ln, err := net.Listen("tcp", ":"+*port)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("serving HTTP on :%s\n", *port)
	fmt.Fprintln(os.Stderr, http.Serve(ln, newWALMux(l)))
	os.Exit(1)
}
