package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import javax.jms.InvalidSelectorRuntimeException;
import javax.jms.JMSConsumer;
import javax.jms.JMSContext;
import javax.jms.JMSProducer;
import javax.jms.Message;
import javax.jms.Queue;
import javax.jms.Topic;
import org.junit.jupiter.api.Test;

/** Message selectors (JMS 2.0 §3.8.1) on properties and headers, on a queue and on a topic. */
class SelectorTest {

  private static List<Integer> drain(JMSConsumer consumer) {
    List<Integer> seen = new ArrayList<>();
    Message m;
    while ((m = consumer.receive(seen.isEmpty() ? Broker.ARRIVES_MS : Broker.ABSENT_MS)) != null) {
      try {
        seen.add(m.getIntProperty("n"));
      } catch (javax.jms.JMSException e) {
        throw new AssertionError(e);
      }
    }
    // Priorities differ (JMS 2.0 §3.4.10: higher first, best effort): compare as sets in order.
    seen.sort(null);
    return seen;
  }

  private static void sendTen(JMSContext context, javax.jms.Destination destination) {
    JMSProducer producer = context.createProducer();
    for (int n = 0; n < 10; n++) {
      producer
          .setProperty("n", n)
          .setProperty("colour", n % 2 == 0 ? "red" : "blue")
          .setProperty("weight", n * 1.5)
          .setJMSType(n < 5 ? "small" : "large")
          .setPriority(n % 10)
          .send(destination, "m" + n);
    }
  }

  @Test
  void queueConsumerGetsOnlyMatchingMessagesAndTheRestStay() {
    try (JMSContext context = Broker.factory().createContext()) {
      Queue queue = context.createQueue(Broker.unique("selector"));
      sendTen(context, queue);
      try (JMSConsumer red = context.createConsumer(queue, "colour = 'red' AND weight > 3.0")) {
        assertEquals(List.of(4, 6, 8), drain(red));
      }
      try (JMSConsumer headers = context.createConsumer(queue, "JMSType = 'small' AND JMSPriority BETWEEN 1 AND 3")) {
        assertEquals(List.of(1, 2, 3), drain(headers));
      }
      try (JMSConsumer rest = context.createConsumer(queue, "(colour IN ('red', 'green') AND n < 3) OR colour LIKE 'bl_e' OR missing IS NOT NULL")) {
        assertEquals(List.of(0, 5, 7, 9), drain(rest));
      }
      try (JMSConsumer all = context.createConsumer(queue)) {
        assertNull(all.receive(Broker.ABSENT_MS), "every message was taken by a matching consumer");
      }
    }
  }

  @Test
  void topicSubscriberGetsOnlyMatchingMessages() {
    try (JMSContext context = Broker.factory().createContext()) {
      Topic topic = context.createTopic(Broker.unique("selector-topic"));
      try (JMSConsumer blue = context.createConsumer(topic, "colour <> 'red' AND NOT (n >= 7)")) {
        sendTen(context, topic);
        assertEquals(List.of(1, 3, 5), drain(blue));
      }
    }
  }

  @Test
  void invalidSelectorIsRefused() {
    try (JMSContext context = Broker.factory().createContext()) {
      Queue queue = context.createQueue(Broker.unique("selector-bad"));
      assertThrows(InvalidSelectorRuntimeException.class, () -> context.createConsumer(queue, "colour = 'red' AND"));
    }
  }
}
