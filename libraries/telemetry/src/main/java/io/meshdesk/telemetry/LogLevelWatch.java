package io.meshdesk.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logmanager.LogContext;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.PrefixFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Log levels that ops change on a running function through etcd:
 * {@code /meshdesk/config/log-level/<function>} sets the root level,
 * {@code /meshdesk/config/log-level/<function>/<category>} one category. Deleting a key (or
 * letting the lease it was put with expire, for a debug window that ends by itself) returns
 * to the level the function was configured with. A value that is not a level is ignored with
 * a warning. When etcd is not there at start, it keeps trying in the background: logging
 * config must never keep a function from serving. The keys are followed by etcd's one
 * {@link PrefixFollower}; its listener runs one call at a time.
 */
@ApplicationScoped
public class LogLevelWatch implements PrefixFollower.Listener {

    public static final String PREFIX = "/meshdesk/config/log-level/";
    private static final Logger LOG = Logger.getLogger(LogLevelWatch.class);
    /** Stands for "no level of its own" among the remembered levels (a map holds no nulls). */
    private static final Level INHERITED = new Level("INHERITED", Integer.MIN_VALUE) {
        private static final long serialVersionUID = 1L;
    };

    private final BlockingEtcd etcd;
    private final String base;
    private final boolean enabled;
    private final Map<String, Level> configured = new ConcurrentHashMap<>();
    private volatile PrefixFollower follower;

    LogLevelWatch(
            BlockingEtcd etcd,
            @ConfigProperty(name = "quarkus.application.name") String function,
            @ConfigProperty(name = "meshdesk.log-levels.from-etcd", defaultValue = "true") boolean enabled) {
        this.etcd = etcd;
        this.base = PREFIX + function;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent start) {
        if (enabled) {
            follower = PrefixFollower.start(etcd, base, this);
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        if (follower != null) {
            follower.close();
        }
    }

    /** The keys as they are: at start, and again should etcd compact what the watch missed. */
    @Override
    public void snapshot(List<KeyValue> kvs, long revision) {
        Set<String> present = new HashSet<>();
        for (KeyValue kv : kvs) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            present.add(category(key));
            changed(key, kv.getValue().toString(StandardCharsets.UTF_8));
        }
        for (String category : List.copyOf(configured.keySet())) {
            if (!present.contains(category)) {
                removed(category.isEmpty() ? base : base + "/" + category);
            }
        }
        LOG.debugf("following log levels under %s from revision %d", base, revision);
    }

    @Override
    public void changed(WatchEvent event) {
        String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
        if (event.getEventType() == WatchEvent.EventType.DELETE) {
            removed(key);
        } else {
            changed(key, event.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
        }
    }

    private void changed(String key, String value) {
        String category = category(key);
        if (category == null) {
            return;
        }
        Level level;
        try {
            level = LogContext.getLogContext().getLevelForName(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warnf("ignoring %s = '%s': not a log level (use TRACE, DEBUG, INFO, WARN or ERROR)", key, value);
            return;
        }
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        configured.computeIfAbsent(category, c -> logger.getLevel() == null ? INHERITED : logger.getLevel());
        logger.setLevel(level);
        LOG.infof("log level of %s is now %s (from etcd key %s)", describe(category), level.getName(), key);
    }

    private void removed(String key) {
        String category = category(key);
        if (category == null) {
            return;
        }
        Level before = configured.remove(category);
        if (before != null) {
            java.util.logging.Logger.getLogger(category).setLevel(before == INHERITED ? null : before);
            LOG.infof(
                    "log level of %s is back to its configured %s (etcd key %s went away)",
                    describe(category), before == INHERITED ? "level" : before.getName(), key);
        }
    }

    /** "" for the root, the category for a sub-key, null for a key of another function. */
    private String category(String key) {
        if (key.equals(base)) {
            return "";
        }
        return key.startsWith(base + "/") ? key.substring(base.length() + 1) : null;
    }

    private static String describe(String category) {
        return category.isEmpty() ? "the root logger" : category;
    }
}
