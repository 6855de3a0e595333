import { describe, expect, it } from "vitest";
import { parseFile } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import { pageData } from "../../../src/report/html/data.js";
import { ROOT } from "../../helpers/golden.js";

describe("the page's location column", () => {
  // Campaign bp Q2: one frame, as the text summary's aux line shows one, names something.
  it("is the first frame that names a function, past `???` frames", async () => {
    const path = "test/fixtures/sanitizer/lsan-suppressions/stripped-wrapper.full.log";
    const report = summarize([await parseFile(`${ROOT}/${path}`, { path })]);
    const locations = pageData(report, { color: false, top: 20 }).groups.map((g) => g.location);
    // LeakSanitizer's stripped `#1 0x7fe76cd70140  (/tmp/camp-bp/c/libsa.so+0x1140)` frames.
    expect(locations).toEqual([
      "sa_wrap (in /tmp/camp-bp/c/libsa.so)",
      "sa_wrap (in /tmp/camp-bp/c/libsa.so)",
      "sb_leak (in /tmp/camp-bp/c/libsb.so)",
      "sa_leak2 (in /tmp/camp-bp/c/libsa.so)",
      "sa_leak1 (in /tmp/camp-bp/c/libsa.so)",
    ]);
  });

  it("stays `???` where only libc's start-up is named below it", async () => {
    const path = "samples/valgrind/stripped_bin.txt";
    const report = summarize([await parseFile(`${ROOT}/${path}`, { path })]);
    expect(pageData(report, { color: false, top: 20 }).groups.map((g) => g.location)).toEqual([
      "??? (in /src/vgcorpus/stripped_bin)",
      "??? (in /src/vgcorpus/stripped_bin)",
    ]);
  });
});
