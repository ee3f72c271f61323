package dev.banyan.jms.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import javax.jms.BytesMessage;
import javax.jms.DeliveryMode;
import javax.jms.JMSContext;
import javax.jms.MapMessage;
import javax.jms.Message;
import javax.jms.MessageEOFException;
import javax.jms.ObjectMessage;
import javax.jms.Queue;
import javax.jms.StreamMessage;
import javax.jms.TextMessage;
import org.junit.jupiter.api.Test;

/** The five JMS message types and every property type (JMS 2.0 §3.5.4, §3.11), each round trip through a queue. */
class MessageTypesTest {

  /** One property of every JMS type, extremes included, set on each message. */
  private static void setEveryPropertyType(Message m) throws Exception {
    m.setBooleanProperty("pBoolean", true);
    m.setByteProperty("pByte", Byte.MIN_VALUE);
    m.setShortProperty("pShort", Short.MAX_VALUE);
    m.setIntProperty("pInt", Integer.MIN_VALUE);
    m.setLongProperty("pLong", Long.MAX_VALUE);
    m.setFloatProperty("pFloat", 0.1f);
    m.setDoubleProperty("pDouble", -1.5e300);
    m.setStringProperty("pString", "grüße, 世界");
    m.setObjectProperty("pObjectInt", Integer.valueOf(42));
    m.setStringProperty("pEmpty", "");
  }

  private static void assertEveryPropertyType(Message m) throws Exception {
    assertInstanceOf(Boolean.class, m.getObjectProperty("pBoolean"));
    assertEquals(true, m.getBooleanProperty("pBoolean"));
    assertInstanceOf(Byte.class, m.getObjectProperty("pByte"));
    assertEquals(Byte.MIN_VALUE, m.getByteProperty("pByte"));
    assertInstanceOf(Short.class, m.getObjectProperty("pShort"));
    assertEquals(Short.MAX_VALUE, m.getShortProperty("pShort"));
    assertInstanceOf(Integer.class, m.getObjectProperty("pInt"));
    assertEquals(Integer.MIN_VALUE, m.getIntProperty("pInt"));
    assertInstanceOf(Long.class, m.getObjectProperty("pLong"));
    assertEquals(Long.MAX_VALUE, m.getLongProperty("pLong"));
    assertInstanceOf(Float.class, m.getObjectProperty("pFloat"));
    assertEquals(0.1f, m.getFloatProperty("pFloat"));
    assertInstanceOf(Double.class, m.getObjectProperty("pDouble"));
    assertEquals(-1.5e300, m.getDoubleProperty("pDouble"));
    assertEquals("grüße, 世界", m.getStringProperty("pString"));
    assertEquals(42, m.getObjectProperty("pObjectInt"));
    assertEquals("", m.getStringProperty("pEmpty"));
    // JMS 2.0 §3.5.4: a long property does not read as an int (narrowing is refused).
    assertThrows(javax.jms.MessageFormatException.class, () -> m.getIntProperty("pLong"));
  }

  private static Message roundTrip(JMSContext context, Message sent) throws Exception {
    Queue queue = context.createQueue(Broker.unique("types"));
    setEveryPropertyType(sent);
    sent.setJMSType("conformance-type");
    sent.setJMSCorrelationID("corr-" + queue.getQueueName());
    context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setPriority(7).send(queue, sent);
    Message received = context.createConsumer(queue).receive(Broker.ARRIVES_MS);
    assertNotNull(received, "the message arrived");
    assertEveryPropertyType(received);
    assertEquals("conformance-type", received.getJMSType());
    assertEquals("corr-" + queue.getQueueName(), received.getJMSCorrelationID());
    assertEquals(7, received.getJMSPriority());
    assertEquals(DeliveryMode.PERSISTENT, received.getJMSDeliveryMode());
    assertEquals(sent.getJMSMessageID(), received.getJMSMessageID());
    assertEquals(queue.getQueueName(), ((Queue) received.getJMSDestination()).getQueueName());
    return received;
  }

