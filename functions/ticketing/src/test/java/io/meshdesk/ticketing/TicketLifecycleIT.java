package io.meshdesk.ticketing;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link TicketLifecycleTest} (the functions, the status machine, versions and the error
 * answers) against the packaged quarkus-run.jar and a real PostgreSQL (failsafe).
 */
@QuarkusIntegrationTest
class TicketLifecycleIT extends TicketLifecycleTest {}
