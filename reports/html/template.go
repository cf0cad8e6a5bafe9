package html

import "html/template"

// htmlTemplate lays out report.html from an htmlPage, whose every figure
// arrives formatted; html/template escapes what the run named (tables,
// scenarios), and the plots come in as checked, inlined SVG.
var htmlTemplate = template.Must(template.New("report.html").Parse(htmlSource))

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="ddbsim" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:" />
<title>{{.Name}}: ddbsim report</title>
<style>
:root {
	--ink: #1d2430; --muted: #5b6472; --rule: #d8dde5; --wash: #f5f7fa;
	--pass: #126b3a; --pass-bg: #e5f4ea; --fail: #a3161a; --fail-bg: #fbe7e7; --warn: #8a4b00; --warn-bg: #fff1d6;
	--note: #7a4b00; --note-bg: #fff4dc;
}
* { box-sizing: border-box; }
html { background: #fff; color: var(--ink); }
body {
	margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 72rem;
	font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
}
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-bottom: .3rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
p { margin: .5rem 0; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.meta b { color: var(--ink); font-weight: 600; }
.num, td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .92em; }
.verdict {
	display: block; margin: .75rem 0 1rem; padding: .9rem 1.2rem; border-radius: .5rem;
	font-size: 1.6rem; font-weight: 700; border: 2px solid;
}
.verdict.pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.verdict.fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.verdict.warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn); }
.verdict.none { color: var(--muted); background: var(--wash); border-color: var(--rule); }
.lead { font-size: 1.1rem; }
.lead a { color: inherit; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .85em; font-weight: 700; }
.badge.pass { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.incomplete { color: var(--note); background: var(--note-bg); padding: .5rem .75rem; border-radius: .4rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .95rem; }
th, td { padding: .35rem .7rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--wash); }
th.group { text-align: center; border-bottom: 1px solid var(--rule); }
.wide { overflow-x: auto; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; margin: .75rem 0; }
.figure { border: 1px solid var(--rule); border-radius: .5rem; padding: .6rem .8rem; }
.figure .k { display: block; color: var(--muted); font-size: .85rem; }
.figure .v { display: block; font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .v small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
.first {
	border: 2px solid var(--fail); border-left-width: .6rem; border-radius: .5rem;
	padding: .9rem 1.2rem; margin: .75rem 0 1rem; background: var(--fail-bg);
}
.first h3 { margin-top: 0; }
.first dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .5rem 0; }
.first dt { color: var(--muted); }
.first dd { margin: 0; font-weight: 600; }
.first dd .big { font-size: 1.25rem; }
.first .why { margin: .75rem 0 0; }
.calm { border: 2px solid var(--pass); border-radius: .5rem; padding: .9rem 1.2rem; background: var(--pass-bg); font-weight: 600; }
ol.explanations li, ul.events li { margin: .35rem 0; }
figure { margin: 1.5rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure h3 { margin: 0 0 .2rem; }
figcaption { color: var(--muted); margin: 0 0 .5rem; }
figure svg { display: block; width: 100%; max-width: 60rem; height: auto; border: 1px solid var(--rule); }
.chart { display: none; max-width: 60rem; margin: 0 0 .5rem; }
.js .chart { display: block; }
.js figure .static { display: none; }
.chart-markers { font-size: .85rem; color: var(--muted); }
.chart-markers > span { margin-right: 1.2rem; white-space: nowrap; }
.chart-markers .swatch { display: inline-block; width: 1.4rem; height: 0; border-top: 2px dashed; vertical-align: middle; margin-right: .35rem; }
.chart-hint { font-size: .85rem; color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media print {
	body { max-width: none; padding: 0; font-size: 11pt; }
	h2 { break-after: avoid; page-break-after: avoid; }
	table, .first, .figures { break-inside: avoid; page-break-inside: avoid; }
	tbody tr:nth-child(even) { background: none; }
	.verdict, .first, .badge, .calm { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
	a { color: inherit; text-decoration: none; }
	.js .chart, .chart-hint { display: none; }
	.js figure .static { display: block; }
}
</style>
{{- with .Charts}}
<style>{{.Style}}</style>
{{- end}}
</head>
<body>
<header>
<h1 id="scenario">{{.Name}}</h1>
<p class="meta">ddbsim report &middot; seed <b id="seed">{{.Seed}}</b> &middot; duration <b id="duration">{{.Duration}}</b></p>
{{- if .Incomplete}}
<p class="incomplete">Incomplete: the run stopped before its duration, so the figures cover only part of it.</p>
{{- end}}
<p id="verdict" class="verdict {{.Verdict}}">{{.Headline}}</p>
{{- with .First}}
<p class="lead">Throttling started at <b>t={{.Time}}</b> on table <b>{{.Table}}</b>, {{if .Cluster}}at <b>{{.Cluster}}</b>{{else}}partition <b>{{.Partition}}</b>{{end}}: {{.Why}} (<code>{{.Reason}}</code>). <a href="#why">Why throttling happened</a></p>
{{- else}}
<p class="lead">No request was throttled.</p>
{{- end}}
</header>

<main>
<section id="thresholds-section">
<h2>Thresholds</h2>
{{- if .Thresholds}}
<table id="thresholds">
<thead><tr><th>metric</th><th>threshold</th><th class="num">value</th><th>verdict</th></tr></thead>
<tbody>
{{- range .Thresholds}}
<tr class="{{if .Passed}}pass{{else}}fail{{end}}"><td><code>{{.Name}}</code></td><td><code>{{.Expr}}</code></td><td class="num">{{.Value}}</td><td>{{if .Passed}}<span class="badge pass">pass</span>{{else}}<span class="badge fail">FAIL</span>{{with .Error}} {{.}}{{end}}{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>The scenario sets no thresholds, so the run cannot fail; add a <code>thresholds:</code> section to state its SLO.</p>
{{- end}}
</section>

<section id="requests-section">
<h2>Requests and latency</h2>
{{- with .Requests}}
<div class="figures">
<div class="figure"><span class="k">requests</span><span class="v" id="requests-total">{{.Total}}</span></div>
<div class="figure"><span class="k">succeeded</span><span class="v"><span id="requests-succeeded">{{.Succeeded}}</span> <small>{{.SucceededPct}}</small></span></div>
<div class="figure"><span class="k">throttled (gave up)</span><span class="v"><span id="requests-throttled">{{.Throttled}}</span> <small id="throttled-ratio">{{.ThrottledPct}}</small></span></div>
<div class="figure"><span class="k">errors</span><span class="v"><span id="requests-errors">{{.Errors}}</span> <small>{{.ErrorsPct}}</small></span></div>
<div class="figure"><span class="k">throttle events</span><span class="v" id="throttle-events">{{.ThrottleEvents}}</span></div>
<div class="figure"><span class="k">retries</span><span class="v" id="retries">{{.Retries}}</span></div>
</div>
{{- end}}
<p>A request is <i>throttled</i> when every attempt was throttled and the client gave up; <i>throttle events</i> count every throttled attempt, retries included.</p>
{{- if .Cost}}
<p>Cost: <b id="cost">{{.Cost}}</b> (the cost plot breaks it down).</p>
{{- end}}
{{- if .ErrorsByKind}}
<p>Errors by kind:{{range $i, $e := .ErrorsByKind}}{{if $i}},{{end}} <code>{{$e.Name}}</code> {{$e.Count}}{{end}}.</p>
{{- end}}
<h3>Client latency</h3>
{{- with .Latency}}
<div class="figures">
<div class="figure"><span class="k">p50</span><span class="v" id="p50">{{.P50}}</span></div>
<div class="figure"><span class="k">p90</span><span class="v" id="p90">{{.P90}}</span></div>
<div class="figure"><span class="k">p99</span><span class="v" id="p99">{{.P99}}</span></div>
<div class="figure"><span class="k">p99.9</span><span class="v" id="p999">{{.P999}}</span></div>
<div class="figure"><span class="k">max</span><span class="v" id="max">{{.Max}}</span></div>
<div class="figure"><span class="k">mean</span><span class="v" id="mean">{{.Mean}}</span></div>
</div>
{{- end}}
<p>From a request's first attempt to its final response, retries and backoff included.</p>
</section>

<section id="operations-section">
<h2>Operations</h2>
{{- if .Operations}}
<div class="wide"><table id="operations">
<thead><tr><th>operation</th><th class="num">count</th><th class="num">p50 ms</th><th class="num">p90 ms</th><th class="num">p99 ms</th><th class="num">p99.9 ms</th><th class="num">max ms</th><th class="num">mean ms</th></tr></thead>
<tbody>
{{- range .Operations}}
<tr>{{range $i, $c := .}}{{if $i}}<td class="num">{{$c}}</td>{{else}}<td><code>{{$c}}</code></td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p>No request finished.</p>
{{- end}}
</section>

{{- /* Per-workload results: a self-contained block, shown when the run has more than one workload. */}}
{{- if .Workloads}}
<section id="workloads-section">
<h2>Workloads</h2>
<div class="wide"><table id="workloads">
<thead><tr><th>workload</th><th class="num">requests</th><th class="num">throttled</th><th class="num">p50 ms</th><th class="num">p99 ms</th><th class="num">retries</th></tr></thead>
<tbody>
{{- range .Workloads}}
<tr>{{range $i, $c := .}}{{if $i}}<td class="num">{{$c}}</td>{{else}}<td><code>{{$c}}</code></td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table></div>
</section>
{{- end}}

<section id="tables-section">
<h2>Tables</h2>
{{- if .Tables}}
<div class="wide"><table id="tables">
<thead>
<tr><th rowspan="2">table</th><th rowspan="2">mode</th><th rowspan="2" class="num">partitions</th><th colspan="4" class="group">read units (RCU/s)</th><th colspan="4" class="group">write units (WCU/s)</th><th rowspan="2" class="num">throttled</th></tr>
<tr><th class="num">mean</th><th class="num">peak</th><th class="num">provisioned</th><th class="num">at end</th><th class="num">mean</th><th class="num">peak</th><th class="num">provisioned</th><th class="num">at end</th></tr>
</thead>
<tbody>
{{- range .Tables}}
<tr><td>{{if .Of}}<b>{{.Name}}</b> <small>(index of {{.Of}})</small>{{else}}<b>{{.Name}}</b>{{with .Note}} <small>({{.}})</small>{{end}}{{end}}</td><td>{{.Mode}}</td><td class="num">{{.Partitions}}</td><td class="num">{{.RCUMean}}</td><td class="num">{{.RCUPeak}}</td><td class="num">{{.RCUProv}}</td><td class="num">{{.RCUFinal}}</td><td class="num">{{.WCUMean}}</td><td class="num">{{.WCUPeak}}</td><td class="num">{{.WCUProv}}</td><td class="num">{{.WCUFinal}}</td><td class="num">{{.ThrottledPct}}</td></tr>
{{- end}}
</tbody>
</table></div>
<p>Consumed against capacity: a peak at or above what is provisioned is where burst credit, then throttling, comes in. <i>At end</i> is the capacity in effect when the run ended (after auto scaling and scheduled changes; for on-demand, what the table absorbs at once).</p>
{{- if .Throttles}}
<h3>Throttle events by reason</h3>
<table id="throttles">
<thead><tr><th>table</th><th>reason</th><th class="num">events</th></tr></thead>
<tbody>
{{- range .Throttles}}{{$t := .Table}}
{{- range $i, $r := .Reasons}}
<tr><td>{{if not $i}}<b>{{$t}}</b>{{end}}</td><td><code>{{$r.Name}}</code></td><td class="num">{{$r.Count}}</td></tr>
{{- end}}
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}
</section>

{{- with .Cache}}

<section id="cache-section">
<h2>DAX cache</h2>
<div class="figures">
<div class="figure"><span class="k">hit rate</span><span class="v" id="cache-hit-rate">{{.HitRate}}</span></div>
<div class="figure"><span class="k">item cache</span><span class="v" id="cache-item-hit-rate">{{.ItemHitRate}}</span></div>
<div class="figure"><span class="k">query cache</span><span class="v" id="cache-query-hit-rate">{{.QueryHitRate}}</span></div>
<div class="figure"><span class="k">stale reads</span><span class="v" id="cache-stale">{{.Stale}}</span></div>
<div class="figure"><span class="k">throttled by DAX</span><span class="v" id="cache-throttled">{{.Throttled}}</span></div>
<div class="figure"><span class="k">read units saved</span><span class="v" id="cache-saved-rcu">{{.SavedRCU}}</span></div>
</div>
<div class="figures">
<div class="figure"><span class="k">hit p50</span><span class="v" id="cache-hit-p50">{{.HitP50}}</span></div>
<div class="figure"><span class="k">hit p99</span><span class="v" id="cache-hit-p99">{{.HitP99}}</span></div>
<div class="figure"><span class="k">miss p50</span><span class="v" id="cache-miss-p50">{{.MissP50}}</span></div>
<div class="figure"><span class="k">miss p99</span><span class="v" id="cache-miss-p99">{{.MissP99}}</span></div>
</div>
<p>{{.Hits}} lookups hit and {{.Misses}} missed. A <i>stale read</i> is a hit that served data the table had since changed: writes do not invalidate the query cache. Latency is the client's, for requests whose last attempt hit or missed.</p>
<div class="wide"><table id="cache-clusters">
<thead><tr><th>cluster</th><th>node type</th><th class="num">nodes</th><th>tables</th><th class="num">hit rate</th><th class="num">capacity/s</th><th class="num">peak load/s</th><th class="num">peak use</th></tr></thead>
<tbody>
{{- range .Clusters}}
<tr><td><b>{{.Name}}</b></td><td>{{.NodeType}}</td><td class="num">{{.Nodes}}</td><td>{{.Tables}}</td><td class="num">{{.HitRate}}</td><td class="num">{{.Capacity}}</td><td class="num">{{.PeakLoad}}</td><td class="num">{{.PeakUtilization}}</td></tr>
{{- end}}
</tbody>
</table></div>
<p>Load is normalized as DAX sizing counts it: 1 per KB read from a cache, 10 per KB of a miss, 25 per KB written times the nodes. A cluster over its capacity throttles (<code>DAXThrottlingException</code>).</p>
</section>
{{- end}}

{{- if .Streams}}

<section id="streams-section">
<h2>Streams</h2>
<div class="wide"><table id="streams">
<thead><tr><th>table</th><th>consumer</th><th class="num">records</th><th class="num">processed</th><th class="num">lost</th><th class="num">retried batches</th><th class="num">read units</th><th class="num">max iterator age</th><th class="num">at end</th></tr></thead>
<tbody>
{{- range .Streams}}
<tr><td><b>{{.Table}}</b></td><td>{{.Consumer}}</td><td class="num">{{.Records}}</td><td class="num">{{.Processed}}</td><td class="num">{{.Lost}}</td><td class="num">{{.Retries}}</td><td class="num">{{.ReadUnits}}</td><td class="num">{{.MaxAge}}</td><td class="num">{{.FinalAge}}</td></tr>
{{- end}}
</tbody>
</table></div>
<p>The <i>iterator age</i> is how old the oldest record a consumer had not yet processed was: how far it lagged behind the writes. A record still unprocessed after 24 hours leaves the stream and is <i>lost</i>. Read units are GetRecords calls: billed for an application reading the stream, free for a Lambda trigger.</p>
</section>
{{- end}}

{{- with .Replication}}

<section id="replication-section">
<h2>Global tables</h2>
<div class="figures">
<div class="figure"><span class="k">replication lag p50</span><span class="v" id="replication-lag-p50">{{.LagP50}}</span></div>
<div class="figure"><span class="k">lag p99</span><span class="v" id="replication-lag-p99">{{.LagP99}}</span></div>
<div class="figure"><span class="k">lag max</span><span class="v" id="replication-lag-max">{{.LagMax}}</span></div>
<div class="figure"><span class="k">replicated writes</span><span class="v" id="replicated-writes">{{.Writes}}</span></div>
<div class="figure"><span class="k">conflicts</span><span class="v" id="replication-conflicts">{{.Conflicts}}</span></div>
<div class="figure"><span class="k">stale reads</span><span class="v"><span id="replication-stale-read-ratio">{{.StaleRatio}}</span> <small>{{.StaleReads}} of {{.Reads}}</small></span></div>
<div class="figure"><span class="k">unreplicated at outage</span><span class="v" id="replication-unreplicated">{{.Unreplicated}}</span></div>
<div class="figure"><span class="k">availability, lowest 5 min</span><span class="v" id="availability-min">{{.AvailabilityMin}}</span></div>
</div>
<p>Each write replicates to every other replica after the lag; concurrent writes to one item resolve last writer wins, so each <i>conflict</i> overwrote one update ({{.Overwritten}} in all). A <i>stale read</i> read a replica's copy of an item another region had written since. Writes <i>unreplicated at outage</i> were in flight from a region when it went down. Availability is measured over 5-minute intervals as the SLA measures it (1 - requests that failed unavailable over requests ended); {{.BelowSLA}} of {{.Intervals}} intervals fell below the 99.999% a global table's SLA promises.</p>
</section>
{{- end}}

<section id="why">
<h2>Why throttling happened</h2>
{{- with .First}}
<div class="first" id="first-throttle">
<h3>The first throttle</h3>
<dl>
<dt>when</dt><dd><span class="big">t=<span id="first-throttle-time">{{.Time}}</span></span> into the run</dd>
{{- if .Cluster}}
<dt>where</dt><dd>table <span id="first-throttle-table">{{.Table}}</span>, <span class="big" id="first-throttle-cluster">{{.Cluster}}</span> (no partition: the cluster refused it before the table saw it)</dd>
{{- else}}
<dt>where</dt><dd>table <span id="first-throttle-table">{{.Table}}</span>, <span class="big">partition <span id="first-throttle-partition">{{.Partition}}</span></span>{{with .Partitions}} of {{.}}{{end}} (hashes <span class="mono">{{.Hashes}}</span>)</dd>
{{- end}}
<dt>request</dt><dd><code>{{.Op}}</code></dd>
<dt>why</dt><dd>{{.Why}} (the limit reached: <span id="first-throttle-limit">{{.Limit}}</span>)</dd>
<dt>reason returned</dt><dd><code id="first-throttle-reason">{{.Reason}}</code></dd>
</dl>
<p class="why" id="first-throttle-explanation">{{.Sentence}}</p>
</div>
{{- else}}
<p class="calm" id="no-throttles">No request was throttled: every attempt found capacity.</p>
{{- end}}
{{- if .Others}}
<h3>The first throttle of each other kind</h3>
<ol class="explanations" id="explanations">
{{- range .Others}}
<li>{{.}}</li>
{{- end}}
</ol>
{{- end}}
{{- if .First}}
<p>Each sentence says which limit stopped the request and what the partition and the table had left at that moment. In the plots below, the capacity plot shows consumption against the capacity in effect and the burst credit left; the heat map shows how close each partition came to its hard ceiling.</p>
{{- end}}
</section>

<section id="capacity-events-section">
<h2>Capacity events</h2>
{{- if .CapacityEvents}}
<div class="wide"><table id="capacity-events">
<thead><tr><th class="num">time</th><th>table</th><th>event</th><th>cause</th><th class="num">RCU</th><th class="num">WCU</th><th class="num">partitions</th></tr></thead>
<tbody>
{{- range .CapacityEvents}}
<tr><td class="num">t={{.Time}}</td><td>{{.Table}}</td><td>{{.Kind}}</td><td>{{.Cause}}</td><td class="num">{{.RCU}}</td><td class="num">{{.WCU}}</td><td class="num">{{.Partitions}}</td></tr>
{{- end}}
</tbody>
</table></div>
{{- else}}
<p id="capacity-events">No capacity or partition changed during the run.</p>
{{- end}}
{{- if .CapacityRange}}
<h3>Capacity over the run</h3>
<div class="wide"><table id="capacity-range">
<thead>
<tr><th rowspan="2">table</th><th rowspan="2">mode</th><th colspan="4" class="group">read capacity (RCU/s)</th><th colspan="4" class="group">write capacity (WCU/s)</th></tr>
<tr><th class="num">at start</th><th class="num">lowest</th><th class="num">peak</th><th class="num">at end</th><th class="num">at start</th><th class="num">lowest</th><th class="num">peak</th><th class="num">at end</th></tr>
</thead>
<tbody>
{{- range .CapacityRange}}
<tr><td><b>{{.Table}}</b></td><td>{{.Mode}}</td><td class="num">{{.RCUStart}}</td><td class="num">{{.RCUMin}}</td><td class="num">{{.RCUPeak}}</td><td class="num">{{.RCUEnd}}</td><td class="num">{{.WCUStart}}</td><td class="num">{{.WCUMin}}</td><td class="num">{{.WCUPeak}}</td><td class="num">{{.WCUEnd}}</td></tr>
{{- end}}
</tbody>
</table></div>
<p>The capacity in effect, sampled each step: provisioned, moved by auto scaling and scheduled changes, or for on-demand what the table absorbs at once.</p>
{{- end}}
{{- if .HotPartitions}}
<h3>Hot partitions</h3>
<ul class="events" id="hot-partitions">
{{- range .HotPartitions}}
<li>Table <b>{{.Table}}</b>: partition <b>{{.Partition}}</b>{{with .Partitions}} of {{.}}{{end}} was the busiest, at {{.Load}} of its hard ceiling at t={{.Time}}{{with .Hashes}} (hashes <span class="mono">{{.}}</span>){{end}}.</li>
{{- end}}
</ul>
<p>The result keeps no keys, so the hot key is named by its partition: the one that came closest to 3,000 read or 1,000 write units a second; its hash range is given when one of its throttles was kept. A partition number is the one it had then: a split renumbers the partitions after it.</p>
{{- end}}
</section>

{{- if .Plots}}

<section id="plots">
<h2>Plots</h2>
{{- if $.Charts}}
<p class="chart-hint">Drag across a time chart to zoom into that range, double-click to zoom out; the legend under it shows the values under the cursor, and a click on a legend entry hides or shows its line. Printed, and without JavaScript, the report shows the static figures.</p>
{{- end}}
{{- range .Plots}}
<figure id="{{.ID}}">
<h3>{{.Title}}</h3>
<figcaption>{{.Caption}}</figcaption>
{{- if .Chart}}
<div class="chart" id="chart-{{.ID}}" data-name="{{.ID}}"></div>
<script type="application/json" class="chart-data" data-target="chart-{{.ID}}">{{.Chart}}</script>
<div class="static">{{.SVG}}</div>
{{- else}}
{{.SVG}}
{{- end}}
</figure>
{{- end}}
</section>
{{- end}}
</main>

{{- with .Charts}}
<script id="uplot">{{.UPlot}}</script>
<script id="charts">{{.Charts}}</script>
{{- end}}
<footer>Written by ddbsim from a simulated run: the same scenario and seed give the same report.</footer>
</body>
</html>
`
