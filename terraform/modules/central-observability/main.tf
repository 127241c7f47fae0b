# The central view of every region: a Prometheus that federates the regional ones and
# evaluates the global SLOs, Alertmanager, Grafana with the repository's dashboards, and Kiali.

locals {
  federate_targets = { for region, url in var.regions : region => regex("^https?://([^/]+)", url)[0] }
  dashboards       = fileset("${var.observability_dir}/grafana/dashboards", "*.json")
  central          = yamldecode(file("${var.observability_dir}/prometheus/central.yml"))
  global_rules     = yamldecode(file("${var.observability_dir}/prometheus/rules/meshdesk-global.yml"))
  slo_alerts       = yamldecode(file("${var.observability_dir}/prometheus/rules/meshdesk-alerts.yml"))
  datasources      = yamldecode(file("${var.observability_dir}/grafana/provisioning/datasources/meshdesk.yml"))
  # central.yml's federate job, with this installation's regions as its targets.
  federate_job = merge(local.central.scrape_configs[0], {
    static_configs = [for region, host in local.federate_targets : { targets = [host], labels = { region = region } }]
  })
}

resource "kubernetes_namespace" "observability" {
  metadata {
    name = var.namespace
  }
}

resource "helm_release" "prometheus_central" {
  name       = "prometheus-central"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "prometheus"
  version    = var.versions.prometheus_chart
  namespace  = kubernetes_namespace.observability.metadata[0].name

  values = [yamlencode({
    alertmanager             = { enabled = false }
    "prometheus-pushgateway" = { enabled = false }
    server = {
      alertmanagers = [{ static_configs = [{ targets = ["alertmanager.${var.namespace}.svc:9093"] }] }]
    }
    serverFiles = {
      "recording_rules.yml" = local.global_rules
      "alerting_rules.yml"  = local.slo_alerts
    }
    extraScrapeConfigs = yamlencode([local.federate_job])
  })]
}

resource "helm_release" "alertmanager" {
  name       = "alertmanager"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "alertmanager"
  version    = var.versions.alertmanager_chart
  namespace  = kubernetes_namespace.observability.metadata[0].name

  values = [yamlencode({
    config = yamldecode(file("${var.observability_dir}/alertmanager/alertmanager.yml"))
  })]
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  version    = var.versions.grafana_chart
  namespace  = kubernetes_namespace.observability.metadata[0].name

  set_sensitive {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }

  values = [yamlencode({
    datasources = {
      "datasources.yaml" = local.datasources
    }
  })]
}

resource "helm_release" "kiali" {
  name       = "kiali-server"
  repository = "https://kiali.org/helm-charts"
  chart      = "kiali-server"
  version    = var.versions.kiali_chart
  namespace  = "istio-system"

  # The kiali-server chart takes the Kiali resource's spec as its values: one definition,
  # observability/kiali/kiali.yaml, for the chart and for the operator.
  values = [yamlencode(yamldecode(file("${var.observability_dir}/kiali/kiali.yaml")).spec)]
}
