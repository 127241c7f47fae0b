package io.meshdesk.chat;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

import io.meshdesk.chat.conversation.Conversation;
import io.meshdesk.chat.conversation.FirstResponses;
import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.conversation.SessionDirectory;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.relay.SessionClosures;
import io.meshdesk.chat.relay.SessionFeeds;
import io.meshdesk.chat.transcript.Transcripts;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.SessionClaims;

/**
 * One chat instance: the session feeds it serves, the watch on session closures, and the
 * conversations of the streams connected to it. Instances share nothing but etcd.
 */
public final class ChatInstance implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChatInstance.class);

    private final Conversation.Context context;
    private final SessionFeeds feeds;
    private final SessionClosures closures;
    private final ExecutorService closing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chat-session-closures");
        t.setDaemon(true);
        return t;
    });

    public ChatInstance(BlockingEtcd etcd, ChatSettings settings, EventSink sink, ChatMetrics metrics, Clock clock) {
        ChatLog log = new ChatLog(etcd, clock);
        this.feeds = new SessionFeeds(etcd);
        Transcripts transcripts = new Transcripts(etcd, log, sink, settings.region(), settings.retention());
        this.closures = new SessionClosures(etcd, (sessionId, session) -> {
            feeds.sessionClosed(sessionId, "routing closed the session (" + session.path("outcome").asText() + ")");
            closing.execute(() -> {
                try {
                    transcripts.sessionClosed(sessionId, session);
                } catch (RuntimeException e) {
                    LOG.warnf("the transcript of session %s was not handed over: %s", sessionId, e.getMessage());
                }
            });
        });
        this.context = new Conversation.Context(log, feeds, new SessionDirectory(etcd),
                new FirstResponses(etcd, log, metrics), metrics, settings, clock, closures.load());
    }

    /** The watch on session closures, which starts after the process and which readiness waits for. */
    public StartupLoad startupLoad() {
        return closures.load();
    }

    public ChatInstance start() {
        closures.start();
        return this;
    }

    /** A new stream of the participant the claims name; packets go to it through the outbox. */
    public Conversation open(SessionClaims claims, Outbox outbox) {
        return new Conversation(context, claims, outbox);
    }

    public ChatSettings settings() {
        return context.settings();
    }

    @Override
    public void close() {
        closures.close();
        feeds.close();
        closing.shutdownNow();
    }
}