  @Test
  void textMessage() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      String text = "hello\u0000 world, ünïcødé \uD83D\uDE00";
      Message received = roundTrip(context, context.createTextMessage(text));
      assertEquals(text, assertInstanceOf(TextMessage.class, received).getText());
    }
  }

  @Test
  void bytesMessage() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      byte[] payload = new byte[4096];
      for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
      BytesMessage sent = context.createBytesMessage();
      sent.writeBytes(payload);
      BytesMessage received = assertInstanceOf(BytesMessage.class, roundTrip(context, sent));
      assertEquals(payload.length, received.getBodyLength());
      assertArrayEquals(payload, received.getBody(byte[].class));
    }
  }

  @Test
  void mapMessage() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      MapMessage sent = context.createMapMessage();
      sent.setBoolean("boolean", false);
      sent.setByte("byte", (byte) 7);
      sent.setShort("short", (short) -300);
      sent.setChar("char", 'λ');
      sent.setInt("int", 123456);
      sent.setLong("long", -9007199254740993L);
      sent.setFloat("float", 3.25f);
      sent.setDouble("double", Math.PI);
      sent.setString("string", "text");
      sent.setBytes("bytes", new byte[] {0, 1, (byte) 0xFF});
      MapMessage received = assertInstanceOf(MapMessage.class, roundTrip(context, sent));
      assertEquals(false, received.getBoolean("boolean"));
      assertEquals((byte) 7, received.getByte("byte"));
      assertEquals((short) -300, received.getShort("short"));
      assertEquals('λ', received.getChar("char"));
      assertEquals(123456, received.getInt("int"));
      assertEquals(-9007199254740993L, received.getLong("long"));
      assertEquals(3.25f, received.getFloat("float"));
      assertEquals(Math.PI, received.getDouble("double"));
      assertEquals("text", received.getString("string"));
      assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, received.getBytes("bytes"));
      assertInstanceOf(Short.class, received.getObject("short"));
    }
  }

  @Test
  void streamMessage() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      StreamMessage sent = context.createStreamMessage();
      sent.writeBoolean(true);
      sent.writeByte((byte) -1);
      sent.writeShort((short) 1000);
      sent.writeChar('Z');
      sent.writeInt(-5);
      sent.writeLong(Long.MIN_VALUE);
      sent.writeFloat(-0.5f);
      sent.writeDouble(1e-300);
      sent.writeString("last but one");
      sent.writeBytes(new byte[] {9, 8, 7});
      StreamMessage received = assertInstanceOf(StreamMessage.class, roundTrip(context, sent));
      assertEquals(true, received.readBoolean());
      assertEquals((byte) -1, received.readByte());
      assertEquals((short) 1000, received.readShort());
      assertEquals('Z', received.readChar());
      assertEquals(-5, received.readInt());
      assertEquals(Long.MIN_VALUE, received.readLong());
      assertEquals(-0.5f, received.readFloat());
      assertEquals(1e-300, received.readDouble());
      assertEquals("last but one", received.readString());
      byte[] bytes = new byte[3];
      assertEquals(3, received.readBytes(bytes));
      assertArrayEquals(new byte[] {9, 8, 7}, bytes);
      // JMS 2.0 StreamMessage.readBytes: a field that filled the array ends with a call returning -1.
      assertEquals(-1, received.readBytes(bytes));
      assertThrows(MessageEOFException.class, received::readBoolean);
    }
  }

  @Test
  void objectMessage() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      ArrayList<String> value = new ArrayList<>(List.of("a", "b", "ç"));
      ObjectMessage received = assertInstanceOf(ObjectMessage.class, roundTrip(context, context.createObjectMessage(value)));
      assertEquals(value, received.getObject());
    }
  }

  @Test
  void messageWithoutBody() throws Exception {
    try (JMSContext context = Broker.factory().createContext()) {
      Message received = roundTrip(context, context.createMessage());
      assertEquals(false, received instanceof TextMessage || received instanceof BytesMessage || received instanceof MapMessage
          || received instanceof StreamMessage || received instanceof ObjectMessage, "a plain Message");
      assertEquals(null, received.getBody(Object.class));
    }
  }
}
