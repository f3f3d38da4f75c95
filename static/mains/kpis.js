// KPI charts (Apache ECharts): orders per day by category, the SLA compliance trend and
// the top communities. The data comes from the page as JSON (json_script).
(function () {
  const source = document.getElementById("kpi-charts-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  const grid = { left: 8, right: 32, top: 48, bottom: 8, containLabel: true };

  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  draw("chart-orders", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { type: "scroll", top: 0 },
    grid: grid,
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: data.categories.map(function (category) {
      return {
        name: category.name, type: "bar", stack: "orders", data: category.data,
        emphasis: { focus: "series" },
      };
    }),
  });

  draw("chart-sla", {
    tooltip: { trigger: "axis", valueFormatter: percent },
    legend: { top: 0 },
    grid: grid,
    xAxis: { type: "category", data: data.days, boundaryGap: false },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.text.acceptance, type: "line", data: data.acceptance, smooth: false },
      { name: data.text.closure, type: "line", data: data.closure, smooth: false },
    ],
  });

  draw("chart-communities", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category", inverse: true,
      data: data.communities.map(function (c) { return c.name; }),
    },
    series: [{
      name: data.text.orders, type: "bar",
      data: data.communities.map(function (c) { return c.value; }),
      label: { show: true, position: "right" },
    }],
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
