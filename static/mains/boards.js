// Notice-board coverage by grid (Apache ECharts): installed boards against missing ones.
(function () {
  const source = document.getElementById("board-chart-data");
  const el = document.getElementById("board-chart");
  if (!source || !el || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.grids, axisLabel: { rotate: data.grids.length > 12 ? 45 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: el.dataset.installed, type: "bar", stack: "boards", data: data.installed, itemStyle: { color: "#198754" } },
      { name: el.dataset.missing, type: "bar", stack: "boards", data: data.missing, itemStyle: { color: "#dc3545" } },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
