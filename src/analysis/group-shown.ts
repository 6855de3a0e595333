import type { Frame, LogLocation } from "../model/index.js";
import { compareLogPlaces } from "./shown-record.js";

/**
 * What each group's shown record is (see shown-record.ts), by group number, in columns: its
 * stack, and where it was logged. Most records that join a group show what it shows, and in a
 * log read from bytes one stack array is every record's of a call site (see SharedStacks): such
 * a leak is told from the shown one by the columns alone, the group itself left untouched (a
 * cache miss per record on a big log, see GroupTallies).
 */
export class GroupShown {
  private readonly stacks: (readonly Frame[])[] = [];
  /** The shown record's log, or undefined for a group merged without members. */
  private readonly paths: (string | undefined)[] = [];
  private readonly lines: number[] = [];

  /** Notes what group `id` (the next one, or one noted before) shows, logged at `place`. */
  set(id: number, stack: readonly Frame[], place: LogLocation | undefined): void {
    this.stacks[id] = stack;
    this.paths[id] = place?.path;
    this.lines[id] = place?.line ?? 0;
  }

  /** Whether group `id` shows this very stack array. */
  showsStack(id: number, stack: readonly Frame[]): boolean {
    return this.stacks[id] === stack;
  }

  /**
   * A record's place against that of group `id`'s shown record, as compareLogLocations orders
   * them; a place not known comes last.
   */
  comparePlaces(id: number, place: LogLocation | undefined): number {
    const path = this.paths[id];
    if (place === undefined || path === undefined) {
      return (place === undefined ? 1 : 0) - (path === undefined ? 1 : 0);
    }
    return compareLogPlaces(place.path, place.line, path, this.lines[id] as number);
  }
}
