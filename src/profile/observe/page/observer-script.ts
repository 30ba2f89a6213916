/**
 * The observer page's script (plain browser JavaScript, inlined into the page by
 * observer-page.ts; no backquotes in it, it lives in a raw template string).
 *
 * Protocol with the server (observe-server.ts), in order:
 *   1. Read ?token= from the page's own address; every request below carries it.
 *   2. Open an EventSource on /events. `hello` gives the node name, the interval and the
 *      history (frames); each `frame` is appended (at most 600 kept here); `tree` replaces
 *      the supervision tree; `problem` shows its message in the header. On error the
 *      status becomes `lost` and EventSource reconnects by itself (the server's retry).
 *   3. After each frame: redraw the two SVG charts (one polyline per scheduler), the
 *      scheduler table (known columns, then every other numeric field of node.stats()
 *      generically: value and change per second between the last two frames), the
 *      microstate bars (a scheduler's sampled shares, or time fields of nested stats
 *      objects; one more bar per dirty pool thread), the actor
 *      table (sorted by the chosen column) and the nodes.
 *   4. A click on an actor row or a tree entry fetches /api/process?pid=... and shows it in
 *      #actor-info; an HTTP error is shown there with its status and text.
 * Erlang mapping: observer's wx event loop and its periodic refresh, in a browser.
 */
