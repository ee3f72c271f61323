package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.jms.Connection;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;
import org.junit.jupiter.api.Test;

/** CLIENT_ACKNOWLEDGE and Session.recover (JMS 2.0 §6.2.10, §6.2.11, §3.5.11 JMSXDeliveryCount). */
class AcknowledgementTest {

  @Test
  void recoverRedeliversUnacknowledgedMessagesMarkedRedelivered() throws Exception {
    Connection connection = Broker.factory().createConnection();
    try {
      connection.start();
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue queue = session.createQueue(Broker.unique("client-ack"));
      MessageProducer producer = session.createProducer(queue);
      for (int i = 0; i < 3; i++) producer.send(session.createTextMessage("m" + i));
      MessageConsumer consumer = session.createConsumer(queue);

      for (int i = 0; i < 3; i++) {
        Message m = consumer.receive(Broker.ARRIVES_MS);
        assertNotNull(m);
        assertEquals("m" + i, m.getBody(String.class));
        assertFalse(m.getJMSRedelivered(), "first delivery");
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
      }
      session.recover();

      Message last = null;
      for (int i = 0; i < 3; i++) {
        last = consumer.receive(Broker.ARRIVES_MS);
        assertNotNull(last, "redelivered after recover");
        assertEquals("m" + i, last.getBody(String.class), "in the original order");
        assertTrue(last.getJMSRedelivered(), "JMSRedelivered after recover");
        assertEquals(2, last.getIntProperty("JMSXDeliveryCount"));
      }
      // Acknowledging one message acknowledges every message the session consumed.
      last.acknowledge();
      consumer.close();
      MessageConsumer again = session.createConsumer(queue);
      assertNull(again.receive(Broker.ABSENT_MS), "acknowledged messages are gone");
    } finally {
      connection.close();
    }
  }

  @Test
  void closingWithoutAcknowledgeReturnsMessagesToTheQueue() throws Exception {
    Connection connection = Broker.factory().createConnection();
    try {
      connection.start();
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue queue = session.createQueue(Broker.unique("client-ack-close"));
      session.createProducer(queue).send(session.createTextMessage("unacked"));
      MessageConsumer consumer = session.createConsumer(queue);
      assertNotNull(consumer.receive(Broker.ARRIVES_MS));
      session.close();

      Session other = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Message again = other.createConsumer(queue).receive(Broker.ARRIVES_MS);
      assertNotNull(again, "the unacknowledged message came back");
      assertEquals("unacked", again.getBody(String.class));
      assertTrue(again.getJMSRedelivered());
    } finally {
      connection.close();
    }
  }
}
