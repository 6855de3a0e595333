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
