import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, summarize } from "../../../src/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { ROOT } from "../../helpers/golden.js";

// A real LeakSanitizer run with symbolize=0: every frame is `#1 0x5611b6ab61ed  (module+0x11ed)`.
const PATH = "samples/sanitizer/lsan-symbolize0.log";
const result = () => parse(readFileSync(join(ROOT, PATH), "utf8"), { path: PATH });

describe("unsymbolized sanitizer frames", () => {
  it("keep their offset in their object", () => {
    const [leak] = result().leaks;
    expect(leak?.stack[1]).toEqual({
      ip: "0x5611b6ab61ed",
      object: "/home/dev/asan/lsan-symbolize0",
      offset: "0x11ed",
    });
  });

  it("group by it: two indirect leaks from other call sites stay two groups", () => {
    const groups = summarize([result()]).groups;
    expect(groups.map((g) => [g.kind, g.bytes])).toEqual([
      ["definitely-lost", 24],
      ["indirectly-lost", 96],
      ["indirectly-lost", 50],
    ]);
  });

  it("show it, so that addr2line can find the frame", () => {
    const text = REPORTERS.text.render(summarize([result()]), { color: false, top: 20 });
    expect(text).toContain("at ??? (in /home/dev/asan/lsan-symbolize0+0x12a6)");
  });
});
