import { it } from 'vitest';
import { expectFresh } from './fresh.ts';

it('README.md shows what the code prints now', () => expectFresh('README.md'), 120_000);
