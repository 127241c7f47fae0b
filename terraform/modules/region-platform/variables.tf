variable "region" {
  type        = string
  description = "meshdesk region this cluster serves (for example cn-north); becomes the Prometheus external label and the functions' MESHDESK_REGION."

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+(-[0-9]+)?$", var.region))
    error_message = "region must look like cn-north or us-east-1."
  }
}

variable "cluster_name" {
  type        = string
  description = "Istio cluster name of this cluster (multi-primary: each cluster runs its own istiod)."
}

variable "network" {
  type        = string
  description = "Istio network name of this cluster; clusters on different networks reach each other through the east-west gateway."
}

variable "mesh_id" {
  type        = string
  description = "Istio mesh id shared by every cluster of the mesh."
}

variable "cacerts" {
  type        = map(string)
  description = "This cluster's Istio cacerts files (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem) from the mesh-ca module."
  sensitive   = true

  validation {
    condition     = alltrue([for f in ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] : contains(keys(var.cacerts), f)])
    error_message = "cacerts must hold ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem."
  }
}

variable "remote_clusters" {
  type = map(object({
    server                = string
    certificate_authority = string
    service_account_token = string
  }))
  description = "The other clusters of the mesh, by Istio cluster name: API server URL, CA certificate (PEM) and a reader token, written as istio remote secrets so this istiod discovers their endpoints."
  sensitive   = true
  default     = {}
}

variable "ingress_host" {
  type        = string
  description = "Public host name of this region's ingress gateway (for example cn-north.meshdesk.example.com)."
}

variable "ingress_gateway" {
  type = object({
    name      = string
    namespace = string
    labels    = map(string)
  })
  description = "The regional ingress gateway: Helm release name (and so its service account), namespace and pod labels. envs pass mesh-config/topology.yaml's ingressGateway, the entry meshctl renders the Gateway selector and AuthorizationPolicy principals from."
  default = {
    name      = "istio-ingressgateway"
    namespace = "istio-system"
    labels    = { istio = "ingressgateway" }
  }
}

variable "versions" {
  type = object({
    istio            = string
    knative_operator = string
    knative          = string
    etcd_chart       = string
    cnpg_chart       = string
    prometheus_chart = string
  })
  description = "Pinned chart and component versions; change them here, in one place, and review the upgrade notes of each."
  default = {
    istio            = "1.24.2"
    knative_operator = "v1.16.0"
    knative          = "1.16"
    etcd_chart       = "10.7.1"
    cnpg_chart       = "0.23.0"
    prometheus_chart = "27.3.0"
  }
}

variable "etcd_storage_size" {
  type        = string
  description = "Persistent volume size of each of the three etcd members."
  default     = "8Gi"
}

variable "postgres_instances" {
  type        = number
  description = "PostgreSQL instances in the region's CloudNativePG cluster (1 primary, the rest replicas)."
  default     = 3

  validation {
    condition     = var.postgres_instances >= 1 && var.postgres_instances <= 9
    error_message = "postgres_instances must be between 1 and 9."
  }
}

variable "postgres_storage_size" {
  type        = string
  description = "Persistent volume size of each PostgreSQL instance."
  default     = "20Gi"
}

variable "observability_dir" {
  type        = string
  description = "Path to the repository's observability/ folder: the regional Prometheus's scrape jobs and rules come from there."
}

variable "alertmanager_host" {
  type        = string
  description = "host:port of the central Alertmanager, where this region's own alerts (a function down) go directly."
}

variable "identity_issuer" {
  type        = string
  description = "Issuer (iss) of the identity provider whose JWTs the functions and the mesh's RequestAuthentication accept (mp.jwt.verify.issuer)."

  validation {
    condition     = can(regex("^https://", var.identity_issuer))
    error_message = "identity_issuer must be an https:// URL; the development issuer is for local runs only."
  }
}

variable "identity_jwks_url" {
  type        = string
  description = "URL of the identity provider's JSON Web Key Set (mp.jwt.verify.publickey.location, RequestAuthentication jwksUri)."

  validation {
    condition     = can(regex("^https://", var.identity_jwks_url))
    error_message = "identity_jwks_url must be an https:// URL."
  }
}
