import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { summarize } from "../../src/api/summarize.js";
import { REPORTERS } from "../../src/report/index.js";
import { prettyJsonPieces, withHeldOutArray } from "../../src/report/json/pieces.js";
import { parseSample, sampleFiles } from "../helpers/golden.js";

const context = { color: false, top: 20 };

describe("the JSON report in pieces", () => {
  it.each([
    {},
    { a: [] },
    { a: undefined, b: 1 },
    { nested: { list: [1, [2, { x: "y\nz" }]], empty: {} }, list: [{ a: [] }, null, "s"] },
    { text: 'quotes " and \\ and \u2028 and 😀' },
    // More elements than one piece holds; holes and undefined become null, as in an array.
    { many: Array.from({ length: 70 }, (_, i) => (i % 7 === 0 ? undefined : { i })), after: 1 },
    { exactlyTwoPieces: Array.from({ length: 64 }, (_, i) => [i]) },
  ])("equals JSON.stringify for %j", (value) => {
    expect([...prettyJsonPieces(value)].join("")).toBe(JSON.stringify(value, null, 2));
  });

  it("equals JSON.stringify where an element holds a long array (a source's processes)", () => {
    const value = {
      sources: [
        { path: "a", processes: Array.from({ length: 1300 }, (_, i) => ({ pid: i, c: [i] })) },
        { path: "b", processes: [{ pid: 1 }] },
        { long: Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? undefined : i)), after: 2 },
        new Map([[1, 2]]),
      ],
    };
    const pieces = [...prettyJsonPieces(value)];
    expect(pieces.join("")).toBe(JSON.stringify(value, null, 2));
    // Written a batch of processes at a time, not as one piece.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(2000);
  });

  it("equals the one-string rendering for every sample's report", async () => {
    const reporter = REPORTERS.json;
    for (const folder of ["valgrind", "valgrind-xml", "memleax", "memwatch", "sanitizer"]) {
      const results = await Promise.all(
        sampleFiles(folder, [".txt", ".xml", ".log"]).map((name) => parseSample(folder, name)),
      );
      const report = summarize(results, { gate: { failOn: ["error"], maxBytes: {} } });
      const pieces = [...(reporter.renderPieces?.(report, context) ?? [])];
      expect(pieces.length, folder).toBeGreaterThan(10);
      expect(pieces.join(""), folder).toBe(reporter.render(report, context));
    }
  });
});

describe("an object's text with one array held out", () => {
  const stringify = (value: unknown) => JSON.stringify(value, null, 2);

  it("equals JSON.stringify of the whole, at any depth and length", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 40 }),
        fc.jsonValue(),
        fc.nat(3),
        (items, other, depth) => {
          const marker = "held-out-marker";
          // The array sits `depth` objects deep, between other keys.
          const wrap = (inner: unknown) => {
            let value: unknown = inner;
            for (let i = 0; i < depth; i += 1) value = { before: other, list: value, after: i };
            return { first: other, list: value, last: [other] };
          };
          const pieces = withHeldOutArray(stringify(wrap(marker)), marker, items, stringify);
          expect([...pieces].join("")).toBe(stringify(wrap(items)));
        },
      ),
    );
  });

  it("says so when the marker is not in the text", () => {
    expect(() => [...withHeldOutArray("{}", "m", [], JSON.stringify)]).toThrow(/"m" is not in/);
  });
});
