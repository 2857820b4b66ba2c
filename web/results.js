// One panel's outputs besides its charts: the panel itself (the page's <template>, stamped),
// the readout (figures), the claims beside the measurements, the data tables, and the CSV and
// PNG downloads. experiment.js decides when; this file only builds them, always as text nodes
// (nothing from a run is parsed as HTML). A download stands alone: its first lines (comment
// lines of a CSV, a text block above a PNG's chart) say what it is: the experiment's title, the
// settings of the run it shows, the page's version and the date (provenance()).
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = ns.chartCommon;

  function cellText(v) {
    if (typeof v !== 'number') return String(v);
    return Number.isInteger(v) ? String(v) : c.sig(v, 4);
  }

  // The lines a download starts with: the experiment's title (its heading), `settings` (text),
  // the page's version (the module's version(), which main.js shows) and the date and time.
  function provenance(heading, settings) {
    const oneLine = (text) => String(text).replace(/\s+/g, ' ').trim();
    const num = heading.querySelector('.exp-num');
    const rest = heading.cloneNode(true);
    for (const n of rest.querySelectorAll('.exp-num')) n.remove();
    const version = document.getElementById('core-version');
    return [(num ? oneLine(num.textContent) + ': ' : '') + oneLine(rest.textContent), 'Settings: ' + oneLine(settings),
      'Made by the lesson Why Recurrence Struggles at Scale, version ' + oneLine(version ? version.textContent : '?') +
      ', on ' + new Date().toISOString()];
  }

  // header: provenance() lines, written first as "# " comment lines (most CSV readers take
  // a comment character, e.g. pandas.read_csv(..., comment='#')).
  function csvText(table, header) {
    const quote = (v) => {
      const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
      return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    const comments = (header || []).map((line) => '# ' + line + '\n').join('');
    return comments + [table.columns].concat(table.rows).map((row) => row.map(quote).join(',')).join('\n') + '\n';
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

  // One PNG: the provenance() lines, then the panel's charts stacked on one background, each
  // with its legend drawn in (the page shows the legends as HTML).
  // charts: the panel's Chart.js charts; canvases: theirs; header: lines; done(blob | null).
  function pngBlob(charts, canvases, header, done) {
    ns.chartLegend.withCanvasLegends(charts, () => pngBlobOf(canvases, header, done));
  }

  // Splits `text` into lines no wider than `width` (canvas units) at spaces and commas.
  function wrap(ctx, text, width) {
    const lines = [];
    let line = '';
    for (const word of text.split(/(?<=[ ,])/)) {  // each piece keeps its space or comma
      if (line && ctx.measureText(line + word).width > width) {
        lines.push(line.trim());
        line = '';
      }
      line += word;
    }
    if (line.trim()) lines.push(line.trim());
    return lines;
  }

  function pngBlobOf(canvases, header, done) {
    const theme = c.readTheme();
    const scale = window.devicePixelRatio || 1;  // the charts' canvases are drawn at this ratio
    const width = Math.max.apply(null, canvases.map((cv) => cv.width));
    const pad = Math.round(12 * scale);
    const size = Math.round(13 * scale);
    const lineHeight = Math.round(size * 1.35);
    const measure = document.createElement('canvas').getContext('2d');
    const font = (bold) => (bold ? 'bold ' : '') + size + 'px ' + theme.font;
    const lines = [];
    header.forEach((text, i) => {
      measure.font = font(i === 0);
      for (const part of wrap(measure, text, width - 2 * pad)) lines.push({ text: part, bold: i === 0 });
    });
    const top = 2 * pad + lines.length * lineHeight;
    const out = document.createElement('canvas');
    out.width = width;
    out.height = top + canvases.reduce((sum, cv) => sum + cv.height, 0);
    const ctx = out.getContext('2d');
    ctx.fillStyle = theme.surface || '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = theme.text || '#000';
    ctx.textBaseline = 'top';
    lines.forEach((line, i) => {
      ctx.font = font(line.bold);
      ctx.fillText(line.text, pad, pad + i * lineHeight);
    });
    let y = top;
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

  // A panel's download buttons (disabled until its first run): each CSV button downloads the
  // table at its data-table index (default 0), a table's `file` naming the download when there
  // are several; PNG draws the panel's charts under the provenance lines.
  // o: {experiment, ui, drawn, drawNow() (makes and draws them now), canvases, provenance() -> lines,
  //     table(i) -> the shown run's table i or null}
  function wireDownloads(o) {
    o.ui.png.disabled = true;
    for (const button of o.ui.csv) {
      button.disabled = true;
      button.addEventListener('click', () => {
        const table = o.table(Number(button.dataset.table || 0));
        if (!table) return;
        const name = 'rnn-lesson-' + o.experiment + (table.file ? '-' + table.file : '') + '.csv';
        download(new Blob([csvText(table, o.provenance())], { type: 'text/csv' }), name);
      });
    }
    o.ui.png.addEventListener('click', () => {
      o.drawNow();
      pngBlob(o.drawn, o.canvases, o.provenance(), (blob) => { if (blob) download(blob, 'rnn-lesson-' + o.experiment + '.png'); });
    });
  }

  ns.results = { stampPanel: stampPanel, provenance: provenance, csvText: csvText, download: download, fillTable: fillTable, fillReadout: fillReadout, fillClaims: fillClaims,
    pngBlob: pngBlob, wireDownloads: wireDownloads };
})();
