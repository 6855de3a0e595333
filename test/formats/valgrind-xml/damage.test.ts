import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../helpers/golden.js";
import type { ErrorRecord, LeakRecord } from "../../../src/model/index.js";
import { codes, doc, leakError, parseXml, plainError, records } from "./helpers.js";

const fixture = (name: string): string =>
  readFileSync(join(ROOT, "test", "fixtures", "valgrind-xml", "damage", name), "utf8");

const LEAK = leakError(
  "0x9",
  "Leak_DefinitelyLost",
  "48 bytes in 3 blocks are definitely lost in loss record 1 of 1",
  "48",
  "3",
);

describe("protocol 6 (3.26.0): fds, summaries, commas, unclosed <still_reachable>", () => {
  const result = parseXml(fixture("protocol6-3.26.0.xml"));
  const [badClose, notClosed] = result.errors as [ErrorRecord, ErrorRecord];

  it("reads FdBadClose / FdNotClosed with <fd>, <path>, aux stacks and errorcounts", () => {
    expect(badClose.kind).toBe("FdBadClose");
    expect(badClose.count).toBe(2);
    expect(badClose.details).toMatchObject({ fd: 7, threadname: "main-loop", unique: "0x1" });
    expect(badClose.aux.map((a) => [a.message, a.stack?.[0]?.function])).toEqual([
      ["Previously closed", "close"],
      ["Originally opened", "open"],
    ]);
    expect(notClosed.details).toMatchObject({ fd: 3, path: "/tmp/data.txt" });
    expect(notClosed.count).toBe(1);
  });

  it("splits a comma-numbered leak into direct and indirect bytes", () => {
    expect(result.leaks[0]).toMatchObject({
      bytes: 1048592,
      directBytes: 16,
      indirectBytes: 1048576,
      blocks: 1,
      lossRecord: { index: 2, of: 2 },
    });
  });

  it("emits one summary with heap, leak (incl. suppressed) and error totals", () => {
    expect(result.summaries).toHaveLength(1);
    expect(result.summaries[0]).toMatchObject({
      pid: 4242,
      leakCheck: 1,
      heap: { inUseBytes: 1048592, inUseBlocks: 2, allocs: 12, frees: 10, allocatedBytes: 2097184 },
      leak: {
        "definitely-lost": { bytes: 16, blocks: 1 },
        "indirectly-lost": { bytes: 1048576, blocks: 1 },
        "still-reachable": { bytes: 0, blocks: 0 },
        suppressed: { bytes: 0, blocks: 0 },
      },
      errors: { errors: 3, contexts: 3, suppressed: 0, suppressedContexts: 0 },
    });
  });

  it("repairs the unclosed <still_reachable> with a diagnostic and stays complete", () => {
    const repair = result.diagnostics.find((d) => d.code === "xml-unclosed-element");
    expect(repair?.message).toContain("<still_reachable>");
    expect(result.source.complete).toBe(true);
    expect(result.source.toolVersion).toBe("3.26.0");
  });
});

