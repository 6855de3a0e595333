import { rmSync } from "node:fs";

/** The signals that end a run and leave it time to tidy up: Ctrl-C, a cancelled CI job. */
const ENDING_SIGNALS = ["SIGINT", "SIGTERM"] as const;
type EndingSignal = (typeof ENDING_SIGNALS)[number];

/** The files to delete if such a signal ends the run. */
const doomed = new Set<string>();

/**
 * Deletes the file at `path` if SIGINT or SIGTERM ends the process before the returned function
 * is called (once the file is renamed, or deleted by its writer). The signal is then raised
 * again, so the process still ends by it (exit 130 or 143 in a shell), as it did without the
 * listener: only the file is gone. A signal that another listener takes ends no run (main.ts
 * reads a live pipe on after the first Ctrl-C): the file is left to its writer.
 *
 * Listening only while such a file exists keeps Ctrl-C immediate elsewhere: a listener runs
 * only when the event loop gets back control, which a long parse or render holds on to.
 */
export function removeOnSignal(path: string): () => void {
  if (doomed.size === 0) {
    for (const signal of ENDING_SIGNALS) process.on(signal, LISTENERS[signal]);
  }
  doomed.add(path);
  return () => {
    doomed.delete(path);
    if (doomed.size === 0) stopListening();
  };
}

function removeAndEnd(signal: EndingSignal): void {
  if (process.listenerCount(signal) > 1) return;
  for (const path of doomed) {
    try {
      rmSync(path, { force: true });
    } catch {
      // The signal ends the run all the same.
    }
  }
  doomed.clear();
  stopListening();
  process.kill(process.pid, signal);
}

const LISTENERS: Record<EndingSignal, () => void> = {
  SIGINT: () => removeAndEnd("SIGINT"),
  SIGTERM: () => removeAndEnd("SIGTERM"),
};

function stopListening(): void {
  for (const signal of ENDING_SIGNALS) process.removeListener(signal, LISTENERS[signal]);
}
