/**
 * The fields that name a record's, summary's or process entry's process: its PID, and its run
 * from the PID's second on (see ProcessInfo.run); none without a PID.
 */
export function processFields(pid: number, run: number | undefined): { pid: number; run?: number };
export function processFields(
  pid: number | undefined,
  run: number | undefined,
): { pid?: number; run?: number };
export function processFields(
  pid: number | undefined,
  run: number | undefined,
): { pid?: number; run?: number } {
  if (pid === undefined) return {};
  return run === undefined ? { pid } : { pid, run };
}
