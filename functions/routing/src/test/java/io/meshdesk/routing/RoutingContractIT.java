package io.meshdesk.routing;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link RoutingContractTest} (the etcd keys, the error answers, CloudEvents in both modes,
 * metrics and health) against the packaged quarkus-run.jar, as Knative runs it (failsafe).
 */
@QuarkusIntegrationTest
class RoutingContractIT extends RoutingContractTest {}
