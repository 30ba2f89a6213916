/**
 * The observer page: one self-contained HTML document (markup and styles here, the
 * script in observer-script.ts), no external assets, no framework. Charts are inline SVG
 * drawn by the script.
 *
 * Sections (ids the script fills; the browser tests read them and their data- attributes):
 *   #status          connection state (data-state: connecting | live | lost), node name
 *   #sched-chart     utilisation per scheduler over the history (SVG; data-samples: frames
 *                    drawn, data-last-seq: the newest frame's seq)
 *   #runq-chart      run-queue length per scheduler over the history (SVG)
 *   #sched-table     the latest per-scheduler figures, then every other numeric stats field
 *                    of each scheduler, its value and change per second (generic)
 *   #msacc           microstates: per scheduler, the split of the interval between its
 *                    sampled states (or the time fields of nested stats objects), and
 *                    one bar per dirty pool thread (.bar[data-dirty]); shown only when
 *                    node.stats() has them
 *   #actors          the top actors (th[data-sort] sorts; tr[data-pid] opens one)
 *   #actor-info      processInfo of the chosen actor (data-pid)
 *   #apps, #tree     applications and the supervision tree (li[data-pid][data-kind])
 *   #nodes           the cluster's nodes (visible and hidden) when the node is distributed
 * Erlang mapping: observer's System / Load Charts / Processes / Applications tabs on one page.
 */
import { kObserverScript } from './observer-script.ts';

const kStyle = `
:root { --bg:#0f1419; --panel:#182029; --line:#2a3642; --text:#d8e0e8; --dim:#8899aa; --accent:#4fb0ff; }
* { box-sizing: border-box; }
body { margin:0; font:13px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--text); }
header { display:flex; gap:16px; align-items:baseline; padding:10px 16px; background:var(--panel); border-bottom:1px solid var(--line); }
header h1 { font-size:16px; margin:0; }
#status[data-state=live] .dot { color:#4caf50; } #status[data-state=lost] .dot { color:#f44336; } #status .dot { color:#ffb300; }
main { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); gap:12px; padding:12px; }
section { background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:10px; min-width:0; }
section h2 { font-size:13px; margin:0 0 8px; color:var(--dim); text-transform:uppercase; letter-spacing:.05em; }
.wide { grid-column: 1 / -1; }
svg { width:100%; height:160px; background:#11181f; border-radius:4px; display:block; }
table { border-collapse:collapse; width:100%; font-variant-numeric: tabular-nums; }
th, td { text-align:right; padding:2px 6px; border-bottom:1px solid var(--line); white-space:nowrap; }
th:first-child, td:first-child, td.l, th.l { text-align:left; }
th[data-sort] { cursor:pointer; color:var(--accent); } th[data-active] { text-decoration:underline; }
#actors tbody tr { cursor:pointer; } #actors tbody tr:hover, #actors tbody tr[data-selected] { background:#223040; }
.legend span { margin-right:10px; } .muted { color:var(--dim); }
ul.tree, ul.tree ul { list-style:none; margin:0; padding-left:16px; } ul.tree { padding-left:0; }
ul.tree li[data-pid] > .entry { cursor:pointer; } .kind { color:var(--dim); font-size:11px; }
.err { color:#ff8a80; } .bar { display:flex; height:14px; border-radius:3px; overflow:hidden; background:#11181f; }
.bar div { height:100%; } pre { white-space:pre-wrap; margin:0; }
.scroll { max-height:420px; overflow:auto; }
td.fields { white-space:normal; font-size:11px; min-width:420px; }
`;

const kBody = `
<header>
  <h1>Switchboard observer</h1>
  <span id="status" data-state="connecting"><span class="dot">&#9679;</span> <span id="status-text">connecting</span></span>
  <span>node <b id="node-name">?</b></span>
  <span><span id="proc-count">0</span> processes</span>
  <span class="muted">sample <span id="seq">0</span>, every <span id="interval">?</span> ms</span>
  <span id="problem" class="err"></span>
</header>
<main>
  <section><h2>Scheduler utilisation</h2><svg id="sched-chart" data-samples="0" data-last-seq="0" viewBox="0 0 600 160" preserveAspectRatio="none"></svg><div id="sched-legend" class="legend"></div></section>
  <section><h2>Run queues</h2><svg id="runq-chart" data-samples="0" viewBox="0 0 600 160" preserveAspectRatio="none"></svg><div class="muted">run queue total <span id="runq-total">0</span>, peak <span id="runq-peak">0</span></div></section>
  <section class="wide"><h2>Schedulers</h2><div class="scroll"><table id="sched-table"><thead></thead><tbody></tbody></table></div><div id="msacc" hidden><h2>Microstates</h2><div id="msacc-bars"></div></div></section>
  <section><h2>Top actors</h2><div class="scroll"><table id="actors"><thead><tr>
    <th class="l" data-sort="pid">pid</th><th class="l" data-sort="name">name</th><th class="l" data-sort="behaviour">behaviour</th><th class="l" data-sort="status">status</th>
    <th data-sort="reductionsPerSec" data-active>red/s</th><th data-sort="mailbox">mailbox</th><th data-sort="memory">memory</th></tr></thead><tbody></tbody></table></div></section>
  <section><h2>Actor</h2><div id="actor-info" data-pid=""><span class="muted">click an actor (in the table or the tree)</span></div></section>
  <section><h2>Applications and supervision tree</h2><div id="apps"></div><div class="scroll"><ul id="tree" class="tree" data-walked="0"></ul></div></section>
  <section><h2>Nodes</h2><div id="nodes"><span class="muted">not distributed</span></div></section>
</main>
`;

/** The whole document. */
export function observerPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard observer</title><style>${kStyle}</style></head>
<body>${kBody}<script>${kObserverScript}</script></body></html>
`;
}
