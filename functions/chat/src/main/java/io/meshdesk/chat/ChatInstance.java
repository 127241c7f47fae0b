package io.meshdesk.chat;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.meshdesk.chat.conversation.ChatSettings;
import io.meshdesk.chat.conversation.Conversation;
import io.meshdesk.chat.conversation.FirstResponses;
import io.meshdesk.chat.conversation.Outbox;
import io.meshdesk.chat.conversation.PacketRules;
import io.meshdesk.chat.conversation.ParticipantLimits;
import io.meshdesk.chat.metrics.ChatMetrics;
import io.meshdesk.chat.relay.ChatLog;
import io.meshdesk.chat.relay.SessionClosures;
import io.meshdesk.chat.relay.SessionDirectory;
import io.meshdesk.chat.relay.SessionFeeds;
import io.meshdesk.chat.transcript.Handovers;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.DaemonThreads;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.events.EventSink;
import io.meshdesk.token.SessionClaims;

/**
 * One chat instance: the session feeds it serves, the watch on sessions, the transcript
 * handovers, and the conversations of the streams connected to it. Instances share nothing but
 * etcd. Transports open a {@link Conversation} per stream through {@link #open}.
 */
public final class ChatInstance implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChatInstance.class);

    private final Conversation.Context context;
    private final ChatLog log;
    private final SessionFeeds feeds;
    private final SessionClosures closures;
    private final Handovers handovers;
    /** Blocking work that watch threads hand off: catch-ups and LEFT events. */
    private final ExecutorService work;

    public ChatInstance(BlockingEtcd etcd, ChatSettings settings, EventSink sink, ChatMetrics metrics, Clock clock) {
        this.work = new ThreadPoolExecutor(
                16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("chat-work"));
        ((ThreadPoolExecutor) work).allowCoreThreadTimeOut(true);
        this.log = new ChatLog(etcd, clock, settings.maxSessionBytes());
        this.feeds = new SessionFeeds(etcd);
        SessionDirectory sessions = new SessionDirectory(etcd);
        ChatSettings.Handover h = settings.handover();
        this.handovers = new Handovers(
                etcd,
                log,
                sessions,
                sink,
                settings.region(),
                settings.retention(),
                new Handovers.Timing(h.initialBackoff(), h.maxBackoff(), h.sweepInterval(), h.attemptTimeout()),
                metrics,
                clock);
        this.closures = new SessionClosures(etcd, session -> {
            feeds.sessionChanged(session);
            if (session.closed()) {
                handovers.sessionClosed(session);
            }
        });
        this.context = new Conversation.Context(
                log,
                feeds,
                sessions,
                new FirstResponses(etcd, log, metrics),
                metrics,
                settings,
                clock,
                closures.load(),
                new ParticipantLimits(settings, clock::millis),
                new PacketRules(settings),
                work);
    }

    /** The watch on sessions, which starts after the process and which readiness waits for. */
    public StartupLoad startupLoad() {
        return closures.load();
    }

    /**
     * Starts watching sessions; once that runs, moves legacy chat counters to their new keys and
     * starts the handover sweep (which picks up sessions closed while no instance ran).
     */
    public ChatInstance start() {
        closures.start(() -> {
            try {
                int moved = log.migrateLegacyCounters();
                if (moved > 0) {
                    LOG.infof(
                            "moved %d chat counters from /meshdesk/chat-seq/<id> to /meshdesk/chat-counter/<id>/last",
                            moved);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "moving legacy chat counters failed; appends move them one by one");
            }
            handovers.start();
        });
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
        handovers.close();
        feeds.close();
        work.shutdownNow();
    }
}
