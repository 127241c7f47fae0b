# Two regions joined as one Istio multi-primary mesh, and the central observability that sees both.

# The topology is the one source of the ingress gateway's name, namespace and labels: meshctl
# renders the AuthorizationPolicy principal and the Gateway selector from the same entry.
locals {
  topology = yamldecode(file("${path.root}/../../../mesh-config/topology.yaml"))
}

module "mesh_ca" {
  source   = "../../modules/mesh-ca"
  mesh_id  = var.mesh_id
  clusters = ["cn-north", "us-east"]
}

module "cn_north" {
  source = "../../modules/region-platform"
  providers = {
    kubernetes = kubernetes.cn_north
    helm       = helm.cn_north
  }

  region            = "cn-north"
  cluster_name      = "cn-north"
  network           = "network-cn-north"
  mesh_id           = var.mesh_id
  cacerts           = module.mesh_ca.cacerts["cn-north"]
  remote_clusters   = { "us-east" = var.remote_readers["us-east"] }
  ingress_host      = var.ingress_hosts["cn-north"]
  identity_issuer   = var.identity_issuer
  identity_jwks_url = var.identity_jwks_url
  ingress_gateway   = local.topology.ingressGateway
  observability_dir = "${path.root}/../../../observability"
  alertmanager_host = var.alertmanager_host
}

module "us_east" {
  source = "../../modules/region-platform"
  providers = {
    kubernetes = kubernetes.us_east
    helm       = helm.us_east
  }

  region            = "us-east"
  cluster_name      = "us-east"
  network           = "network-us-east"
  mesh_id           = var.mesh_id
  cacerts           = module.mesh_ca.cacerts["us-east"]
  remote_clusters   = { "cn-north" = var.remote_readers["cn-north"] }
  ingress_host      = var.ingress_hosts["us-east"]
  identity_issuer   = var.identity_issuer
  identity_jwks_url = var.identity_jwks_url
  ingress_gateway   = local.topology.ingressGateway
  observability_dir = "${path.root}/../../../observability"
  alertmanager_host = var.alertmanager_host
}

module "central" {
  source = "../../modules/central-observability"
  providers = {
    kubernetes = kubernetes.central
    helm       = helm.central
  }

  regions = {
    "cn-north" = module.cn_north.prometheus_federation_url
    "us-east"  = module.us_east.prometheus_federation_url
  }
  observability_dir      = "${path.root}/../../../observability"
  grafana_admin_password = var.grafana_admin_password
  teams                  = var.grafana_teams
}
