import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as leaklog from "../src/index.js";
import { reportJsonSchema } from "../src/model/index.js";

describe("public API", () => {
  it("exports exactly this list (changing it is a decision, not an accident)", () => {
    expect(Object.keys(leaklog).sort()).toMatchSnapshot();
  });

  it("parseFile + summarize work together as the README shows", async () => {
    const result = await leaklog.parseFile("samples/valgrind/leak_definite.txt");
    const report = leaklog.summarize([result]);
    expect(report.groups.map((g) => [g.kind, g.bytes, g.blocks])).toEqual([
      ["definitely-lost", 100, 1],
      ["definitely-lost", 48, 3],
      ["definitely-lost", 7, 1],
    ]);
    expect(report.diagnostics).toEqual([]);
  });

  it("parseInto hands out parseStream's events, and Summarizer makes summarize's report of them", async () => {
    const path = "samples/valgrind/fork_single.txt";
    const streamed: unknown[] = [];
    for await (const event of leaklog.parseStream(createReadStream(path), { path })) {
      streamed.push(event);
    }
    const called: unknown[] = [];
    const summarizer = new leaklog.Summarizer();
    const end = await leaklog.parseInto(createReadStream(path), { path }, (event) => {
      called.push(event);
      summarizer.event(event);
    });
    summarizer.source(end.source);
    expect([...called, { type: "end", ...end }]).toEqual(streamed);
    const report = leaklog.summarize([await leaklog.parseFile(path)]);
    expect(summarizer.finish()).toEqual(report);
  });

  it("Summarizer takes parseStream's events as they come, the end of each source included", async () => {
    const paths = ["samples/valgrind/fork_single.txt", "samples/valgrind/client_requests.txt"];
    const summarizer = new leaklog.Summarizer();
    for (const path of paths) {
      for await (const event of leaklog.parseStream(createReadStream(path), { path })) {
        summarizer.event(event);
      }
    }
    const results = await Promise.all(paths.map((path) => leaklog.parseFile(path)));
    const report = summarizer.finish();
    expect(report.sources.map((s) => s.path)).toEqual(paths);
    expect(JSON.stringify(report)).toBe(JSON.stringify(leaklog.summarize(results)));
  });

  it("Summarizer refuses what is not a parse event when it is given, not at finish", () => {
    const summarizer = new leaklog.Summarizer();
    const notAnEvent = { type: "record", finding: {} } as unknown as leaklog.StreamEvent;
    expect(() => summarizer.event(notAnEvent)).toThrow(
      new TypeError('Summarizer.event: not a parse event: type "record"'),
    );
    expect(() => summarizer.event({} as leaklog.StreamEvent)).toThrow(
      "not a parse event: it has no type",
    );
    expect(summarizer.finish().diagnostics).toEqual([]);
  });

  it("Summarizer merges partial reports, in input order, into the report of all the sources", async () => {
    // client_requests.txt's cross-check (summary-mismatch) is made at finish; mixed_output.txt's
    // unrecognized-line while parsing. One summarizer lists parse diagnostics first.
    const paths = ["samples/valgrind/client_requests.txt", "samples/valgrind/mixed_output.txt"];
    const results = await Promise.all(paths.map((path) => leaklog.parseFile(path)));
    const merged = new leaklog.Summarizer();
    for (const result of results) {
      const partial = new leaklog.Summarizer();
      for (const finding of [...result.leaks, ...result.errors]) partial.finding(finding);
      for (const summary of result.summaries) partial.event({ type: "summary", summary });
      for (const diagnostic of result.diagnostics)
        partial.event({ type: "diagnostic", diagnostic });
      partial.source(result.source);
      const { report, crossChecked, byProcess, facts } = partial.finishPartial();
      const copy = JSON.parse(JSON.stringify(report)) as leaklog.Report;
      merged.partial(copy, crossChecked, byProcess, facts);
    }
    const whole = leaklog.summarize(results);
    expect(whole.diagnostics.map((d) => d.code)).toEqual([
      // client_requests.c's three VALGRIND_PRINTF messages.
      ...Array<string>(3).fill("valgrind-client-message"),
      "unrecognized-line",
      "summary-mismatch",
    ]);
    expect(JSON.stringify(merged.finish())).toBe(JSON.stringify(whole));
  });

  it("tells a CommonJS require to use import(), rather than that the package exports nothing", () => {
    // With an `import` condition only, require("leaklog") said `No "exports" main defined`.
    const require = createRequire(import.meta.url);
    expect(() => require(process.cwd())).toThrow(
      expect.objectContaining({
        code: expect.stringMatching(/^ERR_REQUIRE_(ASYNC_MODULE|ESM)$/) as unknown,
      }),
    );
  });

  it("publishes a JSON Schema generated from the model", () => {
    const schema = reportJsonSchema();
    expect(schema["$schema"]).toContain("2020-12");
    expect(Object.keys(schema["properties"] as object)).toEqual(
      expect.arrayContaining(["sources", "leaks", "errors", "groups", "summaries", "diagnostics"]),
    );
  });

  // Campaign camp2 Q11: the schema let a report have a negative loss record index or PID.
  it("takes no negative PID, thread or loss record index", async () => {
    const report = leaklog.summarize([
      await leaklog.parseFile("samples/valgrind/leak_definite.txt"),
    ]);
    expect(leaklog.Report.safeParse(report).success).toBe(true);
    const leak = report.leaks[0]!;
    const wrong = [
      { lossRecord: { index: -1, of: 3 } },
      { lossRecord: { index: 1, of: -3 } },
      { pid: -1 },
      { thread: -1 },
    ];
    for (const change of wrong) {
      const leaks = [{ ...leak, ...change }, ...report.leaks.slice(1)];
      expect(leaklog.Report.safeParse({ ...report, leaks }).success, JSON.stringify(change)).toBe(
        false,
      );
    }
    const sources = [{ ...report.sources[0]!, processes: [{ pid: -5 }] }];
    expect(leaklog.Report.safeParse({ ...report, sources }).success).toBe(false);
    // The published JSON Schema says it too.
    expect(JSON.stringify(reportJsonSchema())).not.toContain("-9007199254740991");
  });
});

