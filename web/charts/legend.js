// The HTML legend every chart gets in place of Chart.js's canvas legend (a plugin registered
// once, so no chart module needs to know), and the canvas legend drawn only while a PNG is
// copied, so a downloaded image still says which line is which.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  // ---- The HTML legend ----
  // A list of toggle buttons under each chart (after its .chart-box), built from the chart's
  // datasets on every update. Each swatch draws the line's colour, width and dash pattern
  // and its marker, which Chart.js's canvas legend (with usePointStyle) hides although the
  // captions rely on them ("dashed", "dotted"); each entry is a real button, reachable with
  // Tab, toggled with Enter or Space, its state in aria-pressed. A dataset without a label
  // belongs to the labelled entry before it (a median line's quartile band, the second
  // whisker), except the lower edge of a band that has a label of its own, which belongs to
  // that band; toggling an entry hides or shows its whole group.
  const legends = new WeakMap();  // chart -> {list, key}

  function legendGroups(datasets) {
    const owner = [];
    datasets.forEach((ds, i) => {
      const next = datasets[i + 1];
      if (ds.label) owner[i] = i;
      else if (next && next.label && next.fill === '-1') owner[i] = i + 1;
      else owner[i] = i > 0 ? owner[i - 1] : -1;
    });
    return datasets.map((ds, i) => (ds.label ? { index: i, members: owner.flatMap((o, j) => (o === i ? [j] : [])) } : null))
      .filter(Boolean);
  }

  // What the swatch shows, from Chart.js's resolved options (falling back to the dataset's).
  function swatchStyle(chart, i) {
    const ds = chart.data.datasets[i];
    const meta = chart.getDatasetMeta(i);
    let line = null;
    let point = {};
    try {
      if (meta.dataset && ds.showLine !== false) line = meta.controller.getStyle(undefined);
      point = meta.controller.getStyle(0) || {};
    } catch (e) { /* drawn from the dataset's own properties */ }
    const colour = (line && line.borderColor) || point.borderColor || ds.borderColor || '#888';
    const lineWidth = line ? Number(line.borderWidth) || 0 : 0;
    const radius = typeof point.radius === 'number' ? point.radius : 0;
    return {
      colour: String(colour),
      fill: String(ds.backgroundColor || colour),
      width: Math.min(lineWidth, 3),
      dash: line && Array.isArray(line.borderDash) ? line.borderDash.join(' ') : '',
      marker: radius > 0 ? String(point.pointStyle || 'circle') : '',
      markerColour: String(point.borderColor || colour),
    };
  }

  // The swatch is a small canvas drawn the way Chart.js draws the line, so the dash pattern
  // is the chart's own. data-dash names the pattern (the tests read it).
  function drawSwatch(style) {
    const ratio = Math.max(1, Math.ceil(window.devicePixelRatio || 1));
    const canvas = document.createElement('canvas');
    canvas.className = 'legend-swatch';
    canvas.width = 36 * ratio;
    canvas.height = 14 * ratio;
    canvas.setAttribute('aria-hidden', 'true');
    canvas.dataset.dash = style.dash;
    const ctx = canvas.getContext('2d');
    ctx.scale(ratio, ratio);
    if (style.width > 0) {
      ctx.strokeStyle = style.colour;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dash ? style.dash.split(' ').map(Number) : []);
      ctx.beginPath();
      ctx.moveTo(1, 7);
      ctx.lineTo(35, 7);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = style.markerColour;
    ctx.strokeStyle = style.markerColour;
    ctx.lineWidth = 2;
    const shape = (points) => {
      ctx.beginPath();
      points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath();
      ctx.fill();
    };
    if (style.marker === 'rectRot') shape([[18, 2], [23, 7], [18, 12], [13, 7]]);
    else if (style.marker === 'triangle') shape([[18, 2], [23.5, 12], [12.5, 12]]);
    else if (style.marker === 'rect') shape([[13.5, 2.5], [22.5, 2.5], [22.5, 11.5], [13.5, 11.5]]);
    else if (style.marker === 'dash') {
      ctx.beginPath();
      ctx.moveTo(11, 7);
      ctx.lineTo(25, 7);
      ctx.stroke();
    } else if (style.marker) {
      ctx.beginPath();
      ctx.arc(18, 7, 4, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (!(style.width > 0) && !style.marker) {
      ctx.fillStyle = style.fill;
      ctx.fillRect(1, 2, 34, 10);
    }
    return canvas;
  }

  function renderLegend(chart) {
    const box = chart.canvas.closest ? chart.canvas.closest('.chart-box') : null;
    if (!box) return;  // a chart outside the page (warmUp)
    let state = legends.get(chart);
    if (!state) {
      const list = document.createElement('ul');
      list.className = 'chart-legend';
      list.setAttribute('aria-label', 'Lines in this chart: press one to hide or show it');
      box.insertAdjacentElement('afterend', list);
      state = { list: list, key: '' };
      legends.set(chart, state);
    }
    const datasets = chart.data.datasets;
    const entries = legendGroups(datasets).map((g) => Object.assign(g, { style: swatchStyle(chart, g.index) }));
    const key = JSON.stringify(entries.map((e) => [e.index, datasets[e.index].label, e.members, e.style]));
    if (key !== state.key) {
      const focused = state.list.contains(document.activeElement) ? document.activeElement.dataset.dataset : null;
      state.list.replaceChildren();
      for (const e of entries) {
        const button = state.list.appendChild(document.createElement('li')).appendChild(document.createElement('button'));
        button.type = 'button';
        button.dataset.dataset = String(e.index);
        button.appendChild(drawSwatch(e.style));
        button.appendChild(document.createElement('span')).textContent = datasets[e.index].label;
        button.addEventListener('click', () => {
          const show = !chart.isDatasetVisible(e.index);
          for (const m of e.members) chart.setDatasetVisibility(m, show);
          chart.update('none');
        });
      }
      state.key = key;
      if (focused !== null) {
        const again = state.list.querySelector('[data-dataset="' + focused + '"]');
        if (again) again.focus();
      }
    }
    for (const button of state.list.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(chart.isDatasetVisible(Number(button.dataset.dataset))));
    }
  }

  const htmlLegend = {
    id: 'htmlLegend',
    afterUpdate: renderLegend,
    afterDestroy(chart) {
      const state = legends.get(chart);
      if (state) state.list.remove();
      legends.delete(chart);
    },
  };
  Chart.register(htmlLegend);

  // Chart.js's legend items, with a line (its dash and width) for each dataset that draws
  // one and a square for a band, instead of the point marker alone.
  function canvasLegendLabels(chart) {
    return Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
      const s = swatchStyle(chart, item.datasetIndex);
      if (s.width > 0) Object.assign(item, { pointStyle: 'line', strokeStyle: s.colour, lineWidth: s.width, lineDash: s.dash ? s.dash.split(' ').map(Number) : [] });
      else if (!s.marker) Object.assign(item, { pointStyle: 'rect', fillStyle: s.fill, lineWidth: 0 });
      return item;
    });
  }

  // For a downloaded PNG: each chart's legend drawn in its canvas while `copy` takes the
  // pixels, then removed. All synchronous, so the page never paints it.
  function withCanvasLegends(charts, copy) {
    const show = (on) => charts.forEach((chart) => { chart.options.plugins.legend.display = on; chart.update('none'); });
    show(true);
    try {
      return copy();
    } finally {
      show(false);
    }
  }

  ns.chartLegend = {
    canvasLegendLabels: canvasLegendLabels,
    withCanvasLegends: withCanvasLegends,
    legendGroups: legendGroups,
    htmlLegend: htmlLegend,
  };
})();
