import { it } from 'vitest';
import { expectFresh } from './fresh.ts';

it('docs/capacity-planning.md shows what the code prints now', () => expectFresh('docs/capacity-planning.md'), 120_000);