describe("the library's gate", () => {
  const result = leaklog.parse("==1== Memcheck, a memory error detector\n", { path: "x.txt" });
  const gate = (failOn: string[], maxBytes: Record<string, number> = {}) => ({
    gate: { failOn, maxBytes },
  });

  it("refuses rules that could never match, as the CLI does, instead of passing", () => {
    expect(() => leaklog.summarize([result], gate(["definitly-lost"]))).toThrow(
      /gate.failOn: unknown value "definitly-lost" \(did you mean definitely-lost\?\)/,
    );
    expect(() => leaklog.summarize([result], gate(["new"]))).toThrow(/"new" needs a baseline/);
    expect(() => leaklog.summarize([result], gate([], { "definitely-lost": -1 }))).toThrow(
      RangeError,
    );
    expect(() => leaklog.summarize([result], gate(["new"]))).toThrow(RangeError);
  });

  it("takes good rules", () => {
    const report = leaklog.summarize([result], gate(["any"], { "still-reachable": 0 }));
    expect(report.gate).toEqual({ failed: false, reasons: [] });
  });
});

describe("the library's severity policy", () => {
  const log = readFileSync("samples/valgrind/leak_all_full.txt", "utf8");

  it("refuses what is no severity or no kind, from plain JavaScript too", async () => {
    // `"warn"` was taken: SARIF gave its results no level and Code Quality dropped the group.
    const warn = { "still-reachable": "warn" } as unknown as NonNullable<
      leaklog.ParseOptions["severityPolicy"]
    >;
    expect(() => leaklog.parse(log, { severityPolicy: warn })).toThrow(
      'severityPolicy: still-reachable: "warn" is no severity; expected one of error, warning, note, none',
    );
    await expect(
      leaklog.parseFile("samples/valgrind/leak_all_full.txt", { severityPolicy: warn }),
    ).rejects.toThrow(RangeError);
    expect(() => leaklog.parse(log, { severityPolicy: { still_reachable: "warning" } })).toThrow(
      /unknown kind "still_reachable" \(did you mean still-reachable\?\)/,
    );
  });

  it("gives the kinds it names their severity", () => {
    const result = leaklog.parse(log, {
      severityPolicy: { "still-reachable": "warning", InvalidRead: "note" },
    });
    const reachable = result.leaks.filter((l) => l.kind === "still-reachable");
    expect(reachable.length).toBeGreaterThan(0);
    expect(new Set(reachable.map((l) => l.severity))).toEqual(new Set(["warning"]));
  });

  // Campaign s: the same 200 reachable bytes failed `--fail-on error` as a loss record and
  // passed when only the default `--leak-check=summary` counted them.
  it("reaches the leaks only a LEAK SUMMARY counts, in the gate and every CI report", async () => {
    const policy = { "still-reachable": "error", "definitely-lost": "none" } as const;
    const path = "samples/valgrind/leak_all_summary.txt";
    const result = await leaklog.parseFile(path, { severityPolicy: policy });
    expect(result.source.severityPolicy).toEqual(policy);
    const report = leaklog.summarize([result], { gate: { failOn: ["error"] } });
    const [entry] = report.summaryOnlyLeaks ?? [];
    expect(entry?.severity).toEqual({ "still-reachable": "error", "definitely-lost": "none" });
    expect(report.gate?.reasons).toEqual([
      "--fail-on error: Valgrind's LEAK SUMMARY reports 80 bytes in 1 blocks possibly lost, 200 bytes in 1 blocks still reachable with no loss records (run with --leak-check=full --show-leak-kinds=all for stacks)",
    ]);
    const sarif = JSON.parse(leaklog.REPORTERS.sarif.render(report, { color: false, top: 20 })) as {
      runs: { results: { ruleId: string; level: string }[] }[];
    };
    const levels = sarif.runs[0]?.results.map((r) => `${r.ruleId}:${r.level}`);
    // Definitely lost, set to none, is left out, as Code Quality leaves it (campaign cf F2).
    expect(levels).toEqual([
      "indirectly-lost:warning",
      "possibly-lost:error",
      "still-reachable:error",
    ]);
    // A policy that silences every kind leaves nothing to say, as for groups of severity none.
    const silent = { "definitely-lost": "none", "indirectly-lost": "none" } as const;
    const quiet = { ...silent, "possibly-lost": "none", "still-reachable": "none" } as const;
    const hushed = leaklog.summarize([await leaklog.parseFile(path, { severityPolicy: quiet })]);
    const text = leaklog.REPORTERS.text.render(hushed, { color: false, top: 20 });
    expect(text).not.toContain("without loss records");
    const markdown = leaklog.REPORTERS.markdown.render(hushed, { color: false, top: 20 });
    expect(markdown).toContain("## leaklog: no leaks or memory errors");
    // Without a policy each kind keeps its default, and the record says nothing of it.
    const plain = leaklog.summarize([await leaklog.parseFile(path)], {});
    expect(plain.sources[0]?.severityPolicy).toBeUndefined();
    expect(plain.summaryOnlyLeaks?.[0]?.severity).toBeUndefined();
  });
});

