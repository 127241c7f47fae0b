package io.meshdesk.meshconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * Clusters for meshctl to talk to: fabric8's mock API server in CRUD mode, one per context,
 * reached through a real kubeconfig file as a user's would be.
 */
final class MockClusters implements AutoCloseable {

    // The mock server logs every request at INFO; thousands of lines per test class slow it down.
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();
    final Path kubeconfig;

    /** One cluster per context; current-context is the first. Extra contexts can point anywhere. */
    MockClusters(List<String> contexts, Map<String, String> unreachable) {
        for (String context : contexts) {
            KubernetesMockServer server = new KubernetesMockServer(
                    new Context(),
                    new MockWebServer(),
                    new java.util.HashMap<>(),
                    new KubernetesCrudDispatcher(),
                    false);
            server.init();
            servers.put(context, server);
        }
        ConfigBuilder config =
                new ConfigBuilder().withApiVersion("v1").withKind("Config").withCurrentContext(contexts.get(0));
        Map<String, String> urls = new LinkedHashMap<>();
        servers.forEach((name, server) -> urls.put(name, server.url("/")));
        urls.putAll(unreachable);
        urls.forEach((name, url) -> config.addToClusters(new NamedClusterBuilder()
                        .withName(name)
                        .withNewCluster()
                        .withServer(url)
                        .withInsecureSkipTlsVerify(true)
                        .endCluster()
                        .build())
                .addToContexts(new NamedContextBuilder()
                        .withName(name)
                        .withNewContext()
                        .withCluster(name)
                        .withUser("tester")
                        .withNamespace("meshdesk")
                        .endContext()
                        .build()));
        config.addToUsers(new NamedAuthInfoBuilder()
                .withName("tester")
                .withNewUser()
                .withToken("test-token")
                .endUser()
                .build());
        try {
            kubeconfig = Files.createTempFile("kubeconfig-", ".yaml");
            Files.writeString(kubeconfig, Serialization.asYaml(config.build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KubernetesClient client(String context) {
        return servers.get(context).createClient();
    }

    long count(String context, String group, String version, String plural) {
        try (KubernetesClient c = client(context)) {
            return c.genericKubernetesResources(new ResourceDefinitionContext.Builder()
                            .withGroup(group)
                            .withVersion(version)
                            .withPlural(plural)
                            .withNamespaced(true)
                            .build())
                    .inAnyNamespace()
                    .list()
                    .getItems()
                    .size();
        }
    }

    /** Everything in a cluster, of every kind meshctl writes. */
    long total(String context) {
        long n = 0;
        for (ResourceDefinitionContext k : io.meshdesk.meshconfig.cluster.ClusterSync.KINDS) {
            n += count(context, k.getGroup(), k.getVersion(), k.getPlural());
        }
        return n;
    }

    /** Creates a Knative Revision, as Knative would when it rolls out a template. */
    void revision(String context, String name) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("serving.knative.dev/v1");
        r.setKind("Revision");
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace("meshdesk")
                .build());
        try (KubernetesClient c = client(context)) {
            c.genericKubernetesResources(io.meshdesk.meshconfig.cluster.ClusterSync.REVISIONS)
                    .inNamespace("meshdesk")
                    .resource(r)
                    .create();
        }
    }

    /** meshctl's arguments for a command against these clusters. */
    String[] args(Path scratch, String... args) {
        String[] withSources = Repo.at(scratch, args);
        String[] all = new String[withSources.length + 2];
        System.arraycopy(withSources, 0, all, 0, withSources.length);
        all[withSources.length] = "--kubeconfig";
        all[withSources.length + 1] = kubeconfig.toString();
        return all;
    }

    @Override
    public void close() {
        servers.values().forEach(KubernetesMockServer::destroy);
    }
}
