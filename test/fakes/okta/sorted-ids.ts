/**
 * Ids kept in ascending order, so an `after` cursor is a position found by binary search and a
 * page survives concurrent inserts and deletes the way Okta's keyset cursors do.
 */
export class SortedIds {
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    const i = this.lowerBound(id);
    return this.ids[i] === id;
  }

  add(id: string): boolean {
    const i = this.lowerBound(id);
    if (this.ids[i] === id) return false;
    this.ids.splice(i, 0, id);
    return true;
  }

  delete(id: string): boolean {
    const i = this.lowerBound(id);
    if (this.ids[i] !== id) return false;
    this.ids.splice(i, 1);
    return true;
  }

  values(): readonly string[] {
    return this.ids;
  }

  private lowerBound(id: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ids[mid] as string) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Index of the first id strictly greater than `after` in an ascending array. */
export function firstAfter(ids: readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
