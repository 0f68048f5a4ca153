/**
 * Request classes (`classes:`) and queue disciplines (`stages[].discipline`), issue 16:
 * the file keys, and the checks that read the whole scenario (shares summing to 1, the
 * attribute `shortest-first` orders by). Resolution turns them into `ClassDescription`s
 * (`src/config/description.ts`).
 */
import * as z from 'zod';
import { positiveDuration, positiveNumber, show } from './fields.ts';
import { sloSpec, latencySlo } from './slo.ts';
import { DISCIPLINE_NAMES, type DisciplineName } from '../models/disciplines/index.ts';
import { usersSpec } from './topology.ts';

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A numeric request attribute's distribution (a count or size, not a duration: plain numbers). */
export const attributeSpec = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('deterministic'), value: z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` }) }),
  z.strictObject({ dist: z.literal('exponential'), mean: positiveNumber() }),
  z.strictObject({ dist: z.literal('uniform'), min: z.number(), max: z.number() }).refine((u) => u.max >= u.min, { error: 'max must not be below min', path: ['max'] }),
  z.strictObject({ dist: z.literal('lognormal'), mean: positiveNumber(), cv: positiveNumber() }),
  z.strictObject({ dist: z.literal('gamma'), mean: positiveNumber(), cv: positiveNumber() }),
  /**
   * A noisy prediction of another attribute of the class (given before it): its value times
   * a lognormal factor of mean 1 and coefficient of variation `cv`, e.g. a predicted output
   * length for `shortest-first` to order by while the true one sets the service time.
   */
  z.strictObject({ dist: z.literal('prediction'), of: z.string({ error: (iss) => `expected the name of the attribute predicted, got ${show(iss.input)}` }), cv: positiveNumber() }),
]);
export type AttributeSpec = z.output<typeof attributeSpec>;

/**
 * One class of requests: its share of the arrivals (or its own arrival process),
 * attributes, objective, priority, weight and deadline. Built around the scenario's
 * arrival-process spec (`classSpecOf(arrivalsSpec)`: schema.ts imports this file).
 */
export const classSpecOf = <A extends z.ZodType>(arrivals: A) =>
  z.strictObject({
  name: z
    .string({ error: (iss) => `expected a class name, got ${show(iss.input)}` })
    .regex(NAME_RE, { error: (iss) => `a class name starts with a letter and uses letters, digits, "-" and "_", got ${show(iss.input)}` }),
  /** Share of the arrivals, in (0, 1]; the shares of all classes sum to 1. */
  share: positiveNumber().refine((v) => v <= 1, { error: (iss) => `a share is at most 1, got ${show(iss.input)}` }).optional(),
  /** The class's own arrival process, instead of a share (then `arrivals: { process: classes }` at the top). */
  arrivals: arrivals.optional(),
  /** Served before classes of a larger number by a `priority` discipline (default 0). */
  priority: z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` }).int({ error: (iss) => `expected a whole number, got ${show(iss.input)}` }).optional(),
  /** Weight under `weighted-fair` (default 1). */
  weight: positiveNumber().optional(),
  /** The class's own latency objective, e.g. "p99 < 200ms". */
  slo: sloSpec.optional(),
  /** Deadline from arrival at the system: what `earliest-deadline-first` orders by. */
  deadline: positiveDuration().optional(),
  /**
   * The class's own user population (a tenant's users): its requests draw their keys from
   * it, keys no other class shares, instead of from the scenario's `users`.
   */
  users: usersSpec.optional(),
  /** Numeric attributes its requests carry, by name (e.g. `outputTokens`), each drawn per request. */
  attributes: z.record(z.string().regex(NAME_RE, { error: 'an attribute name starts with a letter and uses letters, digits, "-" and "_"' }), attributeSpec).optional(),
  /** Admission: a token bucket at the door, `rps` tokens a second up to `burst`; a request finding it empty is shed. */
  rateLimit: z.strictObject({ rps: positiveNumber(), burst: positiveNumber().refine((v) => v >= 1, { error: (iss) => `a burst of at least 1 request, got ${show(iss.input)}` }) }).optional(),
  /** Admission: at most this many requests of the class in the system at once; one arriving beyond it is shed. */
  maxInFlight: z
    .number({ error: (iss) => `expected a whole number of requests, got ${show(iss.input)}` })
    .int()
    .min(1, { error: (iss) => `expected at least 1 request, got ${show(iss.input)}` })
    .optional(),
  /**
   * Shedding before each stage: a request of this class is shed where the stage's queue
   * holds `queueLength` or more, or where the wait it would face, estimated as the fallback
   * rule does (waiting / ready slots × mean service), is `estimatedWait` or more. Lower
   * classes get lower thresholds, so they go first.
   */
  shedAt: z
    .strictObject({
      queueLength: z.number({ error: (iss) => `expected a whole number, got ${show(iss.input)}` }).int().min(0).optional(),
      estimatedWait: positiveDuration().optional(),
    })
    .refine((v) => v.queueLength !== undefined || v.estimatedWait !== undefined, { error: 'give queueLength, estimatedWait or both' })
    .optional(),
});

