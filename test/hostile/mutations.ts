import fc from "fast-check";
import { concat, splitLines } from "./corpus.js";

/**
 * One change to a log. Positions are fractions of the input (0 to 1) so that a mutation makes
 * sense for any input and shrinks well; applying it is deterministic.
 */
export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "truncate-lines"; at: number }
  | { kind: "flip"; flips: readonly { at: number; byte: number }[] }
  | { kind: "duplicate"; lines: readonly { at: number; to: number }[] }
  | { kind: "shuffle"; from: number; keys: readonly number[] }
  | { kind: "crlf" }
  | { kind: "huge"; at: number; length: number; fill: string }
  | { kind: "cap-line"; at: number; over: -1 | 0 | 1; fill: string }
  | { kind: "big-number"; at: number; digits: string };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/**
 * The line cap the fuzz parses with (bytes of a line's text), which a cap-line straddles. Below
 * the engine's default of 1 MiB, so that huge lines are cut while runs stay fast.
 */
export const FUZZ_LINE_CAP = 1 << 16;

/** Fillers of a huge line: plain text, a log prefix followed by junk, regex-stressing text. */
const FILLS = ["x", "==1== ", "(", "0x", " : ", "by 0x4: f (a.c:1) ", "<", "\u00e9"] as const;

/** A line of exactly the cap, or one byte under or over it (its CR must not count). */
export const capLineArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constant("cap-line" as const),
  at: position,
  over: fc.constantFrom(-1 as const, 0 as const, 1 as const),
  fill: fc.constantFrom(...FILLS),
});

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("truncate-lines" as const), at: position }),
  fc.record({
    kind: fc.constant("flip" as const),
    flips: fc.array(fc.record({ at: position, byte: fc.integer({ min: 0, max: 255 }) }), {
      minLength: 1,
      maxLength: 12,
    }),
  }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    lines: fc.array(fc.record({ at: position, to: position }), { minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant("shuffle" as const),
    from: position,
    keys: fc.array(fc.nat(), { minLength: 2, maxLength: 40 }),
  }),
  fc.constant({ kind: "crlf" as const }),
  fc.record({
    kind: fc.constant("huge" as const),
    at: position,
    // Above the fuzz's 64 KiB line cap, and at most a few hundred KiB to keep runs fast.
    length: fc.integer({ min: 60_000, max: 300_000 }),
    fill: fc.constantFrom(...FILLS),
  }),
  capLineArb,
  fc.record({
    kind: fc.constant("big-number" as const),
    at: position,
    // Past a double's exact integers: 2^53 + 1, 2^64, Infinity (grammars/numbers.ts).
    digits: fc.constantFrom("9007199254740993", "18446744073709551616", "9".repeat(400)),
  }),
);

/** Applies mutations to the bytes after `keep` (a byte offset); the first `keep` bytes stay. */
export function mutateTail(
  bytes: Uint8Array,
  keep: number,
  mutations: readonly Mutation[],
): Uint8Array {
  let tail = bytes.subarray(keep);
  for (const mutation of mutations) tail = apply(tail, mutation);
  return concat([bytes.subarray(0, keep), tail]);
}

/** Applies mutations to the whole input. */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutateTail(bytes, 0, mutations);
}

const at = (fraction: number, length: number): number => Math.floor(fraction * length);

function apply(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  switch (mutation.kind) {
    case "truncate":
      return bytes.subarray(0, at(mutation.at, bytes.length + 1));
    case "truncate-lines": {
      const lines = splitLines(bytes);
      return concat(lines.slice(0, at(mutation.at, lines.length + 1)));
    }
    case "flip": {
      if (bytes.length === 0) return bytes;
      const copy = Uint8Array.from(bytes);
      for (const flip of mutation.flips) copy[at(flip.at, copy.length)] = flip.byte;
      return copy;
    }
    case "duplicate":
      return duplicate(bytes, mutation.lines);
    case "shuffle":
      return shuffle(bytes, mutation.from, mutation.keys);
    case "crlf":
      return Buffer.from(Buffer.from(bytes).toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
    case "huge": {
      const lines = splitLines(bytes);
      const line = Buffer.from(`${mutation.fill.repeat(mutation.length / mutation.fill.length)}\n`);
      lines.splice(at(mutation.at, lines.length + 1), 0, line);
      return concat(lines);
    }
    case "big-number":
      return bigNumber(bytes, mutation.at, mutation.digits);
    case "cap-line": {
      const lines = withNewlines(splitLines(bytes));
      const text = Buffer.from(mutation.fill.repeat(FUZZ_LINE_CAP)).subarray(
        0,
        FUZZ_LINE_CAP + mutation.over,
      );
      lines.splice(at(mutation.at, lines.length + 1), 0, concat([text, Uint8Array.of(10)]));
      return concat(lines);
    }
  }
}

/** The first digit run of the first line from `at` on that has one becomes `digits`. */
function bigNumber(bytes: Uint8Array, from: number, digits: string): Uint8Array {
  const lines = splitLines(bytes);
  for (let i = at(from, lines.length); i < lines.length; i += 1) {
    const text = Buffer.from(lines[i] as Uint8Array).toString("latin1");
    if (!/\d/.test(text)) continue;
    lines[i] = Buffer.from(text.replace(/\d+/, digits), "latin1");
    return concat(lines);
  }
  return bytes;
}

/** Copies lines to other places (a record printed twice, a block repeated). */
function duplicate(bytes: Uint8Array, moves: readonly { at: number; to: number }[]): Uint8Array {
  const lines = withNewlines(splitLines(bytes));
  if (lines.length === 0) return bytes;
  for (const move of moves) {
    const line = lines[at(move.at, lines.length)] as Uint8Array;
    lines.splice(at(move.to, lines.length + 1), 0, line);
  }
  return concat(lines);
}

/** Shuffles a run of lines starting at `from`, ordered by the random keys. */
function shuffle(bytes: Uint8Array, from: number, keys: readonly number[]): Uint8Array {
  const lines = withNewlines(splitLines(bytes));
  const start = at(from, lines.length);
  const run = lines.slice(start, start + keys.length);
  const order = run.map((line, i) => ({ line, key: keys[i] ?? 0 }));
  order.sort((a, b) => a.key - b.key);
  lines.splice(start, run.length, ...order.map((o) => o.line));
  return concat(lines);
}

/** Lines that all end in a newline, so moving them never glues two lines together. */
function withNewlines(lines: Uint8Array[]): Uint8Array[] {
  return lines.map((line) => (line.at(-1) === 10 ? line : concat([line, Uint8Array.of(10)])));
}

/** Random chunk borders: byte offsets, as fractions of the input. */
export const splitsArb = fc.array(position, { maxLength: 24 });

/** The input cut at the given fractions. */
export function chunked(bytes: Uint8Array, splits: readonly number[]): Uint8Array[] {
  const offsets = [...new Set(splits.map((s) => at(s, bytes.length)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(bytes.subarray(start, offset));
    start = offset;
  }
  return chunks;
}
