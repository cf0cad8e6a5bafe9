"""A smoke suite for `ddbsim serve` from a second SDK: boto3 (Python).

Run: python3 boto3_smoke.py http://127.0.0.1:PORT
It exits 0 and prints one line per check when every check holds, and
exits 1 naming the first that does not. server/boto3_test.go runs it
against a server it starts (go test -tags boto3 ./server).
"""
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
ddb = boto3.client(
    "dynamodb",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="x",
    aws_secret_access_key="x",
    config=Config(retries={"max_attempts": 0, "mode": "legacy"}),
)


def check(name, ok, detail=""):
    if not ok:
        print("FAIL", name, detail)
        sys.exit(1)
    print("ok  ", name)


def error_code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response
    return None, None


def wait_active(name):
    for _ in range(200):
        t = ddb.describe_table(TableName=name)["Table"]
        if t["TableStatus"] == "ACTIVE":
            return t
        time.sleep(0.05)
    check("table %s becomes ACTIVE" % name, False)


ddb.create_table(
    TableName="orders",
    AttributeDefinitions=[
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "status", "AttributeType": "S"},
    ],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST",
    GlobalSecondaryIndexes=[{
        "IndexName": "by-status",
        "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "ALL"},
    }],
)
t = wait_active("orders")
check("create_table and describe_table", t["KeySchema"][0]["AttributeName"] == "pk"
      and t["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST", t)
check("list_tables", "orders" in ddb.list_tables()["TableNames"])

r = ddb.put_item(TableName="orders", Item={"pk": {"S": "c1"}, "sk": {"N": "1"}, "status": {"S": "open"},
                                          "body": {"S": "x" * 3000}}, ReturnConsumedCapacity="TOTAL")
check("put_item of 3 KB consumes 3.0", r["ConsumedCapacity"]["CapacityUnits"] >= 3.0, r.get("ConsumedCapacity"))

r = ddb.get_item(TableName="orders", Key={"pk": {"S": "c1"}, "sk": {"N": "1"}}, ConsistentRead=True,
                 ReturnConsumedCapacity="TOTAL")
check("get_item returns the item", r["Item"]["status"]["S"] == "open")
check("a strongly consistent read of 3 KB consumes 1.0", r["ConsumedCapacity"]["CapacityUnits"] == 1.0, r["ConsumedCapacity"])

r = ddb.update_item(TableName="orders", Key={"pk": {"S": "c1"}, "sk": {"N": "1"}},
                    UpdateExpression="SET #n = if_not_exists(#n, :zero) + :one, tags = :tags",
                    ExpressionAttributeNames={"#n": "count"},
                    ExpressionAttributeValues={":zero": {"N": "0"}, ":one": {"N": "1"}, ":tags": {"SS": ["a", "b"]}},
                    ReturnValues="ALL_NEW")
check("update_item with arithmetic and a set", r["Attributes"]["count"]["N"] == "1"
      and sorted(r["Attributes"]["tags"]["SS"]) == ["a", "b"], r)

code, resp = error_code(lambda: ddb.put_item(TableName="orders", Item={"pk": {"S": "c1"}, "sk": {"N": "1"}},
                                             ConditionExpression="attribute_not_exists(pk)"))
check("a failed condition is ConditionalCheckFailedException", code == "ConditionalCheckFailedException", resp)

with_items = [{"PutRequest": {"Item": {"pk": {"S": "c2"}, "sk": {"N": str(i)}, "status": {"S": "shipped"}}}}
              for i in range(25)]
r = ddb.batch_write_item(RequestItems={"orders": with_items})
check("batch_write_item of 25", r["UnprocessedItems"] == {}, r)

pages, keys = 0, []
kwargs = {"TableName": "orders", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
          "ExpressionAttributeValues": {":p": {"S": "c2"}, ":a": {"N": "5"}, ":b": {"N": "20"}}, "Limit": 4}
while True:
    r = ddb.query(**kwargs)
    pages += 1
    keys += [int(i["sk"]["N"]) for i in r["Items"]]
    if "LastEvaluatedKey" not in r:
        break
    kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]
check("query pages through BETWEEN 5 AND 20", keys == list(range(5, 21)) and pages >= 4, (keys, pages))

r = ddb.query(TableName="orders", IndexName="by-status", KeyConditionExpression="#s = :s",
              ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues={":s": {"S": "shipped"}},
              Select="COUNT")
check("query a global index by IndexName", r["Count"] == 25, r)

total = 0
for seg in range(3):
    r = ddb.scan(TableName="orders", Segment=seg, TotalSegments=3)
    total += r["Count"]
check("a parallel scan in 3 segments reads every item once", total == 26, total)

code, resp = error_code(lambda: ddb.transact_write_items(TransactItems=[
    {"Put": {"TableName": "orders", "Item": {"pk": {"S": "c3"}, "sk": {"N": "1"}}}},
    {"ConditionCheck": {"TableName": "orders", "Key": {"pk": {"S": "c1"}, "sk": {"N": "1"}},
                        "ConditionExpression": "attribute_not_exists(pk)"}},
]))
check("a transaction with a failed check is cancelled", code == "TransactionCanceledException", resp)
reasons = [r.get("Code") for r in resp.get("CancellationReasons", [])]
check("cancellation reasons name the failed check", reasons == ["None", "ConditionalCheckFailed"], reasons)
check("a cancelled transaction writes nothing",
      "Item" not in ddb.get_item(TableName="orders", Key={"pk": {"S": "c3"}, "sk": {"N": "1"}}))

ddb.create_table(
    TableName="tiny",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
)
wait_active("tiny")
codes = set()
for i in range(200):  # 9 KB each: 9 WCU, so a 300-unit burst bank is gone in 34 writes
    code, resp = error_code(lambda: ddb.put_item(TableName="tiny", Item={"pk": {"S": "k%d" % i}, "v": {"S": "x" * 9000}}))
    if code:
        codes.add(code)
check("1 WCU under 200 writes of 9 KB throttles", codes == {"ProvisionedThroughputExceededException"}, codes)

ddb.delete_table(TableName="tiny")
code, _ = error_code(lambda: ddb.describe_table(TableName="tiny"))
check("a deleted table is not found", code == "ResourceNotFoundException", code)
print("boto3 smoke: all checks passed")
