#!/usr/bin/env bash
# ASN SQL Replication capture for the CDC bridge on the docker-compose Db2 (Db2 Community Edition,
# service `db2`, database BANYAN), following Debezium's Db2 connector setup (its
# src/test/docker/db2-cdc-docker: asncdc.c UDF + asncdc_tables.sql + the ADDTABLE procedure).
# Run inside the container as db2inst1, after Db2 finished starting:
#   docker compose cp deploy/db2-cdc db2:/var/custom/db2-cdc
#   docker compose exec -u db2inst1 db2 bash -lc 'bash /var/custom/db2-cdc/asncdc-setup.sh'
# It needs the ASN programs of a Db2 edition that includes SQL Replication (Community Edition does;
# production use of ASN Capture needs the licence IBM names for it). Never run in these tests.
set -euo pipefail
DB=${DBNAME:-BANYAN}
db2 connect to "$DB"
# Capture reads the recovery log: archive logging, then the backup Db2 requires after switching it on.
db2 update db cfg for "$DB" using LOGARCHMETH1 LOGRETAIN
db2 backup db "$DB" to /dev/null || true
db2 connect to "$DB"
db2 -tvf "$(dirname "$0")/asncdc-control-tables.sql"
db2 -tvf "$(dirname "$0")/getwell-source-tables.sql"
# Register the captured tables (CD tables ASNCDC.CDC_<schema>_<table>, CHG_UPD_TO_DEL_INS = 'Y').
for t in MEMBER CLAIM RX; do
  db2 "ALTER TABLE GW.$t DATA CAPTURE CHANGES"
  db2 "CREATE TABLE ASNCDC.CDC_GW_$t AS (SELECT CAST('' AS VARCHAR(16) FOR BIT DATA) AS IBMSNAP_COMMITSEQ, CAST('' AS VARCHAR(16) FOR BIT DATA) AS IBMSNAP_INTENTSEQ, CAST('' AS CHAR(1)) AS IBMSNAP_OPERATION, T.* FROM GW.$t AS T) WITH NO DATA"
  db2 "CREATE UNIQUE INDEX ASNCDC.IXCDC_GW_$t ON ASNCDC.CDC_GW_$t (IBMSNAP_COMMITSEQ ASC, IBMSNAP_INTENTSEQ ASC)"
  db2 "INSERT INTO ASNCDC.IBMSNAP_REGISTER (SOURCE_OWNER, SOURCE_TABLE, SOURCE_VIEW_QUAL, GLOBAL_RECORD, SOURCE_STRUCTURE, SOURCE_CONDENSED, SOURCE_COMPLETE, CD_OWNER, CD_TABLE, PHYS_CHANGE_OWNER, PHYS_CHANGE_TABLE, DISABLE_REFRESH, ARCH_LEVEL, BEFORE_IMG_PREFIX, CONFLICT_LEVEL, CHG_UPD_TO_DEL_INS, CHGONLY, RECAPTURE, OPTION_FLAGS, STOP_ON_ERROR, STATE) VALUES ('GW', '$t', 0, 'N', 1, 'N', 'Y', 'ASNCDC', 'CDC_GW_$t', 'ASNCDC', 'CDC_GW_$t', 0, '0801', NULL, '0', 'Y', 'N', 'Y', 'NNNN', 'Y', 'A')"
done
db2 "INSERT INTO ASNCDC.IBMSNAP_PRUNCNTL (TARGET_SERVER, TARGET_OWNER, TARGET_TABLE, SOURCE_OWNER, SOURCE_TABLE, SOURCE_VIEW_QUAL, APPLY_QUAL, SET_NAME, CNTL_SERVER, TARGET_STRUCTURE, CNTL_ALIAS, PHYS_CHANGE_OWNER, PHYS_CHANGE_TABLE, MAP_ID) SELECT '$DB', 'GW', SOURCE_TABLE, SOURCE_OWNER, SOURCE_TABLE, 0, 'BANYAN', 'BANYAN', '$DB', 8, '$DB', CD_OWNER, CD_TABLE, CHAR(ROW_NUMBER() OVER ()) FROM ASNCDC.IBMSNAP_REGISTER WHERE GLOBAL_RECORD = 'N'"
db2 commit
# Start ASN Capture for schema ASNCDC (commit interval 1 s: changes reach the CD tables within a second).
nohup asncap capture_server="$DB" capture_schema=ASNCDC commit_interval=1 autoprune=y retention_limit=10080 >/tmp/asncap.log 2>&1 &
echo "asncdc-setup: capture started for $DB (log /tmp/asncap.log); run bridges with driver: ibm_db, host db2, port 50000, database $DB"
