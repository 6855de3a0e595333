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
  fn: string;
  file: string;
  line: number;
}

export function stackPool(size: number, random: Random): StackFrame[][] {
  const pool: StackFrame[][] = [];
  for (let i = 0; i < size; i += 1) {
    const depth = 2 + random.int(7);
    const stack: StackFrame[] = [];
    for (let d = 0; d < depth; d += 1) {
      const fn = `${random.pick(VERBS)}_${random.pick(WORDS)}_${i % 97}`;
      stack.push({
        fn,
        file: `${random.pick(WORDS)}_${(i + d) % 41}.c`,
        line: 10 + random.int(900),
      });
    }
    stack.push({ fn: "main", file: "main.c", line: 20 + (i % 50) });
    pool.push(stack);
  }
  return pool;
}
