// Charts for the pages that have them. Data comes from <script type="application/json"> blocks
// written by the server (never from HTML), and every chart has a table beside it with the same
// numbers, each a link. Clicking a chart opens the moves it counts, as the table's links do.
(function () {
  "use strict";

  function data(el) {
    return JSON.parse(document.getElementById(el.dataset.source).textContent);
  }

  function movesUrl(filter) {
    const params = new URLSearchParams();
    Object.keys(filter).forEach(function (key) {
      if (filter[key]) { params.append(key, filter[key]); }
    });
    return "/moves?" + params.toString();
  }

  function sankey(el) {
    const flow = data(el);
    const chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      series: [{
        type: "sankey",
        data: flow.nodes.map(function (n) { return { name: n.name, org: n.org, side: n.side }; }),
        links: flow.links,
        nodeAlign: "justify",
        emphasis: { focus: "adjacency" },
        lineStyle: { color: "gradient", curveness: 0.5 },
        label: { color: "#1d2430" },
      }],
    });
    // A flow opens its moves; a node opens the moves it sums (the organization's page is a link in the table).
    chart.on("click", function (params) {
      if (params.dataType === "edge" && params.data.filter) {
        window.location.href = movesUrl(params.data.filter);
      } else if (params.dataType === "node") {
        const touching = flow.links.filter(function (l) {
          return l.source === params.data.name || l.target === params.data.name;
        });
        if (params.data.side === "center") {
          window.location.href = movesUrl({ org: flow.org, since: flow.since, until: flow.until });
        } else if (touching.length === 1) {
          window.location.href = movesUrl(touching[0].filter);
        }
      }
    });
    return chart;
  }

  // A bar chart: one category per x value, one series per name; a click opens link(series, index).
  function bars(el, categories, series, link) {
    const chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { data: series.map(function (s) { return s.name; }) },
      xAxis: { type: "category", data: categories },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) { return { name: s.name, type: s.type || "bar", data: s.data }; }),
    });
    if (link) {
      chart.on("click", function (params) {
        const url = link(params.seriesName, params.dataIndex);
        if (url) { window.location.href = url; }
      });
    }
    return chart;
  }

  function trend(el) {
    const periods = data(el);
    const org = el.dataset.org;
    const sides = { joined: ["to", "move"], left: ["from", "move"], founded: ["to", "founding"] };
    return bars(el, periods.map(function (p) { return p.period; }), [
      { name: "joined", data: periods.map(function (p) { return p.joined; }) },
      { name: "left", data: periods.map(function (p) { return p.left; }) },
      { name: "founded", data: periods.map(function (p) { return p.founded; }) },
      { name: "net", type: "line", data: periods.map(function (p) { return p.net; }) },
    ], function (name, index) {
      const side = sides[name];
      if (!side) { return null; }
      const p = periods[index];
      const filter = { kind: side[1], since: p.since, until: p.until };
      filter[side[0]] = org;
      return movesUrl(filter);
    });
  }

  function netflow(el) {
    const quarters = data(el);
    const a = el.dataset.a, b = el.dataset.b;
    const ab = a + " → " + b, ba = b + " → " + a;
    return bars(el, quarters.map(function (q) { return q.quarter; }), [
      { name: ab, data: quarters.map(function (q) { return q.a_to_b; }) },
      { name: ba, data: quarters.map(function (q) { return q.b_to_a; }) },
    ], function (name, index) {
      const q = quarters[index];
      const there = name === ab;
      return movesUrl({ from: there ? a : b, to: there ? b : a, kind: "move", since: q.since, until: q.until,
                        undated: q.since ? null : "include" });
    });
  }

  function cohort(el) {
    const counts = data(el);
    return bars(el, ["left", "stayed (reported)", "no reports", "founded"],
      [{ name: "members", data: [counts.left, counts.stayed, counts.no_reports, counts.founded] }]);
  }

  const kinds = { sankey: sankey, trend: trend, netflow: netflow, cohort: cohort };
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    const chart = kinds[el.dataset.chart](el);
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "true";
  });
})();
