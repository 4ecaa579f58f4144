// Command coredns is CoreDNS with only the plugins cluster DNS needs. The published
// command links every plugin (cloud providers, etcd, ...); this wrapper links a small set
// and tells the DNS server type which directives exist, in CoreDNS's own execution order.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
)

// directives is the order requests pass through plugins: a subsequence of CoreDNS's
// core/dnsserver/zdirectives.go for v1.15.0.
var directives = []string{"ready", "health", "errors", "cache", "kubernetes", "loop", "forward"}

func main() {
	dnsserver.Directives = directives
	coremain.Run()
}