describe("real-world damage", () => {
  it("reads concatenated documents, one process each, unclosed ones first", () => {
    const first = doc(plainError("0x0", "InvalidRead", "Invalid read of size 4")).replace(
      "</valgrindoutput>\n",
      "",
    );
    const second = doc(LEAK).replace("<pid>100</pid>", "<pid>200</pid>");
    const result = parseXml(first + second);
    expect(records(result).map((r) => [r.kind, r.pid])).toEqual([
      ["InvalidRead", 100],
      ["definitely-lost", 200],
    ]);
    expect(result.source.complete).toBe(false);
    expect(result.source.processes.map((p) => p.pid)).toEqual([100, 200]);
    expect(result.diagnostics.filter((d) => d.code === "incomplete")).toHaveLength(1);
  });

  it("starts the next document even when the previous one was cut inside a CDATA section", () => {
    const first = doc(LEAK).replace(
      "</valgrindoutput>\n",
      "<suppression><rawtext>\n<![CDATA[\n{\n",
    );
    const second = doc(LEAK).replace("<pid>100</pid>", "<pid>200</pid>");
    const result = parseXml(first + second);
    expect(result.leaks.map((l) => l.pid)).toEqual([100, 200]);
    expect(result.source.complete).toBe(false);
  });

  it("keeps every record of a truncated file and marks it incomplete", () => {
    const text = doc(
      [plainError("0x0", "InvalidWrite", "Invalid write of size 1"), LEAK].join("\n"),
    );
    const cut = text.slice(0, text.lastIndexOf("<leakedblocks>"));
    const result = parseXml(cut);
    expect(result.errors.map((e) => [e.kind, e.count])).toEqual([["InvalidWrite", 1]]);
    expect(result.leaks).toHaveLength(1);
    expect(result.leaks[0]?.details?.["truncated"]).toBe(true);
    expect(result.source.complete).toBe(false);
    expect(codes(result)).toEqual(expect.arrayContaining(["incomplete", "xml-truncated-record"]));
  });

  it("keeps no empty frame of a record cut right after a <frame> tag", () => {
    // `{}` ended the stack of a loss record of a killed run (campaign bu Q4): Valgrind prints
    // every frame's <ip>, so a frame with nothing in it is the cut's.
    const text = doc(LEAK)
      .replace(/<frame>/g, "\n<frame>\n")
      .replace(/<\/frame>/g, "\n</frame>");
    const result = parseXml(text.slice(0, text.lastIndexOf("<frame>") + "<frame>\n".length));
    expect(result.leaks.map((l) => l.stack)).toEqual([
      [expect.objectContaining({ function: "malloc" })],
    ]);
    expect(result.leaks[0]?.details?.["truncated"]).toBe(true);
    // Nor a field cut inside its text: `<fn>ma` was a function named `ma` (campaign v21 Q2).
    const field = text.slice(0, text.lastIndexOf("<fn>main") + "<fn>ma".length);
    expect(parseXml(field).leaks.map((l) => l.stack.map((f) => f.function))).toEqual([
      ["malloc", undefined],
    ]);
  });

  it("drops a record cut inside its <kind>, whose kind is what the cut left", () => {
    // `head -c` of a real log gave an error of kind `Leak_DefinitelyLost</k`: a new group.
    const text = doc(
      [plainError("0x0", "InvalidWrite", "Invalid write of size 1"), LEAK].join("\n"),
    );
    for (const end of ["<kind>Leak_Definitely", "<kind>Leak_DefinitelyLost</k"]) {
      const result = parseXml(text.slice(0, text.lastIndexOf("<kind>") + end.length));
      expect(result.errors.map((e) => e.kind)).toEqual(["InvalidWrite"]);
      expect(result.leaks).toEqual([]);
      expect(result.diagnostics.map((d) => d.message)).toContainEqual(
        expect.stringMatching(/before its <kind> was whole: dropped$/),
      );
    }
  });

  it("copies a <usercomment> holding raw markup without breaking the elements after it", () => {
    const comment = "<usercomment>build <b>42</b> if (a<b && c) </x> <![CDATA[x]]></usercomment>";
    const result = parseXml(doc([comment, LEAK].join("\n")));
    expect(result.leaks).toHaveLength(1);
    const kept = result.diagnostics.find((d) => d.code === "valgrind-user-comment");
    expect(kept?.message).toContain("<b>42</b> if (a<b && c) </x>");
    expect(codes(result)).not.toContain("xml-stray-end-tag");
  });

  it("keeps a real --xml-user-comment as an info, markup as written, and the run's records", () => {
    const text = readFileSync(
      join(ROOT, "test/fixtures/valgrind-xml/user-comment/leak_indirect.xml"),
      "utf8",
    );
    const result = parseXml(text);
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.message, d.line])).toEqual([
      ["info", "valgrind-user-comment", '<ci job="42">nightly &amp; memcheck</ci>', 18],
    ]);
    expect(result.leaks.map((l) => l.kind)).toEqual(["definitely-lost", "definitely-lost"]);
  });

  it("takes program output between elements (XML on stderr) as program lines", () => {
    const noise = [
      "hello from the program",
      "if (a<b) { x = y & z; }",
      "<<< ok >>>",
      "progress 50%",
    ];
    const body = [
      noise[0],
      plainError("0x0", "InvalidRead", "Invalid read of size 8"),
      ...noise.slice(1),
      LEAK,
    ];
    const result = parseXml(doc(body.join("\n")));
    expect(records(result).map((r) => r.kind)).toEqual(["InvalidRead", "definitely-lost"]);
    expect(result.source.counters.programLines).toBe(4);
    expect(result.source.complete).toBe(true);
  });

  it.each([
    ["testsuite.xml", 2],
    ["error-element.xml", 2],
    // Campaign bd: an element with a Memcheck <kind> and no <unique> was an InvalidRead.
    ["kind-element.xml", 1],
  ])(
    "takes the program's own <error> element (%s, --xml-fd=1) as program output, not an error",
    (file, lines) => {
      const path = join(ROOT, "test/fixtures/valgrind-xml/program-output", file);
      const result = parseXml(readFileSync(path, "utf8"));
      // A clean run: Valgrind's <errorcounts> is empty. It failed on an empty `Unknown` error.
      expect(records(result)).toEqual([]);
      expect(result.source.counters.programLines).toBe(lines);
      expect(result.source.complete).toBe(true);
    },
  );

  it("keeps the program's lines that hold markup as program lines, not elements", () => {
    const text = readFileSync(join(ROOT, "test/fixtures/valgrind-xml/stderr/tags.xml"), "utf8");
    const result = parseXml(text);
    // `starting <tag> & stuff`, `see <b>bold</b> text, then </p> alone`, `half line done`.
    expect(result.source.counters.programLines).toBe(3);
    expect(result.diagnostics).toEqual([]);
    expect(records(result).map((r) => r.kind)).toEqual([
      "InvalidWrite",
      "definitely-lost",
      "definitely-lost",
    ]);
  });

  it("keeps unknown kinds as error records and unknown elements as details or diagnostics", () => {
    const future = plainError("0x1", "FutureKind", "Something new").replace(
      "<what>",
      "<novelty><level>3</level></novelty>\n  <what>",
    );
    const result = parseXml(doc([future, "<newsummary><x>1</x></newsummary>"].join("\n")));
    expect(result.errors[0]).toMatchObject({ kind: "FutureKind", message: "Something new" });
    expect(result.errors[0]?.details?.["novelty"]).toBe("3");
    const unknown = result.diagnostics.find((d) => d.code === "xml-unknown-element");
    expect(unknown?.message).toContain("<newsummary>");
  });

  it("skips stray end tags with a diagnostic", () => {
    const result = parseXml(doc(["</frame>", LEAK].join("\n")));
    expect(result.leaks).toHaveLength(1);
    expect(codes(result)).toContain("xml-stray-end-tag");
  });
});

