import { Random, stackPool, type StackFrame } from "./random.js";

const ERRORS = [
  ["Invalid read of size 4", " Address 0x4a41050 is 0 bytes after a block of size 16 alloc'd"],
  ["Invalid write of size 8", " Address 0x4a410a0 is 8 bytes inside a block of size 32 free'd"],
  ["Conditional jump or move depends on uninitialised value(s)", ""],
  ["Use of uninitialised value of size 8", ""],
  [
    "Invalid free() / delete / delete[] / realloc()",
    " Address 0x4a41040 is 0 bytes inside a block of size 16 free'd",
  ],
  [
    "Mismatched free() / delete / delete []",
    " Address 0x4a41040 is 0 bytes inside a block of size 16 alloc'd",
  ],
  [
    "Syscall param write(buf) points to uninitialised byte(s)",
    " Address 0x4a41040 is 0 bytes inside a block of size 16 alloc'd",
  ],
  ["Source and destination overlap in memcpy(0x4a41040, 0x4a41044, 16)", ""],
] as const;
const LEAK_KINDS = [
  "definitely lost",
  "indirectly lost",
  "possibly lost",
  "still reachable",
] as const;
const MALLOC = "malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)";

/**
 * Writes a realistic Valgrind memcheck text log of at least `targetBytes`: a test suite whose
 * runs follow one another (each a process with errors, program output, HEAP/LEAK/ERROR
 * summaries consistent with its records), pairs of processes interleaved line by line as
 * `--trace-children=yes` does, every leak kind including `(D direct, I indirect)` records.
 */
export function* valgrindText(targetBytes: number, seed = 1): Generator<string> {
  const random = new Random(seed);
  const pool = stackPool(600, random);
  let written = 0;
  let pid = 10_000;
  while (written < targetBytes) {
    const a = processLines(pid, random, pool);
    const b = processLines(pid + 1, random, pool);
    pid += 2;
    for (const chunk of interleave(a, b, random)) {
      written += chunk.length;
      yield chunk;
    }
  }
}

function* interleave(a: string[], b: string[], random: Random): Generator<string> {
  let i = 0;
  let j = 0;
  let out = "";
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && random.next() < 0.5);
    out += `${takeA ? a[i++] : b[j++]}\n`;
    if (out.length > 1 << 16) {
      yield out;
      out = "";
    }
  }
  yield out;
}

function processLines(pid: number, random: Random, pool: StackFrame[][]): string[] {
  const p = `==${pid}==`;
  const lines = [
    `${p} Memcheck, a memory error detector`,
    `${p} Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.`,
    `${p} Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info`,
    `${p} Command: ./bench_suite --case ${pid}`,
    `${p} Parent PID: ${pid - 1}`,
    `${p} `,
  ];
  const errorCount = 20 + random.int(30);
  for (let e = 0; e < errorCount; e += 1) {
    const [headline, aux] = random.pick(ERRORS);
    const stack = random.pick(pool);
    lines.push(`${p} ${headline}`, ...frames(p, stack));
    if (aux !== "")
      lines.push(
        `${p} ${aux}`,
        `${p}    at 0x48417B4: ${MALLOC}`,
        ...frames(p, random.pick(pool), "by"),
      );
    lines.push(`${p} `);
    if (random.next() < 0.3) lines.push(`test output: case ${pid} step ${e} ok`);
  }
  lines.push(
    ...leaks(p, random, pool),
    `${p} For lists of detected and suppressed errors, rerun with: -s`,
    `${p} ERROR SUMMARY: ${errorCount} errors from ${errorCount} contexts (suppressed: 0 from 0)`,
  );
  return lines;
}

function leaks(p: string, random: Random, pool: StackFrame[][]): string[] {
  const count = 30 + random.int(40);
  const sums = new Map<string, [number, number]>(LEAK_KINDS.map((k) => [k, [0, 0]]));
  const records: string[] = [];
  for (let r = 1; r <= count; r += 1) {
    const kind = random.pick(LEAK_KINDS);
    const blocks = 1 + random.int(5);
    const direct = blocks * (8 << random.int(6));
    const indirect =
      kind === "definitely lost" && random.next() < 0.3 ? 16 * (1 + random.int(8)) : 0;
    const total = direct + indirect;
    const sum = sums.get(kind) as [number, number];
    sum[0] += direct;
    sum[1] += blocks;
    const amount =
      indirect > 0
        ? `${fmt(total)} (${fmt(direct)} direct, ${fmt(indirect)} indirect)`
        : fmt(total);
    records.push(
      `${p} ${amount} bytes in ${fmt(blocks)} blocks are ${kind} in loss record ${r} of ${count}`,
      `${p}    at 0x48417B4: ${MALLOC}`,
      ...frames(p, random.pick(pool), "by"),
      `${p} `,
    );
  }
  const inUse = [...sums.values()].reduce((s, [b]) => s + b, 0);
  const inBlocks = [...sums.values()].reduce((s, [, n]) => s + n, 0);
  return [
    `${p} HEAP SUMMARY:`,
    `${p}     in use at exit: ${fmt(inUse)} bytes in ${fmt(inBlocks)} blocks`,
    `${p}   total heap usage: ${fmt(inBlocks * 3)} allocs, ${fmt(inBlocks * 2)} frees, ${fmt(inUse * 3)} bytes allocated`,
    `${p} `,
    ...records,
    `${p} LEAK SUMMARY:`,
    ...LEAK_KINDS.map(
      (k) =>
        `${p}    ${k.padStart(15)}: ${fmt(sums.get(k)?.[0] ?? 0)} bytes in ${fmt(sums.get(k)?.[1] ?? 0)} blocks`,
    ),
    `${p}         suppressed: 0 bytes in 0 blocks`,
    `${p} `,
  ];
}

function frames(p: string, stack: StackFrame[], first: "at" | "by" = "at"): string[] {
  return stack.map(
    (f, i) => `${p}    ${i === 0 ? first : "by"} ${f.ip}: ${f.fn} (${f.file}:${f.line})`,
  );
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
