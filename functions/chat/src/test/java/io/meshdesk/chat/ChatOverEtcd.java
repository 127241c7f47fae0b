package io.meshdesk.chat;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the chat tests over one real etcd share: the member (one per test class), the fixture that
 * closes each test's chat instances and clients, and the check that nothing blocked an event loop
 * or a watch thread.
 */
abstract class ChatOverEtcd {

    @RegisterExtension
    static final OneEtcd etcd = new OneEtcd();

    @RegisterExtension
    final BlockedThreadWarnings blocked = new BlockedThreadWarnings();

    @RegisterExtension
    final ChatFixture chat = new ChatFixture(etcd.cluster());
}
