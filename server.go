// Command wexio is the Wexio Webhooks server: inbound webhook endpoints,
// outbound deliveries and the GraphQL API, on one port over one database.
// Everything is wired in internal/app; this is only the process's entry.
package main

import (
	"os"

	"github.com/wexio/webhooks/internal/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}
