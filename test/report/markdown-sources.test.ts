import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";

describe("the Markdown comment's source list", () => {
  const log = (pid: number, cut: boolean) =>
    [
      `==${pid}== Memcheck, a memory error detector`,
      `==${pid}== Command: ./t`,
      `==${pid}== `,
      ...(cut ? [] : [`==${pid}== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)`]),
    ].join("\n");
  const sourceList = (count: number, cut: number) => {
    const results = Array.from({ length: count }, (_, i) =>
      parse(log(100 + i, i === cut), { path: `test-${i}.log` }),
    );
    const markdown = REPORTERS.markdown.render(summarize(results), { color: false, top: 20 });
    return markdown.split("\n").filter((line) => line.startsWith("- "));
  };

  // Campaign ch F8: a CTest run's killed test past the 20th log was "and 5 more", its only
  // trace a warning at the bottom of the comment.
  it("counts the incomplete logs among those past the first 20, as the text summary does", () => {
    const lines = sourceList(25, 22);
    expect(lines[19]).toContain("test-19.log");
    expect(lines[20]).toBe(
      "- ... and 5 more logs, 1 of them incomplete or unusable (see Diagnostics)",
    );
    expect(sourceList(22, -1)[20]).toBe("- ... and 2 more logs");
  });
});
