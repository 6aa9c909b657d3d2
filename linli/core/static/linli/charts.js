// linli charts: every chart reads its data from a JSON script beside it and has a table
// with the same figures next to it, so nothing depends on the chart being drawn.
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 20, top: 40, bottom: 30 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: data.series.map(function (s) {
          return { name: s.name, type: s.type || "line", data: s.data, connectNulls: false };
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
