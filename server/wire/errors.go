package wire

import (
	"fmt"
	"net/http"
	"unicode/utf8"
)

// The error types the server returns, by the short name SDKs match on
// (the part of __type after '#').
const (
	ValidationException                      = "ValidationException"
	SerializationException                   = "SerializationException"
	UnknownOperationException                = "UnknownOperationException"
	MissingAuthenticationTokenException      = "MissingAuthenticationTokenException"
	AccessDeniedException                    = "AccessDeniedException"
	ResourceNotFoundException                = "ResourceNotFoundException"
	ResourceInUseException                   = "ResourceInUseException"
	LimitExceededException                   = "LimitExceededException"
	ConditionalCheckFailedException          = "ConditionalCheckFailedException"
	ProvisionedThroughputExceededException   = "ProvisionedThroughputExceededException"
	ThrottlingException                      = "ThrottlingException"
	RequestLimitExceeded                     = "RequestLimitExceeded"
	ItemCollectionSizeLimitExceededException = "ItemCollectionSizeLimitExceededException"
	TransactionCanceledException             = "TransactionCanceledException"
	TransactionConflictException             = "TransactionConflictException"
	TransactionInProgressException           = "TransactionInProgressException"
	IdempotentParameterMismatchException     = "IdempotentParameterMismatchException"
	ExpiredIteratorException                 = "ExpiredIteratorException"
	TrimmedDataAccessException               = "TrimmedDataAccessException"
	InternalServerError                      = "InternalServerError"
	// RequestEntityTooLarge is no service error type: a body over
	// MaxBodyBytes gets HTTP 413, as from the service's front end.
	RequestEntityTooLarge = "RequestEntityTooLarge"
)

// Namespaces of __type. The service reports its own errors under the
// API's namespace, and the errors of the request-handling framework
// (validation, serialization, unknown operation, authentication) under
// the framework's, as its responses show; SDKs match only the part after
// '#', so both spellings reach the same exception type.
const (
	dynamoNamespace     = "com.amazonaws.dynamodb.v20120810#"
	validateNamespace   = "com.amazon.coral.validate#"
	frameworkNamespace  = "com.amazon.coral.service#"
	maxErrorMessageSize = 4096 // an echoed value must not make an error body large
)

// Error is an error response: its type, its message and the members some
// errors carry.
type Error struct {
	Type    string // short name, one of the constants above
	Message string
	// ThrottlingReasons say which limit a throttled request met
	// (ProvisionedThroughputExceededException, ThrottlingException,
	// RequestLimitExceeded).
	ThrottlingReasons []ThrottlingReason
	// CancellationReasons hold one entry per item of a cancelled
	// transaction (TransactionCanceledException), in request order.
	CancellationReasons []CancellationReason
	// Item is the item a failed condition was checked against, returned by
	// ConditionalCheckFailedException when the request set
	// ReturnValuesOnConditionCheckFailure to ALL_OLD and the item exists.
	Item *Item
}

// ThrottlingReason is one limit a throttled request met. Reason reads
// ResourceType+OperationType+LimitType ("TableWriteProvisionedThroughputExceeded",
// "IndexReadKeyRangeThroughputExceeded", "TableWriteAccountLimitExceeded",
// "TableReadMaxOnDemandThroughputExceeded"); Resource is the table's or
// index's ARN. The member names are lower case in the API.
type ThrottlingReason struct {
	Reason   string `json:"reason,omitempty"`
	Resource string `json:"resource,omitempty"`
}

// CancellationReason is why one item of a transaction failed: Code is
// "None" for the items that did not cause the cancellation,
// "ConditionalCheckFailed", "ItemCollectionSizeLimitExceeded",
// "TransactionConflict", "ProvisionedThroughputExceeded",
// "ThrottlingError" or "ValidationError". Item is the item a failed
// condition saw, when ReturnValuesOnConditionCheckFailure asked for it.
type CancellationReason struct {
	Item    *Item  `json:"Item,omitempty"`
	Code    string `json:"Code,omitempty"`
	Message string `json:"Message,omitempty"`
}

// Errorf returns an Error of the type with a formatted message.
func Errorf(typ, format string, args ...any) *Error {
	return &Error{Type: typ, Message: fmt.Sprintf(format, args...)}
}

// Validation returns a ValidationException with the message.
func Validation(msg string) *Error { return &Error{Type: ValidationException, Message: msg} }

// serialization returns a SerializationException with the message.
func serialization(msg string) *Error { return &Error{Type: SerializationException, Message: msg} }

// Error returns "Type: Message".
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Status is the HTTP status of the error's response: 500 for
// InternalServerError, 413 for a body over the limit, 400 for every
// other error (throttling included: the service answers throttles with
// 400 and the SDKs retry on the type, not the status).
func (e *Error) Status() int {
	switch e.Type {
	case InternalServerError:
		return http.StatusInternalServerError
	case RequestEntityTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// FullType is the error's __type: the short name in its namespace.
func (e *Error) FullType() string {
	switch e.Type {
	case ValidationException:
		return validateNamespace + e.Type
	case SerializationException, UnknownOperationException, MissingAuthenticationTokenException, AccessDeniedException:
		return frameworkNamespace + e.Type
	}
	return dynamoNamespace + e.Type
}

// AppendError appends the error's JSON body to dst: __type, message (the
// member name the service uses; SDKs read either case) and the error's
// extra members.
func AppendError(dst []byte, e *Error) []byte {
	dst = append(dst, `{"__type":`...)
	dst = appendString(dst, e.FullType())
	msg := e.Message
	if len(msg) > maxErrorMessageSize {
		n := maxErrorMessageSize
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n]
	}
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, msg)
	if len(e.ThrottlingReasons) > 0 {
		// ThrottlingException spells the member in lower camel case, the
		// other throttling errors in upper (the API's models differ).
		if e.Type == ThrottlingException {
			dst = append(dst, `,"throttlingReasons":[`...)
		} else {
			dst = append(dst, `,"ThrottlingReasons":[`...)
		}
		for i, r := range e.ThrottlingReasons {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"reason":`...)
			dst = appendString(dst, r.Reason)
			dst = append(dst, `,"resource":`...)
			dst = appendString(dst, r.Resource)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if e.CancellationReasons != nil {
		dst = append(dst, `,"CancellationReasons":[`...)
		for i, r := range e.CancellationReasons {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '{')
			sep := false
			if r.Item != nil {
				dst = append(dst, `"Item":`...)
				dst = AppendItem(dst, r.Item.Item)
				sep = true
			}
			if r.Code != "" {
				if sep {
					dst = append(dst, ',')
				}
				dst = append(dst, `"Code":`...)
				dst = appendString(dst, r.Code)
				sep = true
			}
			if r.Message != "" {
				if sep {
					dst = append(dst, ',')
				}
				dst = append(dst, `"Message":`...)
				dst = appendString(dst, r.Message)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if e.Item != nil {
		dst = append(dst, `,"Item":`...)
		dst = AppendItem(dst, e.Item.Item)
	}
	return append(dst, '}')
}

// valueList formats set elements as the service echoes them in messages:
// [a, b, c], cut short when long.
func valueList(elems []string) string {
	b := []byte{'['}
	for i, e := range elems {
		if i > 0 {
			b = append(b, ", "...)
		}
		if len(b) > 512 {
			b = append(b, "..."...)
			break
		}
		b = append(b, e...)
	}
	return string(append(b, ']'))
}