// Campaign v9: the policy reached leaks only a summary counts, but not the kinds a full check
// left unshown nor those an XML log's run hid: the same bytes gated differently by the options
// Valgrind ran with.
describe("the library's severity policy on kinds a run did not show", () => {
  const dir = "test/fixtures/valgrind-xml/hidden-kinds";
  const gate = async (
    log: string,
    policy: leaklog.ParseOptions["severityPolicy"],
    rule: string,
  ) => {
    const options = policy !== undefined ? { severityPolicy: policy } : {};
    const result = await leaklog.parseFile(`${dir}/${log}`, options);
    return leaklog.summarize([result], { gate: { failOn: [rule] } }).gate?.reasons ?? [];
  };

  it("counts an unshown kind by the severity the policy gives it", async () => {
    // vg-default.txt: --leak-check=full with the default kinds: a definite leak listed, 8
    // bytes indirectly lost and 200 still reachable not shown.
    expect(await gate("vg-default.txt", undefined, "warning")).toEqual([]);
    expect(await gate("vg-default.txt", { "still-reachable": "warning" }, "warning")).toEqual([
      "--fail-on warning: Valgrind's LEAK SUMMARY reports 200 bytes in 1 blocks still reachable, not shown as loss records: rerun with --show-leak-kinds=all for stacks",
    ]);
    expect(await gate("vg-default.txt", undefined, "still-reachable")).toHaveLength(1);
    expect(await gate("vg-default.txt", { "still-reachable": "none" }, "still-reachable")).toEqual(
      [],
    );
  });

  it("gates the text and XML logs of one run alike on the kinds it hid", async () => {
    const none = { "definitely-lost": "none", "possibly-lost": "none" } as const;
    for (const log of ["vg-none.txt", "vg-none.xml"]) {
      expect(await gate(log, undefined, "error"), log).toHaveLength(1);
      expect(await gate(log, none, "error"), log).toEqual([]);
      expect(await gate(log, none, "definitely-lost"), log).toEqual([]);
    }
  });
});

