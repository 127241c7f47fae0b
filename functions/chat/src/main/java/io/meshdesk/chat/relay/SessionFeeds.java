package io.meshdesk.chat.relay;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.PrefixWatch;

/**
 * The live side of each session this instance serves: one etcd watch per session on its log,
 * shared by the local participants. Packets arrive in log order, whichever instance stored them.
 */
public final class SessionFeeds implements AutoCloseable {

    /** A local participant of a session. Called on the watch thread: must not block. */
    public interface Subscriber {
        void live(ChannelPacket packet);

        void sessionClosed(String detail);
    }

    private final BlockingEtcd etcd;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    public SessionFeeds(BlockingEtcd etcd) {
        this.etcd = etcd;
    }

    /**
     * Starts delivering the session's live packets to the subscriber. Everything stored after
     * this returns is delivered; what was stored before, the caller reads from the log.
     */
    public synchronized void attach(String sessionId, Subscriber subscriber) {
        feeds.computeIfAbsent(sessionId, s -> new Feed(s, PrefixWatch.currentRevision(etcd, ChatLog.prefix(s)) + 1)).subscribers.add(subscriber);
    }

    public synchronized void detach(String sessionId, Subscriber subscriber) {
        Feed feed = feeds.get(sessionId);
        if (feed != null && feed.subscribers.remove(subscriber) && feed.subscribers.isEmpty()) {
            feeds.remove(sessionId);
            feed.close();
        }
    }

    /** Tells the session's local participants that routing closed it. */
    public void sessionClosed(String sessionId, String detail) {
        Feed feed = feeds.get(sessionId);
        if (feed != null) {
            feed.subscribers.forEach(s -> s.sessionClosed(detail));
        }
    }

    public boolean serves(String sessionId) {
        return feeds.containsKey(sessionId);
    }

    @Override
    public synchronized void close() {
        feeds.values().forEach(Feed::close);
        feeds.clear();
    }

    private final class Feed {
        final String sessionId;
        final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
        final PrefixWatch watch;

        Feed(String sessionId, long fromRevision) {
            this.sessionId = sessionId;
            this.watch = PrefixWatch.follow(etcd, ChatLog.prefix(sessionId), fromRevision, this::onEvent);
        }

        private void onEvent(WatchEvent event) {
            if (event.getEventType() != WatchEvent.EventType.PUT) {
                return;
            }
            ChannelPacket packet = ChatLog.decode(event.getKeyValue().getValue());
            subscribers.forEach(s -> s.live(packet));
        }

        void close() {
            watch.close();
        }
    }
}
