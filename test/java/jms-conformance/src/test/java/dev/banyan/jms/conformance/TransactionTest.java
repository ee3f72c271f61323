package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.jms.JMSConsumer;
import javax.jms.JMSContext;
import javax.jms.Message;
import javax.jms.Queue;
import org.junit.jupiter.api.Test;

/** Transacted sessions (JMS 2.0 §6.2.7): sends and receives take effect on commit, none on rollback. */
class TransactionTest {

  @Test
  void sendsAreInvisibleUntilCommitAndDiscardedOnRollback() throws Exception {
    try (JMSContext tx = Broker.factory().createContext(JMSContext.SESSION_TRANSACTED);
        JMSContext reader = Broker.factory().createContext()) {
      Queue queue = tx.createQueue(Broker.unique("tx-send"));
      JMSConsumer consumer = reader.createConsumer(queue);
      tx.createProducer().send(queue, "rolled back");
      tx.rollback();
      tx.createProducer().send(queue, "committed 1");
      tx.createProducer().send(queue, "committed 2");
      assertNull(consumer.receive(Broker.ABSENT_MS), "nothing visible before commit");
      tx.commit();
      assertEquals("committed 1", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));
      assertEquals("committed 2", consumer.receive(Broker.ARRIVES_MS).getBody(String.class));
      assertNull(consumer.receive(Broker.ABSENT_MS), "the rolled back send never arrives");
    }
  }

  @Test
  void receivesAreRedeliveredAfterRollbackAndGoneAfterCommit() throws Exception {
    try (JMSContext tx = Broker.factory().createContext(JMSContext.SESSION_TRANSACTED);
        JMSContext writer = Broker.factory().createContext()) {
      Queue queue = tx.createQueue(Broker.unique("tx-receive"));
      writer.createProducer().send(queue, "a");
      writer.createProducer().send(queue, "b");
      JMSConsumer consumer = tx.createConsumer(queue);
      Message a = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(a);
      assertFalse(a.getJMSRedelivered());
      tx.rollback();

      Message again = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(again, "redelivered after rollback");
      assertEquals("a", again.getBody(String.class));
      assertTrue(again.getJMSRedelivered());
      Message b = consumer.receive(Broker.ARRIVES_MS);
      assertEquals("b", b.getBody(String.class));
      tx.commit();
      consumer.close();

      try (JMSConsumer after = writer.createConsumer(queue)) {
        assertNull(after.receive(Broker.ABSENT_MS), "committed receives are consumed");
      }
    }
  }

  @Test
  void consumeAndProduceCommitTogether() throws Exception {
    try (JMSContext tx = Broker.factory().createContext(JMSContext.SESSION_TRANSACTED);
        JMSContext other = Broker.factory().createContext()) {
      Queue in = tx.createQueue(Broker.unique("tx-in"));
      Queue out = tx.createQueue(Broker.unique("tx-out"));
      other.createProducer().send(in, "work");
      JMSConsumer consumer = tx.createConsumer(in);
      Message work = consumer.receive(Broker.ARRIVES_MS);
      assertNotNull(work);
      tx.createProducer().send(out, "done: " + work.getBody(String.class));
      tx.commit();
      assertEquals("done: work", other.createConsumer(out).receive(Broker.ARRIVES_MS).getBody(String.class));
      consumer.close();
      assertNull(other.createConsumer(in).receive(Broker.ABSENT_MS), "the input was consumed in the same transaction");
    }
  }
}
