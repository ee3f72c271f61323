      *================================================================*
      * TRANREC - CARD TRANSACTION BATCH RECORD (RECFM=VB)             *
      * A HEADER, THEN A VARIABLE NUMBER OF LINE ITEMS.                *
      * RECORD TYPE 'H' = HEADER, 'T' = TRAILER (TR-TRAILER REDEFINES).*
      *================================================================*
       01  TRAN-RECORD.
           05  TR-REC-TYPE                 PIC X.
               88  TR-HEADER               VALUE 'H'.
               88  TR-TRAILER-REC          VALUE 'T'.
           05  TR-BODY.
               10  TR-CARD-NUMBER          PIC X(16).
               10  TR-MERCHANT-ID          PIC X(15).
               10  TR-TRAN-TS.
                   15  TR-TRAN-DATE        PIC 9(8).
                   15  TR-TRAN-TIME        PIC 9(6).
               10  TR-CURRENCY             PIC X(3)   VALUE 'EUR'.
               10  TR-TOTAL-AMOUNT         PIC S9(9)V99 COMP-3.
               10  TR-ITEM-COUNT           PIC S9(4)  COMP.
               10  TR-ITEM OCCURS 1 TO 50 TIMES
                           DEPENDING ON TR-ITEM-COUNT
                           INDEXED BY TR-IX.
                   15  TR-ITEM-SKU         PIC X(12).
                   15  TR-ITEM-QTY         PIC S9(5)  COMP-3.
                   15  TR-ITEM-PRICE       PIC S9(7)V99 COMP-3.
                   15  TR-ITEM-DISCOUNT    PIC SV999  COMP-3.
           05  TR-TRAILER REDEFINES TR-BODY.
               10  TR-BATCH-COUNT          PIC 9(9)   COMP.
               10  TR-BATCH-TOTAL          PIC S9(13)V99 COMP-3.
               10  FILLER                  PIC X(20).
