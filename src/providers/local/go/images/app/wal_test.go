package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestWALAcknowledgesDurableRecordsAndReadsThemBackAfterARestart(t *testing.T) {
	dir := t.TempDir()
	l, err := openWAL(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newWALMux(l))
	for _, q := range []string{"seq=1&writer=a", "seq=2&writer=a", "seq=7&writer=b"} {
		if code, body := post(t, srv.URL+"/append?"+q); code != 200 {
			t.Fatalf("append %s: %d %s", q, code, body)
		}
	}
	srv.Close()
	_ = l.f.Close()
	// a restart: a new process reads what is on disk
	l2, err := openWAL(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(newWALMux(l2))
	defer srv2.Close()
	if code, body := get(t, srv2.URL+"/log?writer=a"); code != 200 || body != "1\n2\n" {
		t.Fatalf("log of a: %d %q", code, body)
	}
	if _, body := get(t, srv2.URL+"/log?writer=b"); body != "7\n" {
		t.Fatalf("log of b: %q", body)
	}
}

func TestWALPadsRecordsAndStillReadsTheirSequenceNumbers(t *testing.T) {
	dir := t.TempDir()
	l, err := openWAL(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	l.pad = 4096
	for seq := uint64(1); seq <= 3; seq++ {
		if err := l.appendRecord("a", seq); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := os.Stat(filepath.Join(dir, walFile)); st.Size() != 3*4096 {
		t.Fatalf("log is %d bytes, want 3 records of 4096", st.Size())
	}
	if seqs, _ := l.seqs("a"); fmt.Sprint(seqs) != "[1 2 3]" {
		t.Fatalf("seqs %v, want [1 2 3]", seqs)
	}
}

func TestWALRefusesBadInput(t *testing.T) {
	l, err := openWAL(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newWALMux(l))
	defer srv.Close()
	for _, q := range []string{"seq=x", "seq=-1", "", "seq=1&writer=a%20b"} {
		if code, _ := post(t, srv.URL+"/append?"+q); code != http.StatusBadRequest {
			t.Errorf("append %q: %d, want 400", q, code)
		}
	}
	if code, _ := get(t, srv.URL+"/append?seq=1"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /append: %d, want 405", code)
	}
}

func TestWALCutsATornLastRecordOnOpen(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, walFile), []byte("a 1\na 2\na 3"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := openWAL(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.appendRecord("a", 4); err != nil {
		t.Fatal(err)
	}
	seqs, _ := l.seqs("a")
	if got := fmt.Sprint(seqs); got != "[1 2 4]" {
		t.Fatalf("seqs %s, want [1 2 4]", got)
	}
}

// fullDisk is a log whose writes fail with ENOSPC (/dev/full), read back from path.
func fullDisk(t *testing.T, unsafe bool) *wal {
	t.Helper()
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	t.Cleanup(func() { _ = f.Close() })
	path := filepath.Join(t.TempDir(), walFile)
	if err := os.WriteFile(path, []byte("a 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &wal{f: f, size: 4, unsafe: unsafe, path: path}
}

func TestWALOnAFullDiskAnswers507AndAcknowledgesNothing(t *testing.T) {
	srv := httptest.NewServer(newWALMux(fullDisk(t, false)))
	defer srv.Close()
	code, body := post(t, srv.URL+"/append?seq=2&writer=a")
	if code != http.StatusInsufficientStorage || !strings.Contains(body, "no space left") {
		t.Fatalf("append on a full disk: %d %q, want 507 naming the full disk", code, body)
	}
	if _, log := get(t, srv.URL+"/log?writer=a"); log != "1\n" {
		t.Fatalf("log %q, want only the record written before", log)
	}
}

func TestUnsafeWALAcknowledgesRecordsAFullDiskThenLoses(t *testing.T) {
	l := fullDisk(t, true)
	srv := httptest.NewServer(newWALMux(l))
	defer srv.Close()
	if code, _ := post(t, srv.URL+"/append?seq=2&writer=a"); code != 200 {
		t.Fatalf("unsafe append: %d, want 200 (acknowledged before writing)", code)
	}
	if err := l.flush(); err == nil || !strings.Contains(err.Error(), "dropped 1 acknowledged record") {
		t.Fatalf("flush: %v, want the dropped record named", err)
	}
	if _, log := get(t, srv.URL+"/log?writer=a"); log != "1\n" {
		t.Fatalf("log %q: the acknowledged seq 2 must be missing", log)
	}
}
