output "prometheus_url" {
  description = "In-cluster URL of the central Prometheus (Grafana's and Kiali's data source)."
  value       = "http://prometheus-central-server.${var.namespace}.svc"
}

output "grafana_folders" {
  description = "UIDs of the Grafana folders, by audience."
  value = {
    slo      = grafana_folder.slo.uid
    services = grafana_folder.services.uid
  }
}
