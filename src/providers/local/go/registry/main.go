// Command registry is the image registry of a local cluster with real nodes: distribution's
// registry with only the filesystem storage driver and htpasswd auth linked in.
//
//	registry serve CONFIG.yml          distribution's own command line
//	registry htpasswd USER < PASSWORD  prints an htpasswd line (bcrypt, the only hash distribution reads)
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	"golang.org/x/crypto/bcrypt"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "htpasswd" {
		os.Exit(htpasswd(os.Args[2]))
	}
	if err := registry.RootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}

func htpasswd(user string) int {
	password, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && password == "" {
		fmt.Fprintln(os.Stderr, "registry htpasswd: the password is read from stdin")
		return 2
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(strings.TrimRight(password, "\r\n")), bcrypt.DefaultCost)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s:%s\n", user, hash)
	return 0
}
