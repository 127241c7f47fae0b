variable "regions" {
  type        = map(string)
  description = "The regions to federate: region name to the URL of its Prometheus /federate endpoint (module region-platform, output prometheus_federation_url)."

  validation {
    condition     = length(var.regions) > 0
    error_message = "regions must name at least one region."
  }
}

variable "namespace" {
  type        = string
  description = "Namespace of the central observability stack."
  default     = "observability"
}

variable "observability_dir" {
  type        = string
  description = "Path to the repository's observability/ folder: rules, alerts, Alertmanager routes and dashboards come from there, as the tests checked them."
}

variable "grafana_admin_password" {
  type        = string
  description = "Password of Grafana's admin user (used by the grafana provider to manage folders, teams and permissions)."
  sensitive   = true

  validation {
    condition     = length(var.grafana_admin_password) >= 16
    error_message = "grafana_admin_password must be at least 16 characters."
  }
}

variable "teams" {
  type = object({
    ops        = list(string)
    developers = list(string)
    viewers    = list(string)
  })
  description = "E-mail addresses of the members of each Grafana team: ops edit everything, developers edit the service dashboards, viewers only view."
  default = {
    ops        = []
    developers = []
    viewers    = []
  }
}

variable "versions" {
  type = object({
    prometheus_chart   = string
    alertmanager_chart = string
    grafana_chart      = string
    kiali_chart        = string
  })
  description = "Pinned chart versions of the central stack."
  default = {
    prometheus_chart   = "27.3.0"
    alertmanager_chart = "1.13.1"
    grafana_chart      = "8.8.5"
    kiali_chart        = "2.5.0"
  }
}