// Campaign bc: `{ valgrind }` alone broke deep inside with an unrelated TypeError.
describe("the library's suppressions option", () => {
  it("refuses lists that are not lists, naming the one, from plain JavaScript too", () => {
    const valgrind = leaklog.parseValgrindSuppressions("").suppressions;
    const noLsan = { valgrind } as unknown as leaklog.SuppressionSet;
    expect(() => leaklog.summarize([], { suppressions: noLsan })).toThrow(
      new TypeError(
        "summarize: suppressions.lsan must be a list of entries (parseLsanSuppressions(text).suppressions, or [] for none)",
      ),
    );
    expect(() => leaklog.summarize([], { suppressions: { valgrind, lsan: [] } })).not.toThrow();
  });
});

describe("LeakSanitizer suppressions through the library", () => {
  it("parse into what summarize's suppressions take", () => {
    const text = [
      "==9==ERROR: LeakSanitizer: detected memory leaks",
      "",
      "Direct leak of 7 byte(s) in 1 object(s) allocated from:",
      "    #0 0x4a in malloc (/lib/liblsan.so.0+0x4a)",
      "    #1 0x4b in make_name /src/names.c:3",
      "    #2 0x4c in main /src/main.c:9",
      "",
      "SUMMARY: LeakSanitizer: 7 byte(s) leaked in 1 allocation(s).",
    ].join("\n");
    const { suppressions, problems } = leaklog.parseLsanSuppressions("leak:make_name\n");
    expect(problems).toEqual([]);
    const set: leaklog.SuppressionSet = { valgrind: [], lsan: suppressions };
    const report = leaklog.summarize([leaklog.parse(text, { path: "lsan.log" })], {
      suppressions: set,
    });
    expect(report.leaks.map((l) => l.kind)).toEqual(["suppressed"]);
  });

  it("applies a ThreadSanitizer file to a TSan report", () => {
    const text = readFileSync("test/fixtures/sanitizer/tsan/race.log", "utf8");
    const { suppressions, problems } = leaklog.parseTsanSuppressions("race:racer\n");
    expect(problems).toEqual([]);
    const report = leaklog.summarize([leaklog.parse(text)], {
      suppressions: { valgrind: [], lsan: [], tsan: suppressions },
    });
    expect(report.errors.map((e) => [e.kind, e.suppressed])).toEqual([["data-race", true]]);
  });
});

describe("parseFile's reads", () => {
  it("give what parse gives, for files below, at and above each read size", async () => {
    const sample = readFileSync("samples/valgrind/leak_definite.txt", "utf8");
    const dir = mkdtempSync(join(tmpdir(), "leaklog-reads-"));
    // Empty, and 256 KiB (below it a file is read whole) with a byte either side.
    for (const size of [0, 100, 16384, 262143, 262144, 262145, 600000]) {
      let text = "";
      for (let pid = 1000; text.length < size; pid += 1) {
        text += sample.replaceAll("==20767==", `==${pid}==`);
      }
      text = text.slice(0, size);
      const path = join(dir, `${size}.txt`);
      writeFileSync(path, text);
      const fromFile = await leaklog.parseFile(path, { path: "x.txt" });
      expect(fromFile, String(size)).toEqual(leaklog.parse(text, { path: "x.txt" }));
    }
  });

  // A file that says it is smaller than it is (one that grows while read, or /proc's, all of
  // size 0) is read to its end, not cut at its size.
  it.runIf(existsSync("/proc/self/status"))("go past a file's size", async () => {
    const status = await leaklog.parseFile("/proc/self/status");
    expect(status.fatal?.code).toBe("unknown-format");
    expect(status.source.counters.bytes).toBeGreaterThan(100);
  });
});

