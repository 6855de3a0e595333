import { TAGS, type KindTexts } from "./kind-text.js";

/**
 * Helgrind's and DRD's kinds (their XML `<kind>` names), worded after the Valgrind manual's
 * Helgrind and DRD chapters ("Detected errors"), the XML output protocol's Helgrind kinds and
 * drd/drd_error.c's and drd_cond.c's messages.
 */
export const HELGRIND_DRD_TEXTS: KindTexts = {
  // Helgrind.
  Race: {
    short: "Data race",
    full: "Two threads accessed the same memory location without a lock or other synchronisation ordering the accesses, at least one of them writing; Helgrind shows both stacks where it can.",
    tags: TAGS.concurrency,
  },
  UnlockUnlocked: {
    short: "Unlock of a lock that is not locked",
    full: "A thread unlocked a mutex or reader-writer lock that was not locked, such as a second unlock or one on a path that never locked.",
    tags: TAGS.concurrency,
  },
  UnlockForeign: {
    short: "Unlock of a lock held by another thread",
    full: "A thread unlocked a mutex or reader-writer lock that a different thread holds, which POSIX does not allow.",
    tags: TAGS.concurrency,
  },
  UnlockBogus: {
    short: "Unlock of something that is no lock",
    full: "An unlock function was given an address Helgrind does not know as a lock: an uninitialised or destroyed mutex, or a wrong pointer.",
    tags: TAGS.concurrency,
  },
  PthAPIerror: {
    short: "pthread function failed",
    full: "A POSIX pthread function that Helgrind intercepts returned an error code, which usually means it was misused (a locked mutex destroyed, a mutex locked twice, ...).",
    tags: TAGS.concurrency,
  },
  LockOrder: {
    short: "Inconsistent lock order",
    full: "Locks were acquired in different orders at different places, so threads taking them at the same time can deadlock; Helgrind shows where the required order was established and where it was violated.",
    tags: TAGS.concurrency,
  },
  Misc: {
    short: "Misuse of threads or their objects",
    full: "A threading error of another kind, such as a thread exiting while still holding locks, a condition variable waited on with a mutex that is not locked, or a barrier misused.",
    tags: TAGS.concurrency,
  },
  Dubious: {
    short: "Condition variable signalled without its mutex",
    full: "A condition variable was signalled or broadcast while its associated mutex was not held (--check-cond-signal-mutex=yes): not strictly an error, but the scheduling of the woken threads becomes unpredictable.",
    tags: TAGS.concurrency,
  },
  // DRD.
  ConflictingAccess: {
    short: "Data race (conflicting access)",
    full: "A load or store of one thread conflicts with an access of another thread that no synchronisation orders it with, one of them a store; DRD shows the access's stack and the other thread's segment.",
    tags: TAGS.concurrency,
  },
  MutexErr: {
    short: "Mutex misuse",
    full: "A mutex was misused: locked recursively though it is not recursive, unlocked while not locked or by another thread, destroyed while locked, or an object that is no mutex was passed as one.",
    tags: TAGS.concurrency,
  },
  CondErr: {
    short: "Condition variable misuse",
    full: "A condition variable was misused: initialised twice, destroyed while threads wait on it, or an object that is no condition variable was passed as one.",
    tags: TAGS.concurrency,
  },
  CondDestrErr: {
    short: "Condition variable destroyed while waited upon",
    full: "A condition variable was destroyed or freed while a thread was still waiting on it.",
    tags: TAGS.concurrency,
  },
  CondRaceErr: {
    short: "Condition variable signalled without its mutex",
    full: "A condition variable was signalled while the signalling thread did not hold the associated mutex, probably a race: a waiter may miss the change the signal announces.",
    tags: TAGS.concurrency,
  },
  CondWaitErr: {
    short: "Condition variable waited on with two mutexes",
    full: "Threads waited on one condition variable with different mutexes, an inconsistent association of condition variable and mutex.",
    tags: TAGS.concurrency,
  },
  SemaphoreErr: {
    short: "Semaphore misuse",
    full: "A semaphore was misused: initialised twice, destroyed while threads wait on it, or an object that is no semaphore was passed as one.",
    tags: TAGS.concurrency,
  },
  BarrierErr: {
    short: "Barrier misuse",
    full: "A barrier was misused: initialised twice, destroyed while threads wait on it or without synchronising with the waiters, or waited on in conflicting ways.",
    tags: TAGS.concurrency,
  },
  RwlockErr: {
    short: "Reader-writer lock misuse",
    full: "A reader-writer lock was misused: destroyed while locked, unlocked by a thread that does not hold it, locked for writing recursively, or an object that is no reader-writer lock was passed as one.",
    tags: TAGS.concurrency,
  },
  HoldtimeErr: {
    short: "Lock held too long",
    full: "A lock was held longer than the threshold given with --exclusive-threshold or --shared-threshold, which delays the threads waiting for it (lock contention).",
    tags: TAGS.concurrency,
  },
  GenericErr: {
    short: "Threading error",
    full: "Another misuse of the threading API or of DRD's client requests, which the message names in DRD's own words.",
    tags: TAGS.concurrency,
  },
  InvalidThreadId: {
    short: "Invalid thread ID",
    full: "pthread_join or pthread_cancel was given a thread ID that names no thread, such as one already joined or never created.",
    tags: TAGS.concurrency,
  },
  UnimpHgClReq: {
    short: "Unsupported Helgrind annotation",
    full: "The program used an annotation macro of <valgrind/helgrind.h> that DRD does not implement, so DRD's analysis leaves out what it says.",
    tags: TAGS.concurrency,
  },
  UnimpDrdClReq: {
    short: "Unsupported DRD annotation",
    full: "The program used an annotation macro of <valgrind/drd.h> that this DRD does not implement yet, so its analysis leaves out what it says.",
    tags: TAGS.concurrency,
  },
};
