#!/usr/bin/env node
// The package's `bin`: registers tsx, then runs the TypeScript CLI, so `npx smartad …` works without a build.
import { register } from 'tsx/esm/api';

register();
await import('./smartad.ts');
