package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.jms.Connection;
import javax.jms.InvalidClientIDException;
import org.junit.jupiter.api.Test;

/** JMS 2.0 §6.1.2: a clientID is used by one connection at a time. */
class ClientIdTest {

  @Test
  void secondConnectionWithTheSameClientIdIsRefused() throws Exception {
    String clientId = Broker.unique("client-id");
    Connection first = Broker.factory(clientId).createConnection();
    try {
      first.start();
      assertEquals(clientId, first.getClientID());
      // Qpid JMS opens the connection at once when the factory sets a clientID: the refusal
      // (amqp:invalid-field on container-id) comes from createConnection or, at the latest, start.
      assertThrows(InvalidClientIDException.class, () -> {
        Connection second = Broker.factory(clientId).createConnection();
        try {
          second.start();
        } finally {
          second.close();
        }
      });
    } finally {
      first.close();
    }
    // Once the first connection is closed, the clientID is free again.
    Connection third = Broker.factory(clientId).createConnection();
    try {
      third.start();
      assertEquals(clientId, third.getClientID());
    } finally {
      third.close();
    }
  }
}
