// Draws every chart on the page from the ECharts option the server wrote beside it, with
// ECharts' own toolbox for PNG export; shows the custom date fields only for a custom range.
"use strict";

function drawCharts() {
  if (!window.echarts) return;
  for (const element of document.querySelectorAll("[data-chart]")) {
    const source = document.getElementById(element.dataset.chart);
    if (!source) continue;
    const option = JSON.parse(source.textContent);
    compactValueAxes(option);
    option.toolbox = { right: 8, feature: { saveAsImage: { title: "PNG", name: element.dataset.name || "chart", pixelRatio: 2 } } };
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
    element.dataset.drawn = "true";
  }
}

// Rial totals run to billions: value axes read 7.5B rather than 7,500,000,000.
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
function compactValueAxes(option) {
  for (const name of ["xAxis", "yAxis"]) {
    for (const axis of [].concat(option[name] || [])) {
      if (axis.type === "value") axis.axisLabel = Object.assign({ formatter: (v) => compact.format(v) }, axis.axisLabel);
    }
  }
}

function customRange() {
  const preset = document.querySelector("select[name=preset]");
  const fields = document.querySelector(".custom-range");
  if (!preset || !fields) return;
  const show = () => { fields.hidden = preset.value !== "custom"; };
  preset.addEventListener("change", show);
  show();
}

document.addEventListener("DOMContentLoaded", () => {
  drawCharts();
  customRange();
});
