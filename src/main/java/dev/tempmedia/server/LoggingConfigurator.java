package dev.tempmedia.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging set up in code rather than from a logback.xml: reading XML loads a parser and a few hundred
 * classes, a fifth of the start time. Logs go to stderr so stdout stays for what commands print; the
 * level comes from {@code TEMPMEDIA_LOG_LEVEL} (default INFO). An operator who passes
 * {@code -Dlogback.configurationFile=…} gets their own file instead, and so does a project that has
 * the server on its test class path (the JUnit harness, {@code tempmedia-testing}) with a
 * {@code logback-test.xml} or {@code logback.xml} of its own: this jar never overrides them.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{20} %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null || ownFileOnClassPath()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();

    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("TEMPMEDIA_LOG_LEVEL"), Level.INFO));
    root.addAppender(stderr);
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether the class path holds a logback file of the application's own, which logback reads next. */
  private static boolean ownFileOnClassPath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LoggingConfigurator.class.getClassLoader();
    }
    return loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }
}
