// Interactive charts of a ddbsim report: each script element of class chart-data
// holds a figure's buckets as JSON; this draws them with uPlot into the
// element its data-target names. Drag across a chart to zoom into that
// range, double-click to zoom back out; the legend shows the values under
// the cursor, and a click on a legend entry hides or shows its line (a
// capacity far above consumption starts hidden). Nothing here reaches the
// network.
(function () {
	"use strict";
	if (typeof uPlot === "undefined") {
		return;
	}
	var root = document.documentElement;
	root.className += " js";

	function pad(n) { return (n < 10 ? "0" : "") + n; }
	// clock formats seconds as the report does: 45s, 16m57s, 2h05m00s.
	function clock(s) {
		if (s == null) { return "–"; }
		s = Math.floor(s + 1e-9); // truncated, as the report's own times are
		var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
		if (h > 0) { return h + "h" + pad(m) + "m" + pad(sec) + "s"; }
		if (m > 0) { return sec === 0 ? m + "m" : m + "m" + pad(sec) + "s"; }
		return sec + "s";
	}
	function num(v) {
		if (v == null) { return "–"; }
		var a = Math.abs(v);
		if (a >= 1000) { return Math.round(v).toLocaleString("en-US"); }
		if (a >= 100) { return v.toFixed(0); }
		if (a >= 10) { return v.toFixed(1); }
		if (a >= 1) { return v.toFixed(2); }
		return v.toPrecision(3);
	}
	// timeSteps are the time axis's tick steps, in seconds: round ones.
	var timeSteps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
	var markerColors = {
		"throttling started": "#c00020",
		"capacity changed": "#333333",
		"partition split": "#7b3fa0"
	};

	// drawMarkers draws the run's markers as dashed vertical lines.
	function drawMarkers(markers) {
		return function (u) {
			var ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
			ctx.save();
			ctx.lineWidth = 1.5 * devicePixelRatio;
			ctx.setLineDash([5 * devicePixelRatio, 3 * devicePixelRatio]);
			markers.forEach(function (m) {
				var min = u.scales.x.min, max = u.scales.x.max;
				if (m.t_s < min || m.t_s > max) { return; }
				var x = Math.round(u.valToPos(m.t_s, "x", true));
				ctx.strokeStyle = markerColors[m.kind] || "#333333";
				ctx.beginPath();
				ctx.moveTo(x, top);
				ctx.lineTo(x, bottom);
				ctx.stroke();
			});
			ctx.restore();
		};
	}

	var charts = [];
	var nodes = document.querySelectorAll("script.chart-data");
	for (var i = 0; i < nodes.length; i++) {
		var el = nodes[i];
		var d = JSON.parse(el.textContent);
		var box = document.getElementById(el.getAttribute("data-target"));
		if (!box || !d.x || d.x.length === 0) { continue; }
		var series = [{ label: "time", value: function (u, v) { return clock(v); } }];
		var data = [d.x];
		d.series.forEach(function (s) {
			series.push({
				label: s.label,
				show: !s.hidden,
				stroke: s.color,
				fill: s.fill ? s.color + "40" : undefined,
				width: 1.25,
				paths: uPlot.paths.stepped({ align: 1 }),
				value: function (u, v) { return num(v); }
			});
			data.push(s.values);
		});
		var markers = d.markers || [];
		var opts = {
			width: Math.max(box.clientWidth, 320),
			height: 300,
			series: series,
			scales: {
				x: { time: false },
				y: d.log ? { distr: 3 } : { range: function (u, lo, hi) { return [0, hi > 0 ? hi * 1.05 : 1]; } }
			},
			axes: [
				{ incrs: timeSteps, space: 70, values: function (u, vals) { return vals.map(clock); } },
				{ label: d.ylabel, size: 60, values: function (u, vals) { return vals.map(num); } }
			],
			cursor: { drag: { x: true, y: false } },
			legend: { live: true },
			hooks: { draw: [drawMarkers(markers)] }
		};
		var u = new uPlot(opts, data, box);
		u.ddbsimName = box.getAttribute("data-name");
		charts.push(u);
		if (markers.length > 0) {
			var list = document.createElement("p");
			list.className = "chart-markers";
			var kinds = {};
			markers.forEach(function (m) { kinds[m.kind] = (kinds[m.kind] || []).concat("t=" + clock(m.t_s)); });
			Object.keys(kinds).forEach(function (k) {
				var item = document.createElement("span");
				var swatch = document.createElement("span");
				swatch.className = "swatch";
				swatch.style.borderColor = markerColors[k] || "#333333";
				item.appendChild(swatch);
				var times = kinds[k];
				item.appendChild(document.createTextNode(k + " " + (times.length > 4 ? times.slice(0, 4).join(", ") + " and " + (times.length - 4) + " more" : times.join(", "))));
				list.appendChild(item);
			});
			box.appendChild(list);
		}
	}
	// The charts follow the page's width.
	window.addEventListener("resize", function () {
		charts.forEach(function (u) {
			var w = Math.max(u.root.parentNode.clientWidth, 320);
			if (w !== u.width) { u.setSize({ width: w, height: 300 }); }
		});
	});
	window.ddbsimCharts = charts;
})();
