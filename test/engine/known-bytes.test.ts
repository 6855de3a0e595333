import { describe, expect, it } from "vitest";
import { KnownBytes, type Follower } from "../../src/engine/known-bytes.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("KnownBytes", () => {
  it("makes each distinct piece once and finds it again", () => {
    let made = 0;
    const known = new KnownBytes((text) => {
      made += 1;
      return { text: text.toUpperCase() };
    }, 8);
    const a = bytes("xx   at 0x401136: main (a.c:3)");
    const b = bytes("   at 0x401136: main (a.c:3)");
    expect(known.find(a, 2, a.length)?.text).toBe("   AT 0X401136: MAIN (A.C:3)");
    expect(known.find(b, 0, b.length)).toBe(known.find(a, 2, a.length));
    expect(made).toBe(1);
  });

  it("keeps a piece its maker declines out of the table", () => {
    const known = new KnownBytes(() => undefined, 8);
    const a = bytes("   at 0x401136: main (a.c:3)");
    expect(known.find(a, 0, a.length)).toBeUndefined();
    expect(known.find(a, 0, a.length)).toBeUndefined();
  });

  it("tries the piece that followed last time first, and learns a new one", () => {
    const known = new KnownBytes((text) => ({ text }), 8);
    const [first, second, third] = [
      "   at 0x1000: f (a.c:1)",
      "   by 0x2000: g (a.c:2)",
      "   by 0x3000: h (a.c:3)",
    ].map(bytes);
    const f = known.find(first as Buffer, 0, (first as Buffer).length);
    const g = known.find(second as Buffer, 0, (second as Buffer).length, f);
    expect(f?.next).toBe(g);
    expect(known.following(second as Buffer, 0, f)).toBe(g);
    expect(known.following(third as Buffer, 0, f)).toBeUndefined();
    const h = known.find(third as Buffer, 0, (third as Buffer).length, f);
    expect(f?.next).toBe(h);
  });

  it("lets a caller's own follower stand for what came before a first piece", () => {
    const known = new KnownBytes((text) => ({ text }), 8);
    const header: Follower<{ text: string }> = { next: undefined };
    const [malloc, other] = ["   at 0x1000: malloc (vg.c:1)", "   at 0x2000: calloc (vg.c:2)"].map(
      bytes,
    ) as [Buffer, Buffer];
    const first = known.find(malloc, 0, malloc.length, header);
    expect(header.next).toBe(first);
    expect(known.following(malloc, 0, header)).toBe(first);
    expect(known.find(malloc, 0, malloc.length, header)).toBe(first);
    const second = known.find(other, 0, other.length, header);
    expect(second?.text).toBe("   at 0x2000: calloc (vg.c:2)");
    expect(header.next).toBe(second);
  });

  it("keeps at most 4 MiB of pieces' bytes, whatever their count", () => {
    let made = 0;
    const known = new KnownBytes((text) => {
      made += 1;
      return { text };
    }, 1_000_000);
    const piece = (i: number) => bytes(`${String(i).padStart(8, "0")}${"x".repeat(4092)}`);
    for (let i = 0; i < 1100; i += 1) known.find(piece(i), 0, piece(i).length);
    expect(made).toBe(1024);
    expect(known.find(piece(1050), 0, piece(1050).length)).toBeUndefined();
    expect(known.find(piece(3), 0, piece(3).length)?.text).toBe(piece(3).toString("latin1"));
  });

  it("stops looking pieces up once a full table keeps missing", () => {
    const known = new KnownBytes((text) => ({ text }), 4);
    const piece = (i: number) => bytes(`   at 0x${(0x400000 + i).toString(16)}: f (a.c:1)`);
    const kept = piece(0);
    for (let i = 0; i < 4; i += 1) expect(known.find(piece(i), 0, piece(i).length)).toBeDefined();
    expect(known.find(kept, 0, kept.length)).toBeDefined();
    // 10,000 misses past the finds' fourfold, then even a kept piece is no longer looked up.
    for (let i = 4; i < 4 + 10_005; i += 1) known.find(piece(i), 0, piece(i).length);
    expect(known.find(kept, 0, kept.length)).toBeUndefined();
  });
});
