/**
 * A set of non-negative 32-bit integers in one typed array (open addressing, linear probing).
 * Thousands of small Sets of numbers are objects the garbage collector walks at every
 * collection; their entries here are bytes it never looks into (see GroupProcesses).
 */
export class IntSet {
  private slots: Int32Array;
  private size = 0;

  constructor(values: ArrayLike<number> = []) {
    this.slots = new Int32Array(capacityFor(values.length)).fill(EMPTY);
    for (let i = 0; i < values.length; i += 1) this.add(values[i] as number);
  }

  /** Adds `value`; false when the set has it already. */
  add(value: number): boolean {
    const mask = this.slots.length - 1;
    let at = hash(value) & mask;
    for (;;) {
      const slot = this.slots[at] as number;
      if (slot === value) return false;
      if (slot === EMPTY) break;
      at = (at + 1) & mask;
    }
    this.slots[at] = value;
    this.size += 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.size = 0;
    for (let i = 0; i < old.length; i += 1) {
      const value = old[i] as number;
      if (value !== EMPTY) this.add(value);
    }
  }
}

const EMPTY = -1;

/**
 * A power of two at least four times `count`: the set starts at most a quarter full, with room
 * to grow as much again before it is rehashed.
 */
function capacityFor(count: number): number {
  let capacity = 16;
  while (capacity < count * 4) capacity *= 2;
  return capacity;
}

/** Fibonacci hashing: group numbers are mostly consecutive, and this spreads them. */
function hash(value: number): number {
  return Math.imul(value, 0x9e3779b1) >>> 16;
}
