import { describe, expect, it } from "vitest";
import { Detacher } from "../../src/analysis/detach.js";

describe("Detacher", () => {
  const line = "==10026==    by 0x109C11: alloc_buffer_15_long_name (frame_9.c:848)";
  const record = {
    id: "0:17",
    kind: "definitely-lost",
    stack: [
      { ip: "0x109C11", function: line.slice(26, 51), file: "frame_9.c", line: 848 },
      { ip: "0x4005E4", object: "/usr/lib/x86_64-linux-gnu/libc.so.6" },
    ],
    lossRecord: { index: 3, of: 9 },
    details: { addedLeakCheck: true, nothing: null },
  };

  it("copies deeply: equal values, keys in the same order, no shared objects", () => {
    const copy = new Detacher().copy(record);
    expect(copy).toEqual(record);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(record));
    expect(copy).not.toBe(record);
    expect(copy.stack).not.toBe(record.stack);
    expect(copy.stack[0]).not.toBe(record.stack[0]);
    expect(copy.lossRecord).not.toBe(record.lossRecord);
  });

  it("keeps a parser's frozen shared stack as it is, and copies an unfrozen one", () => {
    const detacher = new Detacher();
    const shared = Object.freeze([...record.stack]);
    expect(detacher.stack(shared)).toBe(shared);
    expect(detacher.copy({ stack: shared }).stack).toBe(shared);
    expect(detacher.stack(record.stack)).not.toBe(record.stack);
  });

  it("keeps copies independent of later changes to the source", () => {
    const source = { stack: [{ function: "main" }] };
    const copy = new Detacher().copy(source);
    (source.stack[0] as { function: string }).function = "changed";
    source.stack.push({ function: "more" });
    expect(copy).toEqual({ stack: [{ function: "main" }] });
  });

  it("changes no value when it interns repeated strings, long ones and ids included", () => {
    const detacher = new Detacher();
    const a = detacher.copy(record);
    const b = detacher.copy({ ...record, id: "0:18" });
    expect(b.stack[0]?.function).toBe("alloc_buffer_15_long_name");
    expect(a.stack[1]?.object).toBe(b.stack[1]?.object);
    expect(b.id).toBe("0:18");
    const long = "x".repeat(2000);
    expect(detacher.copy({ message: long }).message).toBe(long);
  });

  it("shares one copy of equal stacks between records and groups, and only of equal ones", () => {
    const detacher = new Detacher();
    const first = detacher.copy(record);
    const again = detacher.copy({ ...record, id: "0:19", stack: structuredClone(record.stack) });
    const group = detacher.stack(record.stack);
    expect(again.stack).toBe(first.stack);
    expect(group).toBe(first.stack);
    expect(group).toEqual(record.stack);
    // One field, or only the key order, differs: a copy of its own, equal to its source.
    const otherLine = [{ ...record.stack[0], line: 849 }, record.stack[1]];
    const reordered = [
      { file: "frame_9.c", ip: "0x109C11", function: "alloc_buffer_15_long_name", line: 848 },
      record.stack[1],
    ];
    for (const stack of [otherLine, reordered, record.stack.slice(0, 1)]) {
      const copy = detacher.stack(stack as typeof record.stack);
      expect(copy).not.toBe(first.stack);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(stack));
    }
  });
});
