/**
 * A fake of the `ibm_db` 4.0.1 API surface the CDC adapter uses, faithful to the package's source
 * (lib/odbc.js, src/odbc*.cpp, typescript/dist/*.d.ts), backed by scripted results:
 *
 * - module `open(connStr[, options][, cb])` (promise without a callback), `SQL_ATTR_ROW_ARRAY_SIZE`
 *   (27), `FETCH_ARRAY` (3) / `FETCH_OBJECT` (4);
 * - Database `prepare(sql[, cb])`, `beginTransaction` / `commitTransaction` / `rollbackTransaction`
 *   (`[cb]`), synchronous `setIsolationLevel(n)` that throws, `close([cb])`;
 * - ODBCStatement `execute([params][, cb])` -> ODBCResult, `setAttrSync`, `closeSync`; parameters as
 *   lib/odbc.js parseParams reads them, binary ones only as {ParamType:'INPUT', CType:'BINARY',
 *   SQLType:'VARBINARY', Data: Buffer} (stricter than the real driver, which has no documented
 *   meaning for a bare Buffer); the marker count is checked (SQL0313N);
 * - ODBCResult `fetchN(count[, option][, cb])` (flat array of at most `count` rows, fewer at the end),
 *   `fetchAll([option][, cb])`, `getColumnMetadataSync()` with ibm_db's field names, `closeSync`;
 * - values converted the way ibm_db converts them: DECIMAL/NUMERIC/DECFLOAT/REAL/DOUBLE through a
 *   double (DECFLOAT as text under MapDecimalFloatDescribe=1), BIGINT as text, TIMESTAMP as a
 *   millisecond Date unless MapTimestampDescribe=1 (then Db2's text 'YYYY-MM-DD-HH.MM.SS.ffffff'),
 *   TIME as Db2 text, binary types as Buffers, cut to 64 KB under block fetch (ROW_ARRAY_SIZE > 1);
 * - errors as GetSQLError builds them (Error + sqlcode + sqlstate, message with the SQLnnnnN id);
 *   `dropConnections()` makes every later call on the open connections fail with SQL30081N, as a
 *   network drop does, `failNext` injects one failure.
 *
 * Scripted results: `server.on(/FROM ASNCDC.IBMSNAP_REGISTER/, (params, ctx) => table)` answers
 * every statement whose text matches, with rows in Db2's own value forms (see FakeCell).
 */

export interface FakeColumn {
  readonly name: string;
  /** Db2 type: SMALLINT INTEGER BIGINT DECIMAL NUMERIC DECFLOAT REAL DOUBLE CHAR VARCHAR GRAPHIC VARGRAPHIC CLOB DBCLOB BLOB XML DATE TIME TIMESTAMP BINARY VARBINARY BOOLEAN. */
  readonly type: string;
  readonly forBitData?: boolean;
  readonly precision?: number;
  readonly scale?: number;
  readonly length?: number;
}

/** A value as the server holds it: decimals and BIGINT as digit strings, datetimes as Db2 text, binary as Buffer. */
export type FakeCell = string | number | boolean | Buffer | null;

export interface FakeTable {
  readonly columns: readonly FakeColumn[];
  readonly rows: readonly (readonly FakeCell[])[];
}

export interface FakeStatementContext {
  readonly connection: number;
  readonly inTransaction: boolean;
  readonly isolation: number;
}

export interface FakeCall {
  readonly connection: number;
  readonly op: 'open' | 'prepare' | 'execute' | 'fetchN' | 'fetchAll' | 'setAttr' | 'setIsolationLevel' | 'begin' | 'commit' | 'rollback' | 'close';
  readonly sql?: string;
  readonly params?: readonly unknown[];
  readonly isolation?: number;
  readonly inTransaction?: boolean;
  readonly rowArraySize?: number;
  readonly rows?: number;
}

type Responder = (params: readonly FakeCell[], ctx: FakeStatementContext) => FakeTable;

export interface Db2FakeError extends Error {
  sqlcode: number;
  sqlstate: string;
  error: string;
}

/** An error as ibm_db's GetSQLError builds it. */
export function db2Error(sqlcode: number, sqlstate: string, text: string): Db2FakeError {
  return Object.assign(new Error(`[IBM][CLI Driver] ${text} SQLSTATE=${sqlstate}`), { sqlcode, sqlstate, error: '[ibm_db] SQL_ERROR' });
}

