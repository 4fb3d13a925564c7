package apperr

import (
	"errors"
	"fmt"
)

// Kind is the class of a domain error.
type Kind int

// Kinds.
const (
	KindInvalid  Kind = iota + 1 // BAD_USER_INPUT
	KindConflict                 // CONFLICT
	KindNotFound                 // NOT_FOUND
)

// Error is a classified error whose message is safe to show.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Invalid reports input that cannot be accepted.
func Invalid(format string, args ...any) error {
	return &Error{Kind: KindInvalid, Msg: fmt.Sprintf(format, args...)}
}

// Conflict reports input that clashes with existing data.
func Conflict(format string, args ...any) error {
	return &Error{Kind: KindConflict, Msg: fmt.Sprintf(format, args...)}
}

// NotFound reports an id or key that names nothing the caller can see.
func NotFound(what string) error {
	return &Error{Kind: KindNotFound, Msg: what + " not found"}
}

// KindOf returns the kind of err, or 0 when it is not classified.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
