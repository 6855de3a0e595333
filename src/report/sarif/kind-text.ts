/**
 * What a SARIF rule says about one kind. GitHub code scanning shows the rule's shortDescription
 * beside every alert of it, its fullDescription atop the alert and its help on the alert page
 * ("About SARIF support": "the shortDescription and fullDescription appear at the top of a code
 * scanning alert"), and filters alerts by the rule's tags.
 */
export interface KindText {
  /** One line without a final period: what the kind is. */
  short: string;
  /** One or two sentences: what the finding means and what usually causes it. */
  full: string;
  /** What the kind is about (see TAGS). */
  tags: readonly string[];
}

/**
 * The tags a kind's rule carries, by what the kind is about. No `security`: GitHub treats the
 * alerts of a rule tagged so as security alerts (ranked by its `security-severity`), which a
 * memory checker's finding is not known to be.
 */
export const TAGS = {
  /** An access, free or allocation call the heap or stack did not allow. */
  memoryError: ["memory", "memory-error"],
  /** About memory, but no misuse of it: an allocation that failed, a harmless free(NULL). */
  memory: ["memory"],
  /** Memory still held when the program ended. */
  leak: ["memory", "leak"],
  /** A data race, a misused lock or thread, a potential deadlock. */
  concurrency: ["concurrency"],
  /** What the C or C++ standard leaves undefined, as UndefinedBehaviorSanitizer checks it. */
  undefinedBehavior: ["undefined-behavior"],
  /** Integer arithmetic that overflowed its type (UBSan's signed and unsigned overflow checks). */
  integerOverflow: ["integer-overflow"],
  /** The program was killed by a signal. */
  crash: ["crash"],
  /** A file descriptor misused or left open (Valgrind's --track-fds). */
  fileDescriptor: ["file-descriptor"],
  /** A check the program itself asked for failed (MEMWATCH's ASSERT and VERIFY). */
  assertion: ["assertion"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** A kind's texts, by kind name (`InvalidRead`, `heap-use-after-free`). */
export type KindTexts = Readonly<Record<string, KindText>>;
