/**
 * What the child process of snapshot/off-thread.ts runs: the settings this process's caller has
 * (whether columns are mapped, where snapshots are kept, how temporary files are marked) taken as
 * its own, then `ensureSnapshot` (load.ts). A module of its own, so that the child imports one
 * entry point: this file through tsx when the server runs from its sources, or its prebuilt
 * bundle (off-thread.ts, `runChildFrom`).
 */
import { mapColumns } from "./columns.js";
import type { SnapshotOutcome } from "./load.js";
import { checkSnapshot, ensureSnapshot } from "./load.js";
import { placeSnapshots } from "./place.js";
import type { VerifiedSnapshot } from "./snapshot.js";

/** What the parent tells its child: the dataset's directory and the parent's settings. */
export interface ChildOrder {
  dir: string;
  /** The parent's `mapsColumns()`. */
  mapColumns: boolean;
  /** Where the snapshot is kept (place.ts), undefined: beside the dataset. */
  snapshotsPlaced: string | undefined;
  /** The parent's `temporaryMark()`, so that the parent knows the temporary files as its own. */
  mark: string;
  ensure: { unusable?: string };
}

/** The parent's settings taken as this process's, then the snapshot made current (ensureSnapshot). */
export function ensureInChild(
  order: ChildOrder,
): Promise<SnapshotOutcome & { verified?: VerifiedSnapshot }> {
  mapColumns(order.mapColumns);
  placeSnapshots(order.snapshotsPlaced, order.mark);
  return ensureSnapshot(order.dir, order.ensure);
}

/** The parent's settings taken as this process's, then the snapshot checked (checkSnapshot). */
export function checkInChild(
  order: ChildOrder,
): Promise<{ verified: VerifiedSnapshot } | { unusable: string }> {
  mapColumns(order.mapColumns);
  placeSnapshots(order.snapshotsPlaced, order.mark);
  return checkSnapshot(order.dir);
}
