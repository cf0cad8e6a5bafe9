// Package aws reads what AWS says about DynamoDB tables (describe-table,
// describe-time-to-live, application-autoscaling targets and policies,
// CloudFormation/SAM templates and terraform show -json) into one plain
// description of tables, each field remembering the file it came from.
package aws
