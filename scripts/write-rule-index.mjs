// Rewrites the generated table of docs/rules/README.md from the rule registry and the rule
// pages (a test checks that it is current):
//
//   npm run build && node scripts/write-rule-index.mjs

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repoRoot } from './lib/paths.mjs';

const require = createRequire(import.meta.url);
const { INDEX_FILE, updatedIndex } = require(path.join(repoRoot, 'out/server/test/docs/ruleIndex.js'));

fs.writeFileSync(INDEX_FILE, updatedIndex(fs.readFileSync(INDEX_FILE, 'utf8')));
console.log(`${path.relative(repoRoot, INDEX_FILE)} updated`);
