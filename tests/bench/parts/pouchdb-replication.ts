import { rmSync } from 'node:fs';
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
 * leveldb database, replicated into a second, empty one in this process. The source is filled
 * once (not timed); each {@link replicate} times one replication into a fresh target. With
 * `maxDocs` below the row count, the first `maxDocs` rows in the service's order are replicated
 * and the time scaled linearly to all rows.
 */
export class PouchdbReplication {
  private replications = 0;

  private constructor(
    private readonly source: PouchDB,
    private readonly dir: string,
    private readonly batchSize: number,
    private readonly measuredDocs: number,
    private readonly totalDocs: number,
  ) {}

  static async fill(
    rows: ServiceRows,
    dir: string,
    options: { maxDocs: number; batchSize: number },
  ): Promise<PouchdbReplication> {
    const totalDocs = Object.values(rows.counts()).reduce((a, b) => a + b, 0);
    const source = new PouchDB(join(dir, 'pouchdb-source'));
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
      return new PouchdbReplication(source, dir, options.batchSize, measuredDocs, totalDocs);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  /** One replication into an empty database, which is deleted afterwards. */
  async replicate(): Promise<PouchdbResult> {
    const path = join(this.dir, `pouchdb-target-${++this.replications}`);
    const target = new PouchDB(path);
    try {
      const started = performance.now();
      const result = await this.source.replicate.to(target, { batch_size: this.batchSize });
      const measuredSeconds = (performance.now() - started) / 1000;
      if (!result.ok || result.docs_written !== this.measuredDocs) {
        throw new Error(
          `PouchDB replicated ${result.docs_written} of ${this.measuredDocs} documents (ok: ${result.ok})`,
        );
      }
      return {
        seconds: (measuredSeconds * this.totalDocs) / this.measuredDocs,
        measuredSeconds,
        measuredDocs: this.measuredDocs,
        totalDocs: this.totalDocs,
      };
    } finally {
      try {
        await target.close();
      } finally {
        rmSync(path, { recursive: true, force: true });
      }
    }
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
