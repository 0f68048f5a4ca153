/**
 * Parsing safety: user keys never reach Object.prototype, registries and catalogs answer
 * only for their own entries, and hostile YAML (alias bombs, undefined aliases, tags,
 * duplicate keys, deep nesting, huge files, 40k unknown keys) is a located exit-2 error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/errors.ts';
import { MAX_SCENARIO_BYTES, parseScenarioText, rawFromObject, validateScenario } from '../../src/config/parse.ts';
import { cli } from '../support/cli.ts';

const BASE = ['arrivals: { process: poisson, qps: 10 }', 'stop: { requests: 200 }', 'stages:', '  - name: model', '    replicas: 2', '    service: { dist: exponential, mean: "50ms" }'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-parse-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

/** Problems of an InputError thrown by `fn` (fails the test when nothing or something else is thrown). */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return [...err.problems];
    throw err;
  }
  throw new Error('expected an InputError');
}

const polluted = () => (({}) as Record<string, unknown>).polluted;

describe('prototype pollution', () => {
  const cases: Array<{ what: string; argv: () => string[]; message: string }> = [
    { what: '--set __proto__.x', argv: () => ['run', file('a.yaml', BASE), '--set', '__proto__.polluted=1'], message: 'the key "__proto__" is not allowed' },
    { what: '--set constructor.prototype.x', argv: () => ['run', file('a.yaml', BASE), '--set', 'constructor.prototype.polluted=1'], message: 'the key "constructor" is not allowed' },
    { what: '--set stages[0].__proto__.x', argv: () => ['run', file('a.yaml', BASE), '--set', 'stages[0].__proto__.polluted=1'], message: 'the key "__proto__" is not allowed' },
    { what: '--set with a __proto__ key in its value', argv: () => ['run', file('a.yaml', BASE), '--set', 'hardware={__proto__: {polluted: 1}}'], message: '--set hardware: in the value, __proto__: the key "__proto__" is not allowed' },
    { what: 'a variant named __proto__', argv: () => ['compare', file('v.yaml', [...BASE, 'variants:', '  __proto__: { polluted: 1 }'])], message: 'v.yaml:8:3: the key "__proto__" is not allowed' },
    { what: 'a variant path __proto__.x', argv: () => ['compare', file('w.yaml', [...BASE, 'variants:', '  a: { "__proto__.polluted": 1 }'])], message: 'the key "__proto__" is not allowed' },
    { what: 'a variant path constructor.prototype.x', argv: () => ['compare', file('w2.yaml', [...BASE, 'variants:', '  a: { "constructor.prototype.polluted": 1 }'])], message: 'the key "constructor" is not allowed' },
    { what: '__proto__ in a YAML mapping', argv: () => ['validate', file('m.yaml', [...BASE, '    cache: { __proto__: { polluted: 1 } }'])], message: 'm.yaml:7:14: the key "__proto__" is not allowed' },
    { what: 'prototype in a hardware catalog', argv: () => ['validate', file('h.yaml', [...BASE, 'hardware: { prototype: { device: cpu, usdPerHour: 1 } }'])], message: 'the key "prototype" is not allowed' },
    { what: '__proto__ in JSON', argv: () => ['validate', file('j.json', ['{"__proto__": {"polluted": 1}, "arrivals": {"process": "poisson", "qps": 1}}'])], message: 'j.json:1:2: the key "__proto__" is not allowed' },
    { what: 'topology: constructor', argv: () => ['validate', file('t.yaml', ['topology: constructor', 'arrivals: { process: poisson, qps: 10 }', 'stop: { requests: 200 }'])], message: 't.yaml:1:11: topology: expected one of "batch", "realtime", "cascade", "hybrid", got "constructor"' },
    { what: 'topology: __proto__ as a value', argv: () => ['validate', file('t2.yaml', ['topology: __proto__', 'arrivals: { process: poisson, qps: 10 }', 'stop: { requests: 200 }'])], message: 'got "__proto__"' },
    { what: 'model: constructor', argv: () => ['validate', file('mo.yaml', [...BASE.slice(0, 5), '    model: constructor', '    hardware: g5.xlarge'])], message: 'stages[0].model: unknown model "constructor"' },
    { what: 'hardware: toString', argv: () => ['validate', file('hw.yaml', [...BASE, '    hardware: toString'])], message: 'stages[0].hardware: unknown hardware "toString"' },
    { what: 'precompute hardware: hasOwnProperty', argv: () => ['validate', file('pc.yaml', ['users: { count: 10 }', ...BASE, '    precompute: { every: 1h, workers: 1, batch: 10, perItem: 1ms, hardware: hasOwnProperty, miss: { heuristic: { latency: { dist: deterministic, value: 1ms }, quality: 0.5 } } }'])], message: 'stages[0].precompute.hardware: unknown hardware "hasOwnProperty"' },
  ];
  for (const c of cases) {
    it(`${c.what}: exit 2 with a located message, Object.prototype untouched`, async () => {
      const r = await cli(...c.argv());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(c.message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(polluted()).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  }

  it('a TypeScript scenario object with an own __proto__ key is refused', () => {
    const obj = JSON.parse('{"arrivals": {"process": "poisson", "qps": 1}, "variants": {"__proto__": {"polluted": 1}}}') as unknown;
    expect(problemsOf(() => rawFromObject(obj, 'mod.ts'))).toEqual(['mod.ts: variants.__proto__: the key "__proto__" is not allowed (it names JavaScript object machinery, never a scenario setting)']);
    expect(polluted()).toBeUndefined();
  });
});

describe('hostile YAML', () => {
  const problems = (text: string) => problemsOf(() => parseScenarioText({ name: 's.yaml', text }));

  it('an alias bomb is refused at its first alias, without expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    expect(problems(levels.join('\n'))).toEqual(['s.yaml:2:8: aliases (*name) expand to too much data (at most 100 expansions of an anchor; is this an alias bomb?)']);
  });

  it('30,000 undefined aliases are all found in linear time (yaml resolves each by scanning the document)', () => {
    const p = problems(`y: [${Array(30_000).fill('*a').join(',')}]\nx: &a 1\n`);
    expect(p).toHaveLength(21);
    expect(p[0]).toBe('s.yaml:1:5: the alias *a names no anchor defined before it (&a)');
    expect(p[20]).toBe('… and 29980 more problems (showing the first 20 of 30000)');
    // About 0.3 s; resolving alias by alias took minutes: the test's timeout (20 s) catches a return of that.
  }, 20_000);

  it('a few aliases sharing a block are fine', () => {
    const rs = parseScenarioText({ name: 's.yaml', text: 'x: &svc { dist: exponential, mean: "5ms" }\ny: [*svc, *svc]\n' });
    expect(rs.raw.y).toEqual([{ dist: 'exponential', mean: '5ms' }, { dist: 'exponential', mean: '5ms' }]);
  });

  it('an undefined alias, tags, complex and duplicate keys are located', () => {
    expect(problems('a: 1\nb: *nope\n')).toEqual(['s.yaml:2:4: the alias *nope names no anchor defined before it (&nope)']);
    expect(problems('a: !!js/function "function () {}"\n')[0]).toBe('s.yaml:1:18: YAML tags such as !!js/function are not accepted: a scenario holds plain values');
    expect(problems('a: !!binary aGVsbG8=\n')[0]).toMatch(/^s\.yaml:1:\d+: YAML tags such as !!binary are not accepted/);
    expect(problems('a: !custom x\n')[0]).toMatch(/YAML tags such as !custom are not accepted/);
    expect(problems('? [a, b]\n: 1\n')[0]).toMatch(/^s\.yaml:1:3: a key must be a plain word or number/);
    expect(problems('a: 1\nb: 2\na: 3\n')).toEqual(['s.yaml:3:1: the key "a" appears twice in this mapping']);
  });

  it('10,000 levels of nesting are refused quickly, in flow and block style', () => {
    expect(problems(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)[0]).toMatch(/nested (too deeply|more than 64 levels)/);
    const block = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    expect(problems(`${block} 1\n`)[0]).toMatch(/nested more than 64 levels deep/);
    // About 50 ms alone; the test's timeout (20 s) only catches a return of the stack overflow or a hang.
  }, 20_000);

  it('a text over the size limit is refused before parsing, and so is a file before reading', async () => {
    expect(problems(`name: "${'a'.repeat(MAX_SCENARIO_BYTES)}"\n`)).toEqual([`s.yaml: the file is 4.0 MB; a scenario file may be at most 4 MB`]);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `name: "${'a'.repeat(10 * 1024 * 1024)}"\n`);
    const r = await cli('validate', big);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the file is 10.0 MB; a scenario file may be at most 4 MB');
  });

  it('a dense file under the size limit is refused by its count of words and list items, before parsing', () => {
    expect(problems(`x: [${Array(200_000).fill('1').join(',')}]\n`)).toEqual(['s.yaml: has 200,001 words and list items; a scenario file may have at most 150,000 (put large data, such as recorded arrivals, in a CSV trace)']);
    expect(problems(`x: [${Array(200_000).fill('*a').join(' ')}]\n`)[0]).toMatch(/^s\.yaml: has 200,001 words and list items/);
    // The count takes milliseconds; parsing the list would take seconds (no clock here: speed is bench/'s).
  });

  // 4,000 keys keep this test fast; test/hostile/cases/unknown-keys-40k.yaml times 40,000 end to end.
  it('4,000 unknown keys: the first 20 problems, located, and a count of the rest', () => {
    const lines = [...BASE, ...Array.from({ length: 4_000 }, (_, i) => `key_${i}: ${i}`)];
    const rs = parseScenarioText({ name: 'big.yaml', text: `${lines.join('\n')}\n` });
    const p = problemsOf(() => validateScenario(rs));
    expect(p).toHaveLength(21);
    expect(p[0]).toMatch(/^big\.yaml:7:8: key_0: unknown key \(did you mean "\w+"\?\); allowed here: name, /);
    expect(p[19]).toMatch(/^big\.yaml:26:9: key_19: unknown key/);
    expect(p[20]).toBe('… and 3980 more problems (showing the first 20 of 4000)');
  });
});

describe('--set indices', () => {
  it('an index beyond the list is refused, naming the stages; the next index may append', async () => {
    const f = file('s.yaml', BASE);
    const r = await cli('run', f, '--set', 'stages[99999999].replicas=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('servesim: --set stages[99999999].replicas: index 99999999 is beyond the list, which has 1 element (named: model); use an index up to 1\n');
    const append = await cli('validate', f, '--set', 'stages[1].replicas=1');
    expect(append.code).toBe(2);
    expect(append.stderr).toContain('stages[1].name: missing (required)');
    expect((await cli('validate', f, '--set', 'stages[0].replicas=3')).code).toBe(0);
    expect((await cli('validate', f, '--set', 'stages.model.replicas=3')).code).toBe(0);
  });

  it('an index into something that is not a list says so', async () => {
    const r = await cli('run', file('s.yaml', BASE), '--set', 'arrivals[0]=1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--set arrivals[0]: "arrivals" is not a list, so [0] names nothing');
  });
});
