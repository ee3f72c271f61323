package dev.banyan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import scala.Function1;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;
import za.co.absa.cobrix.cobol.parser.Copybook;
import za.co.absa.cobrix.cobol.parser.CopybookParser;
import za.co.absa.cobrix.cobol.parser.ast.Group;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordExtractors;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordHandler;

/**
 * Drives Cobrix's record decoder (cobol-parser's RecordExtractors.extractRecord, the function
 * spark-cobol calls for every record) without Spark, single-threaded, so Banyan's decoder can be
 * measured against it on the same bytes.
 *
 * Usage: CobrixDecodeBench COPYBOOK DATA FORMAT(F|V) RECORD_LENGTH SECONDS [SEGMENT_OFFSET SEGMENT_LENGTH ID=BRANCH,...]
 * FORMAT V reads big-endian IBM RDWs (length includes the 4-byte header); V0 RDWs that exclude it. With a segment map, the
 * segment id is read from the record bytes (EBCDIC text) and passed as Cobrix's active segment
 * redefine, as spark-cobol does for `redefine-segment-id-map`.
 *
 * Prints one JSON object: records and bytes decoded in the timed passes, seconds, the process's
 * CPU time (user + system, all threads) over those passes, and the peak resident set size (VmHWM)
 * in KiB.
 */
public final class CobrixDecodeBench {
  /** Cobrix's own test helper shape (SimpleRecordHandler): a record is the array of its values. */
  static final class ArrayHandler implements RecordHandler<Object[]> {
    @Override public Object[] create(Object[] values, Group group) { return values; }
    @Override public Seq<Object> toSeq(Object[] record) { return JavaConverters.asScalaBuffer(java.util.Arrays.asList(record)).toSeq(); }
    @Override public void foreach(Object[] record, Function1<Object, BoxedUnit> f) { for (Object o : record) f.apply(o); }
  }

