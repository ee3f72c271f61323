/**
 * What the reader knows of one captured table once it opened: the register row's CD table, the CD
 * table's captured columns as the catalog lists them, the entity key, where its events go. Built at
 * open from IBMSNAP_REGISTER and the column catalog (./cdc-catalog.ts).
 */
import type { CapturedColumn } from './column-values.ts';
import type { RowMapper } from './column-values.ts';
import type { ResolvedTable } from './platform-sql.ts';

export type { CapturedColumn };

export interface CapturedTable {
  /** `SCHEMA.TABLE` of the source table, as in the bridge file. */
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  /** The CD table, names as the catalog spells them. */
  readonly cd: ResolvedTable;
  /** The source table as the catalog spells it (what a snapshot reads); undefined when the bridge's user cannot see it. */
  readonly source: ResolvedTable | undefined;
  /** Captured columns in CD-table order (the IBMSNAP_ columns excluded). */
  readonly columns: readonly CapturedColumn[];
  /** Indexes into `columns` of the entity key, in key order; empty: no key (null Kafka keys, as Debezium for keyless tables). */
  readonly keyIndexes: readonly number[];
  readonly topic: string;
  /** Register CHG_UPD_TO_DEL_INS = 'Y': updates arrive as D+I pairs; else as single 'U' rows. */
  readonly updatesAsDeleteInsert: boolean;
  /** Register BEFORE_IMG_PREFIX ('' when none). */
  readonly beforeImagePrefix: string;
  /** Captured column index -> index of its before image in a row's values (after the captured columns). */
  readonly beforeImageIndexes: ReadonlyMap<number, number>;
  /** Row values (captured columns, in `columns` order) -> the event's row image, exact types (column-values.ts). Throws for a bad value. */
  readonly mapRow: RowMapper;
  /** Version of the captured column set (raised by schema changes). */
  readonly schemaVersion: number;
}
