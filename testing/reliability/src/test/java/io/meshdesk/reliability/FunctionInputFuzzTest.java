package io.meshdesk.reliability;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.meshdesk.etcd.testing.EtcdCluster;
import io.meshdesk.identity.testing.TestTokens;
import io.meshdesk.localservers.FunctionInstance;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of every HTTP function's input (issue 15): bodies built from each
 * function's own fields and from anything JSON can hold (wrong types, NUL characters, huge and
 * exotic strings, nesting), sent to the packaged functions. Whatever comes in, the answer is a
 * 2xx or a 4xx with a problem body, never a 5xx, and a 4xx changes nothing.
 */
class FunctionInputFuzzTest {

    static final int TRIES = 120;

    static final Map<String, List<String>> ROUTING = Map.of(
            "agent-register", List.of("agentId", "displayName", "skills", "languages", "capacity", "weight"),
            "agent-heartbeat", List.of("agentId"),
            "agent-status", List.of("agentId", "status"),
            "session-route", List.of("sessionId", "customerId", "channel", "language", "skills", "preferredAgentId"),
            "session-get", List.of("sessionId"),
            "session-close", List.of("sessionId", "outcome"),
            "session-token", List.of("sessionId", "participantId"),
            "queue-status", List.of(),
            "routing-audit", List.of());

    static final Map<String, List<String>> TICKETING = Map.of(
            "ticket-create",
                    List.of(
                            "customerId",
                            "subject",
                            "description",
                            "queue",
                            "priority",
                            "channel",
                            "sessionId",
                            "idempotencyKey"),
            "ticket-get", List.of("ticketId"),
            "ticket-update", List.of("ticketId", "version", "status", "assignee", "priority", "queue", "actor"),
            "ticket-comment", List.of("ticketId", "author", "authorRole", "body", "internal"),
            "ticket-search", List.of("customerId", "status", "queue", "priority", "slaBreached", "page", "size"),
            "ticket-rate", List.of("ticketId", "score", "comment"),
            "backlog", List.of());

    static EtcdCluster etcd;
    static LocalMeshdesk mesh;
    static FunctionInstance routing;
    static FunctionInstance ticketing;
    static Client client;
    /** Whether the last call was accepted: the backfill its watches start may still be writing. */
    static boolean lastChangedState = true;
    /** Answers by function and status, printed at the end (docs/reliability.md quotes them). */
    static final Map<String, Integer> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();

    @BeforeContainer
    static void start() throws Exception {
        etcd = EtcdCluster.single();
        mesh = LocalMeshdesk.start(etcd, 0);
        // No timed rule may write while a property compares etcd before and after a call.
        routing = mesh.startRouting(
                Map.of("meshdesk.routing.preferred-agent-wait", "1h", "meshdesk.routing.aging-after", "1h"));
        ticketing = mesh.startTicketing(java.nio.file.Files.createDirectories(mesh.work.resolve("fuzz-tickets")));
        client = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build();
        Http.post(
                routing.url(),
                "agent-register",
                TestTokens.agent("fuzz-a"),
                Map.of("agentId", "fuzz-a", "languages", List.of("en"), "capacity", 100));
    }