  public static void main(String[] args) throws Exception {
    String copybookText = Files.readString(Path.of(args[0]), java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] data = Files.readAllBytes(Path.of(args[1]));
    String format = args[2];
    int recordLength = Integer.parseInt(args[3]);
    double seconds = Double.parseDouble(args[4]);
    int segOffset = args.length > 6 ? Integer.parseInt(args[5]) : -1;
    int segLength = args.length > 6 ? Integer.parseInt(args[6]) : 0;
    Map<String, String> segmentMap = new HashMap<>();
    List<String> redefines = new ArrayList<>();
    if (args.length > 7) {
      for (String pair : args[7].split(",")) {
        String[] kv = pair.split("=");
        segmentMap.put(kv[0], kv[1].toUpperCase().replace('-', '_'));
        redefines.add(kv[1]);
      }
    }

    Copybook copybook = parse(copybookText, redefines);
    Group ast = copybook.ast();
    List<int[]> records = frame(data, format, recordLength);
    String[] segmentOf = new String[records.size()];
    for (int i = 0; i < records.size() && segOffset >= 0; i++) {
      int[] r = records.get(i);
      String id = ebcdicDigitsAndLetters(data, r[0] + segOffset, segLength).trim();
      segmentOf[i] = segmentMap.getOrDefault(id, "");
    }
    byte[][] copies = new byte[records.size()][];
    for (int i = 0; i < records.size(); i++) {
      int[] r = records.get(i);
      copies[i] = java.util.Arrays.copyOfRange(data, r[0], r[0] + r[1]);
    }

    ArrayHandler handler = new ArrayHandler();
    ClassTag<Object[]> tag = ClassTag$.MODULE$.apply(Object[].class);
    long sink = 0;
    // Warm-up: let the JIT compile the decoder before timing (at least 1.5 s, or a third of the budget, as the Banyan side).
    long warmEnd = System.nanoTime() + (long) Math.max(1.5e9, seconds * 0.35e9);
    while (System.nanoTime() < warmEnd) sink += pass(ast, copies, segmentOf, handler, tag);
    long records0 = 0, bytes0 = 0;
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      sink += pass(ast, copies, segmentOf, handler, tag);
      records0 += copies.length;
      for (byte[] c : copies) bytes0 += c.length;
      now = System.nanoTime();
    } while (now < end);
    double elapsed = (now - start) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    System.out.println("{\"decoder\":\"cobrix\",\"version\":\"" + CopybookParser.class.getPackage().getImplementationVersion()
        + "\",\"records\":" + records0 + ",\"bytes\":" + bytes0 + ",\"seconds\":" + elapsed + ",\"cpuSeconds\":" + cpuSeconds
        + ",\"peakRssKiB\":" + peakRssKiB() + ",\"checksum\":" + (sink & 0xffff) + "}");
  }

  private static long pass(Group ast, byte[][] copies, String[] segmentOf, ArrayHandler handler, ClassTag<Object[]> tag) {
    long n = 0;
    for (int i = 0; i < copies.length; i++) {
      String seg = segmentOf[i] == null ? "" : segmentOf[i];
      Seq<Object> row = RecordExtractors.extractRecord(ast, copies[i], 0,
          RecordExtractors.extractRecord$default$4(), false, false, false,
          RecordExtractors.extractRecord$default$8(), 0, (long) i, seg, false, "", handler, tag);
      n += row.length();
    }
    return n;
  }

  static Copybook parse(String text, List<String> segmentRedefines) {
    Seq<String> redefines = JavaConverters.asScalaBuffer(segmentRedefines).toSeq();
    return CopybookParser.parseTree(text, CopybookParser.parseTree$default$2(), CopybookParser.parseTree$default$3(),
        CopybookParser.parseTree$default$4(), redefines, CopybookParser.parseTree$default$6(), CopybookParser.parseTree$default$7(),
        CopybookParser.parseTree$default$8(), CopybookParser.parseTree$default$9(), CopybookParser.parseTree$default$10(),
        CopybookParser.parseTree$default$11(), CopybookParser.parseTree$default$12(), CopybookParser.parseTree$default$13(),
        CopybookParser.parseTree$default$14(), CopybookParser.parseTree$default$15(), CopybookParser.parseTree$default$16(),
        CopybookParser.parseTree$default$17(), CopybookParser.parseTree$default$18(), CopybookParser.parseTree$default$19());
  }

  /** [offset, length] of each record's data (without RDW). */
  private static List<int[]> frame(byte[] data, String format, int recordLength) {
    List<int[]> out = new ArrayList<>();
    int pos = 0;
    if (format.equals("F")) {
      for (; pos + recordLength <= data.length; pos += recordLength) out.add(new int[] {pos, recordLength});
    } else {
      while (pos + 4 <= data.length) {
        int len = ((data[pos] & 0xff) << 8 | (data[pos + 1] & 0xff)) - (format.equals("V") ? 4 : 0);
        if (len <= 0) throw new IllegalStateException("bad RDW at byte " + pos);
        out.add(new int[] {pos + 4, len});
        pos += 4 + len;
      }
    }
    return out;
  }

  /** Segment ids are short EBCDIC letters/digits: enough of cp037 to read them. */
  static String ebcdicDigitsAndLetters(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      int v = b[i] & 0xff;
      if (v >= 0xF0 && v <= 0xF9) sb.append((char) ('0' + v - 0xF0));
      else if (v >= 0xC1 && v <= 0xC9) sb.append((char) ('A' + v - 0xC1));
      else if (v >= 0xD1 && v <= 0xD9) sb.append((char) ('J' + v - 0xD1));
      else if (v >= 0xE2 && v <= 0xE9) sb.append((char) ('S' + v - 0xE2));
      else sb.append(' ');
    }
    return sb.toString();
  }

  /** Node's process.cpuUsage() counterpart: user + system time of every thread (JIT and GC included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static long peakRssKiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }
}
