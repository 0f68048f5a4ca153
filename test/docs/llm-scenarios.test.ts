import { it } from 'vitest';
import { expectFresh } from './fresh.ts';

it('docs/llm-scenarios.md shows what the code prints now', () => expectFresh('docs/llm-scenarios.md'), 120_000);
