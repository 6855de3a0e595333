import { describe, expect, it } from "vitest";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import type { Frame } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { cli } from "../helpers/cli.js";

// Campaign bx F1: one binary under Valgrind 3.19 (its preload object without debug info) and
// 3.27 (with it): test/fixtures/valgrind/vg-replacements/README.md.
const DIR = "test/fixtures/valgrind/vg-replacements";

/** Each group of `log` as its kind and baseline state against `baselineFile`'s groups. */
async function against(baselineFile: string, log: string): Promise<string[]> {
  const baseline = summarize([await parseFile(`${DIR}/${baselineFile}`)]);
  const now = summarize([await parseFile(`${DIR}/${log}`)], { baseline });
  return now.groups.map((g) => `${g.kind} ${g.baseline ?? ""}`).sort();
}

const BOTH_UNCHANGED = ["InvalidRead unchanged", "Overlap unchanged"];

describe("errors inside Valgrind's string-function replacements across Valgrind releases", () => {
  it.each([
    ["v319.txt", "v327.txt"],
    ["v327.txt", "v319.txt"],
    ["v319.xml", "v327.xml"],
    ["v327.xml", "v319.txt"],
  ])("are unchanged: %s against %s", async (before, after) => {
    expect(await against(before, after)).toEqual(BOTH_UNCHANGED);
  });

  it("are unchanged against a report the previous leaklog wrote from the 3.19 log", async () => {
    // Its stored fingerprints hashed the replacement by its object; its records are
    // fingerprinted again on load.
    expect(await against("base319.json", "v327.txt")).toEqual(BOTH_UNCHANGED);
    const { code, stdout } = await cli([
      "diff",
      "--fail-on",
      "new",
      `${DIR}/base319.json`,
      `${DIR}/v327.txt`,
    ]);
    expect(stdout).toContain("\n0 new, 0 fixed, 2 unchanged\n");
    expect(code).toBe(0);
  });

  it("keep pointing at the program's line that called them", async () => {
    for (const log of ["v319.txt", "v327.txt", "v319.xml", "v327.xml"]) {
      const { stdout } = await cli(["summarize", `${DIR}/${log}`]);
      expect(stdout).toContain(
        "Invalid read of size 1  (1 occurrence)\n        at main (strfn.c:10)",
      );
      expect(stdout).toMatch(/strncpy\([^)]*\) {2}\(1 occurrence\)\n {8}at main \(strfn\.c:8\)/);
    }
  });
});

describe("a frame of Valgrind's replacements", () => {
  const main: Frame = { function: "main", file: "strfn.c", line: 8 };
  const linux = "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so";
  const at = (...frames: Frame[]) => fingerprintStack([...frames, main]);

  it("is hashed by its function whatever file or preload object names it", () => {
    const strncpy = at({ function: "strncpy", file: "vg_replace_strmem.c", line: 611 });
    for (const frame of [
      { function: "strncpy", object: linux },
      { function: "strncpy", object: "/usr/lib/valgrind/vgpreload_memcheck-arm64-linux.so" },
      {
        function: "strncpy",
        object:
          "/opt/homebrew/Cellar/valgrind/3.15.0/lib/valgrind/vgpreload_memcheck-amd64-darwin.so",
      },
      { function: "strncpy", file: "mc_replace_strmem.c", line: 460 },
      { function: "strncpy", object: "/usr/libexec/valgrind/vgpreload_drd-amd64-linux.so" },
    ]) {
      expect(at(frame)).toBe(strncpy);
    }
    const lock = at({ function: "pthread_mutex_lock", file: "hg_intercepts.c", line: 939 });
    expect(
      at({ function: "pthread_mutex_lock", object: "/x/vgpreload_helgrind-amd64-linux.so" }),
    ).toBe(lock);
  });

  it("stands for the run of them it is the outermost of: its helpers print with debug info only", () => {
    // Public log 11 (Valgrind 3.16, armhf): is_overlap inlined into __memcpy_chk.
    const chk = { function: "__memcpy_chk", object: linux };
    expect(
      at(
        { ip: "0x4850D10", function: "is_overlap", file: "vg_replace_strmem.c", line: 138 },
        { ip: "0x4850D10", function: "is_overlap", file: "vg_replace_strmem.c", line: 125 },
        { ip: "0x4850D10", function: "__memcpy_chk", file: "vg_replace_strmem.c", line: 1593 },
      ),
    ).toBe(at(chk));
    // Helgrind's static pthread_create_WRK, which the symbol table alone names.
    const hg = "/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so";
    expect(
      at(
        { function: "pthread_create_WRK", file: "hg_intercepts.c", line: 445 },
        { function: "pthread_create@*", file: "hg_intercepts.c", line: 478 },
      ),
    ).toBe(at({ object: hg }, { function: "pthread_create@*", object: hg }));
  });

  it("tells two functions failing on one line apart, in either spelling", () => {
    for (const place of [{ object: linux }, { file: "vg_replace_strmem.c", line: 506 }]) {
      const strlen = at({ function: "strlen", ...place });
      expect(strlen).not.toBe(at({ function: "strcpy", ...place }));
      expect(strlen).not.toBe(fingerprintStack([main]));
    }
  });
});

// Campaign bx F1 too: `stpncpy` and `wcslen`, which leaklog does not list as the C library's.
describe("an error inside a replacement whose name is not listed as the C library's", () => {
  const LOGS = ["unlisted-319.txt", "unlisted-327.txt", "unlisted-319.xml", "unlisted-327.xml"];

  it.each(LOGS)("is shown at the program's line that called it: %s", async (log) => {
    const { stdout } = await cli(["summarize", `${DIR}/${log}`]);
    expect(stdout).toContain(
      "Invalid read of size 4  (1 occurrence)\n        at main (unlisted.c:12)",
    );
    expect(stdout).toMatch(/stpncpy\([^)]*\) {2}\(1 occurrence\)\n {8}at main \(unlisted\.c:10\)/);
    expect(stdout).not.toContain("vg_replace_strmem.c");
    type Sarif = {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const sarif = JSON.parse((await cli(["summarize", "-f", "sarif", `${DIR}/${log}`])).stdout);
    const uris = (sarif as Sarif).runs[0]?.results.map(
      (r) => r.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    // The XML logs name the program's file by its absolute path, outside this checkout's root:
    // SARIF places those results at the log instead.
    const place = log.endsWith(".txt") ? "unlisted.c" : `${DIR}/${log}`;
    expect(uris).toEqual([place, place]);
  });

  it("keeps its Code Quality fingerprint across Valgrind releases", async () => {
    const issues = async (log: string) => {
      const { stdout } = await cli(["summarize", "-f", "codequality", `${DIR}/${log}`]);
      return (JSON.parse(stdout) as { fingerprint: string }[]).map((i) => i.fingerprint).sort();
    };
    expect(await issues("unlisted-327.txt")).toEqual(await issues("unlisted-319.txt"));
    expect(await issues("unlisted-327.xml")).toEqual(await issues("unlisted-319.xml"));
  });
});
