/**
 * One process of one log as a map key: its path, PID and run. A PID can run more than once in
 * a log (see ProcessInfo.run), and each run has its own summaries.
 */
export function processKey(item: {
  path: string;
  pid?: number | undefined;
  run?: number | undefined;
}): string {
  return `${item.path}\u0000${item.pid ?? ""}\u0000${item.run ?? ""}`;
}

/**
 * A process of an input as a compact key: its PID, or `PID/run` for a PID's later run (see
 * ProcessInfo.run), which few logs have; undefined for findings without a process.
 */
export type ProcessId = number | string | undefined;

export function processId(item: { pid?: number | undefined; run?: number | undefined }): ProcessId {
  return item.run === undefined ? item.pid : `${item.pid}/${item.run}`;
}

/** The PID and run a ProcessId stands for. */
export function pidAndRun(id: number | string): { pid: number; run: number | undefined } {
  if (typeof id === "number") return { pid: id, run: undefined };
  const [pid, run] = id.split("/").map(Number) as [number, number];
  return { pid, run };
}
