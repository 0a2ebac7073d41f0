// Redpanda Connect with only the components bench/peers uses (HTTP server and client, Kafka, Bloblang), so the
// peer is built from the Go module proxy without compiling the hundreds of connectors it does not need.
package main

import (
	"context"

	"github.com/redpanda-data/benthos/v4/public/service"

	_ "github.com/redpanda-data/connect/v4/public/components/io"
	_ "github.com/redpanda-data/connect/v4/public/components/kafka"
	_ "github.com/redpanda-data/connect/v4/public/components/pure"
)

func main() {
	service.RunCLI(context.Background())
}
