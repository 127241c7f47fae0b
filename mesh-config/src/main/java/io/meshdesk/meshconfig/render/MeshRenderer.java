package io.meshdesk.meshconfig.render;

import java.util.List;

import io.meshdesk.meshconfig.model.MeshConfig;
import io.meshdesk.meshconfig.model.Topology;

/** Renders what one provider (Istio, Knative) needs in one region, Flagger style: one class per provider. */
public interface MeshRenderer {

    List<Rendered> render(MeshConfig config, Topology.Region region);

    /** Every renderer, in the order their files are written. */
    static List<MeshRenderer> all() {
        return List.of(new IstioRenderer(), new KnativeRenderer());
    }
}
