import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.Destination;
import javax.jms.JMSContext;
import javax.jms.JMSConsumer;
import javax.jms.JMSProducer;
import javax.jms.MapMessage;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.TextMessage;
import javax.jms.Topic;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The Java side of Banyan's JMS AMQP interop test and bench (issue 17): plain JMS 2.0 on Qpid JMS.
 * Broker from env BANYAN_JMS_URL, BANYAN_JMS_USER, BANYAN_JMS_PASSWORD. Output: one JSON object per
 * line on stdout (test/support/jms-driver.ts reads them).
 *
 *   send    queue|topic NAME COUNT            the interop messages 0..COUNT-1 (see interopMessage)
 *   receive queue|topic NAME COUNT TIMEOUT_MS {"ready":true} once subscribed, then one line per message
 *   bench   NAME PRODUCERS CONSUMERS MESSAGES BYTES   persistent sends + receives, one result line
 */
public final class JmsDriver {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "send" -> send(args[1], args[2], Integer.parseInt(args[3]));
      case "receive" -> receive(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
      case "bench" -> bench(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.out.flush();
    System.exit(0);
  }

  static JmsConnectionFactory factory() {
    String url = System.getenv("BANYAN_JMS_URL");
    if (url == null || url.isEmpty()) throw new IllegalStateException("BANYAN_JMS_URL is not set");
    JmsConnectionFactory factory = new JmsConnectionFactory(url);
    String user = System.getenv("BANYAN_JMS_USER");
    if (user != null && !user.isEmpty()) {
      factory.setUsername(user);
      factory.setPassword(System.getenv("BANYAN_JMS_PASSWORD"));
    }
    return factory;
  }

  static Destination destination(JMSContext context, String kind, String name) {
    return kind.equals("topic") ? context.createTopic(name) : context.createQueue(name);
  }

  // --- interop ---

  /** Message i of the interop set; test/integration/jms/amqp/interop.test.ts builds the same on the Node side. */
  static Message interopMessage(JMSContext context, int i) throws Exception {
    Message m;
    switch (i % 3) {
      case 0 -> m = context.createTextMessage("text " + i + " grüße, 世界 \uD83D\uDE00");
      case 1 -> {
        BytesMessage b = context.createBytesMessage();
        byte[] bytes = new byte[16 + i];
        for (int k = 0; k < bytes.length; k++) bytes[k] = (byte) (i * 31 + k);
        b.writeBytes(bytes);
        m = b;
      }
      default -> {
        MapMessage map = context.createMapMessage();
        map.setBoolean("boolean", i % 2 == 0);
        map.setByte("byte", (byte) -7);
        map.setShort("short", (short) -300);
        map.setChar("char", 'λ');
        map.setInt("int", i);
        map.setLong("long", -9007199254740993L);
        map.setFloat("float", 3.25f);
        map.setDouble("double", Math.PI);
        map.setString("string", "entry " + i);
        map.setBytes("bytes", new byte[] {0, 1, (byte) 0xFF});
        m = map;
      }
    }
    m.setIntProperty("seq", i);
    m.setBooleanProperty("pBoolean", i % 2 == 1);
    m.setByteProperty("pByte", Byte.MIN_VALUE);
    m.setShortProperty("pShort", Short.MAX_VALUE);
    m.setIntProperty("pInt", Integer.MIN_VALUE);
    m.setLongProperty("pLong", Long.MAX_VALUE);
    m.setFloatProperty("pFloat", 0.1f);
    m.setDoubleProperty("pDouble", -1.5e300);
    m.setStringProperty("pString", "grüße " + i);
    m.setJMSCorrelationID("corr-" + i);
    m.setJMSType("type-" + (i % 3));
    return m;
  }

  /** 9 for messages 0..2, 8 for 3..5, ..., 0 from 27 on. */
  static int priorityOf(int i) {
    return Math.max(0, 9 - i / 3);
  }

  static void send(String kind, String name, int count) throws Exception {
    try (JMSContext context = factory().createContext()) {
      Destination d = destination(context, kind, name);
      for (int i = 0; i < count; i++) {
        Message m = interopMessage(context, i);
        // The priority is the producer's (JMSProducer.send overwrites the message's header). It falls
        // with i: a broker may deliver higher priorities first, and that must keep the send order.
        context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setPriority(priorityOf(i)).send(d, m);
        line("{\"sent\":" + i + ",\"messageId\":" + str(m.getJMSMessageID()) + "}");
      }
    }
  }

  static void receive(String kind, String name, int count, long timeoutMs) throws Exception {
    try (JMSContext context = factory().createContext()) {
      JMSConsumer consumer = context.createConsumer(destination(context, kind, name));
      line("{\"ready\":true}");
      int got = 0;
      while (got < count) {
        Message m = consumer.receive(timeoutMs);
        if (m == null) break;
        line(describe(m));
        got++;
      }
      line("{\"done\":" + got + "}");
    }
  }

  /** What a message carries, each typed value as {"type": Java class, "value": String.valueOf}. */
  static String describe(Message m) throws Exception {
    StringBuilder out = new StringBuilder("{");
    if (m instanceof TextMessage t) out.append("\"kind\":\"text\",\"text\":").append(str(t.getText()));
    else if (m instanceof BytesMessage b) {
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      out.append("\"kind\":\"bytes\",\"bytes\":").append(str(hex(bytes)));
    } else if (m instanceof MapMessage map) {
      out.append("\"kind\":\"map\",\"map\":{");
      List<String> names = new ArrayList<>();
      for (Enumeration<?> e = map.getMapNames(); e.hasMoreElements();) names.add((String) e.nextElement());
      Collections.sort(names);
      for (int k = 0; k < names.size(); k++) out.append(k == 0 ? "" : ",").append(str(names.get(k))).append(':').append(typed(map.getObject(names.get(k))));
      out.append('}');
    } else out.append("\"kind\":").append(str(m.getClass().getSimpleName()));
    out.append(",\"properties\":{");
    List<String> names = new ArrayList<>();
    for (Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements();) names.add((String) e.nextElement());
    Collections.sort(names);
    boolean first = true;
    for (String n : names) {
      if (n.startsWith("JMSX")) continue; // provider-set (JMSXDeliveryCount): not what the sender set
      out.append(first ? "" : ",").append(str(n)).append(':').append(typed(m.getObjectProperty(n)));
      first = false;
    }
    out.append("},\"correlationId\":").append(str(m.getJMSCorrelationID()));
    out.append(",\"type\":").append(str(m.getJMSType()));
    out.append(",\"priority\":").append(m.getJMSPriority());
    out.append(",\"persistent\":").append(m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT);
    out.append(",\"messageId\":").append(str(m.getJMSMessageID()));
    Destination d = m.getJMSDestination();
    String dest = d instanceof Queue q ? "queue:" + q.getQueueName() : d instanceof Topic t ? "topic:" + t.getTopicName() : String.valueOf(d);
    out.append(",\"destination\":").append(str(dest));
    return out.append('}').toString();
  }

  static String typed(Object v) {
    String value = v instanceof byte[] bytes ? hex(bytes) : String.valueOf(v);
    return "{\"type\":" + str(v == null ? "null" : v.getClass().getSimpleName()) + ",\"value\":" + str(value) + "}";
  }

  // --- bench ---

  /**
   * PRODUCERS connections sending MESSAGES persistent BytesMessages of BYTES in total (a send
   * returns once the broker settled it), CONSUMERS connections receiving them (AUTO_ACKNOWLEDGE).
   * Latency: System.nanoTime() at send (property sentNanos) to receive, same JVM.
   */
  static void bench(String name, int producers, int consumers, int messages, int size) throws Exception {
    JmsConnectionFactory factory = factory();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    java.util.concurrent.atomic.AtomicIntegerArray seen = new java.util.concurrent.atomic.AtomicIntegerArray(messages);
    long[] latencies = new long[messages];
    CountDownLatch allIn = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      Connection connection = factory.createConnection();
      connections.add(connection);
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = session.createConsumer(session.createQueue(name));
      consumer.setMessageListener(m -> {
        try {
          long latency = System.nanoTime() - m.getLongProperty("sentNanos");
          // A redelivery (e.g. a rebalance between the two consumers of the queue's group) is
          // counted apart: completion and latency are over distinct messages.
          if (seen.getAndSet(m.getIntProperty("seq"), 1) == 1) {
            duplicates.incrementAndGet();
            return;
          }
          int n = received.getAndIncrement();
          latencies[n] = latency;
          if (n + 1 == messages) allIn.countDown();
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          allIn.countDown();
        }
      });
      connection.start();
    }
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    AtomicInteger next = new AtomicInteger();
    long cpu0 = cpuNanos();
    long started = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Connection connection = factory.createConnection();
      connections.add(connection);
      Thread t = new Thread(() -> {
        try {
          Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
          MessageProducer producer = session.createProducer(session.createQueue(name));
          producer.setDeliveryMode(DeliveryMode.PERSISTENT);
          int seq;
          while ((seq = next.getAndIncrement()) < messages) {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setIntProperty("seq", seq);
            m.setLongProperty("sentNanos", System.nanoTime());
            producer.send(m);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          allIn.countDown();
        }
      });
      threads.add(t);
      t.start();
    }
    boolean complete = allIn.await(10, TimeUnit.MINUTES);
    long elapsed = System.nanoTime() - started;
    long cpu = cpuNanos() - cpu0;
    for (Thread t : threads) t.join(60_000);
    for (Connection c : connections) c.close();
    if (failure.get() != null) throw new RuntimeException("bench failed", failure.get());
    if (!complete) throw new IllegalStateException("only " + received.get() + " of " + messages + " messages arrived in 10 minutes");
    Arrays.sort(latencies);
    line("{\"messages\":" + messages + ",\"received\":" + received.get() + ",\"duplicates\":" + duplicates.get() + ",\"elapsedNanos\":" + elapsed
        + ",\"p50Nanos\":" + latencies[messages / 2] + ",\"p99Nanos\":" + latencies[Math.min(messages - 1, (int) (messages * 0.99))]
        + ",\"clientCpuNanos\":" + cpu + "}");
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  // --- output ---

  static synchronized void line(String json) {
    System.out.println(json);
    System.out.flush();
  }

  static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) s.append(String.format("%02x", b));
    return s.toString();
  }

  static String str(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') out.append('\\').append(ch);
      else if (ch < 0x20 || ch > 0x7e) out.append(String.format("\\u%04x", (int) ch));
      else out.append(ch);
    }
    return out.append('"').toString();
  }
}