export const SQL30081N = (): Db2FakeError =>
  db2Error(-30081, '08001', 'SQL30081N  A communication error has been detected. Communication protocol being used: "TCP/IP". Communication API being used: "SOCKETS". Location where the error was detected: "10.0.0.5". Communication function detecting the error: "recv". Protocol specific error code(s): "104", "*", "0".');

export class FakeDb2Server {
  readonly calls: FakeCall[] = [];
  readonly connectionStrings: string[] = [];
  private readonly responders: { pattern: RegExp; reply: Responder }[] = [];
  private readonly live = new Set<FakeDatabase>();
  private nextFailure: Db2FakeError | undefined;
  private refuse: Db2FakeError | undefined;
  private connections = 0;
  /** Statements prepared and not yet closed, for leak checks. */
  openStatements = 0;

  on(pattern: RegExp, reply: Responder | FakeTable): this {
    this.responders.push({ pattern, reply: typeof reply === 'function' ? reply : () => reply });
    return this;
  }

  /** Every open connection is cut: its next call (any verb) fails with SQL30081N. */
  dropConnections(): void {
    for (const db of this.live) db.cut = true;
  }

  /** The next prepare, execute or fetch fails with this error (once). */
  failNext(err: Db2FakeError): void {
    this.nextFailure = err;
  }

  /** New connections are refused with this error until called with undefined. */
  refuseConnections(err: Db2FakeError | undefined): void {
    this.refuse = err;
  }

  /** The module object `import('ibm_db')` would give. */
  module() {
    const server = this;
    return {
      SQL_ATTR_ROW_ARRAY_SIZE: 27,
      FETCH_ARRAY: 3,
      FETCH_OBJECT: 4,
      open(connStr: string, options?: null | ((err: Error | null, db?: FakeDatabase) => void), cb?: (err: Error | null, db?: FakeDatabase) => void): Promise<FakeDatabase> | undefined {
        const callback = typeof options === 'function' ? options : cb;
        const work = new Promise<FakeDatabase>((resolve, reject) => {
          setImmediate(() => {
            if (server.refuse) return reject(server.refuse);
            const db = new FakeDatabase(server, ++server.connections, parseKeywords(connStr));
            server.connectionStrings.push(connStr);
            server.live.add(db);
            server.calls.push({ connection: db.id, op: 'open' });
            resolve(db);
          });
        });
        return settle(work, callback);
      },
    };
  }

  /** @internal */
  takeFailure(): Db2FakeError | undefined {
    const f = this.nextFailure;
    this.nextFailure = undefined;
    return f;
  }

  /** @internal */
  respond(sql: string, params: readonly FakeCell[], ctx: FakeStatementContext): FakeTable {
    const hit = this.responders.find((r) => r.pattern.test(sql));
    if (!hit) throw db2Error(-204, '42704', `SQL0204N  No scripted result matches "${sql.slice(0, 60)}" (the fake's stand-in for an undefined name).`);
    return decimalsAsChar(sql, hit.reply(params, ctx));
  }

  /** @internal */
  forget(db: FakeDatabase): void {
    this.live.delete(db);
  }
}

export class FakeDatabase {
  cut = false;
  connected = true;
  private autocommit = true;
  private isolation = 2; // SQL_TXN_READ_COMMITTED, CLI's default (CS)

  readonly server: FakeDb2Server;
  readonly id: number;
  readonly keywords: ReadonlyMap<string, string>;

  constructor(server: FakeDb2Server, id: number, keywords: ReadonlyMap<string, string>) {
    this.server = server;
    this.id = id;
    this.keywords = keywords;
  }

  prepare(sql: string, cb?: (err: Error | null, stmt?: FakeStatement) => void): Promise<FakeStatement> | undefined {
    return settle(
      this.async(() => {
        this.check();
        this.server.calls.push({ connection: this.id, op: 'prepare', sql });
        this.server.openStatements++;
        return new FakeStatement(this, sql);
      }),
      cb,
    );
  }

  setIsolationLevel(level: number): boolean {
    this.check();
    if (![1, 2, 4, 8, 32].includes(level)) throw db2Error(-99999, 'HY024', 'CLI0191E  Invalid attribute value.');
    this.isolation = level;
    this.server.calls.push({ connection: this.id, op: 'setIsolationLevel', isolation: level });
    return true;
  }

  beginTransaction(cb?: (err: Error | null) => void): Promise<boolean> | FakeDatabase {
    const work = this.async(() => {
      this.check();
      this.autocommit = false;
      this.server.calls.push({ connection: this.id, op: 'begin', isolation: this.isolation });
      return true;
    });
    return cb ? (void work.then(() => cb(null), (e: Error) => cb(e)), this) : work;
  }

