import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";

// Campaign bb: a second bug in one function was on no line of the diff.
describe("a group's other lines", () => {
  const logs = [
    "samples/valgrind/invalid_free.txt",
    "test/fixtures/valgrind/many-places/forty-reads.txt",
  ];

  it.each(logs)(
    "are named in GitHub annotations and Code Quality issues, as in the text summary (%s)",
    async (log) => {
      const text = await cli(["summarize", log]);
      const also = text.stdout
        .split("\n")
        .filter((l) => /^ {8}(?:also at|and at)/.test(l))
        .map((l) => l.trim());
      expect(also.length).toBeGreaterThan(1);
      const github = await cli(["summarize", log, "-f", "github"]);
      const codequality = await cli(["summarize", log, "-f", "codequality"]);
      const descriptions = (JSON.parse(codequality.stdout) as { description: string }[])
        .map((i) => i.description)
        .join("\n");
      for (const line of also) {
        expect(github.stdout).toContain(`%0A${line}`);
        expect(descriptions).toContain(`; ${line}`);
      }
    },
  );
});
