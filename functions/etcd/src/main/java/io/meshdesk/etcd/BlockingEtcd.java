package io.meshdesk.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
import io.meshdesk.problem.Problem;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The calls a function makes to etcd, each bounded by a timeout, with etcd being away turned
 * into a 503 that says so instead of a thread that hangs.
 */
public class BlockingEtcd implements AutoCloseable {

    private final Client client;
    private final Duration timeout;
    private final String endpoints;
    private volatile Tracer tracer = OpenTelemetry.noop().getTracer("meshdesk-etcd");

    public BlockingEtcd(Client client, Duration timeout, List<String> endpoints) {
        this.client = client;
        this.timeout = timeout;
        this.endpoints = String.join(",", endpoints);
    }

    public static BlockingEtcd connect(List<String> endpoints, Duration timeout) {
        Client client = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(timeout)
                .build();
        return new BlockingEtcd(client, timeout, endpoints);
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
        List<KeyValue> kvs = traced("etcd get", () -> kv().get(Keyspace.bytes(key)), doing).getKvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    public GetResponse getPrefix(String prefix, String doing) {
        ByteSequence p = Keyspace.bytes(prefix);
        return traced("etcd range", () -> kv().get(p, GetOption.builder().isPrefix(true).build()), doing);
    }

    public Txn txn() {
        return kv().txn();
    }

    public TxnResponse commit(Txn txn, String doing) {
        return traced("etcd txn", txn::commit, doing);
    }

    public long grantLease(long ttlSeconds, String doing) {
        LeaseGrantResponse grant = traced("etcd lease grant", () -> client.getLeaseClient().grant(ttlSeconds), doing);
        return grant.getID();
    }

    /**
     * One etcd round trip inside a client span named {@code operation}, with what it was for
     * as an attribute (the span name stays low in cardinality; the attribute carries the ids).
     */
    public <T> T traced(String operation, Supplier<CompletableFuture<T>> call, String doing) {
        Span span = tracer.spanBuilder(operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "etcd").setAttribute("meshdesk.etcd.doing", doing).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return await(call.get(), doing);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Waits for an etcd call. A timeout or a connection failure becomes a 503 naming etcd and
     * what was being done; nothing after the call has run, so nothing is half written.
     */
    public <T> T await(CompletableFuture<T> call, String doing) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw Problem.unavailable("etcd at " + endpoints + " did not answer within " + timeout.toMillis()
                    + " ms while " + doing + "; check that etcd is running and reachable (meshdesk.etcd.endpoints)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.unavailable("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), doing);
        }
    }

    private RuntimeException translate(Throwable cause, String doing) {
        if (cause instanceof Problem problem) {
            return problem;
        }
        if (cause instanceof EtcdException etcd
                && etcd.getErrorCode() == ErrorCode.NOT_FOUND) {
            return new NotFoundInEtcd(doing + ": " + etcd.getMessage(), etcd);
        }
        return Problem.unavailable("etcd at " + endpoints + " failed while " + doing + " (" + cause.getMessage()
                + "); check that etcd is running and reachable (meshdesk.etcd.endpoints)", cause);
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