  commitTransaction(cb?: (err: Error | null) => void): Promise<boolean> | FakeDatabase {
    return this.end('commit', cb);
  }

  rollbackTransaction(cb?: (err: Error | null) => void): Promise<boolean> | FakeDatabase {
    return this.end('rollback', cb);
  }

  close(cb?: (err: Error | null) => void): Promise<boolean> | false {
    const work = this.async(() => {
      this.connected = false;
      this.server.forget(this);
      this.server.calls.push({ connection: this.id, op: 'close' });
      return true;
    });
    if (cb) {
      void work.then(() => cb(null), (e: Error) => cb(e));
      return false;
    }
    return work;
  }

  /** @internal */
  context(): FakeStatementContext {
    return { connection: this.id, inTransaction: !this.autocommit, isolation: this.isolation };
  }

  /** @internal Throws what the driver throws on a cut or closed connection. */
  check(): void {
    if (this.cut) throw SQL30081N();
    if (!this.connected) throw Object.assign(new Error('Connection not open.'), { sqlstate: '08001', sqlcode: -30081 });
  }

  /** @internal Runs work on a later turn, as libuv's thread pool does. */
  async<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(work());
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private end(kind: 'commit' | 'rollback', cb?: (err: Error | null) => void): Promise<boolean> | FakeDatabase {
    const work = this.async(() => {
      this.check();
      this.autocommit = true;
      this.server.calls.push({ connection: this.id, op: kind });
      return true;
    });
    return cb ? (void work.then(() => cb(null), (e: Error) => cb(e)), this) : work;
  }
}

export class FakeStatement {
  rowArraySize = 1;
  closed = false;

  readonly db: FakeDatabase;
  readonly sql: string;

  constructor(db: FakeDatabase, sql: string) {
    this.db = db;
    this.sql = sql;
  }

  execute(params?: unknown, cb?: (err: Error | null, result?: FakeResult) => void): Promise<FakeResult> | null {
    const callback = typeof params === 'function' ? (params as typeof cb) : cb;
    const given = typeof params === 'function' || params === undefined || params === null ? [] : (params as unknown[]);
    const work = this.db.async(() => {
      this.db.check();
      const injected = this.db.server.takeFailure();
      if (injected) throw injected;
      const values = given.map(bindValue);
      const markers = (this.sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length;
      if (markers !== values.length) throw db2Error(-313, '07004', `SQL0313N  The number of variables in the EXECUTE statement (${values.length}) is not the number of parameter markers (${markers}).`);
      const ctx = this.db.context();
      this.db.server.calls.push({ connection: this.db.id, op: 'execute', sql: this.sql, params: values, isolation: ctx.isolation, inTransaction: ctx.inTransaction });
      return new FakeResult(this, this.db.server.respond(this.sql, values, ctx));
    });
    return callback ? (void work.then((r) => callback(null, r), (e: Error) => callback(e)), null) : work;
  }

  setAttrSync(attr: number, value: number): boolean {
    this.db.check();
    if (attr === 27) this.rowArraySize = value;
    this.db.server.calls.push({ connection: this.db.id, op: 'setAttr', sql: this.sql, rowArraySize: value });
    return true;
  }

  closeSync(): boolean {
    if (!this.closed) {
      this.closed = true;
      this.db.server.openStatements--;
    }
    return true;
  }
}

export class FakeResult {
  private next = 0;
  closed = false;

  readonly stmt: FakeStatement;
  readonly table: FakeTable;

  constructor(stmt: FakeStatement, table: FakeTable) {
    this.stmt = stmt;
    this.table = table;
  }

  getColumnMetadataSync() {
    const keywords = this.stmt.db.keywords;
    return this.table.columns.map((c, i) => {
      const described = describe(c, keywords);
      return {
        index: i + 1,
        SQL_DESC_NAME: c.name,
        SQL_DESC_TYPE_NAME: described.typeName,
        SQL_DESC_CONSIZE_TYPE: described.code,
        SQL_DESC_DISPLAY_SIZE: c.length ?? c.precision ?? 0,
        SQL_DESC_PRECISION: c.precision ?? 0,
        SQL_DESC_SCALE: c.scale ?? 0,
        SQL_DESC_LENGTH: c.length ?? c.precision ?? 0,
      };
    });
  }

