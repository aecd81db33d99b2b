// The dyad timeline: events per period by quad class (stacked bars) and the mean PLOVER score (line, right
// axis), drawn by plotly.js from the data the page carries; a click on a point opens its events.
(function () {
  "use strict";
  var holder = document.getElementById("dyad-chart");
  var source = document.getElementById("dyad-data");
  if (!holder || !source || !window.Plotly) return;
  var data = JSON.parse(source.textContent);
  var colours = {"VERBAL COOPERATION": "#7fb3d5", "MATERIAL COOPERATION": "#1f618d",
                 "VERBAL CONFLICT": "#f0b27a", "MATERIAL CONFLICT": "#c0392b"};
  var classes = [];
  data.series.forEach(function (p) { if (classes.indexOf(p.quad_class) < 0) classes.push(p.quad_class); });
  var day = 86400000;
  // Each period is drawn across its whole span (plotly's x periods), so a single week still has a width.
  var period = {day: day, week: 7 * day, month: "M1"}[data.interval];
  var span = {day: day, week: 7 * day, month: 30.4 * day}[data.interval];  // bar widths are in ms
  // Half a period of margin on the left, one and a half on the right: a lone week still reads as a week.
  function xRange() {
    var starts = data.periods.map(function (p) { return Date.parse(p.period + "T00:00:00Z"); });
    var lo = Math.min.apply(null, starts) - span / 2, hi = Math.max.apply(null, starts) + 1.5 * span;
    return [new Date(lo).toISOString().slice(0, 10), new Date(hi).toISOString().slice(0, 10)];
  }
  var traces = classes.map(function (q) {
    var points = data.series.filter(function (p) { return p.quad_class === q; });
    return {type: "bar", name: q.toLowerCase(), x: points.map(function (p) { return p.period; }),
            y: points.map(function (p) { return p.events; }), marker: {color: colours[q] || "#888"},
            xperiod: period, xperiodalignment: "middle", width: 0.8 * span,
            customdata: points.map(function (p) { return [q, p.sources, p.mean_score]; }),
            hovertemplate: "%{x|%Y-%m-%d}: %{y} events<br>" + q.toLowerCase() + "<br>%{customdata[1]} sources<extra></extra>"};
  });
  traces.push({type: "scatter", mode: "lines+markers", name: "mean score", yaxis: "y2",
               x: data.periods.map(function (p) { return p.period; }), y: data.periods.map(function (p) { return p.mean_score; }),
               xperiod: period, xperiodalignment: "middle",
               line: {color: "#444", width: 1.5, dash: "dot"}, marker: {size: 8, color: "#444"},
               customdata: data.periods.map(function (p) { return ["", p.sources, p.events]; }),
               hovertemplate: "%{x|%Y-%m-%d}: mean score %{y}<br>%{customdata[2]} events<extra></extra>"});
  var layout = {margin: {t: 20, r: 60, b: 50, l: 50}, height: 380, legend: {orientation: "h", y: -0.2},
                barmode: "stack", bargap: 0.15,
                xaxis: {title: {text: data.interval}, type: "date", tickformat: "%Y-%m-%d", range: xRange(),
                        dtick: data.periods.length <= 12 ? period : undefined},
                yaxis: {title: {text: "events"}, rangemode: "tozero"},
                yaxis2: {title: {text: "mean score"}, overlaying: "y", side: "right", range: [-10.5, 10.5],
                         tickvals: [-10, -5, 0, 5, 10], zeroline: true, zerolinecolor: "#bbb", showgrid: false}};
  function periodEnd(start) {
    var d = new Date(start + "T00:00:00Z");
    if (data.interval === "month") { d.setUTCMonth(d.getUTCMonth() + 1); d = new Date(d.getTime() - day); }
    else if (data.interval === "week") { d = new Date(d.getTime() + 6 * day); }
    return d.toISOString().slice(0, 10);
  }
  Plotly.newPlot(holder, traces, layout, {displaylogo: false, responsive: true}).then(function () {
    holder.setAttribute("data-rendered", "true");
  });
  holder.on("plotly_click", function (event) {
    var point = event.points[0];
    var start = point.data.x[point.pointIndex];
    var params = new URLSearchParams({dyad: data.a + "," + data.b, date_from: start, date_to: periodEnd(start)});
    var q = point.customdata && point.customdata[0];
    if (q) params.set("quad_class", q.toLowerCase().replace(/ /g, "_"));
    window.location.href = "/events?" + params.toString();
  });
})();
