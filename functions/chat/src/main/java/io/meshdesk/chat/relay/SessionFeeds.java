package io.meshdesk.chat.relay;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.chat.relay.SessionDirectory.SessionInfo;
import io.meshdesk.chat.v1.ChannelPacket;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.PrefixWatch;

/**
 * The live side of each session this instance serves: one etcd watch per session on its log,
 * shared by the local participants. Packets arrive in log order, whichever instance stored them.
 * No lock is held while etcd is called or a subscriber runs, so a watch thread never waits here.
 */
public final class SessionFeeds implements AutoCloseable {

    /** A local participant of a session. Called on watch threads: must not block. */
    public interface Subscriber {
        void live(ChannelPacket packet);

        /** Routing changed the session (re-assigned, closed, ...). */
        void sessionChanged(SessionInfo session);
    }

    private final BlockingEtcd etcd;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    public SessionFeeds(BlockingEtcd etcd) {
        this.etcd = etcd;
    }

    /**
     * Starts delivering the session's live packets to the subscriber. Everything stored after
     * this returns is delivered; what was stored before, the caller reads from the log. Blocks
     * on etcd (once per session and instance): call it from a worker thread.
     */
    public void attach(String sessionId, Subscriber subscriber) {
        while (true) {
            Feed feed = feeds.get(sessionId);
            if (feed == null) {
                long revision = PrefixWatch.currentRevision(etcd, ChatLog.prefix(sessionId)) + 1;
                Feed created = new Feed(sessionId);
                feed = feeds.putIfAbsent(sessionId, created);
                if (feed == null) {
                    created.open(revision);
                    feed = created;
                }
            }
            if (feed.add(subscriber)) {
                return;
            }
            // The feed closed as its last subscriber left: make a new one.
            feeds.remove(sessionId, feed);
        }
    }

    /** Never blocks. */
    public void detach(String sessionId, Subscriber subscriber) {
        Feed feed = feeds.get(sessionId);
        if (feed != null && feed.removeAndCloseIfEmpty(subscriber)) {
            feeds.remove(sessionId, feed);
        }
    }

    /** Tells the session's local participants that routing changed it. Never blocks. */
    public void sessionChanged(SessionInfo session) {
        Feed feed = feeds.get(session.sessionId());
        if (feed != null) {
            feed.subscribers.forEach(s -> s.sessionChanged(session));
        }
    }

    public boolean serves(String sessionId) {
        return feeds.containsKey(sessionId);
    }

    @Override
    public void close() {
        feeds.values().forEach(Feed::close);
        feeds.clear();
    }

    private final class Feed {
        final String sessionId;
        final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
        private PrefixWatch watch;
        private boolean closed;

        Feed(String sessionId) {
            this.sessionId = sessionId;
        }

        synchronized void open(long fromRevision) {
            if (!closed) {
                watch = PrefixWatch.follow(etcd, ChatLog.prefix(sessionId), fromRevision, this::onEvent);
            }
        }

        synchronized boolean add(Subscriber subscriber) {
            if (closed) {
                return false;
            }
            subscribers.add(subscriber);
            return true;
        }

        synchronized boolean removeAndCloseIfEmpty(Subscriber subscriber) {
            if (subscribers.remove(subscriber) && subscribers.isEmpty()) {
                close();
                return true;
            }
            return false;
        }

        private void onEvent(WatchEvent event) {
            if (event.getEventType() != WatchEvent.EventType.PUT) {
                return;
            }
            ChannelPacket packet = ChatLog.decode(event.getKeyValue().getValue());
            for (Subscriber s : subscribers) {
                s.live(packet);
            }
        }

        synchronized void close() {
            closed = true;
            if (watch != null) {
                watch.close();
            }
        }
    }
}
