import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, checkPart, experimentHash, makePartial, MAX_SHARDS, parseShard, stringifyPartial, type Experiment, type PartialResult } from '../../src/cli/shard.ts';
import { cli, expectInputError } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-shard-'));
const args = ['sweep', 'test/fixtures/small.yaml', '--vary', 'arrivals.qps=4..9', '--steps', '3', '--replications', '2', '--workers', '1', '--set', 'stop.requests=4000', '--set', 'warmup.requests=400'];

describe('shards and merge', () => {
  it('merging the parts of a sharded sweep gives exactly the unsharded result', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `part${i}.json`);
      const r = await cli(...args, '--shard', `${i}/3`, '--out', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/3`);
      parts.push(out);
    }
    const merged = await cli('merge', ...parts.reverse(), '--json');
    const direct = await cli(...args, '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(direct.stdout);
  });

  it('merging a sharded compare of a variants file, text and all, gives the unsharded output', async () => {
    const cmp = ['compare', 'examples/deep-ranker-variants.yaml', '--replications', '2', '--workers', '1', '--set', 'stop.requests=2000', '--set', 'warmup.requests=200'];
    const parts = [0, 1].map((i) => join(dir, `cmp${i}.json`));
    for (let i = 0; i < 2; i++) expect((await cli(...cmp, '--shard', `${i}/2`, '--out', parts[i]!)).code).toBe(0);
    const merged = await cli('merge', ...parts);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe((await cli(...cmp)).stdout);
  });

  it('a part carries the experiment as data and a hash of it, never a command line', () => {
    const p = JSON.parse(readFileSync(join(dir, 'part0.json'), 'utf8')) as PartialResult & { argv?: unknown };
    expect(p.argv).toBeUndefined();
    expect(p.experiment.command).toBe('sweep');
    expect(p.experiment.refs).toEqual(['test/fixtures/small.yaml']);
    expect(p.experiment.scenarios[0]).toMatchObject({ name: 'small', arrivals: { process: 'poisson', qps: 8 } });
    expect(p.experiment.set).toEqual([
      { path: 'stop.requests', value: 4000 },
      { path: 'warmup.requests', value: 400 },
    ]);
    expect(p.experimentSha256).toBe(experimentHash(p.experiment));
    expect(p.experimentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a missing part is named', async () => {
    const out = join(dir, 'only.json');
    await cli(...args, '--shard', '0/2', '--out', out);
    const r = await cli('merge', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing shard(s) 1/2');
  });

  it('plan refuses to shard, and says how to split it instead', async () => {
    const r = await cli('plan', 'test/fixtures/small.yaml', '--slo', 'p99<1s', '--vary', 'stages.model.replicas=1..8', '--shard', '0/2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('plan bisects');
  });

  it('a trace replay refuses to shard before it runs: merge could not rebuild it without reading the trace', async () => {
    await expectInputError(['run', 'examples/llm-trace.yaml', '--replications', '2', '--shard', '0/2', '--out', join(dir, 'trace.json')], 'replays a trace');
    expect(existsSync(join(dir, 'trace.json'))).toBe(false);
  });

  it('--shard takes at most MAX_SHARDS parts', () => {
    expect(parseShard('3/10000')).toEqual({ i: 3, n: 10_000 });
    expect(() => parseShard(`0/${MAX_SHARDS + 1}`)).toThrow('at most 10,000 shards');
    expect(() => parseShard('0/1000000000')).toThrow('at most');
    expect(() => parseShard('2/2')).toThrow('0 ≤ i < n');
  });
});

describe('merge treats parts as data', () => {
  const run = ['run', 'test/fixtures/small.yaml', '--replications', '3', '--workers', '1', '--set', 'stop.requests=1500', '--set', 'warmup.requests=150'];
  let p0: PartialResult;
  const p1File = join(dir, 'r1.json');

  beforeAll(async () => {
    for (const i of [0, 1]) expect((await cli(...run, '--shard', `${i}/2`, '--out', join(dir, `r${i}.json`))).code).toBe(0);
    p0 = JSON.parse(readFileSync(join(dir, 'r0.json'), 'utf8')) as PartialResult;
  });

  /** Writes part 0 changed by `edit` (JSON as written: NaN travels as {$num}) and returns its path. */
  const tampered = (name: string, edit: (p: PartialResult & Record<string, unknown>) => void, rehash = false): string => {
    const p = structuredClone(p0) as PartialResult & Record<string, unknown>;
    edit(p);
    if (rehash) p.experimentSha256 = experimentHash(p.experiment);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(p));
    return file;
  };

  it('the untouched parts merge to the unsharded output', async () => {
    const merged = await cli('merge', join(dir, 'r0.json'), p1File);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe((await cli(...run)).stdout);
  });

  it('a part of the old format with a command line is refused, and nothing it names runs', async () => {
    const marker = join(dir, 'pwned.txt');
    const evil = join(dir, 'evil.mjs');
    writeFileSync(evil, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {};\n`);
    const old = join(dir, 'old.json');
    writeFileSync(old, JSON.stringify({ servesimShard: 1, argv: ['run', evil, '--report', join(dir, 'overwritten.html')], shard: { i: 0, n: 1 }, total: 0, runs: [] }));
    await expectInputError(['merge', old], 'old.json: servesimShard: is format 1');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'overwritten.html'))).toBe(false);
  });

  it('a part naming a module as its scenario, hash and all, never loads it: the content is validated as data', async () => {
    const marker = join(dir, 'pwned2.txt');
    const evil = join(dir, 'evil2.mjs');
    writeFileSync(evil, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {};\n`);
    const f = tampered(
      'module-ref.json',
      (p) => {
        p.experiment.refs = [evil];
        p.experiment.scenarios = [{}];
      },
      true,
    );
    const err = await expectInputError(['merge', f, p1File]);
    expect(err).toMatch(/comes from another experiment|missing/);
    const alone = tampered('module-ref-1of1.json', (p) => {
      p.experiment.refs = [evil];
      p.experiment.scenarios = [{ arrivals: { process: 'poisson', qps: 1 } }];
      p.shard = { i: 0, n: 1 };
      p.total = 0;
      p.runs = [];
    }, true);
    await expectInputError(['merge', alone], 'module-ref-1of1.json (scenario');
    expect(existsSync(marker)).toBe(false);
  });

  it('a changed experiment whose hash was not recomputed is refused', async () => {
    const f = tampered('rehash.json', (p) => {
      p.experiment.set = [{ path: 'stages.model.replicas', value: 9 }];
    });
    await expectInputError(['merge', f, p1File], 'experimentSha256: does not match the experiment');
  });

  it('a changed experiment with its hash recomputed no longer matches its sibling part', async () => {
    const f = tampered('other.json', (p) => (p.experiment.seed = 99), true);
    await expectInputError(['merge', f, p1File], 'comes from another experiment');
  });

  it('a mean latency of −2,046 ms is refused, naming the file and the field', async () => {
    const f = tampered('neg.json', (p) => (p.runs[0]!.run.result.latencyMs.mean = -2046));
    await expectInputError(['merge', f, p1File], 'neg.json: runs[0].run.result.latencyMs.mean: expected a finite figure ≥ 0, got -2046');
  });

  it('a plausible but changed latency is refused: the figures must be the ones its sketch gives', async () => {
    const f = tampered('p99.json', (p) => (p.runs[0]!.run.result.latencyMs.p99 *= 0.5));
    await expectInputError(['merge', f, p1File], "runs[0].run.result.latencyMs.p99", 'is not what the run\'s latency sketch gives');
  });

  it('counts that do not add up are refused', async () => {
    const f = tampered('counts.json', (p) => (p.runs[0]!.run.result.requests.completed += 1));
    await expectInputError(['merge', f, p1File], 'runs[0].run.result.requests: arrived');
    const frac = tampered('frac.json', (p) => (p.runs[0]!.run.result.requests.dropped = 0.5));
    await expectInputError(['merge', frac, p1File], 'requests.dropped: expected a whole number');
  });

  it('a sketch whose buckets do not hold its count, or with absurd keys, is refused', async () => {
    const f = tampered('sketch.json', (p) => (p.runs[0]!.run.latency.buckets[0]![1] += 1));
    await expectInputError(['merge', f, p1File], 'runs[0].run.latency.count: is');
    const keys = tampered('keys.json', (p) => (p.runs[0]!.run.latency.buckets[0]![0] = -1e9));
    await expectInputError(['merge', keys, p1File], 'runs[0].run.latency.buckets[0]: expected increasing whole-number keys');
  });

  it('shard numbers are checked before anything is allocated (n: 1e9)', async () => {
    const f = tampered('huge-n.json', (p) => (p.shard = { i: 0, n: 1e9 }));
    await expectInputError(['merge', f], 'huge-n.json: shard.n: expected a whole number from 0 to 10,000');
    const total = tampered('total.json', (p) => (p.total = 1e6));
    await expectInputError(['merge', total, p1File], 'total.json: runs: shard 0/2 of 1000000 runs must hold 500000, holds');
  });

  it('a run index outside its shard, or repeated, is refused', async () => {
    const f = tampered('index.json', (p) => (p.runs[1]!.index = 1));
    await expectInputError(['merge', f, p1File], 'runs[1].index: 1 is not the next run of shard 0/2');
  });

  it('control characters in a run\'s text are refused (they would reach the terminal)', async () => {
    const f = tampered('ansi.json', (p) => p.runs[0]!.run.result.warnings.push('\u001b[2J\u001b[31mowned'));
    await expectInputError(['merge', f, p1File], 'runs[0].run.result.warnings[0]: expected one line of plain text');
  });

  it('a __proto__ override path in a part is refused', async () => {
    const f = tampered('proto.json', (p) => (p.experiment.set = [{ path: '__proto__.polluted', value: 1 }]), true);
    await expectInputError(['merge', f, p1File], 'experiment.set[0].path');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('JSON that does not parse, a directory, a FIFO-like non-file and an oversized file are refused', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"servesimShard": 3, ');
    await expectInputError(['merge', bad], 'bad.json: not a part: cannot read it as JSON');
    const sub = join(dir, 'a-dir.json');
    mkdirSync(sub, { recursive: true });
    await expectInputError(['merge', sub], 'a-dir.json: not a regular file');
    await expectInputError(['merge', '/dev/zero'], '/dev/zero: not a regular file');
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 300 * 2 ** 20); // sparse: no disk used
    await expectInputError(['merge', big], 'over the 256 MB limit');
    await expectInputError(['merge', join(dir, 'nope.json')], 'nope.json: cannot read the part (no such file)');
  });

  it('any mutation of a part gives exit 0 or 2, never an internal error (fast-check)', async () => {
    // Every place in the part, and values of every kind a tamperer might put there.
    const paths: Array<Array<string | number>> = [];
    const walk = (x: unknown, p: Array<string | number>) => {
      if (p.length > 0) paths.push(p);
      if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, [...p, Array.isArray(x) ? Number(k) : k]);
    };
    walk(p0, []);
    const value = fc.oneof(fc.constantFrom(-1, 0.5, 1e308, 1e9, -0, null, true, {}, [], { $num: 'NaN' }, { $num: 'Infinity' }, '\u001b[2J', ''), fc.integer(), fc.double(), fc.string());
    const mutation = fc.record({ at: fc.nat(paths.length - 1), del: fc.boolean(), value });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.constantFrom('--json', 'text'), async (ms, mode) => {
        const p = structuredClone(p0) as unknown as Record<string, unknown>;
        for (const m of ms) {
          const path = paths[m.at]!;
          let cur: unknown = p;
          for (const k of path.slice(0, -1)) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
          if (cur === null || typeof cur !== 'object') continue;
          const last = path[path.length - 1]!;
          if (m.del) delete (cur as Record<string | number, unknown>)[last];
          else (cur as Record<string | number, unknown>)[last] = m.value;
        }
        const file = join(dir, 'fuzzed.json');
        writeFileSync(file, JSON.stringify(p));
        const r = await cli('merge', file, p1File, ...(mode === '--json' ? ['--json'] : []));
        expect([0, 2], r.stderr).toContain(r.code);
        expect(r.stderr).not.toContain('internal error');
      }),
      // 150 runs of about 10 ms: enough to reach every field several times, a second or two in all.
      { numRuns: 150, seed: 11 },
    );
  });

  it('merge writes only where its own flags say', async () => {
    const report = join(dir, 'merged.md');
    const r = await cli('merge', join(dir, 'r0.json'), p1File, '--report', report);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(report)).toBe(true);
  });
});

describe('checkPart', () => {
  const base = (): PartialResult => {
    const experiment = { command: 'run' as const, refs: ['x.yaml'], scenarios: [{ arrivals: { process: 'poisson', qps: 1 } }], set: [], replications: 1 };
    return { servesimShard: 3, experiment, experimentSha256: experimentHash(experiment), shard: { i: 0, n: 1 }, total: 0, runs: [] };
  };
  const problem = (edit: (p: PartialResult & Record<string, unknown>) => void): string => {
    const p = base() as PartialResult & Record<string, unknown>;
    edit(p);
    try {
      checkPart(p);
    } catch (err) {
      return (err as Error).message;
    }
    return 'accepted';
  };

  it('accepts a well-formed part', () => expect(problem(() => {})).toBe('accepted'));
  it('names the format', () => expect(problem((p) => delete (p as Partial<PartialResult>).servesimShard)).toContain('servesimShard: missing'));
  it('refuses i ≥ n and fractional shards', () => {
    expect(problem((p) => (p.shard = { i: 1, n: 1 }))).toContain('shard: expected 0 ≤ i < n');
    expect(problem((p) => (p.shard = { i: 0.5, n: 2 }))).toContain('shard.i: expected a whole number');
    expect(problem((p) => (p.shard = { i: 0, n: 0 }))).toContain('expected 0 ≤ i < n');
  });
  it('refuses a total its runs do not hold', () => expect(problem((p) => (p.total = 3))).toContain('runs: shard 0/1 of 3 runs must hold 3, holds 0'));
  it('refuses an unknown command', () => {
    expect(
      problem((p) => {
        (p.experiment as { command: string }).command = 'plan';
        p.experimentSha256 = experimentHash(p.experiment);
      }),
    ).toContain('experiment.command');
  });

  it('canonical JSON does not depend on key order, and keeps NaN and infinities apart', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, NaN], c: Infinity } })).toBe('{"a":{"c":{"$num":"Infinity"},"d":[1,{"$num":"NaN"}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it("a written part's hash is the hash of what merge reads back, infinities included", () => {
    const experiment: Experiment = { command: 'run', refs: ['x.yaml'], scenarios: [{ stages: [{ name: 'm', queue: { capacity: Infinity } }], gone: undefined }], set: [{ path: 'seed', value: 3 }] };
    const p = makePartial({ shard: { i: 0, n: 1 }, total: 0, runs: [] }, experiment);
    const back = checkPart(JSON.parse(stringifyPartial(p), (_k, v: unknown) => (v !== null && typeof v === 'object' && '$num' in v ? Number((v as { $num: string }).$num) : v)));
    expect(back.experimentSha256).toBe(p.experimentSha256);
  });
});
