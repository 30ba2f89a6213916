/**
 * The benchmark report: one record per figure, rendered as a terminal table, Markdown,
 * JSON and an SVG bar chart of the ratios.
 *
 * ratio = how many times better Switchboard is than the BEAM on that figure:
 *   BEAM / Switchboard for "lower is better" metrics (ns, ms, bytes, lateness),
 *   Switchboard / BEAM for "higher is better" ones (msgs/s, fires/s).
 * So ratio > 1 means Switchboard is ahead, < 1 means it is behind, whatever the unit.
 *
 * Each figure is the median of its runs, shown with the min and max of those runs (the
 * table's `min–max` columns, the JSON's `spread`), so a reader sees the noise: a ratio
 * whose two ranges overlap is not a measured difference.
 *
 * A quick run (`--quick`) is a smoke run: its sizes are too small for V8 to warm up, so
 * its ratios say nothing about which side is faster; every rendering says so (`kQuickWarning`).
 */

export interface FigureRecord {
  workload: string;
  variant: string;
  schedulers: number;
  metric: string;
  unit: string;
  switchboard: number | null;
  beam: number | null;
  ratio: number | null;
  better: 'higher' | 'lower' | 'equal';
  /** Runs behind each median. */
  runs: { switchboard: number; beam: number };
  /** Min and max over those runs (null: no run of that side). */
  spread: { switchboard: MinMax | null; beam: MinMax | null };
  note?: string;
}

export interface MinMax {
  min: number;
  max: number;
}

/** Min and max of a list of run values, or null when empty. */
export function minMax(xs: readonly number[]): MinMax | null {
  if (xs.length === 0) return null;
  let min = xs[0]!;
  let max = xs[0]!;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

/** Printed above and below every quick run's table. */
export const kQuickWarning =
  'SMOKE RUN (--quick): sizes too small for V8 to warm up and one run per figure; it checks that every workload ' +
  'runs and agrees, its ratios mean nothing. Compare the two sides with a full run (npm run bench).';

export interface Report {
  createdAt: string;
  command: string;
  mode: 'quick' | 'full';
  machine: { cpus: string; cores: number; memoryGiB: number; os: string };
  node: string;
  otp: string | null;
  erts: string | null;
  records: FigureRecord[];
  errors: string[];
  wallSeconds: number;
}

export function ratioOf(better: FigureRecord['better'], sb: number | null, beam: number | null): number | null {
  if (sb === null || beam === null || better === 'equal') return null;
  if (better === 'lower') return sb > 0 ? beam / sb : null;
  return beam > 0 ? sb / beam : null;
}

export function fmt(v: number | null, unit = ''): string {
  if (v === null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  let s: string;
  if (a >= 1e9) s = (v / 1e9).toFixed(2) + 'G';
  else if (a >= 1e6) s = (v / 1e6).toFixed(2) + 'M';
  else if (a >= 1e4) s = (v / 1e3).toFixed(1) + 'k';
  else if (a >= 100) s = v.toFixed(0);
  else if (a >= 10) s = v.toFixed(1);
  else s = v.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

function verdict(r: FigureRecord): string {
  if (r.switchboard === null) return 'no Switchboard figure';
  if (r.beam === null) return 'no BEAM figure';
  if (r.better === 'equal') return r.switchboard === r.beam ? 'same result' : 'MISMATCH';
  if (r.ratio === null) return '—';
  if (r.ratio >= 1.05) return `Switchboard ${r.ratio.toFixed(2)}×`;
  if (r.ratio <= 0.95) return `BEAM ${(1 / r.ratio).toFixed(2)}×`;
  return 'even';
}

function range(m: MinMax | null | undefined, runs: number): string {
  if (m === null || m === undefined || runs < 2) return '—';
  return `${fmt(m.min)}–${fmt(m.max)}`;
}

function rows(report: Report): string[][] {
  return report.records.map((r) => [
    r.workload, r.variant, String(r.schedulers), `${r.metric} (${r.unit}, ${r.better === 'equal' ? 'check' : r.better + ' better'})`,
    fmt(r.switchboard), range(r.spread?.switchboard, r.runs.switchboard), fmt(r.beam), range(r.spread?.beam, r.runs.beam),
    r.ratio === null ? '—' : r.ratio.toFixed(2), report.mode === 'quick' ? 'smoke run' : verdict(r),
  ]);
}

const HEAD = ['workload', 'variant', 'sched', 'metric', 'Switchboard', 'min–max', 'BEAM', 'min–max', 'ratio', 'better'];
/** Columns printed right-aligned (the figures). */
const isFigure = (i: number): boolean => i >= 4 && i <= 8;

export function renderTable(report: Report): string {
  const all = [HEAD, ...rows(report)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (isFigure(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  const out = [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows(report).map(line)];
  if (report.mode === 'quick') return [kQuickWarning, '', ...out, '', kQuickWarning].join('\n');
  return out.join('\n');
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `### Switchboard vs the BEAM (${report.mode} run, ${report.createdAt})`,
    '',
    `Command: \`${report.command}\` — ${m.cores} × ${m.cpus}, ${m.memoryGiB} GiB, ${m.os}; Node ${report.node}; ` +
      (report.otp ? `Erlang/OTP ${report.otp} (erts ${report.erts})` : 'no Erlang installed') + `; ${report.wallSeconds.toFixed(0)} s.`,
    '',
    ...(report.mode === 'quick' ? [`**${kQuickWarning}**`, ''] : []),
    'ratio = how many times better Switchboard is (> 1: Switchboard ahead; < 1: behind). Medians of the runs, ' +
      'with the min–max over the runs beside each.',
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (isFigure(i) ? '---:' : '---')).join('|')}|`,
    ...rows(report).map((r) => `| ${r.join(' | ')} |`),
  ];
  if (report.errors.length > 0) {
    lines.push('', 'Errors:', ...report.errors.map((e) => `- ${e.split('\n')[0]}`));
  }
  return lines.join('\n') + '\n';
}

/** A horizontal bar chart of log2(ratio) per figure: right of the axis, Switchboard ahead. */
export function renderSvg(report: Report): string {
  const recs = report.records.filter((r) => r.ratio !== null && r.ratio > 0);
  const rowH = 18;
  const labelW = 330;
  const plotW = 420;
  const h = 50 + recs.length * rowH;
  const maxAbs = Math.max(1, ...recs.map((r) => Math.abs(Math.log2(r.ratio!))));
  const x0 = labelW + plotW / 2;
  const scale = plotW / 2 / maxAbs;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 90}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="13">Switchboard / BEAM (log scale; right = Switchboard better) — ${esc(report.mode === 'quick' ? 'SMOKE run: ratios mean nothing' : 'full run')} ${esc(report.createdAt)}</text>`,
    `<line x1="${x0}" y1="28" x2="${x0}" y2="${h - 8}" stroke="#333"/>`,
  ];
  recs.forEach((r, i) => {
    const y = 34 + i * rowH;
    const v = Math.log2(r.ratio!);
    const w = Math.abs(v) * scale;
    const x = v >= 0 ? x0 : x0 - w;
    parts.push(`<text x="${labelW - 6}" y="${y + 11}" text-anchor="end">${esc(`${r.workload} ${r.variant} ${r.metric} S${r.schedulers}`)}</text>`);
    parts.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 5}" fill="${v >= 0 ? '#2e7d32' : '#c62828'}"/>`);
    parts.push(`<text x="${labelW + plotW + 6}" y="${y + 11}">${r.ratio!.toFixed(2)}×</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
