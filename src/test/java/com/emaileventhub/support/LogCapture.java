package com.emaileventhub.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The lines one logger writes while a test runs (Logback), for assertions on what an operator would read. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level levelBefore;

    private LogCapture(Class<?> source, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        this.levelBefore = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        appender.start();
        logger.addAppender(appender);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(source, null);
    }

    /** The logger at DEBUG while the capture is open, as an operator sets it with hub.log.level.NAME = DEBUG. */
    public static LogCapture atDebug(Class<?> source) {
        return new LogCapture(source, Level.DEBUG);
    }

    /** Formatted messages at DEBUG. */
    public List<String> debugLines() {
        return appender.list.stream().filter(e -> e.getLevel() == Level.DEBUG).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Formatted messages at WARN or above. */
    public List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** A captured line at WARN or above with the logging context (MDC) it was written in. */
    public record Line(String message, Map<String, String> context) {
    }

    /** Lines at WARN or above, each with its MDC. */
    public List<Line> warningLines() {
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> new Line(e.getFormattedMessage(), Map.copyOf(e.getMDCPropertyMap())))
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(levelBefore);
    }
}
