// Command etcd is the etcd server, built from the published server module.
// The etcd root module carries relative replace directives, so it cannot be
// installed with `go install`; this wrapper calls the same entry point.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
