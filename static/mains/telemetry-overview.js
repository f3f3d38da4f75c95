// Alarms overview (Apache ECharts): open alarms per grid, one stacked bar per alarm kind.
// The data comes from the page as JSON (json_script); a click on a bar jumps to the grid.
(function () {
  const source = document.getElementById("alarm-chart-data");
  const el = document.getElementById("alarm-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = {
    burst: "#dc3545", night_flow: "#6f42c1", low_pressure: "#fd7e14", household_usage: "#0d6efd",
  };
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        const i = items[0].dataIndex;
        const lines = items.filter(function (it) { return it.value; }).map(function (it) {
          return it.marker + it.seriesName + ": " + it.value;
        });
        return [data.grids[i] + " " + data.names[i]].concat(lines).join("<br>");
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.grids, axisLabel: { interval: 0, rotate: data.grids.length > 12 ? 45 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "alarms", data: s.data, itemStyle: { color: colours[s.kind] } };
    }),
  });
  chart.on("click", function (params) {
    const target = document.getElementById("grid-" + (data.grids[params.dataIndex] || "none"));
    if (target) target.scrollIntoView({ behavior: "smooth" });
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
