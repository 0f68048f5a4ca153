/**
 * What `bin/servesim.mjs` loads from the build (`dist/lib/cli.mjs`): the stdout guard
 * and the command line, in one module so a start costs one import.
 */
export { guardStdio } from './stdio.ts';
export { main } from './main.ts';
