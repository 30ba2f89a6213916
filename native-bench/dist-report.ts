/**
 * The dist section of the bench report: every dist figure with the median and the
 * min/max spread of its runs on each side, the SB/BEAM ratio (report.ts's ratioOf), and
 * the target issue 11 sets for it with whether the Switchboard median meets it:
 *   small msgs_per_s     >= 4x the BEAM's           (ratio >= 4)
 *   echo rtt_p50         <= 25 us
 *   big mib_per_s        >= 1,000 MiB/s
 *   big ping_busy_p99    <= 2 ms
 * Rendered as terminal text (after the main table) and as Markdown (appended to the .md);
 * distJson is the same with every run's value, under `dist` in the JSON report.
 */
import type { BenchMetric } from './switchboard.ts';
import { fmt, ratioOf } from './report.ts';

export const DIST_WORKLOADS = ['dist'] as const;

export function isDistWorkload(w: string): boolean {
  return (DIST_WORKLOADS as readonly string[]).includes(w);
}

/** What run.ts collects per figure: the metric and each side's values over the runs. */
export interface DistSamples {
  m: BenchMetric;
  sb: number[];
  beam: number[];
}

interface Target {
  text: string;
  met(sb: number, ratio: number | null): boolean | null;
}

const TARGETS: Record<string, Target> = {
  msgs_per_s: { text: '>= 4x BEAM', met: (_sb, r) => (r === null ? null : r >= 4) },
  rtt_p50: { text: '<= 25 us', met: (sb) => sb <= 25 },
  mib_per_s: { text: '>= 1000 MiB/s', met: (sb) => sb >= 1000 },
  ping_busy_p99: { text: '<= 2 ms', met: (sb) => sb <= 2 },
};

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spread(xs: number[]): string {
  const med = median(xs);
  if (med === null) return '—';
  if (xs.length === 1) return fmt(med);
  return `${fmt(med)} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;
}

const HEAD = ['sched', 'figure', 'Switchboard med [min–max]', 'BEAM med [min–max]', 'ratio', 'target', 'met'];

function distRows(samples: Iterable<DistSamples>): string[][] {
  const out: string[][] = [];
  for (const { m, sb, beam } of samples) {
    if (!isDistWorkload(m.workload)) continue;
    const s = median(sb);
    const ratio = ratioOf(m.better, s, median(beam));
    const t = TARGETS[m.metric];
    const met = t === undefined || s === null ? null : t.met(s, ratio);
    out.push([
      String(m.schedulers), `${m.variant} ${m.metric} (${m.unit})`, spread(sb), spread(beam),
      ratio === null ? '—' : ratio.toFixed(2), t?.text ?? '', met === null ? (t ? '—' : '') : met ? 'yes' : 'NO',
    ]);
  }
  return out;
}

function unavailableLines(sbUnavailable: readonly string[]): string[] {
  return sbUnavailable.map((why) => `dist: Switchboard side unavailable: ${why}`);
}

/** Terminal text; empty when no dist figure and no note. */
export function renderDistText(samples: Iterable<DistSamples>, sbUnavailable: readonly string[]): string {
  const rows = distRows(samples);
  if (rows.length === 0 && sbUnavailable.length === 0) return '';
  const all = [HEAD, ...rows];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = ['dist: two nodes, one connection, on this machine (median [min–max] over the runs; targets from issue 11)'];
  if (rows.length > 0) lines.push(line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  lines.push(...unavailableLines(sbUnavailable));
  return lines.join('\n') + '\n';
}

export function renderDistMarkdown(samples: Iterable<DistSamples>, sbUnavailable: readonly string[]): string {
  const rows = distRows(samples);
  if (rows.length === 0 && sbUnavailable.length === 0) return '';
  const lines = ['', '#### dist: two nodes on this machine (median [min–max] over the runs; targets from issue 11)', ''];
  if (rows.length > 0) {
    lines.push(`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`));
  }
  for (const u of unavailableLines(sbUnavailable)) lines.push('', u);
  return lines.join('\n') + '\n';
}

/** For the JSON report: every dist figure's values per run on each side, and why a side did not run. */
export function distJson(samples: Iterable<DistSamples>, sbUnavailable: readonly string[]): Record<string, unknown> {
  const runs: Record<string, unknown>[] = [];
  for (const { m, sb, beam } of samples) {
    if (!isDistWorkload(m.workload)) continue;
    runs.push({ schedulers: m.schedulers, variant: m.variant, metric: m.metric, unit: m.unit, switchboard: sb, beam, target: TARGETS[m.metric]?.text ?? null });
  }
  return { runs, switchboardUnavailable: sbUnavailable };
}
