package io.meshdesk.chat;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ChatFunctionTest} against the packaged quarkus-run.jar, as Knative runs it (failsafe). */
@QuarkusIntegrationTest
class ChatFunctionIT extends ChatFunctionTest {}
