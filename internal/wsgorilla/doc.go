// Package wsgorilla provides gqlgen's transport.WebsocketImplementation over
// gorilla/websocket.
//
// gqlgen v0.17.92 dropped its built-in gorilla transport and defaults to
// coder/websocket; this adapter keeps gorilla (its Upgrader, origin checks,
// buffer pools) behind the small interface gqlgen now asks for. Use it as
//
//	transport.Websocket{Implementation: wsgorilla.New(wsgorilla.WithAllowedOrigins(origins...))}
package wsgorilla
