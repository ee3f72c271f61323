package dev.banyan.jms.conformance;

import java.util.UUID;
import javax.jms.ConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The broker under test, from the environment: BANYAN_JMS_URL (a Qpid JMS connection URI such as
 * amqp://127.0.0.1:5672), BANYAN_JMS_USER and BANYAN_JMS_PASSWORD (optional: SASL ANONYMOUS without).
 * Every test uses destinations of its own (a random suffix), so runs against a shared, persistent
 * broker never see each other's messages.
 */
final class Broker {
  /** How long a receive waits for a message that must come (generous: a busy 2-core CI machine). */
  static final long ARRIVES_MS = 20_000;
  /** How long a receive waits to show that a message does not come. */
  static final long ABSENT_MS = 1_500;

  private Broker() {}

  static ConnectionFactory factory() {
    return factory(null);
  }

  /** A factory whose connections carry this JMS clientID (null: Qpid JMS generates one). */
  static ConnectionFactory factory(String clientId) {
    String url = System.getenv("BANYAN_JMS_URL");
    if (url == null || url.isEmpty()) throw new IllegalStateException("BANYAN_JMS_URL is not set");
    JmsConnectionFactory factory = new JmsConnectionFactory(url);
    String user = System.getenv("BANYAN_JMS_USER");
    if (user != null && !user.isEmpty()) {
      factory.setUsername(user);
      factory.setPassword(System.getenv("BANYAN_JMS_PASSWORD"));
    }
    if (clientId != null) factory.setClientID(clientId);
    return factory;
  }

  /** A name no other test or run uses. */
  static String unique(String what) {
    return "conformance." + what + "." + UUID.randomUUID().toString().substring(0, 8);
  }
}
