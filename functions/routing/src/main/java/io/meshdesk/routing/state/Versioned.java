package io.meshdesk.routing.state;

/** A value read from etcd with the mod revision it had: what a transaction compares against. */
public record Versioned<T>(T value, long modRevision) {}
