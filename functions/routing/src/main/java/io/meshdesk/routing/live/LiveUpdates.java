package io.meshdesk.routing.live;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.meshdesk.etcd.DaemonThreads;
import io.meshdesk.routing.lifecycle.SessionDesk;
import io.meshdesk.routing.queue.QueueStatus;
import io.meshdesk.routing.settings.RoutingSettings;
import io.meshdesk.routing.state.AgentLoad;
import io.meshdesk.routing.state.RegionView;
import io.meshdesk.routing.state.Versioned;
import io.meshdesk.session.contract.Priority;
import io.meshdesk.session.contract.SessionRecord;

/**
 * Pushes what changed to whoever follows it, fed by the region view's etcd watches (never by
 * polling): an agent hears of its assigned sessions and of the queue, a queued customer of its
 * place in line and of being assigned. The watch thread only marks what changed; one thread of
 * this class reads what it needs (a few session keys) and writes to the streams, and it sends a
 * follower only what differs from the last thing sent.
 */
public final class LiveUpdates implements RegionView.Changes, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveUpdates.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** What an agent's console sees of one assigned session. */
    public record AssignedSession(
            String sessionId,
            String customerId,
            String channel,
            String language,
            Map<String, Integer> skills,
            String priority,
            Instant enqueuedAt,
            Instant assignedAt) {}

    /** What a customer's page sees of its session. */
    public record SessionUpdate(
            String sessionId,
            String state,
            Integer queuePosition,
            Long estimatedWaitSeconds,
            String agentId,
            String outcome) {}

    /** The followers of one agent or session, and the last JSON each kind of event carried. */
    private static final class Followers {
        final Set<SseStream> streams = new CopyOnWriteArraySet<>();
        final Map<String, String> last = new ConcurrentHashMap<>();
    }

    private final RegionView view;
    private final SessionDesk sessionDesk;
    private final RoutingSettings settings;
    private final Clock clock;
    private final Map<String, Followers> agents = new ConcurrentHashMap<>();
    private final Map<String, Followers> sessions = new ConcurrentHashMap<>();
    private final Set<String> dirtyAgents = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean queueDirty = new AtomicBoolean();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(DaemonThreads.named("routing-live-updates"));
    /** Owned by the worker thread: who was queued at the last look, and the departures seen since. */
    private Set<String> lastQueued = new HashSet<>();

    private final WaitEstimate estimate = new WaitEstimate();

    public LiveUpdates(RegionView view, SessionDesk sessionDesk, RoutingSettings settings, Clock clock) {
        this.view = view;
        this.sessionDesk = sessionDesk;
        this.settings = settings;
        this.clock = clock;
        view.onChanges(this);
    }

    /** An agent's console: its sessions now and after every change, and the queue. */
    public void followAgent(String agentId, SseStream stream) {
        Followers f = agents.computeIfAbsent(agentId, id -> new Followers());
        f.streams.add(stream);
        stream.onClose(() -> unfollow(agents, agentId, stream));
        worker.execute(() -> {
            sendIfChanged(agentId, f, "sessions", assignedTo(agentId), stream);
            sendIfChanged(agentId, f, "queue", queue(), stream);
        });
    }

    /** A customer's page: where its session is now and after every change. */
    public void followSession(String sessionId, SseStream stream) {
        Followers f = sessions.computeIfAbsent(sessionId, id -> new Followers());
        f.streams.add(stream);
        stream.onClose(() -> unfollow(sessions, sessionId, stream));
        worker.execute(() -> sendIfChanged(sessionId, f, "session", sessionUpdate(sessionId, queueOrder()), stream));
    }

    private static void unfollow(Map<String, Followers> map, String id, SseStream stream) {
        map.computeIfPresent(id, (k, f) -> {
            f.streams.remove(stream);
            return f.streams.isEmpty() ? null : f;
        });
    }

    @Override
    public void agentGone(String agentId) {
        // Its sessions are re-queued, which the queue and load watches report.
    }

    @Override
    public void capacityMayHaveFreed() {
        // What follows from it (an assignment) arrives as a load and a queue change.
    }

    @Override
    public void loadChanged(String agentId) {
        dirtyAgents.add(agentId);
        // A customer whose session was assigned or closed sees it in its agent's load.
        queueDirty.set(true);
        schedule();
    }

    @Override
    public void queueChanged() {
        queueDirty.set(true);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            worker.execute(this::push);
        }
    }

    /** On the worker: everything marked since the last run, coalesced. */
    private void push() {
        scheduled.set(false);
        try {
            List<String> changedAgents = new ArrayList<>(dirtyAgents);
            dirtyAgents.removeAll(changedAgents);
            for (String agentId : changedAgents) {
                Followers f = agents.get(agentId);
                if (f != null) {
                    sendIfChanged(agentId, f, "sessions", assignedTo(agentId), null);
                }
            }
            if (queueDirty.getAndSet(false)) {
                List<Versioned<SessionRecord>> order = queueOrder();
                noteDepartures(order);
                Map<String, Object> queue = queue();
                agents.forEach((id, f) -> sendIfChanged(id, f, "queue", queue, null));
                sessions.forEach((id, f) -> sendIfChanged(id, f, "session", sessionUpdate(id, order), null));
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    e,
                    "live updates for %d agents and %d sessions could not be computed; the next change tries again",
                    agents.size(),
                    sessions.size());
        }
    }

    private void noteDepartures(List<Versioned<SessionRecord>> order) {
        Set<String> now = new HashSet<>();
        order.forEach(v -> now.add(v.value().sessionId()));
        int left = 0;
        for (String id : lastQueued) {
            if (!now.contains(id)) {
                left++;
            }
        }
        estimate.left(left, clock.instant());
        lastQueued = now;
    }

    private List<Versioned<SessionRecord>> queueOrder() {
        return view.queueInOrder(clock.instant(), settings.agingAfter());
    }

    private List<AssignedSession> assignedTo(String agentId) {
        Versioned<AgentLoad> load = view.load(agentId);
        if (load == null) {
            return List.of();
        }
        List<AssignedSession> out = new ArrayList<>();
        for (String sessionId : load.value().sessions().keySet()) {
            SessionRecord s = sessionDesk.read(sessionId);
            if (s != null && agentId.equals(s.agentId())) {
                out.add(new AssignedSession(
                        s.sessionId(),
                        s.customerId(),
                        Objects.toString(s.channel(), null),
                        s.language(),
                        s.skills(),
                        Objects.toString(s.priority(), null),
                        s.enqueuedAt(),
                        s.assignedAt()));
            }
        }
        out.sort(Comparator.comparing(AssignedSession::assignedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        return out;
    }

    private Map<String, Object> queue() {
        QueueStatus q = QueueStatus.of(view, settings, clock.instant());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("region", q.region());
        out.put("premium", q.depth().get(Priority.PREMIUM));
        out.put("standard", q.depth().get(Priority.STANDARD));
        out.put("aged", q.aged());
        out.put("waiting", q.waiting());
        out.put("oldestWaitSeconds", q.oldestWaitSeconds());
        return out;
    }

    private SessionUpdate sessionUpdate(String sessionId, List<Versioned<SessionRecord>> order) {
        int position = 1;
        for (Versioned<SessionRecord> q : order) {
            if (q.value().sessionId().equals(sessionId)) {
                return new SessionUpdate(
                        sessionId, "queued", position, estimate.secondsFor(position, clock.instant()), null, null);
            }
            position++;
        }
        SessionRecord s = sessionDesk.read(sessionId);
        if (s == null) {
            return new SessionUpdate(sessionId, "unknown", null, null, null, null);
        }
        return new SessionUpdate(
                sessionId,
                s.state().toString(),
                null,
                null,
                s.agentId(),
                s.outcome() == null ? null : s.outcome().toString());
    }

    /** Sends to every follower when the event differs from the last one sent, else only to a new stream. */
    private void sendIfChanged(String id, Followers f, String event, Object value, SseStream only) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the live " + event + " of " + id + ": " + e.getMessage(), e);
        }
        String before = f.last.put(event, json);
        if (!json.equals(before)) {
            f.streams.forEach(s -> s.send(event, json));
        } else if (only != null) {
            only.send(event, json);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
