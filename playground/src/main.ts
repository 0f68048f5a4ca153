/**
 * The playground page: a scenario (built-in, opened, dropped or pasted) in an editor,
 * its main knobs as controls, and the result of one run drawn as the CLI's reports draw
 * it. Every change re-validates on this thread (instant, the CLI's messages) and re-runs
 * in a Web Worker, cancelling the run it replaces. The whole state lives in the URL hash.
 */
import './style.css';
import { InputError } from '../../src/config/errors.ts';
import type { Override } from '../../src/config/overrides.ts';
import type { Scenario } from '../../src/config/schema.ts';
import { expandScenario, parseScenarioText } from '../../src/config/parse.ts';
import { summaryTable } from '../../src/report/build.ts';
import { theoryTable } from '../../src/report/format.ts';
import type { Report, ReportVariant } from '../../src/report/model.ts';
import type { FigureDescriptor, FigureFormat } from '../../src/models/metrics/figure.ts';
import { COST } from '../../src/models/metrics/run-cost.ts';
import { DROPS } from '../../src/models/metrics/run-drops.ts';
import { LATENCY } from '../../src/models/metrics/run-latency.ts';
import { QUALITY } from '../../src/models/metrics/run-quality.ts';
import { THROUGHPUT } from '../../src/models/metrics/run-throughput.ts';
import { llmFigures } from '../../src/models/metrics/llm-figures.ts';
import { figureAt, fmtCount, fmtNum, fmtPct, fmtUsd, formatFigure } from '../../src/report/figures.ts';
import { measuredText, sloText } from '../../src/report/run-text.ts';
import { fillPlaceholders, numberAt, SWEEP_READINGS } from '../../src/report/placeholders.ts';
import { stageTable } from '../../src/report/stage-table.ts';
import { classFigureRows } from '../../src/report/class-table.ts';
import { ScenarioEditor } from './editor.ts';
import { locateProblem, type Problem } from './problems.ts';
import { cliCommand, findKnobs, overridesOf, roundToStep, type Accepts, type Knob } from './knobs.ts';
import { WorkerRunner } from './runner.ts';
import { BUILTINS, DEFAULT_BUILTIN } from './scenarios.ts';
import { decodeState, encodeState, type SharedState } from './share.ts';
import { checkScenario, loadScenario, type RunOutput } from './simulate.ts';

// ---------------------------------------------------------------------------
// Elements.

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

const ui = {
  select: byId<HTMLSelectElement>('scenario-select'),
  openFile: byId<HTMLButtonElement>('open-file'),
  fileInput: byId<HTMLInputElement>('file-input'),
  compare: byId<HTMLInputElement>('compare'),
  share: byId<HTMLButtonElement>('share'),
  shareRow: byId('share-row'),
  shareUrl: byId<HTMLInputElement>('share-url'),
  shareNote: byId('share-note'),
  knobs: byId('knobs'),
  resetKnobs: byId<HTMLButtonElement>('reset-knobs'),
  experimentNote: byId('experiment-note'),
  cli: byId('cli-command'),
  results: byId('results'),
  progress: byId('progress-fill'),
  statusText: byId('status-text'),
  title: byId('result-title'),
  sub: byId('result-sub'),
  narrative: byId<HTMLDetailsElement>('narrative'),
  figures: byId('figures'),
  warnings: byId('warnings'),
  compareTable: byId('compare-table'),
  stageTable: byId('stage-table'),
  classesCard: byId('classes-card'),
  classTable: byId('class-table'),
  theory: byId('theory'),
  costCaption: byId('cost-caption'),
};
const editor = new ScenarioEditor(byId('editor'));
const runner = new WorkerRunner();

// ---------------------------------------------------------------------------
// State.

/** The scenario text and the name messages use; `builtin` while it is a built-in's text, unedited. */
interface Source {
  name: string;
  text: string;
  builtin?: string;
}

/** A finished run as painted: its output and the knob settings it ran with. */
interface Painted {
  id: number;
  output: RunOutput;
  overrides: Override[];
  scenarioName: string;
  /** The run's warm-up, for the line that says what was measured. */
  warmup: Scenario['warmup'];
}

