/**
 * The benchmark report (native-bench/report.ts) renders each figure exactly once, in the
 * order of its records: the Markdown table and the terminal table of the last full run
 * (results/latest.json), and of a 1- and 2-scheduler spawn report whose rows differ only in
 * the scheduler count.
 */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { renderMarkdown, renderTable, type FigureRecord, type Report } from '../../native-bench/report.ts';

const latest = JSON.parse(readFileSync(new URL('../../native-bench/results/latest.json', import.meta.url), 'utf8')) as Report;

function record(schedulers: number, variant: string, metric: string, sb: number): FigureRecord {
  return {
    workload: 'spawn', variant, schedulers, metric, unit: 'ms', switchboard: sb, beam: 2 * sb, ratio: 2, better: 'lower',
    runs: { switchboard: 3, beam: 3 }, spread: { switchboard: { min: sb, max: sb }, beam: { min: 2 * sb, max: 2 * sb } },
  };
}

const spawnOnly: Report = {
  ...latest, mode: 'full', errors: [],
  records: [1, 2].flatMap((s) => [
    record(s, 'blocked_1000000', 'spawn_ms', 700 + s), record(s, 'blocked_1000000', 'kill_ms', 400 + s),
    record(s, 'blocked_1000000', 'bytes_per_process', 220 + s), record(s, 'exit_1000000', 'spawn_exit_ms', 500 + s),
  ]),
};

/** The (workload, variant, sched, metric) of each data row of a rendering, in order. */
function keysOfMarkdown(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| workload')).map((l) => {
    const c = l.split('|').map((x) => x.trim());
    return `${c[1]}|${c[2]}|${c[3]}|${c[4]!.split(' (')[0]}`;
  });
}
function keysOfTable(t: string): string[] {
  return t.split('\n').slice(2).map((l) => {
    const c = l.split(/\s{2,}/);
    return `${c[0]}|${c[1]}|${c[2]}|${c[3]!.split(' (')[0]}`;
  });
}
const keysOf = (r: Report): string[] => r.records.map((x) => `${x.workload}|${x.variant}|${x.schedulers}|${x.metric}`);

it.each([['latest.json', latest], ['spawn on 1 and 2 schedulers', spawnOnly]] as const)('%s: one row per figure, in record order', (_name, report) => {
  const want = keysOf(report);
  expect(new Set(want).size).toBe(want.length);
  expect(keysOfMarkdown(renderMarkdown(report))).toEqual(want);
  expect(keysOfTable(renderTable(report))).toEqual(want);
});
