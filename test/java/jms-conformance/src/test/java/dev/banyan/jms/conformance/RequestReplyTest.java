package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.jms.Connection;
import javax.jms.JMSContext;
import javax.jms.JMSConsumer;
import javax.jms.InvalidDestinationException;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;
import javax.jms.TemporaryQueue;
import javax.jms.TextMessage;
import org.junit.jupiter.api.Test;

/** Request/reply with a temporary queue (JMS 2.0 §4.4.3, §6.2.6). */
class RequestReplyTest {

  @Test
  void replierAnswersOnTheRequestersTemporaryQueue() throws Exception {
    try (JMSContext server = Broker.factory().createContext(); JMSContext client = Broker.factory().createContext()) {
      Queue service = server.createQueue(Broker.unique("service"));
      JMSConsumer requests = server.createConsumer(service);
      requests.setMessageListener(request -> {
        try {
          TextMessage reply = server.createTextMessage("re: " + ((TextMessage) request).getText());
          reply.setJMSCorrelationID(request.getJMSMessageID());
          server.createProducer().send(request.getJMSReplyTo(), reply);
        } catch (JMSException e) {
          throw new RuntimeException(e);
        }
      });

      TemporaryQueue replies = client.createTemporaryQueue();
      JMSConsumer replyConsumer = client.createConsumer(replies);
      for (int i = 0; i < 3; i++) {
        TextMessage request = client.createTextMessage("question " + i);
        request.setJMSReplyTo(replies);
        client.createProducer().send(service, request);
        Message reply = replyConsumer.receive(Broker.ARRIVES_MS);
        assertNotNull(reply, "reply " + i);
        assertEquals("re: question " + i, reply.getBody(String.class));
        assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
      }
    }
  }

  @Test
  void temporaryQueueBelongsToItsConnectionAndIsDeletedWhenUnused() throws Exception {
    Connection owner = Broker.factory().createConnection();
    Connection stranger = Broker.factory().createConnection();
    try {
      owner.start();
      Session session = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
      TemporaryQueue temporary = session.createTemporaryQueue();
      MessageProducer producer = session.createProducer(temporary);
      producer.send(session.createTextMessage("to myself"));
      MessageConsumer consumer = session.createConsumer(temporary);
      assertEquals("to myself", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));

      // JMS 2.0 §6.2.2: only the creating connection may consume from a temporary destination.
      Session other = stranger.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThrows(InvalidDestinationException.class, () -> other.createConsumer(temporary));
      // §6.2.6: deleting it while a consumer is open fails; once the consumer is closed it succeeds.
      assertThrows(JMSException.class, temporary::delete);
      consumer.close();
      producer.close();
      temporary.delete();
    } finally {
      stranger.close();
      owner.close();
    }
  }
}
