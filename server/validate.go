package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Checks of control-plane requests, with the service's messages
// (DynamoDB API reference, CreateTable and "Service, account, and table
// quotas").

// decode reads a request body into v: a body that is not a JSON object of
// the operation's shape is a SerializationException, as the service's.
func decode(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return &APIError{Type: errSerialization, Status: 400, Message: serializationMessage(err)}
	}
	if d.More() {
		return &APIError{Type: errSerialization, Status: 400, Message: "Unexpected content after the request's JSON object"}
	}
	return nil
}

func serializationMessage(err error) string {
	switch e := err.(type) {
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("Unexpected value type in payload: %s is not a %s", e.Field, e.Type)
	case *json.SyntaxError:
		return fmt.Sprintf("Malformed JSON at offset %d", e.Offset)
	}
	return "Malformed request body"
}

// checkTableName applies the table-name rule: 3 to 255 of a-z, A-Z,
// 0-9, '_', '-' and '.'.
func checkTableName(field, name string) error {
	if len(name) < 3 {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 3", name, field)
	}
	if len(name) > 255 {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 255", name[:255]+"...", field)
	}
	if !validName(name) {
		return validationf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name, field)
	}
	return nil
}

func validName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// maxCapacityUnits is the most provisioned capacity a table's request
// may carry before the table quota's own check.
const maxCapacityUnits = 40000

func checkThroughput(p *provisionedThroughput) error {
	if p.ReadCapacityUnits < 1 || p.WriteCapacityUnits < 1 {
		return invalidf("ReadCapacityUnits and WriteCapacityUnits must both be specified and at least 1 when BillingMode is PROVISIONED")
	}
	if p.ReadCapacityUnits > maxCapacityUnits || p.WriteCapacityUnits > maxCapacityUnits {
		return limitf("Subscriber limit exceeded: a table's provisioned throughput is limited to %d read and %d write capacity units", maxCapacityUnits, maxCapacityUnits)
	}
	return nil
}