let source: Source = { name: DEFAULT_BUILTIN, text: '', builtin: DEFAULT_BUILTIN };
let knobs: Knob[] = [];
let knobSignature = '';
const values = new Map<string, number | string>();
let raw: Record<string, unknown> | null = null;
let current: Painted | null = null;
let previous: Painted | null = null;
let runStartedAt = 0;

// ---------------------------------------------------------------------------
// Formatting.

// Figures use the CLI's formatters (src/report/figures.ts); only wall time is the page's own.
const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

// ---------------------------------------------------------------------------
// Opening scenarios.

function fillScenarioSelect(): void {
  const options = BUILTINS.map((b) => h('option', { value: b.name, title: b.description, text: b.name }));
  const custom = h('option', { value: '', text: 'your scenario' });
  custom.hidden = true;
  ui.select.replaceChildren(custom, ...options);
}

/** Opens a scenario: shows its text, finds its knobs (set to `knobValues` where given), runs it. */
function openSource(next: Source, knobValues: Record<string, number | string> = {}): void {
  source = next;
  editor.setText(next.text);
  values.clear();
  knobSignature = '';
  refresh(knobValues);
}

function openBuiltin(name: string, knobValues: Record<string, number | string> = {}): void {
  const b = BUILTINS.find((x) => x.name === name) ?? BUILTINS.find((x) => x.name === DEFAULT_BUILTIN)!;
  openSource({ name: b.name, text: b.text, builtin: b.name }, knobValues);
}

/** Reads a dropped or chosen file, or pasted text, as a new scenario. */
function openText(name: string, text: string): void {
  previous = null;
  openSource({ name, text });
}

// ---------------------------------------------------------------------------
// Validation and knobs.

