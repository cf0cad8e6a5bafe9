package wire

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ddbsim/ddbsim/model/store"
)

// The service's messages for AttributeValues it refuses.
const (
	msgEmptyValue     = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	msgManyTypes      = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	msgNullFalse      = "One or more parameter values were invalid: Null attribute value types must have the value of true"
	msgEmptySS        = "One or more parameter values were invalid: An string set  may not be empty"
	msgEmptyNS        = "One or more parameter values were invalid: An number set  may not be empty"
	msgEmptyBS        = "One or more parameter values were invalid: Binary sets should not be empty"
	msgNSDuplicates   = "Input collection contains duplicates"
	msgNotNumeric     = "The parameter cannot be converted to a numeric value"
	msgNumberOverflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgNumberUnder    = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgNumberDigits   = "Attempting to store more than 38 significant digits in a Number"
	msgNesting        = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgStructure      = "Start of structure or map found where not expected"
	msgFieldType      = "Unexpected field type"
	msgNotBase64      = "only base-64-encoded strings are convertible to bytes"
	msgBadBase64Tail  = "Invalid last non-pad Base64 character dectected" // sic: the service's spelling
	msgValueType      = "Unexpected value type in payload"
	msgAttrMapListArg = "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"
)

// maxContainerDepth is how deep a List or Map may stand below an item:
// the service counts the item as the first of its 32 nesting levels, so
// a top-level attribute (depth 0) may be wrapped in at most 31 Lists or
// Maps, and the one at depth 31 is refused. Values outside items
// (ExpressionAttributeValues) are held to the same limit.
const maxContainerDepth = store.MaxNesting - 1

// typeKeys are an AttributeValue's members, in the order they are checked.
var typeKeys = [...]string{"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"}

// DecodeValue decodes one AttributeValue's JSON ({"S":"x"}, {"N":"12"},
// {"L":[...]}, ...) into a store value, with the service's checks:
// exactly one type member, numbers valid (returned in canonical form),
// base64 binary, sets not empty and without duplicates, NULL true, at
// most 32 levels of nesting. Members of no type are ignored, and so are
// members set to null, as the service does. The error is an *Error:
// SerializationException for a member of the wrong JSON type,
// ValidationException for the rest.
func DecodeValue(raw []byte) (store.Value, error) {
	if !json.Valid(raw) {
		return store.Value{}, serialization(msgValueType)
	}
	v, err := decodeValue(raw, 0)
	if err != nil {
		return store.Value{}, err
	}
	return v, nil
}

// DecodeItem decodes a map of attribute names to AttributeValues (an
// Item, a Key, an ExclusiveStartKey) into a store item.
func DecodeItem(raw []byte) (store.Item, error) {
	if !json.Valid(raw) {
		return store.Item{}, serialization(msgValueType)
	}
	it, err := decodeItem(raw)
	if err != nil {
		return store.Item{}, err
	}
	return it, nil
}

// jsonKind is the first byte of a JSON value: '"', '{', '[', 't', 'f',
// 'n', or '0' for a number; 0 for no value.
func jsonKind(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"', '{', '[', 't', 'f', 'n':
			return c
		}
		return '0'
	}
	return 0
}

// isDecimal reports whether a JSON number literal has a fraction or an
// exponent, which the service's messages call DECIMAL_VALUE.
func isDecimal(raw []byte) bool {
	return slices.ContainsFunc(raw, func(c byte) bool { return c == '.' || c == 'e' || c == 'E' })
}

// scalarTypeError is the SerializationException for a JSON value of the
// wrong type where a scalar of the named Java type ("String", "Boolean",
// "Long") belongs.
func scalarTypeError(raw []byte, javaType string) *Error {
	switch jsonKind(raw) {
	case 't':
		return serialization("TRUE_VALUE cannot be converted to " + javaType)
	case 'f':
		return serialization("FALSE_VALUE cannot be converted to " + javaType)
	case '0':
		if isDecimal(raw) {
			return serialization("DECIMAL_VALUE cannot be converted to " + javaType)
		}
		return serialization("NUMBER_VALUE cannot be converted to " + javaType)
	case '"':
		return serialization("STRING_VALUE cannot be converted to " + javaType)
	case '[':
		return serialization("Unrecognized collection type class java.lang." + javaType)
	case '{':
		return serialization(msgStructure)
	}
	return serialization(msgValueType)
}

