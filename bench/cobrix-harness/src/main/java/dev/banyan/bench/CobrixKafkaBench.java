package dev.banyan.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import scala.Function1;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;
import za.co.absa.cobrix.cobol.parser.ast.Group;
import za.co.absa.cobrix.cobol.parser.ast.Statement;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordExtractors;
import za.co.absa.cobrix.cobol.reader.extractors.record.RecordHandler;

/**
 * The JVM counterpart of a Banyan file -> Kafka bridge, for bench/bridge.bench.ts: reads a record
 * file (F, or V with IBM RDWs) through a buffered stream, decodes each record with Cobrix's
 * cobol-parser (RecordExtractors.extractRecord, what spark-cobol calls per record), turns it into
 * JSON with Jackson (decimals as exact strings, as Banyan writes them), and produces it with the
 * Java KafkaProducer (acks=all, enable.idempotence=true, no compression, the client's other
 * defaults), keyed by the entity field, with the same headers a Banyan bridge puts on an event
 * (event id, bridge, position, record number, mapping, copybook hash, file). Done once the
 * producer acknowledged every record (flush, then every send callback checked).
 *
 * A warm-up job first sends the file's first --warm-records records to --warm-topic with a producer
 * of its own (the JIT compiles the decode and produce paths); then the timed job sends the whole
 * file to --topic with a new producer, as a freshly started bridge would. The clock runs from the
 * first record read (producer constructed, as Banyan's from its source's first read) to flush().
 *
 * Arguments: --name=value each: copybook, data, format (F|V), record-length, brokers, topic,
 * warm-topic, warm-records, key (Cobrix field name, e.g. COMPANY_ID), bridge, file-key, file-name,
 * mapping, mapping-version, copybook-sha256; and for segments seg-offset, seg-length, seg-map (ID=BRANCH,...).
 *
 * Prints one JSON object: records and bytes of the timed job, seconds, the process's CPU time
 * (user + system of every thread, JIT, GC and the producer's I/O thread included) over it, records
 * acknowledged, and the peak resident set size (VmHWM) in KiB.
 */
public final class CobrixKafkaBench {
  /** A record as an ordered map of its non-filler fields (Cobrix hands a group's values in child order, fillers left out). */
  static final class MapHandler implements RecordHandler<Map<String, Object>> {
    private final IdentityHashMap<Group, String[]> names = new IdentityHashMap<>();

    @Override
    public Map<String, Object> create(Object[] values, Group group) {
      String[] n = names.computeIfAbsent(group, MapHandler::fieldNames);
      Map<String, Object> out = new LinkedHashMap<>(n.length * 2);
      for (int i = 0; i < values.length; i++) out.put(n[i], values[i]);
      return out;
    }

    @Override
    public Seq<Object> toSeq(Map<String, Object> record) {
      return JavaConverters.asScalaBuffer(new ArrayList<Object>(record.values())).toSeq();
    }

    @Override
    public void foreach(Map<String, Object> record, Function1<Object, BoxedUnit> f) {
      for (Object o : record.values()) f.apply(o);
    }

    private static String[] fieldNames(Group group) {
      List<String> out = new ArrayList<>();
      for (Statement s : JavaConverters.seqAsJavaList(group.children())) if (!s.isFiller()) out.add(s.name());
      return out.toArray(new String[0]);
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Map<String, String> segmentMap = new HashMap<>();
    List<String> redefines = new ArrayList<>();
    if (a.containsKey("seg-map")) {
      for (String pair : a.get("seg-map").split(",")) {
        String[] kv = pair.split("=");
        segmentMap.put(kv[0], kv[1].toUpperCase().replace('-', '_'));
        redefines.add(kv[1]);
      }
    }
    Job job = new Job(a, CobrixDecodeBench.parse(Files.readString(Path.of(a.get("copybook")), StandardCharsets.ISO_8859_1), redefines).ast(), segmentMap);

    job.run(a.get("warm-topic"), Long.parseLong(a.get("warm-records")));
    System.gc();
    long[] done = job.run(a.get("topic"), Long.MAX_VALUE);
    double seconds = (job.endNanos - job.startNanos) / 1e9;
    double cpuSeconds = (job.endCpuNanos - job.startCpuNanos) / 1e9;
    System.out.println("{\"contender\":\"jvm\",\"cobrix\":\"" + Group.class.getPackage().getImplementationVersion()
        + "\",\"java\":\"" + System.getProperty("java.version")
        + "\",\"records\":" + done[0] + ",\"bytes\":" + done[1] + ",\"acked\":" + done[2] + ",\"seconds\":" + seconds
        + ",\"cpuSeconds\":" + cpuSeconds + ",\"peakRssKiB\":" + CobrixDecodeBench.peakRssKiB() + "}");
  }