/** Re-reads the text: knobs (kept where they still mean the same), problems, then a run. */
function refresh(knobValues?: Record<string, number | string>): void {
  ui.select.value = source.builtin ?? '';
  (ui.select.options[0] as HTMLOptionElement).hidden = source.builtin !== undefined;
  try {
    const rs = parseScenarioText(source);
    expandScenario(rs, []);
    raw = rs.raw;
    const found = findKnobs(raw, acceptsFor(source));
    const signature = JSON.stringify(found.map((k) => [k.path, k.base, k.control]));
    if (signature !== knobSignature) {
      // A knob keeps its value only if the file still says what it said (else the edit wins).
      const old = new Map(knobs.map((k) => [k.path, k.base]));
      for (const path of [...values.keys()]) {
        const k = found.find((x) => x.path === path);
        if (k === undefined || old.get(path) !== k.base) values.delete(path);
      }
      knobs = found;
      knobSignature = signature;
      for (const [path, v] of Object.entries(knobValues ?? {})) if (knobs.some((k) => k.path === path)) values.set(path, v);
      renderKnobs();
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    raw = null;
  }
  describeExperiment();
  validateAndRun();
}

/** Answers of `acceptsFor` for the text they were asked about (a select's options do not change while it does not). */
let acceptsMemo: { text: string; answers: Map<string, boolean> } = { text: '', answers: new Map() };

/** Whether the file validates with one knob's value instead of its own (a roofline model that does not fit is not offered). */
function acceptsFor(src: { name: string; text: string }): Accepts {
  if (acceptsMemo.text !== src.text) acceptsMemo = { text: src.text, answers: new Map() };
  const answers = acceptsMemo.answers;
  return (path, value) => {
    const key = `${path}=${String(value)}`;
    let ok = answers.get(key);
    if (ok === undefined) {
      try {
        checkScenario(src, [{ path, value }]);
        ok = true;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        ok = false;
      }
      answers.set(key, ok);
    }
    return ok;
  };
}

/** The knob overrides now in force. */
const currentOverrides = (): Override[] => overridesOf(knobs, values);

function problemsOf(err: InputError): Problem[] {
  return err.problems.map((p) => locateProblem(source.name, p));
}

/** Validates (the CLI's checks and words) and starts a run, or shows the problems. */
function validateAndRun(): void {
  const overrides = currentOverrides();
  updateCli(overrides);
  scheduleHash();
  let scenario: Scenario;
  try {
    scenario = loadScenario(source, overrides);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // A run of what the text said before must not paint over the problems.
    runner.cancel();
    showInvalid(problemsOf(err));
    return;
  }
  editor.setProblems([]);
  startRun(overrides, scenario.warmup);
}

function showInvalid(problems: Problem[]): void {
  editor.setProblems(problems);
  const where = problems.every((p) => p.text.startsWith('--set ')) ? 'a knob is set to a value the scenario refuses (see under the editor)' : 'see the editor';
  setStatus('invalid', `The scenario has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${where}.`);
  ui.progress.style.width = '0%';
}

// ---------------------------------------------------------------------------
// Running.

function setStatus(state: 'running' | 'done' | 'invalid' | 'failed', text: string): void {
  ui.results.dataset.state = state;
  ui.statusText.textContent = text;
}

function startRun(overrides: Override[], warmup: Scenario['warmup']): void {
  const text = source.text;
  const name = source.name;
  runStartedAt = performance.now();
  ui.progress.style.width = '0%';
  setStatus('running', 'Running…');
  const id = runner.run(
    { source: { name, text }, overrides },
    {
      progress: (f) => {
        ui.progress.style.width = `${(f * 100).toFixed(1)}%`;
        ui.statusText.textContent = `Running… ${Math.floor(f * 100)}%`;
      },
      done: (output) => {
        if (current !== null) previous = current;
        current = { id, output, overrides, scenarioName: output.result.scenario, warmup };
        ui.results.dataset.cancelled = String(runner.cancelled);
        const r = output.result;
        const total = performance.now() - runStartedAt;
        ui.progress.style.width = '100%';
        setStatus('done', `${fmtCount(r.requests.arrived)} measured requests · simulated in ${seconds(output.wallMs)} · ${seconds(total)} from the change to the figures`);
        ui.results.dataset.runId = String(id);
        ui.results.dataset.totalMs = total.toFixed(0);
        paint();
      },
      invalid: (problems) => showInvalid(problems.map((p) => locateProblem(name, p))),
      failed: (message) => {
        setStatus('failed', `The run failed: ${message}`);
        console.error(`servesim playground: the run failed: ${message}`);
      },
    },
  );
  ui.results.dataset.pendingId = String(id);
  ui.results.dataset.cancelled = String(runner.cancelled);
}

// ---------------------------------------------------------------------------
// Knob controls.

const knobId = (path: string) => `knob-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
let runTimer: ReturnType<typeof setTimeout> | undefined;

/** Sets a knob; a run starts once the control rests for a moment (a drag is many events). */
function setKnob(path: string, v: number | string, immediate: boolean): void {
  values.set(path, v);
  clearTimeout(runTimer);
  if (immediate) validateAndRun();
  else runTimer = setTimeout(validateAndRun, 40);
}

function valueOf(k: Knob): number | string {
  return values.get(k.path) ?? k.base;
}

function shown(k: Knob, v: number | string): string {
  if (typeof v !== 'number') return v;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: 6 })}${k.unit ? ` ${k.unit}` : ''}`;
}

function renderKnobs(): void {
  const groups = new Map<string, Knob[]>();
  for (const k of knobs) groups.set(k.group, [...(groups.get(k.group) ?? []), k]);
  const sets = [...groups].map(([group, ks]) => {
    const fs = h('fieldset', { class: 'knob-group' }, h('legend', { text: group }));
    for (const k of ks) fs.append(knobRow(k));
    return fs;
  });
  ui.knobs.replaceChildren(...sets);
  if (knobs.length === 0) ui.knobs.append(h('p', { class: 'note', text: 'This scenario has no knobs the page can set.' }));
}

