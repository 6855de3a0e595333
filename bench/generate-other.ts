import { Random, stackPool, type StackFrame } from "./random.js";

/**
 * memleax: a long monitoring stream (first expiries with backtraces, then "K times again"
 * lines), ending with the final Callstack statistics.
 */
export function* memleax(targetBytes: number, seed = 3): Generator<string> {
  const random = new Random(seed);
  const pool = stackPool(500, random);
  const counts = new Map<number, { size: number; times: number }>();
  yield "== Begin monitoring process 31337...\n";
  let written = 0;
  let out = "";
  while (written < targetBytes) {
    const id = 1 + random.int(pool.length);
    const known = counts.get(id);
    let line: string;
    if (known === undefined) {
      const size = 8 << random.int(8);
      counts.set(id, { size, times: 1 });
      line = `CallStack[${id}]: memory expires with ${size} bytes, backtrace:\n${memleaxFrames(pool[id - 1] as StackFrame[])}`;
    } else {
      known.times += 1;
      line = `CallStack[${id}]: memory expires with ${known.size} bytes, ${known.times} times again\n`;
    }
    out += line;
    written += line.length;
    if (out.length > 1 << 16) {
      yield out;
      out = "";
    }
  }
  yield `${out}\n== Terminate monitoring.\n== Callstack statistics: (in ascending order)\n\n`;
  for (const [id, { size, times }] of [...counts].sort((a, b) => a[1].times - b[1].times)) {
    yield `CallStack[${id}]: may-leak=${times} (${times * size} bytes)\n    expired=${times} (${times * size} bytes), free_expired=0 (0 bytes)\n    alloc=${times + 2} (${(times + 2) * size} bytes), free=2 (${2 * size} bytes)\n    freed memory live time: min=0 max=1 average=0\n    un-freed memory live time: max=60\n${memleaxFrames(pool[id - 1] as StackFrame[])}\n`;
  }
}

function memleaxFrames(stack: readonly StackFrame[]): string {
  const top = "    0x00007ffb54315930  libc.so  __libc_malloc()+0  ../rt/lio_listio-common.c:266\n";
  return (
    top +
    stack
      .map(
        (f, i) =>
          `    0x000055e2423681${(0xab + i).toString(16)}  bench  ${f.fn}()+${i * 7}  /src/bench/${f.file}:${f.line}\n`,
      )
      .join("")
  );
}

/** MEMWATCH: appended sessions, each with unfreed blocks (dumps included) and statistics. */
export function* memwatch(targetBytes: number, seed = 4): Generator<string> {
  const random = new Random(seed);
  const pool = stackPool(500, random);
  let written = 0;
  while (written < targetBytes) {
    const lines = [
      "",
      "============= MEMWATCH 2.71 Copyright (C) 1992-1999 Johan Lindh =============",
      "",
      "Started at Sun Nov 22 01:28:25 2026",
      "",
      "Modes: __STDC__ 64-bit mwDWORD==(unsigned int)",
      "mwROUNDALLOC==8 sizeof(mwData)==56 mwDataSize==56",
      "",
    ];
    let unfreed = 0;
    const leaks: string[] = [];
    for (let i = 1; i <= 200; i += 1) {
      const site = (pool[random.int(pool.length)] as StackFrame[])[0] as StackFrame;
      if (random.next() < 0.1)
        lines.push(
          `double-free: <${i}> ${site.file}(${site.line}), 0x55dd5b3d26f0 was freed from ${site.file}(${site.line - 1})`,
        );
      const size = 8 << random.int(6);
      unfreed += size;
      leaks.push(
        `unfreed: <${i}> ${site.file}(${site.line}), ${size} bytes at 0x55dd5b3d${(0x2940 + i * 64).toString(16)}  \t{FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE FE ................}`,
      );
    }
    lines.push(
      "",
      "Stopped at Sun Nov 22 01:28:25 2026",
      "",
      ...leaks,
      "",
      "Memory usage statistics (global):",
      ` N)umber of allocations made: 400`,
      ` L)argest memory usage      : ${unfreed * 2}`,
      ` T)otal of all alloc() calls: ${unfreed * 2}`,
      ` U)nfreed bytes totals      : ${unfreed}`,
      "",
    );
    const text = `${lines.join("\n")}\n`;
    written += text.length;
    yield text;
  }
}
