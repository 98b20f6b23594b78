import type { Machine } from './support/machine';

/**
 * The figures measured once per round. One run of each varies by 10–20 % on this machine from one
 * minute to the next, so the benchmark runs them in several rounds, interleaved (raw, PouchDB,
 * sync, then again), and reports their medians.
 */
export interface RoundResult {
  rawInsertSeconds?: number;
  pouchdbSeconds?: number;
  pouchdbMeasuredSeconds?: number;
  initialSyncSeconds?: number;
  initialSyncLongestPageMs?: number;
  initialSyncApplySeconds?: number;
  initialSyncCpuSeconds?: number;
}

/** What `npm run bench` writes to its JSON file: every figure under its own name. */
export interface BenchResult {
  machine: Machine;
  /**
   * The machine's 1-minute load average as each part began (`raw-1`, `pouchdb-1`, `client-1`, … for
   * each round, then `load`) and at the end: figures taken while other work ran are not comparable.
   */
  loadAverages: Record<string, number>;
  /** Each round's figures, whose medians are the fields of the same names below. */
  rounds: RoundResult[];
  /** Each app start's time to the first row, whose median is uiInteractiveMs. */
  uiStartsMs?: number[];
  tickets: number;
  comments: number;
  /** Rows a pull from 0 delivers (tickets, comments, contacts, users…). */
  rows: number;
  /** Parts not run (`--skip`), whose fields are absent. */
  skipped: string[];
  rawInsertSeconds?: number;
  initialSyncSeconds?: number;
  /** The longest page of the initial sync written and rebased (one synchronous slice). */
  initialSyncLongestPageMs?: number;
  /** Of initialSyncSeconds, the time spent writing pages (the rest: waiting for the service). */
  initialSyncApplySeconds?: number;
  /** The client process's CPU time during the initial sync: less sensitive to other work. */
  initialSyncCpuSeconds?: number;
  syncVsRaw?: number;
  /** For all rows; extrapolated linearly when pouchdbMeasuredDocs < pouchdbTotalDocs. */
  pouchdbSeconds?: number;
  pouchdbMeasuredSeconds?: number;
  pouchdbMeasuredDocs?: number;
  pouchdbTotalDocs?: number;
  speedupVsPouchdb?: number;
  incrementalPull1000Ms?: number;
  incrementalPull1000CpuMs?: number;
  listP50Ms?: number;
  listP95Ms?: number;
  listP99Ms?: number;
  searchP50Ms?: number;
  searchP95Ms?: number;
  searchP99Ms?: number;
  mutationP50Ms?: number;
  mutationP95Ms?: number;
  mutationP99Ms?: number;
  push1000Seconds?: number;
  rssMb?: number;
  /** The client process before signing in: what its code alone takes. */
  rssAtStartMb?: number;
  /** The median of several app starts (uiStartsMs). */
  uiInteractiveMs?: number;
  scrollFrameP95Ms?: number;
  scrollFrames?: number;
  scrolledRows?: number;
  serverP50Ms?: number;
  serverP95Ms?: number;
  serverP99Ms?: number;
  loadAgents?: number;
  loadSeconds?: number;
  loadRequests?: number;
  loadMutations?: number;
  loadErrors?: number;
  loadLostMutations?: number;
  /** Each field that has a target: the target and whether this run met it. */
  targets: Record<string, { target: string; pass: boolean }>;
}

export type Measures = Omit<
  BenchResult,
  | 'machine'
  | 'loadAverages'
  | 'rounds'
  | 'uiStartsMs'
  | 'tickets'
  | 'comments'
  | 'rows'
  | 'skipped'
  | 'targets'
>;
type Field = keyof Measures;

interface Target {
  op: '>=' | '<=';
  value: number;
}