function knobRow(k: Knob): HTMLElement {
  const id = knobId(k.path);
  const label = h('label', { for: id, title: k.help, text: k.label });
  const out = h('output', { for: id, class: 'knob-value' });
  const row = h('div', { class: 'knob', 'data-path': k.path }, label);
  const c = k.control;
  const v = valueOf(k);
  const changed = () => row.classList.toggle('changed', valueOf(k) !== k.base);
  if (c.kind === 'range' || c.kind === 'log-range') {
    const LOG_STEPS = 1000;
    const toPos = (x: number) => (c.kind === 'range' ? x : Math.round((Math.log(x / c.min) / Math.log(c.max / c.min)) * LOG_STEPS));
    const fromPos = (p: number) => (c.kind === 'range' ? roundToStep(p, c.step) : Math.round(c.min * (c.max / c.min) ** (p / LOG_STEPS)));
    const slider = h('input', {
      type: 'range',
      id,
      min: String(c.kind === 'range' ? c.min : 0),
      max: String(c.kind === 'range' ? c.max : LOG_STEPS),
      step: String(c.kind === 'range' ? c.step : 1),
      title: k.help,
      'aria-label': `${k.group}: ${k.label}`,
    });
    slider.value = String(toPos(Number(v)));
    const exact = h('input', { type: 'number', class: 'exact', step: c.kind === 'range' ? String(c.step) : '1', min: '0', 'aria-label': `${k.label} (exact value)` });
    exact.value = String(v);
    out.textContent = shown(k, v);
    slider.addEventListener('input', () => {
      const x = fromPos(Number(slider.value));
      exact.value = String(x);
      out.textContent = shown(k, x);
      setKnob(k.path, x, false);
      changed();
    });
    exact.addEventListener('change', () => {
      const x = Number(exact.value);
      if (!Number.isFinite(x) || exact.value.trim() === '') return;
      slider.value = String(toPos(x));
      out.textContent = shown(k, x);
      setKnob(k.path, x, true);
      changed();
    });
    row.append(slider, exact, out);
  } else if (c.kind === 'select') {
    const sel = h('select', { id, title: k.help, 'aria-label': `${k.group}: ${k.label}` });
    for (const o of c.options) sel.append(h('option', { value: String(o.value), text: o.label }));
    sel.value = String(v);
    sel.addEventListener('change', () => {
      const o = c.options.find((x) => String(x.value) === sel.value);
      if (o === undefined) return;
      setKnob(k.path, o.value, true);
      changed();
    });
    row.append(sel);
  } else {
    const input = h('input', { type: 'number', id, min: String(c.min), step: String(c.step), title: k.help, 'aria-label': `${k.group}: ${k.label}` });
    input.value = String(v);
    input.addEventListener('change', () => {
      const x = Number(input.value);
      if (!Number.isFinite(x) || input.value.trim() === '') return;
      setKnob(k.path, x, true);
      changed();
    });
    row.append(input);
  }
  changed();
  return row;
}

/** Variants, sweeps and replications are experiments; the page runs the base scenario once, and says so. */
function describeExperiment(): void {
  const notes: string[] = [];
  if (raw?.variants !== undefined) notes.push(`declares variants (${Object.keys(raw.variants as object).join(', ')}): the page runs the base scenario, the first row of the CLI's comparison`);
  if (raw?.sweep !== undefined) notes.push('declares a sweep: the page runs the base scenario at its own values, not the sweep');
  if (typeof raw?.replications === 'number' && raw.replications > 1) notes.push(`asks for ${raw.replications} replications: the page runs the first (the root seed), as --replications 1 does`);
  ui.experimentNote.hidden = notes.length === 0;
  ui.experimentNote.textContent = notes.length === 0 ? '' : `This file ${notes.join('; ')}.`;
}

function updateCli(overrides: Override[]): void {
  const ref = source.builtin ?? source.name;
  const reps = typeof raw?.replications === 'number' && raw.replications > 1 ? ' --replications 1' : '';
  const cmd = `${cliCommand(ref, overrides)}${reps}`;
  ui.cli.textContent = source.builtin === undefined ? `${cmd}   # with the scenario text saved as ${source.name}` : cmd;
}

// ---------------------------------------------------------------------------
// Painting a result.

function variantNamed(v: ReportVariant, name: string): ReportVariant {
  return { ...v, name };
}

function reportOf(cur: Painted, prev: Painted | null): Report {
  const variants = [variantNamed(cur.output.variant, 'this run'), ...(prev ? [variantNamed(prev.output.variant, 'previous run')] : [])];
  return {
    title: cur.scenarioName,
    summary: '',
    variants,
    tradeoff: variants.map((v) => ({ label: v.name, costPerHourUsd: v.costPerHourUsd.value, p99Ms: v.latencyMs.p99.value, meetsSlo: v.slo ? v.slo.met : null })),
    theory: cur.output.theory,
    table: summaryTable(variants),
    notes: [],
  };
}

