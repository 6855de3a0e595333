import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareWithBaseline } from "../../src/analysis/baseline.js";
import { MAX_GROUP_MEMBERS } from "../../src/analysis/group.js";
import { parse, summarize, type Report } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { cli } from "../helpers/cli.js";
import { leakLog } from "../helpers/valgrind-logs.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

/** One process's log with one definitely lost block from `fn` (the same stack in every log). */
const log = (pid: number, fn = "make_buf"): string => leakLog(pid, [fn]);

// More logs of one leak than a group lists members: a CTest run of many tests sharing a helper.
const LOGS = Array.from({ length: MAX_GROUP_MEMBERS + 5 }, (_, i) => {
  const pid = 1000 + i;
  return [`MemoryChecker.${i}.log`, log(pid)] as const;
});
const results = () => LOGS.map(([path, text]) => parse(text, { path }));
// The group's failing cases: the logs end before Valgrind's summaries, so each log's own case
// fails too, as incomplete.
const GROUP_FAILURE = /<failure [^>]*type="definitely-lost"/g;

describe("a group's sites", () => {
  it("name every input and process with findings in the group, past the members' cap", () => {
    const [group] = summarize(results(), { sites: true }).groups;
    expect(group?.members).toHaveLength(MAX_GROUP_MEMBERS);
    expect(group?.sites).toEqual(LOGS.map(([path], i) => ({ path, pid: 1000 + i })));
    expect(summarize(results()).groups[0]).not.toHaveProperty("sites");
  });

  it("share one frozen site per process among the groups with findings there", () => {
    const text = leakLog(7, ["make_buf", "make_list"]);
    const groups = summarize([parse(text, { path: "a.log" })], { sites: true }).groups;
    const [first, second] = groups.map((group) => group.sites?.[0]);
    expect(groups).toHaveLength(2);
    expect(first).toEqual({ path: "a.log", pid: 7 });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("are the same when threads summarize the inputs apart and merge", () => {
    const whole = summarize(results(), { sites: true });
    expect(summarizeLikeWorkers(LOGS, { sites: true }).groups).toEqual(whole.groups);
  });

  it("give every log's process a failing JUnit case, not only the first 20", () => {
    const junit = (report: Report) =>
      REPORTERS.junit.render(report, { color: false, top: 20 }).match(GROUP_FAILURE)?.length;
    expect(junit(summarize(results(), { sites: true }))).toBe(LOGS.length);
    // Without sites, the report's members are all there is.
    expect(junit(summarize(results()))).toBe(MAX_GROUP_MEMBERS);
  });

  it("are what `--format junit` asks for, from logs on disk", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-sites-"));
    for (const [path, text] of LOGS) writeFileSync(join(dir, path), text);
    const { code, stdout } = await cli(["summarize", `${dir}/*.log`, "-f", "junit"]);
    expect(code).toBe(0);
    expect(stdout.match(GROUP_FAILURE)).toHaveLength(LOGS.length);
  });

  it("are left off a group a baseline says was fixed", () => {
    const before = summarize(results(), { sites: true }).groups;
    const now = summarize([parse(log(1, "other"), { path: "a.log" })], { sites: true }).groups;
    const fixed = compareWithBaseline(now, before).find((g) => g.baseline === "fixed");
    expect(fixed).toBeDefined();
    expect(fixed).not.toHaveProperty("sites");
  });
});
