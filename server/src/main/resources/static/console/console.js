/* Caravan console: small progressive enhancements on top of server-rendered pages and htmx.
   No inline scripts anywhere (the Content-Security-Policy forbids them); everything is wired from data attributes. */
(function () {
  'use strict';

  // ---- the user's time zone, so the server formats times in it ----
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf('caravan_tz=' + encodeURIComponent(tz)) < 0) {
      document.cookie = 'caravan_tz=' + encodeURIComponent(tz) + ';path=/;max-age=31536000;samesite=lax';
    }
  } catch (e) { /* no Intl: times stay in UTC */ }

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute('content') : null;
  }
  var csrfToken = meta('_csrf');
  var csrfHeader = meta('_csrf_header') || 'X-CSRF-TOKEN';

  // ---- CSRF token on every htmx request that changes something ----
  document.addEventListener('htmx:configRequest', function (e) {
    if (csrfToken && e.detail.verb !== 'get') e.detail.headers[csrfHeader] = csrfToken;
  });

  // ---- confirmation for plain forms: <form data-confirm="..."> ----
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !form.hasAttribute('hx-post') && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
    }
  }, true);

  // ---- raw file uploads: <form data-upload data-target="#id"> posts the file itself as the body ----
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-upload')) return;
    e.preventDefault();
    var input = form.querySelector('input[type=file]');
    var file = input && input.files && input.files[0];
    var target = document.querySelector(form.dataset.target);
    if (!file) { input.focus(); return; }
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== 'file' && el.name !== '_csrf' && (el.type !== 'radio' || el.checked)) params.append(el.name, el.value);
    });
    params.set('filename', file.name);
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    var headers = { 'Content-Type': 'application/octet-stream', 'HX-Request': 'true' };
    if (csrfToken) headers[csrfHeader] = csrfToken;
    fetch(form.getAttribute('action') + '?' + params.toString(), { method: 'POST', body: file, headers: headers, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        target.innerHTML = html;
        if (window.htmx) window.htmx.process(target);
        enhance(target);
      })
      .catch(function (err) { target.textContent = String(err); })
      .finally(function () { if (button) button.disabled = false; });
  });

  // ---- decision-table grid: add and remove rows ----
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.matches && t.matches('[data-add-row]')) {
      var tbody = document.querySelector(t.dataset.addRow);
      var last = tbody.querySelector('tr:last-child');
      if (!last) return;
      var row = last.cloneNode(true);
      row.querySelectorAll('input').forEach(function (i) {
        if (!i.readOnly) i.value = '';
        i.removeAttribute('aria-invalid');
      });
      row.querySelectorAll('.field-error').forEach(function (n) { n.remove(); });
      tbody.appendChild(row);
      renumber(tbody);
      var first = row.querySelector('input:not([readonly])');
      if (first) first.focus();
    } else if (t.matches && t.matches('[data-remove-row]')) {
      var tr = t.closest('tr');
      var body = tr.parentNode;
      if (body.querySelectorAll('tr').length > 1) { tr.remove(); renumber(body); }
    } else if (t.matches && t.matches('[data-goto-line]')) {
      var cm = editors[t.dataset.editor];
      if (cm) {
        var line = parseInt(t.dataset.gotoLine, 10) - 1;
        cm.setCursor({ line: line, ch: 0 });
        cm.scrollIntoView({ line: line, ch: 0 }, 120);
        cm.focus();
      }
    }
  });
  function renumber(tbody) {
    tbody.querySelectorAll('tr').forEach(function (tr, r) {
      tr.querySelectorAll('input').forEach(function (i) {
        var label = i.getAttribute('aria-label');
        if (label) i.setAttribute('aria-label', label.replace(/\d+$/, String(r + 1)));
      });
      var n = tr.querySelector('.row-no');
      if (n) n.textContent = String(r + 1);
    });
  }

  // ---- scripts loaded on demand (only pages with charts or editors pay for them) ----
  var loading = {};
  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src; s.onload = resolve; s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }
  function css(href) {
    if (document.querySelector('link[href="' + href + '"]')) return;
    var l = document.createElement('link');
    l.rel = 'stylesheet'; l.href = href;
    document.head.appendChild(l);
  }

  // ---- charts: <div data-chart='{ECharts option as JSON}'> built on the server ----
  var charts = [];
  function renderCharts(root) {
    var els = root.querySelectorAll('[data-chart]');
    if (!els.length) return;
    load('/webjars/echarts/dist/echarts.min.js').then(function () {
      els.forEach(function (el) {
        if (el.dataset.rendered) return;
        el.dataset.rendered = '1';
        var chart = window.echarts.init(el, null, { renderer: 'canvas' });
        chart.setOption(JSON.parse(el.dataset.chart));
        charts.push(chart);
      });
    });
  }
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  // ---- code editors: <textarea data-editor="drl|yaml|text"> with lines marked from [data-problem-lines] ----
  var editors = {};
  function renderEditors(root) {
    var areas = root.querySelectorAll('textarea[data-editor]');
    if (!areas.length) return;
    var base = '/webjars/codemirror/';
    css(base + 'lib/codemirror.css');
    load(base + 'lib/codemirror.js').then(function () {
      return Promise.all([load(base + 'mode/clike/clike.js'), load(base + 'mode/yaml/yaml.js')]);
    }).then(function () {
      areas.forEach(function (ta) {
        if (editors[ta.id]) return;
        var mode = { drl: 'text/x-java', yaml: 'yaml' }[ta.dataset.editor] || null;
        var cm = window.CodeMirror.fromTextArea(ta, {
          mode: mode, lineNumbers: true, readOnly: ta.readOnly, indentUnit: 4, viewportMargin: 50,
          screenReaderLabel: ta.getAttribute('aria-label') || (ta.labels && ta.labels[0] ? ta.labels[0].textContent : ''),
          extraKeys: { Tab: false, 'Shift-Tab': false } // keep Tab for keyboard navigation between fields
        });
        cm.on('change', function () { cm.save(); clearMarks(cm); });
        editors[ta.id] = cm;
      });
      markProblems(document);
    });
  }
  function clearMarks(cm) {
    (cm.caravanMarked || []).forEach(function (h) { cm.removeLineClass(h, 'background', 'problem-line'); });
    cm.caravanMarked = [];
  }
  function markProblems(root) {
    root.querySelectorAll('[data-problem-lines]').forEach(function (list) {
      var cm = editors[list.dataset.editor];
      if (!cm) return;
      clearMarks(cm);
      JSON.parse(list.dataset.problemLines).forEach(function (line) {
        if (line > 0 && line <= cm.lineCount()) cm.caravanMarked.push(cm.addLineClass(line - 1, 'background', 'problem-line'));
      });
    });
  }

  function enhance(root) {
    renderCharts(root);
    renderEditors(root);
    markProblems(root);
  }
  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  document.addEventListener('htmx:afterSettle', function (e) { enhance(e.target); });
})();
