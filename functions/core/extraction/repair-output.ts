import type * as z from 'zod';
import { clipText } from './clip-text';
import { QUOTE_MAX_CHARS, QUOTE_MAX_WORDS } from './extraction-schema';

/** What a local repair did, by path and kind only: the model's output is client content and stays out. */
export interface OutputRepair {
  path: string;
  fix: 'trimmed_list' | 'clipped_quote' | 'clipped_text' | 'lower_cased' | 'dropped_item';
}

export type RepairResult<T> =
  | { ok: true; value: T; repairs: OutputRepair[] }
  | { ok: false; issues: z.core.$ZodIssue[]; repairs: OutputRepair[] };

type Json = Record<string | number, unknown>;
type Path = readonly PropertyKey[];

/** The lists whose items can be dropped whole when one cannot be repaired (every item cites; none is required). */
const ITEM_LISTS = new Set([
  'summary',
  'financial_situation',
  'goals_and_concerns',
  'recommendations',
  'next_steps',
  'action_items',
  'client_facts',
  'compliance_flags',
]);

const MAX_PASSES = 4;

function at(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Json)[key as string];
  }
  return node;
}

function set(root: unknown, path: Path, value: unknown): void {
  const parent = at(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') (parent as Json)[path.at(-1) as string] = value;
}

/** The first `QUOTE_MAX_WORDS` words of a quote as written (its own spacing kept, so it stays a substring). */
function clipQuote(quote: string): string {
  const words = [...quote.matchAll(/\S+/g)].slice(0, QUOTE_MAX_WORDS);
  const last = words.at(-1);
  let clipped = last ? quote.slice(0, (last.index ?? 0) + last[0].length) : quote;
  while (clipped.length > QUOTE_MAX_CHARS)
    clipped = clipped.slice(0, clipped.lastIndexOf(' ', QUOTE_MAX_CHARS));
  return clipped.trim();
}

/** The path of the list item an issue lies in (`['action_items', 3]`), for dropping it; undefined if none. */
function itemPath(path: Path): Path | undefined {
  for (let i = path.length - 2; i >= 0; i -= 1) {
    if (typeof path[i] === 'string' && ITEM_LISTS.has(path[i] as string) && typeof path[i + 1] === 'number') {
      return path.slice(0, i + 2);
    }
  }
  return undefined;
}

/** One fix for one issue, applied to `draft` in place; false when the issue is not a small slip. */
function fix(draft: unknown, issue: z.core.$ZodIssue, repairs: OutputRepair[]): boolean {
  const path = issue.path;
  const where = path.map(String).join('.');
  const value = at(draft, path);
  if (issue.code === 'too_big' && Array.isArray(value)) {
    set(draft, path, value.slice(0, Number(issue.maximum)));
    repairs.push({ path: where, fix: 'trimmed_list' });
    return true;
  }
  if (
    typeof value === 'string' &&
    path.at(-1) === 'quote' &&
    (issue.code === 'too_big' || issue.code === 'custom')
  ) {
    const clipped = clipQuote(value);
    if (clipped === value || clipped === '') return false;
    set(draft, path, clipped);
    repairs.push({ path: where, fix: 'clipped_quote' });
    return true;
  }
  if (typeof value === 'string' && issue.code === 'too_big') {
    set(draft, path, clipText(value, Number(issue.maximum)));
    repairs.push({ path: where, fix: 'clipped_text' });
    return true;
  }
  // A role or an enum value in the wrong case: 'Advisor', 'High', 'Assets'.
  if (
    typeof value === 'string' &&
    value !== value.toLowerCase() &&
    ['invalid_value', 'custom', 'invalid_union'].includes(issue.code)
  ) {
    set(draft, path, value.toLowerCase());
    repairs.push({ path: where, fix: 'lower_cased' });
    return true;
  }
  return false;
}

/**
 * Validates a model's output with `schema`, repairing the small slips locally instead of asking again: a list over
 * its limit is cut (a 21st note), a quote over 40 words keeps its first 40, a text over its length is clipped, a
 * role or enum value in the wrong case is lower-cased, and an item that is still invalid after that (no
 * evidence, an unknown category) is dropped from its list. Anything else — a missing section, a wrong type at the
 * top — is not small and fails. Pure; the input is not modified.
 */
export function repairOutput<S extends z.ZodType>(schema: S, output: unknown): RepairResult<z.infer<S>> {
  const draft: unknown = structuredClone(output);
  const repairs: OutputRepair[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const parsed = schema.safeParse(draft);
    if (parsed.success) return { ok: true, value: parsed.data, repairs };
    const fixed = parsed.error.issues.filter((issue) => fix(draft, issue, repairs)).length;
    if (fixed > 0) continue;
    // Nothing small left to fix: drop the items that are still invalid, deepest lists first, each once.
    const items = new Map<string, Path>();
    for (const issue of parsed.error.issues) {
      const item = itemPath(issue.path);
      if (item) items.set(item.map(String).join('.'), item);
    }
    if (items.size === 0) return { ok: false, issues: parsed.error.issues, repairs };
    const byIndexDesc = [...items.values()].sort((a, b) => Number(b.at(-1)) - Number(a.at(-1)));
    for (const item of byIndexDesc) {
      const list = at(draft, item.slice(0, -1));
      if (!Array.isArray(list)) continue;
      list.splice(Number(item.at(-1)), 1);
      repairs.push({ path: item.map(String).join('.'), fix: 'dropped_item' });
    }
  }
  const last = schema.safeParse(draft);
  return last.success
    ? { ok: true, value: last.data, repairs }
    : { ok: false, issues: last.error.issues, repairs };
}