// Campaign bc: what a stream's consumer and producer can do wrong.
describe("parseStream's input", () => {
  it("is closed when the consumer stops at the first chunk's events", async () => {
    let closed = false;
    // A log's first chunk, then a writer that has not finished (a live pipe, a larger file).
    async function* live() {
      try {
        yield readFileSync("samples/valgrind/fd_leak.txt");
        await new Promise(() => undefined);
      } finally {
        closed = true;
      }
    }
    for await (const event of leaklog.parseStream(live())) if (event.type === "finding") break;
    expect(closed).toBe(true);
  });

  it("is refused with a TypeError when its chunks are neither text nor bytes", async () => {
    const refused = "a log's chunks must be strings or bytes (a Buffer, a Uint8Array), not";
    const objects = Readable.from([{ line: "==1== Invalid read of size 4" }]);
    await expect(leaklog.parseChunks(objects, { allowEmpty: true })).rejects.toThrow(
      new TypeError(`${refused} an object (Object)`),
    );
    await expect(
      // As plain JavaScript passes them: the types say no.
      leaklog.parseChunks([Buffer.from("==1== \n"), new ArrayBuffer(8)] as unknown as Uint8Array[]),
    ).rejects.toThrow(new TypeError(`${refused} an object (ArrayBuffer)`));
    const numbers = async () => {
      for await (const event of leaklog.parseStream(Readable.from([1, 2, 3]))) void event;
    };
    await expect(numbers()).rejects.toThrow(new TypeError(`${refused} a number`));
  });

  // Campaign camp2 Q4: `parseChunks(null)` was an "unreadable-input" log, the caller's bug
  // told as the input's.
  it("is refused with a TypeError when it is no iterable of chunks", async () => {
    const refused = "a log must be a stream or an iterable of its chunks (strings or bytes), not";
    await expect(leaklog.parseChunks(null as never)).rejects.toThrow(
      new TypeError(`${refused} null`),
    );
    await expect(leaklog.parseInto(42 as never, {}, () => undefined)).rejects.toThrow(
      new TypeError(`${refused} a number`),
    );
    await expect(leaklog.parseStream({} as never).next()).rejects.toThrow(
      new TypeError(`${refused} an object (Object)`),
    );
  });
});

// Campaign camp2 Q10: events after finish() were taken unsaid, counted into a summary that no
// report shows any more.
describe("a finished Summarizer", () => {
  it("refuses more input, naming the method and what finished it", async () => {
    const path = "samples/valgrind/leak_definite.txt";
    const result = await leaklog.parseFile(path);
    const summarizer = new leaklog.Summarizer();
    for (const finding of result.leaks) summarizer.finding(finding);
    summarizer.source(result.source);
    const first = summarizer.finish();
    expect(first.groups).toHaveLength(3);
    const done = "has made its report already; it takes no more input (use a new Summarizer)";
    const more = { type: "end", source: result.source } as const;
    expect(() => summarizer.event(more)).toThrow(
      `Summarizer.event: this summarizer's finish() ${done}`,
    );
    expect(() => summarizer.finding(result.leaks[0]!)).toThrow("Summarizer.finding:");
    expect(() => summarizer.source(result.source)).toThrow("Summarizer.source:");
    const partial = new leaklog.Summarizer();
    partial.source(result.source);
    const { report } = partial.finishPartial();
    expect(() => partial.partial(report)).toThrow(
      `Summarizer.partial: this summarizer's finishPartial() ${done}`,
    );
    // The report can be asked for again: the same one (settling again lost its diagnostics).
    expect(summarizer.finish()).toBe(first);
  });
});
