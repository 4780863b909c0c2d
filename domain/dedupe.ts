import type { Category, IntakeInput } from './case';

/** An open case as the dedupe rule sees it. */
export interface DedupeCandidate {
  caseId: string;
  caseNo: string;
  category: Category;
  creditCode?: string | null;
  lng?: number | null;
  lat?: number | null;
  receivedAt: string;
}

export interface DedupeRule {
  windowDays: number;
  radiusMetres: number;
}

export const defaultDedupeRule: DedupeRule = { windowDays: 30, radiusMetres: 200 };

/**
 * The open case an intake repeats, if any: same category, received within the window, and
 * the same subject (credit code) or a location within the radius (DESIGN.md §5). The nearest
 * qualifying case wins, then the oldest, so repeats gather on one case.
 */
export function findRepeatOf(intake: IntakeInput, candidates: readonly DedupeCandidate[], rule: DedupeRule = defaultDedupeRule): DedupeCandidate | undefined {
  const windowStart = Date.parse(intake.receivedAt) - rule.windowDays * 86_400_000;
  const matches = candidates
    .filter((candidate) => candidate.category === intake.category && Date.parse(candidate.receivedAt) >= windowStart)
    .map((candidate) => ({ candidate, distance: distanceTo(intake, candidate) }))
    .filter(({ candidate, distance }) => sameSubject(intake, candidate) || (distance !== undefined && distance <= rule.radiusMetres));
  matches.sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0) || a.candidate.receivedAt.localeCompare(b.candidate.receivedAt));
  return matches[0]?.candidate;
}

function sameSubject(intake: IntakeInput, candidate: DedupeCandidate): boolean {
  const code = intake.subject?.creditCode;
  return Boolean(code && candidate.creditCode && code === candidate.creditCode);
}

function distanceTo(intake: IntakeInput, candidate: DedupeCandidate): number | undefined {
  const here = intake.location.coordinates;
  if (!here || candidate.lng == null || candidate.lat == null) return undefined;
  return haversineMetres(here, { lng: candidate.lng, lat: candidate.lat });
}

export function haversineMetres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const earthRadius = 6_371_008.8;
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadius * Math.asin(Math.sqrt(h));
}

/** Whether any later intake could repeat this one: only by its place or its subject's credit code. */
export function canBeRepeated(intake: IntakeInput): boolean {
  return Boolean(intake.location.coordinates || intake.subject?.creditCode);
}
