// Package cloudwatch reads a table's CloudWatch history as the AWS CLI
// prints it (get-metric-data and get-metric-statistics output, and a
// Contributor Insights get-insight-rule-report) into per-table, per-index,
// per-metric series with their period detected and their gaps stated.
//
// # Recognising a file
//
// Each kind is told by its top-level fields (Detect): MetricDataResults is
// get-metric-data output; Datapoints is get-metric-statistics output;
// Contributors or KeyLabels is an insight rule report; MetricDataQueries,
// or an array whose first element has Id and MetricStat (or Expression),
// is the JSON given to get-metric-data --metric-data-queries.
//
// # Naming get-metric-data results
//
// A get-metric-data result carries only its query's Id and Label, not the
// metric's name or dimensions. It is named, in this order:
//
//   - by the query of the same Id in a MetricDataQueries file read with
//     ReadQueries and given to ReadWith: its MetricName, TableName and
//     GlobalSecondaryIndexName dimensions, Stat and Period;
//   - else by its Label, which must then be METRIC:TABLE for a table or
//     METRIC:TABLE:index:INDEX for a global secondary index, for example
//     "ConsumedWriteCapacityUnits:orders" or
//     "ConsumedReadCapacityUnits:orders:index:by-status". A query's
//     "Label" field sets it. A bare METRIC is accepted with no table. Ids
//     cannot carry the name: CloudWatch allows only [a-zA-Z0-9_] in them.
//
// With a Label alone the statistic is assumed to be the one the metric
// needs (Metrics): Sum for consumed units and throttle events, Average for
// provisioned units. A query file is checked for it.
//
// get-metric-statistics output names only its metric (Label); its Table
// is "", for the caller to set. Its points are read from the Sum or the
// Average field as the metric needs.
//
// # Points, periods and gaps
//
// Points are sorted by time whatever order the file had (get-metric-data
// returns newest first by default), pages of one query are joined, and an
// exact repeat is dropped. The period is the query's, or else the smallest
// step between points (DefaultPeriod for a lone point). A period with no
// point is listed as a Gap and never filled: CloudWatch omits the minutes
// a table had no traffic as well as the ones it lost. The window a
// --cli-input-json query file asks for (StartTime, EndTime), or one given
// to History.Within, adds the gaps before the first point and after the
// last.
//
// # Size
//
// A file is read whole and refused past scenarios.MaxFileSize (16 MiB).
// The CLI prints about 70 bytes per point, so a 30-day minute series is
// about 3 MB: a month of up to five series fits in one file; ask for more
// in several.
package cloudwatch
