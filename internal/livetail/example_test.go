package livetail_test

import (
	"context"
	"fmt"

	"github.com/wexio/webhooks/internal/livetail"
)

// logRow stands in for a history row as the server publishes it: what a
// subscriber filters on is which webhook wrote it and in which direction.
type logRow struct {
	Webhook   string
	Direction string
	Outcome   string
}

// A dashboard follows one webhook. The writer publishes each batch of rows
// right after committing it; every subscriber receives, in publishing
// order, the rows its filter accepts. Ending the subscriber's context ends
// the subscription: its channel closes after the rows already delivered.
func Example() {
	broker := livetail.NewBroker[logRow]()

	ctx, unsubscribe := context.WithCancel(context.Background())
	orders := broker.Subscribe(ctx, func(r logRow) bool { return r.Webhook == "orders" })

	// The writer, after its commit.
	broker.Publish(
		logRow{"orders", "INBOUND", "ACCEPTED"},
		logRow{"refunds", "INBOUND", "ACCEPTED"}, // not for this subscriber
		logRow{"orders", "INBOUND", "REJECTED"},
	)

	unsubscribe()
	for r := range orders.C() {
		fmt.Println(r.Webhook, r.Outcome)
	}
	fmt.Println("dropped:", orders.Dropped())
	// Output:
	// orders ACCEPTED
	// orders REJECTED
	// dropped: false
}

// Several subscribers share one broker; each filter runs on the publisher's
// goroutine, so it is a cheap test of the row, and a nil filter takes every
// row.
func ExampleBroker_Subscribe() {
	broker := livetail.NewBroker[logRow]()
	ctx := context.Background()
	outbound := broker.Subscribe(ctx, func(r logRow) bool { return r.Direction == "OUTBOUND" })
	everything := broker.Subscribe(ctx, nil)

	broker.Publish(
		logRow{"orders", "INBOUND", "ACCEPTED"},
		logRow{"crm", "OUTBOUND", "SUCCEEDED"},
	)

	fmt.Println("subscribers:", broker.Len())
	fmt.Println("outbound received", (<-outbound.C()).Webhook)
	first, second := <-everything.C(), <-everything.C()
	fmt.Println("everything received", first.Webhook, "then", second.Webhook)
	// Output:
	// subscribers: 2
	// outbound received crm
	// everything received orders then crm
}

// A subscriber that cannot keep up costs only itself. Publish never waits:
// when a row finds the subscriber's buffer full, the subscriber is dropped.
// It still reads the rows its buffer held, then finds its channel closed
// and Dropped true (the server then tells the client SLOW_SUBSCRIBER; the
// gap can be read back from history). A subscriber that keeps up is not
// affected.
func ExampleSubscription_Dropped() {
	broker := livetail.NewBroker[int](livetail.WithBuffer(2))
	ctx := context.Background()
	slow := broker.Subscribe(ctx, nil) // reads nothing while rows arrive
	fast := broker.Subscribe(ctx, nil)

	for row := 1; row <= 4; row++ {
		broker.Publish(row) // returns at once, whatever slow does
		fmt.Println("fast received", <-fast.C())
	}

	for row := range slow.C() {
		fmt.Println("slow received", row)
	}
	fmt.Println("slow dropped:", slow.Dropped(), "fast dropped:", fast.Dropped())
	fmt.Println("subscribers:", broker.Len(), "drops:", broker.Drops())
	// Output:
	// fast received 1
	// fast received 2
	// fast received 3
	// fast received 4
	// slow received 1
	// slow received 2
	// slow dropped: true fast dropped: false
	// subscribers: 1 drops: 1
}

// SubscribeFunc's onDrop tells a subscriber why its stream ended without a
// goroutine watching it: it runs on the publisher's goroutine (so it must
// not block) just before the channel closes.
func ExampleBroker_SubscribeFunc() {
	broker := livetail.NewBroker[string](livetail.WithBuffer(1))
	sub := broker.SubscribeFunc(context.Background(), nil, func() {
		fmt.Println("told: SLOW_SUBSCRIBER")
	})

	broker.Publish("log_1", "log_2") // log_2 does not fit

	for id := range sub.C() {
		fmt.Println("received", id)
	}
	// Output:
	// told: SLOW_SUBSCRIBER
	// received log_1
}

// Wants lets a publisher skip preparing rows (loading them, rendering
// them) that no subscriber would receive.
func ExampleBroker_Wants() {
	broker := livetail.NewBroker[logRow]()
	broker.Subscribe(context.Background(), func(r logRow) bool { return r.Webhook == "orders" })

	for _, r := range []logRow{{Webhook: "orders"}, {Webhook: "refunds"}} {
		fmt.Println(r.Webhook, "wanted:", broker.Wants(r))
	}
	// Output:
	// orders wanted: true
	// refunds wanted: false
}
