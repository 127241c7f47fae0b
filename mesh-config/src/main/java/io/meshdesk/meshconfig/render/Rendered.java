package io.meshdesk.meshconfig.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** One rendered resource and where it is written: {@code <dir>/<region>/<file>}. */
public record Rendered(String dir, String region, String file, GenericKubernetesResource resource) {

    public String path() {
        return dir + "/" + region + "/" + file;
    }
}
