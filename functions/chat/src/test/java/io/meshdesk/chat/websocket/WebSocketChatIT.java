package io.meshdesk.chat.websocket;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link WebSocketChatTest} against the packaged quarkus-run.jar: the browsers' transport (failsafe). */
@QuarkusIntegrationTest
class WebSocketChatIT extends WebSocketChatTest {}
