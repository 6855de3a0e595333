import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CORPUS_CHECKERS } from "./corpus/index.js";
import type { CorpusCheck } from "./corpus/types.js";

/**
 * `npm run corpus`: checks every parser against ../shared/corpus (real logs, public ones
 * included, that are not copied into this repository) and prints per-file agreement.
 */

const root = resolve(process.argv[2] ?? join(process.cwd(), "..", "shared", "corpus"));
if (!existsSync(root)) {
  console.log(`no corpus at ${root}: nothing to check (pass the corpus folder as an argument)`);
  process.exit(0);
}
let failed = 0;
let total = 0;
for (const [name, check] of Object.entries(CORPUS_CHECKERS)) {
  const results: CorpusCheck[] = await check(root);
  console.log(`\n${name}: ${results.filter((r) => r.ok).length}/${results.length} agree`);
  for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.file}: ${r.detail}`);
  failed += results.filter((r) => !r.ok).length;
  total += results.length;
}
console.log(`\n${total - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
