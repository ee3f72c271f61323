// The test broker's entry point: Artemis's own EmbeddedActiveMQ on the broker.xml that
// test/support/artemis.ts writes (AMQP acceptor, journal dir, address settings). Prints one
// line when started so the launcher knows the JVM got that far; readiness is an AMQP open.
// SIGTERM runs the shutdown hook (orderly stop); SIGKILL is the crash the restart test wants.
import java.io.File;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

public final class BanyanArtemis {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BanyanArtemis <broker.xml>");
      System.exit(2);
    }
    EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    server.setConfigResourcePath(new File(args[0]).getAbsoluteFile().toURI().toString());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    System.out.println("banyan-artemis started");
    System.out.flush();
    Thread.currentThread().join();
  }
}
