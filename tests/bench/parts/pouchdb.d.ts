// The part of PouchDB's API the benchmark uses. Not @types/pouchdb: it declares a global `Buffer`
// interface that clashes with Node's and breaks type checking of the whole project.
declare module 'pouchdb' {
  interface BulkDocsResult {
    ok?: boolean;
    id?: string;
    error?: boolean | string;
    reason?: string;
  }
  interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
  }
  class PouchDB {
    constructor(name: string);
    bulkDocs(docs: Array<{ _id: string } & Record<string, unknown>>): Promise<BulkDocsResult[]>;
    readonly replicate: {
      to(target: PouchDB, options?: { batch_size?: number }): Promise<ReplicationResult>;
    };
    close(): Promise<void>;
  }
  export default PouchDB;
}
