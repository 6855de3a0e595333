import { TAGS, type KindTexts } from "./kind-text.js";

/**
 * ThreadSanitizer's report types as src/formats/sanitizer/tsan-reports.ts names them, worded
 * after compiler-rt's tsan_report.cpp (ReportTypeString) and the reports' contents. Its
 * `heap-use-after-free` is ASan's kind, described there.
 */
export const TSAN_TEXTS: KindTexts = {
  "data-race": {
    short: "Data race",
    full: "Two threads accessed the same memory location without synchronisation, at least one of them writing; the report shows both accesses, the mutexes held and where the threads were created.",
    tags: TAGS.concurrency,
  },
  "data-race-on-vptr": {
    short: "Data race on a vtable pointer",
    full: "A virtual call raced with the object's constructor or destructor changing its vtable pointer: usually an object destroyed while another thread still uses it.",
    tags: TAGS.concurrency,
  },
  "race-on-external-object": {
    short: "Race on an annotated object",
    full: "Two threads used an object a library annotated for ThreadSanitizer (its external API) without synchronisation, at least one of them modifying it.",
    tags: TAGS.concurrency,
  },
  "thread-leak": {
    short: "Thread leak",
    full: "A thread finished but was never joined or detached, so its resources were never released: a missing pthread_join or pthread_detach.",
    tags: [...TAGS.concurrency, "leak"],
  },
  "destroy-of-locked-mutex": {
    short: "Destroy of a locked mutex",
    full: "A mutex was destroyed, or the memory holding it freed, while it was locked.",
    tags: TAGS.concurrency,
  },
  "double-lock-of-mutex": {
    short: "Double lock of a mutex",
    full: "A thread locked a mutex it already holds, which deadlocks or is undefined unless the mutex is recursive.",
    tags: TAGS.concurrency,
  },
  "use-of-invalid-mutex": {
    short: "Use of an invalid mutex",
    full: "A mutex function was given a mutex that is not valid, such as one never initialised or already destroyed.",
    tags: TAGS.concurrency,
  },
  "unlock-of-unlocked-mutex": {
    short: "Unlock of an unlocked mutex",
    full: "A thread unlocked a mutex that was not locked, or that another thread holds.",
    tags: TAGS.concurrency,
  },
  "read-lock-of-write-locked-mutex": {
    short: "Read lock of a write-locked mutex",
    full: "A reader-writer lock held for writing was locked for reading, usually by the thread that holds the write lock, which then deadlocks.",
    tags: TAGS.concurrency,
  },
  "read-unlock-of-write-locked-mutex": {
    short: "Read unlock of a write-locked mutex",
    full: "A reader-writer lock held for writing was unlocked as if held for reading: the unlock does not match the lock taken.",
    tags: TAGS.concurrency,
  },
  "signal-unsafe-call-inside-of-signal": {
    short: "Signal-unsafe call in a signal handler",
    full: "A signal handler called a function that is not async-signal-safe (malloc, printf, ...), which can deadlock or corrupt state when the signal interrupts that same function.",
    tags: TAGS.concurrency,
  },
  "signal-handler-spoils-errno": {
    short: "Signal handler spoils errno",
    full: "A signal handler changed errno without restoring it, so the code the signal interrupted can see a wrong errno.",
    tags: TAGS.concurrency,
  },
  "lock-order-inversion": {
    short: "Lock order inversion",
    full: "Mutexes were locked in inconsistent orders by different code paths, a cycle in the lock order graph: a potential deadlock even if none happened in this run.",
    tags: TAGS.concurrency,
  },
  "mutex-held-in-wrong-context": {
    short: "Mutex held in the wrong context",
    full: "A mutex was held where the program declared that none may be (__tsan_check_no_mutexes_held), such as in a callback that must not block.",
    tags: TAGS.concurrency,
  },
};
