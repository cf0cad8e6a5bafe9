package wire

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/ddbsim/ddbsim/model/store"
)

// MaxBodyBytes is the largest request body the service takes: 16 MB, the
// limit of its largest requests (BatchWriteItem, TransactWriteItems). The
// server reads at most this many bytes (plus one, to tell a body over the
// limit) and DecodeRequest refuses more.
const MaxBodyBytes = 16 << 20

// AttributeValue is a store value as the request and response shapes
// carry it: its JSON is the protocol's ({"S":"x"}), decoded and checked
// by DecodeValue and encoded by AppendValue.
//
// The shapes hold these small wrappers rather than decoding a generic
// document and converting it afterwards: encoding/json then walks the
// request once, an AttributeValue is checked where it stands, and the
// server reads store values straight from the decoded request.
type AttributeValue struct{ store.Value }

// Item is a store item as the shapes carry it: a JSON map of names to
// AttributeValues (Item, Key, ExclusiveStartKey, LastEvaluatedKey, ...).
type Item struct{ store.Item }

// UnmarshalJSON decodes an AttributeValue (see DecodeValue). JSON null is
// refused as an empty AttributeValue; a pointer field set to null stays
// nil instead.
func (v *AttributeValue) UnmarshalJSON(raw []byte) error {
	val, err := decodeValue(raw, 0)
	if err != nil {
		return err
	}
	v.Value = val
	return nil
}

// MarshalJSON encodes the value (see AppendValue).
func (v AttributeValue) MarshalJSON() ([]byte, error) { return AppendValue(nil, v.Value), nil }

// UnmarshalJSON decodes an item (see DecodeItem). JSON null leaves the
// item empty.
func (it *Item) UnmarshalJSON(raw []byte) error {
	if jsonKind(raw) == 'n' {
		it.Item = store.Item{}
		return nil
	}
	item, err := decodeItem(raw)
	if err != nil {
		return err
	}
	it.Item = item
	return nil
}

// MarshalJSON encodes the item (see AppendItem).
func (it Item) MarshalJSON() ([]byte, error) { return AppendItem(nil, it.Item), nil }

// Wrap returns a pointer to an Item holding it, for the shapes' optional
// item members.
func Wrap(it store.Item) *Item { return &Item{Item: it} }

// DecodeRequest decodes a request body into v, a pointer to one of the
// *Input shapes. Members the shape does not know are ignored, as the
// service ignores them; a member of the wrong JSON type is a
// SerializationException, as is a body that is not JSON; an
// AttributeValue the service refuses is a ValidationException; a body
// over MaxBodyBytes is refused before it is read. The first error in the
// body's order is reported.
func DecodeRequest(body []byte, v any) *Error {
	if len(body) > MaxBodyBytes {
		return Errorf(RequestEntityTooLarge, "Request body of %d bytes exceeds the limit of %d bytes", len(body), MaxBodyBytes)
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var werr *Error
	if errors.As(err, &werr) {
		return werr
	}
	var terr *json.UnmarshalTypeError
	if errors.As(err, &terr) {
		return typeError(body, terr)
	}
	return serialization("Malformed JSON request body")
}

// typeError is the SerializationException for a JSON value of the wrong
// type in a member of a shape, worded as the service words it.
func typeError(body []byte, e *json.UnmarshalTypeError) *Error {
	t := e.Type
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	lit := literalOf(body, e)
	if t == nil {
		return serialization(msgValueType)
	}
	switch t.Kind() {
	case reflect.String:
		return scalarTypeError(lit, "String")
	case reflect.Bool:
		return scalarTypeError(lit, "Boolean")
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		if t.Bits() <= 32 || t.Kind() == reflect.Int {
			return scalarTypeError(lit, "Integer")
		}
		return scalarTypeError(lit, "Long")
	case reflect.Float32, reflect.Float64:
		return scalarTypeError(lit, "Double")
	case reflect.Slice:
		if e.Value == "object" {
			return serialization(msgStructure)
		}
		return serialization(msgFieldType)
	case reflect.Map, reflect.Struct:
		if e.Value == "array" {
			return serialization("Start of list found where not expected")
		}
		return serialization(msgFieldType)
	}
	return serialization(msgValueType)
}

// literalOf returns a stand-in for the JSON value a type error names, of
// the same kind (see jsonKind): a number's own literal (to tell a decimal),
// "true" or "false", or the opening byte of a string, array or object.
func literalOf(body []byte, e *json.UnmarshalTypeError) []byte {
	end := int(e.Offset)
	if end < 0 || end > len(body) {
		end = 0
	}
	switch {
	case e.Value == "string":
		return []byte{'"'}
	case e.Value == "array":
		return []byte{'['}
	case e.Value == "object":
		return []byte{'{'}
	case e.Value == "bool":
		if end >= 4 && string(body[end-4:end]) == "true" {
			return []byte("true")
		}
		return []byte("false")
	}
	start := end
	for start > 0 && strings.IndexByte("0123456789+-.eE", body[start-1]) >= 0 {
		start--
	}
	if start == end {
		return []byte{'0'}
	}
	return body[start:end]
}
