import { join } from 'node:path';
import PouchDB from 'pouchdb';
import type { ServiceRows } from '../support/service-rows';

export interface PouchdbResult {
  /** For all the rows: measured, or extrapolated linearly from `measuredDocs`. */
  seconds: number;
  measuredSeconds: number;
  measuredDocs: number;
  totalDocs: number;
}

/** Rows per bulkDocs while filling the source (not timed). */
const LOAD_BATCH = 2000;

/**
 * The document-store way to the same data: the rows as PouchDB documents (`entity:id`) in one
 * leveldb database, replicated into a second, empty one in this process. Only the replication is
 * timed. With `maxDocs` below the row count, the first `maxDocs` rows in the service's order are
 * replicated and the time scaled linearly to all rows.
 */
export async function pouchdbReplication(
  rows: ServiceRows,
  dir: string,
  options: { maxDocs: number; batchSize: number },
): Promise<PouchdbResult> {
  const totalDocs = Object.values(rows.counts()).reduce((a, b) => a + b, 0);
  const source = new PouchDB(join(dir, 'pouchdb-source'));
  const target = new PouchDB(join(dir, 'pouchdb-target'));
  try {
    let measuredDocs = 0;
    for (const page of rows.pages(LOAD_BATCH, options.maxDocs)) {
      const docs = page.map((row) => ({
        _id: `${row.entity}:${row.id}`,
        ...(JSON.parse(row.data) as Record<string, unknown>),
      }));
      const results = await source.bulkDocs(docs);
      const failed = results.find((r) => 'error' in r && r.error);
      if (failed) throw new Error(`PouchDB refused a document: ${JSON.stringify(failed)}`);
      measuredDocs += docs.length;
    }
    const started = performance.now();
    const result = await source.replicate.to(target, { batch_size: options.batchSize });
    const measuredSeconds = (performance.now() - started) / 1000;
    if (!result.ok || result.docs_written !== measuredDocs) {
      throw new Error(
        `PouchDB replicated ${result.docs_written} of ${measuredDocs} documents (ok: ${result.ok})`,
      );
    }
    return {
      seconds: (measuredSeconds * totalDocs) / measuredDocs,
      measuredSeconds,
      measuredDocs,
      totalDocs,
    };
  } finally {
    await source.close();
    await target.close();
  }
}
