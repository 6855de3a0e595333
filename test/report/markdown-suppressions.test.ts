import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("the Markdown headline after --suppressions", () => {
  it("says the run is clean outside suppressions, as the table below lists them (campaign ch Q4)", async () => {
    const sample = "samples/valgrind/use_after_free.txt";
    const supp = join(mkdtempSync(join(tmpdir(), "leaklog-md-supp-")), "all.supp");
    writeFileSync(supp, (await cli(["suppressions", sample])).stdout);
    const { code, stdout } = await cli([
      "summarize",
      sample,
      "--suppressions",
      supp,
      "-f",
      "markdown",
    ]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(
      "## leaklog: no leaks or memory errors outside suppressions (2 groups suppressed)",
    );
  });
});
