import type { StartedPostgres } from '../../scripts/stack/embedded-servers';
import { jsonbExpression } from '../../scripts/stack/postgres-indexes';

/** A list query as FerretDB hands it to PostgreSQL: its equality filters, one `@>` each. */
export interface ListQuery {
  name: string;
  collection: string;
  /** The equality filters FerretDB pushes down; with our build, sort, page and count go along. */
  pushed: Record<string, string | boolean>;
  /** Top-level sort fields, as the find sends them. */
  sort?: Record<string, 1 | -1>;
  page?: { limit: number; offset: number };
  /** The count command's `SELECT count(*)` instead of the page. */
  count?: boolean;
}

/**
 * Runs `EXPLAIN ANALYZE` through psql on the SQL our FerretDB build generates for `query`
 * (`SELECT _jsonb FROM t WHERE _jsonb -> 'f' @> '"v"' … ORDER BY COALESCE(_jsonb -> 'g', 'null')
 * LIMIT n OFFSET m`, or `SELECT count(*) …`; see internal/backends/postgresql/query.go and
 * scripts/ferretdb-launcher/overlay) and returns the plan's access path in one line, with our
 * GIN indexes named by their field.
 */
export async function explainListQuery(postgres: StartedPostgres, schema: string, query: ListQuery): Promise<{ access: string; rows: string; ms: string }> {
  const table = (await postgres.psql(`SELECT _jsonb ->> 'table' FROM "${schema}"._ferretdb_database_metadata WHERE _jsonb ->> '_id' = '${query.collection}'`)).trim();
  if (!table) return { access: '(no table)', rows: '', ms: '' };
  const indexNames = new Map<string, string>();
  for (const line of (await postgres.psql(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '${schema}' AND tablename = '${table}'`)).trim().split('\n')) {
    const [name, definition] = line.split('|');
    const gin = /USING gin/.test(definition ?? '');
    // A GIN index is on one field (`a.b` for a nested path); a list-order btree on several.
    const fields = [...(definition ?? '').matchAll(/_jsonb (?:->|#>) '([^']+)'/g)].map((match) => match[1]!.replace(/[{}]/g, '').replace(/,/g, '.'));
    if (name) indexNames.set(name, `${gin ? 'gin' : 'btree'}(${fields.length > 0 ? fields.join(', ') : name})`);
  }
  const where = Object.entries(query.pushed)
    .map(([field, value]) => `${jsonbExpression(field)} @> '${JSON.stringify(value).replace(/'/g, "''")}'`)
    .join(' AND ');
  const order = Object.entries(query.sort ?? {})
    .map(([field, direction]) => `COALESCE(_jsonb -> '${field}', 'null')${direction === -1 ? ' DESC' : ''}`)
    .join(', ');
  const from = `FROM "${schema}"."${table}" WHERE ${where}`;
  const sql = query.count
    ? `SELECT count(*) ${from}`
    : `SELECT _jsonb ${from}${order ? ` ORDER BY ${order}` : ''}${query.page ? ` LIMIT ${query.page.limit} OFFSET ${query.page.offset}` : ''}`;
  const plan = await postgres.psql(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`);
  const accessLines = plan.split('\n').filter((line) => /Scan|BitmapAnd|BitmapOr|Sort|Limit|Aggregate/.test(line) && !/Sort (Key|Method)/.test(line));
  const access = accessLines
    .map((line) => line.trim().replace(/^->\s*/, '').replace(/ on (\S+)/, (_, name: string) => ` on ${indexNames.get(name) ?? name}`).replace(/ using (\S+) on \S+/, (_, name: string) => ` on ${indexNames.get(name) ?? name}`).replace(/\s*\(actual.*$/, ''))
    .join(' > ');
  // The rows the filter matched (the outermost scan), not the page the query returned.
  const rows = /Scan.*actual rows=(\d+)/.exec(plan)?.[1] ?? '?';
  const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? '?';
  return { access, rows, ms };
}
