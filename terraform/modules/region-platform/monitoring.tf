# The regional Prometheus: scrapes the functions' /q/metrics and Istio's telemetry, labels
# everything with region, records the SLIs and is federated by the central Prometheus. Its
# scrape jobs and rules are the repository's observability/ files, as the tests checked them.

locals {
  regional_prometheus = yamldecode(file("${var.observability_dir}/prometheus/regional.yml"))
  sli_rules           = yamldecode(file("${var.observability_dir}/prometheus/rules/meshdesk-slis.yml"))
  request_sli_rules   = yamldecode(file("${var.observability_dir}/prometheus/rules/meshdesk-request-slis.yml"))
  istio_rules         = yamldecode(file("${var.observability_dir}/prometheus/rules/istio-aggregates.yml"))
  regional_alerts     = yamldecode(file("${var.observability_dir}/prometheus/rules/meshdesk-regional-alerts.yml"))
}

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
      global        = { external_labels = { region = var.region, cluster = var.cluster_name } }
      retention     = "15d"
      alertmanagers = [{ static_configs = [{ targets = [var.alertmanager_host] }] }]
    }
    serverFiles = {
      "recording_rules.yml" = { groups = concat(local.sli_rules.groups, local.request_sli_rules.groups, local.istio_rules.groups) }
      "alerting_rules.yml"  = local.regional_alerts
    }
    extraScrapeConfigs = yamlencode(local.regional_prometheus.scrape_configs)
  })]
}
