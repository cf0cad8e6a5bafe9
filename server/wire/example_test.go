package wire_test

import (
	"fmt"

	"github.com/ddbsim/ddbsim/model/store"
	"github.com/ddbsim/ddbsim/server/wire"
)

func ExampleDecodeValue() {
	v, err := wire.DecodeValue([]byte(`{"NS":["1.50","-2E3"]}`))
	fmt.Println(v, err)
	fmt.Printf("%s\n", wire.AppendValue(nil, v))

	_, err = wire.DecodeValue([]byte(`{"S":"a","N":"1"}`))
	fmt.Println(err)
	// Output:
	// NS("-2000", "1.5") <nil>
	// {"NS":["-2000","1.5"]}
	// ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes
}

func ExampleDecodeRequest() {
	in, _ := wire.NewInput("DynamoDB_20120810.GetItem")
	if err := wire.DecodeRequest([]byte(`{"TableName":"users","Key":{"id":{"S":"u1"}}}`), in); err != nil {
		fmt.Println(err.Status(), string(wire.AppendError(nil, err)))
		return
	}
	get := in.(*wire.GetItemInput)
	id, _ := get.Key.Get("id")
	fmt.Println(get.TableName, id)

	err := wire.DecodeRequest([]byte(`{"TableName":7}`), in)
	fmt.Println(err.Status(), string(wire.AppendError(nil, err)))
	// Output:
	// users S("u1")
	// 400 {"__type":"com.amazon.coral.service#SerializationException","message":"NUMBER_VALUE cannot be converted to String"}
}

func ExampleAppendError() {
	e := &wire.Error{
		Type:    wire.ProvisionedThroughputExceededException,
		Message: wire.MsgTableThroughputExceeded,
		ThrottlingReasons: []wire.ThrottlingReason{wire.Throttled(wire.ThrottledTable, wire.ThrottledWrite, wire.LimitProvisioned,
			"arn:aws:dynamodb:us-east-1:000000000000:table/orders")},
	}
	fmt.Println(e.Status())
	fmt.Printf("%s\n", wire.AppendError(nil, e))

	old := wire.Wrap(store.NewItem(store.Attribute{Name: "id", Value: store.S("o1")}))
	fmt.Printf("%s\n", wire.AppendError(nil, wire.ConditionalCheckFailed(old)))
	// Output:
	// 400
	// {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.","ThrottlingReasons":[{"reason":"TableWriteProvisionedThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:000000000000:table/orders"}]}
	// {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"o1"}}}
}
