      *================================================================*
      * TRANREC - CARD TRANSACTION BATCH (RECFM=VB)                    *
      * EACH BATCH IS DETAIL RECORDS (TYPE 'D') WITH A VARIABLE NUMBER *
      * OF LINE ITEMS, THEN ONE TRAILER RECORD (TYPE 'T'). THE TWO 01  *
      * LEVELS DESCRIBE THE SAME RECORD AREA, AS UNDER AN FD.          *
      *================================================================*
       01  TRAN-RECORD.
           05  TR-REC-TYPE                 PIC X.
               88  TR-DETAIL               VALUE 'D'.
               88  TR-TRAILER-REC          VALUE 'T'.
           05  TR-CARD-NUMBER              PIC X(16).
           05  TR-MERCHANT-ID              PIC X(15).
           05  TR-TRAN-TS.
               10  TR-TRAN-DATE            PIC 9(8).
               10  TR-TRAN-TIME            PIC 9(6).
           05  TR-TRAN-TS-X REDEFINES TR-TRAN-TS
                                           PIC X(14).
           05  TR-CURRENCY                 PIC X(3)   VALUE 'EUR'.
           05  TR-TOTAL-AMOUNT             PIC S9(9)V99 COMP-3.
           05  TR-ITEM-COUNT               PIC S9(4)  COMP.
           05  TR-ITEM OCCURS 1 TO 50 TIMES
                       DEPENDING ON TR-ITEM-COUNT
                       INDEXED BY TR-IX.
               10  TR-ITEM-SKU             PIC X(12).
               10  TR-ITEM-QTY             PIC S9(5)  COMP-3.
               10  TR-ITEM-PRICE           PIC S9(7)V99 COMP-3.
               10  TR-ITEM-DISCOUNT        PIC SV999  COMP-3.
       01  TRAN-TRAILER.
           05  TT-REC-TYPE                 PIC X.
           05  TT-BATCH-COUNT              PIC 9(9)   COMP.
           05  TT-BATCH-TOTAL              PIC S9(13)V99 COMP-3.
           05  FILLER                      PIC X(20).
