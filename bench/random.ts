/** A small deterministic PRNG (mulberry32): the same seed writes the same log, byte for byte. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

const WORDS = [
  "parse",
  "load",
  "store",
  "cache",
  "node",
  "buffer",
  "table",
  "index",
  "queue",
  "frame",
  "token",
  "entry",
  "list",
  "map",
  "tree",
  "blob",
];
const VERBS = ["alloc", "make", "grow", "copy", "insert", "build", "read", "push", "clone", "init"];

/** A pool of distinct, realistic call stacks: memory grows with this pool, not with log size. */
export interface StackFrame {
  /** The address Valgrind prints for the frame (see callSiteAddress). */
  ip: string;
  fn: string;
  file: string;
  line: number;
}

/**
 * One address per call site (function, file and line), the same in every process and every
 * record, as Valgrind prints them: it loads a program at the same addresses on every run, so a
 * call site keeps its address across the processes of a test suite, and the text and XML runs of
 * one program in ../shared/corpus print the same `0x...` for each frame. (Generators before this
 * one drew a random address per frame and record, which no real log does.)
 */
function callSiteAddress(fn: string, file: string, line: number): string {
  let hash = 0x811c9dc5;
  for (const c of `${fn} ${file}:${line}`)
    hash = Math.imul(hash ^ (c.codePointAt(0) ?? 0), 0x01000193);
  return `0x${(0x109000 + ((hash >>> 0) % 0x27000)).toString(16).toUpperCase()}`;
}

export function stackPool(size: number, random: Random): StackFrame[][] {
  const pool: StackFrame[][] = [];
  for (let i = 0; i < size; i += 1) {
    const depth = 2 + random.int(7);
    const stack: StackFrame[] = [];
    for (let d = 0; d < depth; d += 1) {
      const fn = `${random.pick(VERBS)}_${random.pick(WORDS)}_${i % 97}`;
      const file = `${random.pick(WORDS)}_${(i + d) % 41}.c`;
      const line = 10 + random.int(900);
      stack.push({ ip: callSiteAddress(fn, file, line), fn, file, line });
    }
    const mainLine = 20 + (i % 50);
    stack.push({
      ip: callSiteAddress("main", "main.c", mainLine),
      fn: "main",
      file: "main.c",
      line: mainLine,
    });
    pool.push(stack);
  }
  return pool;
}
