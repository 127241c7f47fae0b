package io.meshdesk.routing.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.meshdesk.etcd.BlockingEtcd;
import io.meshdesk.etcd.Keyspace;
import io.meshdesk.etcd.PrefixFollower;
import io.meshdesk.etcd.StartupLoad;
import io.meshdesk.routing.json.RoutingJson;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;

/**
 * What one routing instance knows of its region: agents, their loads and the queue, kept
 * current by etcd watches (never by polling). It is a cache for choosing; correctness lives in
 * the transactions, which compare the revisions recorded here and refresh it when they lose.
 */
public final class RegionView implements AutoCloseable {

    private static final int TOMBSTONES_KEPT = 100_000;

    /** What the rest of routing wants to hear about; called off the watch thread. */
    public interface Changes {
        void agentGone(String agentId);

        void capacityMayHaveFreed();

        /** A session entered or left the queue (live updates recompute queue positions). */
        default void queueChanged() {}

        /** The load key of this agent changed: a session was assigned to it or left it. */
        default void loadChanged(String agentId) {}
    }

    private final BlockingEtcd etcd;
    private final String region;
    private final String queuePrefix;
    private final ConcurrentMap<String, Versioned<Agent>> agents = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Versioned<AgentLoad>> loads = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, Versioned<SessionRecord>> queue = new ConcurrentSkipListMap<>();
    private final Map<String, Long> tombstones = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > TOMBSTONES_KEPT;
        }
    };
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    private final List<PrefixFollower> followers = new CopyOnWriteArrayList<>();
    private final List<Changes> listeners = new CopyOnWriteArrayList<>();
    private final StartupLoad load;

    public RegionView(BlockingEtcd etcd, String region) {
        this.etcd = etcd;
        this.region = region;
        this.queuePrefix = Keyspace.queue(region);
        this.load = new StartupLoad("routing's view of region " + region + " (agents, loads, queue)");
    }

    public void onChanges(Changes changes) {
        listeners.add(changes);
    }

    /**
     * Loads the region from etcd and starts watching, in the background (retried while etcd is
     * away) so that the process starts without waiting for etcd; requests wait for it briefly.
     * Each prefix is one {@link PrefixFollower}: a snapshot replaces what the view knows of it
     * (at start, and after etcd compacted what a watch missed), the watch then applies changes.
     */
    public void start() {
        for (String prefix : List.of(Keyspace.AGENTS, Keyspace.LOAD, queuePrefix)) {
            followers.add(PrefixFollower.start(etcd, prefix, new PrefixFollower.Listener() {
                @Override
                public void snapshot(List<KeyValue> kvs, long revision) {
                    replace(prefix, kvs, revision);
                    if (revisions.keySet().containsAll(List.of(Keyspace.AGENTS, Keyspace.LOAD, queuePrefix))) {
                        load.loaded();
                    }
                }

                @Override
                public void changed(WatchEvent event) {
                    onEvent(event);
                }
            }));
        }
    }

    /** True once the whole region has been loaded and is being watched. */
    public boolean ready() {
        return load.isLoaded();
    }

    /** The loading of this view, for readiness. */
    public StartupLoad load() {
        return load;
    }

    /** Waits briefly for the first load (a request right after start), then answers 503. */
    public void requireReady() {
        load.await();
    }

    private void onEvent(WatchEvent event) {
        KeyValue kv = event.getKeyValue();
        String key = Keyspace.text(kv.getKey());
        boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
        apply(key, deleted ? null : kv.getValue(), kv.getModRevision());
    }

    private synchronized void replace(String prefix, List<KeyValue> kvs, long revision) {
        Set<String> present = new HashSet<>();
        for (KeyValue kv : kvs) {
            String key = Keyspace.text(kv.getKey());
            present.add(key);
            apply(key, kv.getValue(), kv.getModRevision());
        }
        for (String key : knownKeys(prefix)) {
            if (!present.contains(key)) {
                apply(key, null, revision);
            }
        }
        revisions.put(prefix, revision);
    }

    private List<String> knownKeys(String prefix) {
        if (prefix.equals(Keyspace.AGENTS)) {
            return agents.keySet().stream().map(Keyspace::agent).toList();
        }
        if (prefix.equals(Keyspace.LOAD)) {
            return loads.keySet().stream().map(Keyspace::load).toList();
        }
        return new ArrayList<>(queue.keySet());
    }

    /**
     * Records a value (null: deleted) at a revision, unless something newer is known already:
     * a transaction's own result and the watch event for it may arrive in either order.
     */
    void apply(String key, ByteSequence value, long revision) {
        String gone = null;
        boolean freed = false;
        String loadOf = null;
        boolean queueMoved = false;
        synchronized (this) {
            Long known = currentRevision(key);
            if (known != null && known >= revision) {
                return;
            }
            if (key.startsWith(Keyspace.AGENTS)) {
                String id = key.substring(Keyspace.AGENTS.length());
                if (value == null) {
                    gone = agents.remove(id) != null ? id : null;
                } else {
                    Agent agent = RoutingJson.decode(value, Agent.class);
                    Versioned<Agent> before = agents.put(id, new Versioned<>(agent, revision));
                    freed = before == null
                            || before.value().status() != agent.status()
                            || before.value().capacity() < agent.capacity();
                }
            } else if (key.startsWith(Keyspace.LOAD)) {
                String id = key.substring(Keyspace.LOAD.length());
                loadOf = id;
                if (value == null) {
                    loads.remove(id);
                } else {
                    AgentLoad load = RoutingJson.decode(value, AgentLoad.class);
                    Versioned<AgentLoad> before = loads.put(id, new Versioned<>(load, revision));
                    freed = before == null
                            || before.value().used() > load.used()
                            || before.value().leaseId() != load.leaseId();
                }
            } else if (key.startsWith(queuePrefix)) {
                queueMoved = true;
                if (value == null) {
                    queue.remove(key);
                } else {
                    queue.put(key, new Versioned<>(RoutingJson.decode(value, SessionRecord.class), revision));
                }
            } else {
                return;
            }
            if (value == null) {
                tombstones.put(key, revision);
            } else {
                tombstones.remove(key);
            }
        }
        if (gone != null) {
            String agentId = gone;
            listeners.forEach(l -> l.agentGone(agentId));
        }
        if (freed) {
            listeners.forEach(Changes::capacityMayHaveFreed);
        }
        if (loadOf != null) {
            String agentId = loadOf;
            listeners.forEach(l -> l.loadChanged(agentId));
        }
        if (queueMoved) {
            listeners.forEach(Changes::queueChanged);
        }
    }

    private Long currentRevision(String key) {
        Versioned<?> v = null;
        if (key.startsWith(Keyspace.AGENTS)) {
            v = agents.get(key.substring(Keyspace.AGENTS.length()));
        } else if (key.startsWith(Keyspace.LOAD)) {
            v = loads.get(key.substring(Keyspace.LOAD.length()));
        } else if (key.startsWith(queuePrefix)) {
            v = queue.get(key);
        }
        return v != null ? Long.valueOf(v.modRevision()) : tombstones.get(key);
    }

    public Versioned<Agent> agent(String agentId) {
        return agents.get(agentId);
    }

    public Versioned<AgentLoad> load(String agentId) {
        return loads.get(agentId);
    }

    /** The agents of this region. */
    public List<Versioned<Agent>> agents() {
        return agents.values().stream()
                .filter(a -> region.equals(a.value().region()))
                .toList();
    }

    public Collection<Versioned<AgentLoad>> loads() {
        return loads.values();
    }

    public boolean queueEmpty() {
        return queue.isEmpty();
    }

    /**
     * The queue in serving order: premium (and standard sessions aged into premium) first,
     * then oldest first, then by session id. The map is in key order, which is that order
     * within each band, and the aged standard sessions are the head of theirs: one merge,
     * no sort, however long the queue grows in a surge.
     */
    public List<Versioned<SessionRecord>> queueInOrder(Instant now, Duration agingAfter) {
        Iterator<Versioned<SessionRecord>> premium = band(Priority.PREMIUM);
        Iterator<Versioned<SessionRecord>> standard = band(Priority.STANDARD);
        List<Versioned<SessionRecord>> ordered = new ArrayList<>(queue.size());
        Versioned<SessionRecord> p = premium.hasNext() ? premium.next() : null;
        Versioned<SessionRecord> s = standard.hasNext() ? standard.next() : null;
        while (p != null || s != null) {
            boolean sAged = s != null && s.value().servedAsPremium(now, agingAfter);
            boolean takeStandard = p == null || (sAged && servedBefore(s.value(), p.value()));
            if (takeStandard) {
                ordered.add(s);
                s = standard.hasNext() ? standard.next() : null;
            } else {
                ordered.add(p);
                p = premium.hasNext() ? premium.next() : null;
            }
        }
        return ordered;
    }

    private Iterator<Versioned<SessionRecord>> band(Priority priority) {
        String prefix = QueueKeys.band(region, priority);
        return queue.subMap(prefix, prefix + Character.MAX_VALUE).values().iterator();
    }

    /** Key order within a band: enqueued millisecond, then session id. */
    private static boolean servedBefore(SessionRecord a, SessionRecord b) {
        int byTime = Long.compare(a.enqueuedAt().toEpochMilli(), b.enqueuedAt().toEpochMilli());
        return byTime != 0 ? byTime < 0 : a.sessionId().compareTo(b.sessionId()) < 0;
    }

    @Override
    public void close() {
        followers.forEach(PrefixFollower::close);
    }
}
