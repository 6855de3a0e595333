/**
 * How many NUL bytes open `text` (a log line): 0 for nearly every line, at the cost of one
 * charCodeAt.
 *
 * A run of them where a line should be is a hole in the file. With `--trace-children=yes` and
 * one `--log-file` or `--xml-file` for every process (no `%p`), each exec'd child's Valgrind
 * opens the file again with O_TRUNC and writes from its start; a process that had the file open
 * before (the child's parent, waiting for it) then writes at its own, older offset, past the
 * file's new end, and the kernel fills the gap with NUL bytes. Of `shared.log` in
 * test/fixtures/valgrind/log-file-shared/holes (`valgrind -q`, a json-c test script), 62,013
 * of its 87,201 bytes are the hole before the shell's leak report; every line written before
 * the last child's, the test program's definite leaks among them, is gone.
 *
 * The program's own output can hold NULs too (an fwrite of a zeroed `char name[32]`:
 * test/fixtures/valgrind/binary-output), where it shares the stream with Valgrind: each format
 * decides where that can be.
 */
export function leadingNuls(text: string): number {
  let at = 0;
  while (text.charCodeAt(at) === 0) at += 1;
  return at;
}