describe("another tool's XML beside the logs (CI globs)", () => {
  const foreign = (name: string): string =>
    readFileSync(join(ROOT, "test", "fixtures", "valgrind-xml", "foreign", name), "utf8");

  it.each([
    ["meson-testlog-valgrind.junit.xml", "<testsuites>"],
    ["ctest-DynamicAnalysis.xml", "<DynamicAnalysis>"],
  ])("refuses %s, which quotes valgrind but holds no <valgrindoutput>", (name, root) => {
    const result = parseXml(foreign(name), true);
    expect(result.source.format).toBe("valgrind-xml");
    expect(result.fatal?.code).toBe("other-tool");
    expect(result.fatal?.message).toContain(`holding ${root}, not Valgrind's <valgrindoutput>`);
    expect(result.source.complete).toBe(false);
  });

  it.each([
    ["lost", ""],
    ["holding a NUL byte", "<valgr\0indoutput>"],
  ])("reads a Valgrind document whose <valgrindoutput> line is %s, with a warning", (_, line) => {
    // Edited copies of a real log: its records were read and counted, yet the file was refused
    // as another tool's report (exit 2) for a first top-level element not its root.
    const real = readFileSync(join(ROOT, "samples/valgrind-xml/leak_indirect.xml"), "utf8");
    const edited = real.replace("<valgrindoutput>", line);
    const whole = parseXml(real, true);
    const result = parseXml(edited, true);
    expect(result.fatal).toBeUndefined();
    expect(result.leaks.map((leak) => leak.fingerprint)).toEqual(
      whole.leaks.map((leak) => leak.fingerprint),
    );
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["warning", "xml-missing-root", 5],
    ]);
    expect(result.source.complete).toBe(true);
  });

  it.each([
    ["<protocolversion>4</protocolversion>"],
    ["<protocolversion>\n  <major>1</major>\n</protocolversion>"],
  ])("refuses an XML file that holds <protocolversion> and nothing of Valgrind's: %s", (body) => {
    // Made up: another tool's XML may name an element so; only Valgrind's records after it
    // make the file a Valgrind document that lost its <valgrindoutput>.
    const result = parseXml(`<?xml version="1.0"?>\n${body}\n`, true);
    expect(result.fatal?.code).toBe("other-tool");
    expect(result.fatal?.message).toContain("holding <protocolversion>, not Valgrind's");
  });

  it("still reads a Valgrind document that follows other top-level markup", () => {
    const result = parseXml(`<note>program output</note>\n${doc(LEAK)}`, true);
    expect(result.fatal).toBeUndefined();
    expect(result.leaks).toHaveLength(1);
  });
});

