package io.rstmdb.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The lines one class logs while this is open, for tests that check what an operator reads. */
public final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level level;
  private final boolean additive;

  /** Lowers the logger to INFO (tests log WARN and up) and keeps its lines off the console. */
  private CapturedLog(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    level = logger.getLevel();
    additive = logger.isAdditive();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
  }

  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  /** INFO and higher lines so far, formatted as the log shows them. */
  public List<String> infoLines() {
    // AppenderBase appends under the appender's own lock.
    synchronized (appender) {
      return appender.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  /** Waits up to 5 s for an INFO or higher line that matches. */
  public void await(Predicate<String> line) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (infoLines().stream().noneMatch(line)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such log line within 5 s; got " + infoLines());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    logger.setLevel(level);
    logger.setAdditive(additive);
    logger.detachAppender(appender);
    appender.stop();
  }
}
