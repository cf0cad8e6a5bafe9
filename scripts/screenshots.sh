#!/usr/bin/env bash
# Retakes the screenshots in docs/ (docs/report.md shows them) with
# headless Chromium, from the built-in web-backend scenario:
#
#   docs/report.png         the top of report.html (the default 40 minutes)
#   docs/report-chart.png   its interactive latency chart, zoomed into the
#                           minutes around the first throttle, the cursor
#                           on a bucket and the legend showing its values
#   docs/compare.png        compare.html for on-demand, provisioned and
#                           reserved capacity (20 minutes)
#
#   CHROMIUM=path  the browser (default: chromium, chromium-browser or
#                  google-chrome, whichever is on PATH)
#
# The pages are the ones `ddbsim run --out` and `ddbsim compare --out`
# write; the chart's zoom and hover are done by a script appended to a
# copy of report.html, as cmd/ddbsim's browser test does them. Chromium
# runs with every host name unresolvable: the pages load nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	for b in chromium chromium-browser google-chrome; do
		if command -v "$b" >/dev/null; then browser=$b; break; fi
	done
fi
if [ -z "$browser" ]; then
	echo "screenshots.sh: no chromium on PATH (set CHROMIUM)" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ddbsim-shots.XXXXXX")
trap 'rm -rf "$work"' EXIT
go build -o "$work/ddbsim" ./cmd/ddbsim

# Exit status 1 is the scenario's failed thresholds, which the pages show.
"$work/ddbsim" run web-backend --quiet --out "$work/run" || [ $? -eq 1 ]
"$work/ddbsim" compare web-backend --duration 20m --modes on-demand,provisioned,reserved \
	--out "$work/compare" >/dev/null || [ $? -eq 1 ]

shot() { # shot PAGE OUT WIDTH,HEIGHT
	"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-color-profile=srgb \
		--no-first-run --disable-background-networking --disable-component-update --disable-sync \
		--host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=5000 \
		--user-data-dir="$work/profile" --window-size="$3" --screenshot="$2" "file://$1" 2>/dev/null
}

shot "$work/run/report.html" "$PWD/docs/report.png" 800,1390

# The latency chart alone: everything else hidden, zoomed into 15m-19m,
# the cursor near the right end of that range.
probe=$(cat <<'JS'
<script>
(function () {
	var keep = document.getElementById("plot-latency");
	document.querySelectorAll("header, main > section, footer").forEach(function (e) {
		if (!e.contains(keep)) { e.style.display = "none"; }
	});
	document.querySelectorAll("#plots > *").forEach(function (e) {
		if (e !== keep) { e.style.display = "none"; }
	});
	var u = window.ddbsimCharts.filter(function (c) { return c.ddbsimName === "plot-latency"; })[0];
	u.setSize({width: 860, height: 300});
	u.setScale("x", {min: 900, max: 1140});
	setTimeout(function () {
		u.setCursor({left: u.valToPos(1030, "x"), top: 150});
	}, 50);
})();
</script>
JS
)
page=$(cat "$work/run/report.html")
printf '%s\n' "${page/<\/body>/$probe</body>}" >"$work/run/chart.html"
shot "$work/run/chart.html" "$PWD/docs/report-chart.png" 960,620

shot "$work/compare/compare.html" "$PWD/docs/compare.png" 1000,1100
echo "wrote docs/report.png docs/report-chart.png docs/compare.png"
