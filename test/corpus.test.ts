import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS_CHECKERS } from "../scripts/corpus/index.js";
import { ROOT } from "./helpers/golden.js";

// The shared corpus sits beside the repository on developers' machines and in CI, not in a
// user's fresh clone: there the whole-corpus check is skipped and the in-repo samples stand in.
const CORPUS = join(ROOT, "..", "shared", "corpus");

describe.skipIf(!existsSync(CORPUS))("the whole shared corpus", () => {
  it.each(Object.keys(CORPUS_CHECKERS))("%s: every log agrees with its truth", async (name) => {
    const results = await (
      CORPUS_CHECKERS[name] as (
        root: string,
      ) => Promise<{ file: string; ok: boolean; detail: string }[]>
    )(CORPUS);
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});
