/* Draws the bulletin's month-by-month charts with the vendored ECharts.
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
      aria: { enabled: true, decal: { show: true } },
      animation: false,
      color: ["#0b5d3b", "#8895a3"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: chart.months },
      yAxis: { type: "value", name: chart.unit, scale: true },
      series: chart.series.map(function (s, i) {
        return {
          name: s.name,
          type: i === 0 ? "bar" : "line",
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
