/*
 * Dumps the JDK's IBM double-byte EBCDIC charsets as JSON Lines, one object per page:
 *   {"name":"cp300","java":"x-IBM300","mixed":false,"sbcs":null,
 *    "dbcs":[36864 UTF-16 code units for bytes 0x4040..0xFFFF (lead 0x40-0xFF x trail 0x40-0xFF), -1 unmapped],
 *    "encode":[[codeUnit, bytes],...]}
 * Pure DBCS pages (x-IBM300, x-IBM834) are decoded two bytes at a time. For mixed pages (x-IBM930 ...),
 * "dbcs" is what the page decodes between SO (0x0E) and SI (0x0F), and "sbcs" (256 code units) what it
 * decodes outside them. "encode" lists what the tables alone cannot tell: characters the JDK encoder
 * maps differently from the inverse of the tables ("bytes" is the 2-byte code, or for mixed pages
 * 0x1XX for single byte XX; -1 = not encodable).
 *
 * Run with `java scripts/codepages/GenDbcs.java`; scripts/codepages/generate.ts writes
 * src/codec/codepages/dbcs-tables/*.ts from it, and the code-page test runs it again as the oracle.
 */
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

public class GenDbcs {
    /** Banyan name, JDK name, mixed (SO/SI) or pure DBCS. Keep in step with generate.ts. */
    static final String[][] PAGES = {
        {"cp300", "x-IBM300", "pure"}, {"cp834", "x-IBM834", "pure"},
        {"cp930", "x-IBM930", "mixed"}, {"cp933", "x-IBM933", "mixed"}, {"cp935", "x-IBM935", "mixed"},
        {"cp937", "x-IBM937", "mixed"}, {"cp939", "x-IBM939", "mixed"}, {"cp1364", "x-IBM1364", "mixed"},
    };
    static final int LOW = 0x40;
    static final int SIZE = 256 - LOW;

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        for (String[] page : PAGES) {
            Charset cs = Charset.forName(page[1]);
            boolean mixed = page[2].equals("mixed");
            // REPLACE, not REPORT: an exception per unmapped code (most of the 65,536) is slow. The
            // replacement U+FFFD marks "unmapped"; generate.ts rejects a table that maps a code to it.
            CharsetDecoder dec = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
            int[] dbcs = new int[SIZE * SIZE];
            for (int lead = 0; lead < 256; lead++) {
                for (int trail = 0; trail < 256; trail++) {
                    int unit = decodeOne(dec, mixed ? new byte[] {0x0E, (byte) lead, (byte) trail, 0x0F} : new byte[] {(byte) lead, (byte) trail});
                    boolean inRange = lead >= LOW && trail >= LOW;
                    if (!inRange) {
                        if (unit >= 0) throw new IllegalStateException(page[1] + " maps " + lead + "," + trail + " outside 0x40-0xFF");
                        continue;
                    }
                    dbcs[(lead - LOW) * SIZE + (trail - LOW)] = unit;
                }
            }
            int[] sbcs = null;
            if (mixed) {
                sbcs = new int[256];
                for (int b = 0; b < 256; b++) sbcs[b] = (b == 0x0E || b == 0x0F) ? -1 : decodeOne(dec, new byte[] {(byte) b});
            }
            out.append("{\"name\":\"").append(page[0]).append("\",\"java\":\"").append(cs.name())
                .append("\",\"mixed\":").append(mixed).append(",\"sbcs\":");
            if (sbcs == null) out.append("null");
            else appendArray(out, sbcs);
            out.append(",\"dbcs\":");
            appendArray(out, dbcs);
            out.append(",\"encode\":[");
            boolean first = true;
            for (int[] pair : encodeExceptions(cs, mixed, sbcs, dbcs)) {
                out.append(first ? "" : ",").append('[').append(pair[0]).append(',').append(pair[1]).append(']');
                first = false;
            }
            out.append("]}\n");
        }
        System.out.print(out);
    }

    static int decodeOne(CharsetDecoder dec, byte[] bytes) {
        try {
            CharBuffer chars = dec.reset().decode(ByteBuffer.wrap(bytes));
            return chars.length() == 1 && chars.charAt(0) != '\uFFFD' ? chars.charAt(0) : -1;
        } catch (CharacterCodingException e) {
            return -1;
        }
    }

    static void appendArray(StringBuilder out, int[] values) {
        out.append('[');
        for (int i = 0; i < values.length; i++) out.append(i == 0 ? "" : ",").append(values[i]);
        out.append(']');
    }

    /** Code: 2-byte DBCS code (0x4040-0xFFFF), or 0x100 | byte for a mixed page's single byte. */
    static List<int[]> encodeExceptions(Charset cs, boolean mixed, int[] sbcs, int[] dbcs) {
        int[] inverse = new int[65536];
        java.util.Arrays.fill(inverse, -1); // -1 none, -2 several codes, else the code
        if (sbcs != null) for (int b = 0; b < 256; b++) if (sbcs[b] >= 0) inverse[sbcs[b]] = inverse[sbcs[b]] == -1 ? 0x100 | b : -2;
        for (int i = 0; i < dbcs.length; i++) {
            int u = dbcs[i];
            if (u < 0) continue;
            int code = ((i / SIZE + LOW) << 8) | (i % SIZE + LOW);
            // A mixed page prefers its single-byte form; only a second DBCS code is ambiguous.
            if (inverse[u] == -1) inverse[u] = code;
            else if (inverse[u] > 0x1FF) inverse[u] = -2;
        }
        CharsetEncoder enc = cs.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < 65536; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            int code = -1;
            if (!enc.reset().canEncode((char) c)) {
                if (inverse[c] != -1) out.add(new int[] {c, -1});
                continue;
            }
            try {
                ByteBuffer b = enc.reset().encode(CharBuffer.wrap(new char[] {(char) c}));
                int n = b.remaining();
                if (!mixed && n == 2) code = ((b.get(0) & 0xFF) << 8) | (b.get(1) & 0xFF);
                else if (mixed && n == 1) code = 0x100 | (b.get(0) & 0xFF);
                else if (mixed && n == 4 && b.get(0) == 0x0E && b.get(3) == 0x0F) code = ((b.get(1) & 0xFF) << 8) | (b.get(2) & 0xFF);
                else code = -3; // a form Banyan does not model: reported so the test notices
            } catch (CharacterCodingException e) {
                code = -1;
            }
            if (code != inverse[c] && !(code == -1 && inverse[c] == -1)) out.add(new int[] {c, code});
        }
        return out;
    }
}
