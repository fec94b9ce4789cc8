#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
const code = await main(process.argv.slice(2));
// Let stdout drain before exiting (large --json output into a pipe).
process.stdout.write('', () => process.exit(code));
