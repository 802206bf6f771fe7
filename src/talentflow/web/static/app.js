// Charts for the pages that have them. Data comes from <script type="application/json"> blocks
// written by the server (never from HTML), and every chart has a table beside it with the same
// numbers for keyboards and screen readers.
(function () {
  "use strict";

  function data(el) {
    return JSON.parse(document.getElementById(el.dataset.source).textContent);
  }

  function sankey(el) {
    const flow = data(el);
    const chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      series: [{
        type: "sankey",
        data: flow.nodes.map(function (n) { return { name: n.name, org: n.org }; }),
        links: flow.links,
        nodeAlign: "justify",
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", curveness: 0.5 },
        label: { color: "#1d2430" },
      }],
    });
    chart.on("click", function (params) {
      if (params.dataType === "node" && params.data.org) {
        window.location.href = "/org/" + encodeURIComponent(params.data.org);
      }
    });
    return chart;
  }

  // A bar chart: one category per x value, one series per name.
  function bars(el, categories, series) {
    const chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: series.map(function (s) { return s.name; }) },
      xAxis: { type: "category", data: categories },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; }),
    });
    return chart;
  }

  function timeline(el) {
    const months = data(el);
    return bars(el, months.map(function (m) { return m.month; }), ["joined", "left", "founded"].map(function (key) {
      return { name: key, data: months.map(function (m) { return m[key]; }) };
    }));
  }

  function cohort(el) {
    const counts = data(el);
    return bars(el, ["left", "stayed (reported)", "no reports", "founded"],
      [{ name: "members", data: [counts.left, counts.stayed, counts.no_reports, counts.founded] }]);
  }

  const kinds = { sankey: sankey, timeline: timeline, cohort: cohort };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    const chart = kinds[el.dataset.chart](el);
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "true";
  });
})();
