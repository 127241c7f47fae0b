# Knative Serving (with net-istio) and Eventing (with a Broker), through the Knative Operator.

resource "helm_release" "knative_operator" {
  name             = "knative-operator"
  repository       = "https://knative.github.io/operator"
  chart            = "knative-operator"
  version          = var.versions.knative_operator
  namespace        = "knative-operator"
  create_namespace = true

  depends_on = [helm_release.istiod]
}

resource "kubernetes_namespace" "knative_serving" {
  metadata {
    name   = "knative-serving"
    labels = { "istio-injection" = "enabled" }
  }
}

resource "kubernetes_namespace" "knative_eventing" {
  metadata {
    name = "knative-eventing"
  }
}

resource "kubernetes_manifest" "knative_serving" {
  manifest = {
    apiVersion = "operator.knative.dev/v1beta1"
    kind       = "KnativeServing"
    metadata   = { name = "knative-serving", namespace = kubernetes_namespace.knative_serving.metadata[0].name }
    spec = {
      version = var.versions.knative
      ingress = { istio = { enabled = true } }
      config = {
        istio = { "local-gateway.knative-serving.knative-local-gateway" = "knative-local-gateway.istio-system.svc.cluster.local" }
        # Chat streams live longer than Knative's default 300 s cut.
        defaults = { "max-revision-timeout-seconds" = "3600" }
        network  = { "ingress-class" = "istio.ingress.networking.knative.dev" }
      }
    }
  }

  depends_on = [helm_release.knative_operator]
}

resource "kubernetes_manifest" "knative_eventing" {
  manifest = {
    apiVersion = "operator.knative.dev/v1beta1"
    kind       = "KnativeEventing"
    metadata   = { name = "knative-eventing", namespace = kubernetes_namespace.knative_eventing.metadata[0].name }
    spec       = { version = var.versions.knative }
  }

  depends_on = [helm_release.knative_operator]
}

resource "kubernetes_namespace" "meshdesk" {
  metadata {
    name = "meshdesk"
    labels = {
      "istio-injection"                = "enabled"
      "topology.istio.io/network"      = var.network
      "eventing.knative.dev/injection" = "enabled"
    }
  }
}

resource "kubernetes_manifest" "broker" {
  manifest = {
    apiVersion = "eventing.knative.dev/v1"
    kind       = "Broker"
    metadata   = { name = "default", namespace = kubernetes_namespace.meshdesk.metadata[0].name }
  }

  depends_on = [kubernetes_manifest.knative_eventing]
}