describe("hostile input", () => {
  it("never expands entities (billion laughs)", () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i += 1) {
      const prev = i === 1 ? "lol" : `lol${i - 1}`;
      entities.push(`<!ENTITY lol${i} "${`&${prev};`.repeat(10)}">`);
    }
    const head = ['<?xml version="1.0"?>', "<!DOCTYPE valgrindoutput [", ...entities, "]>"].join(
      "\n",
    );
    const body = plainError("0x0", "InvalidRead", "&lol9; &lt;x&gt; &#65;");
    const result = parseXml(head + "\n" + doc(body).split("\n").slice(1).join("\n"));
    expect(result.errors[0]?.message).toBe("&lol9; <x> A");
    expect(codes(result)).toContain("xml-doctype-ignored");
  });

  it("survives 200,000 nested elements without recursion or unbounded memory", () => {
    const depth = 200_000;
    const nested = `${"<a>\n".repeat(depth)}deep\n${"</a>\n".repeat(depth)}`;
    const result = parseXml(doc([nested, LEAK].join("\n")));
    expect(result.leaks).toHaveLength(1);
    expect(codes(result)).toContain("xml-too-deep");
    expect(result.source.complete).toBe(true);
  });

  it("keeps the records after elements left open past the depth limit", () => {
    // Edited copies of a real log: junk nested deeper than 256 before the first <error>, never
    // closed (or closed on a line the 1 MiB cap cut off) skipped every later record, and the
    // log read as clean.
    const real = readFileSync(join(ROOT, "samples/valgrind-xml/leak_indirect.xml"), "utf8");
    const at = real.indexOf("<error>");
    const damaged = (junk: string) => real.slice(0, at) + junk + real.slice(at);
    const undamaged = parseXml(real).leaks.map((l) => [l.kind, l.bytes]);
    expect(undamaged).toHaveLength(9);
    for (const junk of [
      "<a>\n".repeat(260),
      `${"<a>".repeat(200_000)}${"</a>".repeat(200_000)}\n`,
    ]) {
      const result = parseXml(damaged(junk));
      expect(result.leaks.map((l) => [l.kind, l.bytes])).toEqual(undamaged);
      expect(codes(result)).toContain("xml-too-deep");
    }
  });

  it("reads record names inside closed deep junk as the junk's", () => {
    // An edited copy of a real log: a 300-deep junk subtree on one line inside the first
    // <stack>, holding <status> and <error>. Ending the skipping there closed the real error
    // (its stack lost) and made a record of the junk's.
    const real = readFileSync(join(ROOT, "samples/valgrind-xml/use_after_free.xml"), "utf8");
    const at = real.indexOf("<stack>") + "<stack>".length;
    const junk = `${"<j>".repeat(300)}<status><state>RUNNING</state></status><error><kind>InvalidRead</kind></error>${"</j>".repeat(300)}`;
    const damaged = parseXml(`${real.slice(0, at)}\n${junk}\n${real.slice(at)}`);
    const shape = (r: ReturnType<typeof parseXml>) =>
      r.errors.map((e) => [e.kind, e.stack.map((f) => f.function)]);
    expect(shape(damaged)).toEqual(shape(parseXml(real)));
  });

  it("is detected from <?xml or <valgrindoutput>, and only then", () => {
    expect(parseXml(doc(LEAK), true).source.format).toBe("valgrind-xml");
    expect(parseXml("program says hi\n<valgrindoutput>\n" + LEAK, true).source.format).toBe(
      "valgrind-xml",
    );
    const text = "==1== Memcheck, a memory error detector\n==1== Command: ./a\n";
    expect(parseXml(text, true).source.format).not.toBe("valgrind-xml");
  });

  it("is not claimed by a text that only mentions its tags, as a README does", () => {
    const readme = "# Notes\n\nDetected by `<?xml` / `<valgrindoutput>`.\n<id> is a format.\n";
    const result = parseXml(readme, true);
    expect(result.source.format).toBe("unknown");
    expect(result.fatal?.message).toContain("not a log leaklog can read");
  });
});