/** The `classes:` list. */
export const classesSpecOf = <A extends z.ZodType>(arrivals: A) => z.array(classSpecOf(arrivals)).min(1, { error: 'give at least one class, or leave `classes` out' });

/** One class as validated (its `arrivals` typed as the scenario's). */
export interface ClassSpec {
  name: string;
  share?: number | undefined;
  arrivals?: { process: string } | undefined;
  priority?: number | undefined;
  weight?: number | undefined;
  slo?: z.output<typeof sloSpec> | undefined;
  deadline?: number | undefined;
  attributes?: Record<string, AttributeSpec> | undefined;
  users?: { count: number; zipf?: number | undefined; newUserShare?: number | undefined } | undefined;
  rateLimit?: { rps: number; burst: number } | undefined;
  maxInFlight?: number | undefined;
  shedAt?: { queueLength?: number | undefined; estimatedWait?: number | undefined } | undefined;
}

/** A stage's queue discipline: `{ policy: priority }`, or `{ policy: shortest-first, by: outputTokens }`. */
export const disciplineSpec = z.strictObject({
  policy: z.enum(DISCIPLINE_NAMES as [DisciplineName, ...DisciplineName[]], {
    error: (iss) => `expected one of ${DISCIPLINE_NAMES.map((p) => `"${p}"`).join(', ')}, got ${show(iss.input)}`,
  }),
  /** `shortest-first`: the request attribute it orders by. */
  by: z.string({ error: (iss) => `expected an attribute name, got ${show(iss.input)}` }).optional(),
});
export type DisciplineSpec = z.output<typeof disciplineSpec>;

/** What the whole-file check reads of a scenario. */
interface ClassesView {
  classes?: ClassSpec[] | undefined;
  arrivals: { process: string };
  retry?: unknown;
  deadline?: unknown;
  stages: Array<{
    name: string;
    discipline?: DisciplineSpec | undefined;
    buffer?: unknown;
    llm?: unknown;
    fanout?: unknown;
    batching?: { maxBatch: number } | undefined;
    routing?: { policy: string } | undefined;
    autoscale?: unknown;
    deadline?: unknown;
    classes?: string[] | undefined;
    fallback?: { to?: string | undefined } | undefined;
    precompute?: { miss: { to?: string | undefined } } | undefined;
  }>;
}

/** Shares are read to this precision (0.1 + 0.2 + 0.7 is 1 in decimal, not in binary). */
const SHARE_EPS = 1e-9;

/**
 * Whole-file checks: unique class names, shares summing to 1, a `shortest-first`
 * attribute some class carries (or a trace may carry), disciplines only on pool stages.
 */
