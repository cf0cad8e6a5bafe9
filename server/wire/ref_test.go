package wire

// The first decoder of AttributeValues, kept as the reference the faster
// one is checked against (FuzzDecoderAgainstReference): it splits every
// object with encoding/json into a map and every array into a slice, which
// is simple and obviously right, and allocates a map per value.

import (
	"encoding/base64"
	"encoding/json"
	"slices"

	"github.com/ddbsim/ddbsim/model/store"
)

// refDecodeList splits a JSON array where the service expects a list.
func refDecodeList(raw []byte) ([]json.RawMessage, *Error) {
	switch jsonKind(raw) {
	case '[':
	case '{':
		return nil, serialization(msgStructure)
	default:
		return nil, serialization(msgFieldType)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, serialization(msgValueType)
	}
	return elems, nil
}

// refDecodeMap splits a JSON object of AttributeValues (an M value or an
// item), with its names sorted so that errors are reported in one order.
func refDecodeMap(raw []byte) (map[string]json.RawMessage, []string, *Error) {
	switch jsonKind(raw) {
	case '{':
	case '[':
		return nil, nil, serialization(msgAttrMapListArg)
	default:
		return nil, nil, serialization(msgFieldType)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, nil, serialization(msgValueType)
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	slices.Sort(names)
	return members, names, nil
}

// refDecodeValue decodes an AttributeValue standing depth Lists or Maps
// below an item's top level. Within one value, a member of the wrong JSON
// type (SerializationException) is reported before a refused content
// (ValidationException), as the service checks types first.
func refDecodeValue(raw []byte, depth int) (store.Value, *Error) {
	switch jsonKind(raw) {
	case '{':
	case '[':
		return store.Value{}, serialization("Start of list found where not expected")
	case 'n':
		return store.Value{}, Validation(msgEmptyValue)
	default:
		return store.Value{}, serialization(msgValueType)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return store.Value{}, serialization(msgValueType)
	}
	var v store.Value
	var invalid *Error
	present := 0
	for _, key := range typeKeys {
		m, ok := members[key]
		if !ok || jsonKind(m) == 'n' {
			continue
		}
		present++
		val, err := refDecodeTyped(key, m, depth)
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

// refDecodeTyped decodes the member of one type key.
func refDecodeTyped(key string, raw []byte, depth int) (store.Value, *Error) {
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
		return refDecodeSet(key, raw)
	case "L":
		elems, err := refDecodeList(raw)
		if err != nil {
			return store.Value{}, err
		}
		if depth >= maxContainerDepth {
			return store.Value{}, Validation(msgNesting)
		}
		vs := make([]store.Value, len(elems))
		for i, e := range elems {
			v, err := refDecodeValue(e, depth+1)
			if err != nil {
				return store.Value{}, err
			}
			vs[i] = v
		}
		return store.L(vs...), nil
	case "M":
		members, names, err := refDecodeMap(raw)
		if err != nil {
			return store.Value{}, err
		}
		if depth >= maxContainerDepth {
			return store.Value{}, Validation(msgNesting)
		}
		attrs := make([]store.Attribute, len(names))
		for i, name := range names {
			v, err := refDecodeValue(members[name], depth+1)
			if err != nil {
				return store.Value{}, err
			}
			attrs[i] = store.Attribute{Name: name, Value: v}
		}
		return store.M(attrs...), nil
	}
	return store.Value{}, serialization(msgValueType)
}

// refDecodeSet decodes an SS, NS or BS member: every element of the element
// type first, then the set's content.
func refDecodeSet(key string, raw []byte) (store.Value, *Error) {
	elems, err := refDecodeList(raw)
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

// refDecodeItem decodes a map of names to AttributeValues.
func refDecodeItem(raw []byte) (store.Item, *Error) {
	members, names, err := refDecodeMap(raw)
	if err != nil {
		return store.Item{}, err
	}
	attrs := make([]store.Attribute, len(names))
	for i, name := range names {
		v, err := refDecodeValue(members[name], 0)
		if err != nil {
			return store.Item{}, err
		}
		attrs[i] = store.Attribute{Name: name, Value: v}
	}
	return store.NewItem(attrs...), nil
}
