/**
 * The pool's per-replica slots under faults (src/models/stations/replica-slots.ts): the
 * segment tree's pick equals the plain scan's (fewest batches running among up
 * replicas with a free slot, lowest index on ties) after any sequence of starts,
 * finishes, failures and repairs; so does a hedge's pick that leaves out one replica.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplicaSlots, RunningWork } from '../../src/models/stations/replica-slots.ts';
import type { Timer } from '../../src/engine/index.ts';

const timer = (): Timer => ({ active: true, cancel() {} });

describe('ReplicaSlots', () => {
  it('picks as the reference scan does, through starts, finishes, failures and repairs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat()), { maxLength: 300 }),
        (replicas, concurrency, ops) => {
          const s = new ReplicaSlots(replicas, concurrency);
          const running: RunningWork[] = [];
          for (const [op, n] of ops) {
            const free = s.up.some((u, i) => u === 1 && s.running[i]!.size < concurrency);
            if (op === 0 && free) {
              const i = s.pick();
              expect(i).toBe(s.pickByScan());
              const w = new RunningWork(i, null, []);
              w.timer = timer();
              s.add(w);
              running.push(w);
            } else if (op === 1 && running.length > 0) {
              const w = running.splice(n % running.length, 1)[0]!;
              s.remove(w);
            } else if (op === 2) {
              const i = n % replicas;
              if (s.up[i] === 1) {
                const lost = s.fail(i);
                for (const w of lost) running.splice(running.indexOf(w), 1);
              }
            } else if (op === 3) {
              const i = n % replicas;
              if (s.up[i] === 0) s.repair(i);
            }
            if (s.up.some((u, i) => u === 1 && s.running[i]!.size < concurrency)) expect(s.pick()).toBe(s.pickByScan());
            else expect(() => s.pick()).toThrow();
            // A hedge's pick leaves out its original's replica, and leaves the tree as it was.
            const ex = n % replicas;
            const freeElsewhere = s.up.some((u, i) => i !== ex && u === 1 && s.running[i]!.size < concurrency);
            expect(s.hasFreeExcept(ex)).toBe(freeElsewhere);
            if (freeElsewhere) {
              expect(s.pick(ex)).toBe(s.pickByScan(ex));
              expect(s.pick(ex)).not.toBe(ex);
            } else expect(() => s.pick(ex)).toThrow();
            if (s.up.some((u, i) => u === 1 && s.running[i]!.size < concurrency)) expect(s.pick()).toBe(s.pickByScan());
          }
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});