describe("record shape", () => {
  it("maps frames without a function (???) and keeps leak records typed", () => {
    const result = parseXml(doc(LEAK.replace("<fn>malloc</fn>", "<fn>???</fn>")));
    const leak = result.leaks[0] as LeakRecord;
    expect(leak.stack[0]).toEqual({ ip: "0x101", object: "/p", dir: "/s", file: "p.c", line: 1 });
    expect(leak).toMatchObject({
      tool: "valgrind",
      kind: "definitely-lost",
      toolKind: "Leak_DefinitelyLost",
      thread: 1,
      pid: 100,
    });
  });
});

describe("unclosed elements", () => {
  it("name the element and the start or end tag that closed it", () => {
    const xml = [
      '<?xml version="1.0"?>',
      "<valgrindoutput>",
      "<protocolversion>4</protocolversion>",
      "<pid>7</pid>",
      "<error>",
      "  <unique>0x1</unique>",
      "  <kind>InvalidRead</kind>",
      "  <what>Invalid read of size 4</what>",
      "  <stack>",
      "    <frame>",
      "      <ip>0x1</ip>",
      "  </stack>",
      "</error>",
      "<error>",
      "  <unique>0x2</unique>",
      "  <kind>InvalidRead</kind>",
      "<error>",
      "  <unique>0x3</unique>",
      "  <kind>InvalidRead</kind>",
      "</error>",
      "<status><state>FINISHED</state></status>",
      "</valgrindoutput>",
      "",
    ].join("\n");
    const result = parseXml(xml);
    // An info on the cut frame, which holds an address alone, is not this test's.
    const repairs = result.diagnostics.filter((d) => d.severity !== "info");
    expect(repairs.map((d) => [d.code, d.message])).toEqual([
      ["xml-unclosed-element", "<frame> (line 10) was never closed; closed before </stack>"],
      ["xml-unclosed-element", "<error> (line 14) was never closed; closed before <error>"],
    ]);
  });
});
