import { describe, expect, it } from "vitest";
import { fingerprintStack } from "../../src/analysis/fingerprint.js";
import type { Frame } from "../../src/model/index.js";
import { parseFile, summarize } from "../../src/index.js";
import { cli } from "../helpers/cli.js";

// Campaign v24 F4: one binary under Helgrind and DRD of Valgrind 3.19 (whose preload objects name
// no static function) and 3.24/3.27 (which name them): test/fixtures/valgrind-xml/thread-intercepts.
const DIR = "test/fixtures/valgrind-xml/thread-intercepts";

/** Each group of `log` as its kind and baseline state against `baselineFile`'s groups. */
async function against(baselineFile: string, log: string): Promise<string[]> {
  const baseline = summarize([await parseFile(`${DIR}/${baselineFile}`)]);
  const now = summarize([await parseFile(`${DIR}/${log}`)], { baseline });
  return now.groups.map((g) => `${g.kind} ${g.baseline ?? ""}`).sort();
}

const HELGRIND = ["Misc", "PthAPIerror", "Race", "UnlockBogus"].map((k) => `${k} unchanged`);
const DRD = ["ConflictingAccess", "MutexErr", "MutexErr"].map((k) => `${k} unchanged`);

describe("Helgrind's and DRD's errors across Valgrind releases", () => {
  it.each([
    ["helgrind-3.19.xml", "helgrind-3.27.xml", HELGRIND],
    ["helgrind-3.27.xml", "helgrind-3.19.xml", HELGRIND],
    ["helgrind-3.19.xml", "helgrind-3.24.xml", HELGRIND],
    ["helgrind-3.24.xml", "helgrind-3.27.xml", HELGRIND],
    ["drd-3.19.xml", "drd-3.27.xml", DRD],
    ["drd-3.27.xml", "drd-3.19.xml", DRD],
    ["drd-3.19.xml", "drd-3.24.xml", DRD],
  ])("are unchanged: %s against %s", async (before, after, groups) => {
    expect(await against(before, after)).toEqual(groups);
  });

  it.each([
    ["base-helgrind-3.19.json", "helgrind-3.27.xml", 4],
    ["base-drd-3.19.json", "drd-3.27.xml", 3],
  ])("pass --fail-on new: a 3.19 baseline (%s) against %s", async (base, log, groups) => {
    // A report the previous leaklog wrote: its records are fingerprinted again on load.
    const { code, stdout } = await cli([
      "diff",
      "--fail-on",
      "new",
      `${DIR}/${base}`,
      `${DIR}/${log}`,
    ]);
    expect(stdout).toContain(`\n0 new, 0 fixed, ${groups} unchanged\n`);
    expect(code).toBe(0);
  });

  it.each(["helgrind-3.19.xml", "helgrind-3.27.xml", "drd-3.19.xml", "drd-3.27.xml"])(
    "are shown at the program's lines: %s",
    async (log) => {
      const { stdout } = await cli(["summarize", `${DIR}/${log}`]);
      expect(stdout.match(/^ {8}at .*$/gm)?.sort()).toEqual(
        log.startsWith("helgrind")
          ? [
              "        at main (hg.c:15)",
              "        at main (hg.c:19)",
              "        at main (hg.c:19)",
              "        at w (hg.c:7)",
            ]
          : ["        at main (hg.c:15)", "        at main (hg.c:19)", "        at w (hg.c:7)"],
      );
    },
  );
});

describe("a frame of Helgrind's or DRD's intercepts", () => {
  const main: Frame = { function: "main", file: "hg.c", line: 15 };
  const hg = "/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so";
  const drd = "/usr/libexec/valgrind/vgpreload_drd-amd64-linux.so";
  const at = (...frames: Frame[]) => fingerprintStack([...frames, main]);

  it("hashes alike named by the debug info or unnamed", () => {
    const w: Frame = { function: "w", file: "hg.c", line: 7 };
    const start: Frame = { function: "start_thread", file: "pthread_create.c", line: 442 };
    const race = (wrapper: Frame) => fingerprintStack([w, wrapper, start]);
    const unnamed = race({ object: hg });
    expect(race({ function: "mythread_wrapper", file: "hg_intercepts.c", line: 416 })).toBe(
      unnamed,
    );
    expect(race({ object: drd })).toBe(unnamed);
    expect(race({ function: "vgDrd_thread_wrapper", file: "drd_pthread_intercepts.c" })).toBe(
      unnamed,
    );
    expect(at({ function: "mutex_unlock_WRK", file: "hg_intercepts.c", line: 1255 })).toBe(
      at({ object: hg }),
    );
    expect(at({ function: "pthread_cond_wait_WRK.cold", object: hg })).toBe(at({ object: hg }));
  });

  it("keeps the names every release prints: the functions the objects export", () => {
    const unlock = at({ function: "pthread_mutex_unlock@*", object: drd });
    expect(
      at(
        {
          function: "pthread_mutex_unlock_intercept",
          file: "drd_pthread_intercepts.c",
          line: 1119,
        },
        { function: "pthread_mutex_unlock@*", file: "drd_pthread_intercepts.c", line: 1132 },
      ),
    ).toBe(unlock);
    expect(unlock).not.toBe(at({ function: "pthread_mutex_destroy@*", object: drd }));
    expect(unlock).not.toBe(fingerprintStack([main]));
    expect(at({ function: "strlen", object: hg })).not.toBe(at({ function: "strcpy", object: hg }));
  });
});

describe("Helgrind's PthAPIerror in XML", () => {
  it.each(["helgrind-3.19.xml", "helgrind-3.27.xml"])(
    "%s: names the failed call, with its error code as an aux line (campaign v24 Q2)",
    async (log) => {
      const api = (await parseFile(`${DIR}/${log}`)).errors.find((e) => e.kind === "PthAPIerror");
      expect(api?.message).toBe("Thread #1's call to pthread_mutex_destroy failed");
      expect(api?.aux.map((a) => a.message)).toEqual([
        "with error code 16 (EBUSY: Device or resource busy)",
      ]);
    },
  );
});