export const kObserverScript = String.raw`
(function () {
  'use strict';
  var token = new URLSearchParams(location.search).get('token');
  var q = function (path, extra) {
    var p = new URLSearchParams(extra || {});
    if (token) p.set('token', token);
    var s = p.toString();
    return path + (s ? '?' + s : '');
  };
  var $ = function (id) { return document.getElementById(id); };
  var colours = ['#4fb0ff', '#ffb300', '#66bb6a', '#ef5350', '#ab47bc', '#26c6da', '#d4e157', '#ff7043'];
  var frames = [];
  var sortKey = 'reductionsPerSec';
  var sortDesc = true;
  var selected = null;
  var kKeep = 600;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function pct(x) { return x === null || x === undefined ? '-' : (100 * x).toFixed(1) + '%'; }
  function num(x) {
    if (x === null || x === undefined) return '-';
    var a = Math.abs(x);
    if (a >= 1e9) return (x / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (x / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (x / 1e3).toFixed(1) + 'k';
    return Number.isInteger(x) ? String(x) : x.toFixed(1);
  }
  function bytes(x) {
    if (x >= 1048576) return (x / 1048576).toFixed(1) + 'MiB';
    if (x >= 1024) return (x / 1024).toFixed(1) + 'KiB';
    return x + 'B';
  }
  function colour(i) { return colours[i % colours.length]; }

  function setStatus(state, text) {
    $('status').setAttribute('data-state', state);
    $('status-text').textContent = text;
  }

  function drawLines(svg, series, maxY, label) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = 600, H = 160;
    for (var g = 1; g < 4; g++) svg.appendChild(svgEl('line', { x1: 0, x2: W, y1: H * g / 4, y2: H * g / 4, stroke: '#2a3642', 'stroke-width': 1 }));
    var n = frames.length;
    // At least 60 slots: a young history fills the chart from the right.
    var slots = Math.max(n, 60);
    var step = W / (slots - 1);
    svg.appendChild(svgEl('text', { x: 4, y: 12, fill: '#8899aa', 'font-size': 11 })).textContent = label(maxY);
    svg.appendChild(svgEl('text', { x: 4, y: H - 4, fill: '#8899aa', 'font-size': 11 })).textContent = '0';
    series.forEach(function (pts, i) {
      if (pts.length === 0) return;
      var d = [];
      for (var j = 0; j < pts.length; j++) {
        var v = pts[j];
        if (v === null || v === undefined) continue;
        var x = (slots - pts.length + j) * step;
        var y = H - Math.min(1, v / (maxY || 1)) * (H - 4) - 2;
        d.push(x.toFixed(1) + ',' + y.toFixed(1));
      }
      svg.appendChild(svgEl('polyline', { points: d.join(' '), fill: 'none', stroke: colour(i), 'stroke-width': 2, 'data-scheduler': i, 'vector-effect': 'non-scaling-stroke' }));
    });
    svg.setAttribute('data-samples', String(n));
    if (n > 0) svg.setAttribute('data-last-seq', String(frames[n - 1].seq));
  }

  function drawCharts() {
    var last = frames[frames.length - 1];
    var count = last.schedulers.length;
    var util = [], runq = [], peak = 0;
    for (var i = 0; i < count; i++) { util.push([]); runq.push([]); }
    frames.forEach(function (f) {
      for (var i = 0; i < count; i++) {
        var s = f.schedulers[i];
        util[i].push(s ? s.busy : null);
        runq[i].push(s ? s.runQueue : null);
        if (s && s.runQueue > peak) peak = s.runQueue;
      }
    });
    drawLines($('sched-chart'), util, 1, function () { return '100%'; });
    drawLines($('runq-chart'), runq, Math.max(4, peak), function (m) { return String(m); });
    $('runq-total').textContent = String(last.runQueueTotal);
    $('runq-peak').textContent = String(peak);
    var legend = $('sched-legend');
    legend.textContent = '';
    last.schedulers.forEach(function (s, i) {
      var sp = el('span', null, '\u25A0 scheduler ' + s.scheduler + ' ' + pct(s.busy) + (s.source === 'event-loop' ? ' (event loop)' : ''));
      sp.style.color = colour(i);
      legend.appendChild(sp);
    });
  }

  // Shown in their own columns, or a clock rather than a figure.
  var kKnownFields = { scheduler: 1, runQueue: 1, actors: 1, reductions: 1, updatedAt: 1 };

  function drawSchedTable() {
    var last = frames[frames.length - 1];
    var prev = frames.length > 1 ? frames[frames.length - 2] : null;
    var dt = prev ? (last.wallTime - prev.wallTime) / 1000 : 0;
    var thead = $('sched-table').tHead, tbody = $('sched-table').tBodies[0];
    thead.textContent = '';
    tbody.textContent = '';
    var hr = el('tr');
    ['scheduler', 'state', 'busy', 'spin', 'parked', 'run queue', 'actors', 'red/s', 'other stats (value, change/s)'].forEach(function (h, i) { hr.appendChild(el('th', i === 8 ? { class: 'l' } : null, h)); });
    thead.appendChild(hr);
    last.schedulers.forEach(function (s, i) {
      var tr = el('tr', { 'data-scheduler': s.scheduler, 'data-busy': s.busy === null ? '' : s.busy.toFixed(4) });
      [s.scheduler, s.state, pct(s.busy), pct(s.spin), pct(s.parked), s.runQueue, s.actors, num(s.reductionsPerSec)].forEach(function (v, j) {
        var td = el('td', j === 1 ? { class: 'l' } : null, v);
        if (j === 0) td.style.color = colour(i);
        tr.appendChild(td);
      });
      var before = prev && prev.schedulers[i] ? prev.schedulers[i].fields : null;
      var parts = [];
      Object.keys(s.fields).sort().forEach(function (k) {
        if (kKnownFields[k]) return;
        var v = s.fields[k];
        var rate = before && dt > 0 && typeof before[k] === 'number' ? (v - before[k]) / dt : null;
        parts.push(k + ' ' + num(v) + (rate === null || rate === 0 ? '' : ' (' + (rate > 0 ? '+' : '') + num(rate) + '/s)'));
      });
      tr.appendChild(el('td', { class: 'l muted fields', 'data-fields': Object.keys(s.fields).length }, parts.join(', ')));
      tbody.appendChild(tr);
    });
    drawMicrostates(last, prev);
  }

  // Microstates: a scheduler's sampled shares over the interval (frame.schedulers[i].msacc,
  // profile/msacc/shares.ts) when the node has them, else the time fields ("...Ms") of
  // nested stats objects ("group.stateMs"), split per interval; then one bar per dirty
  // pool thread (frame.dirty, profile/msacc/dirty-shares.ts).
  var kStates = ['actor', 'codec', 'ring', 'timers', 'housekeeping', 'spin', 'parked', 'idle'];
  function shareParts(m) {
    var parts = [];
    kStates.forEach(function (k) { if (typeof m.shares[k] === 'number') parts.push([k, m.shares[k]]); });
    return parts;
  }
  function microstateBar(label, attr, value, parts, gcMs) {
    var total = 0;
    parts.forEach(function (p) { total += p[1]; });
    var row = el('div');
    var text = label + ': ' + parts.filter(function (p) { return p[1] > 0; }).map(function (p) { return p[0] + ' ' + (total > 0 ? (100 * p[1] / total).toFixed(0) : 0) + '%'; }).join(', ');
    row.appendChild(el('div', { class: 'muted' }, gcMs === null ? text : text + ', gc ' + gcMs.toFixed(0) + ' ms'));
    var attrs = { class: 'bar' };
    attrs[attr] = value;
    var bar = el('div', attrs);
    parts.forEach(function (p, j) {
      var seg = el('div', { title: p[0], 'data-state': p[0] });
      seg.style.width = (total > 0 ? 100 * p[1] / total : 0) + '%';
      seg.style.background = colour(j);
      bar.appendChild(seg);
    });
    row.appendChild(bar);
    return row;
  }
  function drawMicrostates(last, prev) {
    var box = $('msacc'), bars = $('msacc-bars');
    if (!prev) return;
    bars.textContent = '';
    var any = false;
    last.schedulers.forEach(function (s, i) {
      if (s.msacc && s.msacc.shares) {
        any = true;
        bars.appendChild(microstateBar('scheduler ' + s.scheduler, 'data-scheduler', s.scheduler, shareParts(s.msacc), s.msacc.gcMs));
        return;
      }
      var before = prev.schedulers[i] ? prev.schedulers[i].fields : null;
      if (!before) return;
      var parts = [];
      Object.keys(s.fields).sort().forEach(function (k) {
        if (k.indexOf('.') < 0 || !/Ms$/.test(k) || typeof before[k] !== 'number') return;
        parts.push([k.slice(k.indexOf('.') + 1, -2), Math.max(0, s.fields[k] - before[k])]);
      });
      if (parts.length === 0) return;
      any = true;
      bars.appendChild(microstateBar('scheduler ' + s.scheduler, 'data-scheduler', s.scheduler, parts, null));
    });
    (last.dirty || []).forEach(function (d) {
      if (!d.msacc || !d.msacc.shares) return;
      any = true;
      bars.appendChild(microstateBar('dirty ' + d.slot + (d.threadId === null ? ' (no thread)' : ' (thread ' + d.threadId + ')'), 'data-dirty', d.slot, shareParts(d.msacc), d.msacc.gcMs));
    });
    box.hidden = !any;
  }

  function drawActors() {
    var last = frames[frames.length - 1];
    var rows = last.actors.slice();
    rows.sort(function (a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (x === null || x === undefined) x = typeof y === 'string' ? '' : 0;
      if (y === null || y === undefined) y = typeof x === 'string' ? '' : 0;
      var c = typeof x === 'string' ? String(x).localeCompare(String(y)) : x - y;
      return sortDesc ? -c : c;
    });
    var tbody = $('actors').tBodies[0];
    tbody.textContent = '';
    rows.forEach(function (r) {
      var tr = el('tr', { 'data-pid': r.pid, 'data-selected': r.pid === selected ? '' : null });
      [r.pid, r.name || '', r.behaviour, r.status, num(r.reductionsPerSec), r.mailbox, bytes(r.memory)].forEach(function (v, j) {
        tr.appendChild(el('td', j < 4 ? { class: 'l' } : null, v));
      });
      tr.addEventListener('click', function () { showActor(r.pid); });
      tbody.appendChild(tr);
    });
    $('actors').setAttribute('data-rows', String(rows.length));
  }

  function drawNodes() {
    var last = frames[frames.length - 1];
    var box = $('nodes');
    box.textContent = '';
    if (!last.nodes) { box.appendChild(el('span', { class: 'muted' }, 'not distributed (nonode@nohost)')); return; }
    var ul = el('ul');
    ul.appendChild(el('li', { 'data-node': last.node, 'data-kind': 'self' }, last.node + ' (this node)'));
    last.nodes.visible.forEach(function (n) { ul.appendChild(el('li', { 'data-node': n, 'data-kind': 'visible' }, n)); });
    last.nodes.hidden.forEach(function (n) { ul.appendChild(el('li', { 'data-node': n, 'data-kind': 'hidden' }, n + ' (hidden)')); });
    box.appendChild(ul);
    if (last.dist) box.appendChild(el('div', { class: 'muted' }, Object.keys(last.dist).map(function (k) { return k + ' ' + num(last.dist[k]); }).join(', ')));
  }

  function onFrame(f) {
    frames.push(f);
    if (frames.length > kKeep) frames.shift();
    $('seq').textContent = String(f.seq);
    $('proc-count').textContent = String(f.processCount);
    drawCharts();
    drawSchedTable();
    drawActors();
    drawNodes();
  }

  function treeEntry(e) {
    var li = el('li', { 'data-pid': e.pid, 'data-kind': e.kind });
    var line = el('span', { class: 'entry' });
    line.appendChild(el('span', null, (e.id !== null ? e.id + ' ' : '') + (e.pid || '(not running)') + (e.registeredName ? ' ' + e.registeredName : '') + ' '));
    line.appendChild(el('span', { class: 'kind' }, e.kind + (e.behaviour ? ' ' + e.behaviour : '') + (e.restart ? ' ' + e.restart : '')));
    if (e.error) line.appendChild(el('span', { class: 'err' }, ' ' + e.error));
    if (e.pid) line.addEventListener('click', function (ev) { ev.stopPropagation(); showActor(e.pid); });
    li.appendChild(line);
    if (e.children.length > 0) {
      var ul = el('ul');
      e.children.forEach(function (c) { ul.appendChild(treeEntry(c)); });
      li.appendChild(ul);
    }
    return li;
  }

  function onTree(r) {
    var apps = $('apps');
    apps.textContent = '';
    apps.appendChild(el('div', { class: 'muted' }, r.applications.length === 0 ? 'no applications running' : 'applications: ' + r.applications.map(function (a) { return a.name; }).join(', ')));
    var ul = $('tree');
    ul.textContent = '';
    r.trees.forEach(function (t) {
      var li = el('li', { 'data-root': t.root });
      li.appendChild(el('b', null, (t.application !== null ? 'application ' : 'registered ') + t.root));
      if (t.tree) { var inner = el('ul'); inner.appendChild(treeEntry(t.tree)); li.appendChild(inner); }
      else li.appendChild(el('span', { class: 'muted' }, ' (no processes)'));
      ul.appendChild(li);
    });
    if (r.truncated) ul.appendChild(el('li', { class: 'err' }, 'truncated: too many processes'));
    ul.setAttribute('data-walked', String(Number(ul.getAttribute('data-walked')) + 1));
  }

  function showActor(pid) {
    selected = pid;
    var box = $('actor-info');
    box.setAttribute('data-pid', pid);
    box.setAttribute('data-state', 'loading');
    fetch(q('api/process', { pid: pid })).then(function (res) {
      return res.text().then(function (body) { return { res: res, body: body }; });
    }).then(function (x) {
      if (box.getAttribute('data-pid') !== pid) return;
      box.textContent = '';
      if (!x.res.ok) { box.setAttribute('data-state', 'error'); box.appendChild(el('div', { class: 'err' }, x.res.status + ' ' + x.body)); return; }
      var info = JSON.parse(x.body);
      var t = el('table', { id: 'actor-info-table' });
      Object.keys(info).forEach(function (k) {
        var v = info[k];
        var tr = el('tr', { 'data-field': k });
        tr.appendChild(el('td', { class: 'l muted' }, k));
        tr.appendChild(el('td', { class: 'l' }, Array.isArray(v) ? (v.length === 0 ? '[]' : v.join(' ')) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
        t.appendChild(tr);
      });
      box.appendChild(t);
      box.setAttribute('data-state', 'shown');
    }).catch(function (e) {
      box.setAttribute('data-state', 'error');
      box.textContent = 'request failed: ' + e;
    });
    if (frames.length > 0) drawActors();
  }

  Array.prototype.forEach.call(document.querySelectorAll('#actors th[data-sort]'), function (th) {
    th.addEventListener('click', function () {
      var k = th.getAttribute('data-sort');
      if (k === sortKey) sortDesc = !sortDesc; else { sortKey = k; sortDesc = k !== 'pid' && k !== 'name' && k !== 'behaviour' && k !== 'status' ? true : false; }
      Array.prototype.forEach.call(document.querySelectorAll('#actors th'), function (h) { h.removeAttribute('data-active'); });
      th.setAttribute('data-active', sortDesc ? 'desc' : 'asc');
      $('actors').setAttribute('data-sort', sortKey);
      if (frames.length > 0) drawActors();
    });
  });

  var es = new EventSource(q('events'));
  es.addEventListener('hello', function (m) {
    var h = JSON.parse(m.data);
    setStatus('live', 'live');
    $('node-name').textContent = h.node;
    $('interval').textContent = String(h.intervalMs);
    frames = [];
    h.history.forEach(function (f) { frames.push(f); });
    if (frames.length > 0) onFrame(frames.pop());
  });
  es.addEventListener('frame', function (m) { setStatus('live', 'live'); onFrame(JSON.parse(m.data)); });
  es.addEventListener('tree', function (m) { onTree(JSON.parse(m.data)); });
  es.addEventListener('problem', function (m) { $('problem').textContent = JSON.parse(m.data).message; });
  es.onerror = function () { setStatus('lost', 'connection lost, retrying'); };
})();
`;
