# The regional Prometheus: scrapes the functions' /q/metrics and Istio's telemetry, labels
# everything with region, and is federated by the central Prometheus.

resource "kubernetes_namespace" "monitoring" {
  metadata {
    name = "monitoring"
  }
}

resource "helm_release" "prometheus" {
  name       = "prometheus-regional"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "prometheus"
  version    = var.versions.prometheus_chart
  namespace  = kubernetes_namespace.monitoring.metadata[0].name

  values = [yamlencode({
    alertmanager             = { enabled = false }
    "prometheus-pushgateway" = { enabled = false }
    server = {
      global    = { external_labels = { region = var.region, cluster = var.cluster_name } }
      retention = "15d"
    }
  })]
}
