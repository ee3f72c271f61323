package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import javax.jms.JMSConsumer;
import javax.jms.JMSContext;
import javax.jms.Message;
import javax.jms.Topic;
import org.junit.jupiter.api.Test;

/** Durable subscriptions (JMS 2.0 §8.3.2): messages published while the subscriber is away wait for it. */
class DurableSubscriptionTest {

  @Test
  void keepsMessagesAcrossReconnectUntilUnsubscribed() throws Exception {
    String clientId = Broker.unique("durable-client");
    String subscription = "sub-" + clientId.substring(clientId.length() - 8);
    String topicName = Broker.unique("durable-topic");

    try (JMSContext context = Broker.factory(clientId).createContext()) {
      Topic topic = context.createTopic(topicName);
      JMSConsumer consumer = context.createDurableConsumer(topic, subscription);
      context.createProducer().send(topic, "while connected");
      Message first = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(first);
      assertEquals("while connected", first.getBody(String.class));
      consumer.close();
      // Published with no consumer open: only the durable subscription keeps it.
      context.createProducer().send(topic, "while away 1");
      context.createProducer().send(topic, "while away 2");
    }

    try (JMSContext publisher = Broker.factory().createContext()) {
      publisher.createProducer().send(publisher.createTopic(topicName), "while disconnected");
    }

    try (JMSContext context = Broker.factory(clientId).createContext()) {
      Topic topic = context.createTopic(topicName);
      JMSConsumer consumer = context.createDurableConsumer(topic, subscription);
      assertEquals("while away 1", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));
      assertEquals("while away 2", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));
      assertEquals("while disconnected", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));
      assertNull(consumer.receive(Broker.ABSENT_MS), "each message once");
      consumer.close();
      context.unsubscribe(subscription);
      // After unsubscribe, a new subscription of that name starts empty.
      context.createProducer().send(topic, "before resubscribe");
      JMSConsumer fresh = context.createDurableConsumer(topic, subscription);
      assertNull(fresh.receive(Broker.ABSENT_MS), "the old subscription's messages are gone");
      fresh.close();
      context.unsubscribe(subscription);
    }
  }
}
