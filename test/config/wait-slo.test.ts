/**
 * The waiting-time objective's forms (src/config/slo.ts): `slo: "wait < 20s for 80%"`,
 * `slo: { wait: ... }` beside a latency one, and bad ones refused through the CLI with
 * exit code 2 and a located message naming the value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWaitSlo, sloSpec, waitSlo } from '../../src/config/slo.ts';
import { cli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-wait-slo-'));

function scenarioFile(slo: string): string {
  const p = join(dir, 'bad.yaml');
  writeFileSync(
    p,
    `name: wait-slo
arrivals: { process: poisson, qps: 50 }
stop: { requests: 200 }
slo: ${slo}
stages:
  - name: model
    replicas: 2
    service: { dist: exponential, mean: "10ms" }
`,
  );
  return p;
}

describe('waiting-time objective: forms', () => {
  it('parses the string form, normalised, and the object form beside a latency objective', () => {
    expect(parseWaitSlo('  WAIT<20 s for 80 %')).toEqual({ target: 'wait < 20s for 80%', waitS: 20, fraction: 0.8 });
    expect(waitSlo(sloSpec.parse('wait < 100ms for 99.5%'))).toEqual({ target: 'wait < 100ms for 99.5%', waitS: 0.1, fraction: 0.995 });
    const both = sloSpec.parse({ latency: 'p99 < 1s', wait: 'wait < 0s for 50%' });
    expect(waitSlo(both)?.waitS).toBe(0);
    expect(waitSlo(sloSpec.parse('p99 < 1s'))).toBeNull();
  });

  it('runs: the JSON gains waitSlo and each stage waitWithinShare', async () => {
    const r = await cli('run', scenarioFile('"wait < 5ms for 80%"'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { slo: unknown; waitSlo: { target: string; met: boolean }; stages: { model: { waitWithinShare: number } } };
    expect(out.slo).toBeNull();
    expect(out.waitSlo.target).toBe('wait < 5ms for 80%');
    expect(out.stages.model.waitWithinShare).toBeGreaterThan(0.5);
  });

  it('refuses a wait without a unit, a share out of range, and a misspelt form: exit 2, located', async () => {
    for (const [slo, message] of [
      ['"wait < 20 for 80%"', 'bad.yaml:4:6: slo: expected a waiting-time objective like "wait < 20s for 80%", got "wait < 20 for 80%"'],
      ['"wait < 20s for 100%"', 'slo: expected a waiting-time objective like "wait < 20s for 80%", got "wait < 20s for 100%" (the share must be between 0 and 100 %, exclusive)'],
      ['{ wait: "wait > 20s for 80%" }', 'slo.wait: expected a waiting-time objective'],
      ['{ wait: 20 }', 'slo.wait: expected a waiting-time objective like "wait < 20s for 80%", got 20'],
    ] as const) {
      const r = await cli('run', scenarioFile(slo));
      expect(r.code, slo).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, slo).toContain(message);
    }
  });
});
