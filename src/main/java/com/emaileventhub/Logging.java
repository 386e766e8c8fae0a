package com.emaileventhub;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.emaileventhub.config.HubConfig;
import org.slf4j.LoggerFactory;

/** Applies the logging keys of application.properties to the Logback backend (src/main/resources/logback.xml). */
final class Logging {
    static final String FORMAT = "hub.log.format";
    private static final String LEVEL = "hub.log.level.";

    private Logging() {
    }

    /** Before the first logger exists: logback.xml reads the format as a system property. */
    static void format(HubConfig config) {
        String format = config.get(FORMAT, "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw HubConfig.invalid(FORMAT, "must be text or json");
        }
        System.setProperty(FORMAT, format);
    }

    /** hub.log.level.com.emaileventhub.destination = DEBUG; hub.log.level.root = WARN. */
    static void levels(HubConfig config) {
        config.asMap().keySet().stream().filter(k -> k.startsWith(LEVEL)).forEach(key -> {
            String name = key.substring(LEVEL.length());
            String value = config.get(key);
            if (value == null) {
                return;
            }
            Level level = Level.toLevel(value, null);
            if (level == null) {
                throw HubConfig.invalid(key, "not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF)");
            }
            Logger logger = (Logger) LoggerFactory.getLogger(name.equals("root") ? Logger.ROOT_LOGGER_NAME : name);
            logger.setLevel(level);
        });
    }
}