// checkKeys checks a key schema against the attribute definitions: a
// HASH key, then at most one RANGE key, each defined.
func checkKeys(what string, ks []keySchemaElement, defs map[string]string) error {
	if len(ks) < 1 || len(ks) > 2 {
		return validationf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to 2 and greater than or equal to 1", what)
	}
	if ks[0].KeyType != "HASH" {
		return invalidf("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 && ks[1].KeyType != "RANGE" {
		return invalidf("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	}
	if len(ks) == 2 && ks[0].AttributeName == ks[1].AttributeName {
		return invalidf("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	for _, k := range ks {
		if k.AttributeName == "" || len(k.AttributeName) > 255 {
			return validationf("1 validation error detected: Value '%s' at '%s.attributeName' failed to satisfy constraint: Member must have length between 1 and 255", k.AttributeName, what)
		}
		if _, ok := defs[k.AttributeName]; !ok {
			return invalidf("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: %v", k.AttributeName, slices.Sorted(mapKeys(defs)))
		}
	}
	return nil
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Limits of CreateTable (API reference, "Service quotas").
const (
	maxGSIs            = 20
	maxLSIs            = 5
	maxNonKeyProjected = 100
)

// checkCreate checks a CreateTable request as the service does before
// creating anything.
func checkCreate(in *createTableInput) error {
	if err := checkTableName("tableName", in.TableName); err != nil {
		return err
	}
	if len(in.AttributeDefinitions) == 0 {
		return validationf("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null")
	}
	defs := map[string]string{}
	for _, d := range in.AttributeDefinitions {
		switch d.AttributeType {
		case "S", "N", "B":
		default:
			return enumError("attributeDefinitions.member.attributeType", d.AttributeType, "[B, N, S]")
		}
		if _, dup := defs[d.AttributeName]; dup || d.AttributeName == "" {
			return invalidf("Duplicate or empty attribute name in AttributeDefinitions: %q", d.AttributeName)
		}
		defs[d.AttributeName] = d.AttributeType
	}
	if len(in.KeySchema) == 0 {
		return validationf("1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null")
	}
	if err := checkKeys("keySchema", in.KeySchema, defs); err != nil {
		return err
	}
	used := map[string]bool{}
	for _, k := range in.KeySchema {
		used[k.AttributeName] = true
	}
	switch in.BillingMode {
	case "", "PROVISIONED":
		if in.ProvisionedThroughput == nil {
			return invalidf("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		if err := checkThroughput(in.ProvisionedThroughput); err != nil {
			return err
		}
	case "PAY_PER_REQUEST":
		if in.ProvisionedThroughput != nil {
			return invalidf("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
	default:
		return enumError("billingMode", in.BillingMode, "[PROVISIONED, PAY_PER_REQUEST]")
	}
	switch in.TableClass {
	case "", "STANDARD", "STANDARD_INFREQUENT_ACCESS":
	default:
		return enumError("tableClass", in.TableClass, "[STANDARD, STANDARD_INFREQUENT_ACCESS]")
	}
	if len(in.GlobalSecondaryIndexes) > maxGSIs {
		return limitf("Subscriber limit exceeded: a table may have at most %d global secondary indexes", maxGSIs)
	}
	if len(in.LocalSecondaryIndexes) > maxLSIs {
		return invalidf("Number of LocalSecondaryIndexes exceeds per-table limit of %d", maxLSIs)
	}
	names := map[string]bool{}
	for i, ix := range slices.Concat(in.GlobalSecondaryIndexes, in.LocalSecondaryIndexes) {
		local := i >= len(in.GlobalSecondaryIndexes)
		if err := checkIndex(in, ix, local, defs, names); err != nil {
			return err
		}
		for _, k := range ix.KeySchema {
			used[k.AttributeName] = true
		}
	}
	for name := range defs {
		if !used[name] {
			return invalidf("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
		}
	}
	return checkStream(in.StreamSpecification)
}

// checkStream refuses a StreamSpecification the service refuses.
func checkStream(ss *streamSpecification) error {
	if ss != nil && ss.StreamEnabled {
		switch ss.StreamViewType {
		case "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
		case "":
			return invalidf("StreamViewType must be specified when StreamEnabled is true")
		default:
			return enumError("streamSpecification.streamViewType", ss.StreamViewType, "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]")
		}
	}
	return nil
}

func checkIndex(in *createTableInput, ix indexSpec, local bool, defs map[string]string, names map[string]bool) error {
	if len(ix.IndexName) < 3 || len(ix.IndexName) > 255 || !validName(ix.IndexName) {
		return validationf("1 validation error detected: Value '%s' at 'indexName' failed to satisfy constraint: Member must have length between 3 and 255 and satisfy regular expression pattern: [a-zA-Z0-9_.-]+", ix.IndexName)
	}
	if names[ix.IndexName] {
		return invalidf("Duplicate index name: %s", ix.IndexName)
	}
	names[ix.IndexName] = true
	if err := checkKeys("indexKeySchema", ix.KeySchema, defs); err != nil {
		return err
	}
	switch ix.Projection.ProjectionType {
	case "ALL", "KEYS_ONLY":
		if len(ix.Projection.NonKeyAttributes) > 0 {
			return invalidf("ProjectionType is %s, but NonKeyAttributes is specified", ix.Projection.ProjectionType)
		}
	case "INCLUDE":
		if len(ix.Projection.NonKeyAttributes) == 0 || len(ix.Projection.NonKeyAttributes) > maxNonKeyProjected {
			return invalidf("NonKeyAttributes must name 1 to %d attributes when ProjectionType is INCLUDE", maxNonKeyProjected)
		}
	case "":
		return invalidf("Unknown ProjectionType: null")
	default:
		return enumError("projection.projectionType", ix.Projection.ProjectionType, "[ALL, KEYS_ONLY, INCLUDE]")
	}
	if local {
		if len(in.KeySchema) < 2 {
			return invalidf("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		if len(ix.KeySchema) != 2 || ix.KeySchema[0].AttributeName != in.KeySchema[0].AttributeName {
			return invalidf("Index KeySchema does not have the same leading hash key as table KeySchema for index: %s", ix.IndexName)
		}
		return nil
	}
	provisioned := in.BillingMode == "" || in.BillingMode == "PROVISIONED"
	switch {
	case provisioned && ix.ProvisionedThroughput == nil:
		return invalidf("ProvisionedThroughput must be specified for index: %s", ix.IndexName)
	case !provisioned && ix.ProvisionedThroughput != nil:
		return invalidf("ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", ix.IndexName)
	case provisioned:
		return checkThroughput(ix.ProvisionedThroughput)
	}
	return nil
}