  fetchN(count: number, option?: unknown, cb?: (err: unknown, rows: unknown[] | null) => void): Promise<unknown[]> | false {
    const callback = typeof option === 'function' ? (option as typeof cb) : cb;
    const mode = typeof option === 'object' && option !== null ? (option as { fetchMode?: number }).fetchMode ?? 4 : 4;
    if (typeof count !== 'number' || count <= 0 || !Number.isInteger(count)) {
      const error = { message: 'fetchN(): count must be a positive integer.' };
      if (callback) {
        callback(error, null);
        return false;
      }
      return Promise.reject(error);
    }
    const work = this.stmt.db.async(() => this.take(count, mode, 'fetchN'));
    return callback ? (void work.then((r) => callback(null, r), (e: Error) => callback(e, null)), false) : work;
  }

  fetchAll(option?: unknown, cb?: (err: unknown, rows: unknown[] | null, count: number) => void): Promise<unknown[]> | false {
    const callback = typeof option === 'function' ? (option as typeof cb) : cb;
    const mode = typeof option === 'object' && option !== null ? (option as { fetchMode?: number }).fetchMode ?? 4 : 4;
    const work = this.stmt.db.async(() => this.take(Number.MAX_SAFE_INTEGER, mode, 'fetchAll'));
    return callback ? (void work.then((r) => callback(null, r, this.table.columns.length), (e: Error) => callback(e, null, 0)), false) : work;
  }

  closeSync(): boolean {
    if (this.stmt.closed) throw new Error('fake ibm_db: result closed after its statement (ibm_db frees handles in the wrong order then)');
    this.closed = true;
    return true;
  }

  private take(count: number, mode: number, op: 'fetchN' | 'fetchAll'): unknown[] {
    this.stmt.db.check();
    if (this.closed) throw db2Error(-99999, '24000', 'CLI0115E  Invalid cursor state.');
    const injected = this.stmt.db.server.takeFailure();
    if (injected) throw injected;
    const rows = this.table.rows.slice(this.next, this.next + count);
    this.next += rows.length;
    const block = this.stmt.rowArraySize > 1;
    const keywords = this.stmt.db.keywords;
    this.stmt.db.server.calls.push({ connection: this.stmt.db.id, op, sql: this.stmt.sql, rows: rows.length, rowArraySize: this.stmt.rowArraySize });
    return rows.map((row) => {
      const values = row.map((cell, i) => driverValue(this.table.columns[i], cell, keywords, block));
      if (mode === 3) return values;
      return Object.fromEntries(this.table.columns.map((c, i) => [c.name, values[i]]));
    });
  }
}

/** How Db2 CLI describes a column (SQLDescribeCol), with the Map*Describe keywords applied. */
function describe(c: FakeColumn, keywords: ReadonlyMap<string, string>): { typeName: string; code: number } {
  const mapped = (k: string) => keywords.get(k.toUpperCase()) === '1';
  switch (c.type) {
    case 'CHAR':
      return c.forBitData ? { typeName: 'CHAR () FOR BIT DATA', code: -2 } : { typeName: 'CHAR', code: 1 };
    case 'VARCHAR':
      return c.forBitData ? { typeName: 'VARCHAR () FOR BIT DATA', code: -3 } : { typeName: 'VARCHAR', code: 12 };
    case 'TIMESTAMP':
      return { typeName: 'TIMESTAMP', code: mapped('MapTimestampDescribe') ? 1 : 93 };
    case 'DATE':
      return { typeName: 'DATE', code: mapped('MapDateDescribe') ? 1 : 91 };
    case 'TIME':
      return { typeName: 'TIME', code: mapped('MapTimeDescribe') ? 1 : 92 };
    case 'DECFLOAT':
      return { typeName: 'DECFLOAT', code: mapped('MapDecimalFloatDescribe') ? 12 : -360 };
    default:
      return { typeName: c.type, code: TYPE_CODES[c.type] ?? 12 };
  }
}

const TYPE_CODES: Record<string, number> = {
  SMALLINT: 5, INTEGER: 4, BIGINT: -5, DECIMAL: 3, NUMERIC: 2, REAL: 7, DOUBLE: 8, GRAPHIC: -95, VARGRAPHIC: -96,
  CLOB: -99, DBCLOB: -350, BLOB: -98, XML: -370, BINARY: -2, VARBINARY: -3, BOOLEAN: 16,
};

/**
 * The server's CHAR(decimal, '.') for the scripted DECIMAL/NUMERIC columns the SQL selects that way
 * (`CHAR(<expr>, '.') AS "NAME"`): a CHAR(p+2) column holding Db2's text, which ibm_db then hands
 * over as a string. Db2's form: no leading zeros (so '.50' below 1), '-' for a negative value, the
 * scale's digits after '.', blanks to the right.
 */
function decimalsAsChar(sql: string, table: FakeTable): FakeTable {
  const named = new Set([...sql.matchAll(/CHAR\([^()]*, '\.'\) AS "((?:[^"]|"")+)"/g)].map((m) => m[1]!.replaceAll('""', '"').toUpperCase()));
  if (named.size === 0) return table;
  const at = table.columns.map((c, i) => (named.has(c.name.toUpperCase()) && (c.type === 'DECIMAL' || c.type === 'NUMERIC') ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return table;
  const columns = table.columns.map((c, i) => (at.includes(i) ? { name: c.name, type: 'CHAR', length: (c.precision ?? 5) + 2 } : c));
  const rows = table.rows.map((r) => r.map((cell, i) => (at.includes(i) && cell !== null ? db2DecimalChar(String(cell), table.columns[i]!) : cell)));
  return { columns, rows };
}

function db2DecimalChar(digits: string, c: FakeColumn): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(digits.trim());
  if (!m) throw new Error(`fake ibm_db: DECIMAL cell ${digits} is not decimal digits`);
  const scale = c.scale ?? 0;
  const whole = m[2]!.replace(/^0+/, '');
  const fraction = (m[3] ?? '').padEnd(scale, '0').slice(0, scale);
  const text = `${m[1] === '-' ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : whole === '' ? '0' : ''}`;
  return text.padEnd((c.precision ?? 5) + 2, ' ');
}

/** What ibm_db hands the application for a server value (src/odbc.cpp GetColumnValue). */
function driverValue(c: FakeColumn, cell: FakeCell, keywords: ReadonlyMap<string, string>, block: boolean): unknown {
  if (cell === null) return null;
  const code = describe(c, keywords).code;
  if (Buffer.isBuffer(cell)) return block && cell.length > 65536 ? cell.subarray(0, 65536) : Buffer.from(cell);
  switch (code) {
    case 3: case 2: case 7: case 8: case -360:
      return Number(cell);
    case 4: case 5:
      return Number(cell);
    case -5:
      return String(cell);
    case 16:
      return Boolean(cell);
    case 93: {
      // SQL_C_TYPE_TIMESTAMP -> Date through timegm: milliseconds only.
      const m = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d+))?$/.exec(String(cell));
      if (!m) throw new Error(`fake ibm_db: TIMESTAMP cell ${String(cell)} is not in Db2 form`);
      const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
      return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
    }
    default: {
      const text = String(cell);
      return block && text.length > 65536 ? text.slice(0, 65536) : text;
    }
  }
}

