// etcd, as go.etcd.io/etcd/server/v3's main package builds it, at the version
// k8s.io/kubernetes requires.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