  /** One pass over the file: read, decode, JSON, produce; returns {records, record bytes, acknowledged}. */
  static final class Job {
    private final Map<String, String> a;
    private final Group ast;
    private final Map<String, String> segmentMap;
    private final MapHandler handler = new MapHandler();
    private final ClassTag<Map<String, Object>> tag = ClassTag$.MODULE$.apply(Map.class);
    private final ObjectMapper json = new ObjectMapper();
    private final boolean variable;
    private final int recordLength;
    private final int segOffset;
    private final int segLength;
    private final String key;
    /** The last run's clock: from the first record read (producer constructed) to the last acknowledgement. */
    long startNanos, startCpuNanos, endNanos, endCpuNanos;

    Job(Map<String, String> a, Group ast, Map<String, String> segmentMap) {
      this.a = a;
      this.ast = ast;
      this.segmentMap = segmentMap;
      // Banyan writes packed and zoned decimals as exact decimal strings: the same here.
      json.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
      variable = a.get("format").equals("V");
      recordLength = Integer.parseInt(a.get("record-length"));
      segOffset = a.containsKey("seg-offset") ? Integer.parseInt(a.get("seg-offset")) : -1;
      segLength = a.containsKey("seg-length") ? Integer.parseInt(a.get("seg-length")) : 0;
      key = a.get("key");
    }

    long[] run(String topic, long limit) throws Exception {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("brokers"));
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "banyan-bench-jvm");
      AtomicLong acked = new AtomicLong();
      AtomicReference<Exception> failure = new AtomicReference<>();
      long records = 0, bytes = 0, offset = 0;
      byte[] bridge = a.get("bridge").getBytes(StandardCharsets.UTF_8);
      byte[] mapping = a.get("mapping").getBytes(StandardCharsets.UTF_8);
      byte[] mappingVersion = a.get("mapping-version").getBytes(StandardCharsets.UTF_8);
      byte[] copybookSha = a.get("copybook-sha256").getBytes(StandardCharsets.UTF_8);
      byte[] fileName = a.get("file-name").getBytes(StandardCharsets.UTF_8);
      String fileKey = a.get("file-key");
      String eventIdPrefix = a.get("bridge") + "/";
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
           DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(a.get("data")), 1 << 16))) {
        startCpuNanos = CobrixDecodeBench.processCpuNanos();
        startNanos = System.nanoTime();
        while (records < limit) {
          int length;
          if (variable) {
            int rdw;
            try {
              rdw = in.readInt();
            } catch (EOFException end) {
              break;
            }
            length = (rdw >>> 16) - 4; // IBM RDW: big-endian length including its own 4 bytes
            offset += 4;
          } else {
            length = recordLength;
          }
          byte[] data = new byte[length];
          if (in.readNBytes(data, 0, length) < length) break;
          offset += length;
          records++;
          bytes += length;
          String segment = segOffset >= 0 ? segmentMap.getOrDefault(CobrixDecodeBench.ebcdicDigitsAndLetters(data, segOffset, segLength).trim(), "") : "";
          Seq<Object> row = RecordExtractors.extractRecord(ast, data, 0,
              RecordExtractors.extractRecord$default$4(), false, false, false,
              RecordExtractors.extractRecord$default$8(), 0, records, segment, false, "", handler, tag);
          @SuppressWarnings("unchecked")
          Map<String, Object> value = (Map<String, Object>) row.apply(0);
          Object k = value.get(key);
          String position = fileKey + "@" + offset;
          RecordHeaders headers = new RecordHeaders();
          headers.add("banyan-file", fileName);
          headers.add("banyan-event-id", (eventIdPrefix + position).getBytes(StandardCharsets.UTF_8));
          headers.add("banyan-bridge", bridge);
          headers.add("banyan-source-position", position.getBytes(StandardCharsets.UTF_8));
          headers.add("banyan-record-number", Long.toString(records).getBytes(StandardCharsets.UTF_8));
          headers.add("banyan-mapping", mapping);
          headers.add("banyan-mapping-version", mappingVersion);
          headers.add("banyan-copybook-sha256", copybookSha);
          producer.send(new ProducerRecord<>(topic, null, k == null ? null : k.toString(), json.writeValueAsBytes(value), headers), (md, err) -> {
            if (err != null) failure.compareAndSet(null, err);
            else acked.incrementAndGet();
          });
        }
        producer.flush();
        endNanos = System.nanoTime();
        endCpuNanos = CobrixDecodeBench.processCpuNanos();
      }
      if (failure.get() != null) throw failure.get();
      if (acked.get() != records) throw new IllegalStateException("acknowledged " + acked.get() + " of " + records + " records");
      return new long[] {records, bytes, acked.get()};
    }
  }
}