/** How a change in a key figure reads: "+12.3 ms", "+$0.41", or percentage points ("+1.20 pp") for a share. */
type DeltaText = (d: number) => string;
const deltaIn = (unit: string): DeltaText => (d) => `${fmtNum(d)}${unit}`;
const deltaPoints: DeltaText = (d) => `${fmtNum(d * 100)} pp`;
const deltaUsd: DeltaText = (d) => fmtUsd(d);
/** How a change reads, by the figure's format. */
const DELTA: Record<FigureFormat, DeltaText> = {
  ms: deltaIn(' ms'),
  s: deltaIn(' s'),
  count: deltaIn(''),
  rate: deltaIn(''),
  pct: deltaPoints,
  usd: deltaUsd,
  num: deltaIn(''),
  score: deltaIn(''),
};

/**
 * A key figure's tile from its descriptor: its label (or `label`), its value written by
 * the one formatter (or `text`), and its change from the previous run (`prev`, or none).
 */
function figureTile(key: string, d: FigureDescriptor, r: RunOutput['result'], prev: RunOutput['result'] | undefined, over: { label?: string; text?: string } = {}): HTMLElement {
  const value = figureAt(r, d) ?? NaN;
  const prevValue = prev === undefined ? undefined : (figureAt(prev, d) ?? undefined);
  const lowerIsBetter = d.higherIsBetter === null ? null : !d.higherIsBetter;
  return tile(key, over.label ?? d.label, value, over.text ?? formatFigure(d, value), prevValue, lowerIsBetter, DELTA[d.format]);
}

/** A key figure: its label, value (data-value keeps every digit for tests), and the change from the previous run. */
function tile(key: string, label: string, value: number, text: string, prevValue: number | undefined, lowerIsBetter: boolean | null, delta: DeltaText = deltaIn('')): HTMLElement {
  const t = h('div', { class: 'tile', 'data-key': key, 'data-value': String(value) }, h('span', { class: 'label', text: label }), h('span', { class: 'value', text }));
  if (prevValue !== undefined && Number.isFinite(prevValue) && Number.isFinite(value)) {
    const d = value - prevValue;
    const rel = prevValue !== 0 ? d / Math.abs(prevValue) : NaN;
    const better = lowerIsBetter === null || Math.abs(d) < 1e-12 ? 'same' : (d < 0) === lowerIsBetter ? 'better' : 'worse';
    const relText = Number.isFinite(rel) && Math.abs(d) > 0 ? ` (${rel >= 0 ? '+' : '−'}${Math.abs(rel * 100).toFixed(rel !== 0 && Math.abs(rel) < 0.01 ? 2 : 0)}%)` : '';
    const dText = Math.abs(d) < 1e-12 ? 'same as previous' : `${d >= 0 ? '+' : '−'}${delta(Math.abs(d))}${relText} vs previous`;
    t.append(h('span', { class: `delta ${better}`, text: dText }));
  }
  return t;
}

/**
 * The SLO card, read as the CLI's line: "SLO p99 < 100ms" (the objective, as written),
 * "MISSED", "87.5% of requests within target" (fmtPct: 99.95 % never reads 100.0 %).
 */
function sloTile(r: RunOutput['result'], p: RunOutput['result'] | undefined): HTMLElement {
  const slo = r.slo!;
  const text = sloText(slo);
  const t = tile('sloAttainment', text.title, slo.attainment, text.verdict, p?.slo?.attainment, false, deltaPoints);
  t.classList.add(slo.met ? 'ok' : 'bad', 'slo');
  t.title = `${text.line} (drops count as misses)`;
  t.querySelector('.value')!.after(h('span', { class: 'detail', text: text.attainment }));
  return t;
}

/** The LLM section's figures shown as tiles, in this order, when the run has one (each descriptor from `llmFigures`). */
const LLM_TILES = ['llm.ttftMs.p99', 'llm.tpotMs.p99', 'llm.kvUtilization.mean', 'llm.outputTokensPerS', 'llm.slo.attainment', 'llm.cost.perMillionOutputTokensUsd'];
const LLM_FIGURE = new Map(llmFigures.map((d) => [d.path, d]));

