/** What one pass over a store of the inventory found and did; items for the table, objects for S3. */
export interface StoreCounts {
  /** Items or objects read (maintenance bookkeeping excluded). */
  scanned: number;
  /** Rewritten because at least one ciphertext was under another key than the primary. */
  reencrypted: number;
  /** Held ciphertext, all of it already under the primary key. */
  alreadyCurrent: number;
  /** Conditional writes lost to a concurrent writer; the item or object was then re-read and re-checked. */
  conflicts: number;
  /** Still under another key when the pass ended: found so (inspection) or lost the race every time. */
  stale: number;
  /** Ciphertexts where the inventory lists none (or, under an object prefix, objects that are not one). */
  unregistered: number;
}

/** Where a ciphertext under another key than the primary sits, for the operator to see. */
export interface CiphertextPlace {
  /** Inventory store: `table:<entity>` or the object store's name. */
  store: string;
  keyId: string | undefined;
  /** `pk=… sk=… attribute=…` or `s3://bucket/key`. */
  where: string;
  unregistered: boolean;
}

/** A pass's findings: counts per store and the places still not under the primary key. */
export interface PassFindings {
  stores: Record<string, StoreCounts>;
  /** Stale or unregistered ciphertexts, the first `MAX_LISTED_PLACES` of them. */
  places: CiphertextPlace[];
  /** Stale or unregistered ciphertexts per key id (all of them, not only those listed). */
  byKey: Record<string, number>;
}

export const MAX_LISTED_PLACES = 50;

export function emptyCounts(): StoreCounts {
  return { scanned: 0, reencrypted: 0, alreadyCurrent: 0, conflicts: 0, stale: 0, unregistered: 0 };
}

export function emptyFindings(): PassFindings {
  return { stores: {}, places: [], byKey: {} };
}

/** The counts of `store`, created on first use. */
export function countsOf(findings: PassFindings, store: string): StoreCounts {
  findings.stores[store] ??= emptyCounts();
  return findings.stores[store];
}

/** Records a ciphertext left under another key (or in an unregistered place). */
export function notePlace(findings: PassFindings, place: CiphertextPlace): void {
  const key = place.keyId ?? '(not a ciphertext)';
  findings.byKey[key] = (findings.byKey[key] ?? 0) + 1;
  if (findings.places.length < MAX_LISTED_PLACES) findings.places.push(place);
}

/** Sums counts over stores. */
export function totalCounts(findings: PassFindings): StoreCounts {
  const total = emptyCounts();
  for (const counts of Object.values(findings.stores)) {
    for (const name of Object.keys(total) as (keyof StoreCounts)[]) total[name] += counts[name];
  }
  return total;
}

/** Merges `from` into `into` (a resumed pass continues the counts of the run that reports it). */
export function mergeFindings(into: PassFindings, from: PassFindings): PassFindings {
  for (const [store, counts] of Object.entries(from.stores)) {
    const target = countsOf(into, store);
    for (const name of Object.keys(counts) as (keyof StoreCounts)[]) target[name] += counts[name];
  }
  for (const place of from.places) if (into.places.length < MAX_LISTED_PLACES) into.places.push(place);
  for (const [key, n] of Object.entries(from.byKey)) into.byKey[key] = (into.byKey[key] ?? 0) + n;
  return into;
}
