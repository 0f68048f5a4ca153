import { stringify } from 'yaml';
import type { Scenario } from '../config/schema.ts';
import { formatDuration } from '../config/duration.ts';
import { term } from './format.ts';
import type { CachePolicyName } from '../models/cache-policies.ts';
import { topologyRegistry, type TopologyName } from '../scenarios/topologies/index.ts';

/** A cache policy in words. */
const CACHE_WORDS: Record<CachePolicyName, string> = { lru: 'an LRU cache', fifo: 'a FIFO cache', random: 'a random-eviction cache', lfu: 'an LFU cache' };

/** One stage in words: what runs where, and what stands in front of it. */
function describeStage(st: Scenario['stages'][number]): string {
  const parts: string[] = [];
  const runs = [st.model && term(st.model), st.hardware && `on ${term(st.hardware)}`].filter(Boolean).join(' ');
  if (runs) parts.push(runs);
  parts.push(`${st.replicas} replica${st.replicas === 1 ? '' : 's'}${st.fanout ? ` per shard × ${st.fanout.shards} shards` : ''}`);
  if (st.batching && st.batching.maxBatch > 1) parts.push(`batches of up to ${st.batching.maxBatch}`);
  if (st.routing && st.routing.policy !== 'shared') parts.push(`${st.routing.policy} routing`);
  if (st.autoscale) parts.push(`autoscaled ${st.autoscale.min}–${st.autoscale.max} on ${st.autoscale.metric} (target ${st.autoscale.target})${st.autoscale.behavior ? ' with scaling policies' : ''}`);
  if (st.buffer) parts.push(`a buffer${st.buffer.retention ? ` keeping ${st.buffer.retention}` : ''}`);
  if (st.deadline !== undefined) parts.push(`deadline ${formatDuration(st.deadline)}`);
  if (st.candidates !== undefined) parts.push(`→ ${st.candidates} candidates`);
  if (st.keep !== undefined) parts.push(`keeps ${st.keep}`);
  if (st.discipline && st.discipline.policy !== 'fifo') parts.push(`${st.discipline.policy} queue${st.discipline.by !== undefined ? ` by ${term(st.discipline.by)}` : ''}`);
  if (st.classes) parts.push(`classes ${st.classes.map(term).join(', ')} only`);
  if (st.llm) parts.push(llmWords(st.llm));
  if (st.escalate) parts.push(`${+(st.escalate.share * 100).toPrecision(3)}% escalate to the next stage, the rest leave answered`);
  const front: string[] = [];
  if (st.precompute) front.push(`predictions precomputed every ${formatDuration(st.precompute.every)}`);
  // The policy is named only when chosen: a file without one reads as it always did.
  if (st.cache) {
    const parts = st.cache.partitions ? `, split by class (${Object.entries(st.cache.partitions.sizes).map(([c, s]) => `${term(c)} ${s}`).join(', ')})` : '';
    front.push(`${st.cache.policy ? CACHE_WORDS[st.cache.policy] : 'a cache'} of ${st.cache.capacity} entries${parts}`);
  }
  if (st.fallback) front.push(`a fallback to ${st.fallback.to !== undefined ? term(st.fallback.to) : 'a heuristic'}`);
  return `${term(st.name)} (${parts.join(', ')}${front.length > 0 ? `; in front: ${front.join(', ')}` : ''})`;
}

/** An LLM stage's engine in words: its roofline model and GPUs, or its profile. */
function llmWords(llm: NonNullable<Scenario['stages'][number]['llm']>): string {
  const r = llm.roofline;
  if (r !== undefined) return `LLM ${term(r.model)} on ${r.tp !== undefined && r.tp > 1 ? `${r.tp}× ` : ''}${term(r.gpu)}${r.weights !== undefined ? ` (${r.weights})` : ''}`;
  return llm.profile !== undefined ? `LLM profile ${term(llm.profile)}` : 'LLM engine';
}

/**
 * What `servesim explain` prints: the topology in words (the path a request takes and
 * the standby stages), then the full scenario with every shorthand expanded.
 */
export function explainScenario(raw: Record<string, unknown>, scenario: Scenario, topology: string | undefined): string {
  const lines: string[] = [];
  if (topology !== undefined) {
    lines.push(`Topology "${topology}": ${topologyRegistry[topology as TopologyName].description}.`);
  }
  const standby = new Set<string>();
  for (const st of scenario.stages) {
    if (st.fallback?.to) standby.add(st.fallback.to);
    if (st.precompute?.miss.to) standby.add(st.precompute.miss.to);
  }
  const main = scenario.stages.filter((st) => !standby.has(st.name));
  if (lines.length > 0) lines.push('');
  lines.push('A request goes:');
  lines.push(`  arrivals (${scenario.arrivals.process})`);
  for (const st of main) lines.push(`  → ${describeStage(st)}`);
  for (const st of scenario.stages.filter((s) => standby.has(s.name))) lines.push(`  standby: ${describeStage(st)}`);
  if (scenario.classes !== undefined) {
    lines.push('', 'Request classes:');
    for (const c of scenario.classes) {
      const slo = c.slo === undefined ? null : 'target' in c.slo ? c.slo.target : (c.slo.latency?.target ?? null);
      const parts = [
        c.share !== undefined ? `${+(c.share * 100).toPrecision(3)}% of arrivals` : `own arrivals (${c.arrivals!.process})`,
        c.priority !== undefined ? `priority ${c.priority}` : null,
        c.weight !== undefined ? `weight ${c.weight}` : null,
        slo !== null ? `SLO ${slo}` : null,
        c.rateLimit !== undefined ? `rate limit ${c.rateLimit.rps}/s` : null,
        c.shedAt !== undefined ? `shed at ${c.shedAt.queueLength} waiting` : null,
      ].filter((x) => x !== null);
      lines.push(`  ${term(c.name)}: ${parts.join(', ')}`);
    }
  }
  const variants = raw.variants as Record<string, Record<string, unknown>> | undefined;
  if (variants && Object.keys(variants).length > 0) {
    lines.push('');
    lines.push('Variants (each run on the same random numbers as the base):');
    for (const [name, changes] of Object.entries(variants)) {
      lines.push(`  ${term(name)}: ${Object.entries(changes ?? {}).map(([p, v]) => `${term(p)} = ${JSON.stringify(v)}`).join(', ')}`);
    }
  }
  const sweep = raw.sweep as { vary?: string; steps?: number } | undefined;
  if (sweep?.vary) lines.push('', `Sweep: ${term(sweep.vary)} in ${sweep.steps ?? 10} steps${variants ? ', for every variant' : ''}.`);
  lines.push('');
  lines.push('The scenario in full (what runs):');
  lines.push(stringify(raw, { lineWidth: 0 }).trimEnd());
  return lines.join('\n');
}
