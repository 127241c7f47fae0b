package io.meshdesk.meshconfig.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A cluster that could not be reached or refused a call: one line naming the context, the server and what to do. */
final class ClusterError extends RuntimeException {

    ClusterError(String region, String context, String server, KubernetesClientException e) {
        super(message(region, context, server, e));
    }

    private static String message(String region, String context, String server, KubernetesClientException e) {
        String where = "cluster of region " + region + " (context " + context + ", server " + server + ")";
        int code = e.getCode();
        if (code == 401 || code == 403) {
            return where + " refused meshctl's credentials (HTTP " + code + "); log in again or ask for access to "
                    + "the meshdesk namespace";
        }
        if (code > 0) {
            return where + " answered HTTP " + code + ": "
                    + firstLine(
                            e.getStatus() != null && e.getStatus().getMessage() != null
                                    ? e.getStatus().getMessage()
                                    : e.getMessage())
                    + "; check that Istio's and Knative's CRDs are installed (terraform/)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "cannot reach the " + where + ": " + root.getClass().getSimpleName() + ": "
                + firstLine(root.getMessage()) + "; check the network or VPN and the kubeconfig's server";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