export function checkClasses(s: ClassesView, ctx: z.RefinementCtx): void {
  s.classes?.forEach((c, i) => {
    // A prediction names an attribute of its class given before it (the one it is drawn from).
    const names = Object.keys(c.attributes ?? {});
    names.forEach((name, k) => {
      const a = c.attributes![name]!;
      if (a.dist === 'prediction' && !names.slice(0, k).includes(a.of)) {
        ctx.addIssue({ code: 'custom', path: ['classes', i, 'attributes', name, 'of'], message: `"${a.of}" is not an attribute of class "${c.name}" given before "${name}"${names.length > 1 ? ` (given before it: ${names.slice(0, k).map((n) => `"${n}"`).join(', ') || 'none'})` : ''}` });
      }
    });
  });
  const cls = s.classes;
  if (cls !== undefined) {
    const seen = new Map<string, number>();
    cls.forEach((c, i) => {
      const first = seen.get(c.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['classes', i, 'name'], message: `class name "${c.name}" is already used by classes[${first}]` });
      else seen.set(c.name, i);
    });
    const own = cls.filter((c) => c.arrivals !== undefined);
    if (own.length === 0) {
      cls.forEach((c, i) => {
        if (c.share === undefined) ctx.addIssue({ code: 'custom', path: ['classes', i], message: `class "${c.name}" needs a share of the arrivals (share: 0.3), or every class its own arrivals` });
      });
      const sum = cls.reduce((a, c) => a + (c.share ?? 0), 0);
      if (cls.every((c) => c.share !== undefined) && Math.abs(sum - 1) > SHARE_EPS) {
        ctx.addIssue({ code: 'custom', path: ['classes'], message: `the classes' shares must sum to 1, got ${+sum.toPrecision(6)} (${cls.map((c) => `${c.name} ${c.share}`).join(' + ')})` });
      }
      if (s.arrivals.process === 'classes') ctx.addIssue({ code: 'custom', path: ['arrivals', 'process'], message: 'arrivals: { process: classes } takes each class\'s own arrivals, but no class gives one (classes[].arrivals)' });
    } else {
      cls.forEach((c, i) => {
        if (c.arrivals === undefined) ctx.addIssue({ code: 'custom', path: ['classes', i], message: `class "${c.name}" needs its own arrivals, as the other classes have (or give every class a share instead)` });
        if (c.share !== undefined) ctx.addIssue({ code: 'custom', path: ['classes', i, 'share'], message: `class "${c.name}" has its own arrivals: its share is theirs, leave share out` });
        if (c.arrivals?.process === 'trace' || c.arrivals?.process === 'classes') {
          ctx.addIssue({ code: 'custom', path: ['classes', i, 'arrivals', 'process'], message: `a class's own arrivals cannot be "${c.arrivals.process}"` });
        }
      });
      if (s.arrivals.process !== 'classes') ctx.addIssue({ code: 'custom', path: ['arrivals'], message: 'classes bring their own arrivals: set arrivals: { process: classes }' });
    }
    if (s.retry !== undefined) ctx.addIssue({ code: 'custom', path: ['classes'], message: 'classes with retrying clients (`retry`) are not supported yet: leave out one or the other' });
    const keyed = cls.findIndex((c) => c.users !== undefined);
    const store = s.stages.findIndex((st) => st.precompute !== undefined);
    // Class keys are offset by (class + 1) × 2^40 (CLASS_KEY_SPAN): exact in a double below 8,192 classes.
    if (keyed >= 0 && cls.length > 8000) ctx.addIssue({ code: 'custom', path: ['classes'], message: `at most 8,000 classes when a class has its own users (their keys must stay apart), got ${cls.length}` });
    if (keyed >= 0 && store >= 0) {
      ctx.addIssue({ code: 'custom', path: ['classes', keyed, 'users'], message: `a class's own users are not supported with a prediction store (stage "${s.stages[store]!.name}" precomputes for the scenario's users): leave out one or the other` });
    }
  }
  const known = new Set((cls ?? []).map((c) => c.name));
  const standby = new Set(s.stages.flatMap((st) => [st.fallback?.to, st.precompute?.miss.to]).filter((n) => n !== undefined));
  s.stages.forEach((st, i) => {
    if (st.classes !== undefined && standby.has(st.name)) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'classes'], message: `stage "${st.name}" is a fallback or miss target, which serves what is diverted to it whatever its class: leave classes out here` });
    }
    st.classes?.forEach((name, j) => {
      if (known.has(name)) return;
      const have = known.size > 0 ? `the classes are ${[...known].map((n) => `"${n}"`).join(', ')}` : 'the scenario declares no `classes`';
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'classes', j], message: `unknown class "${name}": ${have}` });
    });
  });
  s.stages.forEach((st, i) => {
    const d = st.discipline;
    if (d === undefined) return;
    const kind = st.llm !== undefined ? 'an llm' : st.fanout !== undefined ? 'a fan-out' : st.buffer !== undefined ? 'a buffer' : null;
    if (kind !== null && d.policy !== 'fifo') {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'discipline', 'policy'], message: `a queue discipline applies to a pool stage; stage "${st.name}" is ${kind} stage, which serves FIFO` });
    }
    if (d.policy === 'priority-preemptive') {
      const at = (key: string, what: string) => ctx.addIssue({ code: 'custom', path: ['stages', i, key], message: `${what} is not supported with priority-preemptive (its pool serves one request per slot from one shared queue): leave it out, or use priority` });
      if (st.batching !== undefined && st.batching.maxBatch > 1) at('batching', 'batching');
      if (st.routing !== undefined && st.routing.policy !== 'shared') at('routing', 'a queue per replica');
      if (st.autoscale !== undefined) at('autoscale', 'autoscaling');
      if (st.deadline !== undefined) at('deadline', 'a stage deadline');
      if (s.deadline !== undefined) ctx.addIssue({ code: 'custom', path: ['deadline'], message: `a deadline is not supported with priority-preemptive (stage "${st.name}"): leave it out, or use priority` });
    }
    if (d.policy === 'shortest-first') {
      if (d.by === undefined) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'discipline'], message: 'shortest-first needs `by`: the request attribute it orders by, e.g. { policy: shortest-first, by: outputTokens }' });
        return;
      }
      const carried = new Set((cls ?? []).flatMap((c) => Object.keys(c.attributes ?? {})));
      // A trace's columns are known only once its file is read: the model checks them then.
      if (!carried.has(d.by) && s.arrivals.process !== 'trace') {
        const have = carried.size > 0 ? `the classes carry ${[...carried].map((a) => `"${a}"`).join(', ')}` : 'no class carries any attribute (give one in classes[].attributes)';
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'discipline', 'by'], message: `no class carries the attribute "${d.by}": ${have}` });
      }
    } else if (d.by !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stages', i, 'discipline', 'by'], message: `\`by\` is read by shortest-first only, not by ${d.policy}` });
    }
  });
}

/** The latency objective of a class (either form of `slo:`), or null. */
export function classSlo(c: ClassSpec) {
  return latencySlo(c.slo);
}
