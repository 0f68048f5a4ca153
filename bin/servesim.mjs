#!/usr/bin/env node
// Entry point of `npx servesim`: runs the TypeScript sources through tsx, so the
// repository needs no build step.
import { register } from 'tsx/esm/api';

register();
const { guardStdio } = await import('../src/cli/stdio.ts');
guardStdio();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
