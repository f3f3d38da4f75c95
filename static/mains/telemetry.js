// Meter and alarm pages (Apache ECharts): flow and pressure over the chosen window, alarms
// shaded, and on an alarm's page its onset marked. The data comes as JSON (json_script).
(function () {
  const source = document.getElementById("meter-chart-data");
  const el = document.getElementById("meter-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(document.getElementById("meter-chart-labels").textContent);
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 40, containLabel: true },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 20, bottom: 8 }],
    xAxis: { type: "time", min: data.start, max: data.end },
    yAxis: [
      { type: "value", name: labels.flow, min: 0 },
      { type: "value", name: labels.pressure, min: 0, splitLine: { show: false } },
    ],
    series: [
      {
        name: labels.flow, type: "line", showSymbol: false, data: data.flow, connectNulls: false,
        markLine: data.onset ? {
          symbol: "none", lineStyle: { color: "#dc3545", width: 2 },
          label: { formatter: labels.onset || "", position: "insideEndTop" },
          data: [{ xAxis: data.onset }],
        } : undefined,
        markArea: {
          itemStyle: { color: "rgba(220, 53, 69, 0.15)" },
          data: data.alarms.map(function (a) {
            return [{ name: a.kind, xAxis: a.from }, { xAxis: a.to }];
          }),
        },
      },
      {
        name: labels.pressure, type: "line", yAxisIndex: 1, showSymbol: false, data: data.pressure,
        markLine: {
          symbol: "none", lineStyle: { type: "dashed", color: "#fd7e14" },
          data: [{ yAxis: data.service_pressure_mpa, name: labels.service }],
        },
      },
    ],
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
