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


  // ---- segments: <form data-add-leaf="#textarea"> appends {field, op, value} to the condition JSON ----
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-add-leaf')) return;
    e.preventDefault();
    var ta = document.querySelector(form.dataset.addLeaf);
    var op = form.elements.op.value;
    var raw = form.elements.value.value.trim();
    function typed(v) {
      if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
      if (v === 'true' || v === 'false') return v === 'true';
      return v;
    }
    var value = op === 'in' || op === 'nin' ? raw.split(',').map(function (x) { return typed(x.trim()); }).filter(function (x) { return x !== ''; })
      : op === 'exists' ? (raw === '' ? true : typed(raw)) : typed(raw);
    var leaf = { field: form.elements.field.value, op: op, value: value };
    var tree;
    try { tree = ta.value.trim() ? JSON.parse(ta.value) : null; } catch (err) { ta.setAttribute('aria-invalid', 'true'); ta.focus(); return; }
    if (!tree) tree = { all: [leaf] };
    else if (Array.isArray(tree.all)) tree.all.push(leaf);
    else tree = { all: [tree, leaf] };
    ta.value = JSON.stringify(tree, null, 2);
    ta.removeAttribute('aria-invalid');
  });
  // the operators a field allows (data-ops on its option)
  document.addEventListener('change', function (e) {
    var sel = e.target;
    if (!sel.matches || !sel.matches('form[data-add-leaf] select[name=field]')) return;
    var opt = sel.options[sel.selectedIndex];
    var ops = (opt && opt.dataset.ops ? opt.dataset.ops.split(',') : []);
    var opSel = sel.form.elements.op;
    Array.prototype.forEach.call(opSel.options, function (o) { o.hidden = ops.length > 0 && ops.indexOf(o.value) < 0; o.disabled = o.hidden; });
    if (opSel.selectedOptions[0] && opSel.selectedOptions[0].disabled) opSel.value = ops[0];
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


  // ---- BPMN (bpmn-js): <div data-bpmn-viewer="url" data-overlays='{"nodeId":{"running":n,"reached":m}}'>
  //      and <div data-bpmn-modeler="#textarea" data-palette='{"restricted":true,"steps":{"SendMessage":["template",...]}}'> ----
  var BPMN = '/webjars/bpmn-js/dist/';
  function bpmnCss() {
    css(BPMN + 'assets/diagram-js.css');
    css(BPMN + 'assets/bpmn-font/css/bpmn.css');
  }
  function countBadge(label, value, cls) {
    var span = document.createElement('span');
    span.className = cls;
    span.title = label;
    span.textContent = String(value);
    return span;
  }
  function renderViewers(root) {
    var els = root.querySelectorAll('[data-bpmn-viewer]');
    if (!els.length) return;
    bpmnCss();
    load(BPMN + 'bpmn-navigated-viewer.production.min.js').then(function () {
      els.forEach(function (el) {
        if (el.dataset.rendered) return;
        el.dataset.rendered = '1';
        var viewer = new window.BpmnJS({ container: el });
        fetch(el.dataset.bpmnViewer, { credentials: 'same-origin' })
          .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
          .then(function (xml) { return viewer.importXML(xml); })
          .then(function () {
            viewer.get('canvas').zoom('fit-viewport');
            var overlays = viewer.get('overlays');
            var registry = viewer.get('elementRegistry');
            var counts = JSON.parse(el.dataset.overlays || '{}');
            Object.keys(counts).forEach(function (id) {
              if (!registry.get(id)) return;
              var c = counts[id];
              var box = document.createElement('div');
              box.className = 'bpmn-count';
              box.setAttribute('data-node', id);
              box.appendChild(countBadge(el.dataset.labelRunning || 'running', c.running, 'bpmn-count-running'));
              box.appendChild(countBadge(el.dataset.labelReached || 'reached', c.reached, 'bpmn-count-reached'));
              overlays.add(id, 'caravan-count', { position: { bottom: 8, right: 8 }, html: box });
            });
            el.dataset.ready = '1';
          })
          .catch(function (err) { el.textContent = String(err); el.dataset.ready = 'error'; });
      });
    });
  }

  var STEP_ICONS = { SendMessage: '✉', WaitUntilLocalTime: 'T+', IssueCoupon: '%', AddTag: '+#', RemoveTag: '−#',
    Checkpoint: '✓', Goal: '★', ABSplit: 'A/B' };
  var KEEP = ['hand-tool', 'lasso-tool', 'space-tool', 'global-connect-tool', 'tool-separator', 'create.start-event',
    'create.intermediate-event', 'create.end-event', 'create.exclusive-gateway'];
  var KEEP_PAD = ['append.end-event', 'append.gateway', 'append.intermediate-event', 'connect', 'delete'];

  /** A bpmn-js module: the palette offers the journey steps (tasks with drools:taskName) and, when restricted, little else. */
  function caravanModule(conf) {
    function CaravanPalette(palette, create, elementFactory, contextPad) {
      palette.registerProvider(500, this);
      contextPad.registerProvider(500, this);
      this.getPaletteEntries = function () {
        return function (entries) {
          var out = {};
          Object.keys(entries).forEach(function (k) { if (!conf.restricted || KEEP.indexOf(k) >= 0) out[k] = entries[k]; });
          Object.keys(conf.steps).forEach(function (step) {
            function make(event) {
              var shape = elementFactory.createShape({ type: 'bpmn:Task' });
              shape.businessObject.name = step;
              shape.businessObject.$attrs['drools:taskName'] = step;
              create.start(event, shape);
            }
            out['create.caravan-' + step] = {
              group: 'activity', className: 'caravan-step', title: step,
              html: '<div class="entry caravan-step" draggable="true">' + (STEP_ICONS[step] || step.charAt(0)) + '</div>',
              action: { click: make, dragstart: make }
            };
          });
          return out;
        };
      };
      this.getContextPadEntries = function () {
        return function (entries) {
          if (!conf.restricted) return entries;
          var out = {};
          Object.keys(entries).forEach(function (k) { if (KEEP_PAD.indexOf(k) >= 0) out[k] = entries[k]; });
          return out;
        };
      };
    }
    CaravanPalette.$inject = ['palette', 'create', 'elementFactory', 'contextPad'];
    return { __init__: ['caravanPalette'], caravanPalette: ['type', CaravanPalette] };
  }

  function stepOf(bo) { return bo && bo.$attrs ? bo.$attrs['drools:taskName'] : null; }
  function readParams(bo) {
    var out = {};
    (bo.dataInputAssociations || []).forEach(function (a) {
      var target = a.targetRef;
      var asg = a.assignment && a.assignment[0];
      if (target && target.name && asg && asg.from) out[target.name] = asg.from.body;
    });
    return out;
  }
  function writeParam(moddle, bo, name, value) {
    var io = bo.ioSpecification;
    if (!io) {
      io = moddle.create('bpmn:InputOutputSpecification', {
        dataInputs: [], dataOutputs: [],
        inputSets: [moddle.create('bpmn:InputSet', { dataInputRefs: [] })],
        outputSets: [moddle.create('bpmn:OutputSet', { dataOutputRefs: [] })]
      });
      io.$parent = bo;
      bo.ioSpecification = io;
    }
    if (!io.dataInputs) io.dataInputs = [];
    var input = io.dataInputs.filter(function (d) { return d.name === name; })[0];
    if (!input) {
      input = moddle.create('bpmn:DataInput', { id: bo.id + '_' + name + 'In', name: name });
      input.$parent = io;
      io.dataInputs.push(input);
      if (!io.inputSets || !io.inputSets.length) io.inputSets = [moddle.create('bpmn:InputSet', { dataInputRefs: [] })];
      io.inputSets[0].dataInputRefs = io.inputSets[0].dataInputRefs || [];
      io.inputSets[0].dataInputRefs.push(input);
    }
    if (!bo.dataInputAssociations) bo.dataInputAssociations = [];
    var assoc = bo.dataInputAssociations.filter(function (a) { return a.targetRef === input; })[0];
    if (!assoc) {
      assoc = moddle.create('bpmn:DataInputAssociation', { targetRef: input });
      assoc.$parent = bo;
      bo.dataInputAssociations.push(assoc);
    }
    assoc.assignment = [moddle.create('bpmn:Assignment', {
      from: moddle.create('bpmn:FormalExpression', { body: value }),
      to: moddle.create('bpmn:FormalExpression', { body: input.id })
    })];
  }
  function field(panel, id, label, value, onChange) {
    var wrap = document.createElement('div');
    wrap.className = 'field';
    var l = document.createElement('label');
    l.htmlFor = id; l.textContent = label;
    var i = document.createElement('input');
    i.id = id; i.type = 'text'; i.value = value || ''; i.autocomplete = 'off';
    i.addEventListener('change', function () { onChange(i.value); });
    wrap.appendChild(l); wrap.appendChild(i);
    panel.appendChild(wrap);
  }
  /** Name and parameters of the selected journey step, the condition of a selected flow, the trigger of a start event. */
  function showProperties(modeler, selection, conf, panel, save, labels) {
    panel.innerHTML = '';
    panel.hidden = true;
    if (!selection || selection.length !== 1) return;
    var element = selection[0];
    var bo = element.businessObject;
    var moddle = modeler.get('moddle');
    var modeling = modeler.get('modeling');
    var h = document.createElement('h3');
    h.textContent = (stepOf(bo) || bo.$type.replace('bpmn:', '')) + ' · ' + bo.id;
    panel.appendChild(h);
    var shown = false;
    if (bo.$type !== 'bpmn:SequenceFlow') {
      field(panel, 'prop-name', labels.name, bo.name, function (v) { modeling.updateProperties(element, { name: v }); });
      shown = true;
    }
    var step = stepOf(bo);
    if (step && conf.steps[step]) {
      var values = readParams(bo);
      conf.steps[step].forEach(function (p) {
        field(panel, 'prop-' + p, (conf.labels && conf.labels[p] ? conf.labels[p] + ' (' + p + ')' : p), values[p],
          function (v) { writeParam(moddle, bo, p, v); save(); });
      });
    }
    if (bo.$type === 'bpmn:SequenceFlow' && bo.sourceRef && /Gateway$/.test(bo.sourceRef.$type)) {
      field(panel, 'prop-condition', labels.condition, bo.conditionExpression ? bo.conditionExpression.body : '', function (v) {
        modeling.updateProperties(element, { conditionExpression: v ? moddle.create('bpmn:FormalExpression', { body: v }) : undefined });
      });
      shown = true;
    }
    if (bo.$type === 'bpmn:StartEvent' && bo.eventDefinitions && bo.eventDefinitions[0] && bo.eventDefinitions[0].$type === 'bpmn:SignalEventDefinition') {
      var def = bo.eventDefinitions[0];
      field(panel, 'prop-trigger', labels.trigger, def.signalRef ? def.signalRef.name : '', function (v) {
        var definitions = modeler.getDefinitions();
        var signal = definitions.rootElements.filter(function (r) { return r.$type === 'bpmn:Signal' && r.name === v; })[0];
        if (!signal) {
          signal = moddle.create('bpmn:Signal', { id: v.replace(/[^A-Za-z0-9_]/g, '_'), name: v });
          signal.$parent = definitions;
          definitions.rootElements.unshift(signal);
        }
        def.signalRef = signal;
        save();
      });
      shown = true;
    }
    panel.hidden = !shown;
  }

  function renderModelers(root) {
    var els = root.querySelectorAll('[data-bpmn-modeler]');
    if (!els.length) return;
    bpmnCss();
    load(BPMN + 'bpmn-modeler.production.min.js').then(function () {
      els.forEach(function (el) {
        if (el.dataset.rendered) return;
        el.dataset.rendered = '1';
        var ta = document.querySelector(el.dataset.bpmnModeler);
        var conf = JSON.parse(el.dataset.palette || '{"restricted":true,"steps":{}}');
        var modeler = new window.BpmnJS({ container: el, additionalModules: [caravanModule(conf)] });
        var panel = document.getElementById('step-properties');
        var labels = { name: el.dataset.labelName || 'Name', condition: el.dataset.labelCondition || 'Condition',
          trigger: el.dataset.labelTrigger || 'Trigger' };
        function save() {
          modeler.saveXML({ format: true }).then(function (r) { ta.value = r.xml; });
        }
        modeler.importXML(ta.value).then(function () {
          modeler.get('canvas').zoom('fit-viewport');
          el.dataset.ready = '1';
        }).catch(function (err) { el.dataset.ready = 'error'; el.textContent = String(err); });
        modeler.on('commandStack.changed', save);
        modeler.on('selection.changed', function (e) {
          if (panel) showProperties(modeler, e.newSelection, conf, panel, save, labels);
        });
        ta.addEventListener('change', function () { modeler.importXML(ta.value); });
        var idInput = document.querySelector('[data-journey-id]');
        if (idInput) {
          idInput.addEventListener('change', function () {
            var v = idInput.value.trim();
            if (!/^[a-z0-9][a-z0-9-]*$/.test(v)) return;
            var rootEl = modeler.get('canvas').getRootElement();
            modeler.get('modeling').updateProperties(rootEl, { id: v, name: v });
          });
        }
      });
    });
  }

  function enhance(root) {
    renderViewers(root);
    renderModelers(root);
    renderCharts(root);
    renderEditors(root);
    markProblems(root);
  }
  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  document.addEventListener('htmx:afterSettle', function (e) { enhance(e.target); });
})();