// decodeString decodes a JSON string where the service expects one.
func decodeString(raw []byte) (string, *Error) {
	if jsonKind(raw) != '"' {
		return "", scalarTypeError(raw, "String")
	}
	return unquote(raw[skipSpace(raw, 0):]), nil
}

// decodeBlob decodes base64 text (standard alphabet, padded) where the
// service expects binary.
func decodeBlob(raw []byte) ([]byte, *Error) {
	switch jsonKind(raw) {
	case '"':
	case '[':
		return nil, serialization("Unrecognized collection type class java.nio.ByteBuffer")
	case '{':
		return nil, serialization(msgStructure)
	default:
		return nil, serialization(msgNotBase64)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, serialization(msgValueType)
	}
	if len(s)%4 != 0 {
		return nil, Errorf(SerializationException, "Base64 encoded length is expected a multiple of 4 bytes but found: %d", len(s))
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, serialization(msgBadBase64Tail)
	}
	return b, nil
}

// decodeBool decodes a Boolean member. Like the service it also takes the
// strings true, false, yes, no, 1 and 0 in any case.
func decodeBool(raw []byte) (bool, *Error) {
	switch jsonKind(raw) {
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return false, serialization(msgValueType)
		}
		return b, nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return false, serialization(msgValueType)
		}
		switch strings.ToUpper(s) {
		case "TRUE", "YES", "1":
			return true, nil
		case "FALSE", "NO", "0":
			return false, nil
		}
		return false, serialization("Unexpected token received from parser")
	}
	return false, scalarTypeError(raw, "Boolean")
}

// decodeList splits a JSON array where the service expects a list.
func decodeList(raw []byte) ([][]byte, *Error) {
	switch jsonKind(raw) {
	case '[':
	case '{':
		return nil, serialization(msgStructure)
	default:
		return nil, serialization(msgFieldType)
	}
	return appendElements(nil, raw), nil
}

// decodeMap splits a JSON object of AttributeValues (an M value or an
// item): the attributes by name, sorted (so that errors are reported in
// one order) with their values still to decode, and the values' JSON.
// Where a name repeats, the last member wins, as in a JSON map.
func decodeMap(raw []byte) ([]store.Attribute, [][]byte, *Error) {
	switch jsonKind(raw) {
	case '{':
	case '[':
		return nil, nil, serialization(msgAttrMapListArg)
	default:
		return nil, nil, serialization(msgFieldType)
	}
	members := appendMembers(nil, raw)
	type named struct {
		name  string
		value []byte
	}
	ms := make([]named, len(members))
	for i, m := range members {
		ms[i] = named{unquote(m.name), m.value}
	}
	// Stable, so that among repeated names the last stays last and wins,
	// as with encoding/json's maps.
	slices.SortStableFunc(ms, func(a, b named) int { return strings.Compare(a.name, b.name) })
	attrs := make([]store.Attribute, 0, len(ms))
	values := make([][]byte, 0, len(ms))
	for i, m := range ms {
		if i+1 < len(ms) && ms[i+1].name == m.name {
			continue
		}
		attrs = append(attrs, store.Attribute{Name: m.name})
		values = append(values, m.value)
	}
	return attrs, values, nil
}

// decodeNumber parses number text, with the service's message for each
// way it can be refused (too large, too small, too many digits: the
// service checks them in that order, as store.ParseNumber does).
func decodeNumber(text string) (store.Value, *Error) {
	if text == "" {
		return store.Value{}, Validation(msgNotNumeric)
	}
	v, err := store.ParseNumber(text)
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, store.ErrNumberOverflow):
		return store.Value{}, Validation(msgNumberOverflow)
	case errors.Is(err, store.ErrNumberUnderflow):
		return store.Value{}, Validation(msgNumberUnder)
	case errors.Is(err, store.ErrNumberPrecision):
		return store.Value{}, Validation(msgNumberDigits)
	}
	return store.Value{}, Validation(msgNotNumeric + ": " + text)
}

