// Moved to read-model/region-scope.ts; this re-export stays only until bench/task-list.bench.ts
// (owned elsewhere right now) imports it from there.
export { regionScope, type RegionScope } from '../read-model/region-scope';
