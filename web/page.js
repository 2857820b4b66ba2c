// Page-level behaviour that is not an experiment: the message banner for adjusted URL
// values, embed mode (?embed=), the "open the full lesson" and share links, the instructors'
// embed snippets and their copy buttons, the skip link's focus, and the height report to a
// parent frame.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const HEIGHT_MESSAGE = 'rnn-lesson:height';

  function showMessages(messages) {
    const box = document.getElementById('url-messages');
    const list = document.getElementById('url-messages-list');
    if (!messages.length) return;
    list.replaceChildren();
    for (const m of messages) list.appendChild(document.createElement('li')).textContent = m;
    box.hidden = false;
    document.getElementById('url-messages-close').addEventListener('click', () => { box.hidden = true; });
  }

  function showFatal(text) {
    const box = document.getElementById('fatal');
    box.textContent = text;
    box.hidden = false;
  }

  // Shows only the sections of `embed` (a list of experiments), in its order, compactly;
  // `null` shows the whole lesson.
  function applyLayout(embed) {
    document.body.classList.toggle('embedded', Boolean(embed));
    const sections = Array.from(document.querySelectorAll('[data-experiment]'));
    for (const section of sections) {
      section.hidden = Boolean(embed) && embed.indexOf(section.dataset.experiment) < 0;
    }
    for (const part of document.querySelectorAll('[data-lesson-only]')) part.hidden = Boolean(embed);
    document.getElementById('embed-bar').hidden = !embed;
    if (!embed) return;
    // The sections are siblings in lesson order: put the shown ones in the address's order.
    const marker = document.createComment(' embedded experiments ');
    sections[0].before(marker);
    for (const experiment of embed) marker.before(document.getElementById('experiment-' + experiment));
    for (const experiment of embed) {
      // Compact: the explanation folds away behind a summary line.
      const explain = document.querySelector('#experiment-' + experiment + ' .explain');
      const fold = document.createElement('details');
      fold.className = 'explain-fold';
      fold.appendChild(document.createElement('summary')).textContent = 'What this experiment measures';
      explain.replaceWith(fold);
      fold.appendChild(explain);
    }
  }

  function pageUrl(query) {
    return location.href.split(/[?#]/)[0] + query;
  }

  // The address the instructors' snippets embed: this page's own when it is served over
  // http(s); opened from disk (file://) no host could frame it, so a placeholder the
  // instructor replaces, and a note saying so.
  const PLACEHOLDER_URL = 'https://YOUR-SITE.example/rnn-lesson/index.html';
  function embedBase() {
    return /^https?:$/.test(location.protocol) ? location.href.split(/[?#]/)[0] : null;
  }

  const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  // One experiment's snippet: the iframe and the listener that sizes it to its content.
  function snippet(experiment, url) {
    const id = 'rnn-lesson-' + experiment;
    const heading = document.querySelector('#experiment-' + experiment + ' h2');
    const name = heading ? heading.cloneNode(true) : null;
    if (name) for (const num of name.querySelectorAll('.exp-num')) num.remove();
    const title = 'Why recurrence struggles at scale: ' + (name ? name.textContent.trim() : experiment);
    return '<iframe id="' + id + '" src="' + escapeAttribute(url) + '"\n' +
      '        title="' + escapeAttribute(title) + '"\n' +
      '        width="100%" height="900" style="border:0"></iframe>\n' +
      '<script>\n' +
      '  // The lesson posts {type: \'' + HEIGHT_MESSAGE + '\', height, experiment} whenever its content\n' +
      '  // changes; this sizes the frame to fit, so it never scrolls inside.\n' +
      '  addEventListener(\'message\', function (e) {\n' +
      '    var frame = document.getElementById(\'' + id + '\');\n' +
      '    var height = e.data && e.data.type === \'' + HEIGHT_MESSAGE + '\' && Number(e.data.height);\n' +
      '    if (frame && e.source === frame.contentWindow && height > 0 && height < 100000)\n' +
      '      frame.style.height = Math.ceil(height) + \'px\';\n' +
      '  });\n' +
      '</' + 'script>';
  }

  // Keeps the links that carry the state current.
  function updateLinks(fullQuery, lessonQuery) {
    const full = document.getElementById('open-full');
    if (full) full.href = pageUrl(lessonQuery);
    const share = document.getElementById('share-url');
    if (share) share.value = pageUrl(fullQuery);
    const base = embedBase();
    const note = document.getElementById('snippet-placeholder-note');
    if (note) note.hidden = Boolean(base);
    for (const code of document.querySelectorAll('[data-role="snippet-placeholder"]')) code.textContent = PLACEHOLDER_URL;
    const snippets = Array.from(document.querySelectorAll('[data-embed-snippet]'));
    const experiments = snippets.map((code) => code.dataset.embedSnippet);
    for (const code of snippets) {
      const experiment = code.dataset.embedSnippet;
      // Only the settings this experiment reads: its own keys and the page-wide ones.
      const own = (lessonQuery || '').replace(/^\?/, '').split('&').filter((part) => {
        const key = decodeURIComponent(part.split('=')[0]);
        const scope = key.indexOf('predict.') === 0 ? key.slice(8) : key.split('.')[0];
        return part && (scope === experiment || experiments.indexOf(scope) < 0);
      });
      const query = '?' + own.concat(['embed=' + experiment]).join('&');
      code.textContent = snippet(experiment, (base || PLACEHOLDER_URL) + query);
    }
  }

  // Copy buttons (data-copy = the id of the element whose text they copy): the Clipboard
  // API where the browser allows it, else the text is selected and copied the old way; if
  // that fails too it stays selected and the status line says to press Ctrl+C.
  async function copyText(button) {
    const source = document.getElementById(button.dataset.copy);
    const status = document.getElementById('copy-status');
    if (!source) return;
    const text = source.textContent;
    let copied = false;
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        await navigator.clipboard.writeText(text);
        copied = true;
      }
    } catch (e) { /* refused (permissions, insecure context): fall back */ }
    if (!copied) {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    }
    if (status) {
      status.textContent = copied ? 'Copied: ' + button.dataset.copyName + '.'
        : 'The browser did not allow copying; the snippet is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
    }
  }

  // The skip link moves focus, not only the view: to its target's heading (made focusable).
  function followSkipLink(link, event) {
    const target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target || target.hidden) return;
    event.preventDefault();
    const focusable = target.querySelector('h2') || target;
    if (!focusable.hasAttribute('tabindex')) focusable.setAttribute('tabindex', '-1');
    focusable.focus();
    target.scrollIntoView({ block: 'start' });
  }

  document.addEventListener('click', (event) => {
    const el = event.target instanceof Element ? event.target : null;
    const copy = el && el.closest('button[data-copy]');
    if (copy) copyText(copy);
    const skip = el && el.closest('a.skip-link');
    if (skip) followSkipLink(skip, event);
  });

  // Reports the content height to a parent frame on load and whenever it may have changed.
  // Chromium throttles rendering in cross-origin frames outside the viewport, and
  // ResizeObserver and animation frames are part of rendering: a frame below the fold that
  // relied on them sent only its first height. So the page's own events trigger a report
  // too (every DOM change, through a MutationObserver; <details> opening or closing; resize;
  // load; fonts), and each report measures layout directly
  // (getBoundingClientRect forces it, throttled or not). Only a changed height is posted.
  function reportHeight(experiment) {
    if (window.parent === window) return;
    let last = -1;
    let timer = 0;
    const post = () => {
      timer = 0;
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: HEIGHT_MESSAGE, height: height, experiment: experiment }, '*');
    };
    const soon = () => { if (!timer) timer = setTimeout(post, 30); };
    post();
    if (typeof ResizeObserver === 'function') new ResizeObserver(soon).observe(document.body);
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    document.addEventListener('toggle', soon, true);  // <details>; toggle does not bubble
    window.addEventListener('resize', soon);
    window.addEventListener('load', soon);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
  }

  ns.page = {
    showMessages: showMessages,
    showFatal: showFatal,
    applyLayout: applyLayout,
    updateLinks: updateLinks,
    reportHeight: reportHeight,
  };
})();
