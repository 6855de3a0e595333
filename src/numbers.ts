/**
 * `4,096`: numbers as every report and message writes them, whatever the machine's locale. Here,
 * not with the reporters, for the analysis's messages (the gate's reasons) to share it: the
 * analysis does not import the reporters.
 */
export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}
