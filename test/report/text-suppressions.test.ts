import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

/** Summarizes a sample with the suppressions leaklog generates for it: everything suppressed. */
async function allSuppressed(sample: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-text-supp-"));
  const supp = join(dir, "all.supp");
  writeFileSync(supp, (await cli(["suppressions", sample])).stdout);
  const { code, stdout } = await cli(["summarize", sample, "--suppressions", supp]);
  expect(code).toBe(0);
  return stdout;
}

describe("the text summary after --suppressions", () => {
  it("says that what is gone was suppressed, not that nothing was found", async () => {
    const text = await allSuppressed("samples/valgrind/use_after_free.txt");
    expect(text).toContain(
      "No leaks or memory errors found outside suppressions (2 groups suppressed).",
    );
    expect(text).toContain("InvalidRead      2 occurrences, all suppressed");
    expect(text).toContain("InvalidWrite     1 occurrence, suppressed");
  });

  it("tells leaks it suppressed from leaks the tool never listed", async () => {
    const text = await allSuppressed("samples/valgrind/leak_definite.txt");
    expect(text).toContain(
      "definitely-lost  none left: 155 bytes in 5 blocks suppressed by --suppressions  (tool's summary: 155 bytes in 5 blocks)",
    );
    expect(text).toContain(
      "suppressed       155 bytes in 5 blocks  (tool's summary: 0 bytes in 0 blocks; 155 bytes of them by --suppressions)",
    );
    expect(text).not.toContain("not listed");
  });
});
