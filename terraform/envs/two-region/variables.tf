variable "kubeconfig" {
  type        = string
  description = "Path to the kubeconfig that holds the three contexts."
  default     = "~/.kube/config"
}

variable "cn_north_context" {
  type        = string
  description = "kube context of the cn-north cluster."
}

variable "us_east_context" {
  type        = string
  description = "kube context of the us-east cluster."
}

variable "central_context" {
  type        = string
  description = "kube context of the cluster that runs central observability."
}

variable "mesh_id" {
  type        = string
  description = "Istio mesh id of the meshdesk mesh."
  default     = "meshdesk"
}

variable "ingress_hosts" {
  type        = map(string)
  description = "Public ingress host per region; must match mesh-config/topology.yaml."
  default = {
    "cn-north" = "cn-north.meshdesk.example.com"
    "us-east"  = "us-east.meshdesk.example.com"
  }

  validation {
    condition     = alltrue([for r in ["cn-north", "us-east"] : contains(keys(var.ingress_hosts), r)])
    error_message = "ingress_hosts must name a host for cn-north and for us-east."
  }
}

variable "remote_readers" {
  type = map(object({
    server                = string
    certificate_authority = string
    service_account_token = string
  }))
  description = "Per cluster name (cn-north, us-east): its API server and a reader token, so that the other cluster's istiod can discover its endpoints."
  sensitive   = true
}

variable "grafana_url" {
  type        = string
  description = "URL under which the central Grafana is reachable for the grafana provider."
}

variable "grafana_admin_password" {
  type        = string
  description = "Grafana admin password."
  sensitive   = true
}

variable "grafana_teams" {
  type = object({
    ops        = list(string)
    developers = list(string)
    viewers    = list(string)
  })
  description = "Members (e-mail) of the Grafana teams."
  default = {
    ops        = []
    developers = []
    viewers    = []
  }
}

variable "alertmanager_host" {
  type        = string
  description = "host:port at which every region reaches the central Alertmanager (through the east-west gateway)."
  default     = "alertmanager.observability.svc.cluster.local:9093"
}

variable "identity_issuer" {
  type        = string
  description = "Issuer (iss) of the identity provider whose JWTs every function and the mesh accept, for both regions."
}

variable "identity_jwks_url" {
  type        = string
  description = "URL of that identity provider's JSON Web Key Set."
}
