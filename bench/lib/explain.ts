import type { StartedPostgres } from '../../scripts/stack/embedded-servers';
import { jsonbExpression } from '../../scripts/stack/postgres-indexes';

/** A list query as FerretDB hands it to PostgreSQL: its equality filters, one `@>` each. */
export interface ListQuery {
  name: string;
  collection: string;
  /** The equality filters FerretDB pushes down (strings only here); the rest it applies in Go. */
  pushed: Record<string, string>;
}

/**
 * Runs `EXPLAIN ANALYZE` through psql on the SQL FerretDB 1.24 generates for `query`
 * (`SELECT _jsonb FROM t WHERE _jsonb -> 'f' @> '"v"' AND _jsonb #> '{a,b}' @> '"w"'`; see
 * internal/backends/postgresql/query.go) and returns the plan's access path in one line, with
 * our GIN indexes named by their field.
 */
export async function explainListQuery(postgres: StartedPostgres, schema: string, query: ListQuery): Promise<{ access: string; rows: string; ms: string }> {
  const table = (await postgres.psql(`SELECT _jsonb ->> 'table' FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb ->> '_id' = '${query.collection}'`)).trim();
  if (!table) return { access: '(no table)', rows: '', ms: '' };
  const indexNames = new Map<string, string>();
  for (const line of (await postgres.psql(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '${schema}' AND tablename = '${table}'`)).trim().split('\n')) {
    const [name, definition] = line.split('|');
    const field = /\(\(_jsonb (?:->|#>) '([^']+)'/.exec(definition ?? '')?.[1]?.replace(/[{}]/g, '').replace(/,/g, '.');
    if (name) indexNames.set(name, `${/USING gin/.test(definition ?? '') ? 'gin' : 'btree'}(${field ?? name})`);
  }
  const where = Object.entries(query.pushed)
    .map(([field, value]) => `${jsonbExpression(field)} @> '${JSON.stringify(value).replace(/'/g, "''")}'`)
    .join(' AND ');
  const plan = await postgres.psql(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT _jsonb FROM "${schema}"."${table}" WHERE ${where}`);
  const accessLines = plan.split('\n').filter((line) => /Scan|BitmapAnd|BitmapOr/.test(line));
  const access = accessLines
    .map((line) => line.trim().replace(/^->\s*/, '').replace(/ on (\S+)/, (_, name: string) => ` on ${indexNames.get(name) ?? name}`).replace(/\s*\(actual.*$/, ''))
    .join(' > ');
  const rows = /actual rows=(\d+)/.exec(plan)?.[1] ?? '?';
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? '?';
  return { access, rows, ms };
}