// decodeValue decodes an AttributeValue standing depth Lists or Maps
// below an item's top level. Within one value, a member of the wrong JSON
// type (SerializationException) is reported before a refused content
// (ValidationException), as the service checks types first.
func decodeValue(raw []byte, depth int) (store.Value, *Error) {
	switch jsonKind(raw) {
	case '{':
	case '[':
		return store.Value{}, serialization("Start of list found where not expected")
	case 'n':
		return store.Value{}, Validation(msgEmptyValue)
	default:
		return store.Value{}, serialization(msgValueType)
	}
	var found [len(typeKeys)][]byte
	var buf [4]member
	for _, m := range appendMembers(buf[:0], raw) {
		name := m.name
		if slices.Contains(name, '\\') {
			name = []byte(strconv.Quote(unquote(name)))
		}
		if k := typeIndex(name); k >= 0 {
			found[k] = m.value // a repeated member: the last wins
		}
	}
	var v store.Value
	var invalid *Error
	present := 0
	for k, m := range found {
		if m == nil || jsonKind(m) == 'n' {
			continue
		}
		present++
		val, err := decodeTyped(typeKeys[k], m, depth)
		if err != nil {
			if err.Type == SerializationException {
				return store.Value{}, err
			}
			if invalid == nil {
				invalid = err
			}
			continue
		}
		v = val
	}
	switch {
	case present == 0:
		return store.Value{}, Validation(msgEmptyValue)
	case invalid != nil:
		return store.Value{}, invalid
	case present > 1:
		return store.Value{}, Validation(msgManyTypes)
	}
	return v, nil
}

// typeIndex is the position in typeKeys of a member name's literal, or -1.
func typeIndex(lit []byte) int {
	if len(lit) < 3 {
		return -1
	}
	name := lit[1 : len(lit)-1]
	for k, key := range typeKeys {
		if string(name) == key {
			return k
		}
	}
	return -1
}

// decodeTyped decodes the member of one type key.
func decodeTyped(key string, raw []byte, depth int) (store.Value, *Error) {
	switch key {
	case "S":
		s, err := decodeString(raw)
		if err != nil {
			return store.Value{}, err
		}
		return store.S(s), nil
	case "N":
		s, err := decodeString(raw)
		if err != nil {
			return store.Value{}, err
		}
		return decodeNumber(s)
	case "B":
		b, err := decodeBlob(raw)
		if err != nil {
			return store.Value{}, err
		}
		return store.B(b), nil
	case "BOOL":
		b, err := decodeBool(raw)
		if err != nil {
			return store.Value{}, err
		}
		return store.Bool(b), nil
	case "NULL":
		b, err := decodeBool(raw)
		if err != nil {
			return store.Value{}, err
		}
		if !b {
			return store.Value{}, Validation(msgNullFalse)
		}
		return store.Null(), nil
	case "SS", "NS", "BS":
		return decodeSet(key, raw)
	case "L":
		elems, err := decodeList(raw)
		if err != nil {
			return store.Value{}, err
		}
		if depth >= maxContainerDepth {
			return store.Value{}, Validation(msgNesting)
		}
		vs := make([]store.Value, len(elems))
		for i, e := range elems {
			v, err := decodeValue(e, depth+1)
			if err != nil {
				return store.Value{}, err
			}
			vs[i] = v
		}
		return store.L(vs...), nil
	case "M":
		attrs, values, err := decodeMap(raw)
		if err != nil {
			return store.Value{}, err
		}
		if depth >= maxContainerDepth {
			return store.Value{}, Validation(msgNesting)
		}
		for i := range attrs {
			v, err := decodeValue(values[i], depth+1)
			if err != nil {
				return store.Value{}, err
			}
			attrs[i].Value = v
		}
		return store.M(attrs...), nil
	}
	return store.Value{}, serialization(msgValueType)
}

