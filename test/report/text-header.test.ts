import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";

describe("the text summary's source line", () => {
  it("names the first five processes of a fork-heavy log and counts the rest", async () => {
    const log = [101, 102, 103, 104, 105, 106, 107]
      .flatMap((pid) => [
        `==${pid}== Memcheck, a memory error detector`,
        `==${pid}== Command: ./worker ${pid}`,
        `==${pid}== `,
        `==${pid}== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)`,
      ])
      .join("\n");
    const { code, stdout } = await cli(["summarize", "-"], [`${log}\n`]);
    expect(code).toBe(0);
    const header = stdout.split("\n")[0] ?? "";
    expect(header).toContain("PID 101 ./worker 101, PID 102 ./worker 102");
    expect(header).toContain("PID 105 ./worker 105, 2 more processes");
    expect(header).not.toContain("PID 106");
  });
});

describe("the text summary's source lines", () => {
  const log = (pid: number, cut = false) =>
    [
      `==${pid}== Memcheck, a memory error detector`,
      `==${pid}== Command: ./t`,
      `==${pid}== `,
      ...(cut ? [] : [`==${pid}== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)`]),
    ].join("\n");
  const header = (count: number, cut: number) => {
    const results = Array.from({ length: count }, (_, i) =>
      parse(log(100 + i, i === cut), { path: `MemoryChecker.${i}.log` }),
    );
    const text = REPORTERS.text.render(summarize(results), { color: false, top: 20 });
    return text.slice(0, text.indexOf("\n\n")).split("\n");
  };

  it("gives each of up to 11 logs a line", () => {
    expect(header(11, -1)).toHaveLength(11);
  });

  it("names the first 10 of many logs, and counts the rest and the incomplete among them", () => {
    const lines = header(2000, 1500);
    expect(lines).toHaveLength(11);
    expect(lines[9]).toContain("MemoryChecker.9.log");
    expect(lines[10]).toBe(
      "... 1,990 more logs, 1 of them incomplete or unusable (see Diagnostics)",
    );
    expect(header(12, -1)[10]).toBe("... 2 more logs");
  });
});