    @AfterContainer
    static void stop() {
        System.out.println("[fuzz] answers by function and status: " + ANSWERS);
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    record Call(String function, Map<String, Object> body) {
        String json() {
            try {
                return Http.JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Property(tries = TRIES)
    void routingAnswersEveryInputWithA2xxOrA4xxProblemAndA4xxChangesNothing(@ForAll("routingCalls") Call call)
            throws Exception {
        if (lastChangedState) {
            settle();
        }
        Map<String, String> before = etcdContents();
        Http.Answer a = Http.send(routing.url(), call.function(), routingToken(call), call.json());
        lastChangedState = a.status() < 400;
        assertAnswered(call, a);
        if (a.status() >= 400) {
            assertThat(etcdContents())
                    .as("etcd after %s -> %d", call, a.status())
                    .isEqualTo(before);
        }
    }

    @Property(tries = TRIES)
    void ticketingAnswersEveryInputWithA2xxOrA4xxProblemAndA4xxChangesNothing(@ForAll("ticketingCalls") Call call) {
        String before = ticketingState();
        Http.Answer a = Http.send(ticketing.url(), call.function(), TestTokens.agent("agent-7"), call.json());
        assertAnswered(call, a);
        if (a.status() >= 400) {
            assertThat(ticketingState())
                    .as("tickets after %s -> %d", call, a.status())
                    .isEqualTo(before);
        }
    }

    private static void assertAnswered(Call call, Http.Answer a) {
        ANSWERS.merge(call.function() + " " + a.status(), 1, Integer::sum);
        String body = call.json();
        String what = call.function() + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body) + " -> "
                + a.status() + " " + a.json();
        assertThat(a.status()).as(what).isBetween(200, 499);
        if (a.status() >= 400) {
            assertThat(a.problem()).as("a problem body: " + what).isTrue();
        }
    }

    /** A valid body per function: mutated in one or two fields, it reaches each function's own checks. */
    static final Map<String, Map<String, Object>> VALID = Map.ofEntries(
            Map.entry(
                    "agent-register",
                    Map.of(
                            "agentId",
                            "fuzz-b",
                            "languages",
                            List.of("en"),
                            "capacity",
                            50,
                            "skills",
                            Map.of("billing", 3))),
            Map.entry("agent-heartbeat", Map.of("agentId", "fuzz-a")),
            Map.entry("agent-status", Map.of("agentId", "fuzz-b", "status", "available")),
            Map.entry("session-route", Map.of("sessionId", "fz-1", "channel", "web", "language", "en")),
            Map.entry("session-get", Map.of("sessionId", "fz-1")),
            Map.entry("session-close", Map.of("sessionId", "fz-2", "outcome", "resolved")),
            Map.entry("session-token", Map.of("sessionId", "fz-1", "participantId", "fuzz-c")),
            Map.entry("queue-status", Map.of()),
            Map.entry("routing-audit", Map.of()),
            Map.entry(
                    "ticket-create",
                    Map.of(
                            "customerId",
                            "fz-c",
                            "subject",
                            "s",
                            "description",
                            "d",
                            "queue",
                            "support",
                            "priority",
                            "normal",
                            "channel",
                            "web")),
            Map.entry("ticket-get", Map.of("ticketId", "00000000-0000-0000-0000-000000000001")),
            Map.entry(
                    "ticket-update",
                    Map.of("ticketId", "00000000-0000-0000-0000-000000000001", "version", 1, "status", "open")),
            Map.entry(
                    "ticket-comment",
                    Map.of(
                            "ticketId",
                            "00000000-0000-0000-0000-000000000001",
                            "author",
                            "a",
                            "authorRole",
                            "agent",
                            "body",
                            "b")),
            Map.entry("ticket-search", Map.of("customerId", "fz-c")),
            Map.entry("ticket-rate", Map.of("ticketId", "00000000-0000-0000-0000-000000000001", "score", 4)),
            Map.entry("backlog", Map.of()));

    @Provide
    Arbitrary<Call> routingCalls() {
        return Arbitraries.oneOf(calls(ROUTING), mutated(ROUTING));
    }

    @Provide
    Arbitrary<Call> ticketingCalls() {
        return Arbitraries.oneOf(calls(TICKETING), mutated(TICKETING));
    }

    /** A function's valid body with up to two fields replaced by anything JSON holds (or removed). */
    private static Arbitrary<Call> mutated(Map<String, List<String>> functions) {
        return Arbitraries.of(List.copyOf(new TreeMap<>(functions).keySet())).flatMap(function -> {
            List<String> fields = functions.get(function);
            if (fields.isEmpty()) {
                return Arbitraries.just(new Call(function, new HashMap<>(VALID.get(function))));
            }
            Arbitrary<Map<String, Object>> changes = Arbitraries.maps(Arbitraries.of(fields), JsonValues.value())
                    .ofMaxSize(2)
                    .map(HashMap::new);
            // A fresh session id now and then, so that routes create sessions (and fill the agent).
            Arbitrary<String> sessionId = Arbitraries.integers().between(1, 40).map(n -> "fz-" + n);
            return Combinators.combine(changes, sessionId).as((change, id) -> {
                Map<String, Object> body = new HashMap<>(VALID.get(function));
                if (body.containsKey("sessionId")) {
                    body.put("sessionId", id);
                }
                body.putAll(change);
                return new Call(function, body);
            });
        });
    }

    private static Arbitrary<Call> calls(Map<String, List<String>> functions) {
        return Arbitraries.of(List.copyOf(new TreeMap<>(functions).keySet())).flatMap(function -> {
            List<String> fields = functions.get(function);
            Arbitrary<String> names = fields.isEmpty()
                    ? Arbitraries.of("x", "extra")
                    : Arbitraries.frequencyOf(
                            net.jqwik.api.Tuple.of(9, Arbitraries.of(fields)),
                            net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
            return Arbitraries.maps(names, JsonValues.value())
                    .ofMaxSize(fields.size() + 2)
                    .map(m -> new Call(function, new HashMap<>(m)));
        });
    }

    /**
     * The token of the caller the function's rules expect, naming the body's id when it is one a
     * token can carry (a 70 kB id in the token would make the header, not the body, too large).
     */
    private static String routingToken(Call call) {
        Object agent = call.body().get("agentId");
        Object customer = call.body().get("customerId");
        return switch (call.function()) {
            case "agent-register", "agent-heartbeat", "agent-status" -> TestTokens.agent(subject(agent, "fuzz-a"));
            case "session-route" -> TestTokens.customer(subject(customer, "fuzz-c"));
            case "routing-audit", "queue-status" -> TestTokens.ops();
            default -> TestTokens.service("chat", "routing");
        };
    }

    /** Waits (bounded) until etcd's revision holds still for a moment: no write of an earlier call is in flight. */
    private static void settle() {
        long[] last = {-1};
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(150))
                .until(() -> {
                    long revision = client.getKVClient()
                            .get(ByteSequence.from("/meshdesk/".getBytes()))
                            .get(10, TimeUnit.SECONDS)
                            .getHeader()
                            .getRevision();
                    boolean still = revision == last[0];
                    last[0] = revision;
                    return still;
                });
    }

    private static String subject(Object id, String otherwise) {
        return id instanceof String s
                        && !s.isBlank()
                        && s.length() <= 128
                        && s.chars().noneMatch(c -> c < 0x20)
                ? s
                : otherwise;
    }

    private static Map<String, String> etcdContents() throws Exception {
        Map<String, String> all = new TreeMap<>();
        client.getKVClient()
                .get(
                        ByteSequence.from("/meshdesk/".getBytes()),
                        GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS)
                .getKvs()
                .forEach(kv -> all.put(kv.getKey().toString(), kv.getValue().toString()));
        return all;
    }

    /** What a client can see of all tickets: the backlog and the newest page of every ticket. */
    private static String ticketingState() {
        URI url = ticketing.url();
        String token = TestTokens.agent("agent-7");
        return Http.post(url, "backlog", token, Map.of()).json().toString()
                + Http.post(url, "ticket-search", token, Map.of("size", 200))
                        .json()
                        .toString();
    }
}