/** A parameter as lib/odbc.js parseParams + the native bind take it. */
function bindValue(p: unknown): FakeCell {
  if (p === null || typeof p === 'string' || typeof p === 'number') return p;
  if (Buffer.isBuffer(p)) throw new Error('fake ibm_db: bind binary data as {ParamType:"INPUT", CType:"BINARY", SQLType:"VARBINARY", Data}');
  if (typeof p === 'object' && p !== null && 'Data' in p) {
    const o = p as { ParamType?: unknown; CType?: unknown; SQLType?: unknown; Data: unknown };
    if (o.ParamType !== 'INPUT' || o.CType !== 'BINARY' || (o.SQLType !== 'VARBINARY' && o.SQLType !== 'BINARY') || !Buffer.isBuffer(o.Data)) {
      throw new Error(`fake ibm_db: unsupported parameter ${JSON.stringify({ ...o, Data: typeof o.Data })}`);
    }
    return o.Data;
  }
  throw new Error(`odbc.js:parseParams => Data is missing from ${JSON.stringify(p)}`);
}

function parseKeywords(connStr: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const m of connStr.matchAll(/([^=;]+)=(\{(?:[^}]|\}\})*\}|[^;]*);?/g)) {
    const raw = m[2].startsWith('{') ? m[2].slice(1, -1).replace(/\}\}/g, '}') : m[2];
    out.set(m[1].trim().toUpperCase(), raw);
  }
  return out;
}

/** ibm_db's dual form: a callback gets (err, value) and the call returns undefined; otherwise a promise. */
function settle<T>(work: Promise<T>, cb?: (err: Error | null, value?: T) => void): Promise<T> | undefined {
  if (!cb) return work;
  void work.then((v) => cb(null, v), (e: Error) => cb(e));
  return undefined;
}