// decodeSet decodes an SS, NS or BS member: every element of the element
// type first, then the set's content.
func decodeSet(key string, raw []byte) (store.Value, *Error) {
	elems, err := decodeList(raw)
	if err != nil {
		return store.Value{}, err
	}
	texts := make([]string, len(elems))
	for i, e := range elems {
		if key == "BS" {
			b, err := decodeBlob(e)
			if err != nil {
				return store.Value{}, err
			}
			texts[i] = string(b)
			continue
		}
		s, err := decodeString(e)
		if err != nil {
			return store.Value{}, err
		}
		texts[i] = s
	}
	vals := make([]store.Value, len(texts))
	switch key {
	case "SS":
		if len(texts) == 0 {
			return store.Value{}, Validation(msgEmptySS)
		}
		if hasDuplicate(texts) {
			return store.Value{}, Validation("One or more parameter values were invalid: Input collection " + valueList(texts) + " contains duplicates.")
		}
		for i, t := range texts {
			vals[i] = store.S(t)
		}
		return store.Set(store.KindStringSet, vals...), nil
	case "NS":
		if len(texts) == 0 {
			return store.Value{}, Validation(msgEmptyNS)
		}
		canon := make([]string, len(texts))
		for i, t := range texts {
			v, err := decodeNumber(t)
			if err != nil {
				return store.Value{}, err
			}
			vals[i], canon[i] = v, v.Text()
		}
		// Equal numbers are duplicates however they are written ("1",
		// "1.0"), as the service compares them after parsing.
		if hasDuplicate(canon) {
			return store.Value{}, Validation(msgNSDuplicates)
		}
		return store.Set(store.KindNumberSet, vals...), nil
	default:
		if len(texts) == 0 {
			return store.Value{}, Validation(msgEmptyBS)
		}
		if hasDuplicate(texts) {
			encoded := make([]string, len(texts))
			for i, t := range texts {
				encoded[i] = base64.StdEncoding.EncodeToString([]byte(t))
			}
			// sic: the service's message lacks a space before "of".
			return store.Value{}, Validation("One or more parameter values were invalid: Input collection " + valueList(encoded) + "of type BS contains duplicates.")
		}
		for i, t := range texts {
			vals[i] = store.B([]byte(t))
		}
		return store.Set(store.KindBinarySet, vals...), nil
	}
}

// hasDuplicate reports whether any text repeats.
func hasDuplicate(texts []string) bool {
	seen := make(map[string]struct{}, len(texts))
	for _, t := range texts {
		if _, ok := seen[t]; ok {
			return true
		}
		seen[t] = struct{}{}
	}
	return false
}

// decodeItem decodes a map of names to AttributeValues.
func decodeItem(raw []byte) (store.Item, *Error) {
	attrs, values, err := decodeMap(raw)
	if err != nil {
		return store.Item{}, err
	}
	for i := range attrs {
		v, err := decodeValue(values[i], 0)
		if err != nil {
			return store.Item{}, err
		}
		attrs[i].Value = v
	}
	return store.NewItem(attrs...), nil
}

// AppendValue appends v's AttributeValue JSON to dst: numbers in their
// canonical text, binary as standard padded base64, map members and set
// elements in the store's order (sorted). The zero Value, which no
// decoded value is, appends {}.
func AppendValue(dst []byte, v store.Value) []byte {
	switch v.Kind() {
	case store.KindString:
		dst = append(dst, `{"S":`...)
		dst = appendString(dst, v.Text())
	case store.KindNumber:
		dst = append(dst, `{"N":`...)
		dst = appendString(dst, v.Text())
	case store.KindBinary:
		dst = append(dst, `{"B":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, []byte(v.Text()))
		dst = append(dst, '"')
	case store.KindBool:
		if v.BoolValue() {
			return append(dst, `{"BOOL":true}`...)
		}
		return append(dst, `{"BOOL":false}`...)
	case store.KindNull:
		return append(dst, `{"NULL":true}`...)
	case store.KindList:
		dst = append(dst, `{"L":[`...)
		for i, e := range v.List() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendValue(dst, e)
		}
		dst = append(dst, ']')
	case store.KindMap:
		dst = append(dst, `{"M":{`...)
		for i, a := range v.Map() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, a.Name)
			dst = append(dst, ':')
			dst = AppendValue(dst, a.Value)
		}
		dst = append(dst, '}')
	case store.KindStringSet, store.KindNumberSet, store.KindBinarySet:
		dst = append(dst, `{"`...)
		dst = append(dst, v.Kind().String()...)
		dst = append(dst, `":[`...)
		for i, e := range v.Set() {
			if i > 0 {
				dst = append(dst, ',')
			}
			if v.Kind() == store.KindBinarySet {
				dst = append(dst, '"')
				dst = base64.StdEncoding.AppendEncode(dst, []byte(e.Text()))
				dst = append(dst, '"')
				continue
			}
			dst = appendString(dst, e.Text())
		}
		dst = append(dst, ']')
	default:
		return append(dst, "{}"...)
	}
	return append(dst, '}')
}

// AppendItem appends an item's JSON, a map of names to AttributeValues in
// name order, to dst.
func AppendItem(dst []byte, it store.Item) []byte {
	dst = append(dst, '{')
	first := true
	for name, v := range it.All() {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, name)
		dst = append(dst, ':')
		dst = AppendValue(dst, v)
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Bytes that are not UTF-8
// become U+FFFD, as encoding/json does.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
