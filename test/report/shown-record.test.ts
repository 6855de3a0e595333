import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

// Campaign cg F3, Q2 and Q5 (test/fixtures/valgrind/shown-record): a group showed whichever of
// its records came first, so the same logs in another order moved SARIF results and Code
// Quality issues between lib.c:15 and lib.c:14, dropped a `via`, moved a note to another log,
// and headed a SIGSEGV as a SIGTERM.
const FIXTURE = "test/fixtures/valgrind/shown-record";
const logsIn = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((name) => name.endsWith(".log"))
    .sort()
    .map((name) => `${dir}/${name}`);
const LOGS = logsIn(`${FIXTURE}/logs`);
const SIGNALS = logsIn(`${FIXTURE}/logs/signal`);

/** Every order of `items` (n! of them: keep n small). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

interface Sarif {
  runs: {
    properties?: Record<string, unknown>;
    results: { ruleId: string; properties: Record<string, unknown> }[];
  }[];
}

/**
 * A report less what lists the inputs in the order given, as documented: SARIF's sources and
 * each result's `pids` (the first 50, as they came), the text summary's list of inputs.
 */
function orderFree(format: string, text: string): string {
  if (format === "sarif") {
    const sarif = JSON.parse(text) as Sarif;
    for (const run of sarif.runs) {
      delete run.properties?.["sources"];
      for (const result of run.results) delete result.properties["pids"];
    }
    return JSON.stringify(sarif, null, 1);
  }
  if (format === "text") return text.slice(text.indexOf("\n\n"));
  return text;
}

const FORMATS = ["sarif", "codequality", "text", "github"] as const;

async function rendered(logs: readonly string[], format: string, cwd = ROOT): Promise<string> {
  const { stdout } = await cli(["summarize", ...logs, "-f", format], [], { cwd });
  return stdout;
}

describe("a group's shown record, whatever order the logs come in", () => {
  it.each(FORMATS)("gives the same %s for every order of the logs", async (format) => {
    const outputs = new Set<string>();
    for (const order of permutations(LOGS)) {
      outputs.add(orderFree(format, await rendered(order, format)));
    }
    expect(outputs.size).toBe(1);
  });

  it("places the lib_make group at one line, and the other at lib.c:15 without a `via`", async () => {
    for (const order of [LOGS, [...LOGS].reverse()]) {
      const issues = JSON.parse(await rendered(order, "codequality")) as {
        description: string;
        location: { path: string; lines: { begin: number } };
      }[];
      const leaks = issues.filter((i) => i.description.startsWith("definitely-lost"));
      expect(leaks.map((i) => [i.location.path, i.location.lines.begin, i.description])).toEqual([
        [
          "lib.c",
          14,
          "definitely-lost: 30 bytes in 2 blocks definitely lost (2 occurrences in 2 processes); also at lib_make (lib.c:15)",
        ],
        ["lib.c", 15, "definitely-lost: 20 bytes in 1 block definitely lost"],
        ["lib.c", 7, "definitely-lost: 6 bytes in 1 block definitely lost"],
      ]);
      // The descriptors' note group: at its shown record, `Open file descriptor 10: /dev/null`
      // (first by headline) of the first log by path, and naming that log's own descriptor.
      const note = issues.find((i) => i.description.startsWith("FdNotClosed"));
      expect(note?.location).toEqual({ path: LOGS[0], lines: { begin: 12 } });
      expect(note?.description).toContain(`3 (/tmp/shown-record/logs/vg.27642.log)`);
    }
  });

  it("heads a SIGTERM and a SIGSEGV at one place as the crash, in every format", async () => {
    for (const format of FORMATS) {
      const outputs = new Set<string>();
      for (const order of permutations(SIGNALS)) {
        const text = await rendered(order, format);
        // The head comes first; the SIGTERM is told after it, as another story at that place.
        expect(/default action of signal (\d+ \(\w+\))/.exec(text)?.[1], format).toBe(
          "11 (SIGSEGV)",
        );
        outputs.add(orderFree(format, text));
      }
      expect(outputs.size, format).toBe(1);
    }
  });

  it("is the same when worker threads summarize the logs apart", () => {
    const texts = LOGS.map((path) => [path, readFileSync(join(ROOT, path), "utf8")] as const);
    const outputs = new Set<string>();
    for (const order of permutations(texts)) {
      const report = summarizeLikeWorkers(order);
      const sarif = REPORTERS.sarif.render(report, { color: false, top: 20, sourceRoot: ROOT });
      outputs.add(orderFree("sarif", sarif));
    }
    expect(outputs.size).toBe(1);
  });
});

describe("a rerun whose PIDs cross 100000", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The fixture's logs with every PID moved by `shift`, as a rerun's would be, in `dir/logs`. */
  function rerun(shift: number): string {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-rerun-"));
    dirs.push(dir);
    mkdirSync(join(dir, "logs"));
    for (const path of LOGS) {
      const pid = Number(/vg\.(\d+)\.log$/.exec(path)?.[1]);
      const moved = pid + shift;
      const text = readFileSync(join(ROOT, path), "utf8")
        .replaceAll(`==${pid}==`, `==${moved}==`)
        .replaceAll(`vg.${pid}.log`, `vg.${moved}.log`);
      writeFileSync(join(dir, "logs", `vg.${moved}.log`), text);
    }
    return dir;
  }

  it("shows the leaks at the same lines, as the glob sorts the logs another way", async () => {
    const leaks = async (cwd: string) => {
      const sarif = JSON.parse(await rendered(["logs/*.log"], "sarif", cwd)) as Sarif;
      return sarif.runs[0]?.results
        .filter((result) => result.ruleId === "definitely-lost")
        .map((result) => ({ ...result, properties: { ...result.properties, pids: [] } }));
    };
    // 27642 becomes 99999, and the others 100057 and 100111: the glob now lists it last.
    const before = await leaks(join(ROOT, FIXTURE));
    expect(before).toHaveLength(3);
    expect(await leaks(rerun(99999 - 27642))).toEqual(before);
  });
});