function paintFigures(cur: RunOutput, prev: RunOutput | null): void {
  const r = cur.result;
  const p = prev?.result;
  const tiles = [
    figureTile('p50', LATENCY.p50, r, p),
    figureTile('p99', LATENCY.p99, r, p),
    figureTile('p999', LATENCY.p999, r, p),
    figureTile('mean', LATENCY.mean, r, p),
    figureTile('throughput', THROUGHPUT.throughputRps, r, p),
    figureTile('dropRate', DROPS.dropRate, r, p, { label: 'dropped', text: `${formatFigure(DROPS.dropRate, r.dropRate)} (${fmtCount(r.requests.dropped)})` }),
  ];
  if (r.cost.perHour > 0) {
    // A previous run without a bill has no cost to compare with.
    const pc = p && p.cost.perHour > 0 ? p : undefined;
    tiles.push(figureTile('costPerHour', COST.perHour, r, pc), figureTile('costPerMillion', COST.perMillionRequests, r, pc));
  }
  if (r.slo) tiles.push(sloTile(r, p));
  if (r.quality !== null) tiles.push(figureTile('quality', QUALITY.quality, r, p ?? undefined, { label: `quality (${r.qualityMetric ?? ''})` }));
  if (r.llm !== null && r.llm !== undefined) {
    // The token-level figures of an LLM stage (issue 15): what its SLOs and its bill are about.
    const pl = p?.llm ? p : undefined;
    for (const path of LLM_TILES) {
      const d = LLM_FIGURE.get(path)!;
      const v = figureAt(r, d);
      if (v === undefined || v === null) continue; // no price, or no TTFT/TPOT objective
      tiles.push(figureTile(path, d, r, pl));
    }
  }
  ui.figures.replaceChildren(...tiles);
}

function table(columns: string[], rows: string[][], numericFrom = 1, className = ''): HTMLElement {
  const head = h('tr', {}, ...columns.map((c, i) => h('th', { class: i >= numericFrom ? 'num' : '', text: c })));
  const body = rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { class: i >= numericFrom ? 'num' : '', text: c }))));
  return h('div', { class: 'table-wrap' }, h('table', { class: className }, h('thead', {}, head), h('tbody', {}, ...body)));
}

/** The CLI's stage table (src/report/stage-table.ts) as HTML; a cell's figure is in data-value. */
function paintStages(r: RunOutput['result']): void {
  const t = stageTable(r);
  const cls = (c: (typeof t.columns)[number]) => (c.align === 'right' ? 'num' : '');
  const head = h('tr', {}, ...t.columns.map((c) => h('th', { class: cls(c), 'data-key': c.key, 'data-unit': c.unit, text: c.label })));
  const body = t.rows.map((row) =>
    h('tr', { 'data-stage': row.stage }, ...row.cells.map((cell, i) => h('td', { class: cls(t.columns[i]!), 'data-value': cell.value === null ? undefined : String(cell.value), text: cell.text }))),
  );
  ui.stageTable.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'stages' }, h('thead', {}, head), h('tbody', {}, ...body))));
}

/**
 * The figures per request class (issue 16): one row per class, each cell a figure of
 * `classFigureRows` (its value in data-value, as `--json` has it); the card is hidden for
 * a run without classes.
 */
function paintClasses(r: RunOutput['result']): void {
  const rows = classFigureRows(r);
  ui.classesCard.hidden = rows.length === 0;
  if (rows.length === 0) {
    // The chart of an earlier run with classes goes too (charts.ts draws only the charts a report has).
    ui.classTable.replaceChildren();
    const chart = byId('chart-classes');
    chart.replaceChildren();
    delete chart.dataset.drawn;
    delete chart.dataset.marks;
    return;
  }
  const head = h('tr', {}, h('th', { text: 'class' }), ...rows[0]!.cells.map((c) => h('th', { class: 'num', 'data-key': c.key, text: c.header })));
  const body = rows.map((row) =>
    h('tr', { 'data-class': row.name }, h('td', { text: row.name }), ...row.cells.map((c) => h('td', { class: 'num', 'data-key': c.key, 'data-value': c.value === null ? undefined : String(c.value), text: c.text }))),
  );
  ui.classTable.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'classes' }, h('thead', {}, head), h('tbody', {}, ...body))));
}

