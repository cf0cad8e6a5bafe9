package server

import "fmt"

// APIError is an error the API answers with: its __type (the exception's
// name), its message and HTTP status.
type APIError struct {
	Type    string
	Message string
	Status  int
}

func (e *APIError) Error() string { return e.Type + ": " + e.Message }

// Exception names, as the service's __type gives them after its
// "com.amazonaws.dynamodb.v20120810#" prefix.
const (
	errValidation       = "ValidationException"
	errResourceNotFound = "ResourceNotFoundException"
	errResourceInUse    = "ResourceInUseException"
	errLimitExceeded    = "LimitExceededException"
	errUnknownOperation = "UnknownOperationException"
	errSerialization    = "SerializationException"
	errInternal         = "InternalServerError"
)

// typePrefix is the namespace the service puts before an exception's name.
const typePrefix = "com.amazonaws.dynamodb.v20120810#"

func validationf(format string, args ...any) *APIError {
	return &APIError{Type: errValidation, Message: fmt.Sprintf(format, args...), Status: 400}
}

// invalidf is a ValidationException in the service's "One or more
// parameter values were invalid" form.
func invalidf(format string, args ...any) *APIError {
	return validationf("One or more parameter values were invalid: "+format, args...)
}

func tableNotFound(name string) *APIError {
	return &APIError{Type: errResourceNotFound, Status: 400,
		Message: fmt.Sprintf("Requested resource not found: Table: %s not found", name)}
}

func inUsef(format string, args ...any) *APIError {
	return &APIError{Type: errResourceInUse, Status: 400, Message: fmt.Sprintf(format, args...)}
}

func limitf(format string, args ...any) *APIError {
	return &APIError{Type: errLimitExceeded, Status: 400, Message: fmt.Sprintf(format, args...)}
}
