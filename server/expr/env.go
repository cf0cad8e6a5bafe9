package expr

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// Error is a request the service would refuse with a ValidationException;
// Message is the service's text.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Limits on untrusted expressions (developer guide, "Expression
// parameters" quotas).
const (
	// MaxExpressionLength is the longest expression string: 4 KB.
	MaxExpressionLength = 4096
	// MaxOperators is the most operators and functions one expression may
	// hold (the service's limit is 300).
	MaxOperators = 300
	// MaxInOperands is the most operands of the IN comparator.
	MaxInOperands = 100
	// maxParenDepth bounds nested parentheses and NOT so that hostile
	// input cannot recurse without bound.
	maxParenDepth = 64
	// maxPathDepth is the deepest document path: an item nests at most
	// 32 levels.
	maxPathDepth = store.MaxNesting
)

// Kind names the request parameter an expression came from; error
// messages start with "Invalid <Kind>: ".
type Kind string

// The expression parameters of the API.
const (
	ConditionExpression    Kind = "ConditionExpression"
	FilterExpression       Kind = "FilterExpression"
	UpdateExpression       Kind = "UpdateExpression"
	ProjectionExpression   Kind = "ProjectionExpression"
	KeyConditionExpression Kind = "KeyConditionExpression"
)

// Env holds one request's ExpressionAttributeNames and
// ExpressionAttributeValues. Its Parse methods parse that request's
// expressions and record which names and values they use; Unused then
// reports the ones no expression used, as the service checks them
// together across all the expressions of a request.
type Env struct {
	names      map[string]string
	values     map[string]store.Value
	usedNames  map[string]bool
	usedValues map[string]bool
	parsed     bool
}

// NewEnv checks the maps as the service does (not empty when given, keys
// starting with # and :) and returns an Env over them. Nil maps mean the
// parameter was absent.
func NewEnv(names map[string]string, values map[string]store.Value) (*Env, error) {
	if names != nil && len(names) == 0 {
		return nil, errorf("ExpressionAttributeNames must not be empty")
	}
	if values != nil && len(values) == 0 {
		return nil, errorf("ExpressionAttributeValues must not be empty")
	}
	for _, k := range slices.Sorted(maps.Keys(names)) {
		if !validPlaceholder(k, '#') {
			return nil, errorf("ExpressionAttributeNames contains invalid key: Syntax error; key: %q", k)
		}
		if names[k] == "" {
			return nil, errorf("ExpressionAttributeNames contains invalid value: Empty attribute name; key: %q", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(values)) {
		if !validPlaceholder(k, ':') {
			return nil, errorf("ExpressionAttributeValues contains invalid key: Syntax error; key: %q", k)
		}
		if values[k].IsZero() {
			return nil, errorf("ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key %s", k)
		}
	}
	return &Env{names: names, values: values, usedNames: map[string]bool{}, usedValues: map[string]bool{}}, nil
}

func validPlaceholder(k string, prefix byte) bool {
	if len(k) < 2 || k[0] != prefix {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isWordByte(k[i]) {
			return false
		}
	}
	return true
}

// Unused reports names and values that no expression parsed through e
// used, with the service's message; nil when all were used. Call it after
// parsing every expression of the request.
func (e *Env) Unused() error {
	if !e.parsed {
		if e.names != nil {
			return errorf("ExpressionAttributeNames can only be specified when using expressions")
		}
		if e.values != nil {
			return errorf("ExpressionAttributeValues can only be specified when using expressions")
		}
		return nil
	}
	var unused []string
	for _, k := range slices.Sorted(maps.Keys(e.names)) {
		if !e.usedNames[k] {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		return errorf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(unused, ", "))
	}
	for _, k := range slices.Sorted(maps.Keys(e.values)) {
		if !e.usedValues[k] {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		return errorf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(unused, ", "))
	}
	return nil
}

// ParseCondition parses one ConditionExpression and checks that every
// name and value was used: the convenience for a request whose only
// expression it is.
func ParseCondition(expr string, names map[string]string, values map[string]store.Value) (*Condition, error) {
	e, err := NewEnv(names, values)
	if err != nil {
		return nil, err
	}
	c, err := e.Condition(ConditionExpression, expr)
	if err != nil {
		return nil, err
	}
	return c, e.Unused()
}

// ParseUpdate parses one UpdateExpression and checks that every name and
// value was used.
func ParseUpdate(expr string, names map[string]string, values map[string]store.Value) (*Update, error) {
	e, err := NewEnv(names, values)
	if err != nil {
		return nil, err
	}
	u, err := e.Update(expr)
	if err != nil {
		return nil, err
	}
	return u, e.Unused()
}

// ParseProjection parses one ProjectionExpression and checks that every
// name was used.
func ParseProjection(expr string, names map[string]string) (*Projection, error) {
	e, err := NewEnv(names, nil)
	if err != nil {
		return nil, err
	}
	p, err := e.Projection(expr)
	if err != nil {
		return nil, err
	}
	return p, e.Unused()
}

// ParseKeyCondition parses one KeyConditionExpression against the key
// schema and checks that every name and value was used.
func ParseKeyCondition(expr string, names map[string]string, values map[string]store.Value, schema store.KeySchema) (store.Value, store.SortCondition, error) {
	e, err := NewEnv(names, values)
	if err != nil {
		return store.Value{}, store.SortCondition{}, err
	}
	pk, sc, err := e.KeyCondition(expr, schema)
	if err != nil {
		return store.Value{}, store.SortCondition{}, err
	}
	return pk, sc, e.Unused()
}
