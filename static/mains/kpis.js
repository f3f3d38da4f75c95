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

  // Distinct, readable hues (Tableau 10) for the top categories; grey for "other".
  const palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#edc948",
    "#76b7b2", "#ff9da7", "#9c755f"];
  const otherColour = "#a0a0a0";
  const narrow = window.innerWidth < 600;

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  draw("chart-orders", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    // The top categories and "other" only: the legend fits, no paging.
    legend: { type: "plain", top: 0 },
    // The legend wraps onto more lines on a phone: leave it room.
    grid: Object.assign({}, grid, { top: narrow ? 112 : data.categories.length > 4 ? 64 : 48 }),
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: data.categories.map(function (category, n) {
      return {
        name: category.name, type: "bar", stack: "orders", data: category.data,
        itemStyle: { color: category.other ? otherColour : palette[n % palette.length] },
        emphasis: { focus: "series" },
      };
    }),
  });

  draw("chart-sla", {
    tooltip: { trigger: "axis", valueFormatter: percent },
    legend: { top: 0 },
    grid: grid,
    xAxis: { type: "category", data: data.days, boundaryGap: false },
    // From a little under the lowest day (data.sla_min, in fives) to 100 %: the days
    // between 90 and 100 % no longer share one flat line.
    yAxis: {
      type: "value", min: data.sla_min, max: 100, axisLabel: { formatter: "{value}%" },
    },
    series: [
      {
        name: data.text.acceptance, type: "line", data: data.acceptance, smooth: false,
        itemStyle: { color: palette[0] }, symbolSize: 6,
      },
      {
        name: data.text.closure, type: "line", data: data.closure, smooth: false,
        itemStyle: { color: palette[1] }, lineStyle: { type: "dashed" }, symbolSize: 6,
      },
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
