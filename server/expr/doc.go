// Package expr parses and evaluates DynamoDB's expression language over
// store values: condition and filter expressions, update, projection and
// key-condition expressions with ExpressionAttributeNames and
// ExpressionAttributeValues, and the legacy parameters (Expected,
// AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
// AttributesToGet) converted into the same forms. Every error it returns
// is an *Error whose message is the service's ValidationException text.
package expr
