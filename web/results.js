// One panel's outputs besides its charts: the panel itself (the page's <template>, stamped),
// the readout (figures), the claims beside the measurements, the data tables, and the CSV and
// PNG downloads. experiment.js decides when; this file only builds them, always as text nodes
// (nothing from a run is parsed as HTML).
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = ns.chartCommon;

  function cellText(v) {
    if (typeof v !== 'number') return String(v);
    return Number.isInteger(v) ? String(v) : c.sig(v, 4);
  }

  function csvText(table) {
    const quote = (v) => {
      const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
      return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return [table.columns].concat(table.rows).map((row) => row.map(quote).join(',')).join('\n') + '\n';
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // One data table: {caption, columns, rows} into a <table>.
  function fillTable(t, table) {
    t.replaceChildren();
    t.appendChild(document.createElement('caption')).textContent = table.caption;
    const head = t.appendChild(document.createElement('thead')).appendChild(document.createElement('tr'));
    for (const col of table.columns) {
      const th = head.appendChild(document.createElement('th'));
      th.scope = 'col';
      th.textContent = col;
    }
    const body = t.appendChild(document.createElement('tbody'));
    const fragment = document.createDocumentFragment();
    for (const row of table.rows) {
      const tr = fragment.appendChild(document.createElement('tr'));
      row.forEach((v, i) => {
        const cell = tr.appendChild(document.createElement(i === 0 ? 'th' : 'td'));
        if (i === 0) cell.scope = 'row';
        cell.textContent = cellText(v);
      });
    }
    body.appendChild(fragment);
  }

  // The readout: a <dl> of {label, value}.
  function fillReadout(readout, items) {
    readout.replaceChildren();
    for (const item of items) {
      const div = readout.appendChild(document.createElement('div'));
      div.appendChild(document.createElement('dt')).textContent = item.label;
      const dd = div.appendChild(document.createElement('dd'));
      dd.textContent = item.value;
      dd.classList.toggle('is-phrase', item.value.length > 16);
    }
  }

  // Each published result beside what this run measured: "<cite>: claim. Measured here: ...".
  function fillClaims(list, items) {
    list.replaceChildren();
    for (const item of items) {
      const li = list.appendChild(document.createElement('li'));
      li.appendChild(document.createElement('cite')).textContent = item.cite;
      li.appendChild(document.createTextNode(': ' + item.claim + ' '));
      const measured = li.appendChild(document.createElement('span'));
      measured.className = 'measured';
      measured.appendChild(document.createElement('strong')).textContent = 'Measured here: ';
      measured.appendChild(document.createTextNode(item.measured));
    }
  }

  // One PNG: the single chart, or every chart of the panel stacked on one background,
  // each with its legend drawn in (the page shows the legends as HTML).
  // charts: the panel's Chart.js charts; canvases: theirs. done(blob | null).
  function pngBlob(charts, canvases, done) {
    ns.chartLegend.withCanvasLegends(charts, () => pngBlobOf(canvases, done));
  }
  function pngBlobOf(canvases, done) {
    if (canvases.length === 1) {
      canvases[0].toBlob(done, 'image/png');
      return;
    }
    const out = document.createElement('canvas');
    out.width = Math.max.apply(null, canvases.map((cv) => cv.width));
    out.height = canvases.reduce((sum, cv) => sum + cv.height, 0);
    const ctx = out.getContext('2d');
    ctx.fillStyle = c.readTheme().surface || '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    let y = 0;
    for (const cv of canvases) {
      ctx.drawImage(cv, 0, y);
      y += cv.height;
    }
    out.toBlob(done, 'image/png');
  }

  // Fills `section` (its heading, prose and figures) with the panel of the page's template; the
  // words that differ between experiments come from its file's `panel`: {busy, figures (the
  // readout's label), tables (one label per data table), csv (one button label per table, when
  // several), claims (a list of published results), waiting (the notice before a run)}.
  function stampPanel(section, words) {
    const p = words.panel;
    const panel = document.getElementById('panel-template').content.firstElementChild.cloneNode(true);
    const find = (selector) => panel.querySelector(selector);
    find('[data-role="busy"] label').prepend(p.busy + ' ');
    const figures = section.querySelector('[data-slot="figures"]');
    find('[data-role="readout"]').before(...figures.children);
    figures.remove();
    find('[data-role="readout"]').setAttribute('aria-label', p.figures);
    find('[data-role="notice"]').textContent = p.waiting || 'waiting for the first run…';
    if (!p.claims) find('.claims-box').remove();
    const png = find('[data-role="png"]');
    (p.csv || ['Download CSV']).forEach((text, i) => {
      const button = png.cloneNode(false);
      button.dataset.role = 'csv';
      if (p.csv) button.dataset.table = String(i);
      button.textContent = text;
      png.before(button);
    });
    const details = find('details.data');
    details.querySelector('summary').textContent = p.tables.length > 1 ? 'Data tables' : 'Data table';
    for (const name of p.tables) {
      const scroll = details.appendChild(document.createElement('div'));
      scroll.className = 'table-scroll';
      scroll.tabIndex = 0;
      scroll.setAttribute('role', 'region');
      scroll.setAttribute('aria-label', name);
      scroll.appendChild(document.createElement('table')).dataset.role = 'table';
    }
    section.appendChild(panel);
  }

  ns.results = { stampPanel: stampPanel, csvText: csvText, download: download, fillTable: fillTable, fillReadout: fillReadout, fillClaims: fillClaims,
    pngBlob: pngBlob };
})();
