// Page-level behaviour that is not an experiment: the message banner for adjusted URL
// values, embed mode (?embed=), the "open the full lesson" and share links, and the height
// report to a parent frame.
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

  // Shows only `embed`'s section, compactly; `null` shows the whole lesson.
  function applyLayout(embed) {
    document.body.classList.toggle('embedded', Boolean(embed));
    for (const section of document.querySelectorAll('[data-experiment]')) {
      section.hidden = Boolean(embed) && section.dataset.experiment !== embed;
    }
    for (const part of document.querySelectorAll('[data-lesson-only]')) part.hidden = Boolean(embed);
    document.getElementById('embed-bar').hidden = !embed;
    if (embed) {
      // Compact: the explanation folds away behind a summary line.
      const explain = document.querySelector('#experiment-' + embed + ' .explain');
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

  // Keeps the links that carry the state current.
  function updateLinks(fullQuery, lessonQuery) {
    const full = document.getElementById('open-full');
    if (full) full.href = pageUrl(lessonQuery);
    const share = document.getElementById('share-url');
    if (share) share.value = pageUrl(fullQuery);
    for (const code of document.querySelectorAll('[data-embed-snippet]')) {
      const experiment = code.dataset.embedSnippet;
      const query = lessonQuery ? lessonQuery + '&embed=' + experiment : '?embed=' + experiment;
      code.textContent = '<iframe src="' + pageUrl(query) + '" title="' + experiment +
        ' experiment: why recurrence struggles at scale" width="100%" height="900"></iframe>';
    }
  }

  // Reports the content height to a parent frame on load and whenever it changes.
  function reportHeight(experiment) {
    if (window.parent === window) return;
    let last = -1;
    let frame = 0;
    const post = () => {
      frame = 0;
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ type: HEIGHT_MESSAGE, height: height, experiment: experiment }, '*');
    };
    const soon = () => { if (!frame) frame = setTimeout(post, 30); };
    post();
    if (typeof ResizeObserver === 'function') new ResizeObserver(soon).observe(document.body);
    window.addEventListener('load', post);
  }

  ns.page = {
    showMessages: showMessages,
    showFatal: showFatal,
    applyLayout: applyLayout,
    updateLinks: updateLinks,
    reportHeight: reportHeight,
  };
})();
