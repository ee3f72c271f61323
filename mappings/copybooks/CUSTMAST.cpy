000100******************************************************************CUSTMAST
000200* CUSTMAST - CUSTOMER MASTER RECORD (VSAM KSDS, RECFM=FB, LRECL=25CUSTMAST
000300* EXAMPLE COPYBOOK FOR BANYAN: KEY, NAME/ADDRESS, BALANCES, FLAGS.CUSTMAST
000400******************************************************************CUSTMAST
000500 01  CUSTOMER-MASTER.                                             CUSTMAST
000600     05  CM-KEY.                                                  CUSTMAST
000700         10  CM-BRANCH           PIC 9(4).                        CUSTMAST
000800         10  CM-CUSTOMER-NO      PIC 9(10).                       CUSTMAST
000900     05  CM-RECORD-TYPE          PIC X.                           CUSTMAST
001000         88  CM-PERSON                     VALUE 'P'.             CUSTMAST
001100         88  CM-COMPANY                    VALUE 'C'.             CUSTMAST
001200     05  CM-NAME-AREA.                                            CUSTMAST
001300         10  CM-PERSON-NAME.                                      CUSTMAST
001400             15  CM-LAST-NAME    PIC X(25).                       CUSTMAST
001500             15  CM-FIRST-NAME   PIC X(20).                       CUSTMAST
001600             15  CM-INITIAL      PIC X.                           CUSTMAST
001700         10  CM-COMPANY-NAME REDEFINES CM-PERSON-NAME             CUSTMAST
001800                                 PIC X(46).                       CUSTMAST
001900     05  CM-ADDRESS.                                              CUSTMAST
002000         10  CM-STREET           PIC X(30) OCCURS 2 TIMES.        CUSTMAST
002100         10  CM-CITY             PIC X(25).                       CUSTMAST
002200         10  CM-STATE            PIC XX.                          CUSTMAST
002300         10  CM-ZIP              PIC 9(5).                        CUSTMAST
002400         10  CM-ZIP-PLUS4        PIC 9(4).                        CUSTMAST
002500     05  CM-TAX-ID               PIC 9(9)    COMP-3.              CUSTMAST
002600     05  CM-DATE-OPENED          PIC 9(8).                        CUSTMAST
002700     05  CM-DATE-OPENED-X REDEFINES CM-DATE-OPENED.               CUSTMAST
002800         10  CM-OPEN-YYYY        PIC 9(4).                        CUSTMAST
002900         10  CM-OPEN-MM          PIC 99.                          CUSTMAST
003000         10  CM-OPEN-DD          PIC 99.                          CUSTMAST
003100     05  CM-BALANCES             COMP-3.                          CUSTMAST
003200         10  CM-CURRENT-BALANCE  PIC S9(11)V99.                   CUSTMAST
003300         10  CM-CREDIT-LIMIT     PIC S9(9)V99.                    CUSTMAST
003400         10  CM-YTD-INTEREST     PIC S9(7)V99.                    CUSTMAST
003500     05  CM-RISK-SCORE           PIC S9(4)   COMP.                CUSTMAST
003600     05  CM-STATUS               PIC X.                           CUSTMAST
003700         88  CM-ACTIVE                     VALUE 'A'.             CUSTMAST
003800         88  CM-CLOSED                     VALUE 'C' 'X'.         CUSTMAST
003900         88  CM-DORMANT                    VALUE 'D'.             CUSTMAST
004000     05  CM-LAST-ACTIVITY-TS     PIC X(26).                       CUSTMAST
004100     05  FILLER                  PIC X(33).                       CUSTMAST
