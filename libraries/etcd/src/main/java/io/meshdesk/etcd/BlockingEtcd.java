package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.options.GetOption;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The calls a function makes to etcd, each bounded by a timeout, with etcd being away turned
 * into an {@link EtcdUnavailableException} that says so (a 503 for an HTTP caller) instead of a
 * thread that hangs.
 *
 * <p>A call has a budget ({@code meshdesk.etcd.timeout}) and each try a shorter one
 * ({@code meshdesk.etcd.attempt-timeout}): a try stuck on a member that died or froze (its
 * leader killed, a SIGSTOP) is given up and sent again, and the round-robin balancer sends it to
 * another member, so a failover costs one try instead of the whole budget. Every call through
 * {@link #traced} may be sent twice: reads and puts are idempotent, and the transactions compare
 * revisions, so a try that did land makes the next one fail its compare and read back the result.
 */
public class BlockingEtcd implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockingEtcd.class);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final Client client;
    private final Duration timeout;
    private final Duration attemptTimeout;
    private final String endpoints;
    private volatile Tracer tracer = OpenTelemetry.noop().getTracer("meshdesk-etcd");

    public BlockingEtcd(Client client, Duration timeout, List<String> endpoints) {
        this(client, timeout, timeout.dividedBy(3), endpoints);
    }

    public BlockingEtcd(Client client, Duration timeout, Duration attemptTimeout, List<String> endpoints) {
        this.client = client;
        this.timeout = timeout;
        this.attemptTimeout = attemptTimeout.compareTo(timeout) > 0 ? timeout : attemptTimeout;
        this.endpoints = String.join(",", endpoints);
    }

    public static BlockingEtcd connect(List<String> endpoints, Duration timeout) {
        return connect(endpoints, timeout, timeout.dividedBy(3));
    }

    public static BlockingEtcd connect(List<String> endpoints, Duration timeout, Duration attemptTimeout) {
        Client client = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(attemptTimeout)
                // gRPC's default (pick_first) sends everything to one member, and a member that
                // froze keeps every call waiting; round robin spreads them and skips a dead one.
                .loadBalancerPolicy("round_robin")
                // Pings find a frozen member's connection dead (until then each try sent to it
                // costs one attempt timeout); etcd refuses pings more often than every 5 s.
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(2))
                .retryDelay(RETRY_PAUSE.toMillis())
                .retryMaxDelay(attemptTimeout.toMillis())
                .retryMaxDuration(timeout)
                .build();
        return new BlockingEtcd(client, timeout, attemptTimeout, endpoints);
    }

    public Client client() {
        return client;
    }

    /** Traces every call from now on with {@code tracer} (one span per etcd round trip). */
    public BlockingEtcd tracedBy(Tracer tracer) {
        this.tracer = tracer;
        return this;
    }

    /** The tracer of this connection, for spans around work that etcd's watches trigger. */
    public Tracer tracer() {
        return tracer;
    }

    public KV kv() {
        return client.getKVClient();
    }

    /** The value at key with its mod revision, or null when the key is absent. */
    public KeyValue get(String key, String doing) {
        List<KeyValue> kvs =
                traced("etcd get", () -> kv().get(Keyspace.bytes(key)), doing).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    public GetResponse getPrefix(String prefix, String doing) {
        ByteSequence p = Keyspace.bytes(prefix);
        return traced(
                "etcd range",
                () -> kv().get(p, GetOption.builder().isPrefix(true).build()),
                doing);
    }

    public Txn txn() {
        return kv().txn();
    }

    public TxnResponse commit(Txn txn, String doing) {
        return traced("etcd txn", txn::commit, doing);
    }

    public long grantLease(long ttlSeconds, String doing) {
        LeaseGrantResponse grant =
                traced("etcd lease grant", () -> client.getLeaseClient().grant(ttlSeconds), doing);
        return grant.getID();
    }

    /**
     * One etcd round trip inside a client span named {@code operation}, with what it was for
     * as an attribute (the span name stays low in cardinality; the attribute carries the ids).
     * Tried again, within the budget, when a try times out or the member is unavailable.
     */
    public <T> T traced(String operation, Supplier<CompletableFuture<T>> call, String doing) {
        Span span = tracer.spanBuilder(operation)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "etcd")
                .setAttribute("meshdesk.etcd.doing", doing)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return withRetries(call, doing, !operation.equals("etcd get") && !operation.equals("etcd range"));
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    private <T> T withRetries(Supplier<CompletableFuture<T>> call, String doing, boolean writes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int tries = 0;
        Throwable last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw gaveUp(doing, writes, tries, last);
            }
            tries++;
            CompletableFuture<T> attempt = call.get();
            try {
                return attempt.get(Math.min(left, attemptTimeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                attempt.cancel(true);
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdUnavailableException("interrupted while " + doing, e);
            } catch (ExecutionException e) {
                if (!retryable(e.getCause())) {
                    throw translate(e.getCause(), doing);
                }
                last = e.getCause();
            }
            LOG.debugf("etcd try %d while %s failed (%s); trying again", tries, doing, String.valueOf(last));
            pause(Math.min(RETRY_PAUSE.toNanos(), Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** Failures that another try (on another member, or after an election) may not see. */
    private static boolean retryable(Throwable cause) {
        if (cause instanceof EtcdUnavailableException || cause instanceof NotFoundInEtcd) {
            return false;
        }
        if (cause instanceof EtcdException etcd) {
            return switch (etcd.getErrorCode()) {
                case NOT_FOUND,
                        INVALID_ARGUMENT,
                        FAILED_PRECONDITION,
                        OUT_OF_RANGE,
                        PERMISSION_DENIED,
                        UNAUTHENTICATED,
                        ALREADY_EXISTS,
                        RESOURCE_EXHAUSTED,
                        UNIMPLEMENTED -> false;
                default -> true;
            };
        }
        return true;
    }

    private EtcdUnavailableException gaveUp(String doing, boolean writes, int tries, Throwable last) {
        String outcome = writes
                ? "; the change may or may not have been made: repeat the same request (it is idempotent)"
                : "; nothing was written";
        String why = last instanceof TimeoutException
                ? "did not answer within " + timeout.toMillis() + " ms"
                : "failed (" + (last == null ? "no try fitted the budget" : last.getMessage()) + ")";
        return new EtcdUnavailableException(
                "etcd at " + endpoints + " " + why + " (" + tries + " tries) while " + doing + outcome
                        + "; check that etcd is running and reachable (meshdesk.etcd.endpoints)",
                last);
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for an etcd call made once (a call that must not be sent twice, or a future the
     * caller made). A timeout or a connection failure becomes an {@link EtcdUnavailableException}
     * naming etcd and what was being done.
     */
    public <T> T await(CompletableFuture<T> call, String doing) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new EtcdUnavailableException(
                    "etcd at " + endpoints + " did not answer within " + timeout.toMillis() + " ms while " + doing
                            + "; check that etcd is running and reachable (meshdesk.etcd.endpoints)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdUnavailableException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), doing);
        }
    }

    private RuntimeException translate(Throwable cause, String doing) {
        if (cause instanceof EtcdUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND) {
            return new NotFoundInEtcd(doing + ": " + etcd.getMessage(), etcd);
        }
        return new EtcdUnavailableException(
                "etcd at " + endpoints + " failed while " + doing + " (" + cause.getMessage()
                        + "); check that etcd is running and reachable (meshdesk.etcd.endpoints)",
                cause);
    }

    @Override
    public void close() {
        client.close();
    }

    /** etcd answered that something (a lease, typically) does not exist. */
    public static final class NotFoundInEtcd extends RuntimeException {
        NotFoundInEtcd(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