/** The targets of issue 9. */
export const TARGETS: Partial<Record<Field, Target>> = {
  syncVsRaw: { op: '>=', value: 0.5 },
  speedupVsPouchdb: { op: '>=', value: 10 },
  incrementalPull1000Ms: { op: '<=', value: 200 },
  listP95Ms: { op: '<=', value: 5 },
  searchP95Ms: { op: '<=', value: 20 },
  mutationP99Ms: { op: '<=', value: 2 },
  push1000Seconds: { op: '<=', value: 3 },
  rssMb: { op: '<=', value: 300 },
  uiInteractiveMs: { op: '<=', value: 1000 },
  scrollFrameP95Ms: { op: '<=', value: 16 },
  loadErrors: { op: '<=', value: 0 },
  loadLostMutations: { op: '<=', value: 0 },
};

/** The table's rows, in order: every measure a full run makes. */
export const TABLE_FIELDS: readonly Field[] = [
  'rawInsertSeconds',
  'initialSyncSeconds',
  'initialSyncLongestPageMs',
  'initialSyncApplySeconds',
  'initialSyncCpuSeconds',
  'syncVsRaw',
  'pouchdbSeconds',
  'speedupVsPouchdb',
  'incrementalPull1000Ms',
  'incrementalPull1000CpuMs',
  'listP50Ms',
  'listP95Ms',
  'listP99Ms',
  'searchP50Ms',
  'searchP95Ms',
  'searchP99Ms',
  'mutationP50Ms',
  'mutationP95Ms',
  'mutationP99Ms',
  'push1000Seconds',
  'rssMb',
  'uiInteractiveMs',
  'scrollFrameP95Ms',
  'serverP50Ms',
  'serverP95Ms',
  'serverP99Ms',
  'loadRequests',
  'loadMutations',
  'loadErrors',
  'loadLostMutations',
];

const ROUND_FIELDS: ReadonlyArray<keyof RoundResult> = [
  'rawInsertSeconds',
  'pouchdbSeconds',
  'initialSyncSeconds',
  'initialSyncCpuSeconds',
];

const meets = (value: number, t: Target) => (t.op === '>=' ? value >= t.value : value <= t.value);

export function targetsOf(measures: Measures): BenchResult['targets'] {
  const out: BenchResult['targets'] = {};
  for (const [field, target] of Object.entries(TARGETS) as Array<[Field, Target]>) {
    const value = measures[field];
    if (value === undefined) continue;
    out[field] = { target: `${target.op} ${target.value}`, pass: meets(value, target) };
  }
  return out;
}

function format(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The result as a Markdown table: every measure with its target and pass/miss. */
export function resultTable(result: BenchResult): string {
  const rows = TABLE_FIELDS.map((field) => {
    const value = result[field];
    const target = result.targets[field];
    return [
      field,
      value === undefined ? 'skipped' : format(value),
      target?.target ?? '',
      target ? (target.pass ? 'pass' : 'MISS') : '',
    ];
  });
  const header = ['measure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const { machine } = result;
  const notes = [
    `${result.tickets} tickets, ${result.comments} comments, ${result.rows} rows; ` +
      `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}`,
  ];
  if (result.pouchdbMeasuredDocs !== undefined && result.pouchdbMeasuredDocs < result.rows) {
    notes.push(
      `pouchdbSeconds extrapolated from ${result.pouchdbMeasuredDocs} of ${result.pouchdbTotalDocs} documents`,
    );
  }
  if (result.rounds.length > 1) {
    notes.push(`medians of ${result.rounds.length} rounds; each round's figures:`);
    for (const field of ROUND_FIELDS) {
      const values = result.rounds.map((round) => round[field]);
      if (values.every((value) => value !== undefined)) {
        notes.push(`  ${field}: ${values.map((value) => format(value)).join(', ')}`);
      }
    }
  }
  if (result.uiStartsMs)
    notes.push(`uiInteractiveMs of the app starts: ${result.uiStartsMs.join(', ')}`);
  if (result.skipped.length > 0) notes.push(`skipped: ${result.skipped.join(', ')}`);
  const loads = Object.entries(result.loadAverages).map(([part, load]) => `${part} ${load}`);
  notes.push(`1-minute load average at the start of each part: ${loads.join(', ')}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...notes,
  ].join('\n');
}
