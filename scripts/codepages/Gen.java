/*
 * Dumps the JDK's single-byte IBM EBCDIC charsets as JSON Lines, one object per code page:
 *   {"name":"cp037","java":"IBM037","decode":[256 UTF-16 code units, -1 = unmappable],
 *    "encode":[[codeUnit,byte],...]}
 * "encode" lists only what the decode table alone cannot tell: characters the JDK's ENCODER maps to
 * a byte other than the single byte that decodes to them (a character several bytes decode to, or
 * an encode-only "fallback" mapping), and byte -1 for a decodable character the encoder refuses.
 *
 * Run with `java scripts/codepages/Gen.java` (JDK 11+ source launcher). The JDK is Banyan's reference
 * for EBCDIC (see src/codec/codepages/README.md); scripts/codepages/generate.ts turns this output
 * into src/codec/codepages/tables/*.ts and test/unit/codec/codepages runs it again to check them.
 */
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;

public class Gen {
    /** Banyan name -> JDK canonical name. Keep in step with the list in scripts/codepages/generate.ts. */
    static final String[][] PAGES = {
        {"cp037", "IBM037"}, {"cp273", "IBM273"}, {"cp277", "IBM277"}, {"cp278", "IBM278"},
        {"cp280", "IBM280"}, {"cp284", "IBM284"}, {"cp285", "IBM285"}, {"cp290", "IBM290"},
        {"cp297", "IBM297"}, {"cp420", "IBM420"}, {"cp424", "IBM424"}, {"cp500", "IBM500"},
        {"cp833", "x-IBM833"}, {"cp838", "IBM-Thai"}, {"cp870", "IBM870"}, {"cp871", "IBM871"},
        {"cp875", "x-IBM875"}, {"cp918", "IBM918"}, {"cp1025", "x-IBM1025"}, {"cp1026", "IBM1026"},
        {"cp1047", "IBM1047"}, {"cp1097", "x-IBM1097"}, {"cp1112", "x-IBM1112"}, {"cp1122", "x-IBM1122"},
        {"cp1123", "x-IBM1123"}, {"cp1140", "IBM01140"}, {"cp1141", "IBM01141"}, {"cp1142", "IBM01142"},
        {"cp1143", "IBM01143"}, {"cp1144", "IBM01144"}, {"cp1145", "IBM01145"}, {"cp1146", "IBM01146"},
        {"cp1147", "IBM01147"}, {"cp1148", "IBM01148"}, {"cp1149", "IBM01149"}, {"cp1166", "x-IBM1166"},
    };

    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        for (String[] page : PAGES) {
            Charset cs = Charset.forName(page[1]);
            int[] decode = decodeTable(cs);
            out.append("{\"name\":\"").append(page[0]).append("\",\"java\":\"").append(cs.name()).append("\",\"decode\":[");
            for (int b = 0; b < 256; b++) out.append(b == 0 ? "" : ",").append(decode[b]);
            out.append("],\"encode\":[");
            boolean first = true;
            for (int[] pair : encodeExceptions(cs, decode)) {
                out.append(first ? "" : ",").append('[').append(pair[0]).append(',').append(pair[1]).append(']');
                first = false;
            }
            out.append("]}\n");
        }
        System.out.print(out);
    }

    static int[] decodeTable(Charset cs) {
        CharsetDecoder dec = cs.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        int[] table = new int[256];
        for (int b = 0; b < 256; b++) {
            try {
                CharBuffer chars = dec.reset().decode(ByteBuffer.wrap(new byte[] {(byte) b}));
                table[b] = chars.length() == 1 ? chars.charAt(0) : -1;
            } catch (CharacterCodingException e) {
                table[b] = -1;
            }
        }
        return table;
    }

    static java.util.List<int[]> encodeExceptions(Charset cs, int[] decode) {
        int[] decodedBy = new int[65536];
        java.util.Arrays.fill(decodedBy, -1); // -1 none, -2 several bytes, else the one byte
        for (int b = 0; b < 256; b++) {
            if (decode[b] < 0) continue;
            decodedBy[decode[b]] = decodedBy[decode[b]] == -1 ? b : -2;
        }
        CharsetEncoder enc = cs.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int c = 0; c < 65536; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue; // lone surrogates are never encodable
            int encoded = -1;
            // canEncode first: exceptions for the ~65,000 unmappable characters made this slow.
            if (enc.canEncode((char) c)) {
                try {
                    ByteBuffer bytes = enc.reset().encode(CharBuffer.wrap(new char[] {(char) c}));
                    encoded = bytes.remaining() == 1 ? (bytes.get(0) & 0xFF) : -1;
                } catch (CharacterCodingException e) {
                    encoded = -1;
                }
            }
            if (encoded != decodedBy[c] && !(encoded == -1 && decodedBy[c] == -1)) out.add(new int[] {c, encoded});
        }
        return out;
    }
}