function settingsText(o: Override[]): string {
  return o.length === 0 ? "the file's values" : o.map((x) => `${x.path}=${String(x.value)}`).join(', ');
}

let chartsModule: Promise<typeof import('./charts.ts')> | null = null;
let paintSeq = 0;

function paint(): void {
  if (current === null) return;
  const cur = current;
  const prev = ui.compare.checked ? previous : null;
  const r = cur.output.result;
  ui.title.textContent = r.scenario;
  const desc = typeof raw?.description === 'string' ? raw.description : '';
  ui.sub.textContent = `${desc ? `${desc} · ` : ''}${measuredText(r, cur.warmup)}`;
  const written = typeof raw?.narrative === 'string' ? raw.narrative : '';
  // The page runs the base configuration: its figures fill the narrative's placeholders,
  // another variant's (or a sweep point's) read as a dash, and a placeholder the result cannot fill stays as written.
  const base = typeof raw?.baseName === 'string' ? raw.baseName : 'base';
  // A sweep's readings and points ({kneeX}, {path@x=value}) are not this one run's: a dash.
  const filled = fillPlaceholders(written, (path, v) => (SWEEP_READINGS.has(path) ? null : v === undefined || v === base ? numberAt(r, path) : numberAt(r, path) === undefined ? undefined : null));
  const narrative = filled.problems.length === 0 ? filled.text : written;
  ui.narrative.hidden = narrative === '';
  // As the CLI says: a narrative describes the file as written; the figures it quotes are this run's.
  const caveat = cur.overrides.length > 0 ? `(Run with ${settingsText(cur.overrides)}: the narrative below describes the scenario as written; the figures it quotes are this run's.) ` : '';
  ui.narrative.querySelector('p')!.textContent = `${caveat}${narrative}`;

  paintFigures(cur.output, prev?.output ?? null);
  ui.warnings.replaceChildren(...r.warnings.map((w) => h('li', { text: w })));
  paintStages(r);
  paintClasses(r);

  const report = reportOf(cur, prev);
  if (prev) {
    const t = report.table;
    ui.compareTable.replaceChildren(
      h('h3', { text: 'This run against the previous one' }),
      table(t.columns, t.rows, 1, 'compare'),
      h('p', { class: 'caption', text: `this run: ${settingsText(cur.overrides)} · previous run: ${settingsText(prev.overrides)}` }),
    );
    ui.compareTable.className = 'card';
  } else {
    ui.compareTable.replaceChildren();
    ui.compareTable.className = '';
  }
  const th = theoryTable(report);
  ui.theory.replaceChildren(th.rows.length === 0 ? h('p', { class: 'no-data', text: 'No closed-form model applies to this run.' }) : table(th.columns, th.rows, 3, 'theory'));
  const priced = r.cost.perHour > 0;
  ui.costCaption.textContent = priced
    ? `The bill at this capacity (${fmtUsd(r.cost.perHour)}/hour, ${fmtPct(r.cost.paidUtilization)} of paid capacity busy) against the tail it buys${prev ? ', for this run and the previous one' : ''}.`
    : 'No hardware is named in this scenario, so nothing is billed: give a stage a hardware (and a model) to price it.';
  byId('chart-tradeoff').hidden = !priced;

  // What the painted figures are of, for a reader of the page's DOM (the tests).
  ui.results.dataset.settings = settingsText(cur.overrides);
  ui.results.dataset.arrived = String(r.requests.arrived);
  const paintStart = performance.now();
  const seq = ++paintSeq;
  ui.results.dataset.charts = 'drawing';
  chartsModule ??= import('./charts.ts');
  void chartsModule
    .then(async (m) => {
      if (seq !== paintSeq) return;
      const warnings = await m.drawCharts(ui.results, report);
      if (seq !== paintSeq) return;
      for (const w of warnings) console.warn(`servesim playground: chart: ${w}`);
      ui.results.dataset.charts = 'drawn';
      ui.results.dataset.chartsMs = (performance.now() - paintStart).toFixed(0);
      ui.results.dataset.paintedId = String(cur.id);
    })
    .catch((err: unknown) => {
      ui.results.dataset.charts = 'error';
      console.error('servesim playground: charts:', err);
    });
}

// ---------------------------------------------------------------------------
// Sharing in the URL.

