// tochuc — report charts with the vendored Chart.js. No inline scripts: each
// <canvas data-chart="KEY"> is drawn from the JSON objects in
// <script type="application/json" id="report-charts…">. This file may be included by several
// dashboard panels: it loads Chart.js once (from its data-chartjs attribute) and draws
// every canvas not drawn yet.
(function () {
  if (window.tochucCharts) {
    window.tochucCharts.draw();
    return;
  }
  function draw() {
    if (typeof Chart === "undefined") return;
    var specs = {};
    document.querySelectorAll("script[id^=report-charts]").forEach(function (source) {
      Object.assign(specs, JSON.parse(source.textContent || "{}"));
    });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.chart];
      if (!spec || canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      var datasets = spec.series
        ? spec.series.map(function (s) { return { label: s.label, data: s.values }; })
        : [{ label: spec.label, data: spec.values }];
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          locale: "vi-VN",
          plugins: {
            legend: spec.type === "pie"
              ? { position: "right", labels: { boxWidth: 10, font: { size: 10 } } }
              : { display: !!spec.series },
          },
          scales: spec.type === "pie" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
  }
  window.tochucCharts = { draw: draw };
  var me = document.currentScript;
  if (typeof Chart === "undefined" && me && me.dataset.chartjs) {
    var lib = document.createElement("script");
    lib.src = me.dataset.chartjs;
    lib.onload = draw;
    document.head.appendChild(lib);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSettle", draw);
})();
