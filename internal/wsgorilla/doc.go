// Package wsgorilla provides gqlgen's transport.WebsocketImplementation over
// gorilla/websocket.
//
// gqlgen v0.17.92 dropped its built-in gorilla transport and defaults to
// coder/websocket; this adapter keeps gorilla (its Upgrader, origin checks,
// buffer pools) behind the small interface gqlgen now asks for. Use it as
//
//	transport.Websocket{Implementation: wsgorilla.New(wsgorilla.WithAllowedOrigins(origins...))}
//
// Its connections write through a queue (coalescer): the frames a
// subscription produces while one write is on the wire go out together in
// the next, so a subscriber that falls behind catches up in a few system
// calls rather than one per frame.
package wsgorilla
