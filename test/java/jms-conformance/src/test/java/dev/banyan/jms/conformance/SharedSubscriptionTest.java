package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import javax.jms.JMSConsumer;
import javax.jms.JMSContext;
import javax.jms.Message;
import javax.jms.Topic;
import org.junit.jupiter.api.Test;

/** Shared subscriptions (JMS 2.0 §8.3.3, §8.3.4): the consumers of one subscription share its messages. */
class SharedSubscriptionTest {

  private static int take(JMSConsumer consumer, Set<String> seen) throws Exception {
    int count = 0;
    Message m;
    while ((m = consumer.receive(Broker.ABSENT_MS)) != null) {
      assertTrue(seen.add(m.getBody(String.class)), "no message twice: " + m.getBody(String.class));
      count++;
    }
    return count;
  }

  private static void balances(boolean durable) throws Exception {
    String topicName = Broker.unique("shared-topic");
    String subscription = "shared-" + topicName.substring(topicName.length() - 8);
    try (JMSContext a = Broker.factory().createContext(); JMSContext b = Broker.factory().createContext()) {
      Topic topic = a.createTopic(topicName);
      // Small prefetch, so neither consumer takes everything the moment it attaches.
      JMSConsumer first = durable ? a.createSharedDurableConsumer(topic, subscription) : a.createSharedConsumer(topic, subscription);
      JMSConsumer second = durable ? b.createSharedDurableConsumer(topic, subscription) : b.createSharedConsumer(topic, subscription);
      JMSConsumer unshared = b.createConsumer(topic);
      int total = 40;
      for (int i = 0; i < total; i++) a.createProducer().send(topic, "m" + i);

      Set<String> seen = new HashSet<>();
      // Alternate receives: a consumer that is asked gets a share, the other keeps its own.
      int fromFirst = 0;
      int fromSecond = 0;
      for (int i = 0; i < total && seen.size() < total; i++) {
        Message m1 = first.receive(Broker.ABSENT_MS);
        if (m1 != null) {
          assertTrue(seen.add(m1.getBody(String.class)));
          fromFirst++;
        }
        Message m2 = second.receive(Broker.ABSENT_MS);
        if (m2 != null) {
          assertTrue(seen.add(m2.getBody(String.class)));
          fromSecond++;
        }
      }
      fromFirst += take(first, seen);
      fromSecond += take(second, seen);
      assertEquals(total, seen.size(), "every message reached the subscription once");
      assertTrue(fromFirst > 0 && fromSecond > 0, "both consumers got a share: " + fromFirst + " / " + fromSecond);
      // A non-shared subscriber on the same topic gets its own copy of everything.
      Set<String> own = new HashSet<>();
      assertEquals(total, take(unshared, own));
      first.close();
      second.close();
      if (durable) a.unsubscribe(subscription);
    }
  }

  @Test
  void sharedNonDurableSubscriptionBalances() throws Exception {
    balances(false);
  }

  @Test
  void sharedDurableSubscriptionBalances() throws Exception {
    balances(true);
  }
}
