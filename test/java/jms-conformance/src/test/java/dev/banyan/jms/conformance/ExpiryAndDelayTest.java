package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.jms.JMSConsumer;
import javax.jms.JMSContext;
import javax.jms.JMSProducer;
import javax.jms.Message;
import javax.jms.Queue;
import javax.jms.TextMessage;
import org.junit.jupiter.api.Test;

/** Message expiry (JMS 2.0 §4.8, JMSExpiration) and delivery delay (§7.9, JMSDeliveryTime). */
class ExpiryAndDelayTest {

  @Test
  void expiredMessagesAreNotDelivered() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      Queue queue = context.createQueue(Broker.unique("expiry"));
      JMSProducer producer = context.createProducer();
      TextMessage expiring = context.createTextMessage("expires");
      producer.setTimeToLive(200).send(queue, expiring);
      long sentAt = System.currentTimeMillis();
      assertTrue(expiring.getJMSExpiration() > 0, "JMSExpiration set by send");
      producer.setTimeToLive(0).send(queue, "stays");
      // Let the first one's time to live pass before anyone asks for it.
      Thread.sleep(Math.max(0, expiring.getJMSExpiration() - System.currentTimeMillis()) + 500);
      JMSConsumer consumer = context.createConsumer(queue);
      Message m = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(m);
      assertEquals("stays", m.getBody(String.class), "the expired message was skipped");
      assertEquals(0, m.getJMSExpiration());
      assertNull(consumer.receive(Broker.ABSENT_MS));
      assertTrue(System.currentTimeMillis() > sentAt);
    }
  }

  @Test
  void unexpiredMessageCarriesItsExpiration() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      Queue queue = context.createQueue(Broker.unique("expiry-later"));
      TextMessage sent = context.createTextMessage("later");
      context.createProducer().setTimeToLive(600_000).send(queue, sent);
      Message received = context.createConsumer(queue).receive(Broker.ARRIVES_MS);
      assertNotNull(received);
      assertEquals(sent.getJMSExpiration(), received.getJMSExpiration());
    }
  }

  @Test
  void delayedMessageArrivesNotBeforeItsDeliveryTime() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      Queue queue = context.createQueue(Broker.unique("delay"));
      JMSConsumer consumer = context.createConsumer(queue);
      TextMessage delayed = context.createTextMessage("delayed");
      context.createProducer().setDeliveryDelay(2_000).send(queue, delayed);
      context.createProducer().send(queue, "immediate");
      long deliveryTime = delayed.getJMSDeliveryTime();
      assertTrue(deliveryTime >= delayed.getJMSTimestamp() + 2_000, "JMSDeliveryTime = send time + delay");

      Message first = consumer.receive(Broker.ARRIVES_MS);
      assertEquals("immediate", first.getBody(String.class), "the undelayed message overtakes");
      Message second = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(second, "the delayed message arrives");
      assertEquals("delayed", second.getBody(String.class));
      assertTrue(System.currentTimeMillis() >= deliveryTime, "not before its delivery time");
    }
  }
}
