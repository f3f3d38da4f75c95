// Meter and alarm pages (Apache ECharts): flow and pressure over the chosen window, alarms
// shaded, and on an alarm's page its onset and its confirmation marked. The data comes as JSON (json_script).
(function () {
  const source = document.getElementById("meter-chart-data");
  const el = document.getElementById("meter-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const labels = JSON.parse(document.getElementById("meter-chart-labels").textContent);
  const flowLabel = data.flow_unit === "L/h" ? labels.flow_lh : labels.flow;
  const series = [
    {
      name: flowLabel, type: "line", showSymbol: false, data: data.flow, connectNulls: false,
      markLine: data.onset ? {
        symbol: "none", lineStyle: { color: "#dc3545", width: 2 },
        label: { position: "insideEndTop" },
        data: [{ xAxis: data.onset, label: { formatter: labels.onset || "" } }].concat(
          data.confirmed ? [{
            xAxis: data.confirmed, label: { formatter: labels.confirmed || "" },
            lineStyle: { color: "#fd7e14", type: "dashed", width: 2 },
          }] : []
        ),
      } : undefined,
      markArea: {
        itemStyle: { color: "rgba(220, 53, 69, 0.15)" },
        data: data.alarms.map(function (a) {
          return [{ name: a.kind, xAxis: a.from }, { xAxis: a.to }];
        }),
      },
    },
  ];
  const yAxis = [{ type: "value", name: flowLabel, min: 0 }];
  if (data.pressure.length) {
    series.push({
      name: labels.pressure, type: "line", yAxisIndex: 1, showSymbol: false, data: data.pressure,
      markLine: data.service_pressure_mpa === null ? undefined : {
        symbol: "none", lineStyle: { type: "dashed", color: "#fd7e14" },
        data: [{ yAxis: data.service_pressure_mpa, name: labels.service }],
      },
    });
    yAxis.push({ type: "value", name: labels.pressure, min: 0, splitLine: { show: false } });
  }
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 40, containLabel: true },
    dataZoom: [{ type: "inside" }, { type: "slider", height: 20, bottom: 8 }],
    xAxis: { type: "time", min: data.start, max: data.end },
    yAxis: yAxis,
    series: series,
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
