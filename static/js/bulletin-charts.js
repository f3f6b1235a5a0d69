/* Draws the bulletin's month-by-month charts (and the indicator page's years) with the vendored ECharts.
   Data comes from the json_script element "bulletin-charts", so no inline script is needed
   and a strict Content-Security-Policy can forbid them. Each chart has its data table beside it. */
(function () {
  "use strict";
  var source = document.getElementById("bulletin-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(source.textContent).charts || [];
  var drawn = [];
  charts.forEach(function (chart, index) {
    var node = document.querySelector('[data-chart="' + index + '"]');
    if (!node) { return; }
    var instance = echarts.init(node, null, { renderer: "svg" });
    instance.setOption({
      // The accessible description is the figures themselves (metrics/present.py chart_description).
      aria: { enabled: true, label: { description: chart.description }, decal: { show: true } },
      animation: false,
      color: chart.colors || ["#0b5d3b", "#8895a3"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      // Every month label shown (print too); bars start at zero so their lengths compare, concentrations
      // (chart.kind "line") are drawn as lines on a scaled axis.
      xAxis: { type: "category", data: chart.months, axisLabel: { interval: 0, fontSize: 10 } },
      yAxis: { type: "value", name: chart.unit, scale: chart.kind === "line", min: chart.kind === "line" ? null : 0 },
      series: chart.series.map(function (s, i) {
        return {
          name: s.name,
          type: chart.kind === "line" ? "line" : (i === 0 ? "bar" : "line"),
          data: s.data.map(function (v) { return v === null ? null : Number(v); }),
          connectNulls: false,
          label: { show: i === 0, position: "top", fontSize: 10 }
        };
      })
    });
    node.setAttribute("data-drawn", "true");
    drawn.push(instance);
  });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { drawn.forEach(function (c) { c.resize(); }); });
})();