function stateNow(): SharedState {
  const knobValues: Record<string, number | string> = {};
  for (const o of currentOverrides()) knobValues[o.path] = o.value as number | string;
  const s: SharedState = { knobs: knobValues };
  if (source.builtin !== undefined) s.builtin = source.builtin;
  else {
    s.text = source.text;
    s.name = source.name;
  }
  if (ui.compare.checked) s.compare = true;
  return s;
}

let hashTimer: ReturnType<typeof setTimeout> | undefined;
let lastHash = '';

function scheduleHash(): void {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => void writeHash(), 150);
}

async function writeHash(): Promise<string> {
  const hash = `#${await encodeState(stateNow())}`;
  lastHash = hash;
  if (location.hash !== hash) history.replaceState(null, '', hash);
  return location.href;
}

async function restore(hash: string): Promise<boolean> {
  const s = await decodeState(hash);
  if (s === null) return false;
  ui.compare.checked = s.compare === true;
  previous = null;
  if (s.builtin !== undefined && BUILTINS.some((b) => b.name === s.builtin)) openBuiltin(s.builtin, s.knobs);
  else if (typeof s.text === 'string') openSource({ name: typeof s.name === 'string' && s.name !== '' ? s.name : 'shared.yaml', text: s.text }, s.knobs);
  else return false;
  return true;
}

// ---------------------------------------------------------------------------
// Events.

fillScenarioSelect();

ui.select.addEventListener('change', () => {
  if (ui.select.value === '') return;
  previous = null;
  openBuiltin(ui.select.value);
});

let editTimer: ReturnType<typeof setTimeout> | undefined;
editor.onEdit = (text) => {
  const wasBuiltin = source.builtin;
  const b = BUILTINS.find((x) => x.name === (wasBuiltin ?? source.name.replace(/\.yaml$/, '')));
  const pristine = b !== undefined && b.text === text;
  source = pristine ? { name: b.name, text, builtin: b.name } : { name: wasBuiltin !== undefined ? `${wasBuiltin}.yaml` : source.name, text };
  clearTimeout(editTimer);
  editTimer = setTimeout(() => refresh(), 250);
};

ui.resetKnobs.addEventListener('click', () => {
  values.clear();
  knobSignature = '';
  refresh();
});

ui.compare.addEventListener('change', () => {
  scheduleHash();
  paint();
});

ui.openFile.addEventListener('click', () => ui.fileInput.click());
ui.fileInput.addEventListener('change', async () => {
  const f = ui.fileInput.files?.[0];
  if (f) openText(f.name, await f.text());
  ui.fileInput.value = '';
});

// Paste anywhere but in a text field opens the pasted text as the scenario.
document.addEventListener('paste', (e) => {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT' || t.isContentEditable)) return;
  const text = e.clipboardData?.getData('text/plain') ?? '';
  if (text.trim() === '') return;
  e.preventDefault();
  openText('pasted.yaml', text);
});

document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dropping');
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.body.classList.remove('dropping');
});
document.addEventListener('drop', async (e) => {
  e.preventDefault();
  document.body.classList.remove('dropping');
  const f = e.dataTransfer?.files[0];
  if (f) openText(f.name, await f.text());
  else {
    const text = e.dataTransfer?.getData('text/plain') ?? '';
    if (text.trim() !== '') openText('dropped.yaml', text);
  }
});

ui.share.addEventListener('click', async () => {
  clearTimeout(hashTimer);
  const url = await writeHash();
  ui.shareRow.hidden = false;
  ui.shareUrl.value = url;
  ui.shareUrl.select();
  try {
    await navigator.clipboard.writeText(url);
    ui.shareNote.textContent = 'Copied. The link holds the scenario and the knobs; opening it runs the same numbers.';
  } catch {
    ui.shareNote.textContent = 'Copy the link above: it holds the scenario and the knobs.';
  }
});

window.addEventListener('hashchange', () => {
  if (location.hash !== lastHash) void restore(location.hash);
});

void (async () => {
  if (!(await restore(location.hash))) openBuiltin(DEFAULT_BUILTIN);
  // Load the charts while the first run works: after that the page needs nothing more.
  chartsModule ??= import('./charts.ts');
})();
