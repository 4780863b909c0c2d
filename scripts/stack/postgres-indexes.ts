/**
 * GIN expression indexes on the tables FerretDB keeps in PostgreSQL, one per filtered field.
 *
 * Why: FerretDB 1.24 pushes an equality filter down as `_jsonb -> 'f' @> '"v"'` (or
 * `_jsonb #> '{a,b}' @> …` for a dotted path), but the indexes its own createIndexes makes are
 * btrees on `(_jsonb -> 'f')`, which cannot serve `@>`: every list, and even a lookup by `_id`,
 * was a sequential scan. A GIN index on the same expression serves `@>`, and PostgreSQL combines
 * several of them (BitmapAnd) for a multi-field filter. The list below is the one place that
 * says which fields get one; bench/README.md shows the plan each list query gets.
 */
export interface CollectionIndexes {
  collection: string;
  /** Field paths as the queries write them (dotted for nested fields). */
  fields: readonly string[];
  /**
   * List orders (top-level fields, 1 or -1) to get a btree each on the expression our FerretDB
   * build sorts by, `COALESCE(_jsonb -> 'f', 'null')`: for a list holding a large share of the
   * rows, PostgreSQL can then walk the order and stop at the page instead of sorting them all.
   */
  orders?: readonly (readonly (readonly [string, 1 | -1])[])[];
}

const scopeFields = ['scope.province', 'scope.city', 'scope.county', 'scope.township'] as const;

export const postgresIndexes: readonly CollectionIndexes[] = [
  // GET /api/tasks: {listKeys, status} for every view (domain/list-keys.ts).
  { collection: 'tasks', fields: ['_id', 'listKeys', 'caseId'], orders: [[['sortDue', 1], ['_id', 1]]] },
  { collection: 'task_history', fields: ['_id', 'caseId'] },
  // Case lists, by number and by status in a region ({listKeys, ...}), the intake's dedupe
  // candidates ({listKeys, category}), the board (scope), the metrics' counts.
  {
    collection: 'cases',
    fields: ['_id', 'caseNo', 'listKeys', 'status', ...scopeFields, 'countyCode', 'category', 'idempotencyKey'],
    orders: [[['sortDue', 1], ['receivedAt', -1], ['_id', 1]]],
  },
  { collection: 'case_states', fields: ['_id'] },
  { collection: 'case_events', fields: ['_id', 'caseId'] },
  { collection: 'case_numbers', fields: ['_id', 'caseId'] },
  { collection: 'merged_intakes', fields: ['_id', 'idempotencyKey'] },
  { collection: 'audit_entries', fields: ['_id', 'caseId', 'serial'] },
  { collection: 'sequence_heads', fields: ['_id'] },
  { collection: 'sequence_slots', fields: ['_id'] },
  { collection: 'documents', fields: ['_id', 'caseId', 'docNo'] },
  { collection: 'document_files', fields: ['_id'] },
  { collection: 'referrals', fields: ['_id', 'caseId', 'policeUnitId', 'box', 'scope.county', 'scope.city'] },
  { collection: 'notifications', fields: ['_id', 'role', 'regionCode'] },
  { collection: 'users', fields: ['_id', 'username'] },
  { collection: 'board_counts', fields: ['_id'] },
  { collection: 'board_dirty', fields: ['_id'] },
  { collection: 'sessions', fields: ['_id', 'userId'] },
];

/** The indexed expression FerretDB's pushdown uses for a field path. */
export function jsonbExpression(field: string): string {
  const parts = field.split('.');
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return parts.length === 1 ? `(_jsonb -> ${quote(field)})` : `(_jsonb #> ${quote(`{${parts.join(',')}}`)})`;
}

/** The expression our FerretDB build orders by for a top-level field (a missing one as null). */
export function sortExpression(field: string, direction: 1 | -1 = 1): string {
  return `COALESCE(_jsonb -> '${field.replace(/'/g, "''")}', 'null')${direction === -1 ? ' DESC' : ''}`;
}

/**
 * One statement that creates every missing index in every FerretDB database (PostgreSQL schema)
 * of the cluster, for the collections that exist; safe to run again at any time. Table names
 * come from each schema's `_ferretdb_database_metadata` (FerretDB names them `<collection>_<hash>`).
 */
export function createIndexesSql(indexes: readonly CollectionIndexes[] = postgresIndexes): string {
  const wanted = JSON.stringify(
    indexes.map(({ collection, fields, orders = [] }) => ({
      collection,
      expressions: [
        ...fields.map((field) => [field, 'gin', jsonbExpression(field)]),
        ...orders.map((order) => [`order:${order.map(([field, direction]) => `${field}${direction === -1 ? ' desc' : ''}`).join(',')}`, 'btree', order.map(([field, direction]) => sortExpression(field, direction)).join(', ')]),
      ],
    })),
  );
  return `DO $envcase$
DECLARE
  wanted jsonb := '${wanted.replace(/'/g, "''")}'::jsonb;
  db text; wish jsonb; tbl text; pair jsonb;
BEGIN
  FOR db IN SELECT table_schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata' LOOP
    FOR wish IN SELECT jsonb_array_elements(wanted) LOOP
      EXECUTE format('SELECT _jsonb ->> ''table'' FROM %I._ferretdb_database_metadata WHERE _jsonb ->> ''_id'' = %L', db, wish ->> 'collection') INTO tbl;
      CONTINUE WHEN tbl IS NULL;
      FOR pair IN SELECT jsonb_array_elements(wish -> 'expressions') LOOP
        BEGIN
          EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING %s (%s)',
            'envcase_' || (pair ->> 1) || '_' || left(md5(db || '.' || tbl || ':' || (pair ->> 0)), 24), db, tbl, pair ->> 1, pair ->> 2);
        EXCEPTION WHEN undefined_table OR invalid_schema_name THEN
          NULL; -- dropped meanwhile (a test database going away)
        END;
      END LOOP;
    END LOOP;
  END LOOP;
END
$envcase$;`;
}
